"""Find one member the way a manager names them: an id, a phone number in any writing, a name.

A manager answering "why me?" has whatever the member wrote: `+55 11 90014-2542`,
`0055 11 900142542`, "bea ramos". Phone numbers are compared as E.164 keys
(`phones.phone_key`, with the `phone_region` setting); names and aliases
ignoring case. A name that matches nobody gets the closest names as
suggestions (rapidfuzz), never a silent pick of a near one.
"""

from __future__ import annotations

import unicodedata

import pandas as pd
from rapidfuzz import fuzz, process

from grouptier.errors import UsageError
from grouptier.phones import phone_key

__all__ = ["find_member"]

SUGGESTIONS = 3
_SIMILAR = 60  # rapidfuzz WRatio (0-100) from which a name is worth suggesting


def find_member(members: pd.DataFrame, who: str, region: str) -> pd.Series:
    """The Members row `who` names; UsageError naming the candidates when none or several do."""
    wanted = who.strip()
    if not wanted:
        raise UsageError("say which member: an id, a phone number or a name")
    ids = members["member_id"].astype(str)
    found = members[ids == wanted]
    key = phone_key(wanted, region)
    if found.empty and key:
        keys = ids.map(lambda text: phone_key(text, region) or text)
        found = members[keys == key]
    if found.empty:
        found = members[[_named(row, wanted) for row in members.itertuples()]]
    if len(found) == 1:
        return found.iloc[0]
    if len(found) > 1:
        listed = "; ".join(f"{row.name} ({row.member_id})" for row in found.itertuples())
        raise UsageError(f'"{wanted}" names {len(found)} members: {listed}; give the id instead')
    raise UsageError(f'no member is "{wanted}"{_suggestions(members, wanted)}')


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def _named(row: object, wanted: str) -> bool:
    target = _folded(wanted)
    names = [str(getattr(row, "name", "")), *getattr(row, "aliases", ())]
    return any(_folded(name) == target for name in names if name)


def _suggestions(members: pd.DataFrame, wanted: str) -> str:
    names = {str(name): str(member_id) for name, member_id in zip(
        members["name"], members["member_id"], strict=True
    ) if str(name).strip()}  # fmt: skip
    close = process.extract(wanted, list(names), scorer=fuzz.WRatio, limit=SUGGESTIONS)
    shown = [f"{name} ({names[name]})" for name, score, _ in close if score >= _SIMILAR]
    return f" (closest: {'; '.join(shown)})" if shown else ""
