"""Cycle windows: fixed runs of `cycle_days` days counted from the anchor date.

Cycle 1 starts on the anchor; cycle n covers
`[anchor + (n-1)*days, anchor + n*days - 1]`, both ends included. A cycle is
complete once its last day is over, i.e. from the first day after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

import numpy as np

DayNumber = TypeVar("DayNumber", int, np.ndarray)


@dataclass(frozen=True)
class Window:
    """The days of one cycle, both ends included."""

    cycle: int
    start: date
    end: date

    def __str__(self) -> str:
        return f"cycle {self.cycle} ({self.start:%Y-%m-%d} to {self.end:%Y-%m-%d})"


def cycle_window(anchor: date, days: int, cycle: int) -> Window:
    """The window of cycle number `cycle`."""
    start = anchor + timedelta(days=(cycle - 1) * days)
    return Window(cycle, start, start + timedelta(days=days - 1))


def cycle_of(day: date, anchor: date, days: int) -> int:
    """The number of the cycle `day` falls in (0 or less before the anchor)."""
    return cycle_of_day_number((day - anchor).days, days)


def cycle_of_day_number(day_number: DayNumber, days: int) -> DayNumber:
    """The cycle of the day `day_number` days after the anchor; for a number or an array."""
    return day_number // days + 1


def latest_completed(today: date, anchor: date, days: int) -> int:
    """The last cycle whose window is over on `today` (0 when none is)."""
    return max(cycle_of(today, anchor, days) - 1, 0)


def due_cycles(today: date, anchor: date, days: int, last_done: int | None) -> list[int]:
    """Completed cycles not yet done, oldest first; on a new sheet only the latest one."""
    latest = latest_completed(today, anchor, days)
    if latest < 1:
        return []
    if last_done is None:
        return [latest]
    return list(range(last_done + 1, latest + 1))
