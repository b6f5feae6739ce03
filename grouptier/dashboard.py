"""The Dashboard: one row per processed cycle, so managers see the community's shape over time.

Each processed cycle rewrites the tool tab `Dashboard` whole (nothing in it is
typed by hand), from tables the sheet already keeps:

- the windows of the cycles `Runs` marks done, and of the cycles being processed;
- `Members` as they are now, with the `Moves` log replayed backwards cycle by
  cycle (`leaderboard.members_before` undoes one cycle the same way) for the
  members in each group after each cycle;
- `Activity` and `History` for each member's counted messages per cycle (the
  daily cap applied, as the score counts them).

Columns (`FIXED_COLUMNS`, then one per group):

    cycle, window_start, window_end, promote, demote, return, reward,
    top20_share, returned_within_2, <group>...

Oldest cycle first: a chart reads the rows as a time series from left to
right, and with at most `DASHBOARD_CYCLES` rows the charts, which range over a
fixed block of rows, always hold the whole table. The fixed columns come first
so that their places never change (a chart points at them by position); the
group columns follow in ladder order, then any group no longer in `Groups`
that members were in during the cycles shown.

Who counts in a cycle: members not marked `left` who had joined by the
cycle's last day (a blank `joined_on` counts from the start). Members who
left are not known by date, so they drop out of every cycle shown.

A cycle is a loop step over a few thousand moves at most; everything per
member or per Activity row is done on whole arrays: 25,000 members over 50
cycles take 0.3 to 0.5 s (`benchmarks/bench_dashboard.py`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from grouptier.backends.base import Record
from grouptier.cells import normalise
from grouptier.community import Community
from grouptier.history import member_days
from grouptier.schedule import Window, calendar_of
from grouptier.settings import Settings
from grouptier.sheet import DASHBOARD
from grouptier.tiers import CyclePlan
from grouptier.tool_logs import MOVE_LOG_COLUMNS

__all__ = [
    "DASHBOARD_CYCLES",
    "FIXED_COLUMNS",
    "dashboard_rows",
    "dashboard_table",
    "group_columns",
]

DASHBOARD_CYCLES = 200  # rows kept, newest cycles; the Google charts range over as many
MOVE_KINDS = ("promote", "demote", "return", "reward")
FIXED_COLUMNS = tuple(DASHBOARD.headers)  # cycle, window_start, window_end, MOVE_KINDS, ...
TOP_PART = 5  # the most active fifth: 20% of members
RETURN_CYCLES = 2
_MOVING = ("promote", "demote", "return")


def dashboard_rows(community: Community, plans: Sequence[CyclePlan]) -> list[Record]:
    """The Dashboard's rows after a run that processed `plans` (oldest first)."""
    settings = community.settings
    new_moves = [plan.moves[list(MOVE_LOG_COLUMNS)] for plan in plans]
    moves = pd.concat([community.moves, *new_moves], ignore_index=True)
    members = community.members
    if settings.apply_moves and new_moves:
        members = members.assign(group=_groups_after(members, pd.concat(new_moves)))
    done = {window.cycle: window for window in calendar_of(community.runs, settings).done}
    done.update({plan.window.cycle: plan.window for plan in plans})
    windows = [done[cycle] for cycle in sorted(done)][-DASHBOARD_CYCLES:]
    table = dashboard_table(
        members,
        community.groups,
        moves,
        activity=community.activity,
        history=community.history,
        windows=windows,
        settings=settings,
    )
    return [_record(row) for row in table.to_dict("records")]


def group_columns(groups: pd.DataFrame) -> list[str]:
    """The Dashboard's column for each group (`name`, `level`), in ladder order.

    A group named like a fixed column ("Return") gets " (group)" after its
    name, so that the two columns stay apart.
    """
    return [_column_of(name) for name in _ladder(groups)]


def _ladder(groups: pd.DataFrame) -> list[str]:
    """Group names by level, core first; groups of one level in the order Groups lists them."""
    names = groups.sort_values("level", kind="stable")["name"].astype(str).tolist()
    return [name for name in names if name]


def dashboard_table(
    members: pd.DataFrame,
    groups: pd.DataFrame,
    moves: pd.DataFrame,
    *,
    activity: pd.DataFrame,
    history: pd.DataFrame,
    windows: Sequence[Window],
    settings: Settings,
) -> pd.DataFrame:
    """One row per window of `windows` (processed cycles, oldest first): the Dashboard's columns.

    `members` are as they are now, `moves` the whole log (cycle, member_id,
    kind, from_group, to_group) including the cycles just planned.
    """
    if not windows:
        return pd.DataFrame(columns=[*FIXED_COLUMNS, *group_columns(groups)])
    cycles = pd.Index([window.cycle for window in windows], name="cycle")
    table = pd.DataFrame(
        {
            "window_start": [window.start for window in windows],
            "window_end": [window.end for window in windows],
        },
        index=cycles,
    )
    table = table.join(_move_counts(moves, cycles))
    present = _Present(members, windows)
    table["top20_share"] = _top_shares(present, activity, history, windows, settings)
    table["returned_within_2"] = _returns(moves, groups, cycles)
    sizes = _group_sizes(present, moves, groups, windows)
    table = table.join(sizes)
    return table.reset_index()[[*FIXED_COLUMNS, *sizes.columns]]


