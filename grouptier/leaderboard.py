"""The Leaderboard: the last `leaderboard_keep_cycles` processed cycles, newest first.

Each processed cycle puts its ranking on top and drops the cycles past the
number kept, so a manager can look a few cycles back without a replay. The
tab is the tool's own; its rows are carried over as the sheet holds them.

A run that finds the last done cycle missing from the Leaderboard (cleared by
hand, or undone and written again) replays that cycle (`cycle.restored_board`):
the members as that cycle found them (its moves undone, `members_before`),
the same rules, the same window, the data as it stands now.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from grouptier.backends.base import Record
from grouptier.cells import CellError, CellValue, normalise, parse_count
from grouptier.sheet import LEADERBOARD, RawWorkbook

__all__ = ["board_rows", "has_cycle", "kept_board", "members_before", "without_cycle"]

_MOVING = ("promote", "demote", "return")


def kept_board(raw: RawWorkbook) -> list[Record]:
    """The Leaderboard's rows as the sheet holds them, keyed by the contract's columns."""
    tab = raw.find(LEADERBOARD.name)
    if tab is None or not tab.rows:
        return []
    known = {normalise(column.name): column.name for column in LEADERBOARD.columns}
    positions = {
        known[normalise(str(cell))]: index
        for index, cell in enumerate(tab.rows[0])
        if isinstance(cell, str) and normalise(cell) in known
    }
    return [
        {name: row[index] if index < len(row) else None for name, index in positions.items()}
        for row in tab.rows[1:]
        if any(cell not in (None, "") for cell in row)
    ]


def has_cycle(board: list[Record], cycle: int) -> bool:
    """Whether the Leaderboard holds any row of `cycle`."""
    return any(_cycle_of(row.get("cycle")) == cycle for row in board)


def board_rows(new: Iterable[list[Record]], old: list[Record], keep: int) -> list[Record]:
    """The Leaderboard after adding the cycles `new` (oldest first): newest first, `keep` cycles.

    Rows of a cycle written again (after an undo) replace that cycle's old rows.
    """
    fresh = [rows for rows in new if rows]
    numbers = {_cycle_of(rows[0].get("cycle")) for rows in fresh}
    rows = [row for rows in reversed(fresh) for row in rows]
    rows += [row for row in old if _cycle_of(row.get("cycle")) not in numbers]
    kept: list[int] = []
    for row in rows:
        number = _cycle_of(row.get("cycle"))
        if number not in kept:
            kept.append(number)
    allowed = set(kept[:keep])
    return [row for row in rows if _cycle_of(row.get("cycle")) in allowed]


def without_cycle(board: list[Record], cycle: int) -> list[Record]:
    """The Leaderboard's rows of every cycle but `cycle` (an undone one)."""
    return [row for row in board if _cycle_of(row.get("cycle")) != cycle]


def _cycle_of(value: CellValue) -> int:
    try:
        return parse_count(value)
    except CellError:
        return 0


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
