"""Hostile templates: every payload is refused or stopped within the run's budget, naming the cell.

Each case asserts the bound, not only the refusal: the error names the
override's cell, the time stays under twice the run's time budget and the
peak memory (tracemalloc) under 100 MB. Before the allow-list and the
per-run budget each of these took gigabytes, minutes, or ran a shell command.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, WINDOW, SheetBuilder
from test_cycle import save
from test_messages import add_template, clock, messages_in, small_community

from grouptier.backends.xlsx import XlsxBackend
from grouptier.cycle import RunOptions, run
from grouptier.errors import InvalidSheetError
from grouptier.messages import TEMPLATE_NAMES, Override, Renderer, languages, templates_root
from grouptier.outbox import compose_outbox, read_messages
from grouptier.planning import plan_cycles
from grouptier.render_budget import RUN_SIZE_LIMIT, RUN_TIME_LIMIT

BUDGET = 1.0  # seconds: the run's time budget in these tests, so that the file stays quick
PEAK_LIMIT = 100_000_000  # bytes of peak memory any payload may cause
BIG = "{% set s = 'x' * 100000 %}"  # 100 KB of text, affordable on its own
LOOP = "{% for i in range(3000) %}{{ s }}{% endfor %}"  # 3,000 times 100 KB: 300 MB

PAYLOADS = {
    # Methods that build their result from a number: not on the allow-list.
    "center": "{{ 'a'.center(3 * 10**8) }}",
    "ljust": "{{ 'a'.ljust(3 * 10**8) }}",
    "rjust": "{{ 'a'.rjust(3 * 10**8) }}",
    "zfill": "{{ '1'.zfill(3 * 10**8) }}",
    "expandtabs": "{{ '\t'.expandtabs(3 * 10**8) }}",
    "format-width": "{{ '{:>300000000}'.format('x') }}",
    "format-map": "{{ '{a:>300000000}'.format_map({'a': 1}) }}",
    # %-formatting: every width is bounded, also after a mapping key or taken from the arguments.
    "percent-key-width": "{{ '%(a)300000000s' % {'a': 'x'} }}",
    "percent-width": "{{ '%300000000s' % 'x' }}",
    "percent-star-width": "{{ '%*s' % (300000000, 'x') }}",
    "percent-precision": "{{ '%.300000000d' % 1 }}",
    # What is allowed checks what it would build before building it.
    "join-huge": BIG + "{{ ([s] * 3000)|join }}",
    "join-separator": BIG + "{{ range(3000)|join(s) }}",
    "replace-method": BIG + "{{ s.replace('x', s[:3000]) }}",
    "replace-filter": BIG + "{{ s|replace('x', s[:3000]) }}",
    "list-as-text": BIG + "{{ [s] * 3000 }}",
    "list-in-percent": BIG + "{{ '%s' % ([s] * 3000,) }}",
    "list-upper": BIG + "{{ ([s] * 3000)|upper }}",
    "list-concat": BIG + "{{ ([s] * 3000) ~ '' }}",
    "dict-view-as-text": BIG + "{{ dict(a=[s] * 3000).values() }}",
    "slice-copies": BIG + "{% set l = [" + ", ".join(["s[1:]"] * 300) + "] %}{{ l|length }}",
    "split-words": BIG + "{{ (([s] * 300)|join(' ')).split('x')|length }}",
    # Filters that are not on the allow-list are refused when the override is read.
    "indent": BIG + "{{ ('a\n' * 3000)|indent(s) }}",
    "wordwrap": BIG + "{{ ('a ' * 3000)|wordwrap(1, wrapstring=s) }}",
    "tojson": "{{ ([range(100000)|list] * 100)|tojson }}",
    "pprint": "{{ ([range(100000)|list] * 100)|pprint }}",
    "center-filter": "{{ 'x'|center(300000000) }}",
    "format-filter": "{{ '%300000000s'|format('x') }}",
    # Text captured by a block counts as it is produced.
    "set-block": BIG + "{% set x %}" + LOOP + "{% endset %}{{ x|length }}",
    "filter-block": BIG + "{% filter upper %}" + LOOP + "{% endfilter %}",
    "caller": (
        BIG
        + "{% macro m() %}{{ caller()|length }}{% endmacro %}{% call m() %}"
        + LOOP
        + "{% endcall %}"
    ),
    # One C call that runs for minutes, or a global that builds text.
    "sum-start": "{% set l = [[1] * 10000] * 10000 %}{{ l|sum(start=[])|length }}",
    "lipsum": "{{ lipsum(n=100000) }}",
    "nested-as-text": (
        "{% set ns = namespace(x=['x' * 100]) %}{% for i in range(60) %}"
        "{% set ns.x = [ns.x, ns.x] %}{% endfor %}{{ ns.x }}"
    ),
    "nested-compare": (
        "{% set ns = namespace(x=['x' * 100], y=['x' * 50 ~ 'x' * 50]) %}"
        "{% for i in range(60) %}{% set ns.x = [ns.x, ns.x] %}{% set ns.y = [ns.y, ns.y] %}"
        "{% endfor %}{{ ns.x == ns.y }}"
    ),
}


def measured(action: Callable[[], Any]) -> tuple[BaseException | None, float, int]:
    """What `action` raised, the seconds it took and its peak memory (tracemalloc)."""
    tracemalloc.start()
    started = time.monotonic()
    raised: BaseException | None = None
    try:
        action()
    except Exception as error:
        raised = error
    finally:
        seconds = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return raised, seconds, peak


def render_override(text: str, **limits: Any) -> str:
    renderer = Renderer(overrides=[Override("welcome", "", text, "C5")], **limits)
    return renderer.render("welcome", "General", {"member": {"name": "Amira"}})


@pytest.mark.parametrize("text", list(PAYLOADS.values()), ids=list(PAYLOADS))
def test_a_hostile_override_is_stopped_within_the_budget_naming_its_cell(text: str) -> None:
    raised, seconds, peak = measured(lambda: render_override(text, time_limit=BUDGET))
    assert isinstance(raised, InvalidSheetError), raised
    (problem,) = raised.problems
    assert problem.where == "Templates!C5"
    assert problem.message.startswith('template "welcome"')
    assert seconds < 2 * BUDGET
    assert peak < PEAK_LIMIT, f"{peak / 1e6:.0f} MB"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{{ 'a'.center(9) }}", ".center() cannot be used in a message template"),
        ("{{ x|tojson }}", 'the filter "tojson" cannot be used in a message template; these can:'),
        ("{{ lipsum(n=9) }}", "`lipsum` is not available here"),
        ("{{ [[1]]|sum(start=[]) }}", "sum() can only start from a number"),
        ("{{ '%(a)999999999s' % {'a': 1} }}", "a %-format width over 1,000 is refused"),
        (BIG + "{{ s|replace('x', s) }}", "could build more than the 23.9 MB left of the 24 MB"),
    ],
    ids=["method", "filter", "global", "sum-start", "width", "size"],
)
def test_a_refusal_says_what_is_refused(text: str, reason: str) -> None:
    with pytest.raises(InvalidSheetError) as caught:
        render_override(text)
    assert reason in caught.value.problems[0].message


def test_the_run_budget_is_shared_by_every_message_of_the_run(sheet: SheetBuilder) -> None:
    """Slow good mornings, 33 over a cycle, stop at the run's budget, not at 33 limits."""
    community = small_community(sheet).community()
    plans, _ = plan_cycles(community, [WINDOW])
    # About 90 ms a render from a cycle's fifth day on: 33 of them take three times the
    # budget. The check's trial renders (a fourth day) stay quick, so that only the run's
    # shared budget is tested here, however slow coverage makes each render.
    slow = (
        "{% if day_index >= 4 %}{% for i in range(9000) %}{% for j in range(9) %}"
        "{% if i == group.name %}{% endif %}{% endfor %}{% endfor %}{% endif %}Hi"
    )
    renderer = Renderer(
        overrides=[Override("good_morning", "", slow, "C7")],
        time_limit=BUDGET,
        size_limit=10**10,  # only the clock can stop it here
    )
    raised, seconds, _ = measured(
        lambda: compose_outbox(community, read_messages(None), plans, TODAY, renderer)
    )
    assert isinstance(raised, InvalidSheetError), raised
    (problem,) = raised.problems
    assert problem.where == "Templates!C7"
    assert "took longer than 1 s in this run" in problem.message
    # 33 limits would never stop; the margin above one budget is for a loaded machine.
    assert BUDGET <= seconds < 5 * BUDGET
    assert renderer.budget.spent == pytest.approx(BUDGET, abs=0.1)


