"""Which days of a cycle each group's activity covers, judged from the `Imports` tab.

Missing data is not inactivity: a group whose imports leave more than
`coverage_slack_days` of a cycle's window uncovered, at its end or inside it,
has nobody moved down in that cycle (SCENARIOS.md 15). Every chat import
records the first and last day of its export in `Imports`; managers who type
activity by hand add a row with `source` = `manual` for the days they typed.
Activity rows alone never prove coverage: a hand-typed summary row dated on
the last day of a cycle says nothing about the days before it. A group with
no `Imports` row at all is judged by the older rule instead (no activity at
all in the window means its export was not imported).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from grouptier.schedule import Window

Days = tuple[date, date]  # a run of days, both ends included
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Gap:
    """Days of one cycle that no import of `group` covers."""

    group: str
    window: Window
    missing: tuple[Days, ...]

    @property
    def days(self) -> int:
        """How many days of the window are uncovered."""
        return sum((last - first).days + 1 for first, last in self.missing)

    def what_is_missing(self) -> str:
        """`no activity after 2026-12-05`, `no activity from 2026-12-03 to 2026-12-06`, ..."""
        start, end = self.window.start, self.window.end
        if self.missing == ((start, end),):
            return f"no export covers {_day(start)} to {_day(end)}"
        parts = []
        for first, last in self.missing:
            if last == end:
                parts.append(f"no activity after {_day(first - ONE_DAY)}")
            elif first == start:
                parts.append(f"no activity before {_day(last + ONE_DAY)}")
            else:
                parts.append(f"no activity from {_day(first)} to {_day(last)}")
        return "; ".join(parts)

    def to_import(self) -> str:
        """`2026-12-06 to 2026-12-15` (and further runs, comma separated)."""
        return ", ".join(f"{_day(first)} to {_day(last)}" for first, last in self.missing)

    def __str__(self) -> str:
        return (
            f"{self.group}: {self.what_is_missing()}; import an export covering "
            f"{self.to_import()} — nobody in {self.group} was moved down this cycle"
        )


def coverage_gaps(imports: pd.DataFrame, window: Window, slack_days: int) -> tuple[Gap, ...]:
    """Groups whose `Imports` rows leave more than `slack_days` days of `window` uncovered.

    `imports` has the columns `group`, `first_day`, `last_day` (dates). Groups
    with no row at all are not judged here (they keep the older rule).
    """
    gaps = []
    for group, rows in imports.groupby("group", sort=True):
        covered = zip(rows["first_day"], rows["last_day"], strict=True)
        missing = uncovered(covered, window)
        gap = Gap(str(group), window, missing)
        if gap.days > slack_days:
            gaps.append(gap)
    return tuple(gaps)


def uncovered(covered: Iterable[Days], window: Window) -> tuple[Days, ...]:
    """The runs of days of `window` outside every run of `covered`, in order."""
    missing = []
    cursor = window.start  # the first day not yet known to be covered
    for first, last in sorted(covered):
        if last < cursor:
            continue
        if first > window.end:
            break
        if first > cursor:
            missing.append((cursor, first - ONE_DAY))
        cursor = last + ONE_DAY
    if cursor <= window.end:
        missing.append((cursor, window.end))
    return tuple(missing)


def _day(day: date) -> str:
    return f"{day:%Y-%m-%d}"
