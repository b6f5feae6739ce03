"""Representative contexts of every message kind, shaped exactly as a run builds them.

A manager's override is tried on these before a run renders anything, so
that every mistake in the Templates tab is reported at once: a name a
template uses that its kind does not have, in any branch, and what the
trial renders find (an attribute misspelt inside a loop). Each kind has a
few variants so that the usual branches are taken (a group at the top, in
the middle and at the bottom; a seat given away or not; a nudge up and
down). The test suite checks that these have the same variables, to every
depth, as the contexts a real run gives.

`dotted_names` lists what a kind may use (`member.name`, `group.up`, ...),
which suggestions for a misspelt variable are chosen from.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from grouptier.locales import figures_date, language_date_order, words_date
from grouptier.message_people import spoken_list
from grouptier.message_rows import shared_context

SAMPLE_DAY = date(2026, 12, 1)  # the first day of the sample's current cycle
CYCLE_DAYS = 15
_CYCLE_END = SAMPLE_DAY + timedelta(days=CYCLE_DAYS - 1)
_CORE_LINK = "https://chat.whatsapp.com/SampleCoreInvite"


def _group(name: str, level: int, up: str, down: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "level": level,
        "order": level - 1,
        "size": 40,
        "capacity": 200,
        "invite_link": "",
        "language": "",
        "is_core": level == 1,
        "is_bottom": level == 3,
        "up": up,
        "down": down,
        "promote_top": 3,
        "demote_bottom": 3,
        **extra,
    }


CORE = _group("Core", 1, "", "General", invite_link=_CORE_LINK)
GENERAL = _group("General", 2, "Core", "Retention")
RETENTION = _group("Retention", 3, "General", "")
LADDER = [CORE, GENERAL, RETENTION]
SAMPLE_NAMES = ("Amira Haddad", "Zeca García", "刘强")


def sample_person(name: str, **figures: Any) -> dict[str, Any]:
    """A person as `message_people.person` gives one, with ordinary figures."""
    return {
        "name": name,
        "group": "General",
        "from_group": "General",
        "to_group": "Core",
        "reason": "1st in General with 90 points",
        "score": 90,
        "messages": 86,
        "active_days": 9,
        "content": 4,
        "invites": 2,
        "rank": 1,
        **figures,
    }


def sample_contexts(
    kind: str, language: str = "en", names: tuple[str, ...] = SAMPLE_NAMES[:1]
) -> list[dict[str, Any]]:
    """Contexts of message `kind` in `language`, one per usual branch, naming `names`.

    `names` are the members a message is about ('' for a member with no name
    in the sheet); a kind about one member takes the first.
    """
    build = _BUILDERS[kind]
    base = shared_context(SAMPLE_DAY, language, (5, _CYCLE_END, CYCLE_DAYS), LADDER)
    return [{**base, **variant} for variant in build(language, names or ("",))]


def dotted_names(
    context: Mapping[str, Any], prefix: str = "", *, through_lists: bool = True
) -> list[str]:
    """`member`, `member.name`, `group.up`, ...: what `context` holds, to every depth.

    A list holds dicts a template loops over: with `through_lists`, their keys
    are listed after the list's name (`newcomers.name`), as a loop uses them.
    """
    found = []
    for key, value in context.items():
        name = f"{prefix}{key}"
        found.append(name)
        inner = value[0] if through_lists and isinstance(value, list) and value else value
        if isinstance(inner, Mapping):
            found += dotted_names(inner, f"{name}.", through_lists=through_lists)
    return found


def _welcome(language: str, names: tuple[str, ...]) -> list[dict[str, Any]]:
    day = SAMPLE_DAY.isoformat()
    spoken = words_date(SAMPLE_DAY, language)
    people = [
        sample_person(name, joined_on=day, joined_on_text=spoken, score=0, rank=0) for name in names
    ]
    common = {
        "newcomers": people,
        "count": len(people),
        "names": spoken_list(names, language),
        "unnamed": sum(1 for name in names if not name),
        "member": people[0],
        "joined_on": day,
        "joined_on_text": spoken,
    }
    return [{**common, "group": group} for group in LADDER]


def _good_morning(language: str, names: tuple[str, ...]) -> list[dict[str, Any]]:
    return [
        {"group": group, "day_index": 3, "group_index": index, "day_number": 4}
        for index, group in enumerate(LADDER)
    ]


def _weekly_topic(language: str, names: tuple[str, ...]) -> list[dict[str, Any]]:
    topic = {
        "title": "Your first 100 users",
        "prompt": "Where did they come from, and when?",
        "host": names[0],
        "week_of": SAMPLE_DAY.isoformat(),
        "week_of_text": words_date(SAMPLE_DAY, language),
    }
    return [{"group": GENERAL, "topic": topic}, {"group": CORE, "topic": {**topic, "host": ""}}]


def _arrivals(language: str, names: tuple[str, ...]) -> list[dict[str, Any]]:
    people = [sample_person(name) for name in names]
    return [
        {
            "group": group,
            "members": people,
            "member": people[0],
            "count": len(people),
            "names": spoken_list(names, language),
            "unnamed": sum(1 for name in names if not name),
            "moved_cycle": 4,
        }
        for group in (CORE, GENERAL)
    ]


def _private_note(
    language: str, names: tuple[str, ...], pairs: list[tuple[dict[str, Any], dict[str, Any], bool]]
) -> list[dict[str, Any]]:
    return [
        {
            "member": sample_person(names[0], from_group=own["name"], to_group=to["name"]),
            "from_group": own,
            "to_group": to,
            "group": own,
            "seat_given": seat_given,
            "moved_cycle": 4,
            "next_review": _CYCLE_END.isoformat(),
            "next_review_text": words_date(_CYCLE_END, language),
        }
        for own, to, seat_given in pairs
    ]


def _retention_notice(language: str, names: tuple[str, ...]) -> list[dict[str, Any]]:
    pairs = [(GENERAL, RETENTION, False), (CORE, GENERAL, True), (CORE, GENERAL, False)]
    return _private_note(language, names, pairs)


def _reward(language: str, names: tuple[str, ...]) -> list[dict[str, Any]]:
    pairs = [(GENERAL, CORE, False), (RETENTION, {**GENERAL, "invite_link": ""}, False)]
    return _private_note(language, names, pairs)


def _nudge(language: str, names: tuple[str, ...]) -> list[dict[str, Any]]:
    common = {
        "member": sample_person(names[0]),
        "group": GENERAL,
        "days_left": "10 days",
        "days_left_count": 10,
    }
    up = {
        "direction": "up",
        "rank": "4th",
        "rank_count": 4,
        "line": "the top 3",
        "top_count": 3,
        "points_needed": "6 points",
        "points_count": 6,
    }
    down = {"direction": "down", "keep_with": "one message", "quiet": True}
    return [{**common, **up}, {**common, **down}, {**common, **down, "quiet": False}]


def _staff(name: str, **figures: Any) -> dict[str, Any]:
    """A member of staff as the digest sees them: steady unless `figures` say otherwise."""
    effort = {"hosting": False, "steady": True, "creator": False}
    flags = {"role": "executive", "topics": [], "risks": [], "no_activity": False}
    return sample_person(name, **{**effort, **flags, "every_day": False, **figures})


def _staff_digest(language: str, names: tuple[str, ...]) -> list[dict[str, Any]]:
    order = language_date_order(language)
    start = SAMPLE_DAY - timedelta(days=CYCLE_DAYS)
    mover = sample_person(names[0] or "+55 11 90040-3869")
    kinds = ("promote", "demote", "return", "reward", "suggest_kol")
    host = _staff("Mama Nkechi", topics=["Poster day"], hosting=True, steady=False)
    tired = _staff("Priya Reddy", active_days=15, every_day=True)
    tired["risks"] = ["was active every single day of the cycle"]
    full = {
        "group": {"name": "staff"},
        "moved_cycle": 4,
        "window": {
            "start": start.isoformat(),
            "end": (SAMPLE_DAY - timedelta(days=1)).isoformat(),
            "start_text": figures_date(start, order),
            "end_text": figures_date(SAMPLE_DAY - timedelta(days=1), order),
        },
        "moves": {kind: [mover] for kind in kinds},
        "more": dict.fromkeys(kinds, 0),
        "counts": dict.fromkeys(kinds, 1),
        "total_moves": len(kinds),
        "recognised": [host, tired],
        "at_risk": [tired],
        "apply_moves": True,
        "data_missing": ["General: 3 days of the cycle have no imported chat"],
        "gaps": [{"group": "General", "days": 3}],
        "paused": [
            {
                "name": "Ines Duarte",
                "group": "General",
                "until": _CYCLE_END.isoformat(),
                "until_text": figures_date(_CYCLE_END, order),
            }
        ],
    }
    quiet = {
        **full,
        "moves": {kind: [] for kind in kinds},
        "counts": dict.fromkeys(kinds, 0),
        "total_moves": 0,
        "recognised": [],
        "at_risk": [],
        "apply_moves": False,
    }
    return [full, quiet]


_BUILDERS = {
    "welcome": _welcome,
    "good_morning": _good_morning,
    "weekly_topic": _weekly_topic,
    "promotion": _arrivals,
    "return": _arrivals,
    "retention_notice": _retention_notice,
    "reward": _reward,
    "staff_digest": _staff_digest,
    "nudge": _nudge,
}
