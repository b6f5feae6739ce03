"""How one run's changes become Sheets API requests, laid out on the tabs its read saw (pure).

`Snapshot` is what the read saw; `Layout` turns a `ChangeSet` into requests
against it: cells by header position (missing headers added, grids grown),
tabs the contract needs created where it puts them, rows removed, and a
`WritePlan` that `gsheets` sends whole or stages (`sheets_staging`). It also
refuses, before anything is sent, a write past Google's 10-million-cell limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from grouptier import sheet
from grouptier.backends.base import ChangeSet, Record
from grouptier.backends.sheets_charts import dashboard_charts
from grouptier.backends.sheets_http import CELL_LIMIT
from grouptier.backends.sheets_requests import (
    Request,
    TabInfo,
    append_cells,
    clear_below_header,
    grow,
    new_sheet_id,
    removal_requests,
    set_cells,
)
from grouptier.backends.sheets_staging import Block, Stage, commit_requests, staging_title
from grouptier.cells import CellValue, normalise
from grouptier.dashboard import FIXED_COLUMNS
from grouptier.errors import SheetError, SheetLimitError

__all__ = ["Layout", "Snapshot", "WritePlan", "dropped"]

_CONTRACT = {normalise(spec.name): spec for spec in sheet.ALL_TABS}


@dataclass
class Snapshot:
    """What this run's read saw: tabs by normalised name, their cells, the runs that had written."""

    tabs: dict[str, TabInfo]
    changed_runs: set[str] = field(default_factory=set)  # runs that had changed the sheet
    cells: int = 0
    sheet_ids: set[int] = field(default_factory=set)
    rows: dict[str, list[list[CellValue]]] = field(default_factory=dict)
    leftovers: list[int] = field(default_factory=list)  # staging tabs of runs that died
    charts: list[str] = field(default_factory=list)  # Dashboard charts it lacks (by title)


@dataclass
class WritePlan:
    """One run's state write, before it is sent whole or staged."""

    requests: list[Request]  # in place: cells, clears, rows removed, the claim row, new headers
    blocks: list[Block]  # rows added to a tab, or replacing its data rows
    runs: list[Request]  # the run's other Runs rows, appended last
    removed: dict[int, int]  # rows the requests remove, by sheet id
    leftovers: list[int]

    def single(self) -> list[Request]:
        """Everything in one batchUpdate."""
        rows = [
            append_cells(b.tab.sheet_id, b.rows)
            if b.row is None
            else set_cells(b.tab.sheet_id, b.row, 0, b.rows)
            for b in self.blocks
        ]
        return [*self.requests, *rows, *self.runs, *dropped(self.leftovers)]

    def stage(self, sheet_id: int, run_id: str) -> Stage:
        """The staging tab that holds the rows of `blocks` until the commit."""
        return Stage(sheet_id, staging_title(run_id), self.blocks)

    def committed(self, stage: Stage) -> list[Request]:
        """The small batchUpdate that puts the staged rows in place and finishes the run."""
        copies = commit_requests(stage, self.removed)
        return [*self.requests, *copies, *self.runs, *dropped(self.leftovers)]


def dropped(sheet_ids: list[int]) -> list[Request]:
    return [{"deleteSheet": {"sheetId": sheet_id}} for sheet_id in sheet_ids]


