"""One run: read the sheet, check it, decide the due cycles, write the results in one batch.

This is the only module that wires the pure core (scoring, tiers, history)
to a backend and the clock. Runners (the CLI, the Cloud Function) call `run`
or `check` and show the report; they hold no rules.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd

from grouptier.backends.base import Backend, CellUpdate, ChangeSet, Record
from grouptier.community import Community, load_community
from grouptier.errors import GrouptierError, InvalidSheetError, UsageError
from grouptier.health import activity_warnings
from grouptier.history import roll_up
from grouptier.schedule import cycle_window, due_cycles, latest_completed
from grouptier.scoring import score_members
from grouptier.tiers import CyclePlan, plan_cycle

Clock = Callable[[], datetime]
_TIME = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class RunOptions:
    """How a run was asked for."""

    today: date | None = None
    dry_run: bool = False
    cycle: int | None = None
    trigger: str = "manual"


@dataclass(frozen=True)
class RunReport:
    """What a run did, for the runner to show."""

    run_id: str
    status: str  # done | dry_run | nothing_due
    today: date
    plans: tuple[CyclePlan, ...] = ()
    warnings: tuple[str, ...] = ()
    note: str = ""
    written: bool = False

    def move_counts(self) -> dict[str, int]:
        """Moves by kind over all cycles of the run."""
        counts: dict[str, int] = {}
        for plan in self.plans:
            for kind, count in plan.moves["kind"].value_counts().items():
                counts[str(kind)] = counts.get(str(kind), 0) + int(count)
        return counts


@dataclass(frozen=True)
class CheckReport:
    """A valid sheet's size and the warnings a manager should see."""

    members: int
    groups: int
    activity_rows: int
    warnings: tuple[str, ...] = field(default_factory=tuple)


def utc_now() -> datetime:
    """The real clock, timezone-aware."""
    return datetime.now(ZoneInfo("UTC"))


def check(backend: Backend, today: date | None = None, clock: Clock = utc_now) -> CheckReport:
    """Validate the sheet without writing anything; raises InvalidSheetError.

    The warnings are those the latest closed cycle would show.
    """
    community = load_community(backend.read())
    settings = community.settings
    today = today or _local_today(clock(), settings.time_zone)
    latest = latest_completed(today, settings.cycle_anchor, settings.cycle_days)
    warnings = plan_cycles(community, [latest])[1] if latest else []
    sizes = (len(community.members), len(community.groups), len(community.activity))
    return CheckReport(*sizes, warnings=tuple(warnings))


def _local_today(now: datetime, time_zone: str) -> date:
    return now.astimezone(ZoneInfo(time_zone)).date()


def run(backend: Backend, options: RunOptions, clock: Clock = utc_now) -> RunReport:
    """Process every due cycle (or the one asked for in a dry run) and write the results."""
    run_id = uuid.uuid4().hex[:10]
    started = clock()
    with backend.lock():
        raw = backend.read()
        try:
            community = load_community(raw)
        except InvalidSheetError as error:
            if not options.dry_run:
                _record_failure(backend, run_id, started, options, error)
            raise
        report = _decide(community, run_id, options, started)
        if report.status == "done" and not options.dry_run:
            changes = changes_for(community, report, options.trigger, started, clock())
            backend.write(changes)
            report = replace(report, written=True)
    return report


def _decide(community: Community, run_id: str, options: RunOptions, started: datetime) -> RunReport:
    settings = community.settings
    today = options.today or _local_today(started, settings.time_zone)
    if options.cycle is not None:
        return _dry_run_of(community, run_id, options.cycle, today)
    last_done = _last_done(community.runs)
    due = due_cycles(today, settings.cycle_anchor, settings.cycle_days, last_done)
    if not due:
        return RunReport(
            run_id, "nothing_due", today, note=_nothing_due(community, today, last_done)
        )
    plans, warnings = plan_cycles(community, due)
    status = "dry_run" if options.dry_run else "done"
    return RunReport(run_id, status, today, tuple(plans), tuple(warnings))


def plan_cycles(community: Community, cycles: list[int]) -> tuple[list[CyclePlan], list[str]]:
    """Plan `cycles` in order, each starting from the members as the previous one left them."""
    settings = community.settings
    members = community.members
    plans, warnings = [], []
    for number in cycles:
        window = cycle_window(settings.cycle_anchor, settings.cycle_days, number)
        scores = score_members(members, community.activity, community.history, window, settings)
        plan = plan_cycle(members, community.groups, scores, window, settings)
        plans.append(plan)
        warnings += [f"cycle {number}: {text}" for text in plan.warnings]
        warnings += [f"cycle {number}: {text}" for text in activity_warnings(community, scores)]
        if settings.apply_moves:
            members = apply_moves(members, plan.moves)
    return plans, warnings


