"""The calendar of a sheet: processed windows as recorded, then back to back with the settings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from grouptier.cells import FIRST_DATE, LAST_DATE
from grouptier.schedule import NO_CYCLE, Calendar, Window, build_calendar, calendar_of
from grouptier.settings import Settings

NOV_1 = date(2026, 11, 1)
FIRST = Window(1, NOV_1, date(2026, 11, 15))
SECOND = Window(2, date(2026, 11, 16), date(2026, 11, 30))
ANCHOR_CELL = "Settings!B2"


def after_two_cycles(anchor: date = NOV_1, days: int = 15) -> Calendar:
    """Cycles 1 and 2 ran with 15 days from 2026-11-01; the settings now say `anchor`, `days`."""
    return build_calendar({1: FIRST, 2: SECOND}, anchor, days, ANCHOR_CELL)


def day(text: str) -> date:
    return date.fromisoformat(text)


def test_a_sheet_that_never_ran_counts_cycles_from_the_anchor() -> None:
    calendar = build_calendar({}, NOV_1, 15)
    assert calendar.window(1) == FIRST and calendar.window(3).start == day("2026-12-01")
    assert calendar.window(0) == Window(0, day("2026-10-17"), day("2026-10-31"))
    assert calendar.last_done is None and calendar.warnings == ()


def test_a_sheet_that_never_ran_has_only_its_latest_closed_cycle_due() -> None:
    calendar = build_calendar({}, NOV_1, 15)
    assert list(calendar.due(day("2026-11-15"))) == []
    assert list(calendar.due(day("2026-11-16"))) == [1]
    assert list(calendar.due(day("2026-12-20"))) == [3]
    assert calendar.next_window(day("2026-11-10")) == FIRST
    assert calendar.next_window(day("2026-12-20")).cycle == 3


def test_the_scenario_21_length_change_starts_the_day_after_the_last_cycle() -> None:
    calendar = after_two_cycles(days=30)
    assert calendar.window(3) == Window(3, day("2026-12-01"), day("2026-12-30"))
    assert calendar.window(4) == Window(4, day("2026-12-31"), day("2027-01-29"))
    assert calendar.window(2) == SECOND  # a processed cycle keeps its recorded window
    assert list(calendar.due(day("2026-12-30"))) == []
    assert list(calendar.due(day("2026-12-31"))) == [3]
    assert calendar.next_window(day("2026-12-06")) == calendar.window(3)
    assert calendar.warnings == ()


def test_every_cycle_closed_since_the_last_processed_one_is_due() -> None:
    calendar = after_two_cycles()
    assert list(calendar.due(day("2027-01-01"))) == [3, 4]
    assert calendar.latest_closed(day("2027-01-01")) == 4
    assert list(calendar.due(day("2026-11-20"))) == []  # a date before the last cycle ended


def test_days_map_to_cycles_over_recorded_and_coming_windows() -> None:
    calendar = after_two_cycles(days=30)
    days = ["2026-10-16", "2026-10-31", "2026-11-01", "2026-11-30", "2026-12-01", "2026-12-31"]
    cycles = calendar.cycles_of(np.array(days, dtype="datetime64[D]"))
    assert cycles.tolist() == [-1, 0, 1, 2, 3, 4]


def test_days_map_to_cycles_like_the_windows_say_for_a_million_dates() -> None:
    calendar = after_two_cycles(day("2027-01-10"), 7)
    rng = np.random.default_rng(5)
    dates = np.datetime64("2026-06-01") + rng.integers(0, 400, 1_000_000).astype("timedelta64[D]")
    cycles = calendar.cycles_of(dates)
    for number in range(-5, 12):
        window = calendar.window(number)
        inside = (dates >= np.datetime64(window.start)) & (dates <= np.datetime64(window.end))
        assert (cycles[inside] == number).all(), number
    skipped = (dates >= np.datetime64("2026-12-01")) & (dates <= np.datetime64("2027-01-09"))
    assert (cycles[skipped] == NO_CYCLE).all() and skipped.any()


def test_an_anchor_after_the_last_cycle_starts_the_next_one_with_a_warning() -> None:
    calendar = after_two_cycles(day("2027-01-10"))
    assert calendar.window(3) == Window(3, day("2027-01-10"), day("2027-01-24"))
    assert calendar.warnings == (
        "Settings!B2: cycle_anchor 2027-01-10 comes after the last processed cycle, "
        "cycle 2 (2026-11-16 to 2026-11-30), so 40 days (2026-12-01 to 2027-01-09) are skipped "
        "and not scored; cycle 3 starts on 2027-01-10",
    )
    assert list(calendar.due(day("2027-01-24"))) == []
    assert list(calendar.due(day("2027-01-25"))) == [3]
    # Skipped days wait for the next cycle: it is the current one, and nothing has closed.
    assert calendar.current(day("2026-12-20")) == calendar.window(3)
    assert calendar.latest_closed(day("2026-12-20")) == 2


def test_an_anchor_one_day_after_the_skip_warns_of_one_day() -> None:
    assert "so 1 day (2026-12-01) is skipped" in after_two_cycles(day("2026-12-02")).warnings[0]


def test_an_anchor_inside_processed_cycles_is_ignored_with_a_warning() -> None:
    third = Window(3, day("2026-12-01"), day("2026-12-15"))
    calendar = build_calendar({1: FIRST, 2: SECOND, 3: third}, day("2026-11-20"), 15, ANCHOR_CELL)
    assert calendar.window(4).start == day("2026-12-16")
    assert calendar.warnings == (
        "Settings!B2: cycle_anchor 2026-11-20 falls inside cycles already processed "
        "(cycle 2, 2026-11-16 to 2026-11-30); it is ignored: cycle 4 starts on 2026-12-16",
    )


def test_an_anchor_before_every_processed_cycle_is_ignored_with_a_warning() -> None:
    calendar = after_two_cycles(day("2026-10-20"))
    assert calendar.window(3).start == day("2026-12-01")
    assert calendar.warnings == (
        "Settings!B2: cycle_anchor 2026-10-20 is before the end of the cycles already "
        "processed (cycle 2 ended on 2026-11-30); it is ignored: cycle 3 starts on 2026-12-01",
    )


@pytest.mark.parametrize(
    "anchor",
    [NOV_1, day("2026-11-16"), day("2026-12-01"), day("2026-10-17")],
    ids=["origin", "start of cycle 2", "the day after", "start of cycle 0"],
)
def test_an_anchor_on_the_start_of_a_cycle_is_no_warning(anchor: date) -> None:
    calendar = after_two_cycles(anchor)
    assert calendar.warnings == () and calendar.window(3).start == day("2026-12-01")


def test_the_anchor_a_skip_moved_the_calendar_to_stays_quiet_once_processed() -> None:
    jumped = Window(3, day("2027-01-10"), day("2027-01-24"))
    calendar = build_calendar({1: FIRST, 2: SECOND, 3: jumped}, day("2027-01-10"), 30)
    assert calendar.warnings == ()
    assert calendar.window(4) == Window(4, day("2027-01-25"), day("2027-02-23"))
    assert calendar.cycles_of([day("2026-12-20")]).tolist() == [NO_CYCLE]


def test_rows_without_a_window_get_the_one_their_number_had() -> None:
    # Written before windows were recorded, with the anchor and length of the time.
    legacy = build_calendar({1: None, 2: None}, NOV_1, 15)
    assert legacy.done == (FIRST, SECOND)
    # Before the first recorded window they count back from it, whatever the length now is.
    third = Window(3, day("2026-12-01"), day("2026-12-15"))
    mixed = build_calendar({1: None, 2: None, 3: third}, NOV_1, 30)
    assert mixed.done == (FIRST, SECOND, third) and mixed.warnings == ()


def test_a_cycle_missing_from_runs_follows_the_one_before() -> None:
    fourth = Window(4, day("2026-12-16"), day("2026-12-30"))
    calendar = build_calendar({1: FIRST, 2: SECOND, 4: fourth}, NOV_1, 15)
    assert calendar.window(3) == Window(3, day("2026-12-01"), day("2026-12-15"))


def test_the_runs_table_gives_the_processed_windows() -> None:
    runs = pd.DataFrame(
        {
            "run_id": ["a", "b", "c", "d", "e"],
            "cycle": [1, 0, 2, 2, 3],
            "status": ["done", "invalid", "done", "done", "dry_run"],
            "window_start": [FIRST.start, None, SECOND.start, None, day("2026-12-01")],
            "window_end": [FIRST.end, None, SECOND.end, None, day("2026-12-30")],
        }
    )
    settings = Settings(cycle_anchor=NOV_1, cycle_days=30, cells={"cycle_anchor": "B2"})
    calendar = calendar_of(runs, settings)
    assert calendar.done == (FIRST, SECOND)  # the blank second row of cycle 2 loses nothing
    assert calendar.window(3) == Window(3, day("2026-12-01"), day("2026-12-30"))
    moved = calendar_of(
        runs, Settings(cycle_anchor=day("2026-11-20"), cells={"cycle_anchor": "B2"})
    )
    assert moved.warnings[0].startswith("Settings!B2: cycle_anchor 2026-11-20 falls inside")


def test_an_empty_runs_table_is_a_sheet_that_never_ran() -> None:
    calendar = calendar_of(pd.DataFrame(), Settings(cycle_anchor=NOV_1))
    assert calendar.done == () and calendar.window(1) == FIRST


def test_a_window_counts_its_days() -> None:
    assert FIRST.days == 15 and str(FIRST) == "cycle 1 (2026-11-01 to 2026-11-15)"
    assert Window(1, NOV_1, NOV_1 + timedelta(days=29)).days == 30


@pytest.mark.parametrize(
    "done",
    [
        {1: None, 2: None, 1_000_000: None},
        {1: None, 1_000_000: replace(SECOND, cycle=1_000_000)},
        {1: FIRST, 2: SECOND, 1_000_000: None},
    ],
    ids=["numbers-only", "huge-recorded", "huge-after-recorded"],
)
def test_a_cycle_number_typed_into_runs_never_overflows_the_dates(
    done: dict[int, Window | None],
) -> None:
    calendar = build_calendar(done, NOV_1, 15)
    assert all(FIRST_DATE <= window.start <= window.end <= LAST_DATE for window in calendar.done)
    assert calendar.window(calendar.next_cycle).start <= LAST_DATE + timedelta(days=15)
    assert calendar.warnings[0].startswith("Runs marks cycle ")
    assert "those rows are ignored" in calendar.warnings[0]


def test_a_typed_cycle_number_alone_leaves_a_sheet_that_never_ran() -> None:
    calendar = build_calendar({1_000_000: None}, NOV_1, 15)
    assert calendar.done == () and calendar.next_cycle == 1
    assert calendar.warnings == (
        "Runs marks cycle 1000000 as done, a number no cycle of this sheet can have (its days "
        "would lie outside 1900 to 2199); those rows are ignored",
    )
