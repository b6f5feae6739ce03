"""Whole runs on a real workbook: due cycles, reruns, dry runs, several cycles, roll-up."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from conftest import ANCHOR, TODAY, WINDOW, SheetBuilder

from grouptier.backends.xlsx import XlsxBackend, create_workbook
from grouptier.community import load_community
from grouptier.cycle import RunOptions, apply_moves, plan_cycles, run
from grouptier.errors import UsageError
from grouptier.schedule import cycle_window
from grouptier.sheet import RawWorkbook

FIXED = datetime(2026, 10, 16, 6, 0, tzinfo=ZoneInfo("UTC"))


def clock() -> datetime:
    return FIXED


def save(sheet: SheetBuilder, path: Path) -> XlsxBackend:
    """Write the built community to a real .xlsx file."""
    raw = sheet.workbook()
    rows = {}
    for name, tab in raw.tabs.items():
        header = [str(cell) for cell in tab.rows[0]]
        rows[name] = [dict(zip(header, row, strict=True)) for row in tab.rows[1:]]
    create_workbook(path, rows)
    return XlsxBackend(path)


def tab_values(workbook: RawWorkbook, name: str) -> list[list[object]]:
    tab = workbook.find(name)
    return tab.rows if tab else []


@pytest.fixture
def ladder(sheet: SheetBuilder) -> SheetBuilder:
    """A small community where cycle 3 moves someone in every direction."""
    sheet.active_member("Core", score_days=3)
    sheet.member("Core")  # inactive: moves down to General
    top = sheet.member("General")
    sheet.post(top, messages=30, content=6, invites=5)
    sheet.active_member("General", score_days=2)
    for _ in range(3):
        sheet.member("General")  # inactive: move down to Retention
    sheet.active_member("Retention", score_days=1)  # reactivated: comes back
    return sheet


def test_a_due_cycle_is_applied_and_logged(ladder: SheetBuilder, tmp_path: Path) -> None:
    backend = save(ladder, tmp_path / "c.xlsx")
    report = run(backend, RunOptions(today=TODAY), clock=clock)
    assert report.status == "done" and report.written
    counts = report.move_counts()
    assert counts["promote"] == 2 and counts["demote"] == 4 and counts["return"] == 1
    community = load_community(backend.read())
    groups = dict(zip(community.members["member_id"], community.members["group"], strict=True))
    for move in report.plans[0].moves.query("kind in ['promote', 'demote', 'return']").itertuples():
        assert groups[move.member_id] == move.to_group
    runs = community.runs
    assert list(runs["cycle"]) == [WINDOW.cycle] and list(runs["status"]) == ["done"]
    moves = tab_values(backend.read(), "Moves")
    assert len(moves) == 1 + len(report.plans[0].moves)
    board = tab_values(backend.read(), "Leaderboard")
    assert len(board) == 1 + len(community.members)


def test_a_second_run_writes_nothing(ladder: SheetBuilder, tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    backend = save(ladder, path)
    run(backend, RunOptions(today=TODAY), clock=clock)
    after_first = path.read_bytes()
    again = run(backend, RunOptions(today=TODAY + timedelta(days=3)), clock=clock)
    assert again.status == "nothing_due" and not again.written
    assert path.read_bytes() == after_first
    assert again.note.startswith(
        f"Nothing to do: cycle 3 ({WINDOW.start} to {WINDOW.end}) was already done on"
    )
    assert "the next cycle closes at the end of 2026-10-30" in again.note


def test_dry_run_writes_nothing(ladder: SheetBuilder, tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    backend = save(ladder, path)
    before = path.read_bytes()
    report = run(backend, RunOptions(today=TODAY, dry_run=True), clock=clock)
    assert report.status == "dry_run" and len(report.plans[0].moves) > 0
    assert path.read_bytes() == before


def test_a_past_cycle_can_be_replayed_only_as_a_dry_run_of_a_closed_cycle(
    ladder: SheetBuilder, tmp_path: Path
) -> None:
    backend = save(ladder, tmp_path / "c.xlsx")
    report = run(backend, RunOptions(today=TODAY, dry_run=True, cycle=2), clock=clock)
    assert report.plans[0].window.cycle == 2
    with pytest.raises(UsageError, match="cycle 4 has not closed yet"):
        run(backend, RunOptions(today=TODAY, dry_run=True, cycle=4), clock=clock)


def test_missed_cycles_are_processed_in_order(ladder: SheetBuilder, tmp_path: Path) -> None:
    ladder.runs.append(
        {"run_id": "old", "cycle": 1, "status": "done", "finished_at": "2026-09-16 06:00:00"}
    )
    backend = save(ladder, tmp_path / "c.xlsx")
    report = run(backend, RunOptions(today=TODAY), clock=clock)
    assert [plan.window.cycle for plan in report.plans] == [2, 3]
    runs = load_community(backend.read()).runs
    assert list(runs["cycle"]) == [1, 2, 3]
    # Cycle 2 had no activity at all: no demotions, and the next cycle starts from its result.
    assert report.plans[0].moves.query("kind == 'demote'").empty


def test_on_a_new_sheet_only_the_latest_closed_cycle_runs(
    ladder: SheetBuilder, tmp_path: Path
) -> None:
    backend = save(ladder, tmp_path / "c.xlsx")
    report = run(backend, RunOptions(today=TODAY + timedelta(days=20)), clock=clock)
    assert [plan.window.cycle for plan in report.plans] == [4]


def test_nothing_has_closed_before_the_first_cycle_ends(
    ladder: SheetBuilder, tmp_path: Path
) -> None:
    backend = save(ladder, tmp_path / "c.xlsx")
    report = run(backend, RunOptions(today=ANCHOR + timedelta(days=3)), clock=clock)
    assert report.status == "nothing_due"
    assert report.note == "No cycle has closed yet; the next cycle closes at the end of 2026-09-15."


def test_proposals_only_when_apply_moves_is_no(ladder: SheetBuilder, tmp_path: Path) -> None:
    ladder.settings["apply_moves"] = "no"
    backend = save(ladder, tmp_path / "c.xlsx")
    before = load_community(backend.read()).members["group"].tolist()
    report = run(backend, RunOptions(today=TODAY), clock=clock)
    assert report.move_counts()["promote"] == 2
    community = load_community(backend.read())
    assert community.members["group"].tolist() == before
    assert len(tab_values(backend.read(), "Moves")) == 1 + len(report.plans[0].moves)


def test_rewards_are_written_to_extra_groups(sheet: SheetBuilder, tmp_path: Path) -> None:
    sheet.active_member("Core")
    general = [sheet.active_member("General", score_days=5) for _ in range(3)]
    writer = sheet.member("General")
    sheet.post(writer, content=2)
    backend = save(sheet, tmp_path / "c.xlsx")
    run(backend, RunOptions(today=TODAY), clock=clock)
    members = load_community(backend.read()).members.set_index("member_id")
    assert members.loc[writer, "extra_groups"] == ("Core",)
    assert members.loc[writer, "group"] == "General"
    assert all(members.loc[member_id, "group"] == "Core" for member_id in general)


def test_old_activity_is_rolled_up_without_changing_any_total(
    sheet: SheetBuilder, tmp_path: Path
) -> None:
    member_id = sheet.member("General")
    sheet.active_member("Core", score_days=2)
    for cycle in (1, 2, 3):
        start = cycle_window(ANCHOR, 15, cycle).start
        sheet.post(member_id, start, messages=70, content=1)  # capped at 50
        sheet.post(member_id, start, messages=5, invites=1, group="General")
        sheet.post(member_id, start + timedelta(days=1), messages=4)
    backend = save(sheet, tmp_path / "c.xlsx")
    before = load_community(backend.read())
    run(backend, RunOptions(today=TODAY), clock=clock)
    after = load_community(backend.read())
    first_kept = cycle_window(ANCHOR, 15, 2).start  # two cycles kept
    assert after.activity["date"].min().date() == first_kept
    assert len(after.activity) == len(before.activity) - 3
    history = after.history
    assert list(history["cycle"]) == [1] and list(history["group"]) == ["General"]
    assert history["messages"].sum() == 79 and history["messages_counted"].sum() == 54
    old = plan_cycles(before, [cycle_window(ANCHOR, 15, 1)])[0][0].leaderboard.set_index(
        "member_id"
    )
    new = plan_cycles(after, [cycle_window(ANCHOR, 15, 1)])[0][0].leaderboard.set_index("member_id")
    figures = ["score", "messages", "messages_counted", "active_days", "content", "invites"]
    assert old.loc[member_id, figures].tolist() == new.loc[member_id, figures].tolist()


def test_invalid_sheet_is_logged_once_and_nothing_else_changes(
    sheet: SheetBuilder, tmp_path: Path
) -> None:
    sheet.member("Genral")
    backend = save(sheet, tmp_path / "c.xlsx")
    before = backend.read()
    with pytest.raises(Exception, match="Genral"):
        run(backend, RunOptions(today=TODAY), clock=clock)
    after = backend.read()
    for name in before.tabs:
        if name not in ("Runs", "Status"):
            assert tab_values(after, name) == tab_values(before, name), name
    runs = tab_values(after, "Runs")
    assert len(runs) == 2 and runs[1][5] == "invalid" and "Members!C2" in str(runs[1][7])
    assert tab_values(after, "Status")[1][1:3] == ["invalid", None]


def test_the_date_defaults_to_today_in_the_community_time_zone(
    ladder: SheetBuilder, tmp_path: Path
) -> None:
    ladder.settings["time_zone"] = "Pacific/Auckland"  # 13 hours ahead of UTC in October
    backend = save(ladder, tmp_path / "c.xlsx")
    late_evening_utc = datetime(
        2026, 10, 15, 12, 0, tzinfo=ZoneInfo("UTC")
    )  # already the 16th there
    report = run(backend, RunOptions(dry_run=True), clock=lambda: late_evening_utc)
    assert report.today == date(2026, 10, 16) and report.plans[0].window.cycle == 3


def test_applying_moves_changes_only_the_members_they_name() -> None:
    members = pd.DataFrame(
        {
            "member_id": ["a", "b", "c"],
            "group": ["General", "General", "Core"],
            "extra_groups": [(), ("Core",), ()],
        }
    )
    moves = pd.DataFrame(
        {
            "member_id": ["b", "a", "c"],
            "kind": ["promote", "reward", "suggest_kol"],
            "to_group": ["Core", "Core", ""],
        }
    )

    after = apply_moves(members, moves)

    assert after["group"].tolist() == ["General", "Core", "Core"]
    assert after["extra_groups"].tolist() == [("Core",), (), ()]
    assert members["group"].tolist() == ["General", "General", "Core"]  # the input is kept
    with pytest.raises(ValueError, match="not in the members table"):
        apply_moves(members, moves.assign(member_id=["b", "z", "c"]))
