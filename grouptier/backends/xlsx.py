"""The local .xlsx backend: read the contract's tabs fast, write one batch of changes safely.

Reading (`xlsx_reading`) uses python-calamine, about six times faster than
openpyxl on a 200,000-row Activity tab, bounded to the contract's columns, plus
one pass over each worksheet's XML for cells calamine would show as blank:
formulas saved without their calculated value and cells holding an error.
openpyxl saves formulas without their values, so `xlsx_formulas` carries the
values of the old file over into the new one.

Writing uses openpyxl, which keeps formatting, data validation, column widths,
frozen panes and formulas, but drops charts, pictures and some Excel-only
features; `xlsx_safety` names those and the write is refused before anything
changes. Every save goes to a temporary file beside the workbook that then
replaces it, so a crash leaves the old file or the new one, never half of one
(`xlsx_files`, which also follows symbolic links to the real file and refuses
hard-linked ones).
"""

from __future__ import annotations

import os
import re
import warnings
from bisect import bisect_left
from collections.abc import Mapping
from contextlib import AbstractContextManager
from copy import copy
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils.cell import get_column_letter, range_boundaries
from openpyxl.worksheet.datavalidation import DataValidation

from grouptier import sheet
from grouptier.backends import xlsx_formulas
from grouptier.backends.base import CellUpdate, ChangeSet, Record
from grouptier.backends.xlsx_files import held_lock, real_path, refuse_hard_link, save_atomically
from grouptier.backends.xlsx_reading import damaged, read_workbook
from grouptier.backends.xlsx_safety import (
    FILE_EXISTS,
    PACKAGE_ERRORS,
    closed_up_formula,
    lost_in_loading,
    open_package,
    unsafe_parts,
)
from grouptier.cells import CellValue, normalise
from grouptier.errors import UnsafeWriteError, WorkbookError
from grouptier.sheet import RawWorkbook, TabSpec

__all__ = ["XlsxBackend", "create_workbook"]

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
TEXT_FORMAT = "@"
TOOL_TAB_COLOUR = "7F7F7F"
LAST_ROW = 1_048_576  # the last row of an Excel sheet: dropdowns cover the whole column
GROUP_LIST_ROWS = 200

_CONTRACT_TABS = {normalise(spec.name): spec for spec in sheet.ALL_TABS}
# openpyxl refuses these control characters in text; chat exports can contain them.
_ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


class XlsxBackend:
    """A workbook file on this computer, seen through the `Backend` interface.

    `lock_timeout` is how many seconds `lock()` waits for another run to finish
    before it gives up with `WorkbookBusyError`.
    """

    # Excel's most characters in one cell; Excel cuts a longer text when it opens the file.
    cell_text_limit = 32_767

    def __init__(self, path: str | os.PathLike[str], lock_timeout: float = 5.0) -> None:
        self._path = os.fspath(path)
        self._lock_timeout = lock_timeout

    @property
    def location(self) -> str:
        """The workbook's path, as given."""
        return self._path

    def lock(self) -> AbstractContextManager[None]:
        """Hold `<file>.lock` beside the file (links followed) for a whole run; not reentrant."""
        return held_lock(real_path(self._path), self._lock_timeout, self._path)

    def read(self) -> RawWorkbook:
        """The contract's tabs, cells as the file holds them; `rows[0]` is sheet row 1."""
        return read_workbook(self._path)

    def write(self, changes: ChangeSet) -> None:
        """Apply `changes` and replace the file in one step; refuse if parts would be lost.

        Order: cell updates (rows as read), replacements, deleted rows, appends.
        Formulas keep the values last calculated, moved with their rows.
        """
        if changes.is_empty():
            return
        # Through a symbolic link to the file it names: replacing the link would not change it.
        target = real_path(self._path)
        refuse_hard_link(target, self._path)
        workbook, values = _workbook_for_writing(target)
        tabs = _apply(workbook, changes, self._path)
        removed = {title: tab.removed for title, tab in tabs.items()}
        replaced = {title for title, tab in tabs.items() if tab.replaced}
        values = xlsx_formulas.carried_over(values, removed, replaced)
        # Without values to restore the package is saved as openpyxl writes it, not re-zipped.
        rewrite = partial(xlsx_formulas.restore_values, values=values) if values else None
        save_atomically(workbook, target, replace=True, rewrite=rewrite)


