"""One run: read the sheet, check it, decide the due cycles, write the results in one batch.

This is the only module that wires the pure core (scoring, tiers, history)
to a backend and the clock. Runners (the CLI, the Cloud Function) call `run`
or `check` and show the report; they hold no rules.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from grouptier.backends.base import Backend, CellUpdate, ChangeSet, Record
from grouptier.cell_text import fit_items
from grouptier.community import Community, load_community
from grouptier.dashboard import dashboard_rows
from grouptier.errors import (
    GrouptierError,
    InvalidSheetError,
    TemplateError,
    UsageError,
)
from grouptier.health import sheet_warnings
from grouptier.history import roll_up
from grouptier.leaderboard import board_rows, has_cycle, kept_board, members_before
from grouptier.messages import Override, Renderer
from grouptier.nudges import Nudge, is_nudge_day, nudges_for
from grouptier.outbox import Outbox, compose_outbox, read_messages
from grouptier.planning import apply_moves, plan_cycles
from grouptier.progress import cycle_so_far
from grouptier.reasons import plural
from grouptier.schedule import Calendar, Window, calendar_of
from grouptier.settings import Settings
from grouptier.sheet import (
    DASHBOARD,
    LEADERBOARD,
    MESSAGES,
    RUNS,
    STATUS,
    TEMPLATES,
    RawWorkbook,
    read_table,
)
from grouptier.status import done_status, error_text, invalid_status, messages_status
from grouptier.tiers import CyclePlan

Clock = Callable[[], datetime]
_TIME = "%Y-%m-%d %H:%M:%S"
_ANCHOR_REACH_DAYS = 365  # how far back the anchor of a sheet that never ran may lie


@dataclass(frozen=True)
class RunOptions:
    """How a run was asked for."""

    today: date | None = None
    dry_run: bool = False
    trigger: str = "manual"
    run_id: str | None = None  # chosen by the caller to tie its logs to the Runs row


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
    messages: int = 0  # rows added (or, in a dry run, that would be added) to Messages

    def move_counts(self) -> dict[str, int]:
        """Moves by kind over all cycles of the run."""
        counts: dict[str, int] = {}
        for plan in self.plans:
            for kind, count in plan.moves["kind"].value_counts().items():
                counts[str(kind)] = counts.get(str(kind), 0) + int(count)
        return counts


@dataclass(frozen=True)
class CheckReport:
    """A valid sheet's size, the warnings a manager should see, and where its cycles stand."""

    members: int
    groups: int
    activity_rows: int
    warnings: tuple[str, ...] = field(default_factory=tuple)
    last_done: Window | None = None  # None: no cycle processed yet
    upcoming: Window | None = None  # the cycle the next processing run takes first
    due: int = 0  # cycles closed and waiting for a run

    @property
    def processed_on(self) -> date | None:
        """The day `upcoming` closes and a run can process it."""
        return self.upcoming.end + timedelta(days=1) if self.upcoming else None


def utc_now() -> datetime:
    """The real clock, timezone-aware."""
    return datetime.now(ZoneInfo("UTC"))


def check(backend: Backend, today: date | None = None, clock: Clock = utc_now) -> CheckReport:
    """Validate the sheet without writing anything; raises InvalidSheetError.

    The warnings are those the latest closed cycle (the last one due, else the
    last one done) would show, its messages included: they are rendered too,
    so a broken template in the Templates tab is found here rather than by the
    next run. A catch-up the next run would refuse is a problem here too.
    """
    raw = backend.read()
    community = load_community(raw)
    settings = community.settings
    today = run_date(today, clock(), settings)
    calendar = calendar_of(community.runs, settings)
    due = _due_windows(calendar, settings, today)
    last = calendar.last_done
    plans, warnings = plan_cycles(community, due[-1:] or ([last] if last else []))
    warnings = [*calendar.warnings, *sheet_warnings(community), *warnings]
    warnings += outbox_for(community, raw, plans, today, backend.cell_text_limit).warnings
    sizes = (len(community.members), len(community.groups), len(community.activity))
    upcoming = calendar.next_window(today)
    return CheckReport(*sizes, tuple(warnings), last, upcoming, len(due))


