"""One member's standing, for the manager answering "where am I, and why?".

Reads the sheet (under the lock, like any run), finds the member however the
manager names them, and puts together: their group and rank in the cycle in
progress with the points to the promotion and relegation lines
(`progress.cycle_so_far`), what protects them, and their past cycles as the
sheet recorded them (`past_cycles.member_history`). Writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from grouptier.backends.base import Backend
from grouptier.community import load_community
from grouptier.cycle import Clock, run_date, utc_now
from grouptier.member_lookup import find_member
from grouptier.past_cycles import member_history
from grouptier.progress import Standing, cycle_so_far
from grouptier.schedule import Window

__all__ = ["MemberCard", "member_card"]


@dataclass(frozen=True)
class MemberCard:
    """Everything `grouptier member` shows about one member."""

    member_id: str
    name: str
    group: str
    facts: tuple[str, ...]  # staff role, KOL, locked, paused, joined, extra groups
    window: Window  # the cycle in progress
    today: date
    standing: Standing | None  # None: not ranked (no group, or left)
    history: tuple[dict[str, str], ...]


def member_card(
    backend: Backend, who: str, today: date | None = None, clock: Clock = utc_now
) -> MemberCard:
    """The card of the member `who` names (an id, a phone number, a name or an alias)."""
    with backend.lock():
        raw = backend.read()
    community = load_community(raw)
    settings = community.settings
    day = run_date(today, clock(), settings)
    member = find_member(community.members, who, settings.phone_region)
    progress = cycle_so_far(community, day)
    member_id = str(member["member_id"])
    return MemberCard(
        member_id,
        str(member["name"]),
        str(member["group"]),
        _facts(member),
        progress.window,
        day,
        progress.standing(member_id),
        tuple(member_history(raw, member_id)),
    )


def _facts(member: pd.Series) -> tuple[str, ...]:
    facts = []
    if member.get("role"):
        facts.append(f"staff: {member['role']}")
    if member.get("kol"):
        facts.append("KOL")
    if member.get("locked"):
        facts.append("locked by a manager")
    paused = member.get("paused_until")
    if isinstance(paused, date):
        facts.append(f"paused until {paused:%Y-%m-%d}")
    joined = member.get("joined_on")
    if isinstance(joined, date):
        facts.append(f"joined {joined:%Y-%m-%d}")
    extra = member.get("extra_groups") or ()
    if extra:
        facts.append(f"also in {', '.join(extra)}")
    if member.get("status"):
        facts.append(f"status: {member['status']}")
    return tuple(facts)
