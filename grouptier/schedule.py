"""Cycle windows: the calendar of one sheet, from the cycles it has processed and its settings.

Cycles follow back to back. The windows already processed are the ones
`Runs` recorded; after the last of them (cycle N, ending on day E) cycle N+1
starts on E+1 and lasts the *current* `cycle_days`, and so on. Changing
`cycle_days` or `cycle_anchor` therefore never leaves a day unscored nor
scores one twice. The anchor places cycle 1 on a sheet that never ran; later
it only matters when moved past E+1: the next cycle then starts on it, and
the days in between belong to no cycle. An anchor moved into the processed
cycles is ignored, with a warning.

A cycle is complete once its last day is over, i.e. from the first day after it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from grouptier.cells import FIRST_DATE, LAST_DATE
from grouptier.settings import Settings

NO_CYCLE = np.iinfo(np.int64).min  # the cycle of a day skipped by an anchor moved forward
_ONE_DAY = timedelta(days=1)
_NP_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class Window:
    """The days of one cycle, both ends included."""

    cycle: int
    start: date
    end: date

    @property
    def days(self) -> int:
        """How many days the window holds."""
        return (self.end - self.start).days + 1

    def __str__(self) -> str:
        return f"cycle {self.cycle} ({self.start:%Y-%m-%d} to {self.end:%Y-%m-%d})"


def cycle_window(anchor: date, days: int, cycle: int) -> Window:
    """Cycle `cycle` of back-to-back cycles of `days` days, cycle 1 starting on `anchor`."""
    start = anchor + (cycle - 1) * timedelta(days=days)
    return Window(cycle, start, start + timedelta(days=days - 1))


@dataclass(frozen=True)
class Calendar:
    """Every cycle's window: `done` as recorded, then back to back from `next_start`.

    `done` holds the processed windows, one per cycle number with no number
    missing, oldest first. Cycles before the first of them are extended
    backwards with its length (on an old sheet: the first run processed only
    the latest cycle), cycles after the last one are `days` long each.
    """

    done: tuple[Window, ...]
    next_start: date  # the first day of the cycle after the last processed one
    days: int  # the current `cycle_days`: the length of every cycle still to come
    warnings: tuple[str, ...] = ()

    @property
    def last_done(self) -> Window | None:
        """The last processed window; None on a sheet that never ran."""
        return self.done[-1] if self.done else None

    @property
    def next_cycle(self) -> int:
        """The number of the first cycle not processed yet."""
        return self.done[-1].cycle + 1 if self.done else 1

    def window(self, cycle: int) -> Window:
        """The window of cycle number `cycle`: the recorded one once processed."""
        if not self.done or cycle >= self.next_cycle:
            start = self.next_start + (cycle - self.next_cycle) * timedelta(days=self.days)
            return Window(cycle, start, start + timedelta(days=self.days - 1))
        first = self.done[0]
        if cycle < first.cycle:
            start = first.start - (first.cycle - cycle) * timedelta(days=first.days)
            return Window(cycle, start, start + timedelta(days=first.days - 1))
        return self.done[cycle - first.cycle]

    def cycles_of(self, days: ArrayLike | Sequence[date]) -> np.ndarray:
        """The cycle of each day (datetime64, vectorised); NO_CYCLE for a day no cycle holds."""
        day = np.asarray(days, dtype="datetime64[D]")
        ahead = self.next_cycle + _days_from(self.next_start, day) // self.days
        if not self.done:
            return ahead
        first = self.done[0]
        at = np.searchsorted(self._starts, day, side="right") - 1
        before = first.cycle + _days_from(first.start, day) // first.days
        inside = np.where(day <= self._ends[np.maximum(at, 0)], first.cycle + at, NO_CYCLE)
        cycles: np.ndarray = np.where(
            day >= np.datetime64(self.next_start), ahead, np.where(at < 0, before, inside)
        )
        return cycles

    def current(self, today: date) -> Window:
        """The window holding `today`, or the next one when `today` belongs to no cycle."""
        return self.window(self._cycle_at(today))

    def latest_closed(self, today: date) -> int:
        """The last cycle whose window is over on `today` (0 or less when none is)."""
        return self._cycle_at(today) - 1

    def due(self, today: date) -> range:
        """The numbers of the cycles to process on `today`, oldest first.

        After the last processed cycle, every cycle closed since; on a sheet
        that never ran, only the latest closed one.
        """
        latest = self.latest_closed(today)
        if self.done:
            return range(self.next_cycle, latest + 1)
        return range(latest, latest + 1) if latest >= 1 else range(0)

    def next_window(self, today: date) -> Window:
        """The window the next run that processes a cycle takes first."""
        if self.done:
            return self.window(self.next_cycle)
        return self.window(max(self.latest_closed(today), 1))

    def _cycle_at(self, day: date) -> int:
        cycle = int(self.cycles_of([day])[0])
        if cycle != NO_CYCLE:
            return cycle
        # A day skipped by a moved anchor: the cycle that starts after it.
        return self.done[0].cycle + int(np.searchsorted(self._starts, np.datetime64(day, "D")))

    @cached_property
    def _starts(self) -> np.ndarray:
        return np.array([window.start for window in self.done], dtype="datetime64[D]")

    @cached_property
    def _ends(self) -> np.ndarray:
        return np.array([window.end for window in self.done], dtype="datetime64[D]")


def _days_from(start: date, days: np.ndarray) -> np.ndarray:
    since: np.ndarray = (days - np.datetime64(start, "D")) // _NP_DAY
    return since


def calendar_of(runs: pd.DataFrame, settings: Settings) -> Calendar:
    """The calendar of a sheet from its Runs table (done rows: cycle, window_start, window_end).

    Rows written before windows were recorded have no window: see `build_calendar`.
    """
    where = settings.where("cycle_anchor")
    return build_calendar(_done_windows(runs), settings.cycle_anchor, settings.cycle_days, where)


def _done_windows(runs: pd.DataFrame) -> dict[int, Window | None]:
    """Each processed cycle's recorded window, or None for a row that has none."""
    if runs.empty:
        return {}
    done = runs[(runs["status"] == "done") & (runs["cycle"] >= 1)]
    blank = pd.Series([None] * len(done), index=done.index, dtype=object)
    starts, ends = (done.get(name, blank) for name in ("window_start", "window_end"))
    windows: dict[int, Window | None] = {}
    for number, start, end in zip(done["cycle"].astype(int).tolist(), starts, ends, strict=True):
        window = Window(number, start, end) if _is_span(start, end) else None
        windows[number] = window or windows.get(number)  # a recorded window outlives a blank
    return windows


