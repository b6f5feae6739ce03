"""Keep the Activity tab small: sum old rows into one History row per member and cycle.

Google Sheets stops at 10 million cells per spreadsheet, and a community that
imports daily activity adds tens of thousands of rows a cycle. Rows older
than the cycles the rules still look at are summed per member and cycle
(with the daily message cap already applied), so every total the rules use
stays exactly the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from grouptier.schedule import cycle_of_day_number, cycle_window
from grouptier.scoring import FIGURES, daily_totals, day_numbers
from grouptier.settings import Settings

HISTORY_COLUMNS = ["cycle", "window_start", "window_end", "member_id", "group", *FIGURES]


@dataclass(frozen=True)
class Rollup:
    """Activity rows to remove and the History rows that replace them."""

    removed_rows: list[int]
    history: pd.DataFrame


def roll_up(activity: pd.DataFrame, latest_done: int, settings: Settings) -> Rollup:
    """Sum the rows dated before the cycles that `activity_keep_cycles` keeps."""
    first_kept = latest_done - settings.activity_keep_cycles + 1
    cutoff = cycle_window(settings.cycle_anchor, settings.cycle_days, first_kept).start
    old = activity[activity["date"].to_numpy() < np.datetime64(cutoff)]
    if old.empty:
        return Rollup([], pd.DataFrame(columns=HISTORY_COLUMNS))
    days = settings.cycle_days
    summed = _member_days(old, settings).groupby(["cycle", "member_id"], sort=True)[FIGURES].sum()
    summed = summed.reset_index()
    summed["group"] = (
        _groups_of(old, settings)
        .reindex(pd.MultiIndex.from_frame(summed[["cycle", "member_id"]]), fill_value="")
        .to_numpy()
    )
    cycles = summed["cycle"].tolist()
    windows = [cycle_window(settings.cycle_anchor, days, cycle) for cycle in cycles]
    summed["window_start"] = [window.start for window in windows]
    summed["window_end"] = [window.end for window in windows]
    return Rollup(sorted(int(row) for row in old["sheet_row"]), summed[HISTORY_COLUMNS])


def _member_days(rows: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """One row per member and day that `rows` cover: its cycle, member id and capped FIGURES."""
    who, member_ids = pd.factorize(rows["member_id"])
    day = day_numbers(rows["date"], settings.cycle_anchor)
    first, span = int(day.min()), int(day.max() - day.min()) + 1
    # Only the member-days that occur get a slot: old rows may span years.
    occurring, slots = np.unique(who * span + (day - first), return_inverse=True)
    totals = daily_totals(slots, len(occurring), rows, settings.daily_message_cap)
    cycles = cycle_of_day_number(occurring % span + first, settings.cycle_days)
    return pd.DataFrame({"cycle": cycles, "member_id": member_ids[occurring // span], **totals})


def _groups_of(rows: pd.DataFrame, settings: Settings) -> pd.Series:
    """The groups each member's rows of a cycle were counted in, e.g. `General A, General B`."""
    named = rows[rows["group"].fillna("") != ""]
    days = day_numbers(named["date"], settings.cycle_anchor)
    cycles = cycle_of_day_number(days, settings.cycle_days)
    return (
        named.assign(cycle=cycles)
        .groupby(["cycle", "member_id"])["group"]
        .agg(lambda groups: ", ".join(sorted(set(groups))))
    )
