"""Warnings about the sheet that a manager should see, even when nothing is wrong enough to stop.

Members are named by their cell in Members, never by name or phone number,
because warnings also go to logs.
"""

from __future__ import annotations

import pandas as pd

from grouptier.community import Community
from grouptier.reasons import plural

_LISTED = 10  # cells named in one warning before "and N more"


def activity_warnings(community: Community, scores: pd.DataFrame) -> list[str]:
    """Members with no activity rows at all, and staff idle in the scored cycle."""
    members = community.members
    active = members[members["status"] != "left"]
    # .tolist() first: building a set straight from a string column goes one element at a time.
    recorded = set(community.activity["member_id"].tolist())
    recorded |= set(community.history["member_id"].tolist())
    warnings = []
    never = active[~active["member_id"].isin(recorded)]
    if not never.empty:
        warnings.append(
            f"No activity rows at all for {plural(len(never), 'member')}: {_rows(never)}"
        )
    idle = set(scores.loc[scores["rows"] == 0, "member_id"].tolist())
    idle_staff = active[(active["role"] != "") & active["member_id"].isin(idle)]
    if not idle_staff.empty:
        warnings.append(
            f"No activity this cycle from {plural(len(idle_staff), 'staff member')}: "
            f"{_rows(idle_staff, with_role=True)}"
        )
    return warnings


def _rows(members: pd.DataFrame, with_role: bool = False) -> str:
    shown = []
    for row, role in zip(members["sheet_row"][:_LISTED], members["role"][:_LISTED], strict=True):
        shown.append(f"{row} ({role})" if with_role else str(row))
    more = len(members) - _LISTED
    listed = ", ".join(shown) + (f" and {more} more" if more > 0 else "")
    return f"Members {'row' if len(members) == 1 else 'rows'} {listed}"
