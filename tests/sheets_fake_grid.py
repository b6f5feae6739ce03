"""The Sheets API fake's state: spreadsheets, tabs and their cells, A1 ranges, value rendering.

Test infrastructure (see `sheets_fake`). Cells hold what a real sheet holds
after entry: text, numbers, booleans; a date is a serial number with a date
format, rendered as the API renders it.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

CELL_LIMIT = 10_000_000
MAX_COLUMNS = 18_278
SERIAL_EPOCH = date(1899, 12, 30)
STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}
MESSAGES = {
    401: "Request is missing required authentication credential.",
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    429: "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per "
    "minute per user' of service 'sheets.googleapis.com'.",
    500: "Internal error encountered.",
    503: "The service is currently unavailable.",
}


CELL_TEXT_LIMIT = 50_000  # characters the real API accepts in one cell


class ApiError(Exception):
    """An answer with an error status, in the API's JSON shape."""

    def __init__(self, code: int, message: str = "") -> None:
        super().__init__(message or MESSAGES.get(code, "error"))
        self.code = code

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "code": self.code,
                "message": str(self),
                "status": STATUS_NAMES.get(self.code, "UNKNOWN"),
            }
        }


# --- state ---------------------------------------------------------------------


@dataclass(frozen=True)
class ErrorCell:
    """A cell holding an error value (#REF!, #N/A, ...); values.get answers its text.

    The Sheets API gives an error cell as that text under every valueRenderOption, so
    a reader cannot tell it from text typed the same way.
    """

    code: str


@dataclass
class Tab:
    """One sheet of a spreadsheet: properties and a ragged grid of values."""

    sheet_id: int
    title: str
    index: int
    row_count: int = 1000
    column_count: int = 26
    frozen_rows: int = 0
    rows: list[list[Any]] = field(default_factory=list)  # None = empty cell
    date_cells: set[tuple[int, int]] = field(default_factory=set)
    validations: dict[tuple[int, int, int, int], dict[str, Any]] = field(default_factory=dict)
    protected: list[dict[str, Any]] = field(default_factory=list)
    widths: dict[int, int] = field(default_factory=dict)
    formats: dict[tuple[int, int, int, int], dict[str, Any]] = field(default_factory=dict)
    tab_color: dict[str, Any] | None = None
    hidden: bool = False
    charts: list[dict[str, Any]] = field(default_factory=list)  # EmbeddedChart, as addChart kept it

    def properties(self) -> dict[str, Any]:
        grid: dict[str, Any] = {"rowCount": self.row_count, "columnCount": self.column_count}
        if self.frozen_rows:
            grid["frozenRowCount"] = self.frozen_rows
        props: dict[str, Any] = {
            "sheetId": self.sheet_id,
            "title": self.title,
            "index": self.index,
            "sheetType": "GRID",
            "gridProperties": grid,
        }
        if self.tab_color:
            props["tabColor"] = self.tab_color
        if self.hidden:  # the real API lists `hidden` only when it is true
            props["hidden"] = True
        return props

    def last_data_row(self) -> int:
        """Number of rows up to the last one holding a value."""
        for index in range(len(self.rows) - 1, -1, -1):
            if any(value is not None for value in self.rows[index]):
                return index + 1
        return 0

    def get(self, row: int, column: int) -> Any:
        if row < len(self.rows) and column < len(self.rows[row]):
            return self.rows[row][column]
        return None

    def put(self, row: int, column: int, value: Any, is_date: bool = False) -> None:
        if isinstance(value, str) and len(value) > CELL_TEXT_LIMIT:
            # The real API's answer, recorded in issues of projects that hit it.
            raise ApiError(
                400,
                f"Your input contains more than the maximum of {CELL_TEXT_LIMIT} characters "
                "in a single cell.",
            )
        if row >= self.row_count or column >= self.column_count:
            raise ApiError(
                400,
                f"Range ({a1_title(self.title)}!{a1_cell(row, column)}) exceeds grid limits. "
                f"Max rows: {self.row_count}, max columns: {self.column_count}",
            )
        while len(self.rows) <= row:
            self.rows.append([])
        line = self.rows[row] = list(self.rows[row])  # copy on write: snapshots share rows
        if len(line) <= column:
            line.extend([None] * (column + 1 - len(line)))
        line[column] = value
        if is_date:
            self.date_cells.add((row, column))
        else:
            self.date_cells.discard((row, column))

    def clone(self) -> Tab:
        twin = copy.copy(self)
        twin.rows = list(self.rows)
        twin.date_cells = set(self.date_cells)
        twin.validations = dict(self.validations)
        twin.protected = list(self.protected)
        twin.widths = dict(self.widths)
        twin.formats = dict(self.formats)
        twin.charts = list(self.charts)
        return twin


