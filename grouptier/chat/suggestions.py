"""The member a sender nobody matched most likely is: by name similarity, or by phone tail.

A phone saves a member as "Bea 🌸" while Members says "Bea Ramos"; a number
can be written without its country code. Rather than add a duplicate member,
the import names the likeliest one (`Bea 🌸 → Bea Ramos (Members row 31)?`)
and the manager accepts it (`--accept-suggestions` adds the sender's name to
that member's aliases) or not. Only a clear winner is suggested: a second
member nearly as close makes the suggestion a guess, and none is made.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz, process

SIMILAR = 88  # rapidfuzz WRatio (0-100) from which a name is suggested: "Bea" for "Bea Ramos"
MARGIN = 5  # points a suggestion must lead the next member's best name by
TAIL_DIGITS = 8  # the digits of a number compared when its country code may be missing
_NOT_DIGIT = re.compile(r"\D")


@dataclass(frozen=True)
class Suggestion:
    """A member a sender probably is, and why."""

    member_id: str
    name: str
    row: int  # the member's row in the Members tab
    by: str  # "name" or "phone"


class MemberSuggester:
    """Suggests members for senders, from the Members table (`member_id`, `name`,
    `aliases`, `sheet_row`)."""

    def __init__(self, members: pd.DataFrame) -> None:
        aliases = members["aliases"] if "aliases" in members else [()] * len(members)
        self.members: list[Suggestion] = []
        self.choices: list[str] = []
        self.owners: list[int] = []
        self.tails: dict[str, set[int]] = {}
        for index, (member_id, name, alias, row) in enumerate(
            zip(members["member_id"], members["name"], aliases, members["sheet_row"], strict=True)
        ):
            self.members.append(Suggestion(str(member_id), str(name), int(row), "name"))
            for text in (str(name), *(alias or ())):
                plain = _plain(text)
                if plain:
                    self.choices.append(plain)
                    self.owners.append(index)
            digits = _NOT_DIGIT.sub("", str(member_id))
            if len(digits) >= TAIL_DIGITS:
                self.tails.setdefault(digits[-TAIL_DIGITS:], set()).add(index)

    def suggest(self, sender: str) -> Suggestion | None:
        """The one member `sender` most likely is, or None when none or several are likely."""
        digits = _NOT_DIGIT.sub("", sender)
        if len(digits) >= TAIL_DIGITS and not any(char.isalpha() for char in sender):
            found = self.tails.get(digits[-TAIL_DIGITS:], set())
            if len(found) != 1:
                return None
            member = self.members[next(iter(found))]
            return Suggestion(member.member_id, member.name, member.row, "phone")
        query = _plain(sender)
        if not query or not self.choices:
            return None
        best: dict[int, float] = {}
        for _, score, at in process.extract(
            query, self.choices, scorer=fuzz.WRatio, limit=10, score_cutoff=SIMILAR
        ):
            owner = self.owners[at]
            best[owner] = max(best.get(owner, 0.0), score)
        ranked = sorted(best.items(), key=lambda item: -item[1])
        if not ranked or (len(ranked) > 1 and ranked[0][1] - ranked[1][1] < MARGIN):
            return None
        return self.members[ranked[0][0]]


def _plain(text: str) -> str:
    """Letters, digits and single spaces, lower case: "Bea 🌸" is "bea"."""
    kept = "".join(
        char if unicodedata.category(char)[0] in "LMN" else " "
        for char in unicodedata.normalize("NFKC", text)
    )
    return " ".join(kept.casefold().split())
