"""Keep the Activity tab small: sum old rows into one History row per member and cycle.

Google Sheets stops at 10 million cells per spreadsheet, and a community that
imports daily activity adds tens of thousands of rows a cycle. Rows older
than the cycles the rules still look at are summed per member and cycle of
the sheet's calendar (with the daily message cap already applied), so every
total the rules use stays exactly the same. Rows of days no cycle holds (skipped
when the anchor was moved forward) count for no cycle and stay in Activity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from grouptier.schedule import NO_CYCLE, Calendar
from grouptier.scoring import FIGURES, daily_totals, day_numbers
from grouptier.settings import Settings

HISTORY_COLUMNS = ["cycle", "window_start", "window_end", "member_id", "group", *FIGURES]


@dataclass(frozen=True)
class Rollup:
    """Activity rows to remove and the History rows that replace them."""

    removed_rows: list[int]
    history: pd.DataFrame


def roll_up(
    activity: pd.DataFrame, calendar: Calendar, latest_done: int, settings: Settings
) -> Rollup:
    """Sum the rows dated before the cycles that `activity_keep_cycles` keeps."""
    first_kept = latest_done - settings.activity_keep_cycles + 1
    cutoff = calendar.window(first_kept).start
    dates = activity["date"].to_numpy()
    before = dates < np.datetime64(cutoff)
    cycles = calendar.cycles_of(dates[before])
    old = activity[before].assign(cycle=cycles)[cycles != NO_CYCLE]
    if old.empty:
        return Rollup([], pd.DataFrame(columns=HISTORY_COLUMNS))
    summed = member_days(old, settings).groupby(["cycle", "member_id"], sort=True)[FIGURES].sum()
    summed = summed.reset_index()
    summed["group"] = (
        _groups_of(old)
        .reindex(pd.MultiIndex.from_frame(summed[["cycle", "member_id"]]), fill_value="")
        .to_numpy()
    )
    windows = {cycle: calendar.window(cycle) for cycle in summed["cycle"].unique().tolist()}
    summed["window_start"] = [windows[cycle].start for cycle in summed["cycle"]]
    summed["window_end"] = [windows[cycle].end for cycle in summed["cycle"]]
    return Rollup(sorted(int(row) for row in old["sheet_row"]), summed[HISTORY_COLUMNS])


def member_days(rows: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """One row per member and day of `rows`: the day's `cycle`, the member id, capped FIGURES."""
    who, member_ids = pd.factorize(rows["member_id"])
    day = day_numbers(rows["date"], settings.cycle_anchor)
    first, span = int(day.min()), int(day.max() - day.min()) + 1
    # Only the member-days that occur get a slot: old rows may span years.
    occurring, at, slots = np.unique(
        who * span + (day - first), return_index=True, return_inverse=True
    )
    totals = daily_totals(slots, len(occurring), rows, settings.daily_message_cap)
    cycles = rows["cycle"].to_numpy()[at]  # every row of a member-day has the day's cycle
    return pd.DataFrame({"cycle": cycles, "member_id": member_ids[occurring // span], **totals})


def _groups_of(rows: pd.DataFrame) -> pd.Series:
    """The groups each member's rows of a cycle were counted in, e.g. `General A, General B`."""
    named = rows[rows["group"].fillna("") != ""]
    return named.groupby(["cycle", "member_id"])["group"].agg(
        lambda groups: ", ".join(sorted(set(groups)))
    )
