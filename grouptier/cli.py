"""The `grouptier` command: thin click commands over the library, output through rich."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import ParamSpec, TypeVar, cast

import click
from rich.console import Console

from grouptier.backends import Backend, is_google_sheet, open_backend, prepare_community
from grouptier.cells import CellError
from grouptier.cycle import RunOptions, check, run
from grouptier.day_messages import messages_of_day
from grouptier.demo import run_demo
from grouptier.display import (
    printable,
    reading_progress,
    show_check,
    show_import,
    show_messages,
    show_problems,
    show_run,
    shown,
)
from grouptier.display_history import show_cycle, show_cycles, show_member, show_undo
from grouptier.errors import GrouptierError, InvalidSheetError, UsageError
from grouptier.member_card import member_card
from grouptier.messages import TEMPLATE_NAMES, languages
from grouptier.option_dates import option_date, workbook_date_order
from grouptier.past_cycles import recorded_cycle, recorded_cycles
from grouptier.registry_template import write_registry_template
from grouptier.sheet import ALL_TABS
from grouptier.starter import starter_rows
from grouptier.undoing import UndoOptions, undo

P = ParamSpec("P")
R = TypeVar("R")

CREDENTIALS = "grouptier.credentials"  # where `main` keeps --credentials for the commands
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
            raise click.UsageError(printable(error)) from error
        except GrouptierError as error:
            message = shown(error)
            stderr().print(f"[bold red]Error:[/] {message}", highlight=False, soft_wrap=True)
            raise SystemExit(EXIT_INVALID) from error

    return wrapper


def _as_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """YYYY-MM-DD, or figures read in the date order of the command's workbook (`--date`)."""
    if value is None:
        return None
    path = ctx.params.get("path") if param.name == "today" else None
    workbook = functools.partial(backend_for, path) if path else None
    order = functools.partial(workbook_date_order, workbook) if workbook else None
    try:
        return option_date(value, order)
    except CellError as error:
        raise click.BadParameter(str(error), ctx, param) from error


class BundledLanguage(click.Choice[str]):
    """A bundled language, any case; a language alone ("pt") stands for its one variant."""

    def __init__(self) -> None:
        super().__init__(languages())

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> str:
        if isinstance(value, str):
            key = value.casefold().replace("_", "-")
            found = [c for c in self.choices if key in (c.casefold(), c.casefold().split("-")[0])]
            value = found[0] if len(found) == 1 else value
        return str(super().convert(value, param, ctx))


class WorkbookOrSheet(click.ParamType[str | Path, object]):
    """A Google Sheet URL or ID as given, else a workbook path checked by `click.Path`."""

    name = "path_or_sheet"

    def __init__(self, exists: bool) -> None:
        self.path = click.Path(exists=exists, dir_okay=False, path_type=Path)

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> str | Path:
        if isinstance(value, str) and is_google_sheet(value):
            return value
        path: Path = self.path.convert(cast(str, value), param, ctx)
        return path


date_option = click.option(
    "--date",
    "today",
    metavar="DATE",
    callback=_as_date,
    help="Act as if today were this date (YYYY-MM-DD, or as the sheet's date_format writes "
    "dates), at most one cycle ahead; default: today in the sheet's time zone.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="grouptier")
@click.option(
    "--credentials",
    type=click.Path(exists=True, dir_okay=False),
    envvar="GROUPTIER_CREDENTIALS",
    help="Service-account key file for Google Sheets "
    "(default: GOOGLE_APPLICATION_CREDENTIALS, else Application Default Credentials).",
)
@click.pass_context
def main(ctx: click.Context, credentials: str | None) -> None:
    """Run a WhatsApp community's core / general / retention ladder from a spreadsheet."""
    ctx.meta[CREDENTIALS] = credentials


def backend_for(path: str | Path) -> Backend:
    """The backend for PATH: the workbook, or the Google Sheet opened with `--credentials`."""
    return open_backend(path, click.get_current_context().meta.get(CREDENTIALS))


@main.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default="grouptier-demo.xlsx",
    show_default=True,
    help="Where to put the demo workbook (replaced if it exists).",
)
@click.option(
    "--language",
    type=BundledLanguage(),
    help="Write every message in this bundled language (default: the demo's own, en).",
)
@reported
def demo(out: Path, language: str | None) -> None:
    """Run a full cycle on the bundled demo community.

    \b
    Example:
      grouptier demo --out /tmp/demo.xlsx
      grouptier demo --language pt-BR
    """
    report = run_demo(out, language)
    console = stdout()
    show_run(console, report, str(out))
    console.print(
        f"Open {shown(out)}: the Status tab says what to do next; Moves, Leaderboard, "
        "Members and Messages hold the rest."
    )


