"""Nudges: on day `nudge_day` of a cycle, a private message to members close to a move."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, SheetBuilder
from test_cycle import save

from grouptier.backends.xlsx import XlsxBackend
from grouptier.community import load_community
from grouptier.cycle import RunOptions, run
from grouptier.errors import InvalidSheetError
from grouptier.message_samples import dotted_names, sample_contexts
from grouptier.messages import Renderer
from grouptier.nudges import nudges_for
from grouptier.outbox import compose_outbox, read_messages
from grouptier.progress import cycle_so_far

FIXED = datetime(2026, 10, 16, 6, 0, tzinfo=UTC)
NUDGE_DAY = TODAY + timedelta(days=4)  # day 5 of cycle 4 (2026-10-16 to 2026-10-30)


@pytest.fixture
def community(sheet: SheetBuilder, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """Cycle 3 processed (Dani moved up); in cycle 4 so far: Bea 9 messages, Eli 3, Caio none."""
    sheet.settings["nudge_day"] = 5
    sheet.active_member("Core", score_days=3)
    sheet.member("Core")
    people = {
        "bea": sheet.member("General", name="Bea Ramos"),
        "eli": sheet.member("General", name="Eli Costa"),
        "caio": sheet.member("General", name="Caio Lima"),
        "dani": sheet.member("General", name="Dani Souza"),
    }
    for person, member_id in people.items():  # cycle 3: nobody silent, Dani the most
        sheet.post(member_id, messages=5 if person == "dani" else 1)
    sheet.post(people["bea"], TODAY + timedelta(days=1), messages=9)  # cycle 4 so far
    sheet.post(people["eli"], TODAY + timedelta(days=2), messages=3)
    general = next(group for group in sheet.groups if group["name"] == "General")
    general["promote_top"] = 1
    path = tmp_path / "community.xlsx"
    run(save(sheet, path), RunOptions(today=TODAY), clock=lambda: FIXED)
    return path, people


def nudges_on(path: Path, day: date) -> list[dict[str, Any]]:
    run(XlsxBackend(path), RunOptions(today=day), clock=lambda: FIXED)
    tab = XlsxBackend(path).read().find("Messages")
    assert tab is not None
    header = [str(cell) for cell in tab.rows[0]]
    rows = [dict(zip(header, row, strict=False)) for row in tab.rows[1:]]
    return [row for row in rows if row["kind"] == "nudge"]


def test_members_close_to_a_move_get_their_own_figures_on_the_nudge_day(
    community: tuple[Path, dict[str, str]],
) -> None:
    path, people = community
    nudges = {row["member_id"]: row for row in nudges_on(path, NUDGE_DAY)}

    assert {people["eli"], people["caio"]} <= set(nudges)
    assert people["bea"] not in nudges  # moving up anyway
    assert people["dani"] not in nudges  # moved up last cycle: settling, not at risk
    eli = str(nudges[people["eli"]]["text"])
    assert eli.startswith("Hi Eli Costa 👋 You're 2nd in *General*, ")
    assert "away from the top spot, with 10 days to go" in eli and "*Core*" in eli
    caio = str(nudges[people["caio"]]["text"])
    assert "One message before 30 October keeps your seat" in caio  # the date in words
    for member_id in (people["eli"], people["caio"]):
        row = nudges[member_id]
        assert "Bea" not in str(row["text"])  # never anyone else's name or figures
        assert row["group"] == "General" and row["cycle"] in (None, "")


def test_no_nudges_on_other_days_and_none_twice(community: tuple[Path, dict[str, str]]) -> None:
    path, _ = community
    assert nudges_on(path, NUDGE_DAY - timedelta(days=1)) == []
    first = nudges_on(path, NUDGE_DAY)
    assert len(first) >= 2  # Eli, close to the top; Caio, silent
    assert nudges_on(path, NUDGE_DAY) == first  # a second run that day adds none
    assert nudges_on(path, NUDGE_DAY + timedelta(days=1)) == first


def test_a_nudge_day_the_cycle_never_reaches_is_a_problem(sheet: SheetBuilder) -> None:
    sheet.settings["nudge_day"] = 20  # cycles of 15 days
    sheet.active_member("General")
    with pytest.raises(InvalidSheetError, match=r"nudge_day: day 20 never comes in a cycle of 15"):
        load_community(sheet.workbook())


def test_a_nudge_has_exactly_the_variables_overrides_are_checked_against(
    community: tuple[Path, dict[str, str]],
) -> None:
    path, _ = community
    loaded = load_community(XlsxBackend(path).read())
    nudges = nudges_for(cycle_so_far(loaded, NUDGE_DAY))
    assert {nudge.context["direction"] for nudge in nudges} == {"up", "down"}
    seen: list[dict[str, Any]] = []

    class Recording(Renderer):
        def render(self, name: str, group: str, context: Any, language: str | None = None) -> str:
            seen.append(dict(context))
            return super().render(name, group, context, language)

    compose_outbox(loaded, read_messages(None), [], NUDGE_DAY, Recording(), nudges=nudges)
    real = {name for context in seen for name in dotted_names(context)}
    assert real == {name for context in sample_contexts("nudge") for name in dotted_names(context)}
