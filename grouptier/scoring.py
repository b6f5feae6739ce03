"""Activity scores: what each member did in one cycle's window, and the score it earns.

`score_members` returns one row per member (left members included) with the
columns

    member_id, messages, messages_counted, active_days, content, invites,
    rows, score

`messages_counted` applies the per-day cap to a member's total of the day
(all rows of that day together), so flooding one day buys at most the cap.
A row with several `active_days` (a hand-entered summary) may count up to
the cap for each of its days. Blank `active_days` counts the row's day as
active when the row records any activity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from grouptier.schedule import Window
from grouptier.settings import Settings

FIGURES = ["messages", "messages_counted", "active_days", "content", "invites", "rows"]
_USED = ["member_id", "date", "messages", "active_days", "content", "invites"]


def score_members(
    members: pd.DataFrame,
    activity: pd.DataFrame,
    history: pd.DataFrame,
    window: Window,
    settings: Settings,
) -> pd.DataFrame:
    """Per-member figures and score for `window` (activity rows plus rolled-up history)."""
    # Compare the raw object array: pandas' own comparison of object columns costs
    # several times more, and only the columns the totals use are copied.
    dates = activity["date"].to_numpy()
    in_window = activity.loc[(dates >= window.start) & (dates <= window.end), _USED]
    daily = daily_totals(in_window, settings.daily_message_cap)
    figures = daily.groupby("member_id", sort=False)[FIGURES].sum()
    rolled = history[history["cycle"] == window.cycle]
    if not rolled.empty:
        rolled = rolled.groupby("member_id", sort=False)[FIGURES].sum()
        figures = figures.add(rolled, fill_value=0)
    scores = (
        pd.DataFrame({"member_id": members["member_id"]})
        .merge(figures, how="left", left_on="member_id", right_index=True)
        .fillna(dict.fromkeys(FIGURES, 0))
        .astype(dict.fromkeys(FIGURES, "int64"))
    )
    scores["score"] = _weighted(scores, settings)
    return scores.reset_index(drop=True)


def daily_totals(
    rows: pd.DataFrame, cap: int, by: tuple[str, ...] = ("member_id",)
) -> pd.DataFrame:
    """One row per `by` and day, the cap applied to the day's messages."""
    counts = rows[[*by, "date", "messages", "content", "invites"]].copy()
    any_activity = (counts["messages"] + counts["content"] + counts["invites"]) > 0
    given = pd.to_numeric(rows["active_days"], errors="coerce").to_numpy("float64", na_value=np.nan)
    counts["active_days"] = np.where(np.isnan(given), any_activity, given).astype("int64")
    counts["rows"] = 1
    # One grouper for both aggregations: factorising the keys is most of the cost.
    grouped = counts.groupby([*by, "date"], sort=False)
    daily = grouped[["messages", "content", "invites", "rows"]].sum()
    daily.insert(1, "active_days", grouped["active_days"].max())
    day_cap = cap * np.maximum(daily["active_days"].to_numpy(), 1)
    daily["messages_counted"] = np.minimum(daily["messages"].to_numpy(), day_cap)
    return daily.reset_index()


def _weighted(figures: pd.DataFrame, settings: Settings) -> pd.Series:
    score = (
        settings.weight_messages * figures["messages_counted"]
        + settings.weight_active_days * figures["active_days"]
        + settings.weight_content * figures["content"]
        + settings.weight_invites * figures["invites"]
    )
    return score.round(6)
