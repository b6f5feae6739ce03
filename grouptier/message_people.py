"""Members and groups as message templates see them.

A person is a plain dict: the name a message may greet (`spoken_name`: never
a phone number) and this cycle's figures. A group is its name, level, size,
invite link and the groups around it. `recipient` is who a private message
is addressed to in the `to` column, where staff do need the number.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd
from babel.lists import format_list

from grouptier.locales import babel_locale
from grouptier.phones import looks_like_phone, phone_key, shown_phone

if TYPE_CHECKING:
    from grouptier.tiers import CyclePlan


def spoken_name(name: object, region: str = "") -> str:
    """The name a message may greet: '' when the sheet has none, or only a phone number."""
    text = "" if name is None or (isinstance(name, float) and math.isnan(name)) else str(name)
    text = text.strip()
    if any(character.isalpha() for character in text):
        return text  # a phone number has no letters: most names end here, quickly
    if not text or looks_like_phone(text) or phone_key(text, region):
        return ""
    return text


def spoken_list(names: Iterable[str], language: str) -> str:
    """`Ana, Bo and Caio` in the language's own words ('' for no names)."""
    names = [name for name in names if name]
    return format_list(names, locale=babel_locale(language)) if names else ""


def person(row: Mapping[str, Any], region: str = "") -> dict[str, Any]:
    """A member as templates see them: a greetable name and this cycle's figures (0 unknown)."""

    def count(name: str) -> int:
        value = row.get(name)
        return 0 if value is None or math.isnan(value) else int(value)

    score = row.get("score")
    score = 0.0 if score is None or math.isnan(score) else float(score)
    return {
        "name": spoken_name(row.get("name"), region),
        "group": str(row.get("group") or row.get("from_group") or ""),
        "from_group": str(row.get("from_group") or ""),
        "to_group": str(row.get("to_group") or ""),
        "reason": str(row.get("reason") or ""),
        "score": int(score) if score.is_integer() else round(score, 1),
        "messages": count("messages"),
        "active_days": count("active_days"),
        "content": count("content"),
        "invites": count("invites"),
        "rank": count("rank"),
    }


def staff_view(row: Mapping[str, Any], region: str = "") -> dict[str, Any]:
    """`person`, named for the managers: the number stands in for a missing name."""
    seen = person(row, region)
    if not seen["name"]:
        seen["name"] = shown_phone(str(row.get("member_id") or row.get("name") or ""), region)
    return seen


def recipient(name: str, member_id: str, region: str = "") -> str:
    """`Zeca García (+55 11 90040-3869)`: a private message's `to`; the number alone if no name."""
    number = shown_phone(member_id, region)
    name = spoken_name(name, region)
    if not name:
        return number
    return f"{name} ({number})" if number else name


def group_infos(groups: pd.DataFrame, members: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Each group as a template sees it: name, level, size, invite link, the groups around it."""
    sizes = members.loc[members["status"] != "left", "group"].value_counts()
    levels = groups.groupby("level")["name"].apply(list).to_dict()
    bottom = int(groups["level"].max())
    infos = {}
    for order, group in enumerate(groups.to_dict("records")):
        level = int(group["level"])
        infos[str(group["name"])] = {
            "name": str(group["name"]),
            "level": level,
            "order": order,
            "size": int(sizes.get(group["name"], 0)),
            "capacity": int(group["capacity"]),
            "invite_link": str(group["invite_link"] or ""),
            "language": str(group.get("language") or ""),
            "is_core": level == 1,
            "is_bottom": level == bottom and bottom > 1,
            "up": " / ".join(levels.get(level - 1, [])),
            "down": " / ".join(levels.get(level + 1, [])),
            "promote_top": group["promote_top"],
            "demote_bottom": group["demote_bottom"],
        }
    return infos


def moves_with_figures(plan: CyclePlan) -> list[dict[str, Any]]:
    """The plan's moves with each member's figures of the cycle, as plain dicts."""
    if plan.moves.empty:
        return []
    figures = ["member_id", "messages", "active_days", "content", "invites"]
    board = plan.leaderboard[figures]
    moved = set(plan.moves["member_id"].tolist())
    board = board[board["member_id"].isin(list(moved))]
    moves = plan.moves.drop(columns=["sheet_row"]).merge(board, on="member_id", how="left")
    records: list[dict[str, Any]] = moves.to_dict("records")
    return records


def full_groups(plan: CyclePlan, capacities: Mapping[str, int]) -> set[str]:
    """Groups that were full at the cycle's end, before its moves (members ≥ capacity)."""
    sizes = plan.leaderboard["group"].value_counts()
    return {name for name, size in sizes.items() if size >= capacities.get(str(name), size + 1)}
