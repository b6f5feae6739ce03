"""Undo the latest processed cycle: members back where they were, its records gone, due again.

A wrong cycle (a bad import, a wrong setting) must be reversible without
hand-editing tool tabs, and deleting its `Runs` row by hand would make the
next run move people a second time. Undoing cycle N, the latest one done:

- each `Members` cell the cycle changed goes back: `group` to the move's
  `from_group`, a reward's group taken out of `extra_groups`. A cell that no
  longer holds what the cycle wrote (a manager changed it since) is listed
  and left alone; a member the cycle's moves were not applied to (apply_moves
  no) needs nothing;
- the cycle's `Moves` rows and `Messages` rows (rows whose `cycle` is N; rows
  written before that column existed: the move messages and staff digest
  dated the day the cycle was processed) are removed, and so are its
  Leaderboard rows (the next run writes them again); the Dashboard is
  written again without it;
- its `Runs` row becomes `undone`, so the calendar counts the cycle as not
  processed and the next run processes it again; a `Runs` row records the
  undo itself.

History is left as it is: the roll-up only sums old Activity rows into
totals that the rules read the same way, and reprocessing the cycle rolls up
exactly what it had. Undo refuses when moves of the cycle are ticked `done`
(staff already made them in WhatsApp) unless forced, and then lists them.

Pure: raw tabs and the loaded community in, a `ChangeSet` out.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from grouptier.backends.base import CellUpdate, ChangeSet, Record
from grouptier.cell_text import fit_lines
from grouptier.cells import CellError, parse_count, parse_member_id, parse_yes_no
from grouptier.community import Community
from grouptier.dashboard import dashboard_rows
from grouptier.errors import UndoError
from grouptier.leaderboard import kept_board, members_before, without_cycle
from grouptier.reasons import plural
from grouptier.sheet import (
    DASHBOARD,
    LEADERBOARD,
    MEMBERS,
    MESSAGES,
    MOVES,
    RUNS,
    STATUS,
    RawWorkbook,
    Table,
    TabSpec,
    read_table,
)
from grouptier.tool_logs import lenient_count, lenient_text

__all__ = ["CYCLE_MESSAGE_KINDS", "UndoPlan", "plan_undo"]

# Messages a processed cycle writes; daily ones (welcome, good morning, topic) stay.
CYCLE_MESSAGE_KINDS = frozenset(
    {"promotion", "retention_notice", "return", "reward", "staff_digest"}
)
GROUP_MOVES = frozenset({"promote", "demote", "return"})


@dataclass(frozen=True)
class Move:
    """One row of the cycle's Moves: where it is and what it did."""

    row: int
    member_id: str
    name: str
    kind: str
    from_group: str
    to_group: str
    ticked: bool

    def __str__(self) -> str:
        return f"{self.name or self.member_id}: {self.kind} {self.from_group} → {self.to_group}"


@dataclass
class UndoPlan:
    """What undoing `cycle` writes, and what it tells the manager."""

    cycle: int
    changes: ChangeSet
    moved_back: int = 0
    left_alone: list[str] = field(default_factory=list)  # cells changed since the cycle
    ticked: list[str] = field(default_factory=list)  # moves staff had made (forced undo)
    moves_removed: int = 0
    messages_removed: int = 0

    @property
    def summary(self) -> str:
        """What was undone, in one line (the Runs and Status tabs, the CLI)."""
        text = (
            f"{plural(self.moved_back, 'member')} moved back, "
            f"{plural(self.moves_removed, 'move')} and "
            f"{plural(self.messages_removed, 'message')} removed"
        )
        if self.left_alone:
            text += f"; {plural(len(self.left_alone), 'cell')} changed since, left as they are"
        if self.ticked:
            text += f"; {plural(len(self.ticked), 'move')} already made in WhatsApp to reverse"
        return text


