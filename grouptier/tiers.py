"""The tier rules: who moves up, down, back, who is rewarded and who is suggested as a KOL.

`plan_cycle` is pure: it takes the members, groups and scores of one cycle
and returns the moves, the leaderboard and warnings; it reads no clock and
does no I/O. Every decision is taken from the same start-of-cycle snapshot
and each member moves at most one step per cycle (SCENARIOS.md):

1. demotions, from the lowest pair of levels upwards, so a full lower group
   is emptied before the group above sends people into it;
2. promotions, from the lowest level upwards (returns from retention first,
   then general to core), into the room the demotions left;
3. rewards: extra access to the next group up for the top content producers;
4. KOL suggestions.

Output tables:

- moves: cycle, member_id, name, from_group, to_group, kind, score, rank,
  reason, sheet_row (of the member in Members)
- leaderboard: cycle, group, rank, member_id, name, score, messages,
  messages_counted, active_days, content, invites, outcome, note

Every move has a reason (`reasons.py`) and every Leaderboard row a note: the
reason of the member's move, or why they stay and what moving would have
taken (`notes.py`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from grouptier.coverage import Gap
from grouptier.notes import (
    behind_note,
    down_note,
    locked_note,
    next_in_line_note,
    no_room_below_note,
    past_the_count_note,
    protected_note,
    unrecorded_note,
    up_note,
)
from grouptier.ranking import protections, rank_members, runs_of
from grouptier.reasons import (
    Row,
    demotion_reason,
    down_rule,
    is_idle,
    kol_reason,
    label,
    plural,
    promotion_reason,
    reward_reason,
    standing_text,
    up_rule,
)
from grouptier.schedule import Window
from grouptier.settings import Settings
from grouptier.standing import Evidence, with_evidence

MOVE_COLUMNS = [
    "cycle", "member_id", "name", "from_group", "to_group", "kind", "score", "rank", "reason",
    "sheet_row",
]  # fmt: skip
LEADERBOARD_COLUMNS = [
    "cycle", "group", "rank", "member_id", "name", "score", "messages", "messages_counted",
    "active_days", "content", "invites", "outcome", "note",
]  # fmt: skip

_FIGURES = ("messages", "active_days", "content", "invites")
# The roster columns the rules read member by member.
_WALKED = (
    "member_id", "name", "group", "score", "rank", "group_size", "sheet_row", "messages",
    "messages_counted", "active_days", "content", "invites", "joined_on", "join_key",
    "extra_groups", "protected", "last_active", "quiet_key",
)  # fmt: skip


@dataclass(frozen=True)
class CyclePlan:
    """What the rules decided for one cycle."""

    window: Window
    moves: pd.DataFrame
    leaderboard: pd.DataFrame
    warnings: tuple[str, ...]
    gaps: tuple[Gap, ...] = ()  # groups whose data did not cover the window: nobody moved down


def plan_cycle(
    members: pd.DataFrame,
    groups: pd.DataFrame,
    scores: pd.DataFrame,
    window: Window,
    settings: Settings,
    *,
    evidence: Evidence | None = None,
) -> CyclePlan:
    """Decide one cycle's moves from the start-of-cycle snapshot and what else is known."""
    evidence = evidence or Evidence()
    roster = with_evidence(rank_members(members, scores), evidence)
    planner = _Planner(roster, groups, window, settings, evidence)
    return planner.plan()


