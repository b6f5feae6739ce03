"""The Google Sheets backend: the shared sheet as source of truth, in a fixed handful of requests.

A run costs, whatever the community's size:

1. `GET spreadsheets/{id}` — the tabs, their ids and grid sizes;
2. `values:batchGet` — every tab the cycle reads, in full, unformatted, dates
   as serial numbers (Moves, as the rules read the recent moves; the
   Leaderboard, whose older cycles each cycle keeps);

and only when it writes (a due cycle, new welcome messages, an import):

3. `spreadsheets:batchUpdate` — append a *claim* row to `Runs`;
4. `values:batchGet` of `Runs` — verify the claim;
5. `spreadsheets:batchUpdate` — everything that changes (Moves, the Members
   cells, Activity rows rolled up, History, Messages, the Leaderboard, Runs,
   the Status row), which the API applies atomically; the claim row becomes
   the run's first `Runs` row.

Text is always sent typed as text, never parsed. **No request over 2 MB**
(Google's advice; it refuses about 10 MB): when the write of step 5 would be
bigger, its rows are first staged in a hidden tab, a chunk per request, the
claim is verified again, and step 5 becomes a small batch that copies them in
place (`sheets_staging`). Either way the sheet a manager sees changes in one
atomic step, so a run that fails leaves it as before or as after. A run with
nothing to write makes requests 1 and 2 only; a run that found the sheet
invalid appends its `Runs` row (and rewrites the `Status` row) in a third. A
missing tab is added where the contract puts it (`sheet.position_of`: Status
first, the others last).

**Concurrency: a claim row with a lease** (`sheets_claims`). The claim is a
`Runs` row with status `claimed` whose `finished_at` holds the lease's end
(UTC, ten minutes by default). After appending it, a run reads `Runs` again and
gives way when (a) a live claim of another run stands above its own, or (b) a
`done` or `written` row appeared that its first read did not show (another run
changed the sheet while this one was deciding). Every run sees all claims
appended before its own, so of two overlapping runs at most one goes on; the
other turns its claim row into `skipped` (a no-op recorded in `Runs`) and
raises `SheetBusyError`. A crashed run's claim stops counting when its lease
ends; a run gives up before writing if its own lease has ended. The verify
request also re-reads the key column of every tab whose rows the write
addresses by number (Members, Activity, Messages): rows a manager inserted or
deleted by hand in the meantime make the run give way as well.

Retries, the endpoint override (`GROUPTIER_SHEETS_ENDPOINT`) and the
translation of failures into `SheetError`s live in `sheets_http`; how changes
become requests on the tabs read in `sheets_layout`; request bodies (text
always sent as text) in `sheets_requests`; claims in `sheets_claims`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from datetime import UTC, datetime, timedelta
from typing import Any

from google.auth.credentials import Credentials

from grouptier import sheet
from grouptier.backends.base import ChangeSet, Record
from grouptier.backends.sheet_urls import sheet_id_of
from grouptier.backends.sheets_charts import CHARTS, charts_on
from grouptier.backends.sheets_claims import (
    CHANGED,
    LEASE,
    Guard,
    claim_record,
    guards_for,
    judge_claim,
    key_column,
    log_only,
    recorded,
    runs_rows,
)
from grouptier.backends.sheets_http import (
    RetryPolicy,
    SheetsHTTPClient,
    load_credentials,
)
from grouptier.backends.sheets_layout import Layout, Snapshot, dropped
from grouptier.backends.sheets_requests import (
    TabInfo,
    cells_from_api,
    first_of_each_name,
    new_sheet_id,
    quoted,
    set_cells,
)
from grouptier.backends.sheets_staging import (
    Stage,
    is_staging,
    request_size,
    stage_batches,
    staging_title,
)
from grouptier.cells import CellValue, normalise
from grouptier.errors import (
    SheetBusyError,
    SheetError,
    SheetUnavailableError,
    SheetUnsureError,
)
from grouptier.sheet import RawTab, RawWorkbook

__all__ = ["GoogleSheetsBackend", "sheet_id_of"]

# Google's advice for one request; a bigger state write is staged (`sheets_staging`).
REQUEST_LIMIT = 2_000_000
# The summary a claim row ends with when its run did not change the sheet.
ENDED = {
    "skipped": "gave way to another run; nothing was changed (see error)",
    "failed": "stopped before changing the sheet; nothing was changed (see error)",
}
READ_PARAMS = {"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "SERIAL_NUMBER"}
_CONTRACT = {normalise(spec.name): spec for spec in sheet.ALL_TABS}
_TIME = "%Y-%m-%d %H:%M:%S"
Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class GoogleSheetsBackend:
    """A Google Sheet seen through the `Backend` interface.

    `target` is the sheet's URL or ID. Credentials: `credentials` when given
    (tests pass a fixed token), else a key file (`key_file`), else Application
    Default Credentials. `endpoint` overrides `GROUPTIER_SHEETS_ENDPOINT`.
    """

    # The Sheets API refuses a whole write holding a longer text in one cell.
    cell_text_limit = 50_000

    def __init__(
        self,
        target: str,
        *,
        credentials: Credentials | None = None,
        key_file: str | None = None,
        endpoint: str | None = None,
        policy: RetryPolicy | None = None,
        lease: timedelta = LEASE,
        clock: Clock = _utc_now,
        sleep: Callable[[float], None] | None = None,
        request_limit: int = REQUEST_LIMIT,
    ) -> None:
        spreadsheet_id = sheet_id_of(target)
        if spreadsheet_id is None:
            raise SheetError(target, "this is not a Google Sheets URL or spreadsheet ID")
        self.spreadsheet_id = spreadsheet_id
        self._credentials = credentials
        self._key_file = key_file
        self._endpoint = endpoint
        self._policy = policy
        self._sleep = sleep
        self._lease = lease
        self._clock = clock
        self._request_limit = request_limit
        self._client: SheetsHTTPClient | None = None
        self._snapshot: Snapshot | None = None

    @property
    def location(self) -> str:
        """The sheet's URL."""
        return f"https://docs.google.com/spreadsheets/d/{self.spreadsheet_id}/edit"

    @property
    def http(self) -> SheetsHTTPClient:
        """The retrying client, created on first use (credentials are looked up then)."""
        if self._client is None:
            credentials = self._credentials or load_credentials(self._key_file)
            extra: dict[str, Any] = {"sleep": self._sleep} if self._sleep else {}
            self._client = SheetsHTTPClient(
                credentials, self.location, endpoint=self._endpoint, policy=self._policy, **extra
            )
        return self._client

    def lock(self) -> AbstractContextManager[None]:
        """Scope one run; the claim is taken in `write`, only when there is something to write."""
        return self._run_scope()

    @contextmanager
    def _run_scope(self) -> Iterator[None]:
        self._snapshot = None
        try:
            yield
        finally:
            self._snapshot = None

    # --- reading ---------------------------------------------------------------

    def read(self) -> RawWorkbook:
        """Every contract tab in one batchGet (plus one metadata request)."""
        metadata = self.http.fetch_sheet_metadata(self.spreadsheet_id)
        infos = [TabInfo.from_metadata(entry) for entry in metadata.get("sheets", [])]
        tabs = first_of_each_name(infos, _CONTRACT)
        snapshot = Snapshot(
            tabs,
            cells=sum(i.row_count * i.column_count for i in infos),
            sheet_ids={i.sheet_id for i in infos},
            leftovers=[i.sheet_id for i in infos if is_staging(i.title)],
        )
        present = charts_on(metadata.get("sheets", []), tabs.get(normalise(sheet.DASHBOARD.name)))
        snapshot.charts = [title for title in CHARTS if title not in present]
        names = list(tabs)
        ranges = [quoted(tabs[n].title) for n in names]
        answer = (
            self.http.values_batch_get(self.spreadsheet_id, ranges, dict(READ_PARAMS))
            if ranges
            else {}
        )
        workbook = RawWorkbook()
        for name, value_range in zip(names, answer.get("valueRanges", []), strict=True):
            rows = cells_from_api(value_range.get("values", []))
            info = tabs[name]
            info.read_header(rows[0] if rows else [])
            info.last_row = len(rows)
            workbook.tabs[info.title] = RawTab(info.title, rows)
            snapshot.rows[name] = rows
        # A second tab of one name, listed empty, so that `read_table` reports both.
        twins = [i.title for i in infos if normalise(i.title) in tabs]
        workbook.tabs.update({t: RawTab(t, []) for t in twins if t not in workbook.tabs})
        runs = workbook.find("Runs")
        snapshot.changed_runs = {
            run_id
            for _, (run_id, status, _) in runs_rows(runs.rows if runs else [])
            if status in CHANGED
        }
        self._snapshot = snapshot
        return workbook

    def tabs(self) -> dict[str, TabInfo]:
        """The contract tabs the last `read` found, by normalised name (reads if needed)."""
        if self._snapshot is None:
            self.read()
        assert self._snapshot is not None
        return dict(self._snapshot.tabs)

    # --- writing ---------------------------------------------------------------

    def write(self, changes: ChangeSet) -> None:
        """Apply `changes`: a verified claim, then one atomic batchUpdate (staged when large)."""
        if changes.is_empty():
            return
        snapshot = self._snapshot
        if snapshot is None:
            self.read()
            snapshot = self._snapshot
        assert snapshot is not None
        runs = changes.appends.get("Runs", [])
        if log_only(changes):
            self._append_log(snapshot, runs, changes.replacements)
            return
        if not runs:  # not a cycle (an import, new welcome messages): the claim row records it
            changes = recorded(changes, uuid.uuid4().hex[:10], self._clock())
            runs = changes.appends["Runs"]
        token = str(runs[0]["run_id"])
        status = str(runs[0].get("status", ""))
        expiry = self._claim(snapshot, token, str(runs[0].get("trigger", "")))
        guards = guards_for(snapshot.tabs, snapshot.rows, changes)
        claim_row = self._verify(snapshot, token, guards)
        stage: Stage | None = None
        try:
            self._check_lease(expiry)
            self._layout(snapshot).check_size(changes)
            plan = self._layout(snapshot).plan(changes, claim_row)
            requests = plan.single()
            if request_size(requests) > self._request_limit:
                title = staging_title(token)
                sheet_id = new_sheet_id(snapshot.sheet_ids, self.spreadsheet_id, title)
                stage = plan.stage(sheet_id, token)
                self._layout(snapshot).check_staged_size(stage)
                self._send_stage(stage)
                # Staging took a while: look again for a rival or rows a manager moved.
                claim_row = self._verify(snapshot, token, guards, mark=False)
                self._check_lease(expiry)
                requests = plan.committed(stage)
            with self.http.unsure(lambda: self._has_row(token, status)):
                self.http.batch_update(self.spreadsheet_id, {"requests": requests})
        except SheetBusyError as error:
            self._mark_claim(snapshot, claim_row, "skipped", str(error), stage)
            raise
        except SheetUnsureError:
            raise  # the claim row may already say done: leave it, or the cycle runs twice
        except SheetError as error:
            self._mark_claim(snapshot, claim_row, "failed", str(error), stage)
            raise

    def _check_lease(self, expiry: datetime) -> None:
        if self._clock() >= expiry:
            raise SheetBusyError(self.location, f"this run's own lease ended at {expiry:%H:%M} UTC")

    def _send_stage(self, stage: Stage) -> None:
        """Fill the hidden staging tab; nothing a reader looks at changes."""
        for number, requests in enumerate(stage_batches(stage, self._request_limit)):
            # Only the first adds the tab (not repeatable); the others set fixed cells.
            check = self._staging_exists(stage.title) if number == 0 else (lambda: False)
            try:
                with self.http.unsure(check, repeatable=number > 0):
                    self.http.batch_update(self.spreadsheet_id, {"requests": requests})
            except SheetUnsureError as error:  # unsure of a hidden tab only: the sheet is as before
                raise SheetUnavailableError(self.location, error.attempts, error.last) from error

    def _staging_exists(self, title: str) -> Callable[[], bool]:
        def check() -> bool:
            metadata = self.http.fetch_sheet_metadata(self.spreadsheet_id)
            titles = [entry["properties"]["title"] for entry in metadata.get("sheets", [])]
            return title in titles

        return check

    def _append_log(
        self, snapshot: Snapshot, runs: list[Record], status_rows: dict[str, list[Record]]
    ) -> None:
        """Rows of `Runs` and the `Status` row only (a run that found the sheet invalid).

        One batchUpdate, no claim: appending changes no row another run relies
        on, and the Status row is rewritten whole. A lost answer is retried only
        when `Runs` shows the rows were not added.
        """
        token, status = str(runs[0].get("run_id", "")), str(runs[0].get("status", ""))
        requests = self._layout(snapshot).appends({"Runs": runs})
        for name, records in status_rows.items():
            info, rows = self._layout(snapshot).replacement(name, records, requests)
            if rows:
                requests.append(set_cells(info.sheet_id, 1, 0, rows))
        with self.http.unsure(lambda: self._has_row(token, status)):
            self.http.batch_update(self.spreadsheet_id, {"requests": requests})

    def _claim(self, snapshot: Snapshot, token: str, trigger: str) -> datetime:
        now = self._clock()
        creating = "runs" not in snapshot.tabs
        claim = claim_record(token, trigger, now, self._lease)
        requests = self._layout(snapshot).appends({"Runs": [claim]})
        try:
            with self.http.unsure(lambda: self._has_row(token, "claimed")):
                self.http.batch_update(self.spreadsheet_id, {"requests": requests})
        except SheetUnsureError as error:  # a claim row at most, which lapses: nothing changed
            raise SheetUnavailableError(self.location, error.attempts, error.last) from error
        except SheetError as error:
            if creating and "already exists" in str(error):
                raise SheetBusyError(self.location, "a run that created the Runs tab") from error
            raise
        return now.astimezone(UTC) + self._lease

    def _verify(
        self, snapshot: Snapshot, token: str, guards: list[Guard], mark: bool = True
    ) -> int:
        """The claim's sheet row, or SheetBusyError (after marking the claim skipped).

        The same request re-reads the key column of each tab whose rows the
        write addresses by number (Members cells, Activity rows rolled up): if
        a manager inserted or removed rows since the read, the run gives way.
        """
        ranges = [f"{quoted(guard.title)}!{guard.cells}" for guard in guards]
        rows, *columns = self._runs_rows(ranges)
        mine, rival = judge_claim(rows, token, snapshot.changed_runs, self._clock())
        for guard, column in zip(guards, columns, strict=True):
            if not rival and key_column(column) != guard.before:
                rival = f"a change to rows of {guard.title} made while this run was deciding"
        if not mine:
            raise SheetBusyError(self.location, "a run that removed this run's claim from Runs")
        if rival:
            error = SheetBusyError(self.location, rival)
            if mark:
                self._mark_claim(snapshot, mine, "skipped", str(error))
            raise error
        return mine

    def _runs_rows(self, more: list[str] | None = None) -> list[list[list[CellValue]]]:
        """`Runs` (and the ranges `more`) as they are now, in one batchGet."""
        info = self._snapshot.tabs.get("runs") if self._snapshot else None
        title = info.title if info else sheet.RUNS.name
        ranges = [quoted(title), *(more or [])]
        answer = self.http.values_batch_get(self.spreadsheet_id, ranges, dict(READ_PARAMS))
        return [cells_from_api(found.get("values", [])) for found in answer["valueRanges"]]

    def _has_row(self, token: str, status: str) -> bool:
        """Whether Runs shows `token` with `status`: tells if an unanswered write was applied."""
        found = runs_rows(self._runs_rows()[0])
        return any(r == token and s == status for _, (r, s, _f) in found)

    def _mark_claim(
        self, snapshot: Snapshot, row: int, status: str, why: str, stage: Stage | None = None
    ) -> None:
        """Best effort: the claim row records how the run ended; the sheet's state is untouched.

        Then the run's staging tab is deleted; if it stays, the next run that
        writes removes it.
        """
        info = snapshot.tabs.get("runs")
        if info is None:
            return
        added: list[dict[str, Any]] = []
        now = self._clock().astimezone(UTC).strftime(_TIME)
        # The summary too: the claim's "other runs wait until ..." is no longer true.
        cells = {"status": status, "finished_at": now, "summary": ENDED[status], "error": why}
        requests = [
            set_cells(info.sheet_id, row - 1, info.column(name, added), [[value]])
            for name, value in cells.items()
        ]
        requests[:0] = added
        with suppress(SheetError), self.http.unsure(lambda: False, repeatable=True):
            self.http.batch_update(self.spreadsheet_id, {"requests": requests})
        if stage is not None:  # on its own: the tab may never have been added
            body = {"requests": dropped([stage.sheet_id])}
            with suppress(SheetError), self.http.unsure(lambda: False, repeatable=True):
                self.http.batch_update(self.spreadsheet_id, body)

    def _layout(self, snapshot: Snapshot) -> Layout:
        return Layout(snapshot, self.spreadsheet_id, self.location)
