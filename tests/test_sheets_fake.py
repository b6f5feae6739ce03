"""The local Sheets API fake answers as the real API did in recorded exchanges; real limits hold."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from sheets_fake import DROPPED, PIN_HEADER, SERIAL_EPOCH, Fault, SheetsFake, Spreadsheet, Tab

EXCHANGES = json.loads((Path(__file__).parent / "data" / "sheets_exchanges.json").read_text())
AUTH = {"Authorization": "Bearer test"}


def _set_up(fake: SheetsFake, spreadsheet_id: str, setup: dict[str, Any]) -> None:
    if setup["tabs"] is None:
        return
    book = Spreadsheet(spreadsheet_id, setup.get("title", "Recorded"))
    for index, spec in enumerate(setup["tabs"]):
        tab = Tab(spec["sheetId"], spec["title"], index, spec["rows"], spec["columns"])
        for r, row in enumerate(spec["values"]):
            for c, value in enumerate(row):
                if isinstance(value, dict):
                    tab.put(r, c, value["date"], is_date=True)
                elif value != "":
                    tab.put(r, c, value)
        book.tabs.append(tab)
    fake.books[spreadsheet_id] = book


def _without(body: Any, path: str) -> Any:
    head, _, rest = path.partition(".")
    if isinstance(body, list):
        body[int(head)] = _without(body[int(head)], rest)
    elif rest:
        body[head] = _without(body[head], rest)
    else:
        body.pop(head, None)
    return body


@pytest.mark.parametrize("exchange", EXCHANGES["exchanges"], ids=lambda e: e["name"])
def test_the_fake_answers_like_the_recorded_api(fake: SheetsFake, exchange: dict[str, Any]) -> None:
    parts = urlsplit(exchange["uri"])
    spreadsheet_id = parts.path.split("/")[3].split(":")[0]
    _set_up(fake, spreadsheet_id, exchange["setup"])
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    answer = requests.request(
        exchange["method"],
        fake.url + target,
        json=exchange["request_body"],
        headers=AUTH,
        timeout=5,
    )
    assert answer.status_code == exchange["status"]
    got, expected = answer.json(), json.loads(json.dumps(exchange["response"]))
    for path in exchange["setup"].get("ignore", []):
        got, expected = _without(got, path), _without(expected, path)
    assert got == expected


def _cells_at(row: int, value: dict[str, Any]) -> dict[str, Any]:
    return {
        "updateCells": {
            "start": {"sheetId": 0, "rowIndex": row},
            "rows": [{"values": [{"userEnteredValue": value}]}],
            "fields": "userEnteredValue",
        }
    }


def _post(fake: SheetsFake, path: str, body: dict[str, Any]) -> requests.Response:
    return requests.post(f"{fake.url}/v4/spreadsheets/{path}", json=body, headers=AUTH, timeout=5)


def test_a_batch_update_with_one_bad_request_changes_nothing(fake: SheetsFake) -> None:
    fake.create("book")
    good = _cells_at(0, {"stringValue": "x"})
    for bad in (
        {"sortRange": {}},
        {"appendDimension": {"sheetId": 0, "dimension": "ROWS", "length": 0}},
    ):
        answer = _post(fake, "book:batchUpdate", {"requests": [good, bad]})
        assert answer.status_code == 400
        assert answer.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert fake.values("book", "Sheet1") == []


def test_writing_outside_the_grid_fails_and_the_cell_limit_holds(fake: SheetsFake) -> None:
    fake.create("book")
    outside = _cells_at(1000, {"numberValue": 1})
    answer = _post(fake, "book:batchUpdate", {"requests": [outside]})
    assert answer.status_code == 400 and "exceeds grid limits" in answer.json()["error"]["message"]
    huge = {"appendDimension": {"sheetId": 0, "dimension": "ROWS", "length": 400_000}}
    answer = _post(fake, "book:batchUpdate", {"requests": [huge]})
    assert answer.status_code == 400 and "10000000 cells" in answer.json()["error"]["message"]


def test_unknown_endpoints_and_options_are_errors(fake: SheetsFake) -> None:
    fake.create("book")
    url = f"{fake.url}/v4/spreadsheets/book/values:batchGet?ranges=Sheet1&valueRenderOption=FORMULA"
    assert requests.get(url, headers=AUTH, timeout=5).status_code == 400
    bogus = f"{fake.url}/v4/spreadsheets/book/values:batchGet?ranges=Sheet1&bogus=1"
    assert requests.get(bogus, headers=AUTH, timeout=5).status_code == 400
    assert _post(fake, "book/values:batchClear", {}).status_code == 404  # not used: unsupported
    assert requests.get(f"{fake.url}/v4/spreadsheets/book", timeout=5).status_code == 401


def test_text_entered_raw_stays_text_and_dates_are_serials(fake: SheetsFake) -> None:
    fake.create("book")
    values = [["=1+1", "+44 7911", "2026-10-01", 7]]
    body = {"valueInputOption": "RAW", "data": [{"range": "'Sheet1'!A1", "values": values}]}
    assert _post(fake, "book/values:batchUpdate", body).status_code == 200
    assert fake.values("book", "Sheet1") == [["=1+1", "+44 7911", "2026-10-01", 7]]
    body["valueInputOption"] = "USER_ENTERED"
    body["data"][0]["values"] = [["'=1+1", "12", "2026-10-01"]]
    assert _post(fake, "book/values:batchUpdate", body).status_code == 200
    serial = 46296 - 0
    assert fake.values("book", "Sheet1")[0][:3] == ["=1+1", 12, serial]
    assert SERIAL_EPOCH.toordinal() + serial == __import__("datetime").date(2026, 10, 1).toordinal()


def test_faults_are_injected_counted_and_spent(fake: SheetsFake) -> None:
    fake.create("book")
    fake.inject(Fault(status=429, when="GET", times=2))
    url = f"{fake.url}/v4/spreadsheets/book"
    statuses = [requests.get(url, headers=AUTH, timeout=5).status_code for _ in range(3)]
    assert statuses == [429, 429, 200]
    assert fake.count() == 3 and [e.kind for e in fake.log] == ["metadata"] * 3


ADD_TAB = {"requests": [{"addSheet": {"properties": {"title": "Added"}}}]}


@pytest.mark.parametrize(("after_apply", "tabs"), [(False, 1), (True, 2)], ids=["before", "after"])
def test_a_dropped_connection_gets_no_answer_before_or_after_the_change(
    fake: SheetsFake, after_apply: bool, tabs: int
) -> None:
    fake.create("book")
    fake.inject(Fault(drop=True, after_apply=after_apply))
    with pytest.raises(requests.ConnectionError):
        _post(fake, "book:batchUpdate", ADD_TAB)
    assert len(fake.books["book"].tabs) == tabs
    assert [e.status for e in fake.log] == [DROPPED]
    again = _post(fake, "book:batchUpdate", ADD_TAB)
    assert again.status_code == (200 if tabs == 1 else 400)  # a tab of that name exists then


def test_a_slow_answer_is_applied_after_the_client_gave_up(fake: SheetsFake) -> None:
    fake.create("book")
    fake.inject(Fault(delay=0.5))
    url = f"{fake.url}/v4/spreadsheets/book:batchUpdate"
    with pytest.raises(requests.Timeout):
        requests.post(url, json=ADD_TAB, headers=AUTH, timeout=0.1)
    assert len(fake.books["book"].tabs) == 1  # not yet
    fake.settle()
    assert len(fake.books["book"].tabs) == 2


def test_a_pinned_fault_hits_only_requests_labelled_so(fake: SheetsFake) -> None:
    fake.create("book")
    pinned = Fault(status=503, pin="2", times=2)
    fake.inject(pinned)
    url = f"{fake.url}/v4/spreadsheets/book"
    statuses = [
        requests.get(url, headers={**AUTH, PIN_HEADER: label}, timeout=5).status_code
        for label in ("1", "2", "check", "2", "2")
    ]
    assert statuses == [200, 503, 200, 503, 200]
    assert pinned.hits == 2 and not fake.faults


def test_add_sheet_at_an_index_shifts_the_later_tabs(fake: SheetsFake) -> None:
    fake.create("book", tabs=("Sheet1", "Notes"))
    url = f"{fake.url}/v4/spreadsheets/book:batchUpdate"
    first = {"addSheet": {"properties": {"title": "Status", "index": 0}}}
    answer = requests.post(url, json={"requests": [first]}, headers=AUTH, timeout=5)
    assert answer.json()["replies"][0]["addSheet"]["properties"]["index"] == 0
    tabs = fake.books["book"].tabs
    assert [(tab.title, tab.index) for tab in tabs] == [("Status", 0), ("Sheet1", 1), ("Notes", 2)]
    beyond = {"addSheet": {"properties": {"title": "Far", "index": 9}}}
    answer = requests.post(url, json={"requests": [beyond]}, headers=AUTH, timeout=5)
    assert answer.status_code == 400 and "index 9" in answer.text


def test_sort_range_orders_rows_numbers_then_text_then_blanks_and_moves_their_dates(
    fake: SheetsFake,
) -> None:
    fake.create("book")
    values = (
        {"stringValue": "b"},
        {"numberValue": 3},
        None,
        {"numberValue": 1},
        {"stringValue": "A"},
    )
    rows = [{"values": [{"userEnteredValue": v} if v else {}]} for v in values]
    start = {"sheetId": 0, "rowIndex": 0, "columnIndex": 0}
    cells = {"updateCells": {"rows": rows, "fields": "userEnteredValue", "start": start}}
    by_first_column = [{"dimensionIndex": 0, "sortOrder": "ASCENDING"}]
    grid = {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 5}
    sort = {"sortRange": {"range": grid, "sortSpecs": by_first_column}}
    assert _post(fake, "book:batchUpdate", {"requests": [cells]}).status_code == 200
    fake.books["book"].tabs[0].date_cells.add((0, 0))  # a date flag on "b" travels with its row
    assert _post(fake, "book:batchUpdate", {"requests": [sort]}).status_code == 200
    assert fake.values("book", "Sheet1") == [[1], [3], ["A"], ["b"]]
    assert fake.books["book"].tabs[0].date_cells == {(3, 0)}


# --- addChart ------------------------------------------------------------------------------


def _source(column: int, sheet_id: int = 0, width: int = 1) -> dict[str, Any]:
    return {
        "sourceRange": {
            "sources": [
                {
                    "sheetId": sheet_id,
                    "startRowIndex": 0,
                    "endRowIndex": 7,
                    "startColumnIndex": column,
                    "endColumnIndex": column + width,
                }
            ]
        }
    }


def _sample_chart() -> dict[str, Any]:
    """The Sheets API chart sample "Add a column chart", placed over Sheet1 (overlayPosition)."""
    return {
        "addChart": {
            "chart": {
                "spec": {
                    "title": "Model Q1 Sales",
                    "basicChart": {
                        "chartType": "COLUMN",
                        "legendPosition": "BOTTOM_LEGEND",
                        "axis": [
                            {"position": "BOTTOM_AXIS", "title": "Model Numbers"},
                            {"position": "LEFT_AXIS", "title": "Sales"},
                        ],
                        "domains": [{"domain": _source(0)}],
                        "series": [
                            {"series": _source(column), "targetAxis": "LEFT_AXIS"}
                            for column in (1, 2, 3)
                        ],
                        "headerCount": 1,
                    },
                },
                "position": {
                    "overlayPosition": {
                        "anchorCell": {"sheetId": 0, "rowIndex": 1, "columnIndex": 6},
                        "offsetXPixels": 10,
                    }
                },
            }
        }
    }


def test_add_chart_takes_the_reference_shape_and_lists_the_chart_in_the_metadata(
    fake: SheetsFake,
) -> None:
    fake.create("book")
    answer = _post(fake, "book:batchUpdate", {"requests": [_sample_chart()]})
    assert answer.status_code == 200, answer.text
    (reply,) = answer.json()["replies"]
    chart = reply["addChart"]["chart"]
    assert isinstance(chart["chartId"], int) and chart["spec"]["title"] == "Model Q1 Sales"
    overlay = chart["position"]["overlayPosition"]
    assert (overlay["widthPixels"], overlay["heightPixels"]) == (600, 371)  # the API's defaults
    metadata = requests.get(f"{fake.url}/v4/spreadsheets/book", headers=AUTH, timeout=5).json()
    assert metadata["sheets"][0]["charts"] == [chart]
    again = _sample_chart()
    again["addChart"]["chart"]["chartId"] = chart["chartId"]
    taken = _post(fake, "book:batchUpdate", {"requests": [again]})
    assert taken.status_code == 400  # an id in use


def _spoiled(path: str, value: Any) -> dict[str, Any]:
    """The sample with the field at dotted `path` set to `value` (lists by index)."""
    request = _sample_chart()
    node: Any = request["addChart"]
    *parents, last = path.split(".")
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[last] = value
    return request


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("chart.spec.basicChart.colour", "red", 'Unknown name "colour"'),
        ("chart.spec.basicChart.series.0.series.range", "B1:B7", 'Unknown name "range"'),
        ("chart.position.overlayPosition.anchor", {}, 'Unknown name "anchor"'),
        ("chart.spec.basicChart.chartType", "PIE", "Invalid value"),
        ("chart.spec.basicChart.headerCount", True, "Invalid value"),
        ("chart.spec.basicChart.domains.0.domain", _source(0, sheet_id=99), "No grid with id"),
        ("chart.spec.basicChart.series.0.series", _source(1, width=2), "length 1"),
        ("chart.spec.basicChart.series.1.series", _source(30), "outside the grid"),
        ("chart.position", {"newSheet": True}, "overlayPosition"),
        (
            "chart.position.overlayPosition.anchorCell",
            {"sheetId": 0, "rowIndex": 0, "columnIndex": 26},
            "outside the grid",
        ),
    ],
    ids=[
        "unknown field",
        "unknown field in a series",
        "unknown field in the position",
        "chart type not in the enum",
        "a boolean for a number",
        "a range on a missing sheet",
        "a series two columns wide",
        "a series outside the grid",
        "a chart on its own sheet",
        "an anchor outside the grid",
    ],
)
def test_a_malformed_add_chart_is_refused_and_changes_nothing(
    fake: SheetsFake, path: str, value: Any, message: str
) -> None:
    fake.create("book")
    good = _cells_at(0, {"stringValue": "x"})
    answer = _post(fake, "book:batchUpdate", {"requests": [good, _spoiled(path, value)]})
    assert answer.status_code == 400
    assert message in answer.json()["error"]["message"]
    assert fake.values("book", "Sheet1") == [] and fake.books["book"].tabs[0].charts == []
