"""The `grouptier` command: thin click commands over the library, output through rich."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import ParamSpec, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from grouptier.backends.xlsx import XlsxBackend, create_workbook
from grouptier.cycle import RunOptions, check, run
from grouptier.demo import run_demo
from grouptier.display import show_check, show_problems, show_run
from grouptier.errors import GrouptierError, InvalidSheetError, UsageError
from grouptier.starter import starter_rows

P = ParamSpec("P")
R = TypeVar("R")

EXIT_INVALID = 1
EXIT_USAGE = 2


def stdout() -> Console:
    """Rich output, sized when used so COLUMNS and the real terminal are honoured."""
    return Console()


def stderr() -> Console:
    """Rich output for errors."""
    return Console(stderr=True)


def reported(command: Callable[P, R]) -> Callable[P, R]:
    """Turn library errors into a clean message and the documented exit code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except InvalidSheetError as error:
            show_problems(stderr(), error)
            raise SystemExit(EXIT_INVALID) from error
        except UsageError as error:
            raise click.UsageError(str(error)) from error
        except GrouptierError as error:
            message = escape(str(error))
            stderr().print(f"[bold red]Error:[/] {message}", highlight=False, soft_wrap=True)
            raise SystemExit(EXIT_INVALID) from error

    return wrapper


def _as_date(_ctx: click.Context, _param: click.Parameter, value: datetime | None) -> date | None:
    return value.date() if value else None


date_option = click.option(
    "--date",
    "today",
    type=click.DateTime(["%Y-%m-%d"]),
    callback=_as_date,
    help="Act as if today were this date (YYYY-MM-DD); default: today in the sheet's time zone.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="grouptier")
def main() -> None:
    """Run a WhatsApp community's core / general / retention ladder from a spreadsheet."""


@main.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default="grouptier-demo.xlsx",
    show_default=True,
    help="Where to put the demo workbook (replaced if it exists).",
)
@reported
def demo(out: Path) -> None:
    """Run a full cycle on the bundled demo community.

    \b
    Example:
      grouptier demo --out /tmp/demo.xlsx
    """
    report = run_demo(out)
    console = stdout()
    show_run(console, report, str(out))
    console.print(f"Open {out} to see Moves, Leaderboard, Members and Runs.")


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--anchor",
    type=click.DateTime(["%Y-%m-%d"]),
    callback=_as_date,
    help="First day of cycle 1 (default: today).",
)
@reported
def init(path: Path, anchor: date | None) -> None:
    """Create a new community workbook with every tab, headers and dropdowns.

    \b
    Example:
      grouptier init my-community.xlsx --anchor 2026-12-01
    """
    create_workbook(path, starter_rows(anchor or date.today()))
    stdout().print(
        f"Created {path}: fill in Groups and Members, then run `grouptier check {path}`."
    )


@main.command(name="check")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@date_option
@reported
def check_command(path: Path, today: date | None) -> None:
    """Check a workbook against the sheet contract without changing it.

    \b
    Example:
      grouptier check my-community.xlsx
    """
    show_check(stdout(), check(XlsxBackend(path), today), str(path))


@main.command(name="run")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@date_option
@click.option("--dry-run", is_flag=True, help="Show what the rules give; write nothing.")
@click.option("--cycle", type=click.IntRange(min=1), help="Show a past cycle (needs --dry-run).")
@reported
def run_command(path: Path, today: date | None, dry_run: bool, cycle: int | None) -> None:
    """Run every cycle that has closed and is not done yet, and write the results.

    \b
    Examples:
      grouptier run my-community.xlsx
      grouptier run my-community.xlsx --cycle 4 --dry-run
    """
    if cycle is not None and not dry_run:
        raise click.UsageError("--cycle shows a past cycle and needs --dry-run")
    report = run(XlsxBackend(path), RunOptions(today=today, dry_run=dry_run, cycle=cycle))
    show_run(stdout(), report, str(path))
