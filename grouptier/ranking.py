"""The ranking rule: members ordered within their group, and who may not be moved down.

`rank_members` orders each group by score, then active days, then content
posts (higher first), then the earlier join date, then member id; the tier
rules walk that order. It works on numpy arrays: a cycle ranks tens of
thousands of members.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from grouptier.schedule import Window
from grouptier.settings import Settings

LAST_JOIN = 10**9  # members without a join date rank after every dated one


def rank_members(members: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """Members still in the community with their figures, ranked within their group.

    The ranking rule: score, then active days, then content posts (higher
    first), then the earlier join date, then member id. The roster comes
    sorted by group, then rank.
    """
    roster = members[members["status"].to_numpy() != "left"].reset_index(drop=True)
    found = pd.Index(scores["member_id"]).get_indexer(roster["member_id"])
    for name in scores.columns.drop("member_id"):
        roster[name] = np.append(scores[name].to_numpy(), 0)[found]  # not scored (-1): 0
    roster["join_key"] = _join_keys(roster["joined_on"])
    group_code = pd.factorize(roster["group"], sort=True)[0]
    keys = [group_code, *(-roster[name].to_numpy() for name in ("score", "active_days", "content"))]
    order = _ranking_order([*keys, roster["join_key"].to_numpy()], roster["member_id"].to_numpy())
    roster = roster.take(order).reset_index(drop=True)
    starts, sizes = runs_of(group_code[order])
    roster["rank"] = np.arange(len(roster)) - np.repeat(starts, sizes) + 1
    roster["group_size"] = np.repeat(sizes, sizes)
    return roster


def _ranking_order(keys: list[np.ndarray], ids: np.ndarray) -> np.ndarray:
    """Positions sorted by `keys` (the first one first), member id deciding what they tie."""
    order: np.ndarray = np.lexsort(keys[::-1])
    ranked = [key[order] for key in keys]
    tied_with_next = np.logical_and.reduce([key[1:] == key[:-1] for key in ranked])
    if not tied_with_next.any():
        return order
    # Sorting ids is the slow part: sort only the spots in runs of equal keys, by run and
    # then id. Runs are contiguous, so each run stays in its own spots.
    run = np.cumsum(np.concatenate(([True], ~tied_with_next)))
    spots = np.flatnonzero(np.append(tied_with_next, False) | np.insert(tied_with_next, 0, False))
    # As fixed-width numpy text, ids sort in C, in the same code-point order as Python's.
    id_order = np.argsort(ids[order[spots]].astype(str), kind="stable")
    id_rank = np.empty_like(id_order)
    id_rank[id_order] = np.arange(len(id_order))
    order[spots] = order[spots[np.lexsort((id_rank, run[spots]))]]
    return order


def runs_of(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each run of equal, adjacent codes starts, and its length."""
    starts = np.flatnonzero(np.diff(codes, prepend=-1) != 0) if len(codes) else codes
    sizes = np.diff(np.append(starts, len(codes)))
    return starts, sizes


def _join_keys(joined_on: pd.Series) -> np.ndarray:
    """Each join date as a day number, `LAST_JOIN` where there is none."""
    # A few hundred distinct dates among tens of thousands of members: convert each once.
    codes, days = pd.factorize(joined_on)
    keys = [day.toordinal() if isinstance(day, date) else LAST_JOIN for day in days]
    by_member: np.ndarray = np.array([*keys, LAST_JOIN], dtype="int64")[codes]  # -1: no date
    return by_member


def protections(roster: pd.DataFrame, window: Window, settings: Settings) -> list[str]:
    """Why each member may not be moved down ('' when nothing protects them).

    In order of precedence: staff, KOL, locked, paused, newcomer, settling
    after a move up (roster column `settling`), and incomplete data (`held`).
    """
    reasons = [""] * len(roster)
    for column in ("held", "settling"):
        for position, note in _notes(roster, column).items():
            reasons[position] = note
    for position, note in _newcomers(roster["joined_on"], window, settings).items():
        reasons[position] = note
    for position, note in _paused(roster, window).items():
        reasons[position] = note
    # Few members are protected: find them with whole-column tests, then write their reason.
    for column, reason in (("locked", "locked by a manager"), ("kol", "KOL")):
        for position in np.flatnonzero(roster[column].to_numpy(dtype=bool)).tolist():
            reasons[position] = reason
    roles = roster["role"]
    for position in np.flatnonzero((roles != "").to_numpy(dtype=bool)).tolist():
        reasons[position] = f"staff ({roles.iloc[position]})"
    return reasons


def _notes(roster: pd.DataFrame, column: str) -> dict[int, str]:
    """The roster's non-blank notes of `column` by position (none when it has no such column)."""
    if column not in roster:
        return {}
    values = roster[column].tolist()
    return {at: str(note) for at, note in enumerate(values) if isinstance(note, str) and note}


def _newcomers(joined_on: pd.Series, window: Window, settings: Settings) -> dict[int, str]:
    """Members who joined after the window's first day or within the grace period of its end."""
    codes, days = pd.factorize(joined_on)  # each distinct join date is checked once
    grace = settings.newcomer_grace_days
    notes = [_newcomer_note(day, window, grace) if isinstance(day, date) else "" for day in days]
    return _by_code(codes, notes)


def _newcomer_note(joined: date, window: Window, grace: int) -> str:
    """`newcomer until 2026-12-20 (joined 2026-12-06)` ('' for a member of long standing).

    Protected in the cycle they joined, and in every cycle ending within
    `grace` days of joining.
    """
    until = joined + timedelta(days=grace - 1)
    if joined > window.start and until < window.end:
        return f"newcomer: joined {joined:%Y-%m-%d}, after this cycle began"
    if until >= window.end:
        return f"newcomer until {until:%Y-%m-%d} (joined {joined:%Y-%m-%d})"
    return ""


def _paused(roster: pd.DataFrame, window: Window) -> dict[int, str]:
    """Members paused until the window's last day or later."""
    if "paused_until" not in roster:
        return {}
    codes, days = pd.factorize(roster["paused_until"])
    notes = [
        f"paused until {day:%Y-%m-%d}" if isinstance(day, date) and day >= window.end else ""
        for day in days
    ]
    return _by_code(codes, notes)


def _by_code(codes: np.ndarray, notes: list[str]) -> dict[int, str]:
    """The non-blank note of each position, given each position's code into `notes`."""
    by_code = np.array([*notes, ""], dtype=object)  # code -1 (a blank cell): no note
    noted = np.flatnonzero(by_code[codes] != "")
    return {int(at): str(by_code[codes[at]]) for at in noted}
