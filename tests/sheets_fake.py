"""A local Google Sheets API v4 fake: a real HTTP server on 127.0.0.1 that keeps real state.

Test infrastructure, not product code. It implements the subset grouptier and
gspread use, answering in the shapes of the recorded real exchanges
(`tests/data/sheets_exchanges.json`):

- `GET  /v4/spreadsheets/{id}` (metadata, never grid data)
- `GET  /v4/spreadsheets/{id}/values:batchGet` and `GET .../values/{range}`
  (UNFORMATTED_VALUE or FORMATTED_VALUE; dates as SERIAL_NUMBER or FORMATTED_STRING)
- `PUT  .../values/{range}`, `POST .../values:batchUpdate`, `POST .../values/{range}:append`,
  `POST .../values/{range}:clear` (RAW, and USER_ENTERED for plain text, numbers
  and ISO dates; formulas are refused)
- `POST /v4/spreadsheets/{id}:batchUpdate` with addSheet (hidden too), deleteSheet,
  updateSheetProperties, updateCells, appendCells, appendDimension, insertDimension
  and deleteDimension (rows), sortRange, copyPaste, setDataValidation,
  addProtectedRange, updateDimensionProperties, repeatCell (number formats),
  addChart; applied atomically (all or none)
- `POST /token`: an OAuth token endpoint, so a real service-account key file
  whose `token_uri` points here signs in as it would with Google.

State, A1 ranges and rendering live in `sheets_fake_grid`, the batchUpdate
request kinds in `sheets_fake_requests` (charts in `sheets_fake_charts`).

Anything else answers an error, never a silent success. Grids have real limits
(writes outside a tab's grid fail; 10 million cells per spreadsheet). Requests
are handled concurrently; only applying one request's changes is atomic, as on
the real service. `inject` adds faults (an error status, a slow answer, an
error after the change was applied, a connection dropped before or after the
change was applied) and `log` records every exchange with its size in bytes.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

from loopback import Served, send_json
from sheets_fake_grid import (
    CELL_LIMIT,
    SERIAL_EPOCH,
    ApiError,
    Area,
    Spreadsheet,
    Tab,
    parse_range,
    read_area,
    write_values,
)
from sheets_fake_requests import REQUESTS

__all__ = [
    "DROPPED",
    "PIN_HEADER",
    "SERIAL_EPOCH",
    "Exchange",
    "Fault",
    "SheetsFake",
    "Spreadsheet",
    "Tab",
]

# The status logged for a request whose connection was closed without an answer.
DROPPED = 0
# A request header a test client may set to name its request; `Fault.pin` matches it.
PIN_HEADER = "x-fault-pin"

# --- faults and the log -------------------------------------------------------------


@dataclass
class Fault:
    """Make matching requests fail or slow down.

    `when` is a substring of "METHOD /path" ("POST", ":batchUpdate", "values:batchGet");
    `at` pins the fault to one request by its position in the log (0-based);
    `pin` to the requests whose `PIN_HEADER` says exactly that (a test client's own
    name for a request, which its retries repeat: see `fault_matrix`).
    `status` answers that error instead (or after applying, with `after_apply`);
    `drop` closes the connection without any answer instead (or after applying,
    with `after_apply`); `delay` sleeps before applying and answering, so a client
    whose read timeout is shorter gives up while the request is still to be
    applied, as with Google. `times` faults are spent, then the rule is dropped;
    `hits` counts the requests the rule has faulted.
    """

    status: int | None = None
    delay: float = 0.0
    when: str = ""
    at: int | None = None
    times: int = 1
    after_apply: bool = False
    message: str = ""  # the error's text; blank: the API's usual one for `status`
    drop: bool = False
    pin: str | None = None
    hits: int = 0


@dataclass(frozen=True)
class Exchange:
    """One request the fake answered."""

    method: str
    path: str
    query: str
    status: int
    sent: int  # bytes of the request line's target and body
    received: int  # bytes of the response body

    @property
    def kind(self) -> str:
        """metadata, values:batchGet, values:batchUpdate, batchUpdate, values.get, ..."""
        if self.path == "/token":
            return "token"
        tail = self.path.split("/v4/spreadsheets/", 1)[-1]
        if ":batchUpdate" in tail and "/values" not in tail:
            return "batchUpdate"
        if "/values:" in tail:
            return "values:" + tail.rsplit(":", 1)[1]
        if "/values/" in tail:
            if tail.endswith(":append"):
                return "values:append"
            if tail.endswith(":clear"):
                return "values:clear"
            return "values.update" if self.method == "PUT" else "values.get"
        return "metadata"


class SheetsFake(Served):
    """The fake service: spreadsheets by id, a request log, fault rules."""

    def __init__(self) -> None:
        self.books: dict[str, Spreadsheet] = {}
        self.forbidden: set[str] = set()
        self.tokens_issued = 0
        self.log: list[Exchange] = []
        self.faults: list[Fault] = []
        self._state = threading.Lock()
        self._busy = threading.Condition()
        self._serving = 0  # requests being served (a slow fault may outlive its client)

    # test-side helpers (no HTTP)

    def create(
        self, spreadsheet_id: str, title: str = "Community", tabs: tuple[str, ...] = ("Sheet1",)
    ) -> Spreadsheet:
        book = Spreadsheet(spreadsheet_id, title)
        for index, name in enumerate(tabs):
            book.tabs.append(Tab(0 if index == 0 else index * 7919 + 11, name, index))
        self.books[spreadsheet_id] = book
        return book

    def load(self, spreadsheet_id: str, name: str, rows: list[list[Any]], frozen: int = 1) -> Tab:
        """Put a tab holding `rows` (dates become serial numbers shown as dates)."""
        book = self.books[spreadsheet_id]
        with self._state:
            existing = [tab for tab in book.tabs if tab.title == name]
            tab = existing[0] if existing else Tab(len(book.tabs) * 7919 + 11, name, len(book.tabs))
            if not existing:
                book.tabs.append(tab)
            tab.row_count = max(len(rows) + 10, 100)
            tab.column_count = max([len(row) for row in rows] + [tab.column_count])
            tab.frozen_rows = frozen
            tab.rows, tab.date_cells = [], set()
            for r, line in enumerate(rows):
                out = []
                for c, value in enumerate(line):
                    if isinstance(value, date):
                        tab.date_cells.add((r, c))
                        out.append(value.toordinal() - SERIAL_EPOCH.toordinal())
                    else:
                        out.append(None if value == "" else value)
                tab.rows.append(out)
        return tab

    def values(self, spreadsheet_id: str, name: str) -> list[list[Any]]:
        """A tab's cells as UNFORMATTED_VALUE would give them (trimmed)."""
        book = self.books[spreadsheet_id]
        area = Area(book.tab(name), 0, 0, None, None)
        return read_area(area, "UNFORMATTED_VALUE", "SERIAL_NUMBER").get("values", [])

    def count(self, since: int = 0) -> int:
        """API requests answered since log position `since` (token requests not counted)."""
        return sum(1 for exchange in self.log[since:] if exchange.kind != "token")

    def inject(self, *faults: Fault) -> None:
        self.faults.extend(faults)

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until no request is being served: a slow answer's change has been applied."""
        with self._busy:
            if not self._busy.wait_for(lambda: self._serving == 0, timeout):
                raise TimeoutError(f"the fake is still serving {self._serving} requests")

    @contextmanager
    def _serving_one(self) -> Iterator[None]:
        with self._busy:
            self._serving += 1
        try:
            yield
        finally:
            with self._busy:
                self._serving -= 1
                self._busy.notify_all()

    # serving (start, url and stop come from `Served`)

    def _fault_for(self, method: str, path: str, pin: str | None) -> Fault | None:
        with self._state:
            position = len(self.log)
            for fault in self.faults:
                matches = (
                    fault.at == position
                    if fault.at is not None
                    else fault.when in f"{method} {path}"
                ) and (fault.pin is None or fault.pin == pin)
                if matches:
                    fault.times -= 1
                    fault.hits += 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def serve(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, bytes]:
        """(status, body) of the answer; status `DROPPED`: close the connection unanswered."""
        parts = urlsplit(target)
        fault = self._fault_for(method, parts.path, headers.get(PIN_HEADER))
        if fault and fault.delay:
            time.sleep(fault.delay)
        status, payload = self._answer(method, parts, headers, body, fault)
        if fault and fault.drop:
            status = DROPPED
        data = b"" if status == DROPPED else json.dumps(payload, ensure_ascii=False).encode()
        with self._state:
            self.log.append(
                Exchange(
                    method, parts.path, parts.query, status, len(target) + len(body), len(data)
                )
            )
        return status, data

    def _answer(
        self,
        method: str,
        parts: SplitResult,
        headers: dict[str, str],
        body: bytes,
        fault: Fault | None,
    ) -> tuple[int, Any]:
        before = fault is not None and not fault.after_apply
        if before and fault is not None and fault.drop:
            return DROPPED, None  # never applied
        try:
            if before and fault is not None and fault.status:
                raise ApiError(fault.status, fault.message)
            if parts.path == "/token" and method == "POST":
                answer = self._token(body)
            elif not headers.get("authorization", "").startswith("Bearer "):
                raise ApiError(401)
            else:
                answer = self._dispatch(method, parts.path, parse_qs(parts.query), body)
            if fault and fault.status:
                raise ApiError(fault.status, fault.message)
        except ApiError as error:
            return error.code, error.body()
        return 200, answer

    def _token(self, body: bytes) -> dict[str, Any]:
        """The OAuth token endpoint a service-account key's `token_uri` can point at."""
        form = parse_qs(body.decode())
        grants = (["urn:ietf:params:oauth:grant-type:jwt-bearer"], ["refresh_token"])
        if form.get("grant_type") not in grants:
            raise ApiError(400, "unsupported grant_type")
        self.tokens_issued += 1
        return {
            "access_token": f"fake-token-{self.tokens_issued}",
            "expires_in": 3600,
            "token_type": "Bearer",
        }

    def _dispatch(
        self, method: str, path: str, query: dict[str, list[str]], body: bytes
    ) -> dict[str, Any]:
        match = re.match(r"^/v4/spreadsheets/([^/:]+)(.*)$", path)
        if not match:
            raise ApiError(404, f"Method not found: {path}")
        book_id, rest = match.group(1), match.group(2)
        if book_id in self.forbidden:
            raise ApiError(403)
        if book_id not in self.books:
            raise ApiError(404)
        payload = json.loads(body) if body else {}
        if method == "GET" and rest == "":
            _only(query, {"includeGridData", "fields"})
            if query.get("includeGridData", ["false"])[0] != "false":
                raise ApiError(400, "the Sheets API fake does not return grid data")
            with self._state:
                return self.books[book_id].metadata()
        if method == "GET" and rest == "/values:batchGet":
            _only(query, {"ranges", "valueRenderOption", "dateTimeRenderOption", "majorDimension"})
            return self._batch_get(book_id, query)
        if method == "GET" and rest.startswith("/values/"):
            _only(query, {"valueRenderOption", "dateTimeRenderOption", "majorDimension"})
            ranges = {**query, "ranges": [unquote(rest[len("/values/") :])]}
            answer = self._batch_get(book_id, ranges)["valueRanges"][0]
            return answer
        if method == "POST" and rest == ":batchUpdate":
            return self._batch_update(book_id, payload)
        if method == "POST" and rest == "/values:batchUpdate":
            return self._values_batch_update(book_id, payload)
        if method == "PUT" and rest.startswith("/values/"):
            _only(query, {"valueInputOption", "includeValuesInResponse"})
            data = [
                {"range": unquote(rest[len("/values/") :]), "values": payload.get("values", [])}
            ]
            option = query.get("valueInputOption", [""])[0]
            answer = self._values_batch_update(book_id, {"valueInputOption": option, "data": data})
            response: dict[str, Any] = answer["responses"][0]
            return response
        if method == "POST" and rest.startswith("/values/") and rest.endswith(":clear"):
            return self._clear(book_id, unquote(rest[len("/values/") : -len(":clear")]))
        if method == "POST" and rest.startswith("/values/") and rest.endswith(":append"):
            _only(
                query,
                {
                    "valueInputOption",
                    "insertDataOption",
                    "includeValuesInResponse",
                    "responseValueRenderOption",
                },
            )
            return self._append(
                book_id, unquote(rest[len("/values/") : -len(":append")]), query, payload
            )
        raise ApiError(404, f"Method not found: {method} {path}")

    def _batch_get(self, book_id: str, query: dict[str, list[str]]) -> dict[str, Any]:
        option = query.get("valueRenderOption", ["FORMATTED_VALUE"])[0]
        dates = query.get("dateTimeRenderOption", ["SERIAL_NUMBER"])[0]
        if option not in ("FORMATTED_VALUE", "UNFORMATTED_VALUE") or dates not in (
            "SERIAL_NUMBER",
            "FORMATTED_STRING",
        ):
            raise ApiError(400, f"the Sheets API fake does not render {option}/{dates}")
        if query.get("majorDimension", ["ROWS"])[0] != "ROWS":
            raise ApiError(400, "the Sheets API fake answers majorDimension ROWS only")
        with self._state:
            book = self.books[book_id]
            areas = [parse_range(book, text) for text in query.get("ranges", [])]
            tabs = {id(area.tab): area.tab.clone() for area in areas}
        # Rendering runs outside the lock on a snapshot, so big reads do not hold up writes.
        ranges = [
            read_area(Area(tabs[id(a.tab)], a.row0, a.col0, a.row1, a.col1), option, dates)
            for a in areas
        ]
        return {"spreadsheetId": book_id, "valueRanges": ranges}

    @contextmanager
    def _changing(self, book_id: str) -> Iterator[Spreadsheet]:
        with self._state:
            draft = self.books[book_id].clone()
            yield draft
            if draft.cells() > CELL_LIMIT:
                raise ApiError(
                    400,
                    "This action would increase the number of cells in the workbook "
                    f"above the limit of {CELL_LIMIT} cells.",
                )
            self.books[book_id] = draft

    def _batch_update(self, book_id: str, payload: dict[str, Any]) -> dict[str, Any]:
        unknown = set(payload) - {
            "requests",
            "includeSpreadsheetInResponse",
            "responseIncludeGridData",
        }
        if unknown:
            raise ApiError(
                400, f'Invalid JSON payload received. Unknown name "{sorted(unknown)[0]}"'
            )
        replies = []
        with self._changing(book_id) as book:
            for index, request in enumerate(payload.get("requests", [])):
                if not isinstance(request, dict) or len(request) != 1:
                    raise ApiError(
                        400, f"Invalid requests[{index}]: exactly one kind of request is allowed"
                    )
                ((kind, body),) = request.items()
                if kind not in REQUESTS:
                    raise ApiError(
                        400,
                        f'Invalid JSON payload received. Unknown name "{kind}" '
                        f"at 'requests[{index}]': Cannot find field.",
                    )
                try:
                    replies.append(REQUESTS[kind](book, body))
                except (KeyError, TypeError, ValueError) as exc:
                    raise ApiError(400, f"Invalid requests[{index}].{kind}: {exc}") from exc
        return {"spreadsheetId": book_id, "replies": replies}

    def _values_batch_update(self, book_id: str, payload: dict[str, Any]) -> dict[str, Any]:
        option = payload.get("valueInputOption")
        if option not in ("RAW", "USER_ENTERED"):
            raise ApiError(400, "'valueInputOption' is required and must be RAW or USER_ENTERED")
        responses = []
        with self._changing(book_id) as book:
            for item in payload.get("data", []):
                area = parse_range(book, item["range"])
                responses.append(write_values(area, item.get("values", []), option, book_id))
        sheets = {r["updatedRange"].rsplit("!", 1)[0] for r in responses}
        return {
            "spreadsheetId": book_id,
            "totalUpdatedRows": sum(r["updatedRows"] for r in responses),
            "totalUpdatedColumns": max([r["updatedColumns"] for r in responses] + [0]),
            "totalUpdatedCells": sum(r["updatedCells"] for r in responses),
            "totalUpdatedSheets": len(sheets),
            "responses": responses,
        }

    def _clear(self, book_id: str, text: str) -> dict[str, Any]:
        with self._changing(book_id) as book:
            area = parse_range(book, text)
            row0, col0, row1, col1 = area.clipped()
            for r in range(row0, min(row1, len(area.tab.rows))):
                for c in range(col0, min(col1, len(area.tab.rows[r]))):
                    if area.tab.rows[r][c] is not None:
                        area.tab.put(r, c, None)
        return {"spreadsheetId": book_id, "clearedRange": area.a1()}

    def _append(
        self, book_id: str, text: str, query: dict[str, list[str]], payload: dict[str, Any]
    ) -> dict[str, Any]:
        option = query.get("valueInputOption", [""])[0]
        values = payload.get("values", [])
        with self._changing(book_id) as book:
            area = parse_range(book, text)
            first = area.tab.last_data_row()
            area.tab.row_count = max(area.tab.row_count, first + len(values))
            width = max([len(row) for row in area.tab.rows[:first]] + [1])
            table = Area(area.tab, 0, 0, first, width)
            target = Area(area.tab, first, area.col0, None, None)
            update = write_values(target, values, option, book_id)
        answer: dict[str, Any] = {"spreadsheetId": book_id}
        if first:  # the real API names the table it found, and only when there was one
            answer["tableRange"] = table.a1()
        return {**answer, "updates": update}


def _only(query: dict[str, list[str]], known: set[str]) -> None:
    unknown = set(query) - known
    if unknown:
        raise ApiError(
            400,
            f'Invalid JSON payload received. Unknown name "{sorted(unknown)[0]}": '
            "Cannot bind query parameter.",
        )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body in separate packets would wait 40 ms
    wbufsize = 1 << 16
    service: SheetsFake

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {key.lower(): value for key, value in self.headers.items()}
        with self.service._serving_one():
            status, data = self.service.serve(self.command, self.path, headers, body)
        if status == DROPPED:
            self.close_connection = True
            with suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        send_json(self, status, data)

    do_GET = do_POST = do_PUT = _answer  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the fake's log is `SheetsFake.log`."""


SheetsFake.handler = _Handler
