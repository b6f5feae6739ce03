"""The messages a cycle's moves call for.

- `promotion`: a post per group welcoming everyone promoted into it;
- `return`: a post per group welcoming back everyone who returned to it;
- `retention_notice`: a private, kind note to each member moved down, which
  says a seat was given away (`seat_given`) only when the group they left was
  full at the cycle's end, before its moves;
- `reward`: a private congratulation with the extra group's invite link.

A group post names at most `welcomes.POST_NAMES` members (a crowd gets several
posts); its `member_id` holds the ids of everyone it names, joined by ", ".
"""

from __future__ import annotations

from typing import Any

from grouptier.locales import words_date
from grouptier.message_people import full_groups, person, spoken_list
from grouptier.message_rows import Composer, Draft
from grouptier.tiers import CyclePlan
from grouptier.welcomes import ID_SEPARATOR, in_posts

GROUP_POSTS = {"promote": "promotion", "return": "return"}  # posts per group and cycle
PRIVATE_NOTES = {"demote": "retention_notice", "reward": "reward"}  # one per member


def move_messages(composer: Composer, plan: CyclePlan, moves: list[dict[str, Any]]) -> list[Draft]:
    """Posts per group for promotions and returns (`POST_NAMES` each), a note per other move."""
    rows: list[Draft] = []
    for move_kind, kind in GROUP_POSTS.items():
        arriving = [m for m in moves if m["kind"] == move_kind]
        for target in dict.fromkeys(m["to_group"] for m in arriving):
            together = [m for m in arriving if m["to_group"] == target]
            for post in in_posts(together):
                rows.append(_group_post(composer, plan, kind, str(target), post))
    capacities = {name: int(group["capacity"]) for name, group in composer.groups.items()}
    full = full_groups(plan, capacities)
    for move in moves:
        note = PRIVATE_NOTES.get(str(move["kind"]))
        if note is not None:
            rows.append(_private_note(composer, plan, note, move, str(move["from_group"]) in full))
    return rows


def _group_post(
    composer: Composer, plan: CyclePlan, kind: str, target: str, moved: list[dict[str, Any]]
) -> Draft:
    people = [person(m, composer.region) for m in moved]
    context = {
        "group": composer.groups[target],
        "members": people,
        "member": people[0],
        "count": len(people),
        "names": spoken_list((p["name"] for p in people), composer.language_of(target)),
        "unnamed": sum(1 for p in people if not p["name"]),
        "moved_cycle": plan.window.cycle,
    }
    ids = ID_SEPARATOR.join(str(m["member_id"]) for m in moved)
    named = [str(m["name"]) for m in moved]
    cycle = plan.window.cycle
    return composer.row(composer.today, target, kind, ids, context, named=named, cycle=cycle)


def _private_note(
    composer: Composer, plan: CyclePlan, kind: str, move: dict[str, Any], seat_given: bool
) -> Draft:
    own = composer.groups[move["from_group"]]
    context = {
        "member": person(move, composer.region),
        "from_group": own,
        "to_group": composer.groups[move["to_group"]],
        "group": own,
        "seat_given": seat_given,
        "moved_cycle": plan.window.cycle,
        "next_review": composer.current.end.isoformat(),
        "next_review_text": words_date(composer.current.end, composer.language_of(own["name"])),
    }
    member_id, named = str(move["member_id"]), [str(move["name"])]
    return composer.row(
        composer.today,
        own["name"],
        kind,
        member_id,
        context,
        named=named,
        cycle=plan.window.cycle,
    )