@dataclass
class Spreadsheet:
    """A spreadsheet: its tabs in order."""

    spreadsheet_id: str
    title: str
    tabs: list[Tab] = field(default_factory=list)
    next_protection: int = 1
    next_chart: int = 1_000_001  # the real API picks a random id; a count keeps tests stable

    def tab(self, title: str) -> Tab:
        for tab in self.tabs:
            if tab.title == title:
                return tab
        raise ApiError(400, f"Unable to parse range: {a1_title(title)}")

    def tab_by_id(self, sheet_id: Any) -> Tab:
        for tab in self.tabs:
            if tab.sheet_id == sheet_id:
                return tab
        raise ApiError(400, f"No grid with id: {sheet_id}")

    def metadata(self) -> dict[str, Any]:
        sheets = []
        for tab in self.tabs:
            entry: dict[str, Any] = {"properties": tab.properties()}
            if tab.protected:
                entry["protectedRanges"] = copy.deepcopy(tab.protected)
            if tab.charts:  # as the real API: `charts` only on a sheet that has some
                entry["charts"] = copy.deepcopy(tab.charts)
            sheets.append(entry)
        return {
            "spreadsheetId": self.spreadsheet_id,
            "properties": {
                "title": self.title,
                "locale": "en_US",
                "autoRecalc": "ON_CHANGE",
                "timeZone": "Etc/GMT",
            },
            "sheets": sheets,
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{self.spreadsheet_id}/edit",
        }

    def clone(self) -> Spreadsheet:
        twin = copy.copy(self)
        twin.tabs = [tab.clone() for tab in self.tabs]
        return twin

    def cells(self) -> int:
        return sum(tab.row_count * tab.column_count for tab in self.tabs)


# --- A1 notation ---------------------------------------------------------------

_CELL = re.compile(r"^([A-Za-z]*)(\d*)$")


def a1_title(title: str) -> str:
    """A tab name as the API writes it in a range: quoted unless plain letters and digits."""
    if re.fullmatch(r"[A-Za-z0-9_]+", title):
        return title
    return "'" + title.replace("'", "''") + "'"


def column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def a1_cell(row: int, column: int) -> str:
    return f"{column_letters(column)}{row + 1}"


