"""One contract, two backends: the same community gives the same results in .xlsx and Google Sheets.

Each scenario is built once, saved as a local workbook and as a sheet in the
local Sheets API fake, run through the same cycle, and every tab the run
writes is compared cell by cell (dates compared as calendar days).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import ANCHOR, TODAY, SheetBuilder
from sheets_fake import SheetsFake
from sheets_support import load_workbook, open_sheet
from test_cycle import save

from grouptier.backends.base import Backend
from grouptier.cells import SERIAL_EPOCH
from grouptier.cycle import RunOptions, RunReport, run
from grouptier.errors import GrouptierError
from grouptier.schedule import cycle_window

FIXED = datetime(2026, 10, 16, 6, 0, tzinfo=UTC)
WRITTEN = ("Members", "Moves", "Leaderboard", "Messages", "Runs", "Activity", "History", "Status")


def _plain(value: Any, column: str) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return (value - SERIAL_EPOCH).days
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if column in ("run_id",):
        return "<id>"
    return None if value == "" else value


def _tabs(backend: Backend) -> dict[str, list[list[Any]]]:
    workbook = backend.read()
    tabs = {}
    for name in WRITTEN:
        tab = workbook.find(name)
        rows = tab.rows if tab else []
        header = [str(v) for v in rows[0]] if rows else []
        plain = []
        for row in rows:
            cells = [_plain(v, header[i] if i < len(header) else "") for i, v in enumerate(row)]
            while cells and cells[-1] is None:
                cells.pop()
            plain.append(cells)
        tabs[name] = plain
    return tabs


Outcome = tuple[str, dict[str, list[list[Any]]]]


def _outcome(backend: Backend, options: RunOptions) -> Outcome:
    try:
        report: RunReport | None = run(backend, options, clock=lambda: FIXED)
        result = f"{report.status}: {report.move_counts()}, {report.messages} messages"
    except GrouptierError as error:
        result = f"{type(error).__name__}: {error}"
    return result, _tabs(backend)


def both(
    sheet: SheetBuilder, tmp_path: Path, fake: SheetsFake, options: RunOptions
) -> tuple[Outcome, Outcome]:
    """The same run on the same community, in a local workbook and in a Google Sheet."""
    local = _outcome(save(sheet, tmp_path / "c.xlsx"), options)
    load_workbook(fake, sheet.workbook())
    google = open_sheet(fake)
    # The xlsx read returns whole tool tabs; the Sheets read only their headers: read them fully.
    result, _ = _outcome(google, options)
    return local, (result, _full_tabs(fake))


def _full_tabs(fake: SheetsFake) -> dict[str, list[list[Any]]]:
    from sheets_support import SHEET_ID

    book = fake.books[SHEET_ID]
    tabs = {}
    for name in WRITTEN:
        present = any(tab.title == name for tab in book.tabs)
        rows = fake.values(SHEET_ID, name) if present else []
        header = [str(v) for v in rows[0]] if rows else []
        tabs[name] = []
        for row in rows:
            cells = [_plain(v, header[i] if i < len(header) else "") for i, v in enumerate(row)]
            while cells and cells[-1] is None:
                cells.pop()
            tabs[name].append(cells)
    return tabs


def _ladder(sheet: SheetBuilder) -> SheetBuilder:
    sheet.active_member("Core", score_days=3)
    sheet.member("Core")
    top = sheet.member("General", name="=1+1")
    sheet.post(top, messages=30, content=6, invites=5)
    sheet.active_member("General", score_days=2)
    for _ in range(3):
        sheet.member("General")
    sheet.active_member("Retention", score_days=1)
    sheet.member("General", joined_on=TODAY - timedelta(days=1), name="New Joiner")
    return sheet


def _rolled_up(sheet: SheetBuilder) -> SheetBuilder:
    member_id = sheet.member("General")
    sheet.active_member("Core", score_days=2)
    for number in (1, 2, 3):
        start = cycle_window(ANCHOR, 15, number).start
        sheet.post(member_id, start, messages=70, content=1)
        sheet.post(member_id, start, messages=5, invites=1, group="General")
    return sheet


def _done_row(cycle: int, finished_at: str) -> dict[str, Any]:
    return {"run_id": "old", "cycle": cycle, "status": "done", "finished_at": finished_at}


def _missed(sheet: SheetBuilder) -> SheetBuilder:
    _ladder(sheet)
    sheet.runs.append(_done_row(1, "2026-09-16 06:00:00"))
    return sheet


def _done(sheet: SheetBuilder) -> SheetBuilder:
    _ladder(sheet)
    sheet.runs.append(_done_row(3, "2026-10-16 06:00:00"))
    return sheet


def _invalid(sheet: SheetBuilder) -> SheetBuilder:
    _ladder(sheet)
    sheet.member("Genral")
    sheet.post(sheet.members[0]["member_id"], messages=-3)
    return sheet


def _rewards(sheet: SheetBuilder) -> SheetBuilder:
    sheet.active_member("Core")
    for _ in range(3):
        sheet.active_member("General", score_days=5)
    writer = sheet.member("General")
    sheet.post(writer, content=2)
    return sheet


SCENARIOS: dict[str, tuple[Callable[[SheetBuilder], SheetBuilder], RunOptions]] = {
    "ladder": (_ladder, RunOptions(today=TODAY)),
    "missed cycles": (_missed, RunOptions(today=TODAY)),
    "roll-up": (_rolled_up, RunOptions(today=TODAY)),
    "rewards": (_rewards, RunOptions(today=TODAY)),
    "invalid sheet": (_invalid, RunOptions(today=TODAY)),
    "nothing due": (_ladder, RunOptions(today=ANCHOR + timedelta(days=3))),
    "nothing due, a newcomer to welcome": (_done, RunOptions(today=TODAY + timedelta(days=1))),
    "dry run": (_ladder, RunOptions(today=TODAY, dry_run=True)),
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_both_backends_give_the_same_results(
    sheet: SheetBuilder, tmp_path: Path, fake: SheetsFake, scenario: str
) -> None:
    build, options = SCENARIOS[scenario]
    (local_result, local_tabs), (google_result, google_tabs) = both(
        build(sheet), tmp_path, fake, options
    )
    assert google_result.replace(open_sheet(fake).location, "<sheet>") == local_result.replace(
        str(tmp_path / "c.xlsx"), "<sheet>"
    )
    # A Sheets write that processes no cycle leaves its claim row as a `written` record.
    google_tabs["Runs"] = [row for row in google_tabs["Runs"] if "written" not in row]
    for name in WRITTEN:
        assert google_tabs[name] == local_tabs[name], name