def test_the_size_budget_is_shared_too() -> None:
    text = "{% set s = 'x' * 3000000 %}{{ s|length }}"  # 3 MB of the run's budget each time
    renderer = Renderer(overrides=[Override("welcome", "", text, "C4")])
    context = {"member": {"name": "Amira"}}
    renders = RUN_SIZE_LIMIT // 3_000_000
    for _ in range(renders - 1):
        assert renderer.render("welcome", "General", context) == "3000000"
    with pytest.raises(
        InvalidSheetError,
        match=r"Templates!C4: .* this could build more than the [\d.]+ MB left of the 24 MB",
    ):
        for _ in range(2):
            renderer.render("welcome", "General", context)


def test_a_hostile_override_stops_the_run_before_anything_is_written(
    sheet: SheetBuilder, tmp_path: Path
) -> None:
    path = tmp_path / "c.xlsx"
    save(small_community(sheet), path)
    add_template(path, "welcome", "", PAYLOADS["set-block"])
    before = messages_in(path)
    raised, seconds, peak = measured(
        lambda: run(XlsxBackend(path), RunOptions(today=TODAY), clock=clock)
    )
    assert isinstance(raised, InvalidSheetError)
    assert raised.problems[0].where == "Templates!C2"
    assert "built more than 24 MB in this run" in raised.problems[0].message
    assert seconds < 2 * RUN_TIME_LIMIT and peak < PEAK_LIMIT
    assert messages_in(path) == before == []