@main.command()
@click.argument("path", type=WorkbookOrSheet(exists=False))
@click.option(
    "--anchor",
    metavar="DATE",
    callback=_as_date,
    help="First day of cycle 1: YYYY-MM-DD, or a date that reads one way only, like "
    "22/11/2026 (default: today).",
)
@reported
def init(path: str | Path, anchor: date | None) -> None:
    """Create a new community workbook (or prepare a Google Sheet) with every tab and dropdowns.

    \b
    Examples:
      grouptier init my-community.xlsx --anchor 2026-12-01
      grouptier init https://docs.google.com/spreadsheets/d/SHEET_ID/edit
    """
    key_file = click.get_current_context().meta.get(CREDENTIALS)
    added = prepare_community(path, starter_rows(anchor or date.today()), key_file)
    contract = [spec.name for spec in ALL_TABS]
    tabs = [name for name in added if name in contract]
    charts = [name for name in added if name not in contract]
    if not added:
        stdout().print(f"{shown(path)} already has every tab; nothing was changed.")
    elif len(tabs) == len(contract):
        stdout().print(
            f"Created {shown(path)}: fill in Groups and Members, "
            f"then run `grouptier check {shown(path)}`."
        )
    elif tabs:
        stdout().print(f"Added to {shown(path)} the tabs it lacked: {', '.join(tabs)}.")
    if charts and len(tabs) != len(contract):
        titles = ", ".join(shown(chart.removeprefix("Dashboard chart: ")) for chart in charts)
        stdout().print(f"Added to the Dashboard the charts it lacked: {titles}.")


@main.command(name="init-registry")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@reported
def init_registry(path: Path) -> None:
    """Create the admin sheet's Communities tab (a one-tab .xlsx) for many communities.

    Upload it to Google Sheets, add one row per community (sheet, time_zone,
    run_hour, enabled), then deploy with `deploy/deploy.sh --registry URL`.

    \b
    Example:
      grouptier init-registry communities.xlsx
    """
    write_registry_template(path)
    stdout().print(
        f"Created {shown(path)}: upload it to Google Sheets, add a row per community, "
        "then pass its URL to deploy/deploy.sh --registry."
    )


@main.command(name="check")
@click.argument("path", type=WorkbookOrSheet(exists=True), is_eager=True)
@date_option
@reported
def check_command(path: str | Path, today: date | None) -> None:
    """Check a workbook against the sheet contract without changing it.

    Also says which cycle was done last, which comes next and when it is processed.

    \b
    Example:
      grouptier check my-community.xlsx
    """
    show_check(stdout(), check(backend_for(path), today), str(path))


@main.command(name="run")
@click.argument("path", type=WorkbookOrSheet(exists=True), is_eager=True)
@date_option
@click.option("--dry-run", is_flag=True, help="Show what the rules give; write nothing.")
@reported
def run_command(path: str | Path, today: date | None, dry_run: bool) -> None:
    """Run every cycle that has closed and is not done yet, and write the results.

    \b
    Examples:
      grouptier run my-community.xlsx
      grouptier run my-community.xlsx --dry-run
    """
    report = run(backend_for(path), RunOptions(today=today, dry_run=dry_run))
    show_run(stdout(), report, str(path))


@main.command(name="cycles")
@click.argument("path", type=WorkbookOrSheet(exists=True))
@click.argument("cycle", type=click.IntRange(min=1), required=False)
@reported
def cycles_command(path: str | Path, cycle: int | None) -> None:
    """List the processed cycles, or show one as the sheet recorded it (not a replay).

    \b
    Examples:
      grouptier cycles my-community.xlsx
      grouptier cycles my-community.xlsx 4
    """
    backend = backend_for(path)
    with backend.lock():
        raw = backend.read()
    if cycle is None:
        show_cycles(stdout(), recorded_cycles(raw), str(path))
    else:
        show_cycle(stdout(), recorded_cycle(raw, cycle))


