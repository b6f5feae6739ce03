"""The Sheets API fake's `addChart` request: a basic chart over a grid, checked field by field.

Test infrastructure (see `sheets_fake`). The request is parsed as the real API
parses it: a field name the reference does not list is refused with the API's
"Unknown name" answer, an enum value it does not list with "Invalid value", a
source range on a sheet that does not exist with "No grid with id". Kept charts
are listed in the metadata under `sheets[].charts[]`, as the API lists them.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from sheets_fake_grid import ApiError, Spreadsheet

# --- addChart ----------------------------------------------------------------------------
# Each message an addChart request may hold, with its fields as the Sheets API reference
# lists them (spreadsheets/charts: EmbeddedChart, ChartSpec, BasicChartSpec, BasicChartAxis,
# BasicChartDomain, BasicChartSeries, ChartData, ChartSourceRange; spreadsheets/other:
# GridRange, GridCoordinate; EmbeddedObjectPosition, OverlayPosition). A name not listed is
# refused as the real API refuses it. `_ANY` marks real fields whose inside the fake does not
# check (text formats, colours, other kinds of chart); `[kind]` is a list; a frozenset an enum.
_INT, _STR, _BOOL, _ANY = "int", "str", "bool", "any"
_AXES = frozenset({"BOTTOM_AXIS", "LEFT_AXIS", "RIGHT_AXIS"})
_CHART_TYPES = frozenset({"BAR", "LINE", "AREA", "COLUMN", "SCATTER", "COMBO", "STEPPED_AREA"})
_CHART_FIELDS: dict[str, dict[str, Any]] = {
    "EmbeddedChart": {
        "chartId": _INT,
        "spec": "ChartSpec",
        "position": "EmbeddedObjectPosition",
        "border": _ANY,
    },
    "ChartSpec": {
        "title": _STR,
        "altText": _STR,
        "subtitle": _STR,
        "fontName": _STR,
        "maximized": _BOOL,
        "hiddenDimensionStrategy": frozenset(
            {"SKIP_HIDDEN_ROWS_AND_COLUMNS", "SKIP_HIDDEN_ROWS", "SKIP_HIDDEN_COLUMNS", "SHOW_ALL"}
        ),
        "basicChart": "BasicChartSpec",
        **dict.fromkeys(
            (
                "titleTextFormat",
                "titleTextPosition",
                "subtitleTextFormat",
                "subtitleTextPosition",
                "backgroundColor",
                "backgroundColorStyle",
                "dataSourceChartProperties",
                "filterSpecs",
                "sortSpecs",
                "pieChart",
                "bubbleChart",
                "candlestickChart",
                "orgChart",
                "histogramChart",
                "waterfallChart",
                "treemapChart",
                "scorecardChart",
            ),
            _ANY,
        ),
    },
    "BasicChartSpec": {
        "chartType": _CHART_TYPES,
        "legendPosition": frozenset(
            {"BOTTOM_LEGEND", "LEFT_LEGEND", "RIGHT_LEGEND", "TOP_LEGEND", "NO_LEGEND"}
        ),
        "axis": ["BasicChartAxis"],
        "domains": ["BasicChartDomain"],
        "series": ["BasicChartSeries"],
        "headerCount": _INT,
        "threeDimensional": _BOOL,
        "interpolateNulls": _BOOL,
        "stackedType": frozenset({"NOT_STACKED", "STACKED", "PERCENT_STACKED"}),
        "lineSmoothing": _BOOL,
        "compareMode": frozenset({"DATUM", "CATEGORY"}),
        "totalDataLabel": _ANY,
    },
    "BasicChartAxis": {
        "position": _AXES,
        "title": _STR,
        "format": _ANY,
        "titleTextPosition": _ANY,
        "viewWindowOptions": _ANY,
    },
    "BasicChartDomain": {"domain": "ChartData", "reversed": _BOOL},
    "BasicChartSeries": {
        "series": "ChartData",
        "targetAxis": _AXES,
        "type": _CHART_TYPES,
        **dict.fromkeys(
            ("lineStyle", "dataLabel", "pointStyle", "color", "colorStyle", "styleOverrides"),
            _ANY,
        ),
    },
    "ChartData": {
        "sourceRange": "ChartSourceRange",
        "aggregateType": _ANY,
        "columnReference": _ANY,
        "groupRule": _ANY,
    },
    "ChartSourceRange": {"sources": ["GridRange"]},
    "GridRange": dict.fromkeys(
        ("sheetId", "startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex"), _INT
    ),
    "EmbeddedObjectPosition": {
        "sheetId": _INT,
        "overlayPosition": "OverlayPosition",
        "newSheet": _BOOL,
    },
    "OverlayPosition": {
        "anchorCell": "GridCoordinate",
        **dict.fromkeys(("offsetXPixels", "offsetYPixels", "widthPixels", "heightPixels"), _INT),
    },
    "GridCoordinate": dict.fromkeys(("sheetId", "rowIndex", "columnIndex"), _INT),
}


def _snake(name: str) -> str:
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def _check_message(value: Any, kind: str, path: str) -> None:
    if not isinstance(value, dict):
        raise ApiError(400, f"Invalid value at '{path}' ({kind}), {json.dumps(value)}")
    fields = _CHART_FIELDS[kind]
    for name, item in value.items():
        if name not in fields:
            raise ApiError(
                400,
                f"Invalid JSON payload received. Unknown name \"{name}\" at '{path}': "
                "Cannot find field.",
            )
        _check_value(item, fields[name], f"{path}.{_snake(name)}")


def _check_value(value: Any, expected: Any, path: str) -> None:
    """`value` against a field's type in `_CHART_FIELDS`, as the API parses the JSON."""
    if isinstance(expected, list):
        if not isinstance(value, list):
            raise ApiError(400, f"Invalid value at '{path}', {json.dumps(value)}: not a list")
        for index, item in enumerate(value):
            _check_value(item, expected[0], f"{path}[{index}]")
        return
    wrong = (
        (isinstance(expected, frozenset) and value not in expected)
        or (expected == _INT and not _is_int(value))
        or (expected == _STR and not isinstance(value, str))
        or (expected == _BOOL and not isinstance(value, bool))
    )
    if wrong:
        raise ApiError(400, f"Invalid value at '{path}', {json.dumps(value)}")
    if isinstance(expected, str) and expected in _CHART_FIELDS:
        _check_message(value, expected, path)


