"""How results look in a terminal: rich tables of moves, warnings and sheet problems."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from grouptier.cycle import CheckReport, RunReport
from grouptier.errors import InvalidSheetError
from grouptier.reasons import plural, score_text
from grouptier.tiers import CyclePlan

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
    headline = f"{_HEADLINE[report.status]} · {escape(location)} · today {report.today:%Y-%m-%d}"
    console.print(headline, soft_wrap=True)
    if report.note:
        console.print(escape(report.note), soft_wrap=True)
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
            escape(str(move.name)),
            escape(route),
            score_text(float(move.score)),
            escape(str(move.reason)),
        )
    return table


def show_warnings(console: Console, warnings: tuple[str, ...]) -> None:
    """Warnings, each on its own line, in yellow."""
    for warning in warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False, soft_wrap=True)


def show_check(console: Console, report: CheckReport, location: str) -> None:
    """The size of a valid sheet and its warnings."""
    show_warnings(console, report.warnings)
    console.print(
        f"[bold green]Valid[/] · {escape(location)}: {plural(report.members, 'member')}, "
        f"{plural(report.groups, 'group')}, {plural(report.activity_rows, 'activity row')}",
        soft_wrap=True,
    )


def show_problems(console: Console, error: InvalidSheetError) -> None:
    """Every problem of an invalid sheet, one per line, with its cell."""
    count = plural(len(error.problems), "problem")
    console.print(f"[bold red]The sheet has {count}[/]; nothing was changed.", soft_wrap=True)
    for problem in error.problems:
        where, message = escape(problem.where), escape(problem.message)
        console.print(f"  [bold]{where}[/]: {message}", highlight=False, soft_wrap=True)