@main.command(name="member")
@click.argument("path", type=WorkbookOrSheet(exists=True), is_eager=True)
@click.argument("who")
@date_option
@reported
def member_command(path: str | Path, who: str, today: date | None) -> None:
    """Show one member: rank and points in the cycle so far, protections, past cycles.

    WHO is a member id, a phone number however written, a name or an alias.

    \b
    Examples:
      grouptier member my-community.xlsx "+55 11 90014-2542"
      grouptier member my-community.xlsx "Bea Ramos"
    """
    show_member(stdout(), member_card(backend_for(path), who, today))


@main.command(name="undo")
@click.argument("path", type=WorkbookOrSheet(exists=True))
@click.option(
    "--cycle",
    type=click.IntRange(min=1),
    help="The cycle to undo; it must be the latest processed (the default).",
)
@click.option("--force", is_flag=True, help="Undo even when moves are ticked done in Moves.")
@click.option("--dry-run", is_flag=True, help="Show what would be undone; write nothing.")
@reported
def undo_command(path: str | Path, cycle: int | None, force: bool, dry_run: bool) -> None:
    """Undo the latest processed cycle: members back, its moves and messages removed.

    The next run processes the cycle again. Cells a manager changed since the
    cycle are listed and left alone.

    \b
    Examples:
      grouptier undo my-community.xlsx --dry-run
      grouptier undo my-community.xlsx --cycle 7
    """
    plan = undo(backend_for(path), UndoOptions(cycle=cycle, force=force, dry_run=dry_run))
    show_undo(stdout(), plan, str(path), dry_run)


@main.command(name="messages")
@click.argument("path", type=WorkbookOrSheet(exists=True), is_eager=True)
@date_option
@click.option("--group", help="Only this group's messages; `staff` for the staff digest.")
@click.option("--kind", type=click.Choice(TEMPLATE_NAMES), help="Only messages of this kind.")
@reported
def messages_command(
    path: str | Path, today: date | None, group: str | None, kind: str | None
) -> None:
    """Print a day's messages from the Messages tab, ready to copy into WhatsApp.

    \b
    Examples:
      grouptier messages my-community.xlsx
      grouptier messages my-community.xlsx --date 2026-10-16 --group General --kind welcome
    """
    day = messages_of_day(backend_for(path), today, group, kind)
    show_messages(stdout(), day, str(path))


@main.command(name="import-chat")
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("path", type=WorkbookOrSheet(exists=True))
@click.option("--group", required=True, help="The group (as in Groups) the chat was exported from.")
@click.option("--dry-run", is_flag=True, help="Show what would be imported; write nothing.")
@click.option(
    "--day-first",
    "date_order",
    flag_value="day-first",
    default=None,
    help="The export writes the day first (03/04/25 = 3 April); default: decided from the file.",
)
@click.option(
    "--month-first",
    "date_order",
    flag_value="month-first",
    help="The export writes the month first (03/04/25 = 4 March).",
)
@click.option(
    "--year-first",
    "date_order",
    flag_value="year-first",
    help="The export writes a 2-digit year first (25. 3. 4. = 4 March 2025, Korean).",
)
@click.option("--add-newcomers", is_flag=True, help="Add senders not in Members as new members.")
@click.option(
    "--accept-suggestions",
    is_flag=True,
    help="Add each sender's name to the aliases of the member suggested for them.",
)
@reported
def import_chat_command(
    *,
    export: Path,
    path: str | Path,
    group: str,
    dry_run: bool,
    date_order: str | None,
    add_newcomers: bool,
    accept_suggestions: bool,
) -> None:
    """Count a WhatsApp chat export (.zip or .txt) into the Activity tab.

    Messages, active days, content posts and invites per member and day;
    importing the same or an overlapping export again replaces, never adds twice.
    The export's first and last day are recorded in the Imports tab.

    \b
    Examples:
      grouptier import-chat "WhatsApp Chat with General.zip" --group General my-community.xlsx
      grouptier import-chat _chat.txt --group Core my-community.xlsx --dry-run --day-first
    """
    # Lazy: the chat reader compiles every language's tables, which only this command needs.
    from grouptier.chat.importing import ImportOptions, import_chat

    options = ImportOptions(group, dry_run, date_order, add_newcomers, accept_suggestions)
    with reading_progress(stderr()) as progress:
        report = import_chat(backend_for(path), export, options, progress)
    show_import(stdout(), report, str(path))
