"""Sheets API request bodies for grouptier's writes: cells typed so text stays text.

Every cell is sent as `userEnteredValue` with an explicit kind (`stringValue`,
`numberValue`, `boolValue`), never parsed by Sheets: a member called "=SUM(A1)"
or "+44 7911" stays text. Dates go as serial numbers with a date format, the
way the sheet holds them, and come back as serials that `cells.parse_date` reads.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from grouptier.cells import (
    SERIAL_EPOCH,
    CellErrorValue,
    CellValue,
    column_letter,
    error_code,
    normalise,
)
from grouptier.sheet import ACTIVITY

__all__ = [
    "TabInfo",
    "cell_data",
    "cells_from_api",
    "chunked",
    "delete_rows",
    "first_of_each_name",
    "oldest_rows_removed",
    "quoted",
    "raw_value",
    "removal_requests",
]

Request = dict[str, Any]
DATE_PATTERN = {"type": "DATE", "pattern": "yyyy-mm-dd"}
DATETIME_PATTERN = {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm:ss"}
VALUE_FIELDS = "userEnteredValue"
DATED_FIELDS = "userEnteredValue,userEnteredFormat.numberFormat"


@dataclass
class TabInfo:
    """A tab as the last read saw it: ids, grid size, header positions by normalised name."""

    sheet_id: int
    title: str
    row_count: int
    column_count: int
    frozen_rows: int = 0
    headers: dict[str, int] = field(default_factory=dict)
    header_width: int = 0  # columns up to the last non-blank header cell
    last_row: int = 0  # rows up to the last holding data (0 when not read whole)

    @classmethod
    def from_metadata(cls, sheet: dict[str, Any]) -> TabInfo:
        """From one `sheets[]` entry of the spreadsheet metadata."""
        props = sheet["properties"]
        grid = props.get("gridProperties", {})
        return cls(
            int(props.get("sheetId", 0)),
            str(props["title"]),
            int(grid.get("rowCount", 0)),
            int(grid.get("columnCount", 0)),
            int(grid.get("frozenRowCount", 0)),
        )

    def read_header(self, header: list[CellValue]) -> None:
        """Remember where each header sits (first one wins, as `sheet.read_table` does)."""
        for index, value in enumerate(header):
            if isinstance(value, str) and value.strip():
                self.headers.setdefault(normalise(value), index)
                self.header_width = index + 1

    def column(self, name: str, added: list[Request]) -> int:
        """The column of header `name`; a missing one is added after the last header."""
        key = normalise(name)
        if key not in self.headers:
            index = self.header_width
            self.headers[key] = index
            self.header_width = index + 1
            if index >= self.column_count:
                added.append(grow(self, "COLUMNS", index + 1 - self.column_count))
            added.append(set_cells(self.sheet_id, 0, index, [[name]]))
        return self.headers[key]


def serial(value: date) -> float:
    """Days since 1899-12-30, with the time of day as a fraction for a datetime."""
    if isinstance(value, datetime):
        midnight = datetime(value.year, value.month, value.day, tzinfo=value.tzinfo)
        fraction = (value - midnight).total_seconds() / 86_400
        return (value.date() - SERIAL_EPOCH).days + fraction
    return (value - SERIAL_EPOCH).days


def _plain(value: Any) -> Any:
    # numpy scalars and pandas' missing values arrive from DataFrame records.
    if hasattr(value, "item") and not isinstance(value, str | date):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, datetime) and str(value) == "NaT":  # pandas' missing datetime
        return None
    return value


def cell_data(value: CellValue) -> dict[str, Any]:
    """One `CellData` for `value`; {} clears the cell."""
    if type(value) is str and value:
        return {"userEnteredValue": {"stringValue": value}}
    value = _plain(value)
    if value is None or value == "":
        return {}
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, int | float):
        return {"userEnteredValue": {"numberValue": value}}
    if isinstance(value, date):
        pattern = DATETIME_PATTERN if isinstance(value, datetime) else DATE_PATTERN
        return {
            "userEnteredValue": {"numberValue": serial(value)},
            "userEnteredFormat": {"numberFormat": pattern},
        }
    return {"userEnteredValue": {"stringValue": str(value)}}


def raw_value(value: CellValue) -> Any:
    """A value for values:batchUpdate with RAW input: never parsed, so text stays text."""
    kind = type(value)
    if kind is str or kind is int:  # nearly every cell: skip the slower checks below
        return value
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _fields(rows: Iterable[list[CellValue]]) -> str:
    dated = any(isinstance(_plain(v), date) for row in rows for v in row)
    return DATED_FIELDS if dated else VALUE_FIELDS


def set_cells(sheet_id: int, row: int, column: int, rows: list[list[CellValue]]) -> Request:
    """updateCells: write `rows` from (row, column), zero-based."""
    return {
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": row, "columnIndex": column},
            "rows": [{"values": [cell_data(v) for v in line]} for line in rows],
            "fields": _fields(rows),
        }
    }


def append_cells(sheet_id: int, rows: list[list[CellValue]]) -> Request:
    """appendCells: add `rows` under the last row holding data; the grid grows as needed."""
    return {
        "appendCells": {
            "sheetId": sheet_id,
            "rows": [{"values": [cell_data(v) for v in line]} for line in rows],
            "fields": _fields(rows),
        }
    }


def clear_below_header(sheet_id: int) -> Request:
    """updateCells over every row under the header with no data: clears their values."""
    return {
        "updateCells": {"range": {"sheetId": sheet_id, "startRowIndex": 1}, "fields": VALUE_FIELDS}
    }


def grow(tab: TabInfo, dimension: str, length: int) -> Request:
    """appendDimension: add `length` rows or columns to the grid (and remember the new size)."""
    if dimension == "ROWS":
        tab.row_count += length
    else:
        tab.column_count += length
    return {"appendDimension": {"sheetId": tab.sheet_id, "dimension": dimension, "length": length}}


def removal_requests(
    tab: TabInfo, rows: Sequence[Sequence[CellValue]], gone: Iterable[int]
) -> list[Request]:
    """Requests deleting rows `gone` of `tab` (as read: `rows`), Activity's as one block if it can.

    Only Activity is sorted: its row order means nothing, while sorting
    Messages could reorder a day's messages.
    """
    date = tab.headers.get("date")
    if normalise(tab.title) == normalise(ACTIVITY.name) and date is not None:
        block = oldest_rows_removed(tab, rows, gone, date)
        if block is not None:
            return block
    return delete_rows(tab, gone)


def oldest_rows_removed(
    tab: TabInfo, rows: Sequence[Sequence[CellValue]], gone: Iterable[int], column: int
) -> list[Request] | None:
    """Two requests removing rows `gone` when they hold the smallest values of `column`.

    Rows rolled up are the oldest: sorted by date server-side they form one
    block under the header, and one deleteDimension takes it, where deleting
    them where they are may take a request per run of rows (tens of thousands
    in a tab filled out of date order). None when that does not hold: a
    value that is not a number (Sheets would sort text after numbers), or a
    kept row as old as a removed one.
    """
    removed = set(gone)
    old: list[float] = []
    kept: list[float] = []
    for number, row in enumerate(rows[1:], start=2):
        if all(cell in (None, "") for cell in row):
            continue  # a blank row sorts last and stays
        value = row[column] if column < len(row) else None
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        (old if number in removed else kept).append(value)
    if not old or len(old) != len(removed) or (kept and max(old) >= min(kept)):
        return None
    grid = {"sheetId": tab.sheet_id, "startRowIndex": 1, "endRowIndex": len(rows)}
    sort = {
        "sortRange": {
            "range": {**grid, "startColumnIndex": 0, "endColumnIndex": tab.column_count},
            "sortSpecs": [{"dimensionIndex": column, "sortOrder": "ASCENDING"}],
        }
    }
    return [sort, *delete_rows(tab, range(2, 2 + len(old)))]


def delete_rows(tab: TabInfo, rows: Iterable[int]) -> list[Request]:
    """deleteDimension requests removing sheet rows `rows` (1-based), bottom first.

    Sheets refuses to delete every unfrozen row of a tab, so when that is asked
    one empty row is added first.
    """
    gone = sorted({row for row in rows if 2 <= row <= tab.row_count}, reverse=True)
    requests: list[Request] = []
    if gone and len(gone) >= tab.row_count - tab.frozen_rows:
        requests.append(grow(tab, "ROWS", 1))
    spans: list[list[int]] = []
    for row in gone:
        if spans and spans[-1][0] == row + 1:
            spans[-1][0] = row
        else:
            spans.append([row, row])
    for first, last in spans:
        requests.append(
            {
                "deleteDimension": {
                    "range": {
                        "sheetId": tab.sheet_id,
                        "dimension": "ROWS",
                        "startIndex": first - 1,
                        "endIndex": last,
                    }
                }
            }
        )
    tab.row_count -= len(gone)
    return requests


def quoted(title: str) -> str:
    """A tab name as an A1 range prefix: `'It''s'`."""
    return "'" + title.replace("'", "''") + "'"


def a1_row(title: str, row: int) -> str:
    """`'Tab'!A5`: the first cell of sheet row `row`."""
    return f"{quoted(title)}!{column_letter(0)}{row}"


def chunked(rows: list[list[Any]], limit: int) -> Iterable[tuple[int, list[list[Any]]]]:
    """Split `rows` into runs whose JSON stays under about `limit` bytes: (offset, rows)."""
    start, size = 0, 0
    for index, row in enumerate(rows):
        cost = len(json.dumps(row, ensure_ascii=False, default=str)) + 1
        if index > start and size + cost > limit:
            yield start, rows[start:index]
            start, size = index, 0
        size += cost
    if start < len(rows):
        yield start, rows[start:]


def new_sheet_id(used: set[int], spreadsheet_id: str, name: str) -> int:
    """A stable id for a new tab, so later requests of the same batch can refer to it."""
    seed = sum(ord(char) * (i + 1) for i, char in enumerate(spreadsheet_id + name))
    for step in range(1000):
        candidate = 100_000_000 + (seed * 7919 + step) % 900_000_000
        if candidate not in used:
            return candidate
    raise ValueError("no free sheet id")  # pragma: no cover - 1000 taken ids in a row


def cells_from_api(values: list[list[Any]]) -> list[list[CellValue]]:
    """Rows as batchGet gives them, as `RawTab` rows: blank is None, an error a `CellErrorValue`."""
    # batchGet answers an error cell with its text ("#REF!"), as if typed so: both are errors.
    return [
        [
            None if v == "" else _error_or_text(v) if type(v) is str and v[:1] == "#" else v
            for v in row
        ]
        for row in values
    ]


def _error_or_text(text: str) -> CellValue:
    code = error_code(text)
    # CellErrorValue lies outside CellValue on purpose, like FormulaWithoutValue.
    return text if code is None else cast(CellValue, CellErrorValue(code))


def first_of_each_name(infos: list[TabInfo], names: Collection[str]) -> dict[str, TabInfo]:
    """The first tab whose normalised title is in `names`, by that name, in tab order.

    A later tab of the same name is left out here; the reader lists it empty so that
    `sheet.read_table` reports the two tabs.
    """
    tabs: dict[str, TabInfo] = {}
    for info in infos:
        if normalise(info.title) in names:
            tabs.setdefault(normalise(info.title), info)
    return tabs