class _Present:
    """Which members count in a cycle: not `left`, joined by the window's last day."""

    def __init__(self, members: pd.DataFrame, windows: Sequence[Window]) -> None:
        self.members = members
        self.index = pd.Index(members["member_id"])
        self.active = (members["status"] != "left").to_numpy()
        self.joined = pd.to_datetime(members["joined_on"], errors="coerce").to_numpy(
            "datetime64[D]"
        )
        self.ends = np.array([window.end for window in windows], dtype="datetime64[D]")

    def mask(self, at: int) -> np.ndarray:
        """The members counted in the `at`-th window."""
        joined_by = np.isnat(self.joined) | (self.joined <= self.ends[at])
        mask: np.ndarray = self.active & joined_by
        return mask

    def counts(self) -> np.ndarray:
        """How many members count in each window."""
        blank = int((self.active & np.isnat(self.joined)).sum())
        dated = np.sort(self.joined[self.active & ~np.isnat(self.joined)])
        counts: np.ndarray = blank + np.searchsorted(dated, self.ends, side="right")
        return counts

    def of_rows(self, member_ids: pd.Series, at: np.ndarray) -> np.ndarray:
        """Whether each (member, `at`-th window) counts; ids not in Members do not."""
        where = self.index.get_indexer(member_ids)
        known = where >= 0
        safe = np.where(known, where, 0)
        joined = self.joined[safe]
        joined_by = np.isnat(joined) | (joined <= self.ends[at])
        counted: np.ndarray = known & self.active[safe] & joined_by
        return counted


