"""The staff digest: for managers, the moves to carry out, who to thank and who may need support.

`recognised` lists only staff with real effort in the cycle: hosting a
topic, active on at least a quarter of its days (and at least
`MIN_STEADY_DAYS`), or at least `MIN_CONTENT_POSTS` content posts; one
message on one day is not thanked. Each person says which (`hosting`,
`steady`, `creator`), so the template thanks them for what they did.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np

from grouptier.locales import figures_date, language_date_separator
from grouptier.message_people import staff_view
from grouptier.message_rows import STAFF_GROUP, Composer, Draft
from grouptier.reasons import plural
from grouptier.schedule import Window
from grouptier.sheet import MOVE_KINDS
from grouptier.tiers import CyclePlan

DIGEST_LIST_LIMIT = 40  # members listed per kind of move in the digest; the rest are counted
MIN_STEADY_DAYS = 2  # active days that count as steady work, however short the cycle
MIN_CONTENT_POSTS = 3  # content posts that count as real effort on their own


def staff_digest(composer: Composer, plan: CyclePlan, moves: list[dict[str, Any]]) -> Draft:
    """For managers: moves to carry out, KOL suggestions, recognition, staff at risk."""
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for move in moves:
        by_kind.setdefault(str(move["kind"]), []).append(staff_view(move, composer.region))
    lists = {kind: people[:DIGEST_LIST_LIMIT] for kind, people in by_kind.items()}
    more = {kind: max(len(people) - DIGEST_LIST_LIMIT, 0) for kind, people in by_kind.items()}
    counts = {kind: len(people) for kind, people in by_kind.items()}
    staff = _staff(composer, plan)
    paused = _paused(composer, plan)
    context = {
        "group": {"name": STAFF_GROUP},
        "moved_cycle": plan.window.cycle,
        "window": _window(composer, plan.window),
        "moves": {kind: lists.get(kind, []) for kind in MOVE_KINDS},
        "more": {kind: more.get(kind, 0) for kind in MOVE_KINDS},
        "counts": {kind: counts.get(kind, 0) for kind in MOVE_KINDS},
        "total_moves": len(moves),
        "recognised": [s for s in staff if s["hosting"] or s["steady"] or s["creator"]],
        "at_risk": [s for s in staff if s["risks"]],
        "apply_moves": composer.settings.apply_moves,
        "data_missing": [str(gap) for gap in plan.gaps],
        # The same gaps as figures, for templates that word them in another language.
        "gaps": [{"group": gap.group, "days": gap.days} for gap in plan.gaps],
        "paused": paused,
    }
    named = [p["name"] for people in lists.values() for p in people]
    named += [p["name"] for p in (*staff, *paused)]
    cycle = plan.window.cycle
    return composer.row(
        composer.today, STAFF_GROUP, "staff_digest", "", context, named=named, cycle=cycle
    )


def steady_days(cycle_days: int) -> int:
    """Active days that make a member of staff steady: a quarter of the cycle, at least 2."""
    return max(MIN_STEADY_DAYS, math.ceil(cycle_days / 4))


def _figures(composer: Composer, day: date) -> str:
    """A date in figures for the managers, in the community's `date_format`."""
    language = composer.language_of(STAFF_GROUP)
    order = composer.settings.date_order(language)
    return figures_date(day, order, language_date_separator(language))


def _window(composer: Composer, window: Window) -> dict[str, str]:
    start, end = window.start, window.end
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "start_text": _figures(composer, start),
        "end_text": _figures(composer, end),
    }


def _staff(composer: Composer, plan: CyclePlan) -> list[dict[str, Any]]:
    """Each staff member's cycle, what counts as their effort, and the reasons staff leave."""
    members = composer.community.members
    staff = members[(members["role"] != "") & (members["status"] != "left")]
    board = plan.leaderboard.set_index("member_id")
    hosting = _hosted_topics(composer)
    steady = steady_days(composer.settings.cycle_days)
    people = []
    for member in staff.to_dict("records"):
        figures = board.loc[member["member_id"]] if member["member_id"] in board.index else None
        row = {**member, **(figures.to_dict() if figures is not None else {})}
        seen = staff_view(row, composer.region)
        topics = hosting.get(str(member["name"]).casefold(), [])
        seen.update(role=member["role"], topics=topics, risks=[])
        seen["hosting"] = bool(topics)
        seen["steady"] = seen["active_days"] >= steady
        seen["creator"] = seen["content"] >= MIN_CONTENT_POSTS
        seen["no_activity"] = not seen["active_days"]
        seen["every_day"] = seen["active_days"] >= composer.settings.cycle_days
        if len(topics) >= 2:
            seen["risks"].append(f"hosts {plural(len(topics), 'topic')} this cycle")
        if seen["every_day"]:
            seen["risks"].append("was active every single day of the cycle")
        if seen["no_activity"]:
            seen["risks"].append("no activity recorded this cycle")
        people.append(seen)
    return sorted(people, key=lambda p: (-p["score"], p["name"]))


def _paused(composer: Composer, plan: CyclePlan) -> list[dict[str, Any]]:
    """Members whose pause kept them from being moved down this cycle."""
    members = composer.community.members
    if "paused_until" not in members:
        return []
    end = plan.window.end
    pausing = [isinstance(day, date) and day >= end for day in members["paused_until"]]
    paused = members[np.array(pausing, dtype=bool) & (members["status"] != "left").to_numpy()]
    return [
        {
            "name": name,
            "group": group,
            "until": day.isoformat(),
            "until_text": _figures(composer, day),
        }
        for name, group, day in zip(
            paused["name"], paused["group"], paused["paused_until"], strict=True
        )
    ][:DIGEST_LIST_LIMIT]


def _hosted_topics(composer: Composer) -> dict[str, list[str]]:
    hosting: dict[str, list[str]] = {}
    current = composer.current
    for topic in composer.community.topics.to_dict("records"):
        week_of = topic["week_of"]
        if isinstance(week_of, date) and current.start <= week_of <= current.end:
            hosting.setdefault(str(topic["host"]).casefold(), []).append(str(topic["title"]))
    return hosting
