"""The Leaderboard notes of members who did not move: what kept them, what moving would take.

A moved member's note is the reason of the move (`reasons.py`); every other
member gets one of these, so no Leaderboard row has an empty note:

- `4th in General with 61 points; the top 3 move up to Core each cycle; 6
  points behind Isabel Costa (3rd)`
- `protected: newcomer until 2026-12-20 (joined 2026-12-06); no activity in
  General this cycle`
- `no activity in General this cycle and silent since 2026-10-02; 10 move
  down to Retention each cycle, and 61 quiet members were silent longer`

Like reasons, notes are pure and fit in `reasons.LIMIT`.
"""

from __future__ import annotations

from grouptier.reasons import (
    Row,
    fitted,
    is_idle,
    label,
    name_of,
    plural,
    points,
    silence_text,
    standing,
    tie_phrase,
)


def protected_note(member: Row) -> str:
    """`protected: staff (designer)`: why a quiet member may not be moved down."""
    return fitted(
        f"protected: {member['protected']}; {standing(member)}", "protected: " + member["protected"]
    )


def locked_note(member: Row) -> str:
    """A locked member, who moves neither up nor down."""
    return f"locked by a manager: not moved up or down; {standing(member)}"


def up_note(member: Row, rule: str, line: Row | None) -> str:
    """A member of a group that sends its top up, measured against `line`.

    `line` is the last member picked to move up from the group (None when
    nobody was, or when `member` is not above the group's bar).
    """
    if line is not None and line["score"] == member["score"]:
        base = f"{standing(member)}; {rule}"
        tie = tie_phrase(line, member, about_ahead=True)
        return fitted(f"{base}; same {points(member['score'])} as {label(line)}, {tie}", base)
    return behind_note(standing(member), rule, member["score"], line)


def behind_note(head: str, rule: str, score: float, line: Row | None) -> str:
    """`up_note` when `line` has more points: `...; 6 points behind Isabel Costa (3rd)`.

    `head` is the member's `standing` and `score` their points.
    """
    base = f"{head}; {rule}"
    if line is None:
        return base
    behind = round(float(line["score"]) - float(score), 6)
    return fitted(f"{base}; {points(behind)} behind {line['label']}", base)


def down_note(member: Row, rule: str) -> str:
    """A member above the bar of a group with no group above.

    `1st in Core with 30 points; members at 0 points move down to General`.
    """
    return f"{standing(member)}; {rule}"


def next_in_line_note(member: Row, fullness: str) -> str:
    """Picked to move up, but no group above had room."""
    return fitted(
        f"{standing(member)}; next in line to move up, but {fullness}",
        f"{standing(member)}; next in line to move up, but no group above has room",
    )


def no_room_below_note(member: Row, fullness: str) -> str:
    """Picked to move down, but no group below had room."""
    return fitted(
        f"{_quiet(member)}; would move down, but {fullness}",
        f"{_quiet(member)}; would move down, but no group below has room",
    )


def unrecorded_note(member: Row) -> str:
    """Quiet in a group with no activity recorded at all: missing data is not inactivity."""
    return fitted(
        f"{standing(member)}; not moved down: no activity at all was recorded in "
        f"{member['group']} (was its export imported?)",
        f"{standing(member)}; not moved down: no activity at all was recorded in its group",
    )


def past_the_count_note(member: Row, ahead: int, line: Row | None, rule: str) -> str:
    """Quiet, but the group's count was filled by the `ahead` members before them.

    `line` is the last one who moved down, for the tie on score and silence
    that only the member id settles. `ahead` 0: the group moves nobody down.
    """
    if ahead == 0:
        return f"{_quiet(member)}; {rule}"
    if (
        line is not None
        and line["score"] == member["score"]
        and line["quiet_key"] == member["quiet_key"]
    ):
        same = f"same {'silence' if is_idle(member) else 'score and silence'} as {name_of(line)}"
        return fitted(
            f"{_quiet(member)}; {rule}; {same}, who moved down first: member id decides",
            f"{_quiet(member)}; {rule}; {same}: member id decides",
            f"{standing(member)}; {same}, who moved down first: member id decides",
        )
    if is_idle(member):
        longer = f"{plural(ahead, 'quiet member')} {'was' if ahead == 1 else 'were'} silent longer"
    else:
        others = "1 other" if ahead == 1 else f"{ahead} others"
        longer = f"{others} scored lower or {'was' if ahead == 1 else 'were'} silent longer"
    return fitted(
        f"{_quiet(member)}; {rule}, and {longer}",
        f"{standing(member)}; {rule}, and {longer}",
        f"{standing(member)}; {rule}",
    )


def _quiet(member: Row) -> str:
    """`no activity in General this cycle and silent since 2026-10-02`."""
    if is_idle(member):
        return f"{standing(member)} and {silence_text(member)}"
    return standing(member)