def local_today(now: datetime, time_zone: str) -> date:
    """The date `now` falls on in `time_zone`."""
    return now.astimezone(ZoneInfo(time_zone)).date()


def run_date(asked: date | None, now: datetime, settings: Settings) -> date:
    """The run's today: `asked` (--date), at most one cycle ahead, or today in the sheet's zone."""
    local = local_today(now, settings.time_zone)
    if asked is None:
        return local
    reach = local + timedelta(days=settings.cycle_days)
    if asked > reach:
        raise UsageError(
            f"--date {asked:%Y-%m-%d} is more than one cycle ({settings.cycle_days} days) after "
            f"today ({local:%Y-%m-%d} in {settings.time_zone}); use a date up to "
            f"{reach:%Y-%m-%d}, or leave --date out"
        )
    return asked


def _due_windows(calendar: Calendar, settings: Settings, today: date) -> list[Window]:
    """The windows to process on `today`, oldest first; a runaway catch-up is refused."""
    due = calendar.due(today)
    anchor = settings.cycle_anchor
    # Cycles of half a year or more need two of their lengths, or a yearly cycle never runs.
    reach = max(_ANCHOR_REACH_DAYS, 2 * settings.cycle_days)
    if calendar.last_done is None and (today - anchor).days > reach:
        message = (
            f"cycle_anchor {anchor:%Y-%m-%d} is more than a year before {today:%Y-%m-%d} and "
            "no cycle has run yet: is it a typo? Set it to the first day of cycle 1, "
            "within the last year"
        )
        raise InvalidSheetError([settings.problem("cycle_anchor", message)])
    if len(due) > settings.max_catch_up_cycles:
        first, last = calendar.window(due[0]), calendar.window(due[-1])
        message = (
            f"{len(due)} cycles are due ({first.start:%Y-%m-%d} to {last.end:%Y-%m-%d}), more "
            f"than max_catch_up_cycles {settings.max_catch_up_cycles}: raise "
            f"max_catch_up_cycles to {len(due)} to process them all, or move cycle_anchor "
            "forward to skip the days in between"
        )
        raise InvalidSheetError([settings.problem("max_catch_up_cycles", message)])
    return [calendar.window(cycle) for cycle in due]


def run(backend: Backend, options: RunOptions, clock: Clock = utc_now) -> RunReport:
    """Process every due cycle (or the one asked for in a dry run) and write the results."""
    run_id = options.run_id or uuid.uuid4().hex[:10]
    started = clock()
    with backend.lock():
        raw = backend.read()
        try:
            community = load_community(raw)
            report = _decide(community, run_id, options, started)
            outbox = outbox_for(community, raw, report.plans, report.today, backend.cell_text_limit)
        except (InvalidSheetError, TemplateError) as error:
            if not options.dry_run:
                _record_failure(backend, raw, run_id, started, options=options, error=error)
            raise
        report = replace(
            report, messages=len(outbox.rows), warnings=(*report.warnings, *outbox.warnings)
        )
        board = restored_board(community, raw) if report.status == "nothing_due" else []
        if options.dry_run or (report.status != "done" and not outbox.rows and not board):
            return report  # nothing due, nobody new to welcome, the Leaderboard there: no write
        if report.status == "done":
            times = (started, clock())
            changes = changes_for(
                community,
                report,
                options.trigger,
                times,
                backend.cell_text_limit,
                kept=kept_board(raw),
            )
        elif outbox.rows:
            zone = ZoneInfo(community.settings.time_zone)
            now = clock().astimezone(zone).strftime(_TIME)
            status = messages_status(now, len(outbox.rows), report.note)
            changes = ChangeSet(replacements={STATUS.name: [status]})
        else:
            changes = ChangeSet()
        if board:
            changes.replacements[LEADERBOARD.name] = board
            restored = f"The Leaderboard of cycle {board[0]['cycle']} was missing: written again."
            report = replace(report, note=f"{report.note} {restored}".strip())
        add_messages(changes, outbox)
        backend.write(changes)
        report = replace(report, written=True)
    return report


