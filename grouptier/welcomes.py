"""Welcome posts: per group and day, naming every newcomer of that group not yet welcomed.

Every run, due or not, welcomes each member who joined in the current or
previous cycle and has no welcome in Messages yet. Messages keeps the
current and the previous cycle, so that is exactly the span in which "has
no welcome yet" can be checked. A welcome row's `member_id` holds the ids of
everyone it names, joined with ", " (as a promotion row does); older rows
hold one id. Member ids may hold ", " themselves ("Doe, Jane"), so a cell is
read back as the run of Members ids it is made of (`named_ids`), never by
splitting alone: "Doe, Jane" names the member "Doe, Jane", not a member
"Jane". Only a cell that is both one member's id and other members' ids
joined is ambiguous; it is read as the one id.

A post names at most `POST_NAMES` newcomers (a longer list is unreadable on
a phone); a crowd gets several posts, each recording the ids it names.

A welcome's context: `newcomers` (persons, in the order they joined),
`count`, `group`, `names` (the newcomers' names as one phrase of the
language, "Ana, Bo and Caio", '' when none has a name), `unnamed` (how many
have no name) and `member`, the first newcomer, so that an override written
for one newcomer (`{{ member.name }}`) keeps working.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from grouptier.locales import words_date
from grouptier.message_people import person, spoken_list
from grouptier.message_rows import Composer, Draft

_T = TypeVar("_T")
PartTree = dict[str | None, "PartTree"]

ID_SEPARATOR = ", "  # between the ids of a row that names several members
POST_NAMES = 30  # members one welcome, promotion or return post names at most
# Parts of a member id found inside a longer cell: real ids have a comma or two, and the
# bound keeps reading a cell linear whatever ids a sheet holds.
MAX_ID_PARTS = 16


def welcomed_ids(existing: pd.DataFrame, member_ids: Iterable[str]) -> set[str]:
    """Every id of `member_ids` that a welcome row in Messages names."""
    cells = set(map(str, existing.loc[existing["kind"] == "welcome", "member_id"]))
    known = {member_id for member_id in member_ids if isinstance(member_id, str) and member_id}
    if not any("," in member_id for member_id in known):  # nearly every community
        return {part.strip() for cell in cells for part in cell.split(",")} & known
    tree = id_parts(known)
    welcomed = cells & known
    for cell in cells - known:
        welcomed.update(named_ids(cell, tree))
    return welcomed


def id_parts(member_ids: Iterable[str]) -> PartTree:
    """Member ids split on ", ", as a tree of parts (`None` marks where an id ends).

    An id of more than `MAX_ID_PARTS` parts is left out: it is only found as a whole cell.
    """
    tree: PartTree = {}
    for member_id in member_ids:
        parts = member_id.split(ID_SEPARATOR)
        if len(parts) <= MAX_ID_PARTS:
            node = tree
            for part in parts:
                node = node.setdefault(part, {})
            node[None] = {}
    return tree


def named_ids(cell: str, ids: PartTree) -> list[str]:
    """The member ids a `member_id` cell is made of: ids joined by ", ", some with ", " inside.

    Read as the split that covers the most of the cell with member ids, then
    the one with the fewest (so the whole cell, when it is one id); a part no
    member has (a member since removed) is passed over. `ids` comes from
    `id_parts`: each part is looked up once per id it may start, never
    compared with every member id.
    """
    parts = cell.split(ID_SEPARATOR)
    # best[i]: (parts covered by member ids, -pieces) for parts[i:]; width[i]: of its first
    # piece, negative when that piece is a part no member has.
    best = [(0, 0)] * (len(parts) + 1)
    width = [-1] * len(parts)
    for i in range(len(parts) - 1, -1, -1):
        covered, pieces = best[i + 1]
        best[i] = (covered, pieces - 1)
        node: PartTree | None = ids
        for end in range(i, len(parts)):
            node = node.get(parts[end]) if node is not None else None
            if node is None:
                break
            if None in node:
                covered, pieces = best[end + 1]
                if (covered + end + 1 - i, pieces - 1) > best[i]:
                    best[i], width[i] = (covered + end + 1 - i, pieces - 1), end + 1 - i
    found, i = [], 0
    while i < len(parts):
        if width[i] > 0:
            found.append(ID_SEPARATOR.join(parts[i : i + width[i]]))
        i += abs(width[i])
    return found


def in_posts(people: list[_T]) -> list[list[_T]]:
    """`people` in runs of at most `POST_NAMES`, one per post."""
    return [people[start : start + POST_NAMES] for start in range(0, len(people), POST_NAMES)]


def welcome_posts(composer: Composer, existing: pd.DataFrame, kept_from: date) -> list[Draft]:
    """A welcome post per group for the members who joined since `kept_from`, not yet welcomed."""
    members = composer.community.members
    codes, days = pd.factorize(members["joined_on"])  # each distinct day is checked once
    recent = [isinstance(day, date) and kept_from <= day <= composer.today for day in days]
    fresh = members[np.array([*recent, False])[codes] & (members["status"] != "left")]
    fresh = fresh[~fresh["member_id"].isin(welcomed_ids(existing, members["member_id"]))]
    ordered = fresh.sort_values(["joined_on", "sheet_row"], kind="stable").to_dict("records")
    by_group: dict[str, list[dict[str, Any]]] = {}
    for member in ordered:
        by_group.setdefault(str(member["group"]), []).append(member)
    return [
        _welcome(composer, group, post)
        for group, newcomers in by_group.items()
        for post in in_posts(newcomers)
    ]


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