# -- language: a bundled folder's name, never a path ----------------------------------------------

LANGUAGE_PATHS = ["../etc", "/etc", "en/../..", "en/..", "./en", "EN", "en/", "..", "xx"]


@pytest.mark.parametrize("language", LANGUAGE_PATHS, ids=LANGUAGE_PATHS)
def test_a_language_that_is_not_a_bundled_folder_is_a_settings_problem(
    sheet: SheetBuilder, language: str
) -> None:
    sheet.settings["language"] = language
    with pytest.raises(InvalidSheetError) as caught:
        sheet.community()
    (problem,) = caught.value.problems
    assert problem.where == "Settings!B5"
    bundled = ", ".join(languages())
    assert problem.message == (
        f'language: no messages are bundled in "{language}" (bundled: {bundled})'
        + (' (did you mean "en"?)' if language.casefold() in ("en", "en/", "./en") else "")
    )


def evil_folder(tmp_path: Path) -> Path:
    """A folder of templates that would run outside the sandbox if it were trusted."""
    folder = tmp_path / "evil"
    folder.mkdir()
    escape = "{{ cycler.__init__.__globals__.os.popen('echo pwned').read() }}"
    for name in TEMPLATE_NAMES:
        (folder / f"{name}.j2").write_text(escape, encoding="utf-8")
    return folder


def test_the_renderer_never_loads_templates_from_outside_its_folder(tmp_path: Path) -> None:
    folder = evil_folder(tmp_path)
    relative = Path("..") / Path(*[".."] * len(templates_root().parts)) / folder
    for language in (str(folder), str(relative), "en/../../..", f"en/{relative}"):
        with pytest.raises(InvalidSheetError) as caught:
            Renderer(language)
        (problem,) = caught.value.problems
        assert problem.where == "Settings"
        assert problem.message.startswith("language: no messages are bundled in")
        assert f"(bundled: {', '.join(languages())})" in problem.message


# -- what an override may still do ----------------------------------------------------------------


@pytest.fixture
def copied_templates() -> Iterator[list[Override]]:
    """Every bundled template, pasted into the Templates tab as it is."""
    folder = templates_root() / "en"
    yield [
        Override(name, "", (folder / f"{name}.j2").read_text(encoding="utf-8"), f"C{row}")
        for row, name in enumerate(TEMPLATE_NAMES, start=2)
    ]