def restored_board(community: Community, raw: RawWorkbook) -> list[Record]:
    """The Leaderboard with the last done cycle put back if the sheet lost it ([]: it is there)."""
    last = calendar_of(community.runs, community.settings).last_done
    board = kept_board(raw)
    if last is None or has_cycle(board, last.cycle):
        return []
    before = members_before(community.members, community.moves, last.cycle)
    plans, _ = plan_cycles(replace(community, members=before), [last])
    keep = community.settings.leaderboard_keep_cycles
    return board_rows([plans[0].leaderboard.to_dict("records")], board, keep)


def outbox_for(
    community: Community,
    raw: RawWorkbook,
    plans: Iterable[CyclePlan],
    today: date,
    cell_text_limit: int,
) -> Outbox:
    """The Messages rows a run adds: welcomes always, rituals and moves for planned cycles.

    Each text fits in one cell of the backend (`cell_text_limit` characters).
    """
    renderer = Renderer(community.settings.language, overrides_of(community, raw))
    existing = read_messages(read_table(raw, MESSAGES, []))
    return compose_outbox(
        community,
        existing,
        plans,
        today,
        renderer,
        cell_text_limit=cell_text_limit,
        nudges=_nudges(community, today),
    )


def _nudges(community: Community, today: date) -> list[Nudge]:
    """The nudges due today: none unless `nudge_day` is set and today is that day of a cycle."""
    if community.settings.nudge_day is None:
        return []
    progress = cycle_so_far(community, today)
    return nudges_for(progress) if is_nudge_day(progress, community.settings) else []


def overrides_of(community: Community, raw: RawWorkbook) -> list[Override]:
    """The Templates tab's rows as overrides, each knowing the cells of its text and name."""
    if community.templates.empty:
        return []
    # Read again only for the column letters, so an error can name the text's cell.
    table = read_table(raw, TEMPLATES, [])
    if table is None:
        return []
    return [
        Override(
            str(row.name),
            str(row.group),
            str(row.text),
            table.cell("text", int(row.sheet_row)),
            name_cell=table.cell("name", int(row.sheet_row)),
        )
        for row in community.templates.itertuples()
        if str(row.text).strip()
    ]


def add_messages(changes: ChangeSet, outbox: Outbox) -> None:
    """Put the outbox's new rows and its removal of old rows into `changes`."""
    if outbox.rows:
        changes.appends["Messages"] = outbox.rows
    if outbox.stale_rows:
        changes.deleted_rows["Messages"] = outbox.stale_rows


def _decide(community: Community, run_id: str, options: RunOptions, started: datetime) -> RunReport:
    settings = community.settings
    today = run_date(options.today, started, settings)
    calendar = calendar_of(community.runs, settings)
    windows = _due_windows(calendar, settings, today)
    if not windows:
        note = _nothing_due(community, calendar, today)
        return RunReport(run_id, "nothing_due", today, warnings=calendar.warnings, note=note)
    plans, warnings = plan_cycles(community, windows)
    warnings = [*calendar.warnings, *sheet_warnings(community), *warnings]
    status = "dry_run" if options.dry_run else "done"
    return RunReport(run_id, status, today, tuple(plans), tuple(warnings))


def _last_done(runs: pd.DataFrame, cycle: int) -> pd.Series:
    """The Runs row that processed `cycle` (the latest, should there be several)."""
    return runs[(runs["status"] == "done") & (runs["cycle"] == cycle)].iloc[-1]


def _nothing_due(community: Community, calendar: Calendar, today: date) -> str:
    upcoming = calendar.next_window(today)
    then = upcoming.end + timedelta(days=1)
    following = f"Next: {upcoming}, processed on {then:%Y-%m-%d}."
    last = calendar.last_done
    if last is None:
        return f"No cycle has closed yet. {following}"
    row = _last_done(community.runs, last.cycle)
    return (
        f"Nothing to do: {last} was already done on {row['finished_at']} "
        f"(run {row['run_id']}). {following}"
    )


