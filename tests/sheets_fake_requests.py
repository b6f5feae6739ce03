"""The Sheets API fake's `spreadsheets:batchUpdate` request kinds, each applied to a draft.

Test infrastructure (see `sheets_fake`): the server applies a batch to a copy
of the spreadsheet and keeps it only when every request succeeded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sheets_fake_charts import add_chart
from sheets_fake_grid import MAX_COLUMNS, ApiError, Area, Spreadsheet, Tab

# --- spreadsheets:batchUpdate ------------------------------------------------------


def _cell_value(cell: dict[str, Any]) -> tuple[Any, bool]:
    entered_value = cell.get("userEnteredValue")
    pattern = (cell.get("userEnteredFormat") or {}).get("numberFormat") or {}
    is_date = pattern.get("type") in ("DATE", "DATE_TIME")
    if entered_value is None:
        return None, False
    if not isinstance(entered_value, dict) or len(entered_value) != 1:
        raise ApiError(400, "Invalid userEnteredValue: exactly one kind of value is allowed")
    ((kind, value),) = entered_value.items()
    if kind == "stringValue" and isinstance(value, str):
        return (value or None), False
    if kind == "numberValue" and isinstance(value, int | float) and not isinstance(value, bool):
        return value, is_date
    if kind == "boolValue" and isinstance(value, bool):
        return value, False
    if kind == "formulaValue":
        raise ApiError(400, "the Sheets API fake does not evaluate formulas")
    raise ApiError(400, f'Invalid JSON payload received. Unknown name "{kind}"')


def _check_fields(fields: Any) -> None:
    allowed = {
        "*",
        "userEnteredValue",
        "userEnteredFormat",
        "userEnteredFormat.numberFormat",
        "userEnteredFormat.textFormat.bold",
    }
    parts = {part.strip() for part in str(fields or "").split(",")}
    if not fields or not parts <= allowed:
        raise ApiError(400, f"Invalid fields mask for cells: {fields!r}")


def _write_cell_rows(tab: Tab, row0: int, col0: int, rows: list[dict[str, Any]]) -> None:
    for r, line in enumerate(rows):
        for c, cell in enumerate(line.get("values", [])):
            value, is_date = _cell_value(cell)
            if value is None and tab.get(row0 + r, col0 + c) is None:
                if row0 + r >= tab.row_count or col0 + c >= tab.column_count:
                    tab.put(row0 + r, col0 + c, None)  # raises: outside the grid
                continue
            tab.put(row0 + r, col0 + c, value, is_date)


def _grid_range(book: Spreadsheet, grid: dict[str, Any]) -> Area:
    tab = book.tab_by_id(grid.get("sheetId", 0))
    return Area(
        tab,
        int(grid.get("startRowIndex", 0)),
        int(grid.get("startColumnIndex", 0)),
        grid.get("endRowIndex"),
        grid.get("endColumnIndex"),
    )


def _add_sheet(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    props = body.get("properties", {})
    title = props.get("title") or f"Sheet{len(book.tabs) + 1}"
    if any(tab.title.lower() == title.lower() for tab in book.tabs):
        raise ApiError(
            400,
            f'Invalid requests[0].addSheet: A sheet with the name "{title}" already exists. '
            "Please enter another name.",
        )
    sheet_id = props.get("sheetId")
    if sheet_id is None:
        sheet_id = max([tab.sheet_id for tab in book.tabs] + [0]) + 1_000_003
    elif any(tab.sheet_id == sheet_id for tab in book.tabs):
        raise ApiError(400, f"Invalid requests[0].addSheet: sheet ID {sheet_id} is in use")
    grid = props.get("gridProperties", {})
    # As the API does: `index` places the new tab there and shifts the later ones; none: last.
    index = int(props.get("index", len(book.tabs)))
    if not 0 <= index <= len(book.tabs):
        raise ApiError(400, f"Invalid requests[0].addSheet: index {index} is out of range")
    tab = Tab(
        int(sheet_id),
        title,
        index,
        int(grid.get("rowCount", 1000)),
        int(grid.get("columnCount", 26)),
        int(grid.get("frozenRowCount", 0)),
        tab_color=props.get("tabColor"),
        hidden=bool(props.get("hidden", False)),
    )
    book.tabs.insert(index, tab)
    for position, each in enumerate(book.tabs):
        each.index = position
    return {"addSheet": {"properties": tab.properties()}}


def _update_sheet_properties(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    props = body.get("properties", {})
    tab = book.tab_by_id(props.get("sheetId", 0))
    grid = props.get("gridProperties", {})
    for part in str(body.get("fields", "")).split(","):
        name = part.strip().replace(".", "/")
        if name == "title":
            tab.title = props["title"]
        elif name == "tabColor":
            tab.tab_color = props.get("tabColor")
        elif name == "gridProperties/rowCount":
            tab.row_count = int(grid["rowCount"])
            tab.rows = tab.rows[: tab.row_count]
        elif name == "gridProperties/columnCount":
            tab.column_count = int(grid["columnCount"])
            tab.rows = [line[: tab.column_count] for line in tab.rows]
        elif name == "gridProperties/frozenRowCount":
            tab.frozen_rows = int(grid.get("frozenRowCount", 0))
        else:
            raise ApiError(400, f"Unsupported fields mask for updateSheetProperties: {name!r}")
    return {}


def _update_cells(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    _check_fields(body.get("fields"))
    rows = body.get("rows", [])
    if "start" in body:
        start = body["start"]
        tab = book.tab_by_id(start.get("sheetId", 0))
        _write_cell_rows(tab, int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0)), rows)
    elif "range" in body:
        area = _grid_range(book, body["range"])
        row0, col0, row1, col1 = area.clipped()
        for r in range(row0, min(row1, len(area.tab.rows))):
            for c in range(col0, min(col1, len(area.tab.rows[r]))):
                if area.tab.rows[r][c] is not None:
                    area.tab.put(r, c, None)
        _write_cell_rows(area.tab, row0, col0, rows)
    else:
        raise ApiError(400, "updateCells needs start or range")
    return {}


def _append_cells(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    _check_fields(body.get("fields"))
    tab = book.tab_by_id(body.get("sheetId", 0))
    rows = body.get("rows", [])
    first = tab.last_data_row()
    tab.row_count = max(tab.row_count, first + len(rows))
    _write_cell_rows(tab, first, 0, rows)
    return {}


def _append_dimension(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    tab = book.tab_by_id(body.get("sheetId", 0))
    length = int(body.get("length", 0))
    if length < 1:
        raise ApiError(400, "appendDimension: length must be at least 1")
    if body.get("dimension") == "ROWS":
        tab.row_count += length
    elif body.get("dimension") == "COLUMNS":
        tab.column_count += length
        if tab.column_count > MAX_COLUMNS:
            raise ApiError(
                400, f"This action would increase the number of columns above {MAX_COLUMNS}"
            )
    else:
        raise ApiError(400, "appendDimension: dimension must be ROWS or COLUMNS")
    return {}


def _delete_dimension(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    grid = body.get("range", {})
    tab = book.tab_by_id(grid.get("sheetId", 0))
    start, end = int(grid["startIndex"]), int(grid["endIndex"])
    if grid.get("dimension") != "ROWS":
        raise ApiError(400, "the Sheets API fake deletes rows only")
    if not 0 <= start < end <= tab.row_count:
        raise ApiError(
            400, f"Invalid requests: deleteDimension range {start}:{end} is outside the grid"
        )
    if end - start >= tab.row_count - tab.frozen_rows and start >= tab.frozen_rows:
        raise ApiError(400, "Sorry, it is not possible to delete all non-frozen rows.")
    del tab.rows[start:end]
    tab.date_cells = {
        (r - (end - start) if r >= end else r, c) for r, c in tab.date_cells if not start <= r < end
    }
    tab.row_count -= end - start
    return {}


def _sort_key(value: Any) -> tuple[int, Any]:
    """Ascending as Sheets sorts: numbers, then text (ignoring case), then blanks last."""
    if value is None or value == "":
        return (2, 0)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, value)
    return (1, str(value).casefold())


def _sort_range(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    """Rows of the range reordered by one column (the fake sorts whole rows only)."""
    area = _grid_range(book, body.get("range", {}))
    row0, col0, row1, col1 = area.clipped()
    specs = body.get("sortSpecs") or []
    if len(specs) != 1 or "dimensionIndex" not in specs[0]:
        raise ApiError(400, "the Sheets API fake sorts by one column given by dimensionIndex")
    tab = area.tab
    if col0 != 0 or col1 < tab.column_count:
        raise ApiError(400, "the Sheets API fake sorts whole rows only")
    row1 = min(row1, len(tab.rows))  # rows past the last one stored are blank: they stay last
    column = int(specs[0]["dimensionIndex"])
    keys = [_sort_key(tab.get(row, column)) for row in range(row0, row1)]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    if specs[0].get("sortOrder") == "DESCENDING":  # blanks stay last either way
        filled = [i for i in order if keys[i][0] != 2]
        order = filled[::-1] + [i for i in order if keys[i][0] == 2]
    tab.rows[row0:row1] = [tab.rows[row0 + i] for i in order]
    moved_to = {row0 + source: row0 + target for target, source in enumerate(order)}
    tab.date_cells = {(moved_to.get(r, r), c) for r, c in tab.date_cells}
    return {}


def _insert_dimension(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    """Blank rows inserted at startIndex; the rows below move down (the fake inserts rows only)."""
    grid = body.get("range", {})
    tab = book.tab_by_id(grid.get("sheetId", 0))
    start, end = int(grid["startIndex"]), int(grid["endIndex"])
    if grid.get("dimension") != "ROWS":
        raise ApiError(400, "the Sheets API fake inserts rows only")
    if not 0 <= start < end or start >= tab.row_count:
        # Inserting at the grid's end is appendDimension's job; the fake refuses it here.
        raise ApiError(400, f"Invalid requests: insertDimension range {start}:{end} is invalid")
    if body.get("inheritFromBefore") and start == 0:
        raise ApiError(400, "insertDimension: inheritFromBefore needs a startIndex above 0")
    count = end - start
    if start < len(tab.rows):
        tab.rows[start:start] = [[] for _ in range(count)]
    tab.date_cells = {(r + count if r >= start else r, c) for r, c in tab.date_cells}
    tab.row_count += count
    return {}


def _copy_paste(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    """The source's cells (values and date formats) written from the destination's top left.

    As the API documents: a destination smaller than the source still receives
    the whole source. The fake neither repeats a source to fill a larger
    destination nor transposes.
    """
    if body.get("pasteType", "PASTE_NORMAL") not in ("PASTE_NORMAL", "PASTE_VALUES"):
        raise ApiError(400, "the Sheets API fake pastes PASTE_NORMAL or PASTE_VALUES only")
    if body.get("pasteOrientation", "NORMAL") != "NORMAL":
        raise ApiError(400, "the Sheets API fake does not transpose")
    source = _grid_range(book, body.get("source", {}))
    target = _grid_range(book, body.get("destination", {}))
    row0, col0, row1, col1 = source.clipped()
    keep_dates = body.get("pasteType", "PASTE_NORMAL") == "PASTE_NORMAL"
    cells = [
        [(source.tab.get(r, c), (r, c) in source.tab.date_cells) for c in range(col0, col1)]
        for r in range(row0, row1)
    ]
    for r, line in enumerate(cells):
        for c, (value, is_date) in enumerate(line):
            target.tab.put(target.row0 + r, target.col0 + c, value, is_date and keep_dates)
    return {}


def _delete_sheet(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    tab = book.tab_by_id(body.get("sheetId"))
    if len(book.tabs) == 1:
        raise ApiError(400, "You can't remove all the sheets in a document.")
    book.tabs.remove(tab)
    for position, each in enumerate(book.tabs):
        each.index = position
    return {}


def _set_data_validation(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    area = _grid_range(book, body.get("range", {}))
    row0, col0, row1, col1 = area.clipped()
    if "rule" in body:
        area.tab.validations[(row0, col0, row1, col1)] = body["rule"]
    else:
        area.tab.validations.pop((row0, col0, row1, col1), None)
    return {}


def _add_protected_range(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    protected = dict(body.get("protectedRange", {}))
    tab = book.tab_by_id(protected.get("range", {}).get("sheetId", 0))
    protected["protectedRangeId"] = book.next_protection
    protected["requestingUserCanEdit"] = True
    book.next_protection += 1
    tab.protected.append(protected)
    return {"addProtectedRange": {"protectedRange": protected}}


def _update_dimension_properties(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    grid = body.get("range", {})
    tab = book.tab_by_id(grid.get("sheetId", 0))
    if grid.get("dimension") != "COLUMNS" or body.get("fields") != "pixelSize":
        raise ApiError(400, "the Sheets API fake sets column widths (pixelSize) only")
    for column in range(int(grid["startIndex"]), int(grid["endIndex"])):
        tab.widths[column] = int(body["properties"]["pixelSize"])
    return {}


def _repeat_cell(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    area = _grid_range(book, body.get("range", {}))
    if body.get("fields") != "userEnteredFormat.numberFormat" or "userEnteredValue" in body.get(
        "cell", {}
    ):
        raise ApiError(400, "the Sheets API fake repeats number formats only")
    area.tab.formats[area.clipped()] = body["cell"]
    return {}


REQUESTS: dict[str, Callable[[Spreadsheet, dict[str, Any]], dict[str, Any]]] = {
    "addChart": add_chart,
    "addSheet": _add_sheet,
    "updateSheetProperties": _update_sheet_properties,
    "updateCells": _update_cells,
    "appendCells": _append_cells,
    "appendDimension": _append_dimension,
    "deleteDimension": _delete_dimension,
    "sortRange": _sort_range,
    "insertDimension": _insert_dimension,
    "copyPaste": _copy_paste,
    "deleteSheet": _delete_sheet,
    "setDataValidation": _set_data_validation,
    "addProtectedRange": _add_protected_range,
    "updateDimensionProperties": _update_dimension_properties,
    "repeatCell": _repeat_cell,
}
