"""What the rules know about members beyond one window's scores.

The tier rules rank on the window's activity alone; to be fair they also need
to know (SCENARIOS.md 15-19):

- when each member was last active, in Activity or History, so the longest
  silent go first among the equally quiet;
- who moved up or came back from Retention in the last `settle_cycles`
  cycles, so nobody is sent straight back down;
- which groups' imports leave the window uncovered, and who was counted in
  them, so nobody is moved down on missing data.

`gather_evidence` is pure: tables and a window in, an `Evidence` out;
`with_evidence` adds what it says of each member to the ranked roster.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from grouptier.coverage import Gap, coverage_gaps
from grouptier.ranking import LAST_JOIN
from grouptier.schedule import Window
from grouptier.settings import Settings

UPWARD = ("promote", "return")
_PAST = {"promote": "promoted", "return": "returned"}
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()  # datetime64 day 0 as a date ordinal


@dataclass(frozen=True)
class Evidence:
    """Per-member facts by member id, and the window's coverage gaps.

    - last_active: the last day with any activity up to the window's end, as a date
      ordinal (0: never active)
    - settling: why a member who moved up lately is not moved down yet
    - held: why a member counted in a group with a gap is not moved down
    """

    last_active: pd.Series = field(default_factory=lambda: pd.Series(dtype="int64"))
    settling: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))
    held: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))
    gaps: tuple[Gap, ...] = ()


def gather_evidence(
    window: Window,
    settings: Settings,
    *,
    members: pd.DataFrame,
    activity: pd.DataFrame,
    history: pd.DataFrame,
    moves: pd.DataFrame,
    imports: pd.DataFrame,
) -> Evidence:
    """The evidence for `window` from the sheet's tables (and the moves of earlier cycles)."""
    gaps = coverage_gaps(imports, window, settings.coverage_slack_days)
    return Evidence(
        last_active=last_active(members, activity, history, window),
        settling=settling(members, moves, window, settings.settle_cycles),
        held=held(members, activity, gaps, window),
        gaps=gaps,
    )


def last_active(
    members: pd.DataFrame, activity: pd.DataFrame, history: pd.DataFrame, window: Window
) -> pd.Series:
    """Each member's last day with any activity up to the window's end, by member id.

    Days are ordinals (`date.toordinal()`), 0 for a member never active. A
    History row stands for a whole rolled-up cycle: its last day is the latest
    the member can have been active in it.
    """
    ids = pd.Index(members["member_id"])
    last = np.zeros(len(ids) + 1, dtype="int64")  # the extra slot takes rows of unknown ids
    end = np.datetime64(window.end)
    for rows, column in ((activity, "date"), (history, "window_end")):
        days = pd.to_datetime(rows[column]).to_numpy().astype("datetime64[D]")
        found = _any_activity(rows) & ~np.isnat(days) & (days <= end)
        # A Series, not its numpy array: the lookup then keeps the index's text storage (fast).
        who = ids.get_indexer(rows["member_id"][found])
        np.maximum.at(last, who, days[found].astype("int64") + EPOCH_ORDINAL)
    return pd.Series(last[:-1], index=ids)


def _any_activity(rows: pd.DataFrame) -> np.ndarray:
    counts = sum(
        rows[name].to_numpy(dtype="float64") for name in ("messages", "content", "invites")
    )
    active_days = np.nan_to_num(rows["active_days"].to_numpy(dtype="float64"))
    found: np.ndarray = (counts > 0) | (active_days > 0)
    return found


def settling(members: pd.DataFrame, moves: pd.DataFrame, window: Window, cycles: int) -> pd.Series:
    """Members who moved up or came back in the last `cycles` cycles and are still there."""
    first = window.cycle - cycles
    recent = moves[
        moves["kind"].isin(UPWARD) & (moves["cycle"] >= first) & (moves["cycle"] < window.cycle)
    ]
    if recent.empty:
        return pd.Series(dtype=object)
    latest = recent.sort_values("cycle").drop_duplicates("member_id", keep="last")
    group_of = members.set_index("member_id")["group"]
    latest = latest[latest["member_id"].isin(group_of.index)]
    stayed = latest[latest["to_group"].to_numpy() == group_of[latest["member_id"]].to_numpy()]
    notes = [
        _settling_note(str(kind), int(cycle), window.cycle, cycles)
        for kind, cycle in zip(stayed["kind"], stayed["cycle"], strict=True)
    ]
    return pd.Series(notes, index=stayed["member_id"].to_numpy(), dtype=object)


def _settling_note(kind: str, moved_in: int, cycle: int, settle: int) -> str:
    """`returned last cycle; settles until the next one`."""
    when = "last cycle" if moved_in == cycle - 1 else f"in cycle {moved_in}"
    free_from = moved_in + settle + 1  # the first cycle they may be moved down in again
    until = "the next one" if free_from == cycle + 1 else f"cycle {free_from}"
    return f"{_PAST[kind]} {when}; settles until {until}"


def held(
    members: pd.DataFrame, activity: pd.DataFrame, gaps: tuple[Gap, ...], window: Window
) -> pd.Series:
    """Members of a group with a gap, or counted in one up to the window's end, and why."""
    if not gaps:
        return pd.Series(dtype=object)
    notes: dict[str, str] = {}
    days = activity["date"].to_numpy()
    for gap in gaps:
        missing = gap.what_is_missing()
        if len(missing) > 60:  # several gaps: the note stays one line of the Leaderboard
            missing = f"{gap.days} days of it not covered by an import"
        note = f"{gap.group}'s activity is incomplete this cycle ({missing})"
        counted = activity["member_id"][
            (activity["group"] == gap.group).to_numpy() & (days <= np.datetime64(window.end))
        ]
        inside = members["member_id"][members["group"] == gap.group]
        for member_id in (*inside.tolist(), *counted.unique().tolist()):
            notes.setdefault(str(member_id), note)
    return pd.Series(notes, dtype=object)


def with_evidence(roster: pd.DataFrame, evidence: Evidence) -> pd.DataFrame:
    """The roster with the columns the evidence gives each member.

    `last_active` is the ordinal of the last day with any activity (0: never);
    `quiet_key` orders the quiet, earliest first: that day, or the join date
    of someone never active (0 when neither is known: they go first).
    """
    ids = roster["member_id"]
    for column in ("settling", "held"):
        notes: pd.Series = getattr(evidence, column)
        roster[column] = notes.reindex(ids).fillna("").to_numpy() if len(notes) else ""
    last = evidence.last_active.reindex(ids).fillna(0).to_numpy(dtype="int64")
    joined = roster["join_key"].to_numpy()
    roster["last_active"] = last
    roster["quiet_key"] = np.where(last > 0, last, np.where(joined == LAST_JOIN, 0, joined))
    return roster