def _is_span(start: object, end: object) -> bool:
    return isinstance(start, date) and isinstance(end, date) and start <= end


def build_calendar(
    done: Mapping[int, Window | None], anchor: date, days: int, where: str = "Settings"
) -> Calendar:
    """The calendar after the processed cycles `done` (number → recorded window, or None).

    A cycle processed before windows were recorded gets the window its
    number had: counted back from the first recorded window, or from the
    anchor when none is recorded. `where` names the anchor's cell in warnings.
    """
    windows = _processed(done, anchor, days) if done else ()
    dropped = sorted(set(done) - {window.cycle for window in windows})
    warnings = [_dropped_warning(dropped)] if dropped else []
    if not windows:
        return Calendar((), anchor, days, tuple(warnings))
    after = windows[-1].end + _ONE_DAY
    calendar = Calendar(windows, max(anchor, after), days)
    return replace(calendar, warnings=(*warnings, *_anchor_warnings(calendar, anchor, where)))


def _dropped_warning(cycles: list[int]) -> str:
    shown = ", ".join(str(cycle) for cycle in cycles[:3]) + (" ..." if len(cycles) > 3 else "")
    return (
        f"Runs marks cycle {shown} as done, a number no cycle of this sheet can have "
        "(its days would lie outside 1900 to 2199); those rows are ignored"
    )


