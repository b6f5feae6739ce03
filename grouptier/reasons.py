"""The sentences that explain each move to a manager (the `reason` column of Moves).

A reason names the rule, the member's own figures and the comparison that
decided, in words a member would accept: `4th in General with 61 points; the
top 3 move up to Core each cycle; 6 points behind Isabel Costa (3rd)`. Every
date says whose it is, and a reason fits in one line of the sheet (`LIMIT`).

Reasons are built from figures only; they never need the clock and are the
same on every run for the same sheet. The notes of members who stay are in
`notes.py`, built from the same pieces.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any

Row = Mapping[str, Any]  # one member of the roster, as plain Python values

LIMIT = 160  # characters: a reason or note reads as one line of the sheet
_NAME_LIMIT = 24  # another member's name, shortened beyond this


@lru_cache(maxsize=4096)  # a Leaderboard asks for the same ranks and scores again and again
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


@lru_cache(maxsize=4096)
def points(score: float) -> str:
    """`1 point`, `61 points`, `2.5 points`."""
    return f"{score_text(score)} point" if score == 1 else f"{score_text(score)} points"


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


def fitted(*variants: str) -> str:
    """The first variant that fits in `LIMIT` characters, else the shortest."""
    for text in variants:
        if len(text) <= LIMIT:
            return text
    return min(variants, key=len)


def name_of(member: Row) -> str:
    """A member's name as another member's reason shows it (shortened when long)."""
    name = " ".join(str(member.get("name") or "").split()) or f"member {member['member_id']}"
    return name if len(name) <= _NAME_LIMIT else name[: _NAME_LIMIT - 1].rstrip() + "…"


def is_idle(member: Row) -> bool:
    """No points and nothing recorded this cycle."""
    return member["score"] == 0 and not (
        member["messages"] or member["active_days"] or member["content"] or member["invites"]
    )


def standing(member: Row) -> str:
    """`4th in General with 61 points`, or `no activity in General this cycle`."""
    return standing_text(
        int(member["rank"]), str(member["group"]), member["score"], is_idle(member)
    )


def standing_text(rank: int, group: str, score: float, idle: bool) -> str:
    """`standing` from the figures it needs (`idle`: no points, nothing recorded)."""
    if idle:
        return f"no activity in {group} this cycle"
    return f"{ordinal(rank)} in {group} with {points(score)}"


def label(member: Row) -> str:
    """Another member as a reason names them: `Isabel Costa (3rd)`."""
    return f"{name_of(member)} ({ordinal(int(member['rank']))})"


def silence_text(member: Row) -> str:
    """`silent since 2026-08-06`, `silent since joining on 2026-08-06`, `no activity on record`."""
    if member["last_active"]:
        return f"silent since {date.fromordinal(member['last_active']):%Y-%m-%d}"
    if isinstance(member["joined_on"], date):
        return f"silent since joining on {member['joined_on']:%Y-%m-%d}"
    return "no activity on record"


# -- the rules, in words -----------------------------------------------------------------------


def up_rule(group: Row, destination: str, kind: str) -> str:
    """`the top 3 move up to Core each cycle`, `members with any points come back to General`."""
    top, bar = group["promote_top"], float(group["promote_min_score"])
    if top == 0:
        return f"nobody moves up from {group['name']} (promote_top is 0)"
    verb = "come back to" if kind == "return" else "move up to"
    if top is None:
        above = f"above {points(bar)}" if bar else "with any points"
        return f"members {above} {verb} {destination}"
    above = f" above {points(bar)}" if bar else ""
    if top == 1:
        verb = verb.replace("come", "comes").replace("move", "moves")
        return f"the top member{above} {verb} {destination} each cycle"
    return f"the top {top}{above} {verb} {destination} each cycle"


def down_rule(group: Row, destination: str) -> str:
    """`10 move down to Retention each cycle`, `members at 0 points move down to General`."""
    bottom, bar = group["demote_bottom"], float(group["demote_max_score"])
    if bottom == 0:
        return f"nobody moves down from {group['name']} (demote_bottom is 0)"
    if bottom is None:
        return f"members at {'or below ' if bar else ''}{points(bar)} move down to {destination}"
    if bar:
        lowest = "the lowest member" if bottom == 1 else f"the lowest {bottom}"
        at = f"{lowest} at or below {points(bar)}"
    else:
        at = str(bottom)
    verb = "moves" if bottom == 1 else "move"
    return f"{at} {verb} down to {destination} each cycle"


def tie_phrase(ahead: Row, behind: Row, about_ahead: bool) -> str:
    """Which step of the ranking rule put `ahead` before `behind`, said of one of them.

    `who was active on more days (3 vs 2)` when `about_ahead`, else `who was
    active on fewer days (2 vs 3)`: the first figure is always theirs.
    """
    first, second = (ahead, behind) if about_ahead else (behind, ahead)
    for key, more, fewer in (
        ("active_days", "was active on more days", "was active on fewer days"),
        ("content", "posted more content", "posted less content"),
    ):
        if first[key] != second[key]:
            return f"who {more if about_ahead else fewer} ({first[key]} vs {second[key]})"
    theirs, mine = first["joined_on"], second["joined_on"]
    if theirs != mine:
        if not isinstance(theirs, date):
            return "who has no join date"
        if not isinstance(mine, date):
            return f"who joined on {theirs:%Y-%m-%d}; this member has no join date"
        order = "before" if about_ahead else "after"
        return f"who joined on {theirs:%Y-%m-%d}, {order} this member ({mine:%Y-%m-%d})"
    return f"whose member id comes {'first' if about_ahead else 'after'} (all else equal)"


# -- the reasons of moves ----------------------------------------------------------------------


def promotion_reason(
    member: Row, kind: str, rule: str, partner: Row | None, where: str = ""
) -> str:
    """Why `member` moves up or comes back (`kind`); `partner` is the first one left out.

    `where` names the destination when its level has several groups.
    """
    tie = ""
    if partner is not None and partner["score"] == member["score"]:
        tie = (
            f"; same {points(member['score'])} as {name_of(partner)} "
            f"({ordinal(int(partner['rank']))}), {tie_phrase(member, partner, about_ahead=False)}"
        )
    where = f"; to {where} (most room)" if where else ""
    if kind == "return":
        head = f"active again: {points(member['score'])} in {member['group']} this cycle"
    else:
        head = standing(member)
    return fitted(
        f"{head} ({figures_text(member)}); {rule}{tie}{where}",
        f"{head}; {rule}{tie}{where}",
        f"{head}; {rule}{where}",
    )


def demotion_reason(
    member: Row, rule: str, window: tuple[date, date], place: tuple[int, int] | None, where: str
) -> str:
    """Why `member` moves down.

    `place` is (n, of): the member is n-th in line among `of` (the quiet, or all
    those at or below the bar), when the group moves a set number down and the
    order decided; None when all of them move. `where` names the destination
    when its level has several groups.
    """
    first, last = window
    where = f"; to {where} (most room)" if where else ""
    if is_idle(member):
        among = ""
        if place is not None:
            number, of = place
            longest = "the longest" if number == 1 else f"the {ordinal(number)} longest"
            among = (
                f", {longest} of the {of} quiet members" if of > 1 else ", the only quiet member"
            )
        silence = silence_text(member)
        return fitted(
            f"no activity in {member['group']} from {first:%Y-%m-%d} to {last:%Y-%m-%d} and "
            f"{silence}{among}; {rule}{where}",
            f"no activity in {member['group']} this cycle and {silence}{among}; {rule}{where}",
            f"no activity in {member['group']} this cycle{among}; {rule}{where}",
            f"no activity in {member['group']} this cycle; {rule}{where}",
        )
    among = ""
    if place is not None:
        number, of = place
        lowest = "the lowest" if number == 1 else f"the {ordinal(number)} lowest"
        among = f", {lowest} of the {of} at or below the bar"
    head = standing(member)
    return fitted(
        f"{head} ({figures_text(member)}){among}; {rule}{where}",
        f"{head}{among}; {rule}{where}",
        f"{head}; {rule}{where}",
    )


def reward_reason(member: Row, place: int, target: str, count: int, link: str) -> str:
    """Why `member`, `place`-th in content posts, gains access to `target`."""
    most = "most" if place == 1 else f"{ordinal(place)} most"
    top = "the top producer gets" if count == 1 else f"the top {count} get"
    reason = (
        f"{most} content posts this cycle ({member['content']}); "
        f"{top} access to {target} and keep {member['group']}"
    )
    return fitted(f"{reason}; invite link {link}", reason) if link else reason


def kol_reason(member: Row, min_content: int, min_invites: int) -> str:
    """Why a member is suggested as a KOL."""
    return (
        f"{plural(int(member['content']), 'content post')} and "
        f"{plural(int(member['invites']), 'invite')} this cycle, at or above the KOL "
        f"thresholds ({min_content} and {min_invites}); not yet a KOL: managers decide"
    )
