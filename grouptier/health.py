"""Warnings about the sheet that a manager should see, even when nothing is wrong enough to stop.

Members are named by their row in Members, never by name or phone number,
because warnings also go to logs.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from grouptier.community import Community
from grouptier.reasons import plural

_LISTED = 10  # rows named in one warning before "and N more"


def sheet_warnings(community: Community) -> list[str]:
    """The warnings about Members a run or check shows once, whatever the cycles."""
    return silent_members_warning(community) + same_name_warning(community)


def silent_members_warning(community: Community) -> list[str]:
    """Members with no activity rows at all, in Activity or History (once per run)."""
    members = community.members
    active = members[members["status"] != "left"]
    # A set of plain str: isin() on pandas' string columns is slow for a million rows.
    recorded = set(community.activity["member_id"].tolist())
    recorded.update(community.history["member_id"].tolist())
    never = active[_mask(member_id not in recorded for member_id in active["member_id"].tolist())]
    if never.empty:
        return []
    return [f"No activity rows at all for {plural(len(never), 'member')}: {_rows(never)}"]


def same_name_warning(community: Community) -> list[str]:
    """Members (not left) who share a name: perhaps one person on two rows, one per name."""
    members = community.members
    named = members[(members["status"].to_numpy() != "left") & (members["name"].to_numpy() != "")]
    names = pd.Series([" ".join(name.split()).casefold() for name in named["name"]], named.index)
    shared = named[names.duplicated(keep=False).to_numpy()]
    groups = [rows for _, rows in shared.groupby(names[shared.index], sort=False)]
    warnings = [
        f"{_rows(rows, and_last=True)} have the same name; if they are one person keep one row, "
        "else add an alias to tell them apart in chat imports"
        for rows in groups[:_LISTED]
    ]
    if len(groups) > _LISTED:
        more = len(groups) - _LISTED
        warnings.append(
            f"Another {plural(more, 'name')} {'is' if more == 1 else 'are each'} on several "
            "Members rows; they are listed once those above are sorted out"
        )
    return warnings


def idle_staff_warning(members: pd.DataFrame, scores: pd.DataFrame) -> list[str]:
    """Staff with no activity in the scored cycle: the playbook's first sign of a leaving helper."""
    staff = members[(members["role"].to_numpy() != "") & (members["status"].to_numpy() != "left")]
    idle = scores.loc[(scores["rows"] == 0) & scores["member_id"].isin(staff["member_id"])]
    idle_staff = staff[staff["member_id"].isin(idle["member_id"])]
    if idle_staff.empty:
        return []
    return [
        f"No activity this cycle from {plural(len(idle_staff), 'staff member')}: "
        f"{_rows(idle_staff, with_role=True)}"
    ]


def _mask(flags: Iterable[bool]) -> np.ndarray:
    """A boolean row mask; a plain empty list would select no columns instead of no rows."""
    return np.fromiter(flags, dtype=bool)


def _rows(members: pd.DataFrame, with_role: bool = False, and_last: bool = False) -> str:
    """`Members rows 4, 9, 12` (`and_last`: `4, 9 and 12`); ten at most, then "and N more"."""
    shown = []
    for row, role in zip(members["sheet_row"][:_LISTED], members["role"][:_LISTED], strict=True):
        shown.append(f"{row} ({role})" if with_role else str(row))
    more = len(members) - _LISTED
    if more > 0:
        listed = ", ".join(shown) + f" and {more} more"
    elif and_last and len(shown) > 1:
        listed = ", ".join(shown[:-1]) + f" and {shown[-1]}"
    else:
        listed = ", ".join(shown)
    return f"Members {'row' if len(members) == 1 else 'rows'} {listed}"