def _processed(done: Mapping[int, Window | None], anchor: date, days: int) -> tuple[Window, ...]:
    """The processed windows, cycle by cycle; none past the last date a sheet can hold.

    A cycle number so far from the others that its window would lie outside the
    dates a sheet can hold cannot be a real run (someone typed it into Runs):
    such cycles are dropped, and no date arithmetic overflows on them.
    """
    recorded = {cycle: window for cycle, window in done.items() if window is not None}
    if not recorded:
        reach = ((LAST_DATE - anchor).days + 1) // days  # the last cycle that ends in time
        last = min(max(done), reach)
        return tuple(cycle_window(anchor, days, cycle) for cycle in range(min(done), last + 1))
    first = recorded[min(recorded)]
    windows: list[Window] = []
    for cycle in range(min(done), max(done) + 1):
        if cycle in recorded:
            window = replace(recorded[cycle], cycle=cycle)
        elif cycle < first.cycle:
            if (first.start - FIRST_DATE).days < (first.cycle - cycle) * first.days:
                continue  # it would start before the first date a sheet can hold
            back = first.start - (first.cycle - cycle) * timedelta(days=first.days)
            window = Window(cycle, back, back + timedelta(days=first.days - 1))
        else:  # a row missing from Runs: the cycle followed the one before it
            before = windows[-1]
            if (LAST_DATE - before.end).days <= before.days:
                break
            start = before.end + _ONE_DAY
            window = Window(cycle, start, start + timedelta(days=before.days - 1))
        windows.append(window)
    return tuple(windows)


def _anchor_warnings(calendar: Calendar, anchor: date, where: str) -> tuple[str, ...]:
    """What a manager should hear about an anchor moved since the last processed cycle."""
    last = calendar.done[-1]
    upcoming = calendar.next_cycle
    after = last.end + _ONE_DAY
    if anchor > after:
        return (
            f"{where}: cycle_anchor {anchor:%Y-%m-%d} comes after the last processed cycle, "
            f"{last}, so {_skipped(after, anchor - _ONE_DAY)} and not scored; "
            f"cycle {upcoming} starts on {anchor:%Y-%m-%d}",
        )
    cycle = int(calendar.cycles_of([anchor])[0])
    if anchor == after or (cycle != NO_CYCLE and calendar.window(cycle).start == anchor):
        return ()  # unchanged: it starts a cycle (cycle 1, or the cycle it moved the calendar to)
    ignored = f"it is ignored: cycle {upcoming} starts on {after:%Y-%m-%d}"
    if cycle != NO_CYCLE and cycle >= calendar.done[0].cycle:
        inside = calendar.window(cycle)
        return (
            f"{where}: cycle_anchor {anchor:%Y-%m-%d} falls inside cycles already processed "
            f"(cycle {cycle}, {_span(inside.start, inside.end)}); {ignored}",
        )
    return (
        f"{where}: cycle_anchor {anchor:%Y-%m-%d} is before the end of the cycles already "
        f"processed (cycle {last.cycle} ended on {last.end:%Y-%m-%d}); {ignored}",
    )


def _skipped(first: date, last: date) -> str:
    """`40 days (2026-12-01 to 2027-01-09) are skipped`."""
    count = (last - first).days + 1
    if count == 1:
        return f"1 day ({first:%Y-%m-%d}) is skipped"
    return f"{count} days ({_span(first, last)}) are skipped"


def _span(first: date, last: date) -> str:
    """`2026-12-01 to 2026-12-05`, or `2026-12-01` for one day."""
    return f"{first:%Y-%m-%d}" if first == last else f"{first:%Y-%m-%d} to {last:%Y-%m-%d}"
