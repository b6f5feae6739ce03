"""`grouptier init` for a Google Sheet: add the contract's missing tabs, ready for managers.

Each missing tab gets its header row (bold, frozen), column widths, a text
format on id columns (so "+44..." keeps its "+"), a date format on date
columns, dropdowns (group, role, motivation, status), checkboxes (kol, locked),
and, for the tool's own tabs, a grey tab colour and a protection that warns
before a manual edit. Tabs that already exist are left exactly as they are,
so running it again changes nothing. Everything is sent in one atomic
batchUpdate.

The Dashboard tab gets two native charts (`addChart`, shaped as the Sheets API
reference's `EmbeddedChart`/`BasicChartSpec` and its chart samples): members
per group over the cycles (stacked columns) and the share of messages by the
most active 20% (a line). Each ranges over the header and the
`DASHBOARD_CYCLES` rows the Dashboard keeps, so the rows each cycle rewrites
stay inside. A chart is added when the Dashboard has no chart of its title
(the metadata lists `sheets[].charts[]`), so an existing sheet gets them by
running `grouptier init SHEET_URL` again, and a third run adds nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from grouptier import sheet
from grouptier.backends.base import Record
from grouptier.backends.gsheets import GoogleSheetsBackend
from grouptier.backends.sheets_charts import CHARTS, charts_on, dashboard_charts
from grouptier.backends.sheets_requests import (
    DATE_PATTERN,
    TabInfo,
    cells_from_api,
    first_of_each_name,
    new_sheet_id,
    quoted,
    set_cells,
)
from grouptier.cells import CellValue, normalise
from grouptier.dashboard import group_columns

__all__ = ["prepare_sheet"]

Request = dict[str, Any]
PIXELS_PER_CHARACTER = 7
GROUP_LIST_ROWS = 200
TOOL_TAB_COLOUR = {"red": 0.5, "green": 0.5, "blue": 0.5}
ROWS = 1000
# What the warning before a manual edit of a tool tab says managers may still do there.
MANUAL_EDITS = {
    sheet.IMPORTS.name: "add rows with source manual for activity typed by hand",
    sheet.DASHBOARD.name: "move its charts: each processed cycle rewrites its rows",
}
READ_PARAMS = {"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "SERIAL_NUMBER"}
_CONTRACT = {normalise(spec.name) for spec in sheet.ALL_TABS}


def prepare_sheet(
    backend: GoogleSheetsBackend, starter_rows: Mapping[str, list[Record]]
) -> list[str]:
    """Add every missing contract tab (with `starter_rows` under new tabs) and Dashboard chart.

    Returns the names of the tabs and charts added. Reads the metadata (which
    lists each tab's charts) and, only when a chart is missing, the Groups tab
    and the Dashboard's header row, in one batchGet.
    """
    metadata = backend.http.fetch_sheet_metadata(backend.spreadsheet_id)
    entries = metadata.get("sheets", [])
    infos = [TabInfo.from_metadata(entry) for entry in entries]
    existing = first_of_each_name(infos, _CONTRACT)
    used = {info.sheet_id for info in infos}
    requests: list[Request] = []
    ids: dict[str, int] = {}
    for spec in sheet.ALL_TABS:
        if normalise(spec.name) in existing:
            continue
        ids[spec.name] = new_sheet_id(used, backend.spreadsheet_id, spec.name)
        used.add(ids[spec.name])
        requests += _new_tab(spec, ids[spec.name], starter_rows.get(spec.name, []))
    requests += _dropdowns(ids)
    dashboard = existing.get(normalise(sheet.DASHBOARD.name))
    missing = [title for title in CHARTS if title not in charts_on(entries, dashboard)]
    charts: list[str] = []
    if missing:
        read = _read_for_charts(backend, existing)
        if dashboard is None:
            dashboard = _new_info(ids[sheet.DASHBOARD.name], sheet.DASHBOARD)
        else:
            dashboard.read_header((read.get(normalise(sheet.DASHBOARD.name)) or [[]])[0])
        groups = _ladder(read.get(normalise(sheet.GROUPS.name)), starter_rows)
        chart_requests, charts = dashboard_charts(dashboard, groups, missing)
        requests += chart_requests
    if requests:
        backend.http.batch_update(backend.spreadsheet_id, {"requests": requests})
    return [*ids, *charts]


def _read_for_charts(
    backend: GoogleSheetsBackend, existing: dict[str, TabInfo]
) -> dict[str, list[list[CellValue]]]:
    """The Groups tab and the Dashboard's header row, if they exist, by normalised tab name."""
    wanted = {
        key: quoted(existing[key].title) + suffix
        for key, suffix in (
            (normalise(sheet.GROUPS.name), ""),
            (normalise(sheet.DASHBOARD.name), "!1:1"),
        )
        if key in existing
    }
    if not wanted:
        return {}
    answer = backend.http.values_batch_get(
        backend.spreadsheet_id, list(wanted.values()), dict(READ_PARAMS)
    )
    ranges = answer.get("valueRanges", [])
    return {
        key: cells_from_api(value_range.get("values", []))
        for key, value_range in zip(wanted, ranges, strict=True)
    }


def _ladder(
    rows: list[list[CellValue]] | None, starter_rows: Mapping[str, list[Record]]
) -> list[str]:
    """The Dashboard's group columns in ladder order: from the Groups tab, else the starter rows.

    Read leniently (init runs on sheets still being filled in): a row without
    a name is skipped, a level that is not a number sorts last.
    """
    if rows is None:
        records = list(starter_rows.get(sheet.GROUPS.name, []))
    else:
        table = sheet.read_table(
            sheet.RawWorkbook({sheet.GROUPS.name: sheet.RawTab(sheet.GROUPS.name, rows)}),
            sheet.GROUPS,
            [],
        )
        records = list(table.records) if table else []
    names = [str(record.get("name") or "").strip() for record in records]
    levels = pd.to_numeric(
        pd.Series([record.get("level") for record in records], dtype=object), errors="coerce"
    )
    groups = pd.DataFrame({"name": names, "level": levels.fillna(float("inf"))})
    return group_columns(groups[groups["name"] != ""])


def _new_info(sheet_id: int, spec: sheet.TabSpec) -> TabInfo:
    """The TabInfo of a tab this batch adds (`_new_tab`): its grid and header."""
    info = TabInfo(sheet_id, spec.name, ROWS, len(spec.columns), 1)
    info.read_header(list[CellValue](spec.headers))
    return info


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