def _column_index(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number - 1


@dataclass(frozen=True)
class Area:
    """A rectangle of a tab, zero-based, end exclusive; None = to the grid's edge."""

    tab: Tab
    row0: int
    col0: int
    row1: int | None
    col1: int | None

    def clipped(self) -> tuple[int, int, int, int]:
        row1 = self.tab.row_count if self.row1 is None else min(self.row1, self.tab.row_count)
        col1 = self.tab.column_count if self.col1 is None else min(self.col1, self.tab.column_count)
        return self.row0, self.col0, row1, col1

    def a1(self) -> str:
        row0, col0, row1, col1 = self.clipped()
        start, end = a1_cell(row0, col0), a1_cell(max(row1, row0 + 1) - 1, max(col1, col0 + 1) - 1)
        cells = start if start == end else f"{start}:{end}"
        return f"{a1_title(self.tab.title)}!{cells}"


def parse_range(book: Spreadsheet, text: str) -> Area:
    """`'My tab'!A1:B2`, `Tab!A:A`, `Tab!2:2`, `Tab`, `A1:B2` (first tab)."""
    title, cells = _split_range(book, text)
    tab = book.tab(title)
    if not cells:
        return Area(tab, 0, 0, None, None)
    parts = cells.split(":")
    if len(parts) > 2:
        raise ApiError(400, f"Unable to parse range: {text}")
    points = [_point(part, text) for part in parts]
    (col0, row0), (col1, row1) = points[0], points[-1]
    if len(parts) == 1 and (col0 is None or row0 is None):
        raise ApiError(400, f"Unable to parse range: {text}")
    start_row = row0 if row0 is not None else 0
    start_col = col0 if col0 is not None else 0
    end_row = row1 + 1 if row1 is not None else None
    end_col = col1 + 1 if col1 is not None else None
    return Area(tab, start_row, start_col, end_row, end_col)


def _split_range(book: Spreadsheet, text: str) -> tuple[str, str]:
    if text.startswith("'"):
        match = re.match(r"^'((?:[^']|'')*)'(?:!(.*))?$", text)
        if not match:
            raise ApiError(400, f"Unable to parse range: {text}")
        return match.group(1).replace("''", "'"), match.group(2) or ""
    if "!" in text:
        title, cells = text.rsplit("!", 1)
        return title, cells
    if any(tab.title == text for tab in book.tabs):
        return text, ""
    if not book.tabs:
        raise ApiError(400, f"Unable to parse range: {text}")
    return book.tabs[0].title, text


def _point(part: str, text: str) -> tuple[int | None, int | None]:
    match = _CELL.match(part)
    if not match or not (match.group(1) or match.group(2)):
        raise ApiError(400, f"Unable to parse range: {text}")
    letters, digits = match.groups()
    return (_column_index(letters) if letters else None, int(digits) - 1 if digits else None)


# --- values ----------------------------------------------------------------------


def _number_out(value: float) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def render(tab: Tab, row: int, column: int, option: str, dates: str) -> Any:
    """One cell as values.get renders it; '' for an empty cell inside the range."""
    value = tab.get(row, column)
    if value is None:
        return ""
    if isinstance(value, ErrorCell):
        return value.code
    is_date = (row, column) in tab.date_cells and isinstance(value, int | float)
    if option == "FORMATTED_VALUE" or (is_date and dates == "FORMATTED_STRING"):
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if is_date:
            return (SERIAL_EPOCH + timedelta(days=int(value))).isoformat()
        if isinstance(value, int | float):
            return str(_number_out(float(value)))
        return value
    if isinstance(value, float):
        return _number_out(value)
    return value


def read_area(area: Area, option: str, dates: str) -> dict[str, Any]:
    """A ValueRange: trailing empty rows and cells trimmed, middle empty rows as []."""
    row0, col0, row1, col1 = area.clipped()
    values = []
    last = min(row1, area.tab.last_data_row())
    for row in range(row0, last):
        line = [render(area.tab, row, column, option, dates) for column in range(col0, col1)]
        while line and line[-1] == "":
            line.pop()
        values.append(line)
    while values and not values[-1]:
        values.pop()
    answer: dict[str, Any] = {"range": area.a1(), "majorDimension": "ROWS"}
    if values:
        answer["values"] = values
    return answer


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def entered(value: Any, option: str) -> tuple[Any, bool]:
    """What a cell holds after `value` is entered with valueInputOption `option`."""
    if value is None or value == "":
        return None, False
    if isinstance(value, bool | int | float):
        return value, False
    if not isinstance(value, str):
        raise ApiError(400, f"Invalid value at 'data.values' ({type(value).__name__})")
    if option == "RAW":
        return value, False
    if option != "USER_ENTERED":
        raise ApiError(400, f"Invalid valueInputOption: {option}")
    if value.startswith("="):
        raise ApiError(400, "the Sheets API fake does not evaluate formulas")
    if value.startswith("'"):
        return value[1:], False
    if _NUMBER.match(value):
        number = float(value)
        return (int(number) if number.is_integer() else number), False
    if value.upper() in ("TRUE", "FALSE"):
        return value.upper() == "TRUE", False
    match = _ISO.match(value)
    if match:
        day = date(*(int(part) for part in match.groups()))
        return (day - SERIAL_EPOCH).days, True
    return value, False


def write_values(area: Area, values: list[list[Any]], option: str, book_id: str) -> dict[str, Any]:
    """Write a block of values at the area's top-left; None leaves a cell as it is."""
    rows = columns = cells = 0
    for r, line in enumerate(values):
        if not isinstance(line, list):
            raise ApiError(400, "Invalid values: each row must be a list")
        for c, value in enumerate(line):
            if value is None:
                continue
            held, is_date = entered(value, option)
            area.tab.put(area.row0 + r, area.col0 + c, held, is_date)
        cells += len(line)
        columns = max(columns, len(line))
        rows += 1 if line else 0
    written = Area(
        area.tab, area.row0, area.col0, area.row0 + max(len(values), 1), area.col0 + max(columns, 1)
    )
    return {
        "spreadsheetId": book_id,
        "updatedRange": written.a1(),
        "updatedRows": rows,
        "updatedColumns": columns,
        "updatedCells": cells,
    }
