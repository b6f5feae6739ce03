"""Whole runs on a real workbook: due cycles, reruns, dry runs, several cycles, roll-up."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pandas as pd
import pytest
from conftest import ANCHOR, TODAY, WINDOW, SheetBuilder

from grouptier.backends.base import Backend
from grouptier.backends.xlsx import XlsxBackend, create_workbook
from grouptier.community import load_community
from grouptier.cycle import Clock, RunOptions, apply_moves, check, plan_cycles, run
from grouptier.errors import InvalidSheetError, UsageError
from grouptier.schedule import Window, cycle_window
from grouptier.sheet import RawWorkbook

FIXED = datetime(2026, 10, 16, 6, 0, tzinfo=ZoneInfo("UTC"))


def clock() -> datetime:
    return FIXED


def save(sheet: SheetBuilder, path: Path) -> XlsxBackend:
    """Write the built community to a real .xlsx file."""
    return save_raw(sheet.workbook(), path)


def save_raw(raw: RawWorkbook, path: Path) -> XlsxBackend:
    """Write `raw`'s tabs, header row first, to a real .xlsx file."""
    rows = {}
    for name, tab in raw.tabs.items():
        header = [str(cell) for cell in tab.rows[0]]
        rows[name] = [dict(zip(header, row, strict=True)) for row in tab.rows[1:]]
    create_workbook(path, rows)
    return XlsxBackend(path)


def tab_values(workbook: RawWorkbook, name: str) -> list[list[object]]:
    tab = workbook.find(name)
    return tab.rows if tab else []


def at(day: date) -> Clock:
    """A clock that shows 06:00 UTC on `day`, when the scheduler runs."""
    moment = datetime.combine(day, time(6), tzinfo=UTC)
    return lambda: moment


def set_setting(path: Path, key: str, value: object) -> None:
    """Change one setting of a saved workbook, as a manager does in the Settings tab."""
    book = openpyxl.load_workbook(path)
    tab = book["Settings"]
    row = next(row for row in tab.iter_rows(min_row=2) if row[0].value == key)
    row[1].value = value
    book.save(path)


def run_windows(backend: Backend) -> list[Window]:
    """The window each done row of Runs records, in the order of the rows."""
    runs = load_community(backend.read()).runs
    done = runs[runs["status"] == "done"]
    rows = zip(done["cycle"], done["window_start"], done["window_end"], strict=True)
    return [Window(int(cycle), start, end) for cycle, start, end in rows]


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
    assert again.note.endswith("Next: cycle 4 (2026-10-16 to 2026-10-30), processed on 2026-10-31.")


