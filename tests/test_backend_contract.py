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

import openpyxl
import pytest
from conftest import ANCHOR, TODAY, WINDOW, SheetBuilder
from sheets_fake import SheetsFake
from sheets_support import load_workbook, open_sheet
from test_cycle import save

from grouptier.backends.base import Backend, ChangeSet
from grouptier.backends.xlsx import XlsxBackend
from grouptier.cells import SERIAL_EPOCH
from grouptier.community import load_community
from grouptier.cycle import RunOptions, RunReport, run
from grouptier.errors import GrouptierError
from grouptier.schedule import cycle_window
from grouptier.sheet import RUNS, RawTab

FIXED = datetime(2026, 10, 16, 6, 0, tzinfo=UTC)
WRITTEN = (
    "Members",
    "Moves",
    "Leaderboard",
    "Messages",
    "Runs",
    "Activity",
    "History",
    "Status",
    "Dashboard",
)


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
    # The Sheets read gives the Leaderboard's header only: read every tab from the fake instead.
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
        if name == "Activity":  # a Google Sheet sorts it by date to roll up in one step
            header, *rows = google_tabs[name]
            assert [header, *sorted(rows, key=repr)] == [
                local_tabs[name][0],
                *sorted(local_tabs[name][1:], key=repr),
            ], name
            continue
        assert google_tabs[name] == local_tabs[name], name


# --- Imports and the Runs windows ------------------------------------------------------------

IMPORT_ROW = {
    "imported_at": "2026-10-16 08:00:00",
    "group": "General",
    "first_day": date(2026, 9, 20),
    "last_day": date(2026, 10, 15),
    "source": "chat export WhatsApp Chat with General.zip",
    "messages": 812,
    "senders": 41,
    "unmatched": 3,
}
RUN_ROW = {
    "run_id": "r1",
    "cycle": 3,
    "started_at": "2026-10-16 08:00:00",
    "finished_at": "2026-10-16 08:00:01",
    "trigger": "manual",
    "status": "done",
    "summary": "no moves",
    "window_start": WINDOW.start,
    "window_end": WINDOW.end,
}
OLD_RUNS_HEADERS = [name for name in RUNS.headers if not name.startswith("window_")]


def _old_runs(sheet: SheetBuilder) -> SheetBuilder:
    """A community whose Runs tab predates window_start and window_end, with one old row."""
    _ladder(sheet)
    sheet.runs.append(_done_row(1, "2026-09-16 06:00:00"))
    return sheet


def _backends_with_old_runs(
    sheet: SheetBuilder, tmp_path: Path, fake: SheetsFake
) -> dict[str, Backend]:
    """The same community as a workbook and as a Google Sheet, Runs without the window columns."""
    raw = sheet.workbook()
    runs = raw.tabs["Runs"].rows
    kept = [RUNS.headers.index(name) for name in OLD_RUNS_HEADERS]
    raw.tabs["Runs"] = RawTab("Runs", [[row[i] for i in kept] for row in runs])
    load_workbook(fake, raw)
    path = tmp_path / "c.xlsx"
    save(sheet, path)
    workbook = openpyxl.load_workbook(path)
    runs_tab = workbook["Runs"]
    for name in ("window_end", "window_start"):
        runs_tab.delete_cols(RUNS.headers.index(name) + 1)
    workbook.save(path)
    return {"xlsx": XlsxBackend(path), "google": open_sheet(fake)}


def _plain_tab(backend: Backend, name: str) -> list[list[Any]]:
    tab = backend.read().find(name)
    rows = tab.rows if tab else []
    header = [str(v) for v in rows[0]] if rows else []
    plain: list[list[Any]] = [header]
    for row in rows[1:]:
        cells = [_plain(v, header[i] if i < len(header) else "") for i, v in enumerate(row)]
        while cells and cells[-1] is None:
            cells.pop()
        plain.append(cells)
    return plain


def test_both_backends_round_trip_imports_and_add_the_runs_windows_to_an_old_runs_tab(
    sheet: SheetBuilder, tmp_path: Path, fake: SheetsFake
) -> None:
    backends = _backends_with_old_runs(_old_runs(sheet), tmp_path, fake)
    serial = {day: (day - SERIAL_EPOCH).days for day in (WINDOW.start, WINDOW.end)}
    for name, backend in backends.items():
        assert _plain_tab(backend, "Runs")[0] == OLD_RUNS_HEADERS, name
        with backend.lock():
            backend.read()
            backend.write(ChangeSet(appends={"Imports": [IMPORT_ROW], "Runs": [RUN_ROW]}))
        runs = _plain_tab(backend, "Runs")
        assert runs[0] == [*OLD_RUNS_HEADERS, "window_start", "window_end"], name
        assert runs[1][runs[0].index("status")] == "done" and len(runs[1]) == 6, name
        assert runs[-1][-2:] == [serial[WINDOW.start], serial[WINDOW.end]], name
        community = load_community(backend.read())
        assert list(community.runs["cycle"]) == [1, 3], name
        imports = community.imports.drop(columns="sheet_row").to_dict("records")
        assert imports == [IMPORT_ROW], name


def test_a_cycle_runs_the_same_on_an_old_runs_tab_in_both_backends(
    sheet: SheetBuilder, tmp_path: Path, fake: SheetsFake
) -> None:
    backends = _backends_with_old_runs(_old_runs(sheet), tmp_path, fake)
    outcomes = {
        name: _outcome(backend, RunOptions(today=TODAY)) for name, backend in backends.items()
    }
    assert outcomes["xlsx"][0] == outcomes["google"][0]
    assert outcomes["xlsx"][0].startswith("done")
    google_tabs = _full_tabs(fake)
    google_tabs["Runs"] = [row for row in google_tabs["Runs"] if "written" not in row]
    for name in WRITTEN:
        assert google_tabs[name] == outcomes["xlsx"][1][name], name