def test_every_bundled_template_works_as_an_override(
    sheet: SheetBuilder, copied_templates: list[Override]
) -> None:
    community = small_community(sheet).community()
    plans, _ = plan_cycles(community, [WINDOW])
    bundled = compose_outbox(community, read_messages(None), plans, TODAY, Renderer())
    renderer = Renderer(overrides=copied_templates)
    pasted = compose_outbox(community, read_messages(None), plans, TODAY, renderer)
    assert pasted.rows == bundled.rows
    assert {row["kind"] for row in pasted.rows} >= {"welcome", "good_morning", "staff_digest"}
    assert renderer.budget.spent < 1 and renderer.budget.built < 2_000_000


ORDINARY = {
    "loop-and-filters": (
        "{% for m in members|sort(attribute='name') %}{{ loop.index }}. {{ m.name|title }}"
        "{{ ', ' if not loop.last }}{% endfor %}",
        "1. Amira, 2. Zoe",
    ),
    "methods": (
        "{{ 'a b'.split()|join('+') }} {{ 'Hi'.upper() }} {{ {'k': 1}.get('k') }}",
        "a+b HI 1",
    ),
    "set-and-macro": (
        "{% macro hi(n) %}Hi {{ n }}{% endmacro %}{% set t %}{{ hi('Zoe') }}!{% endset %}{{ t }}",
        "Hi Zoe!",
    ),
    "numbers": ("{{ (7 / 2)|round(1) }} {{ 2 ** 10 }} {{ '%05.1f' % 3.14159 }}", "3.5 1024 003.1"),
    "tests": (
        "{{ members|selectattr('name', 'in', ['Zoe'])|map(attribute='name')|first }}"
        "{{ ' even' if 4 is even }}{{ members|rejectattr('name', 'eq', 'Zoe')|list|length }}",
        "Zoe even1",
    ),
    "replace-and-slices": (
        "{{ 'Hello World'|replace('o', '0')|truncate(9, leeway=0) }} {{ 'abcdef'[1:4] }}",
        "Hell0... bcd",
    ),
    "loop-helpers": (
        "{% for x in [1, 2, 3] %}{{ loop.cycle('a', 'b') }}{% endfor %}"
        "{{ range(3)|sum }}{{ namespace(n=5).n }}{{ dict(a=1).a }}",
        "aba351",
    ),
}


@pytest.mark.parametrize(("text", "expected"), list(ORDINARY.values()), ids=list(ORDINARY))
def test_ordinary_overrides_still_render(text: str, expected: str) -> None:
    members = [{"name": "zoe"}, {"name": "amira"}] if "title" in text else None
    renderer = Renderer(overrides=[Override("promotion", "", text, "C2")])
    context = {"members": members or [{"name": "Zoe"}, {"name": "Amira"}]}
    assert renderer.render("promotion", "Core", context) == expected


def test_a_quick_render_leaves_the_budget_almost_whole(sheet: SheetBuilder) -> None:
    for number in range(200):
        sheet.member("General", name=f"Newcomer {number}", joined_on=TODAY - timedelta(days=1))
    community = small_community(sheet).community()
    plans, _ = plan_cycles(community, [WINDOW])
    welcome = "Welcome {{ names }}! {% for g in ladder %}{{ g.name }} {% endfor %}"
    morning = "Good morning, {{ group.name }}! {% for g in ladder %}{{ g.name }} {% endfor %}"
    overrides = [
        Override("welcome", "", welcome, "C2"),
        Override("good_morning", "", morning, "C3"),
    ]
    renderer = Renderer(overrides=overrides)
    outbox = compose_outbox(community, read_messages(None), plans, TODAY, renderer)
    posts = [str(row["member_id"]).split(", ") for row in outbox.rows if row["kind"] == "welcome"]
    assert [len(ids) for ids in posts] == [30] * 6 + [21]  # 200 and New Nadia, 30 a post
    assert len([row for row in outbox.rows if row["kind"] == "good_morning"]) == 45
    assert renderer.budget.spent < 0.5 and renderer.budget.built < RUN_SIZE_LIMIT / 100
