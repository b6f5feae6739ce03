"""Welcome posts: one per group and day, naming every newcomer of that group not yet welcomed.

Every run, due or not, welcomes each member who joined in the current or
previous cycle and has no welcome in Messages yet. Messages keeps the
current and the previous cycle, so that is exactly the span in which "has
no welcome yet" can be checked. A welcome row's `member_id` holds the ids of
everyone it names, joined with ", " (as a promotion row does); older rows
hold one id, and both are read the same way, so nobody is welcomed twice.

A welcome's context: `newcomers` (persons, in the order they joined),
`count`, `group`, `names` (the newcomers' names as one phrase of the
language, "Ana, Bo and Caio", '' when none has a name), `unnamed` (how many
have no name) and `member`, the first newcomer, so that an override written
for one newcomer (`{{ member.name }}`) keeps working.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from grouptier.locales import words_date
from grouptier.message_people import person, spoken_list
from grouptier.message_rows import Composer, Draft

ID_SEPARATOR = ", "  # between the ids of a row that names several members


def welcomed_ids(existing: pd.DataFrame) -> set[str]:
    """Every member id a welcome row in Messages names (one id, or several joined by ", ")."""
    cells = existing.loc[existing["kind"] == "welcome", "member_id"]
    return {part.strip() for cell in cells for part in str(cell).split(",") if part.strip()}


def welcome_posts(composer: Composer, existing: pd.DataFrame, kept_from: date) -> list[Draft]:
    """A welcome post per group for the members who joined since `kept_from`, not yet welcomed."""
    members = composer.community.members
    codes, days = pd.factorize(members["joined_on"])  # each distinct day is checked once
    recent = [isinstance(day, date) and kept_from <= day <= composer.today for day in days]
    fresh = members[np.array([*recent, False])[codes] & (members["status"] != "left")]
    fresh = fresh[~fresh["member_id"].isin(welcomed_ids(existing))]
    ordered = fresh.sort_values(["joined_on", "sheet_row"], kind="stable").to_dict("records")
    by_group: dict[str, list[dict[str, Any]]] = {}
    for member in ordered:
        by_group.setdefault(str(member["group"]), []).append(member)
    return [_welcome(composer, group, newcomers) for group, newcomers in by_group.items()]


def _welcome(composer: Composer, group: str, newcomers: list[dict[str, Any]]) -> Draft:
    language = composer.language_of(group)
    people = []
    for member in newcomers:
        seen = person(member, composer.region)
        seen["joined_on"] = member["joined_on"].isoformat()
        seen["joined_on_text"] = words_date(member["joined_on"], language)
        people.append(seen)
    first = people[0]
    context = {
        "newcomers": people,
        "count": len(people),
        "names": spoken_list((p["name"] for p in people), language),
        "unnamed": sum(1 for p in people if not p["name"]),
        "member": first,
        "group": composer.groups[group],
        "joined_on": first["joined_on"],
        "joined_on_text": first["joined_on_text"],
    }
    ids = ID_SEPARATOR.join(str(member["member_id"]) for member in newcomers)
    named = [str(member["name"]) for member in newcomers]
    return composer.row(composer.today, group, "welcome", ids, context, named=named)
