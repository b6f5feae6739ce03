"""A new workbook's layout, made with openpyxl: every contract tab with its headers and dropdowns.

Only `create_workbook` needs it, so openpyxl (a tenth of a second to import) is
loaded by `grouptier init` and `grouptier demo`, not by every command. The
starter rows are then written by the same writer as a run's changes.
"""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils.cell import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from grouptier import sheet
from grouptier.backends.xlsx_styles import DATE_FORMAT, TEXT_FORMAT
from grouptier.sheet import TabSpec

__all__ = ["new_layout"]

TOOL_TAB_COLOUR = "7F7F7F"
LAST_ROW = 1_048_576  # the last row of an Excel sheet: dropdowns cover the whole column
GROUP_LIST_ROWS = 200


def new_layout() -> io.BytesIO:
    """A workbook with every tab of the contract and no rows, as the bytes of an .xlsx file."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for spec in sheet.ALL_TABS:
        _new_tab(workbook, spec)
    _add_dropdowns(workbook)
    layout = io.BytesIO()
    workbook.save(layout)
    return layout


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
