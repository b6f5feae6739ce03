"""The sentences that explain each decision to a manager.

Reasons are built from figures only; they never need the clock and are the
same on every run for the same sheet.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

# The ranking rule, in order: what decides between two members with equal scores.
TIE_KEYS = ("active_days", "content", "joined_on", "member_id")
_TIE_LABELS = {
    "active_days": "active days",
    "content": "content posts",
    "joined_on": "join date",
    "member_id": "member id",
}


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st, ..."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def plural(count: int, noun: str) -> str:
    """`1 invite`, `2 invites`."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def score_text(score: float) -> str:
    """A score without a needless `.0`."""
    return f"{score:g}"


def figures_text(figures: Mapping[str, object]) -> str:
    """`40 messages on 9 days, 1 content post, 2 invites` (or `no activity`)."""
    messages = int(str(figures["messages"]))
    counted = int(str(figures["messages_counted"]))
    days = int(str(figures["active_days"]))
    content = int(str(figures["content"]))
    invites = int(str(figures["invites"]))
    if not (messages or days or content or invites):
        return "no activity"
    shown = plural(messages, "message")
    if counted < messages:
        shown += f" ({counted} counted)"
    parts = [f"{shown} on {plural(days, 'day')}"]
    if content:
        parts.append(plural(content, "content post"))
    if invites:
        parts.append(plural(invites, "invite"))
    return ", ".join(parts)


def tie_text(chosen: Mapping[str, object], other: Mapping[str, object], verb: str) -> str:
    """Which rule separated two equal scores, e.g. `decided by active days (9 vs 7)`."""
    for key in TIE_KEYS:
        mine, theirs = chosen[key], other[key]
        if mine != theirs:
            label = _TIE_LABELS[key]
            if key == "member_id":
                return f"{verb} by {label}"
            return f"{verb} by {label} ({_shown(mine)} vs {_shown(theirs)})"
    return f"{verb} by member id"


def _shown(value: object) -> str:
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    if value is None:
        return "no join date"
    return str(value)
