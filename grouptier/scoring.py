"""Activity scores: what each member did in one cycle's window, and the score it earns.

`score_members` returns one row per member (left members included), in the
order of `members`, with the columns

    member_id, messages, messages_counted, active_days, content, invites,
    rows, score

`messages_counted` applies the per-day cap to a member's total of the day
(all rows of that day together), so flooding one day buys at most the cap.
A row with several `active_days` (a hand-entered summary) may count up to
the cap for each of its days. Blank `active_days` counts the row's day as
active when the row records any activity.

A cycle scores a million Activity rows, so the work is done on numpy arrays:
each row gets a slot (one member on one day), the slots are summed with
`bincount`, and the cap is applied per slot.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from grouptier.schedule import Window
from grouptier.settings import Settings

FIGURES = ["messages", "messages_counted", "active_days", "content", "invites", "rows"]
ONE_DAY = np.timedelta64(1, "D")
_SUMMED = ("messages", "content", "invites")
_COUNTS = (*_SUMMED, "active_days")


def score_members(
    members: pd.DataFrame,
    activity: pd.DataFrame,
    history: pd.DataFrame,
    window: Window,
    settings: Settings,
) -> pd.DataFrame:
    """Per-member figures and score for `window` (activity rows plus rolled-up history)."""
    ids = pd.Index(members["member_id"])
    inside = _rows_in(activity["date"], window)
    # A Series, not its numpy array: pandas would guess the array's text storage afresh,
    # and a guess unlike the index's makes the lookup several times slower.
    who = ids.get_indexer(activity["member_id"].iloc[inside])
    rows = inside[who >= 0]  # rows of ids no longer in Members count for nobody
    days = (window.end - window.start).days + 1
    member_days = who[who >= 0] * days + day_numbers(
        activity["date"].to_numpy()[rows], window.start
    )
    slots, occupied = _numbered(member_days, len(ids) * days)
    counts = {name: activity[name].to_numpy()[rows] for name in _COUNTS}
    daily = daily_totals(slots, len(occupied), counts, settings.daily_message_cap)
    members_of = occupied // days
    figures = {name: _summed(members_of, totals, len(ids)) for name, totals in daily.items()}
    _add_history(figures, ids, history[history["cycle"] == window.cycle])
    scores = pd.DataFrame({"member_id": ids, **figures})
    scores["score"] = _weighted(scores, settings)
    return scores


def _rows_in(dates: pd.Series, window: Window) -> np.ndarray:
    days = dates.to_numpy()
    inside = (days >= np.datetime64(window.start)) & (days <= np.datetime64(window.end))
    return np.flatnonzero(inside)


def _numbered(keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Each key's slot among the keys that occur (0, 1, ...), and the key of each slot.

    Keys are below `size`; marking them in a flag array numbers them without a sort,
    and the slot arrays stay as small as the member-days that have activity.
    """
    occurs = np.zeros(size, dtype=bool)
    occurs[keys] = True
    slot_of_key = np.cumsum(occurs) - 1
    return slot_of_key[keys], np.flatnonzero(occurs)


def daily_totals(
    slots: np.ndarray, size: int, rows: Mapping[str, ArrayLike], cap: int
) -> dict[str, np.ndarray]:
    """The FIGURES of each slot (one member on one day, numbered 0 to `size` - 1), capped.

    `slots` gives each row of `rows` (the Activity columns `_COUNTS`) its
    slot; every slot gets a total, 0 when no row has it.
    """
    counts = {name: np.asarray(rows[name], dtype="int64") for name in _SUMMED}
    given = np.asarray(rows["active_days"], dtype="float64")  # blank: NaN
    any_activity = (counts["messages"] + counts["content"] + counts["invites"]) > 0
    active = np.where(np.isnan(given), any_activity, given).astype("int64")
    totals = {name: _summed(slots, values, size) for name, values in counts.items()}
    # A day is active once, however many rows record it: the largest claim of its rows.
    totals["active_days"] = np.zeros(size, dtype="int64")
    np.maximum.at(totals["active_days"], slots, active)
    totals["rows"] = np.bincount(slots, minlength=size)
    day_cap = cap * np.maximum(totals["active_days"], 1)
    totals["messages_counted"] = np.minimum(totals["messages"], day_cap)
    return {name: totals[name] for name in FIGURES}


def _summed(slots: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    # bincount sums in float64, exact for any count below 2**53.
    return np.bincount(slots, weights=values, minlength=size).astype("int64")


def _add_history(figures: dict[str, np.ndarray], ids: pd.Index, rolled: pd.DataFrame) -> None:
    """Add the cycle's History rows (activity already rolled up) to each member's figures."""
    if rolled.empty:
        return
    who = ids.get_indexer(rolled["member_id"])
    known = who >= 0
    for name in FIGURES:
        values = rolled[name].to_numpy("int64")[known]
        figures[name] += _summed(who[known], values, len(ids))


def day_numbers(days: ArrayLike, since: date) -> np.ndarray:
    """Each datetime64 day as its number of days after `since`."""
    numbers: np.ndarray = (np.asarray(days) - np.datetime64(since)) // ONE_DAY
    return numbers


def _weighted(figures: pd.DataFrame, settings: Settings) -> pd.Series:
    score = (
        settings.weight_messages * figures["messages_counted"]
        + settings.weight_active_days * figures["active_days"]
        + settings.weight_content * figures["content"]
        + settings.weight_invites * figures["invites"]
    )
    return score.round(6)
