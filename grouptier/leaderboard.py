"""The Leaderboard of the last processed cycle, restored when it went missing.

On a Google Sheet the Leaderboard is written after the cycle's atomic batch,
in pieces (it is too big for one request). When those pieces fail for good,
the cycle stands but its Leaderboard is empty, and no later run has a cycle
due to fill it. So a run that finds the last done cycle without its
Leaderboard replays that cycle (`cycle.restored_board`): the members as that
cycle found them (its moves undone, `members_before`), the same rules, the
same window, the data as it stands now.
"""

from __future__ import annotations

import pandas as pd

from grouptier.sheet import LEADERBOARD, RawWorkbook

__all__ = ["board_is_missing", "members_before"]

_MOVING = ("promote", "demote", "return")


def board_is_missing(raw: RawWorkbook) -> bool:
    """True when the Leaderboard tab is absent or holds no row under its header."""
    tab = raw.find(LEADERBOARD.name)
    return tab is None or not any(
        any(cell not in (None, "") for cell in row) for row in tab.rows[1:]
    )


def members_before(members: pd.DataFrame, moves: pd.DataFrame, cycle: int) -> pd.DataFrame:
    """The members as cycle `cycle` found them: its moves undone where they still stand.

    A member a manager has moved again since keeps their current group; a
    reward is undone by taking the group back out of `extra_groups`.
    """
    groups = members["group"].to_numpy(dtype=object, copy=True)
    extras = members["extra_groups"].to_numpy(dtype=object, copy=True)
    at = {member_id: position for position, member_id in enumerate(members["member_id"])}
    for move in moves[moves["cycle"] == cycle].itertuples():
        position = at.get(move.member_id)
        if position is None:
            continue
        if move.kind in _MOVING and groups[position] == move.to_group:
            groups[position] = move.from_group
        elif move.kind == "reward":
            extras[position] = tuple(name for name in extras[position] if name != move.to_group)
    return members.assign(
        group=pd.Series(groups, members.index, members["group"].dtype), extra_groups=extras
    )
