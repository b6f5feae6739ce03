"""How results look in a terminal: rich tables of moves, warnings and sheet problems."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, TaskID, TextColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress
from rich.table import Table

from grouptier.cycle import CheckReport, RunReport
from grouptier.day_messages import DayMessages
from grouptier.errors import InvalidSheetError
from grouptier.outbox import PRIVATE_KINDS, STAFF_GROUP
from grouptier.reasons import plural, score_text
from grouptier.tiers import CyclePlan

if TYPE_CHECKING:  # the chat reader loads its language tables: only `import-chat` needs them
    from grouptier.chat.export import Progress
    from grouptier.chat.importing import ImportReport, Unmatched

# What would change a terminal rather than show: ANSI/VT escape sequences (CSI, OSC with its
# text, the other ESC forms and the 8-bit CSI), C0 and C1 control characters except tab and
# line feed, and the bidirectional overrides and isolates that reorder the rest of a line.
# Emoji and their joiners (U+200D) and variation selectors are ordinary text and stay.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[ -/]*[0-~]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: object) -> str:
    """`text` as a string without escape sequences or control characters; tab, newline kept.

    Names, groups and problems come from a sheet or a chat export that anyone
    in a group can write to, so everything printed passes through here.
    """
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", str(text)))


def shown(text: object) -> str:
    """`text` ready for rich markup: `printable`, with rich's own `[...]` escaped."""
    return escape(printable(text))


_KIND_STYLE = {
    "promote": "green",
    "return": "cyan",
    "demote": "yellow",
    "reward": "magenta",
    "suggest_kol": "blue",
}
_HEADLINE = {
    "done": "[bold green]Done[/]",
    "dry_run": "[bold cyan]Dry run[/]: nothing was written",
    "nothing_due": "[bold]Nothing due[/]",
}


def show_run(console: Console, report: RunReport, location: str) -> None:
    """Moves of every planned cycle, then warnings and a one-line outcome."""
    for plan in report.plans:
        console.print(moves_table(plan))
    show_warnings(console, report.warnings)
    headline = f"{_HEADLINE[report.status]} · {shown(location)} · today {report.today:%Y-%m-%d}"
    console.print(headline, soft_wrap=True)
    if report.note:
        console.print(shown(report.note), soft_wrap=True)
    if report.messages:
        verb = "added to" if report.written else "for"
        console.print(f"{plural(report.messages, 'message')} {verb} the Messages tab.")
    if report.plans:
        counts = ", ".join(
            f"{count} {kind}" for kind, count in sorted(report.move_counts().items())
        )
        cycles = ", ".join(str(plan.window.cycle) for plan in report.plans)
        console.print(f"Cycle {cycles}: {counts or 'no moves'}.")


def moves_table(plan: CyclePlan) -> Table:
    """One row per move of the cycle, with its reason."""
    table = Table(title=f"Moves of {plan.window}", title_justify="left", expand=True)
    for header, options in (
        ("kind", {"no_wrap": True}),
        ("member", {}),
        ("from → to", {"no_wrap": True}),
        ("score", {"justify": "right"}),
        ("reason", {"ratio": 1}),
    ):
        table.add_column(header, **options)
    for move in plan.moves.itertuples():
        style = _KIND_STYLE.get(str(move.kind), "")
        route = f"{move.from_group} → {move.to_group}" if move.to_group else str(move.from_group)
        table.add_row(
            f"[{style}]{move.kind}[/]",
            shown(str(move.name)),
            shown(route),
            score_text(float(move.score)),
            shown(str(move.reason)),
        )
    return table


def show_warnings(console: Console, warnings: tuple[str, ...]) -> None:
    """Warnings, each on its own line, in yellow."""
    for warning in warnings:
        console.print(f"[yellow]warning:[/] {shown(warning)}", highlight=False, soft_wrap=True)


def show_check(console: Console, report: CheckReport, location: str) -> None:
    """The size of a valid sheet, its warnings, and which cycle was done last and comes next."""
    show_warnings(console, report.warnings)
    console.print(
        f"[bold green]Valid[/] · {shown(location)}: {plural(report.members, 'member')}, "
        f"{plural(report.groups, 'group')}, {plural(report.activity_rows, 'activity row')}",
        soft_wrap=True,
    )
    if report.upcoming:
        console.print(cycles_line(report), highlight=False, soft_wrap=True)


def cycles_line(report: CheckReport) -> str:
    """`Last cycle done: cycle 2 (...). Next: cycle 3 (...), processed on 2026-12-31.`"""
    last = f"Last cycle done: {report.last_done}." if report.last_done else "No cycle done yet."
    following = f"Next: {report.upcoming}"
    if report.due > 1:
        return f"{last} {following} and {report.due - 1} more, due now: the next run does them."
    if report.due:
        return f"{last} {following}, due now: the next run does it."
    return f"{last} {following}, processed on {report.processed_on:%Y-%m-%d}."


def show_problems(console: Console, error: InvalidSheetError) -> None:
    """Every problem of an invalid sheet, one per line, with its cell."""
    count = plural(len(error.problems), "problem")
    console.print(f"[bold red]The sheet has {count}[/]; nothing was changed.", soft_wrap=True)
    for problem in error.problems:
        where, message = shown(problem.where), shown(problem.message)
        console.print(f"  [bold]{where}[/]: {message}", highlight=False, soft_wrap=True)


