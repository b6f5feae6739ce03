"""`grouptier init` for a Google Sheet: add the contract's missing tabs, ready for managers.

Each missing tab gets its header row (bold, frozen), column widths, a text
format on id columns (so "+44..." keeps its "+"), a date format on date
columns, dropdowns (group, role, motivation, status), checkboxes (kol, locked),
and, for the tool's own tabs, a grey tab colour and a protection that warns
before a manual edit. Tabs that already exist are left exactly as they are,
so running it again changes nothing. Everything is sent in one atomic
batchUpdate.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from grouptier import sheet
from grouptier.backends.base import Record
from grouptier.backends.gsheets import GoogleSheetsBackend
from grouptier.backends.sheets_requests import DATE_PATTERN, new_sheet_id, set_cells
from grouptier.cells import CellValue, normalise

__all__ = ["prepare_sheet"]

Request = dict[str, Any]
PIXELS_PER_CHARACTER = 7
GROUP_LIST_ROWS = 200
TOOL_TAB_COLOUR = {"red": 0.5, "green": 0.5, "blue": 0.5}
ROWS = 1000
# What the warning before a manual edit of a tool tab says managers may still do there.
MANUAL_EDITS = {
    sheet.IMPORTS.name: "add rows with source manual for activity typed by hand",
}


def prepare_sheet(
    backend: GoogleSheetsBackend, starter_rows: Mapping[str, list[Record]]
) -> list[str]:
    """Add every missing contract tab (with `starter_rows` under new tabs); the names added."""
    existing = backend.tabs()
    used = {info.sheet_id for info in existing.values()}
    requests: list[Request] = []
    ids: dict[str, int] = {}
    for spec in sheet.ALL_TABS:
        if normalise(spec.name) in existing:
            continue
        ids[spec.name] = new_sheet_id(used, backend.spreadsheet_id, spec.name)
        used.add(ids[spec.name])
        requests += _new_tab(spec, ids[spec.name], starter_rows.get(spec.name, []))
    requests += _dropdowns(ids)
    if requests:
        backend.http.batch_update(backend.spreadsheet_id, {"requests": requests})
    return list(ids)


def _new_tab(spec: sheet.TabSpec, sheet_id: int, rows: list[Record]) -> list[Request]:
    properties: dict[str, Any] = {
        "sheetId": sheet_id,
        "title": spec.name,
        "gridProperties": {
            "rowCount": max(ROWS, len(rows) + 1),
            "columnCount": len(spec.columns),
            "frozenRowCount": 1,
        },
    }
    if spec.tool_owned:
        properties["tabColor"] = TOOL_TAB_COLOUR
    position = sheet.position_of(spec.name)
    if position is not None:
        properties["index"] = position
    requests: list[Request] = [{"addSheet": {"properties": properties}}]
    header = set_cells(sheet_id, 0, 0, [list[CellValue](spec.headers)])
    for cell in header["updateCells"]["rows"][0]["values"]:
        cell["userEnteredFormat"] = {"textFormat": {"bold": True}}
    header["updateCells"]["fields"] = "userEnteredValue,userEnteredFormat.textFormat.bold"
    requests.append(header)
    for index, column in enumerate(spec.columns):
        requests.append(_width(sheet_id, index, column.width * PIXELS_PER_CHARACTER))
        if column.kind == "id":
            requests.append(_number_format(sheet_id, index, {"type": "TEXT"}))
        elif column.kind == "date":
            requests.append(_number_format(sheet_id, index, DATE_PATTERN))
    if rows:
        requests.append(
            set_cells(sheet_id, 1, 0, [[row.get(name) for name in spec.headers] for row in rows])
        )
    if spec.tool_owned:
        requests.append(_protection(sheet_id, spec.name))
    return requests


def _width(sheet_id: int, column: int, pixels: int) -> Request:
    return {
        "updateDimensionProperties": {
            "range": {
                "sheetId": sheet_id,
                "dimension": "COLUMNS",
                "startIndex": column,
                "endIndex": column + 1,
            },
            "properties": {"pixelSize": pixels},
            "fields": "pixelSize",
        }
    }


def _column_range(sheet_id: int, column: int) -> dict[str, int]:
    return {
        "sheetId": sheet_id,
        "startRowIndex": 1,
        "endRowIndex": ROWS,
        "startColumnIndex": column,
        "endColumnIndex": column + 1,
    }


def _number_format(sheet_id: int, column: int, pattern: dict[str, str]) -> Request:
    return {
        "repeatCell": {
            "range": _column_range(sheet_id, column),
            "cell": {"userEnteredFormat": {"numberFormat": pattern}},
            "fields": "userEnteredFormat.numberFormat",
        }
    }


def _protection(sheet_id: int, name: str) -> Request:
    allowed = MANUAL_EDITS.get(name, "tick done")
    return {
        "addProtectedRange": {
            "protectedRange": {
                "range": {"sheetId": sheet_id},
                "description": f"{name} is written by grouptier; edit it only to {allowed}",
                "warningOnly": True,
            }
        }
    }


def _dropdowns(ids: dict[str, int]) -> list[Request]:
    requests: list[Request] = []
    groups = f"='{sheet.GROUPS.name}'!$A$2:$A${GROUP_LIST_ROWS}"
    for spec in (sheet.MEMBERS, sheet.ACTIVITY, sheet.TOPICS, sheet.TEMPLATES, sheet.IMPORTS):
        if spec.name in ids:
            rule = {"type": "ONE_OF_RANGE", "values": [{"userEnteredValue": groups}]}
            requests.append(_validation(ids[spec.name], spec, "group", rule))
    if sheet.MEMBERS.name in ids:
        for name, choices in (
            ("role", sheet.ROLES),
            ("motivation", sheet.MOTIVATIONS),
            ("status", sheet.STATUSES),
        ):
            values = [{"userEnteredValue": choice} for choice in choices]
            rule = {"type": "ONE_OF_LIST", "values": values}
            requests.append(_validation(ids[sheet.MEMBERS.name], sheet.MEMBERS, name, rule))
        for name in ("kol", "locked"):
            requests.append(
                _validation(ids[sheet.MEMBERS.name], sheet.MEMBERS, name, {"type": "BOOLEAN"})
            )
    return requests


def _validation(sheet_id: int, spec: sheet.TabSpec, column: str, condition: Request) -> Request:
    return {
        "setDataValidation": {
            "range": _column_range(sheet_id, spec.headers.index(column)),
            "rule": {"condition": condition, "strict": True, "showCustomUi": True},
        }
    }
