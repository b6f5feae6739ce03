"""The Dashboard's two native charts on a Google Sheet: `addChart` request bodies (pure).

Shaped as the Sheets API reference's `EmbeddedChart`/`BasicChartSpec` and its
chart samples: members per group over the cycles (stacked columns) and the
share of messages by the most active 20% (a line). Each ranges over the
header and the `DASHBOARD_CYCLES` rows the Dashboard keeps, so the rows each
cycle rewrites stay inside. `grouptier init` adds the charts a Dashboard
lacks, and so does the first run that writes the Dashboard of a sheet made
before they existed; a chart is known by its title (`sheets[].charts[]` in
the metadata), so neither adds one twice.
"""

from __future__ import annotations

from typing import Any

from grouptier import sheet
from grouptier.backends.sheets_requests import Request, TabInfo, grow
from grouptier.dashboard import DASHBOARD_CYCLES

__all__ = ["CHARTS", "SHARE_CHART", "SIZES_CHART", "charts_on", "dashboard_charts"]

SIZES_CHART = "Members per group, after each cycle"
SHARE_CHART = "Share of counted messages by the most active 20%"
CHART_ROWS = 1 + DASHBOARD_CYCLES  # the header, then every cycle the Dashboard keeps
CHART_SIZE = {"widthPixels": 600, "heightPixels": 371}  # the API's defaults, said out loud
CHART_ROWS_APART = 20  # the second chart's anchor, under the first (371 px, ~21 px a row)
CHARTS = (SIZES_CHART, SHARE_CHART)


def charts_on(entries: list[dict[str, Any]], tab: TabInfo | None) -> set[str]:
    """The titles of the charts the metadata lists on `tab` (none when it does not exist)."""
    if tab is None:
        return set()
    for entry in entries:
        if entry.get("properties", {}).get("sheetId") == tab.sheet_id:
            return {
                str(chart.get("spec", {}).get("title", "")) for chart in entry.get("charts", [])
            }
    return set()


def dashboard_charts(
    dashboard: TabInfo, groups: list[str], titles: list[str]
) -> tuple[list[Request], list[str]]:
    """addChart requests for the charts `titles` (and the header cells they need); their names.

    The group sizes chart needs a column per group: those missing from the
    header are added after it, as a cycle's write would add them. It is left
    out while Groups is empty; running init again adds it.
    """
    requests: list[Request] = []
    domain = dashboard.column("cycle", requests)
    added = []
    specs = []
    if SIZES_CHART in titles and groups:
        columns = [dashboard.column(name, requests) for name in groups]
        specs.append(_sizes_chart(dashboard.sheet_id, domain, columns))
        added.append(SIZES_CHART)
    if SHARE_CHART in titles:
        share = dashboard.column("top20_share", requests)
        specs.append(_share_chart(dashboard.sheet_id, domain, share))
        added.append(SHARE_CHART)
    if dashboard.row_count < CHART_ROWS:  # a tab shrunk by hand: the charts' rows must exist
        requests.append(grow(dashboard, "ROWS", CHART_ROWS - dashboard.row_count))
    anchor = dashboard.header_width + 1  # one blank column between the table and the charts
    if anchor >= dashboard.column_count:
        requests.append(grow(dashboard, "COLUMNS", anchor + 1 - dashboard.column_count))
    for title, spec in zip(added, specs, strict=True):
        place = (SIZES_CHART, SHARE_CHART).index(title)  # the same place when added on its own
        cell = {
            "sheetId": dashboard.sheet_id,
            "rowIndex": 1 + place * CHART_ROWS_APART,
            "columnIndex": anchor,
        }
        position = {"overlayPosition": {"anchorCell": cell, **CHART_SIZE}}
        requests.append({"addChart": {"chart": {"spec": spec, "position": position}}})
    return requests, [f"{sheet.DASHBOARD.name} chart: {title}" for title in added]


def _chart_data(sheet_id: int, column: int) -> dict[str, Any]:
    """ChartData over one column: the header row and the rows the Dashboard keeps."""
    grid = {
        "sheetId": sheet_id,
        "startRowIndex": 0,
        "endRowIndex": CHART_ROWS,
        "startColumnIndex": column,
        "endColumnIndex": column + 1,
    }
    return {"sourceRange": {"sources": [grid]}}


def _sizes_chart(sheet_id: int, domain: int, columns: list[int]) -> Request:
    """Stacked columns: each cycle's members per group, the whole community as its height."""
    return {
        "title": SIZES_CHART,
        "basicChart": {
            "chartType": "COLUMN",
            "stackedType": "STACKED",
            "legendPosition": "BOTTOM_LEGEND",
            "axis": [
                {"position": "BOTTOM_AXIS", "title": "cycle"},
                {"position": "LEFT_AXIS", "title": "members"},
            ],
            "domains": [{"domain": _chart_data(sheet_id, domain)}],
            "series": [
                {"series": _chart_data(sheet_id, column), "targetAxis": "LEFT_AXIS"}
                for column in columns
            ],
            "headerCount": 1,
        },
    }


def _share_chart(sheet_id: int, domain: int, share: int) -> Request:
    """A line of top20_share per cycle (0.8 reads: the top 20% wrote 80% of the messages)."""
    return {
        "title": SHARE_CHART,
        "basicChart": {
            "chartType": "LINE",
            "legendPosition": "NO_LEGEND",
            "axis": [
                {"position": "BOTTOM_AXIS", "title": "cycle"},
                {"position": "LEFT_AXIS", "title": "share of counted messages"},
            ],
            "domains": [{"domain": _chart_data(sheet_id, domain)}],
            "series": [{"series": _chart_data(sheet_id, share), "targetAxis": "LEFT_AXIS"}],
            "headerCount": 1,
        },
    }