def apply_moves(members: pd.DataFrame, moves: pd.DataFrame) -> pd.DataFrame:
    """Members after a cycle's moves: new groups, rewarded extra groups."""
    members = members.copy()
    position = {member_id: i for i, member_id in enumerate(members["member_id"].tolist())}
    groups, extras = members["group"].tolist(), members["extra_groups"].tolist()
    for move in moves.itertuples():
        at = position[str(move.member_id)]
        if move.kind in {"promote", "demote", "return"}:
            groups[at] = str(move.to_group)
            extras[at] = tuple(name for name in extras[at] if name != move.to_group)
        elif move.kind == "reward":
            extras[at] = (*extras[at], str(move.to_group))
    members["group"], members["extra_groups"] = groups, extras
    return members


def _dry_run_of(community: Community, run_id: str, cycle: int, today: date) -> RunReport:
    settings = community.settings
    latest = latest_completed(today, settings.cycle_anchor, settings.cycle_days)
    if not 1 <= cycle <= latest:
        raise UsageError(
            f"cycle {cycle} has not closed yet on {today:%Y-%m-%d}; "
            f"the last closed cycle is {latest}"
            if cycle > latest
            else "cycles are numbered from 1"
        )
    plans, warnings = plan_cycles(community, [cycle])
    return RunReport(run_id, "dry_run", today, tuple(plans), tuple(warnings))


def _last_done(runs: pd.DataFrame) -> int | None:
    done = runs.loc[runs["status"] == "done", "cycle"]
    return int(done.max()) if not done.empty else None


def _nothing_due(community: Community, today: date, last_done: int | None) -> str:
    settings = community.settings
    anchor, days = settings.cycle_anchor, settings.cycle_days
    upcoming = cycle_window(anchor, days, max(latest_completed(today, anchor, days) + 1, 1))
    closes = f"the next cycle closes at the end of {upcoming.end:%Y-%m-%d}"
    if last_done is None:
        return f"No cycle has closed yet; {closes}."
    runs = community.runs
    last = runs[(runs["status"] == "done") & (runs["cycle"] == last_done)].iloc[-1]
    window = cycle_window(anchor, days, last_done)
    return (
        f"Nothing to do: {window} was already done on {last['finished_at']} "
        f"(run {last['run_id']}); {closes}."
    )


def changes_for(
    community: Community, report: RunReport, trigger: str, started: datetime, finished: datetime
) -> ChangeSet:
    """Everything a finished run writes back to the sheet, as one batch."""
    settings = community.settings
    local = ZoneInfo(settings.time_zone)
    started_at = started.astimezone(local).strftime(_TIME)
    finished_at = finished.astimezone(local).strftime(_TIME)
    changes = ChangeSet()
    moves = [
        _move_record(move, started_at)
        for plan in report.plans
        for move in plan.moves.to_dict("records")
    ]
    changes.appends["Moves"] = moves
    changes.appends["Runs"] = [
        _run_record(report.run_id, plan, trigger, started_at, finished_at) for plan in report.plans
    ]
    changes.replacements["Leaderboard"] = report.plans[-1].leaderboard.to_dict("records")
    if settings.apply_moves:
        changes.cell_updates = _member_updates(community, report.plans)
    rollup = roll_up(community.activity, report.plans[-1].window.cycle, settings)
    if rollup.removed_rows:
        changes.deleted_rows["Activity"] = rollup.removed_rows
        changes.appends["History"] = rollup.history.to_dict("records")
    return changes


def _move_record(move: Record, run_at: str) -> Record:
    record = {key: value for key, value in move.items() if key != "sheet_row"}
    return {**record, "run_at": run_at, "done": ""}


def _run_record(run_id: str, plan: CyclePlan, trigger: str, started: str, finished: str) -> Record:
    counts = plan.moves["kind"].value_counts()
    summary = ", ".join(f"{count} {kind}" for kind, count in counts.items()) or "no moves"
    if plan.warnings:
        summary += f"; {len(plan.warnings)} warnings: " + " | ".join(plan.warnings)
    return {
        "run_id": run_id,
        "cycle": plan.window.cycle,
        "started_at": started,
        "finished_at": finished,
        "trigger": trigger,
        "status": "done",
        "summary": summary,
        "error": "",
    }


def _member_updates(community: Community, plans: tuple[CyclePlan, ...]) -> list[CellUpdate]:
    members = community.members
    final = members
    for plan in plans:
        final = apply_moves(final, plan.moves)
    updates = []
    for before, after in zip(members.itertuples(), final.itertuples(), strict=True):
        if before.group != after.group:
            updates.append(CellUpdate("Members", int(after.sheet_row), "group", after.group))
        if before.extra_groups != after.extra_groups:
            text = ", ".join(after.extra_groups)
            updates.append(CellUpdate("Members", int(after.sheet_row), "extra_groups", text))
    return updates


def _record_failure(
    backend: Backend, run_id: str, started: datetime, options: RunOptions, error: GrouptierError
) -> None:
    stamp = started.strftime(_TIME)
    record: Record = {
        "run_id": run_id,
        "cycle": "",
        "started_at": stamp,
        "finished_at": stamp,
        "trigger": options.trigger,
        "status": "invalid",
        "summary": "the sheet has problems; nothing else was written",
        "error": str(error),
    }
    # The sheet's problems matter more than a failure to log them; the caller shows them.
    with contextlib.suppress(GrouptierError):
        backend.write(ChangeSet(appends={"Runs": [record]}))
