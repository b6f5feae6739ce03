"""Numbers, dates and texts at and past their limits: refused with their cell, never a traceback.

Issue 13, "Numbers that overflow or truncate silently": every setting has a
range, counts and dates in cells are bounded, long texts are shortened to the
backend's cell size saying so, and what the CLI prints cannot change the terminal.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import TODAY, WINDOW, SheetBuilder
from rich.console import Console
from sheets_fake import SheetsFake
from sheets_support import SHEET_ID, load_workbook, open_sheet
from test_cycle import save_raw

from grouptier.backends.base import ChangeSet
from grouptier.cell_text import fit_items, fit_lines
from grouptier.cells import MAX_COUNT, did_you_mean, parse_count
from grouptier.cli import main
from grouptier.community import load_community
from grouptier.cycle import RunOptions, check, run
from grouptier.display import printable, show_problems
from grouptier.errors import InvalidSheetError, SheetError
from grouptier.scoring import score_members
from grouptier.settings import MAX_WEIGHT, SETTING_ROWS, starter_settings
from grouptier.sheet import RawTab, RawWorkbook

NOW = datetime.combine(TODAY, time(6), tzinfo=UTC)
EXCEL_CELL = 32_767  # characters an Excel cell holds
SHEETS_CELL = 50_000  # characters a Google Sheets cell holds


def clock() -> datetime:
    return NOW


class MemoryBackend:
    """A sheet held in memory: what a run reads, and every batch it writes."""

    location = "memory"
    cell_text_limit = EXCEL_CELL

    def __init__(self, raw: RawWorkbook) -> None:
        self.raw = raw
        self.written: list[ChangeSet] = []

    def lock(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()

    def read(self) -> RawWorkbook:
        return self.raw

    def write(self, changes: ChangeSet) -> None:
        self.written.append(changes)


def ladder() -> SheetBuilder:
    """A small community in which cycle 3 moves members both ways."""
    sheet = SheetBuilder()
    sheet.active_member("Core", score_days=3)
    sheet.member("Core")
    top = sheet.member("General")
    sheet.post(top, messages=30, content=6, invites=5)
    sheet.active_member("General", score_days=2)
    sheet.member("General")
    sheet.active_member("Retention")
    return sheet


def problems_of(sheet: SheetBuilder) -> list[str]:
    with pytest.raises(InvalidSheetError) as caught:
        load_community(sheet.workbook())
    return [str(problem) for problem in caught.value.problems]


def setting_cell(key: str) -> str:
    """`Settings!B3`: where SheetBuilder puts setting `key` (starter settings, in order)."""
    keys = [row.key for row in SETTING_ROWS]
    return f"Settings!B{keys.index(key) + 2}"


# --- settings: every number has a range ---------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("weight_messages", 1e18, "1e+18 is more than 1,000, the most this setting allows"),
        ("weight_content", 1e308, "1e+308 is more than 1,000, the most this setting allows"),
        ("cycle_days", 10**15, "1e+15 is more than 366, the most this setting allows"),
        (
            "activity_keep_cycles",
            10**9,
            "1,000,000,000 is more than 1,000, the most this setting allows",
        ),
        ("daily_message_cap", 10**6, "1,000,000 is more than 100,000, the most this setting"),
        ("settle_cycles", 101, "101 is more than 100, the most this setting allows"),
        ("cycle_anchor", "0001-01-01", "0001-01-01 is outside the dates grouptier accepts"),
        ("cycle_anchor", "9999-12-31", "9999-12-31 is outside the dates grouptier accepts"),
        ("demo_today", date(9999, 12, 31), "9999-12-31 is outside the dates grouptier accepts"),
        ("cycle_anchor", 2_958_465, "9999-12-31 is outside the dates grouptier accepts"),
    ],
    ids=[
        "weight-1e18",
        "weight-1e308",
        "cycle-days-1e15",
        "keep-cycles-1e9",
        "day-cap",
        "settle",
        "anchor-year-1",
        "anchor-year-9999",
        "demo-today-9999",
        "anchor-last-serial",
    ],
)
def test_a_setting_out_of_range_is_refused_naming_its_cell(
    key: str, value: object, message: str
) -> None:
    sheet = ladder()
    sheet.settings[key] = value
    (problem,) = problems_of(sheet)
    assert problem.startswith(f"{setting_cell(key)}: {key}: {message}")


NUMERIC = [row.key for row in SETTING_ROWS if row.allowed]
TEMPLATE = Path(__file__).resolve().parent.parent / "sheet_template.md"


@pytest.mark.parametrize("key", NUMERIC)
def test_every_numeric_setting_refuses_a_huge_value(key: str) -> None:
    sheet = ladder()
    sheet.settings[key] = 10**15
    (problem,) = problems_of(sheet)
    assert problem.startswith(f"{setting_cell(key)}: {key}: 1e+15 is more than ")


def test_every_range_is_documented_and_in_a_new_sheets_notes() -> None:
    table = TEMPLATE.read_text(encoding="utf-8")
    notes = {row["setting"]: str(row["notes"]) for row in starter_settings(TODAY)}
    assert len(NUMERIC) == 18
    for row in SETTING_ROWS:
        if row.allowed:
            starter = "blank" if row.starter is None else row.starter
            assert f"| `{row.key}` | {starter} | {row.allowed} | " in table, row.key
            assert notes[row.key].endswith(f" Allowed: {row.allowed}."), row.key


def test_settings_at_their_limits_run_without_a_traceback() -> None:
    sheet = ladder()
    sheet.settings.update(
        cycle_days=366,
        weight_messages=MAX_WEIGHT,
        weight_active_days=MAX_WEIGHT,
        weight_content=MAX_WEIGHT,
        weight_invites=MAX_WEIGHT,
        daily_message_cap=100_000,
        newcomer_grace_days=3_660,
        activity_keep_cycles=1_000,
        max_catch_up_cycles=1_000,
        coverage_slack_days=366,
        settle_cycles=100,
        cycle_anchor=date(2025, 10, 15),  # cycle 1 runs to 2026-10-15
    )
    backend = MemoryBackend(sheet.workbook())
    report = run(backend, RunOptions(today=date(2026, 10, 17)), clock=clock)
    assert report.status == "done" and backend.written


# --- scores cannot overflow ---------------------------------------------------------


def test_the_largest_counts_at_the_largest_weights_score_in_order() -> None:
    sheet = SheetBuilder()
    sheet.settings.update(dict.fromkeys(("weight_content", "weight_invites"), MAX_WEIGHT))
    top, second = sheet.member(), sheet.member()
    for _ in range(3):  # several rows of the largest count: sums stay exact
        sheet.post(top, content=MAX_COUNT, invites=MAX_COUNT)
    sheet.post(second, content=MAX_COUNT)
    community = sheet.community()
    scores = score_members(
        community.members, community.activity, community.history, WINDOW, community.settings
    )
    by_id = dict(zip(scores["member_id"], scores["score"], strict=True))
    assert by_id[top] == 6 * MAX_WEIGHT * MAX_COUNT + 3 * 1 + 1 * 2  # + 3 messages, 1 day
    assert by_id[top] > by_id[second] > 0
    assert max(by_id.values()) < 2**53


def test_a_count_above_the_limit_is_a_problem_naming_its_cell() -> None:
    sheet = ladder()
    sheet.post(sheet.members[0]["member_id"], messages=10**18)
    row = len(sheet.activity) + 1
    assert problems_of(sheet) == [
        f"Activity!D{row}: 1e+18 is more than 1,000,000,000, the largest count grouptier "
        "accepts; check the number"
    ]
    assert parse_count(MAX_COUNT) == MAX_COUNT


def test_a_group_level_of_1e15_is_refused_not_counted_out() -> None:
    # Listing the missing levels 2 to 10^15 once took all the memory of the machine.
    sheet = ladder()
    sheet.groups[1]["level"] = 1e15
    assert problems_of(sheet) == [
        "Groups!B3: level 1e+15 is more than 100: levels run 1, 2, 3, ... one per rung of "
        "the ladder, and a WhatsApp community has at most 100 groups"
    ]


# --- dates in the tabs -------------------------------------------------------------


@pytest.mark.parametrize(
    ("tab", "column", "value", "cell"),
    [
        ("activity", "date", "0001-01-01", "Activity!A{row}"),
        ("activity", "date", date(9999, 12, 31), "Activity!A{row}"),
        ("members", "joined_on", "9999-12-31", "Members!E2"),
        ("members", "joined_on", date(1, 1, 1), "Members!E2"),
        ("members", "paused_until", 2_958_465, "Members!M2"),
    ],
    ids=["activity-year-1", "activity-year-9999", "joined-9999", "joined-year-1", "paused-serial"],
)
def test_a_date_out_of_range_is_a_problem_naming_its_cell(
    tab: str, column: str, value: object, cell: str
) -> None:
    sheet = ladder()
    if tab == "activity":
        sheet.post(sheet.members[0]["member_id"], day=value)  # type: ignore[arg-type]
    else:
        sheet.members[0][column] = value
    where = cell.format(row=len(sheet.activity) + 1)
    (problem,) = problems_of(sheet)
    assert problem.startswith(f"{where}: ")
    assert "is outside the dates grouptier accepts (1900-01-01 to 2199-12-31)" in problem


def test_a_run_with_an_impossible_date_records_the_cell_and_writes_nothing_else(
    tmp_path: Path,
) -> None:
    sheet = ladder()
    sheet.settings["cycle_anchor"] = "9999-12-31"
    backend = save_raw(sheet.workbook(), tmp_path / "c.xlsx")
    with pytest.raises(InvalidSheetError, match="Settings!B2: cycle_anchor: 9999-12-31"):
        run(backend, RunOptions(today=TODAY), clock=clock)
    runs = backend.read().find("Runs")
    assert runs is not None and runs.rows[-1][5] == "invalid"


# --- long texts fit the backend's cells ---------------------------------------------


def long_digest(lines: int) -> str:
    """A staff digest override of about 30 characters a line."""
    return f"{{% for i in range({lines}) %}}line {{{{ i }}}} of a long staff digest\n{{% endfor %}}"


def with_template(sheet: SheetBuilder, name: str, text: str) -> RawWorkbook:
    raw = sheet.workbook()
    rows: list[list[Any]] = [["name", "group", "text"], [name, None, text]]
    return RawWorkbook({**raw.tabs, "Templates": RawTab("Templates", rows)})


def digest_text(rows: list[list[Any]]) -> str:
    header = [str(cell) for cell in rows[0]]
    digests = [row for row in rows[1:] if row[header.index("kind")] == "staff_digest"]
    return str(digests[-1][header.index("text")])


def assert_shortened(text: str, limit: int) -> None:
    assert len(text) <= limit
    body, note = text.rsplit("\n", 1)
    assert note.startswith("[… shortened here: the full text is ")
    assert body.endswith("of a long staff digest")  # cut at the end of a line


def test_a_40000_character_message_is_shortened_to_fit_an_xlsx_cell(tmp_path: Path) -> None:
    backend = save_raw(
        with_template(ladder(), "staff_digest", long_digest(1_400)), tmp_path / "c.xlsx"
    )
    report = run(backend, RunOptions(today=TODAY), clock=clock)
    assert any(
        "staff_digest message for staff on 2026-10-16 is 4" in warning
        and "shortened to " in warning
        for warning in report.warnings
    )
    messages = backend.read().find("Messages")
    assert messages is not None
    assert_shortened(digest_text(messages.rows), EXCEL_CELL)
    again = run(backend, RunOptions(today=TODAY), clock=clock)  # no duplicate on a rerun
    assert again.messages == 0


@pytest.fixture
def fake() -> Iterator[SheetsFake]:
    service = SheetsFake().start()
    yield service
    service.stop()


def test_a_60000_character_message_is_shortened_to_fit_a_google_sheets_cell(
    fake: SheetsFake,
) -> None:
    load_workbook(fake, with_template(ladder(), "staff_digest", long_digest(2_000)))
    backend = open_sheet(fake)
    report = run(backend, RunOptions(today=TODAY), clock=clock)
    assert report.written
    assert_shortened(digest_text(fake.values(SHEET_ID, "Messages")), SHEETS_CELL)


def test_the_sheets_fake_refuses_a_cell_over_50000_characters_like_the_real_api(
    fake: SheetsFake,
) -> None:
    load_workbook(fake, ladder().workbook())
    backend = open_sheet(fake)
    backend.read()
    with pytest.raises(SheetError, match="more than the maximum of 50000 characters"):
        backend.write(ChangeSet(appends={"Runs": [{"run_id": "x", "error": "x" * 50_001}]}))


def test_a_runs_error_with_2050_problems_is_shortened_after_a_whole_problem(
    tmp_path: Path,
) -> None:
    sheet = ladder()
    for _ in range(2_050):
        sheet.post(sheet.members[0]["member_id"], messages=-1)
    backend = save_raw(sheet.workbook(), tmp_path / "c.xlsx")
    with pytest.raises(InvalidSheetError):
        run(backend, RunOptions(today=TODAY), clock=clock)
    runs = backend.read().find("Runs")
    assert runs is not None
    error = str(runs.rows[-1][7])
    assert len(error) <= EXCEL_CELL
    *listed, last = error.splitlines()
    assert listed[0] == "The sheet has 2050 problems; nothing was changed:"
    assert all(line.endswith("-1 cannot be negative") for line in listed[1:])
    assert last == f"… and {2_050 - len(listed) + 1:,} more problems (fix these first)"


def test_fit_items_keeps_whole_items_and_counts_the_rest() -> None:
    items = [f"warning {number}" for number in range(100)]
    text = fit_items("3 warnings:", items, 64, noun="warning", hint="see the run", sep=" | ")
    assert text == "3 warnings: | warning 0 | … and 99 more warnings (see the run)"
    assert fit_lines("short", 10) == "short"


# --- what the CLI prints -----------------------------------------------------------


def test_import_chat_prints_no_terminal_escape_from_a_sender_name(tmp_path: Path) -> None:
    sheet = ladder()
    backend_path = tmp_path / "community.xlsx"
    save_raw(sheet.workbook(), backend_path)
    export = tmp_path / "General.txt"
    export.write_text(
        "13/10/2026, 09:00 - \x1b[2J\x1b]0;owned\x07Eve\x9b31m \u202eevil\x1b[0m: hi\n",
        encoding="utf-8",
    )
    args = ["import-chat", str(export), "--group", "General", str(backend_path), "--dry-run"]
    result = CliRunner().invoke(main, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Eve" in result.output and "evil" in result.output
    for code in ("\x1b", "\x9b", "\x07", "\u202e", "owned"):
        assert code not in result.output, repr(code)


def test_problems_and_usage_errors_are_printed_without_terminal_escapes(tmp_path: Path) -> None:
    sheet = ladder()
    sheet.members[0]["group"] = "\x1b[31mCore\x1b]8;;http://evil\x07"
    with pytest.raises(InvalidSheetError) as caught:
        load_community(sheet.workbook())  # as a Google Sheet hands the cell over
    out = io.StringIO()
    show_problems(Console(file=out, width=200), caught.value)
    assert '  Members!C2: group "Core" is not in Groups' in out.getvalue()
    path = tmp_path / "community.xlsx"
    save_raw(ladder().workbook(), path)
    export = tmp_path / "General.txt"
    export.write_text("13/10/2026, 09:00 - Eve: hi\n", encoding="utf-8")
    args = ["import-chat", str(export), "--group", "\x1b[2JNope", str(path)]
    wrong = CliRunner().invoke(main, args)
    assert wrong.exit_code == 2 and 'group "Nope" is not in Groups' in wrong.output
    assert "\x1b" not in out.getvalue() + wrong.output


def test_printable_strips_controls_and_keeps_emoji() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467 Mira \U0001f338\ufe0f"
    assert printable(f"\x1b[31m{family}\x1b[0m\r\x08\x00") == family
    assert printable("line one\n\tline two") == "line one\n\tline two"


# --- invisible characters in names ---------------------------------------------------


def test_a_group_with_a_zero_width_space_names_the_invisible_character() -> None:
    sheet = ladder()
    sheet.members[0]["group"] = "Core\u200b"
    (problem,) = problems_of(sheet)
    assert problem.endswith(
        '(did you mean "Core"? This value holds an invisible character: '
        '"Core[U+200B ZERO WIDTH SPACE]"; delete it)'
    )


def test_a_suggestion_with_an_invisible_character_shows_it() -> None:
    assert did_you_mean("General", ["Core", "General\u200b"]) == (
        ' (did you mean "General[U+200B ZERO WIDTH SPACE]"? '
        "The part in brackets is an invisible character in that name)"
    )
    assert did_you_mean("Genral", ["Core", "General"]) == ' (did you mean "General"?)'


def test_check_of_a_sheet_at_the_limits_is_valid() -> None:
    sheet = ladder()
    sheet.settings["cycle_days"] = 366
    sheet.post(sheet.members[0]["member_id"], messages=MAX_COUNT)
    assert check(MemoryBackend(sheet.workbook()), TODAY, clock=clock).members == 6