def create_workbook(
    path: str | os.PathLike[str], starter_rows: Mapping[str, list[dict[str, CellValue]]]
) -> None:
    """Create a new workbook with every tab of the contract; never overwrites a file.

    `starter_rows` maps a tab name to rows (keyed by column name) written under its headers.
    """
    target = os.fspath(path)
    unknown = set(starter_rows) - {spec.name for spec in sheet.ALL_TABS}
    if unknown:
        raise ValueError(f"starter rows for tabs outside the contract: {sorted(unknown)}")
    if os.path.lexists(target):
        raise WorkbookError(target, FILE_EXISTS)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for spec in sheet.ALL_TABS:
        tab = _Tab(_new_tab(workbook, spec), spec)
        for record in starter_rows.get(spec.name, []):
            tab.append(record)
    _add_dropdowns(workbook)
    save_atomically(workbook, target, replace=False)


# --- writing -----------------------------------------------------------------


def _workbook_for_writing(path: str) -> tuple[Any, xlsx_formulas.SavedValues]:
    with open_package(path) as archive:
        try:
            parts = unsafe_parts(archive)
            values = xlsx_formulas.saved_values(archive) if not parts else {}
        except PACKAGE_ERRORS as exc:
            raise damaged(path) from exc
    if parts:
        raise UnsafeWriteError(path, parts)
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        try:
            with Path(path).open("rb") as handle:  # a handle: openpyxl refuses unknown suffixes
                workbook = openpyxl.load_workbook(handle, data_only=False, rich_text=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken part
            raise damaged(path) from exc
    lost = lost_in_loading(records)
    if lost:
        raise UnsafeWriteError(path, lost)
    xlsx_formulas.recalculate_on_open(workbook)
    return workbook, values


def _apply(workbook: Any, changes: ChangeSet, path: str) -> dict[str, _Tab]:
    """Make `changes` in `workbook`; the tabs changed, by title."""
    tabs: dict[str, _Tab] = {}

    def tab(name: str, create: bool) -> _Tab:
        found = _find_sheet(workbook, name)
        if found is None and not create:
            raise WorkbookError(path, f'the tab "{name}" is missing, so it cannot be changed')
        spec = _CONTRACT_TABS.get(normalise(name))
        if found is None:
            found = _new_tab(workbook, spec or TabSpec(name, ()))
        if found.title not in tabs:
            tabs[found.title] = _Tab(found, spec)
        return tabs[found.title]

    for update in changes.cell_updates:
        tab(update.tab, create=False).update(update)
    for name, records in changes.replacements.items():
        tab(name, create=True).replace(records)
    for name, rows in changes.deleted_rows.items():
        if rows:
            tab(name, create=False).delete(rows)
    for name, records in changes.appends.items():
        for record in records:
            tab(name, create=True).append(record)
    for touched in tabs.values():
        touched.fit_ranges()
    return tabs


def _find_sheet(workbook: Any, name: str) -> Any:
    wanted = normalise(name)
    return next((ws for ws in workbook.worksheets if normalise(ws.title) == wanted), None)


class _Tab:
    """A worksheet being changed, with its header positions and used extent kept current."""

    def __init__(self, worksheet: Any, spec: TabSpec | None) -> None:
        self.sheet = worksheet
        self.spec = spec
        self.headers: dict[str, int] = {}
        for cell in next(worksheet.iter_rows(min_row=1, max_row=1), ()):
            if isinstance(cell.value, str) and cell.value.strip():
                self.headers.setdefault(normalise(cell.value), cell.column)
        self.last_row, self.last_column = _used_extent(worksheet)
        self.replaced = False
        # The rows each `delete` removed, numbered as they were before it.
        self.removed: list[list[int]] = []

    def column(self, name: str) -> int:
        """The column of header `name`, adding the header after the last used column if missing."""
        key = normalise(name)
        if key not in self.headers:
            index = max(self.last_column, *self.headers.values(), 0) + 1
            header = self.sheet.cell(1, index)
            header.value = name
            header.data_type = "s"
            if index > 1:
                # Copy the manager's own header look; openpyxl has no public style copy.
                header._style = copy(self.sheet.cell(1, index - 1)._style)
            width = self._spec_column(name)
            if width is not None:
                self.sheet.column_dimensions[get_column_letter(index)].width = width.width
            self.headers[key] = index
            self.last_column = max(self.last_column, index)
        return self.headers[key]

    def update(self, update: CellUpdate) -> None:
        """Set one cell of an existing data row."""
        if update.row < 2:
            raise ValueError(f"row {update.row} of {update.tab} is the header row, not data")
        self.put(update.row, update.column, update.value)
        self.last_row = max(self.last_row, update.row)

    def append(self, record: Record) -> None:
        """Write `record` on the row under the last row that holds anything."""
        row = self.last_row + 1
        for name, value in record.items():
            self.put(row, name, value, style_from=row - 1 if row > 2 else None)
        self.last_row = row

    def replace(self, records: list[Record]) -> None:
        """Clear every data row, then write `records` under the header."""
        if self.sheet.max_row >= 2:
            self.sheet.delete_rows(2, self.sheet.max_row)
        self.last_row = 1
        self.replaced = True
        for record in records:
            self.append(record)

    def delete(self, rows: list[int]) -> None:
        """Remove sheet rows `rows` and close up the rest; see `_close_up`."""
        gone = sorted({row for row in rows if row >= 2})
        _close_up(self.sheet, gone)
        self.removed.append(gone)
        self.last_row, self.last_column = _used_extent(self.sheet)

    def put(self, row: int, name: str, value: CellValue, style_from: int | None = None) -> None:
        """Write `value` in column `name` of `row`, as the right kind of cell."""
        column = self.column(name)
        cell = self.sheet.cell(row, column)
        if style_from is not None and not cell.has_style:
            # A new row looks like the one above it; openpyxl has no public style copy.
            above = self.sheet._cells.get((style_from, column))
            if above is not None and above.has_style:
                cell._style = copy(above._style)
                if is_date_format(cell.number_format) and not isinstance(value, date):
                    # The row above held a date; a number under it must not turn into one.
                    cell.number_format = "General"
        spec_column = self._spec_column(name)
        if spec_column is not None and spec_column.kind == "id" and cell.number_format == "General":
            cell.number_format = TEXT_FORMAT
        _put_value(cell, value)

    def fit_ranges(self) -> None:
        """Stretch tables and the filter that start on the header row over the data."""
        for table in self.sheet.tables.values():
            table.ref = _fitted(table.ref, self.last_row)
            if table.autoFilter is not None and table.autoFilter.ref:
                table.autoFilter.ref = _fitted(table.autoFilter.ref, self.last_row)
        if self.sheet.auto_filter.ref:
            self.sheet.auto_filter.ref = _fitted(self.sheet.auto_filter.ref, self.last_row)

    def _spec_column(self, name: str) -> sheet.Column | None:
        columns = self.spec.columns if self.spec else ()
        return next((c for c in columns if normalise(c.name) == normalise(name)), None)


def _put_value(cell: Any, value: CellValue) -> None:
    if isinstance(value, str):
        cell.value = _ILLEGAL_CHARACTERS.sub("", value)
        # openpyxl turns text starting with "=" into a formula (and "#N/A" into an error).
        cell.data_type = "s"
    elif isinstance(value, date):
        # openpyxl picks its own format for a date; a date format already on the cell wins.
        kept = cell.number_format if is_date_format(cell.number_format) else None
        if isinstance(value, datetime):
            # Excel has no time zones: keep the wall-clock time the caller chose.
            cell.value = value.replace(tzinfo=None)
            cell.number_format = kept or DATETIME_FORMAT
        else:
            cell.value = value
            cell.number_format = kept or DATE_FORMAT
    else:
        cell.value = value


def _used_extent(worksheet: Any) -> tuple[int, int]:
    # max_row counts cells that are only formatted; a manager may format 1,000 empty rows.
    last_row = last_column = 1
    for (row, column), cell in worksheet._cells.items():
        if cell.value is not None and cell.value != "":
            last_row = max(last_row, row)
            last_column = max(last_column, column)
    return last_row, last_column


def _close_up(worksheet: Any, gone: list[int]) -> None:
    """Delete rows `gone` (sorted) in one pass, moving the cells below up with their styles.

    openpyxl's `delete_rows` moves every cell below on each call, which is hours of
    work for thousands of scattered rows; this re-keys openpyxl's cell table once.
    References inside this tab's formulas follow their cells, as Excel would do.
    """
    if not gone:
        return
    removed = set(gone)
    kept = {}
    for (row, column), cell in worksheet._cells.items():
        if row in removed:
            continue
        cell.row = row - bisect_left(gone, row)
        kept[(cell.row, column)] = cell
        if cell.data_type == "f" and isinstance(cell.value, str):
            cell.value = closed_up_formula(cell.value, worksheet.title, gone)
        if cell.hyperlink is not None:
            cell.hyperlink.ref = cell.coordinate
    worksheet._cells.clear()
    worksheet._cells.update(kept)
    dimensions = dict(worksheet.row_dimensions.items())
    worksheet.row_dimensions.clear()
    for row, dimension in dimensions.items():
        if row not in removed:
            dimension.index = row - bisect_left(gone, row)
            worksheet.row_dimensions[dimension.index] = dimension


def _fitted(reference: str, last_row: int) -> str:
    first_column, first_row, last_column, _ = range_boundaries(reference)
    if first_row != 1 or first_column is None or last_column is None:
        return reference
    return f"{get_column_letter(first_column)}1:{get_column_letter(last_column)}{max(last_row, 2)}"


# --- new workbooks and tabs ----------------------------------------------------


def _new_tab(workbook: Any, spec: TabSpec) -> Any:
    position = sheet.position_of(spec.name)
    active = workbook.active if workbook.worksheets else None
    worksheet = workbook.create_sheet(spec.name, position)
    if active is not None and position is not None:
        # The index of the active tab would now point at another tab than the one selected.
        workbook.active = workbook.worksheets.index(active)
    for index, column in enumerate(spec.columns, start=1):
        header = worksheet.cell(1, index, column.name)
        header.font = Font(bold=True)
        dimension = worksheet.column_dimensions[get_column_letter(index)]
        dimension.width = column.width
        if column.kind in ("date", "id"):
            # A column style makes what managers type later a date, or text that keeps its "+".
            dimension.number_format = DATE_FORMAT if column.kind == "date" else TEXT_FORMAT
    worksheet.freeze_panes = "A2"
    if spec.tool_owned:
        worksheet.sheet_properties.tabColor = TOOL_TAB_COLOUR
    return worksheet


def _add_dropdowns(workbook: Any) -> None:
    letter = _letter(sheet.GROUPS, "name")
    groups = f"={sheet.GROUPS.name}!${letter}$2:${letter}${GROUP_LIST_ROWS}"
    for spec in (sheet.MEMBERS, sheet.ACTIVITY, sheet.TOPICS, sheet.TEMPLATES, sheet.IMPORTS):
        _add_dropdown(workbook[spec.name], spec, "group", groups, "a group from the Groups tab")
    members = workbook[sheet.MEMBERS.name]
    for name, choices in (
        ("role", sheet.ROLES),
        ("motivation", sheet.MOTIVATIONS),
        ("status", sheet.STATUSES),
        ("kol", ("yes", "no")),
        ("locked", ("yes", "no")),
    ):
        listed = '"' + ",".join(choices) + '"'
        _add_dropdown(members, sheet.MEMBERS, name, listed, "one of " + ", ".join(choices))


def _add_dropdown(worksheet: Any, spec: TabSpec, column: str, source: str, what: str) -> None:
    validation = DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=f"Not a {column}",
        error=f"Pick {what}, or leave the cell empty.",
    )
    letter = _letter(spec, column)
    validation.add(f"{letter}2:{letter}{LAST_ROW}")
    worksheet.add_data_validation(validation)


def _letter(spec: TabSpec, column: str) -> str:
    return str(get_column_letter(spec.headers.index(column) + 1))