def plan_undo(
    raw: RawWorkbook,
    community: Community,
    *,
    cycle: int | None,
    force: bool,
    stamp: str,
    run_id: str,
    limit: int,
) -> UndoPlan:
    """The changes that undo the latest processed cycle (`cycle`, when given, must be it).

    `stamp` is the local time the undo is recorded with; `run_id` names its Runs
    row; `limit` is the most characters a cell holds (the list of cells left alone).
    Raises UndoError when there is nothing to undo, a later cycle stands, or
    moves are ticked done without `force`.
    """
    latest = _latest_done(community)
    if cycle is not None and cycle != latest:
        raise UndoError(_not_latest(community, cycle, latest))
    moves = _moves_of(raw, latest)
    ticked = [move for move in moves if move.ticked]
    if ticked and not force:
        listed = "; ".join(f"Moves!{_letter(raw, MOVES, 'done')}{m.row} ({m})" for m in ticked)
        raise UndoError(
            f"cycle {latest} has {plural(len(ticked), 'move')} ticked done, so staff already "
            f"made them in WhatsApp: {listed}. Undo with --force to undo the cycle anyway; "
            "then move those members back in WhatsApp by hand."
        )
    plan = UndoPlan(latest, ChangeSet(), ticked=[str(move) for move in ticked])
    _members_back(raw, community, moves, plan)
    plan.moves_removed = len(moves)
    messages = _messages_of(raw, community, latest)
    plan.messages_removed = len(messages)
    changes = plan.changes
    changes.deleted_rows = {MOVES.name: [m.row for m in moves], MESSAGES.name: messages}
    changes.cell_updates += [
        CellUpdate(RUNS.name, row, "status", "undone") for row in _done_rows(raw, latest)
    ]
    changes.replacements[LEADERBOARD.name] = without_cycle(kept_board(raw), latest)
    changes.replacements[DASHBOARD.name] = dashboard_rows(_community_after(community, latest), [])
    changes.replacements[STATUS.name] = [_status(plan, stamp)]
    changes.appends[RUNS.name] = [_runs_record(plan, stamp, run_id, limit)]
    return plan


def _community_after(community: Community, cycle: int) -> Community:
    """The community as the undo leaves it: moves back, the cycle's log gone, its run undone."""
    runs = community.runs
    undone = (runs["cycle"] == cycle) & (runs["status"] == "done")
    return replace(
        community,
        members=members_before(community.members, community.moves, cycle),
        moves=community.moves[community.moves["cycle"] != cycle],
        runs=runs.assign(status=runs["status"].where(~undone, "undone")),
    )


def _latest_done(community: Community) -> int:
    runs = community.runs
    done = runs[runs["status"] == "done"]["cycle"] if not runs.empty else []
    if len(done) == 0:
        raise UndoError("no cycle has been processed yet, so there is nothing to undo")
    return int(max(done))


def _not_latest(community: Community, asked: int, latest: int) -> str:
    runs = community.runs
    if not ((runs["cycle"] == asked) & (runs["status"] == "done")).any():
        return f"cycle {asked} has not been processed (Runs has no done row for it)"
    return (
        f"cycle {asked} cannot be undone while cycle {latest}, processed after it, stands; "
        f"undo cycle {latest} first"
    )


def _table(raw: RawWorkbook, spec: TabSpec) -> Table | None:
    """A tab read for undo; its problems were reported by loading the community, if any."""
    return read_table(raw, spec, [])


def _letter(raw: RawWorkbook, spec: TabSpec, column: str) -> str:
    table = _table(raw, spec)
    return table.letters.get(column, "?") if table else "?"


def _moves_of(raw: RawWorkbook, cycle: int) -> list[Move]:
    moves = []
    for row, record in _table(raw, MOVES) or []:
        try:
            if parse_count(record.get("cycle")) != cycle:
                continue
            member_id = parse_member_id(record.get("member_id"))
            ticked = parse_yes_no(record.get("done"))
        except CellError:
            continue
        name, kind, origin, target = (
            lenient_text(record.get(column))
            for column in ("name", "kind", "from_group", "to_group")
        )
        moves.append(Move(row, member_id, name, kind.lower(), origin, target, ticked))
    return moves