def _is_int(value: Any) -> bool:
    """A JSON number, or a decimal string: proto3's JSON mapping accepts both for int32."""
    if isinstance(value, str):
        return re.fullmatch(r"-?\d+", value) is not None
    return isinstance(value, int) and not isinstance(value, bool)


def _source_shape(book: Spreadsheet, source: dict[str, Any]) -> str:
    """ROWS or COLUMNS: the dimension a chart source runs along (the other has length 1)."""
    tab = book.tab_by_id(int(source.get("sheetId", 0)))  # raises: no grid with that id
    row0, row1 = int(source.get("startRowIndex", 0)), int(source.get("endRowIndex", tab.row_count))
    col0 = int(source.get("startColumnIndex", 0))
    col1 = int(source.get("endColumnIndex", tab.column_count))
    if not (0 <= row0 < row1 <= tab.row_count and 0 <= col0 < col1 <= tab.column_count):
        raise ApiError(400, f"Invalid chart source range {source}: empty or outside the grid")
    if col1 - col0 == 1:
        return "COLUMNS"
    if row1 - row0 == 1:
        return "ROWS"
    raise ApiError(400, f"Invalid chart source range {source}: one dimension must have length 1")


def _check_chart_data(book: Spreadsheet, spec: dict[str, Any]) -> None:
    """The domain and series ranges: real sheets, one row or column each, alike in count."""
    domains = spec.get("domains", [])
    if len(domains) > 1:
        raise ApiError(400, "Invalid basicChart: only a single domain is supported")
    ranges = [d.get("domain", {}) for d in domains] + [
        s.get("series", {}) for s in spec.get("series", [])
    ]
    shapes: set[str] = set()
    counts: set[int] = set()
    for data in ranges:
        sources = data.get("sourceRange", {}).get("sources", [])
        if not sources:
            raise ApiError(400, "Invalid basicChart: a domain or series has no sourceRange")
        shapes.update(_source_shape(book, source) for source in sources)
        counts.add(len(sources))
    if len(shapes) > 1 or len(counts) > 1:
        raise ApiError(400, "Invalid basicChart: sources differ in direction or number")


def add_chart(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    """A basic chart overlaid on a grid, checked field by field; the reply gives its chartId."""
    for name in body:
        if name != "chart":
            raise ApiError(
                400,
                f"Invalid JSON payload received. Unknown name \"{name}\" at 'add_chart': "
                "Cannot find field.",
            )
    _check_message(body.get("chart"), "EmbeddedChart", "add_chart.chart")
    chart = copy.deepcopy(body["chart"])
    spec = chart.get("spec", {})
    if "basicChart" not in spec or "chartType" not in spec["basicChart"]:
        raise ApiError(400, "the Sheets API fake draws basicChart charts with a chartType only")
    _check_chart_data(book, spec["basicChart"])
    overlay = chart.get("position", {}).get("overlayPosition")
    if overlay is None or "anchorCell" not in overlay:
        raise ApiError(400, "the Sheets API fake places charts over a grid (overlayPosition) only")
    anchor = overlay["anchorCell"]
    tab = book.tab_by_id(int(anchor.get("sheetId", 0)))
    row, column = int(anchor.get("rowIndex", 0)), int(anchor.get("columnIndex", 0))
    if not (0 <= row < tab.row_count and 0 <= column < tab.column_count):
        raise ApiError(400, f"Invalid addChart: the anchor cell {anchor} is outside the grid")
    taken = {each["chartId"] for sheet in book.tabs for each in sheet.charts}
    if "chartId" in chart:
        chart["chartId"] = int(chart["chartId"])
    if chart.get("chartId") in taken:
        raise ApiError(400, f"Invalid addChart: an object with ID {chart['chartId']} exists")
    if "chartId" not in chart:
        chart["chartId"] = book.next_chart
        book.next_chart += 1
    overlay.setdefault("widthPixels", 600)  # the API's documented defaults
    overlay.setdefault("heightPixels", 371)
    tab.charts.append(chart)
    return {"addChart": {"chart": copy.deepcopy(chart)}}
