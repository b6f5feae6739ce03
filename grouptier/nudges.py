"""Who gets a nudge on day `nudge_day` of a cycle, and what it may tell them (pure).

A member a few points from moving up, or about to be moved down for
silence, can still act while the cycle runs; a private message on one day of
the cycle tells them so. The figures come from the cycle so far
(`progress.cycle_so_far`), the same rules the cycle will apply, and a nudge
only ever holds the member's own rank and points, never anyone else's.

- *close to moving up*: in a group that sends its top members up, a member
  with points, not moving up today, ranked within as many places of the
  line as the group sends up (4th to 6th when the top 3 move up);
- *at risk*: a member the cycle would move down if it ended today.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from grouptier.message_people import person
from grouptier.message_rows import Composer, Draft
from grouptier.progress import UP, Progress
from grouptier.reasons import ordinal, plural, points
from grouptier.settings import Settings

__all__ = ["Nudge", "is_nudge_day", "nudge_messages", "nudges_for"]


@dataclass(frozen=True)
class Nudge:
    """One member's nudge: where it goes and the template's context."""

    member_id: str
    group: str
    context: dict[str, object]


def is_nudge_day(progress: Progress, settings: Settings) -> bool:
    """Whether the last day counted so far is day `nudge_day` of its cycle."""
    day = (progress.so_far.end - progress.window.start).days + 1
    return settings.nudge_day is not None and day == settings.nudge_day


def nudges_for(progress: Progress) -> list[Nudge]:
    """The nudges of the day, members in group and rank order."""
    board = progress.plan.leaderboard
    days_left = plural(progress.days_left, "day")
    cycle_end = progress.window.end.isoformat()
    found = []
    for group, ranked in board.groupby("group", sort=False):
        up = ranked[ranked["outcome"].isin(UP)]
        last_up = int(up["rank"].max()) if not up.empty else 0
        for member in ranked.itertuples():
            # The English phrases for the English template; the bare figures (`*_count`,
            # `quiet`) for templates in other languages, which word them themselves.
            common: dict[str, object] = {
                "days_left": days_left,
                "days_left_count": progress.days_left,
                "cycle_end": cycle_end,
            }
            if member.outcome == "demote":
                quiet = float(member.score) == 0
                keep = "one message" if quiet else "a few more messages"
                context: dict[str, object] = {
                    **common,
                    "direction": "down",
                    "keep_with": keep,
                    "quiet": quiet,
                }
            elif (
                last_up
                and member.outcome not in UP
                and float(member.score) > 0
                and int(member.rank) <= last_up + len(up)
            ):
                # Level with the line, the tie-break decides: one more point settles it.
                needed = max(float(up["score"].min()) - float(member.score), 1)
                context = {
                    **common,
                    "direction": "up",
                    "rank": ordinal(int(member.rank)),
                    "rank_count": int(member.rank),
                    "line": "the top spot" if len(up) == 1 else f"the top {len(up)}",
                    "top_count": len(up),
                    "points_needed": points(needed),
                    "points_count": int(needed) if needed.is_integer() else round(needed, 1),
                }
            else:
                continue
            found.append(Nudge(str(member.member_id), str(group), context))
    return found


def nudge_messages(composer: Composer, nudges: Iterable[Nudge]) -> list[Draft]:
    """Each nudge as a private message: the member's own standing so far, nobody else's."""
    nudges = list(nudges)
    if not nudges:
        return []
    members = composer.community.members
    names = dict(zip(members["member_id"], members["name"], strict=True))
    rows = []
    for nudge in nudges:
        name = str(names[nudge.member_id])
        context = {
            **nudge.context,
            "member": person({"member_id": nudge.member_id, "name": name}, composer.region),
            "group": composer.groups[nudge.group],
        }
        day = composer.today
        rows.append(composer.row(day, nudge.group, "nudge", nudge.member_id, context, named=[name]))
    return rows