class _Planner:
    """The working state of one cycle's decisions: seats taken, who has moved.

    Members are known by their position in the roster, which is sorted by
    group and rank, so each group is one run of positions.
    """

    def __init__(
        self,
        roster: pd.DataFrame,
        groups: pd.DataFrame,
        window: Window,
        settings: Settings,
        evidence: Evidence,
    ) -> None:
        self.window = window
        self.settings = settings
        self.gaps = evidence.gaps
        self.groups = {str(group["name"]): group for group in groups.to_dict("records")}
        self.capacity = {name: int(group["capacity"]) for name, group in self.groups.items()}
        self.max_level = int(groups["level"].max())
        self.names_by_level: dict[int, list[str]] = {}
        for name, group in self.groups.items():
            self.names_by_level.setdefault(group["level"], []).append(name)
        roster["protected"] = protections(roster, window, settings)
        self.roster = roster
        # The rules walk members one by one (plain lists) and pick them from whole
        # groups at a time (numpy arrays), both indexed by roster position.
        self.values = {name: roster[name].tolist() for name in _WALKED}
        self.scores = roster["score"].to_numpy()
        self.unprotected = roster["protected"].to_numpy() == ""
        self.unlocked = ~roster["locked"].to_numpy(dtype=bool)
        starts, sizes = runs_of(pd.factorize(roster["group"])[0])
        rows = roster["rows"].to_numpy()
        self.bounds = {
            self.values["group"][start]: (start, start + size)
            for start, size in zip(starts.tolist(), sizes.tolist(), strict=True)
        }
        self.active = {
            self.values["group"][start] for start in starts[np.add.reduceat(rows, starts) > 0]
        }
        self.seats = self._seats_taken()
        self.moves: list[dict[str, object]] = []
        self.moved: set[int] = set()
        self.outcomes: dict[int, tuple[str, str]] = {}
        self.notes: dict[int, str] = {}  # why members the rules passed over stay
        self.up_lines: dict[str, Row] = {}  # each group's last member picked to move up
        self.rules: dict[str, tuple[Row, str, str]] = {}  # see _rules_of
        self.warnings: list[str] = []

    def plan(self) -> CyclePlan:
        self._warn_about_sizes()
        for level in range(self.max_level - 1, 0, -1):
            for name in self._names_at(level):
                self._demote_from(name)
        for level in range(self.max_level, 1, -1):
            self._promote_from_level(level)
        self._reward_producers()
        self._suggest_kols()
        moves = pd.DataFrame(self.moves, columns=MOVE_COLUMNS)
        warnings = (*(str(gap) for gap in self.gaps), *self.warnings)
        return CyclePlan(self.window, moves, self._leaderboard(), warnings, self.gaps)

    # -- seats and groups ---------------------------------------------------------------------

    def _seats_taken(self) -> dict[str, int]:
        seats = dict.fromkeys(self.groups, 0)
        seats.update(Counter(self.values["group"]))
        for extra in self.values["extra_groups"]:
            for name in extra:
                seats[name] += 1
        return seats

    def _names_at(self, level: int) -> list[str]:
        return self.names_by_level.get(level, [])

    def _room(self, name: str) -> int:
        return self.capacity[name] - self.seats[name]

    def _destination(self, level: int, exclude: Iterable[str] = ()) -> str | None:
        """The group of `level` with the most room left (first in the sheet on a tie)."""
        excluded = set(exclude)
        candidates = [name for name in self._names_at(level) if name not in excluded]
        best = max(candidates, key=self._room, default=None)
        return best if best is not None and self._room(best) > 0 else None

    def _level_name(self, level: int) -> str:
        """`Core` (the only group of `level`), or `level 2`."""
        names = self._names_at(level)
        return names[0] if len(names) == 1 else f"level {level}"

    def _where(self, name: str, level: int) -> str:
        """`name` when `level` has several groups (a reason then names it), else ''."""
        return name if len(self._names_at(level)) > 1 else ""

    def _has_activity(self, name: str) -> bool:
        return name in self.active

    def _picked(self, name: str, wanted: Callable[[slice], np.ndarray]) -> list[int]:
        """Positions of group `name` (in rank order) that `wanted` marks and that have not moved.

        `wanted` gets the group's slice of the roster and marks its members.
        """
        start, stop = self.bounds.get(name, (0, 0))
        found = (start + np.flatnonzero(wanted(slice(start, stop)))).tolist()
        return [position for position in found if position not in self.moved]

    def _row(self, position: int) -> dict[str, Any]:
        """One member of the roster as a dict of plain values."""
        row = {name: values[position] for name, values in self.values.items()}
        row["position"] = position
        return row

    def _warn_about_sizes(self) -> None:
        for name, group in self.groups.items():
            seats, capacity = self.seats[name], self.capacity[name]
            if seats > capacity:
                self.warnings.append(f"{name} is above its capacity ({seats}/{capacity})")
            if seats < int(group["min_size"]):
                self.warnings.append(
                    f"{name} is below its minimum size ({seats}/{group['min_size']})"
                )
            if name in self.bounds and not self._has_activity(name):
                self.warnings.append(
                    f"{name}: no activity recorded this cycle — was its export imported? "
                    "Nobody in it was moved down."
                )

    # -- moves ---------------------------------------------------------------------------------

    def _move(self, member: Row, to_group: str, kind: str, reason: str) -> None:
        self.moves.append(
            {
                "cycle": self.window.cycle,
                "member_id": member["member_id"],
                "name": member["name"],
                "from_group": member["group"],
                "to_group": to_group,
                "kind": kind,
                "score": member["score"],
                "rank": member["rank"],
                "reason": reason,
                "sheet_row": member["sheet_row"],
            }
        )
        self.outcomes[member["position"]] = (kind, reason)
        if kind in {"promote", "demote", "return"}:
            self.moved.add(member["position"])
            self.seats[str(member["group"])] -= 1
            self.seats[to_group] += 1
        elif kind == "reward":
            self.seats[to_group] += 1

    def _demote_from(self, name: str) -> None:
        group = self.groups[name]
        bar = group["demote_max_score"]
        eligible = self._picked(name, lambda at: self.unprotected[at] & (self.scores[at] <= bar))
        if not self._has_activity(name):
            for position in eligible:
                self.notes[position] = unrecorded_note(self._row(position))
            return
        eligible.sort(key=self._demotion_order)
        limit = len(eligible) if group["demote_bottom"] is None else int(group["demote_bottom"])
        level = int(group["level"]) + 1
        rule = down_rule(group, self._level_name(level))
        scores = [self.values["score"][position] for position in eligible]
        window = (self.window.start, self.window.end)
        not_made, line = 0, None
        for place, member in enumerate(map(self._row, eligible), start=1):
            if place > limit:
                ahead = place - 1 if limit else 0
                self.notes[member["position"]] = past_the_count_note(member, ahead, line, rule)
                continue
            destination = self._destination(level)
            if destination is None:
                not_made += 1
                full = self._fullness(level, lowered=True)
                self.notes[member["position"]] = no_room_below_note(member, full)
                continue
            order = self._place(member, place, scores) if limit < len(eligible) else None
            reason = demotion_reason(member, rule, window, order, self._where(destination, level))
            self._move(member, destination, "demote", reason)
            line = member
        if not_made:
            self.warnings.append(
                f"No level-{level} group has room: {plural(not_made, 'demotion')} "
                f"from {name} were not made"
            )

    @staticmethod
    def _place(member: Row, place: int, scores: list[Any]) -> tuple[int, int]:
        """(n, of): `member`, `place`-th in line (`scores`, lowest first), is n-th of `of`.

        A quiet member is counted among the quiet, anyone else among all in line.
        """
        if not is_idle(member):
            return place, len(scores)
        lower = bisect_left(scores, member["score"])
        return place - lower, bisect_right(scores, member["score"]) - lower

    def _demotion_order(self, position: int) -> tuple[Any, ...]:
        """The lowest score first; among equal scores the longest silent, then member id."""
        values = self.values
        return (
            values["score"][position],
            values["quiet_key"][position],
            values["member_id"][position],
        )

    def _promote_from_level(self, level: int) -> None:
        pooled: list[int] = []
        cut_partners: dict[str, Row | None] = {}
        for name in self._names_at(level):
            chosen, partner = self._promotion_candidates(name)
            pooled += chosen
            cut_partners[name] = partner
        if not pooled:
            return
        pooled.sort(key=self._promotion_order)
        kind = self._upward_kind(level)
        next_in_line = 0
        for member in map(self._row, pooled):
            destination = self._destination(level - 1)
            if destination is None:
                next_in_line += 1
                note = next_in_line_note(member, self._fullness(level - 1, lowered=True))
                self.outcomes[member["position"]] = ("next in line", note)
                continue
            group = self.groups[str(member["group"])]
            rule = up_rule(group, self._level_name(level - 1), kind)
            partner = cut_partners[str(member["group"])]
            where = self._where(destination, level - 1)
            self._move(
                member, destination, kind, promotion_reason(member, kind, rule, partner, where)
            )
        if next_in_line:
            self.warnings.append(
                f"{self._fullness(level - 1)}: {plural(next_in_line, 'promotion')} from "
                f"level {level} were not made; see 'next in line' in the Leaderboard"
            )

    def _promotion_candidates(self, name: str) -> tuple[list[int], Row | None]:
        """Positions of the group's members up for promotion, and the first one left out."""
        group = self.groups[name]
        bar = group["promote_min_score"]
        eligible = self._picked(name, lambda at: self.unlocked[at] & (self.scores[at] > bar))
        limit = len(eligible) if group["promote_top"] is None else int(group["promote_top"])
        partner = self._row(eligible[limit]) if limit < len(eligible) else None
        if limit and eligible:
            line = self._row(eligible[min(limit, len(eligible)) - 1])
            self.up_lines[name] = {**line, "label": label(line)}
        return eligible[:limit], partner

    def _upward_kind(self, level: int) -> str:
        """Members of `level` move up (`promote`) or, from the bottom of three or more, `return`."""
        return "return" if level == self.max_level and self.max_level > 2 else "promote"

    def _promotion_order(self, position: int) -> tuple[Any, ...]:
        """Sort key across groups: the ranking rule (higher score first, then the tie rules)."""
        values = self.values
        return (
            -values["score"][position],
            -values["active_days"][position],
            -values["content"][position],
            values["join_key"][position],
            values["member_id"][position],
        )

    def _fullness(self, level: int, *, lowered: bool = False) -> str:
        """`Core is full (50/50)`, or the groups of `level` (`lowered`: mid-sentence)."""
        names = self._names_at(level)
        if len(names) == 1:
            return f"{names[0]} is full ({self.seats[names[0]]}/{self.capacity[names[0]]})"
        shown = ", ".join(f"{n} {self.seats[n]}/{self.capacity[n]}" for n in names)
        return f"{'n' if lowered else 'N'}o level-{level} group has room ({shown})"

    # -- rewards and suggestions -----------------------------------------------------------------

    def _reward_producers(self) -> None:
        settings = self.settings
        content = self.roster["content"].to_numpy()
        producers = [
            position
            for position in np.flatnonzero(content >= settings.reward_min_content).tolist()
            if position not in self.moved
        ]
        producers.sort(key=self._reward_order)
        given = 0
        for position in producers:
            if given >= settings.reward_count:
                break
            level = int(self.groups[str(self.values["group"][position])]["level"]) - 1
            if level < 1:
                continue
            target = self._destination(level, exclude=self.values["extra_groups"][position])
            if target is None:
                continue
            given += 1
            member = self._row(position)
            link = str(self.groups[target]["invite_link"])
            reason = reward_reason(member, given, target, settings.reward_count, link)
            self._move(member, target, "reward", reason)

    def _reward_order(self, position: int) -> tuple[Any, ...]:
        """Most content first, then the ranking rule."""
        return (-self.values["content"][position], *self._promotion_order(position))

    def _suggest_kols(self) -> None:
        settings = self.settings
        roster = self.roster
        strong = (
            ~roster["kol"].to_numpy(dtype=bool)
            & (roster["content"].to_numpy() >= settings.kol_min_content)
            & (roster["invites"].to_numpy() >= settings.kol_min_invites)
        )
        for member in map(self._row, np.flatnonzero(strong).tolist()):
            reason = kol_reason(member, settings.kol_min_content, settings.kol_min_invites)
            self._move(member, "", "suggest_kol", reason)

    # -- leaderboard ---------------------------------------------------------------------------

    def _leaderboard(self) -> pd.DataFrame:
        board = self.roster[[name for name in LEADERBOARD_COLUMNS if name in self.roster]]
        outcomes, notes = self._outcomes_and_notes()
        board = board.assign(cycle=self.window.cycle, outcome=outcomes, note=notes)
        return board[LEADERBOARD_COLUMNS]  # the roster's order: by group, then rank

    def _outcomes_and_notes(self) -> tuple[list[str], list[str]]:
        """Each member's outcome ('stays' unless decided) and its note, in roster order."""
        outcomes, notes = ["stays"] * len(self.roster), [""] * len(self.roster)
        for position in range(len(self.roster)):
            if position in self.outcomes:
                outcomes[position], notes[position] = self.outcomes[position]
            else:
                notes[position] = self.notes.get(position) or self._stay_note(position)
        return outcomes, notes

    def _stay_note(self, position: int) -> str:
        """Why a member the rules did not pick stays, and what moving would have taken."""
        values = self.values
        name, score = values["group"][position], values["score"][position]
        group, up, down = self._rules_of(name)
        if values["protected"][position] and down and score <= group["demote_max_score"]:
            return protected_note(self._row(position))
        if not self.unlocked[position]:
            return locked_note(self._row(position))
        if not up:
            return down_note(self._row(position), down or "the only level: nobody moves up or down")
        line = self.up_lines.get(name) if score > group["promote_min_score"] else None
        if line is not None and line["score"] == score:
            return up_note(self._row(position), up, line)
        # The common case, for tens of thousands of members: no need for the whole row.
        idle = score == 0 and not any(values[key][position] for key in _FIGURES)
        head = standing_text(values["rank"][position], name, score, idle)
        return behind_note(head, up, score, line)

    def _rules_of(self, name: str) -> tuple[Row, str, str]:
        """Group `name`, its rule up and its rule down in words ('' where it has none)."""
        if name not in self.rules:
            group = self.groups[name]
            level = int(group["level"])
            up = down = ""
            if level > 1 and self._names_at(level - 1):
                up = up_rule(group, self._level_name(level - 1), self._upward_kind(level))
            if self._names_at(level + 1):
                down = down_rule(group, self._level_name(level + 1))
            self.rules[name] = (group, up, down)
        return self.rules[name]