def test_dry_run_writes_nothing(ladder: SheetBuilder, tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    backend = save(ladder, path)
    before = path.read_bytes()
    report = run(backend, RunOptions(today=TODAY, dry_run=True), clock=clock)
    assert report.status == "dry_run" and len(report.plans[0].moves) > 0
    assert path.read_bytes() == before


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
    later = FIXED + timedelta(days=20)  # --date may look one cycle ahead at most: move the clock
    report = run(backend, RunOptions(today=later.date()), clock=lambda: later)
    assert [plan.window.cycle for plan in report.plans] == [4]


def test_nothing_has_closed_before_the_first_cycle_ends(
    ladder: SheetBuilder, tmp_path: Path
) -> None:
    backend = save(ladder, tmp_path / "c.xlsx")
    report = run(backend, RunOptions(today=ANCHOR + timedelta(days=3)), clock=clock)
    assert report.status == "nothing_due"
    assert report.note == (
        "No cycle has closed yet. "
        "Next: cycle 1 (2026-09-01 to 2026-09-15), processed on 2026-09-16."
    )


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


# --- continuous cycles and no runaway catch-up (SCENARIOS.md 21 and 22) ------------------------


def day(text: str) -> date:
    return date.fromisoformat(text)


@pytest.fixture
def november(sheet: SheetBuilder) -> SheetBuilder:
    """Cycles of 15 days from 2026-11-01; someone active in each of the first three cycles."""
    sheet.settings["cycle_anchor"] = day("2026-11-01")
    sheet.post(sheet.member("Core"), day("2026-11-05"))
    member_id = sheet.member("General")
    for text in ("2026-11-05", "2026-11-20", "2026-12-10"):
        sheet.post(member_id, day(text), messages=3)
    return sheet


def test_scenario_21_a_new_cycle_length_starts_the_day_after_the_last_cycle(
    november: SheetBuilder, tmp_path: Path
) -> None:
    path = tmp_path / "c.xlsx"
    backend = save(november, path)
    run(backend, RunOptions(), clock=at(day("2026-11-16")))
    run(backend, RunOptions(), clock=at(day("2026-12-01")))
    set_setting(path, "cycle_days", 30)

    checked = check(backend, clock=at(day("2026-12-06")))
    assert checked.last_done == Window(2, day("2026-11-16"), day("2026-11-30"))
    assert checked.upcoming == Window(3, day("2026-12-01"), day("2026-12-30"))
    assert checked.processed_on == day("2026-12-31") and checked.due == 0
    assert not [text for text in checked.warnings if "cycle_anchor" in text]
    waiting = run(backend, RunOptions(), clock=at(day("2026-12-30")))
    assert waiting.status == "nothing_due"
    assert waiting.note.endswith(
        "Next: cycle 3 (2026-12-01 to 2026-12-30), processed on 2026-12-31."
    )
    report = run(backend, RunOptions(), clock=at(day("2026-12-31")))

    assert [plan.window for plan in report.plans] == [checked.upcoming]
    assert report.plans[0].leaderboard.set_index("member_id")["messages"].max() == 3
    assert run_windows(backend) == [
        Window(1, day("2026-11-01"), day("2026-11-15")),
        Window(2, day("2026-11-16"), day("2026-11-30")),
        Window(3, day("2026-12-01"), day("2026-12-30")),
    ]
    history = tab_values(backend.read(), "History")  # cycle 1 rolled up under its own window
    assert [row[:3] for row in history[1:]] == [[1, day("2026-11-01"), day("2026-11-15")]] * 2


def test_scenario_22_an_anchor_a_century_back_is_refused_naming_its_cell(
    ladder: SheetBuilder, tmp_path: Path
) -> None:
    ladder.settings["cycle_anchor"] = day("1900-01-01")
    backend = save(ladder, tmp_path / "c.xlsx")
    before = backend.read()
    with pytest.raises(InvalidSheetError) as caught:
        run(backend, RunOptions(today=TODAY), clock=clock)
    assert [str(problem) for problem in caught.value.problems] == [
        "Settings!B2: cycle_anchor 1900-01-01 is more than a year before 2026-10-16 and no "
        "cycle has run yet: is it a typo? Set it to the first day of cycle 1, within the last year"
    ]
    after = backend.read()
    for name in before.tabs:
        if name not in ("Runs", "Status"):
            assert tab_values(after, name) == tab_values(before, name), name
    runs = tab_values(after, "Runs")
    assert len(runs) == 2 and runs[1][5] == "invalid" and "Settings!B2" in str(runs[1][7])
    with pytest.raises(InvalidSheetError, match="Settings!B2: cycle_anchor 1900-01-01"):
        check(backend, clock=clock)


def test_an_anchor_less_than_a_year_back_runs_its_latest_cycle(
    ladder: SheetBuilder, tmp_path: Path
) -> None:
    ladder.settings["cycle_anchor"] = TODAY - timedelta(days=365)
    backend = save(ladder, tmp_path / "c.xlsx")
    report = run(backend, RunOptions(today=TODAY), clock=clock)
    assert [plan.window.cycle for plan in report.plans] == [24]


@pytest.fixture
def seven_behind(ladder: SheetBuilder) -> SheetBuilder:
    """Cycle 1 ran on 2026-09-16; by 2026-12-30 seven more cycles have closed."""
    ladder.runs.append(
        {
            "run_id": "old",
            "cycle": 1,
            "status": "done",
            "finished_at": "2026-09-16 06:00:00",
            "window_start": ANCHOR,
            "window_end": ANCHOR + timedelta(days=14),
        }
    )
    return ladder


def test_more_due_cycles_than_max_catch_up_cycles_are_refused(
    seven_behind: SheetBuilder, tmp_path: Path
) -> None:
    path = tmp_path / "c.xlsx"
    backend = save(seven_behind, path)
    with pytest.raises(InvalidSheetError) as caught:
        run(backend, RunOptions(), clock=at(day("2026-12-30")))
    assert [str(problem) for problem in caught.value.problems] == [
        "Settings!B25: 7 cycles are due (2026-09-16 to 2026-12-29), more than "
        "max_catch_up_cycles 6: raise max_catch_up_cycles to 7 to process them all, or move "
        "cycle_anchor forward to skip the days in between"
    ]
    assert len(run_windows(backend)) == 1  # the failure is logged, nothing is processed

    set_setting(path, "max_catch_up_cycles", 7)
    report = run(backend, RunOptions(), clock=at(day("2026-12-30")))
    assert [plan.window.cycle for plan in report.plans] == [2, 3, 4, 5, 6, 7, 8]


def test_moving_the_anchor_forward_skips_the_days_in_between(
    seven_behind: SheetBuilder, tmp_path: Path
) -> None:
    path = tmp_path / "c.xlsx"
    backend = save(seven_behind, path)
    set_setting(path, "cycle_anchor", day("2026-12-15"))
    report = run(backend, RunOptions(), clock=at(day("2026-12-30")))
    assert [plan.window for plan in report.plans] == [
        Window(2, day("2026-12-15"), day("2026-12-29"))
    ]
    assert report.warnings[0] == (
        "Settings!B2: cycle_anchor 2026-12-15 comes after the last processed cycle, "
        "cycle 1 (2026-09-01 to 2026-09-15), so 90 days (2026-09-16 to 2026-12-14) are skipped "
        "and not scored; cycle 2 starts on 2026-12-15"
    )
    later = run(backend, RunOptions(), clock=at(day("2027-01-14")))
    assert [plan.window.cycle for plan in later.plans] == [3]
    assert not [text for text in later.warnings if "cycle_anchor" in text]  # it starts cycle 2
    assert [window.start for window in run_windows(backend)] == [
        day("2026-09-01"),
        day("2026-12-15"),
        day("2026-12-30"),
    ]


def test_an_anchor_moved_into_processed_cycles_is_ignored_with_a_warning(
    november: SheetBuilder, tmp_path: Path
) -> None:
    path = tmp_path / "c.xlsx"
    backend = save(november, path)
    run(backend, RunOptions(), clock=at(day("2026-11-16")))
    run(backend, RunOptions(), clock=at(day("2026-12-01")))
    set_setting(path, "cycle_anchor", day("2026-11-20"))
    warning = (
        "Settings!B2: cycle_anchor 2026-11-20 falls inside cycles already processed "
        "(cycle 2, 2026-11-16 to 2026-11-30); it is ignored: cycle 3 starts on 2026-12-01"
    )
    assert warning in check(backend, clock=at(day("2026-12-06"))).warnings
    report = run(backend, RunOptions(), clock=at(day("2026-12-16")))
    assert [plan.window for plan in report.plans] == [
        Window(3, day("2026-12-01"), day("2026-12-15"))
    ]
    assert report.warnings[0] == warning


def test_a_date_more_than_one_cycle_ahead_is_refused_and_nothing_is_written(
    ladder: SheetBuilder, tmp_path: Path
) -> None:
    path = tmp_path / "c.xlsx"
    backend = save(ladder, path)
    before = path.read_bytes()
    with pytest.raises(UsageError) as caught:
        run(backend, RunOptions(today=day("2036-10-16")), clock=clock)
    assert str(caught.value) == (
        "--date 2036-10-16 is more than one cycle (15 days) after today (2026-10-16 in UTC); "
        "use a date up to 2026-10-31, or leave --date out"
    )
    assert path.read_bytes() == before
    with pytest.raises(UsageError, match="--date 2026-11-01 is more than one cycle"):
        check(backend, day("2026-11-01"), clock=clock)
    assert check(backend, day("2026-10-31"), clock=clock).upcoming is not None


def test_run_windows_are_read_leniently(sheet: SheetBuilder) -> None:
    sheet.runs += [
        {"run_id": "a", "cycle": 1, "status": "done", "window_start": ANCHOR, "window_end": "x"},
        {"run_id": "b", "cycle": 2, "status": "done", "window_start": "2026-09-16"},
        {"run_id": "c", "cycle": 3, "status": "done"},
    ]
    runs = load_community(sheet.workbook()).runs
    assert runs[["window_start", "window_end"]].to_numpy().tolist() == [
        [ANCHOR, None],
        [day("2026-09-16"), None],
        [None, None],
    ]