class Layout:
    """Requests for one run's changes, on the tabs `snapshot` holds (it learns new tabs)."""

    def __init__(self, snapshot: Snapshot, spreadsheet_id: str, location: str) -> None:
        self.snapshot = snapshot
        self.spreadsheet_id = spreadsheet_id
        self.location = location

    def plan(self, changes: ChangeSet, claim_row: int) -> WritePlan:
        """The state write's parts: requests in place, rows to add, Runs rows, tabs to drop."""
        requests: list[dict[str, Any]] = []
        for update in changes.cell_updates:
            info = self.tab(update.tab, requests, create=False)
            column = info.column(update.column, requests)
            requests.append(set_cells(info.sheet_id, update.row - 1, column, [[update.value]]))
        blocks: list[Block] = []
        for name, records in changes.replacements.items():
            info, rows = self.replacement(name, records, requests)
            if rows:
                blocks.append(Block(info, rows, row=1))
            missing = self.snapshot.charts
            if normalise(name) == normalise(sheet.DASHBOARD.name) and records and missing:
                # A sheet made before the charts existed gets them with its Dashboard.
                groups = [column for column in records[0] if column not in FIXED_COLUMNS]
                requests += dashboard_charts(info, groups, missing)[0]
        removed: dict[int, int] = {}
        for name, gone in changes.deleted_rows.items():
            if gone:
                info = self.tab(name, requests, create=False)
                read = self.snapshot.rows.get(normalise(name), [])
                requests += removal_requests(info, read, gone)
                removed[info.sheet_id] = len(set(gone))
        appends = dict(changes.appends)
        runs = list(appends.pop("Runs", []))  # the claim row becomes the run's first record
        info = self.tab("Runs", requests, create=False)
        (row_values,) = self.rows(info, [runs.pop(0)], requests)
        requests.append(set_cells(info.sheet_id, claim_row - 1, 0, [row_values]))
        for name, records in appends.items():
            if records:
                tab = self.tab(name, requests, create=True)
                blocks.append(Block(tab, self.rows(tab, records, requests)))
        return WritePlan(
            requests, blocks, self.appends({"Runs": runs}), removed, self.snapshot.leftovers
        )

    def replacement(
        self, name: str, records: list[Record], requests: list[dict[str, Any]]
    ) -> tuple[TabInfo, list[list[CellValue]]]:
        """Clear the data rows of tab `name` (grown to fit); the new rows, laid out by header."""
        info = self.tab(name, requests, create=True)
        rows = self.rows(info, records, requests)
        requests.append(clear_below_header(info.sheet_id))
        if 1 + len(rows) > info.row_count:
            requests.append(grow(info, "ROWS", 1 + len(rows) - info.row_count))
        return info, rows

    def appends(self, appends: dict[str, list[Record]]) -> list[dict[str, Any]]:
        requests: list[dict[str, Any]] = []
        for name, records in appends.items():
            if records:
                info = self.tab(name, requests, create=True)
                requests.append(append_cells(info.sheet_id, self.rows(info, records, requests)))
        return requests

    def rows(
        self, info: TabInfo, records: list[Record], requests: list[dict[str, Any]]
    ) -> list[list[CellValue]]:
        """Records laid out by the tab's header positions; missing headers are added."""
        names = list(dict.fromkeys(key for record in records for key in record))
        positions = {key: info.column(key, requests) for key in names}
        width = max(positions.values(), default=-1) + 1
        if width > info.column_count:
            requests.append(grow(info, "COLUMNS", width - info.column_count))
        rows = []
        for record in records:
            row: list[CellValue] = [None] * width
            for key, value in record.items():
                row[positions[key]] = value
            rows.append(row)
        return rows

    def tab(self, name: str, requests: list[dict[str, Any]], create: bool) -> TabInfo:
        key = normalise(name)
        if key in self.snapshot.tabs:
            return self.snapshot.tabs[key]
        if not create and key != "runs":
            raise SheetError(self.location, f'the tab "{name}" is missing, so it cannot be changed')
        spec = _CONTRACT.get(key)
        headers = spec.headers if spec else []
        sheet_id = new_sheet_id(self.snapshot.sheet_ids, self.spreadsheet_id, name)
        self.snapshot.sheet_ids.add(sheet_id)
        info = TabInfo(sheet_id, spec.name if spec else name, 1000, max(len(headers), 1), 1)
        properties: dict[str, Any] = {
            "sheetId": sheet_id,
            "title": info.title,
            "gridProperties": {
                "rowCount": info.row_count,
                "columnCount": info.column_count,
                "frozenRowCount": 1,
            },
        }
        position = sheet.position_of(info.title)
        if position is not None:
            properties["index"] = position
        requests.append({"addSheet": {"properties": properties}})
        if headers:
            requests.append(set_cells(sheet_id, 0, 0, [list(headers)]))
            info.last_row = 1
        info.read_header(list(headers))
        self.snapshot.tabs[key] = info
        self.snapshot.cells += info.row_count * info.column_count
        return info

    def check_size(self, changes: ChangeSet) -> None:
        """Refuse, before sending, a write that would take the grid past Google's cell limit.

        Appended rows grow a grid only past the last row read (every tab appended to
        is read in full); new tabs and columns are small beside the limit.
        """
        cells = self.snapshot.cells
        for name, records in changes.appends.items():
            info = self.snapshot.tabs.get(normalise(name)) if records else None
            if info is not None:
                cells += max(0, info.last_row + len(records) - info.row_count) * info.column_count
        for name, records in changes.replacements.items():
            info = self.snapshot.tabs.get(normalise(name))
            if info is not None:
                cells += max(0, 1 + len(records) - info.row_count) * info.column_count
        if cells > CELL_LIMIT:
            raise SheetLimitError(self.location, cells, CELL_LIMIT)

    def check_staged_size(self, stage: Stage) -> None:
        """`check_size` with the staging tab and the rows inserted for the copies counted."""
        cells = self.snapshot.cells + stage.row_count * stage.column_count
        cells += sum(len(b.rows) * b.tab.column_count for b in stage.blocks)
        if cells > CELL_LIMIT:
            raise SheetLimitError(self.location, cells, CELL_LIMIT)