def show_messages(console: Console, day: DayMessages, location: str) -> None:
    """Each message of the day under a rule naming where it goes, text exactly as written."""
    total = len(day.rows)
    for number, row in enumerate(day.rows, start=1):
        kind = str(row["kind"]).replace("_", " ")
        posted = " · posted" if row["posted"] else ""
        title = f"{number}/{total} · {delivery(row)} · {kind}{posted}"
        console.rule(shown(title), align="left")
        console.print(
            printable(row["text"]), markup=False, highlight=False, emoji=False, soft_wrap=True
        )
        console.print()
    summary = f"{plural(total, 'message')} for {day.day:%Y-%m-%d} in {shown(location)}"
    if not total:
        summary += "; `grouptier run` writes them each cycle, welcomes every day"
    console.print(summary, soft_wrap=True)


def delivery(row: Mapping[str, object]) -> str:
    """`Post in General`, `Send privately to Zeca García (+55 …)` or `For the managers`.

    Rows written before Messages had a `to` column fall back to the group and member id.
    """
    to = str(row.get("to") or "")
    if row["kind"] in PRIVATE_KINDS:
        return f"Send privately to {to or row['member_id']}"
    if row["group"] == STAFF_GROUP:
        return "For the managers"
    return f"Post in {to or row['group']}"


def show_import(console: Console, report: ImportReport, location: str) -> None:
    """The summary of a chat import: what was read, matched, written, and what was not."""
    export = report.export
    days = export.days
    span = f"{days[0]:%Y-%m-%d} to {days[-1]:%Y-%m-%d}" if days else "no dates"
    table = Table(
        title=f"Chat export {shown(export.name)}", title_justify="left", show_header=False
    )
    table.add_column("what", style="bold")
    table.add_column("figure", ratio=1)
    rows = [
        (
            "read",
            f"{plural(export.lines, 'line')} ({export.platform}, "
            f"{'ambiguous, read ' if export.ambiguous else ''}{export.order}: "
            f"{export.order_reason})",
        ),
        ("dates", span),
        ("messages", f"{export.messages} ({sum(d.content for d in export.sender_days)} content)"),
        ("system events", ", ".join(f"{n} {k}" for k, n in report.events.items()) or "none"),
        ("members matched", str(report.members_matched)),
        ("senders not matched", str(len(report.unmatched))),
        ("invites credited", str(report.invites)),
        (
            "Activity rows",
            f"{report.rows_added} added, {report.rows_replaced} replaced "
            f"(group {shown(report.group)})",
        ),
    ]
    if report.recorded:
        first, last = report.recorded
        what = "to record in Imports" if report.dry_run else "recorded in Imports"
        rows.append((what, f"{first:%Y-%m-%d} to {last:%Y-%m-%d}"))
    for what, figure in rows:
        table.add_row(what, shown(figure))
    console.print(table)
    if report.rolled_up_days:
        until = f"{report.rolled_up_until:%Y-%m-%d}" if report.rolled_up_until else ""
        console.print(
            f"[yellow]note:[/] {plural(report.rolled_up_days, 'day')} up to {until} "
            "are already summed in History and were not imported again.",
            soft_wrap=True,
        )
    if report.unmatched:
        console.print(unmatched_table(report))
    for sender, member in report.aliases_added:
        console.print(
            f"Alias added: {shown(sender)} → {shown(member.name)} (Members row {member.row})"
        )
    if report.newcomers:
        names = shown(", ".join(report.newcomers))
        console.print(f"New Members rows: {names}", soft_wrap=True)
    for skipped in export.skipped_sample:
        where = f"line {skipped.line}" if skipped.line else "date"
        console.print(
            f"[yellow]skipped {where}:[/] {shown(skipped.why)}: {shown(skipped.text)}",
            highlight=False,
            soft_wrap=True,
        )
    if export.skipped > len(export.skipped_sample):
        console.print(f"... {plural(export.skipped, 'line')} skipped in all.")
    headline = (
        "[bold cyan]Dry run[/]: nothing was written"
        if report.dry_run
        else ("[bold green]Imported[/]" if report.written else "[bold]Nothing to write[/]")
    )
    console.print(f"{headline} · {shown(location)}", soft_wrap=True)


def unmatched_table(report: ImportReport) -> Table:
    """Senders not found in Members, most active first, and why."""
    table = Table(title="Not in Members", title_justify="left", expand=True)
    for header in ("sender", "messages", "invites", "first seen", "why"):
        table.add_column(header, ratio=1 if header == "why" else None)
    for item in report.unmatched:
        table.add_row(
            shown(item.sender),
            str(item.messages),
            str(item.invites),
            f"{item.first_day:%Y-%m-%d}",
            shown(item.why + _unmatched_hint(item, bool(report.newcomers))),
        )
    return table


def _unmatched_hint(item: Unmatched, newcomers: bool) -> str:
    """What the manager can do: accept the likely member, or add the sender as a newcomer."""
    if item.suggestion is not None:
        member = item.suggestion
        return (
            f"; {item.sender} → {member.name} (Members row {member.row})? "
            "--accept-suggestions adds the alias"
        )
    return "" if newcomers else "; --add-newcomers adds them"


@contextmanager
def reading_progress(console: Console, large: int = 5_000_000) -> Iterator[Progress]:
    """A progress callback that shows a rich bar once a file of `large` bytes or more is read.

    The bar is redrawn by the callback, not by a thread of its own: a process
    with one thread may fork the workers that read a big export.
    """
    bar = RichProgress(
        TextColumn("reading"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        auto_refresh=False,
    )
    task: list[TaskID] = []
    drawn = [0.0]

    def advance(done: int, total: int) -> None:
        if total < large:
            return
        if not task:
            bar.start()
            task.append(bar.add_task("read", total=total))
        bar.update(task[0], completed=done)
        if done == total or time.monotonic() - drawn[0] >= _REDRAW_SECONDS:
            bar.refresh()
            drawn[0] = time.monotonic()

    try:
        yield advance
    finally:
        bar.stop()


_REDRAW_SECONDS = 0.1
