"""The local .xlsx backend: read the contract's tabs fast, write one batch of changes safely.

Reading (`xlsx_reading`) uses python-calamine, about six times faster than
openpyxl on a 200,000-row Activity tab, bounded to the contract's columns, plus
one pass over each worksheet's XML for cells calamine would show as blank:
formulas saved without their calculated value and cells holding an error.

Writing (`xlsx_writing`) changes the package part by part: only the tabs a run
touches are rewritten, from their own XML, and every other part (other tabs,
charts, pictures, pivot tables, comments, styles, defined names) is copied byte
for byte, so nothing a manager made is lost and a run on a 200,000-row workbook
takes seconds. Every save goes to a temporary file beside the workbook that then
replaces it, so a crash leaves the old file or the new one, never half of one
(`xlsx_files`, which also follows symbolic links to the real file and refuses
hard-linked ones). openpyxl only lays out a new workbook (`create_workbook`).
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils.cell import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from grouptier import sheet
from grouptier.backends.base import ChangeSet
from grouptier.backends.xlsx_files import held_lock, real_path, refuse_hard_link, save_atomically
from grouptier.backends.xlsx_package import Package
from grouptier.backends.xlsx_reading import damaged, read_workbook
from grouptier.backends.xlsx_safety import FILE_EXISTS, PACKAGE_ERRORS, open_package
from grouptier.backends.xlsx_styles import DATE_FORMAT, TEXT_FORMAT
from grouptier.backends.xlsx_writing import apply_changes
from grouptier.cells import CellValue
from grouptier.errors import WorkbookError
from grouptier.sheet import RawWorkbook, TabSpec

__all__ = ["XlsxBackend", "create_workbook"]

TOOL_TAB_COLOUR = "7F7F7F"
LAST_ROW = 1_048_576  # the last row of an Excel sheet: dropdowns cover the whole column
GROUP_LIST_ROWS = 200


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
        """Apply `changes` and replace the file in one step, keeping every other part as it is.

        Order: cell updates (rows as read), replacements, deleted rows, appends.
        Formulas keep the values last calculated, moved with their rows.
        """
        if changes.is_empty():
            return
        # Through a symbolic link to the file it names: replacing the link would not change it.
        target = real_path(self._path)
        refuse_hard_link(target, self._path)
        with open_package(target) as archive:
            try:
                package = Package(archive)
                apply_changes(package, changes, self._path)
                # Saving reads the parts it copies: a damaged one shows only then.
                save_atomically(package.save, target, replace=True)
            except PACKAGE_ERRORS as exc:
                raise damaged(target) from exc


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
        _new_tab(workbook, spec)
    _add_dropdowns(workbook)
    layout = io.BytesIO()
    workbook.save(layout)
    rows = {name: list(records) for name, records in starter_rows.items() if records}
    with zipfile.ZipFile(layout) as archive:
        package = Package(archive)
        if rows:
            apply_changes(package, ChangeSet(appends=rows), target)
        save_atomically(package.save, target, replace=False)


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