def _move_counts(moves: pd.DataFrame, cycles: pd.Index) -> pd.DataFrame:
    """Moves of each kind per cycle (suggest_kol is a suggestion, not a move)."""
    wanted = moves[moves["kind"].isin(MOVE_KINDS) & moves["cycle"].isin(cycles)]
    counts = wanted.groupby(["cycle", "kind"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=cycles, columns=list(MOVE_KINDS), fill_value=0)
    return counts.fillna(0).astype("int64")


def _top_shares(
    present: _Present,
    activity: pd.DataFrame,
    history: pd.DataFrame,
    windows: Sequence[Window],
    settings: Settings,
) -> np.ndarray:
    """The share of each cycle's counted messages written by its most active fifth (NaN: none).

    The fifth is of the cycle's members (those counted, plus anyone else who
    wrote that cycle), rounded up: 1 of 5, 2 of 6.
    """
    counted = _counted_messages(activity, history, windows, settings)
    shares = np.full(len(windows), np.nan)
    if counted.empty:
        return shares
    writers_out = ~present.of_rows(counted["member_id"], counted["at"].to_numpy())
    extra = np.bincount(counted["at"], weights=writers_out, minlength=len(windows))
    members = present.counts() + extra.astype("int64")
    top = -(-members // TOP_PART)  # rounded up, in whole numbers
    ranked = counted.sort_values(["at", "messages_counted"], ascending=[True, False])
    rank = ranked.groupby("at").cumcount().to_numpy()
    at = ranked["at"].to_numpy()
    values = ranked["messages_counted"].to_numpy("float64")
    total = np.bincount(at, weights=values, minlength=len(windows))
    best = np.bincount(at, weights=np.where(rank < top[at], values, 0.0), minlength=len(windows))
    written = total > 0
    shares[written] = np.round(best[written] / total[written], 4)
    return shares


def _counted_messages(
    activity: pd.DataFrame, history: pd.DataFrame, windows: Sequence[Window], settings: Settings
) -> pd.DataFrame:
    """`at` (the window's position), member_id, messages_counted > 0: a row per writer and cycle."""
    starts = np.array([window.start for window in windows], dtype="datetime64[D]")
    ends = np.array([window.end for window in windows], dtype="datetime64[D]")
    days = activity["date"].to_numpy().astype("datetime64[D]")
    at = np.searchsorted(starts, days, side="right") - 1
    inside = (at >= 0) & (days <= ends[np.maximum(at, 0)])
    parts = []
    if inside.any():
        rows = activity[inside].assign(cycle=at[inside])
        daily = member_days(rows, settings)  # the cap applies per member and day
        parts.append(daily.rename(columns={"cycle": "at"})[["at", "member_id", "messages_counted"]])
    position = {window.cycle: i for i, window in enumerate(windows)}
    cycles = pd.to_numeric(history["cycle"], errors="coerce")
    rolled = history[cycles.isin(list(position))]
    if not rolled.empty:
        rolled_at = cycles[rolled.index].astype("int64").map(position)
        parts.append(
            pd.DataFrame(
                {
                    "at": rolled_at.to_numpy(),
                    "member_id": rolled["member_id"].to_numpy(),
                    "messages_counted": rolled["messages_counted"].to_numpy("int64"),
                }
            )
        )
    if not parts:
        return pd.DataFrame({"at": [], "member_id": [], "messages_counted": []})
    summed = pd.concat(parts).groupby(["at", "member_id"], sort=False)["messages_counted"].sum()
    summed = summed[summed > 0].reset_index()
    return summed.astype({"at": "int64"})


def _returns(moves: pd.DataFrame, groups: pd.DataFrame, cycles: pd.Index) -> list[int | None]:
    """Of each cycle's members moved down to Retention, how many `return`ed within two cycles.

    None (blank) while the two following cycles have not been processed, and on
    a ladder without a retention level (returns need three levels or more).
    """
    unknown: list[int | None] = [None] * len(cycles)
    bottom = int(groups["level"].max()) if not groups.empty else 0
    if bottom <= 2 or cycles.empty:
        return unknown
    retention = set(groups.loc[groups["level"] == bottom, "name"])
    down = moves[(moves["kind"] == "demote") & moves["to_group"].isin(retention)]
    back = moves[moves["kind"] == "return"]
    pairs = down[["cycle", "member_id"]].merge(
        back[["cycle", "member_id"]], on="member_id", suffixes=("", "_back")
    )
    gap = pairs["cycle_back"] - pairs["cycle"]
    came_back = pairs[(gap >= 1) & (gap <= RETURN_CYCLES)].drop_duplicates(["cycle", "member_id"])
    counts = came_back.groupby("cycle").size().reindex(cycles, fill_value=0)
    known = cycles + RETURN_CYCLES <= cycles.max()
    return [int(n) if ok else None for n, ok in zip(counts, known, strict=True)]


def _group_sizes(
    present: _Present, moves: pd.DataFrame, groups: pd.DataFrame, windows: Sequence[Window]
) -> pd.DataFrame:
    """Members counted in each group after each window's cycle, the moves log undone backwards.

    A move is undone only where it still stands (the member is in its
    `to_group`), as `leaderboard.members_before` does: a member moved by hand
    since keeps the group they are in.
    """
    ladder = _ladder(groups)
    moving = moves[moves["kind"].isin(_MOVING)]
    seen = {*present.members["group"], *moving["from_group"], *moving["to_group"]}
    gone = seen - set(ladder)
    names = pd.Index(ladder + sorted(name for name in gone if isinstance(name, str) and name))
    codes = names.get_indexer(present.members["group"])
    where = present.index.get_indexer(moving["member_id"])
    steps = moving.assign(
        at=where,
        source=names.get_indexer(moving["from_group"]),
        to=names.get_indexer(moving["to_group"]),
    )
    steps = steps[(steps["at"] >= 0) & (steps["source"] >= 0) & (steps["to"] >= 0)]
    by_cycle = {int(cycle): part for cycle, part in steps.groupby("cycle")}
    position = {window.cycle: i for i, window in enumerate(windows)}
    sizes = np.zeros((len(windows), len(names)), dtype="int64")
    first = min(position, default=0)
    for cycle in sorted({*position, *(c for c in by_cycle if c >= first)}, reverse=True):
        if cycle in position:
            counted = codes[present.mask(position[cycle]) & (codes >= 0)]
            sizes[position[cycle]] = np.bincount(counted, minlength=len(names))
        part = by_cycle.get(cycle)
        if part is not None:
            _undo(codes, part)
    keep = [i for i in range(len(names)) if i < len(ladder) or sizes[:, i].any()]
    columns = [_column_of(str(names[i])) for i in keep]
    cycles = pd.Index([window.cycle for window in windows], name="cycle")
    return pd.DataFrame(sizes[:, keep], index=cycles, columns=columns)


def _undo(codes: np.ndarray, part: pd.DataFrame) -> None:
    """Put back the members one cycle's moves (`part`) moved, where the move still stands."""
    at = part["at"].to_numpy()
    stands = codes[at] == part["to"].to_numpy()
    codes[at[stands]] = part["source"].to_numpy()[stands]


def _groups_after(members: pd.DataFrame, moves: pd.DataFrame) -> np.ndarray:
    """Each member's group once `moves` (oldest first) are applied; a member's last move wins."""
    groups = members["group"].to_numpy(dtype=object, copy=True)
    moving = moves[moves["kind"].isin(_MOVING)].drop_duplicates("member_id", keep="last")
    at = pd.Index(members["member_id"]).get_indexer(moving["member_id"])
    known = at >= 0
    groups[at[known]] = moving["to_group"].to_numpy(dtype=object)[known]
    moved: np.ndarray = groups
    return moved


def _column_of(group: str) -> str:
    fixed = {normalise(name) for name in FIXED_COLUMNS}
    return f"{group} (group)" if normalise(group) in fixed else group


def _record(row: dict[str, object]) -> Record:
    """A table row as sheet cells: plain ints and floats, blank for NaN."""
    record: Record = {}
    for name, value in row.items():
        if isinstance(value, float | np.floating) and np.isnan(value):
            record[name] = None
        elif isinstance(value, np.integer):
            record[name] = int(value)
        elif isinstance(value, np.floating):
            record[name] = float(value)
        else:
            record[name] = value  # type: ignore[assignment]
    return record
