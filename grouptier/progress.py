"""The cycle in progress: where each member stands if it ended today.

Members ask "where am I?" before the cycle ends, and nudges tell those close
to a move while there is time to act. Both come from the same rules run over
the days so far: the cycle's window cut at `today`, the activity counted so
far, the protections as they stand. So the figures are exactly what the
cycle would decide on the same data, and a member who stops posting sees the
relegation line come closer.

Pure: the loaded community and a date in; a provisional plan and per-member
standings out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from grouptier.community import Community
from grouptier.planning import plan_cycles
from grouptier.schedule import Window, calendar_of
from grouptier.tiers import CyclePlan

__all__ = ["Progress", "Standing", "cycle_so_far"]

UP = frozenset({"promote", "return"})


@dataclass(frozen=True)
class Standing:
    """One member in the cycle in progress."""

    member_id: str
    group: str
    rank: int
    of: int  # members ranked in the group
    score: float
    outcome: str  # the move the cycle would make today, or "stays"
    note: str
    to_promotion: float | None  # points more to reach the promotion line (None: no line)
    above_relegation: float | None  # points above the relegation line (None: no line)
    days_left: int


@dataclass(frozen=True)
class Progress:
    """The provisional plan of the cycle in progress, over its days so far."""

    window: Window  # the whole cycle
    so_far: Window  # its days up to today
    plan: CyclePlan

    @property
    def days_left(self) -> int:
        return (self.window.end - self.so_far.end).days

    def standing(self, member_id: str) -> Standing | None:
        """Where `member_id` stands, or None when they are not ranked (no group)."""
        board = self.plan.leaderboard
        row = board[board["member_id"] == member_id]
        if row.empty:
            return None
        member = row.iloc[0]
        group = board[board["group"] == member["group"]]
        return Standing(
            member_id,
            str(member["group"]),
            int(member["rank"]),
            len(group),
            float(member["score"]),
            str(member["outcome"]),
            str(member["note"]),
            _to_line(group, member, UP),
            _above_line(group, member),
            self.days_left,
        )


def cycle_so_far(community: Community, today: date) -> Progress:
    """The cycle holding `today`, planned over its days up to `today` (included)."""
    calendar = calendar_of(community.runs, community.settings)
    window = calendar.current(today)
    so_far = Window(window.cycle, window.start, max(window.start, min(today, window.end)))
    plans, _ = plan_cycles(community, [so_far])
    return Progress(window, so_far, plans[0])


def _to_line(group: pd.DataFrame, member: pd.Series, kinds: frozenset[str]) -> float | None:
    """Points `member` needs to reach the lowest score moving up from their group; 0 when in."""
    moving = group[group["outcome"].isin(kinds)]
    if moving.empty:
        return None
    if member["outcome"] in kinds:
        return 0.0
    return max(0.0, float(moving["score"].min()) - float(member["score"]))


def _above_line(group: pd.DataFrame, member: pd.Series) -> float | None:
    """Points `member` is above the highest score moving down from their group; 0 when in."""
    moving = group[group["outcome"] == "demote"]
    if moving.empty:
        return None
    if member["outcome"] == "demote":
        return 0.0
    return max(0.0, float(member["score"]) - float(moving["score"].max()))