def changes_for(
    community: Community,
    report: RunReport,
    trigger: str,
    times: tuple[datetime, datetime],
    limit: int,
    *,
    kept: list[Record] | None = None,
) -> ChangeSet:
    """Everything a finished run writes back to the sheet, as one batch.

    `times` are when the run started and finished; `limit` is the most
    characters a cell holds, which the Runs summary of many warnings is kept to;
    `kept` holds the Leaderboard's rows as the sheet has them (older cycles).
    """
    settings = community.settings
    local = ZoneInfo(settings.time_zone)
    started_at, finished_at = (moment.astimezone(local).strftime(_TIME) for moment in times)
    changes = ChangeSet()
    moves = [
        _move_record(move, started_at)
        for plan in report.plans
        for move in plan.moves.to_dict("records")
    ]
    changes.appends["Moves"] = moves
    changes.appends["Runs"] = [
        _run_record(report.run_id, plan, trigger, (started_at, finished_at), limit, warnings=shared)
        for plan, shared in zip(report.plans, _warnings_by_cycle(report), strict=True)
    ]
    changes.replacements["Leaderboard"] = board_rows(
        [plan.leaderboard.to_dict("records") for plan in report.plans],
        kept or [],
        settings.leaderboard_keep_cycles,
    )
    changes.replacements[DASHBOARD.name] = dashboard_rows(community, report.plans)
    status = done_status(report.plans, finished_at, report.messages, len(report.warnings))
    changes.replacements[STATUS.name] = [status]
    if settings.apply_moves:
        changes.cell_updates = _member_updates(community, report.plans)
    calendar = calendar_of(community.runs, settings)
    rollup = roll_up(community.activity, calendar, report.plans[-1].window.cycle, settings)
    if rollup.removed_rows:
        changes.deleted_rows["Activity"] = rollup.removed_rows
        changes.appends["History"] = rollup.history.to_dict("records")
    return changes


def _move_record(move: Record, run_at: str) -> Record:
    record = {key: value for key, value in move.items() if key != "sheet_row"}
    return {**record, "run_at": run_at, "done": ""}


def _warnings_by_cycle(report: RunReport) -> list[list[str]]:
    """The run's warnings shared out over its cycles' Runs rows, so that every one the
    Status row counts can be read there: a cycle's own on its row (the `cycle N:`
    prefix says which), the run's others (settings, the sheet, messages) on the last.
    """
    shares: list[list[str]] = [[] for _ in report.plans]
    prefixes = [f"cycle {plan.window.cycle}: " for plan in report.plans]
    for warning in report.warnings:
        owner = next((i for i, p in enumerate(prefixes) if warning.startswith(p)), -1)
        shares[owner].append(warning.removeprefix(prefixes[owner]))
    return shares


def _run_record(
    run_id: str,
    plan: CyclePlan,
    trigger: str,
    times: tuple[str, str],
    limit: int,
    *,
    warnings: list[str],
) -> Record:
    counts = plan.moves["kind"].value_counts()
    summary = ", ".join(f"{count} {kind}" for kind, count in counts.items()) or "no moves"
    if warnings:
        head = f"{summary}; {plural(len(warnings), 'warning')}:"
        hint = "grouptier check lists those that still apply"
        summary = fit_items(head, warnings, limit, noun="warning", hint=hint, sep=" | ")
    started, finished = times
    return {
        "run_id": run_id,
        "cycle": plan.window.cycle,
        "started_at": started,
        "finished_at": finished,
        "trigger": trigger,
        "status": "done",
        "summary": summary,
        "error": "",
        "window_start": plan.window.start,
        "window_end": plan.window.end,
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
    backend: Backend,
    raw: RawWorkbook,
    run_id: str,
    started: datetime,
    *,
    options: RunOptions,
    error: GrouptierError,
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
        "error": error_text(error, backend.cell_text_limit),
    }
    status = invalid_status(error, stamp, _next_row(raw, RUNS.name))
    changes = ChangeSet(appends={RUNS.name: [record]}, replacements={STATUS.name: [status]})
    # The sheet's problems matter more than a failure to log them; the caller shows them.
    with contextlib.suppress(GrouptierError):
        backend.write(changes)


def _next_row(raw: RawWorkbook, name: str) -> int:
    """The sheet row a row appended to tab `name` lands on: under the last one holding data."""
    tab = raw.find(name)
    rows = tab.rows if tab else []
    filled = [i for i, row in enumerate(rows, start=1) if any(v not in (None, "") for v in row)]
    return max(filled, default=1) + 1
