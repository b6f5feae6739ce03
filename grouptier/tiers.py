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
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from grouptier.coverage import Gap
from grouptier.ranking import LAST_JOIN, protections, rank_members, runs_of
from grouptier.reasons import figures_text, ordinal, plural, score_text, tie_text
from grouptier.schedule import Window
from grouptier.settings import Settings
from grouptier.standing import Evidence

MOVE_COLUMNS = [
    "cycle", "member_id", "name", "from_group", "to_group", "kind", "score", "rank", "reason",
    "sheet_row",
]  # fmt: skip
LEADERBOARD_COLUMNS = [
    "cycle", "group", "rank", "member_id", "name", "score", "messages", "messages_counted",
    "active_days", "content", "invites", "outcome", "note",
]  # fmt: skip

Row = Mapping[str, Any]  # one member of the roster, as plain Python values
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


def with_evidence(roster: pd.DataFrame, evidence: Evidence) -> pd.DataFrame:
    """The roster with the columns the evidence gives each member.

    `last_active` is the ordinal of the last day with any activity (0: never);
    `quiet_key` orders the quiet, earliest first: that day, or the join date
    of someone never active (0 when neither is known: they go first).
    """
    ids = roster["member_id"]
    for column in ("settling", "held"):
        notes: pd.Series = getattr(evidence, column)
        roster[column] = notes.reindex(ids).fillna("").to_numpy() if len(notes) else ""
    last = evidence.last_active.reindex(ids).fillna(0).to_numpy(dtype="int64")
    joined = roster["join_key"].to_numpy()
    roster["last_active"] = last
    roster["quiet_key"] = np.where(last > 0, last, np.where(joined == LAST_JOIN, 0, joined))
    return roster


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

    def _where(self, name: str, level: int) -> str:
        if len(self._names_at(level)) == 1:
            return name
        return f"{name} (the level-{level} group with the most room)"

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
        if not self._has_activity(name):
            return
        bar = group["demote_max_score"]
        eligible = self._picked(name, lambda at: self.unprotected[at] & (self.scores[at] <= bar))
        eligible.sort(key=self._demotion_order)
        limit = len(eligible) if group["demote_bottom"] is None else int(group["demote_bottom"])
        level = int(group["level"]) + 1
        not_made = 0
        for place, member in enumerate(map(self._row, eligible[:limit]), start=1):
            destination = self._destination(level)
            if destination is None:
                not_made += 1
                continue
            why = self._demotion_reason(member, place, len(eligible), group)
            self._move(
                member, destination, "demote", f"{why}; to {self._where(destination, level)}"
            )
        if not_made:
            self.warnings.append(
                f"No level-{level} group has room: {plural(not_made, 'demotion')} "
                f"from {name} were not made"
            )

    def _demotion_order(self, position: int) -> tuple[Any, ...]:
        """The lowest score first; among equal scores the longest silent, then member id."""
        values = self.values
        return (
            values["score"][position],
            values["quiet_key"][position],
            values["member_id"][position],
        )

    def _demotion_reason(self, member: Row, place: int, quiet: int, group: Row) -> str:
        """Why `member`, `place`-th of the `quiet` members who could move down, moves down."""
        if member["score"] == 0:
            reason = "score 0: no activity this cycle"
        else:
            reason = (
                f"{ordinal(int(member['rank']))} of {member['group_size']} in {member['group']}: "
                f"score {score_text(member['score'])} ({figures_text(member)}), "
                f"at or below {score_text(float(str(group['demote_max_score'])))}"
            )
        longest = "the longest" if place == 1 else f"the {ordinal(place)} longest"
        reason += f"; {_silence_text(member)}, {longest} of the {quiet} quiet members"
        reason += f" of {member['group']}"
        if group["demote_bottom"] is not None:
            reason += f"; {group['demote_bottom']} move down each cycle"
        return reason

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
        kind = "return" if level == self.max_level and self.max_level > 2 else "promote"
        next_in_line = 0
        for member in map(self._row, pooled):
            destination = self._destination(level - 1)
            if destination is None:
                next_in_line += 1
                self.outcomes[member["position"]] = ("next in line", "no room above")
                continue
            partner = cut_partners[str(member["group"])]
            reason = self._promotion_reason(member, partner, destination, kind, level - 1)
            self._move(member, destination, kind, reason)
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
        return eligible[:limit], partner

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

    def _promotion_reason(
        self, member: Row, partner: Row | None, destination: str, kind: str, level: int
    ) -> str:
        where = self._where(destination, level)
        if kind == "return":
            return f"back in {where}: {figures_text(member)} this cycle"
        reason = (
            f"{ordinal(int(member['rank']))} of {member['group_size']} in {member['group']}: "
            f"score {score_text(member['score'])} ({figures_text(member)})"
        )
        if partner is not None and partner["score"] == member["score"]:
            reason += f"; tied at score {score_text(member['score'])}, " + tie_text(
                member, partner, "decided"
            )
        return f"{reason}; up to {where}"

    def _fullness(self, level: int) -> str:
        names = self._names_at(level)
        shown = ", ".join(f"{n} {self.seats[n]}/{self.groups[n]['capacity']}" for n in names)
        if len(names) == 1:
            return (
                f"{names[0]} is full ({self.seats[names[0]]}/{self.groups[names[0]]['capacity']})"
            )
        return f"No level-{level} group has room ({shown})"

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
            self._move(member, target, "reward", self._reward_reason(member, target, given))

    def _reward_order(self, position: int) -> tuple[Any, ...]:
        """Most content first, then the ranking rule."""
        return (-self.values["content"][position], *self._promotion_order(position))

    def _reward_reason(self, member: Row, target: str, place: int) -> str:
        link = str(self.groups[target]["invite_link"])
        reason = (
            f"{ordinal(place)} most content this cycle: "
            f"{plural(int(member['content']), 'content post')}; "
            f"access to {target} added, {member['group']} kept"
        )
        return f"{reason}; invite link {link}" if link else reason

    def _suggest_kols(self) -> None:
        settings = self.settings
        roster = self.roster
        strong = (
            ~roster["kol"].to_numpy(dtype=bool)
            & (roster["content"].to_numpy() >= settings.kol_min_content)
            & (roster["invites"].to_numpy() >= settings.kol_min_invites)
        )
        for member in map(self._row, np.flatnonzero(strong).tolist()):
            reason = (
                f"{plural(int(member['content']), 'content post')} and "
                f"{plural(int(member['invites']), 'invite')} this cycle (thresholds "
                f"{settings.kol_min_content} and {settings.kol_min_invites}); not yet a KOL"
            )
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
        group, score, protected = (self.values[k] for k in ("group", "score", "protected"))
        for i in np.flatnonzero(~self.unprotected).tolist():
            idle_bar = self.groups.get(group[i], {}).get("demote_max_score")
            if idle_bar is not None and score[i] <= idle_bar:
                notes[i] = f"not moved down: {protected[i]}"
        for i, (outcome, note) in self.outcomes.items():
            outcomes[i], notes[i] = outcome, note
        return outcomes, notes


def _silence_text(member: Row) -> str:
    """`silent since 2026-08-06`, `silent since joining on 2026-08-06`, `no activity on record`."""
    if member["last_active"]:
        return f"silent since {date.fromordinal(member['last_active']):%Y-%m-%d}"
    if isinstance(member["joined_on"], date):
        return f"silent since joining on {member['joined_on']:%Y-%m-%d}"
    return "no activity on record"