def _members_back(
    raw: RawWorkbook, community: Community, moves: list[Move], plan: UndoPlan
) -> None:
    """Cell updates putting each moved member back; cells changed since are listed instead."""
    members = {str(m.member_id): m for m in community.members.itertuples()}
    table = _table(raw, MEMBERS)
    letters = table.letters if table else {}
    for move in reversed(moves):  # the last move of a member is undone first
        member = members.get(move.member_id)
        if member is None:
            if move.kind in GROUP_MOVES or move.kind == "reward":
                plan.left_alone.append(f"{move}: no longer in Members")
            continue
        row = int(member.sheet_row)
        if move.kind in GROUP_MOVES:
            where = f"Members!{letters.get('group', 'C')}{row}"
            if member.group == move.to_group:
                plan.changes.cell_updates.append(
                    CellUpdate(MEMBERS.name, row, "group", move.from_group)
                )
                plan.moved_back += 1
            elif member.group != move.from_group:
                plan.left_alone.append(
                    f"{where}: {move.name or move.member_id} is now in {member.group}, "
                    f"not {move.to_group} as cycle {plan.cycle} left them"
                )
        elif move.kind == "reward" and move.to_group in member.extra_groups:
            kept = [group for group in member.extra_groups if group != move.to_group]
            plan.changes.cell_updates.append(
                CellUpdate(MEMBERS.name, row, "extra_groups", ", ".join(kept))
            )
            plan.moved_back += 1


def _messages_of(raw: RawWorkbook, community: Community, cycle: int) -> list[int]:
    """Sheet rows of the cycle's messages in Messages."""
    day = _processed_on(community, cycle)
    rows = []
    for row, record in _table(raw, MESSAGES) or []:
        recorded = record.get("cycle")
        if recorded not in (None, ""):
            if lenient_count(recorded) == cycle:
                rows.append(row)
            continue
        kind = lenient_text(record.get("kind"))
        if kind in CYCLE_MESSAGE_KINDS and day is not None and _day_of(record.get("date")) == day:
            rows.append(row)
    return rows


def _processed_on(community: Community, cycle: int) -> str | None:
    """The local day (YYYY-MM-DD) the cycle's run started, as its Runs row says."""
    runs = community.runs
    done = runs[(runs["cycle"] == cycle) & (runs["status"] == "done")]
    started = str(done["started_at"].iloc[-1]) if len(done) else ""
    return started[:10] or None


def _day_of(value: object) -> str | None:
    if isinstance(value, date):
        return value.isoformat()[:10]
    return lenient_text(value)[:10] or None


def _done_rows(raw: RawWorkbook, cycle: int) -> list[int]:
    return [
        row
        for row, record in _table(raw, RUNS) or []
        if lenient_count(record.get("cycle")) == cycle
        and lenient_text(record.get("status")).lower() == "done"
    ]


def _status(plan: UndoPlan, stamp: str) -> Record:
    what = f"Fix what was wrong, then run grouptier: it processes cycle {plan.cycle} again."
    if plan.ticked:
        what = "Move back in WhatsApp the members listed in the Runs tab. " + what
    return {
        "updated_at": stamp,
        "status": "undone",
        "cycle": plan.cycle,
        "summary": f"Cycle {plan.cycle} undone: {plan.summary}.",
        "what_to_do": what,
    }


def _runs_record(plan: UndoPlan, stamp: str, run_id: str, limit: int) -> Record:
    return {
        "run_id": run_id,
        "cycle": plan.cycle,
        "started_at": stamp,
        "finished_at": stamp,
        "trigger": "undo",
        "status": "written",
        "summary": f"cycle {plan.cycle} undone: {plan.summary}",
        "error": fit_lines("\n".join(plan.left_alone + plan.ticked), limit),
    }
