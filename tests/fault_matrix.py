"""The fault matrix's harness: a due run on the Sheets API fake, faulted, judged, run again.

A `Harness` runs one community's due cycle through `grouptier.service.run_sheet`
(the Cloud Function's call, which turns every error into an `Outcome`) or the
`grouptier run` command, on fresh copies of the community in one `SheetsFake`,
with the clock pinned and retries that do not wait:

1. clean runs record the requests of a due cycle (checked against the
   `Variant`'s names) and the sheet they leave: at `AT` (the faulted run's time)
   and at `LATER` (the rerun's, after the faulted run's lease has ended);
2. `Harness.case` faults one or more of those requests (`Hit`), pinned by their
   position in the clean run: the client labels the n-th request it makes `n`
   in `PIN_HEADER` (its retries repeat the label; the checks it makes after a
   lost answer are labelled `check`), and `Fault.pin` matches the label. Then
   it runs again cleanly; `check_invariant` judges both runs.

Sheets are compared whole, every tab and cell, after replacing the runs' ids
(random) by one placeholder; timestamps need no normalising, the clock is
pinned. What a failed run leaves that changes no state is allowed and counted:
its `Runs` row (`claimed`, `failed`, `skipped`) and its hidden staging tab.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from click.testing import CliRunner, Result
from google.oauth2.credentials import Credentials
from sheets_fake import PIN_HEADER, Fault, SheetsFake
from sheets_support import load_workbook

from grouptier import cli, cycle
from grouptier.backends import gsheets
from grouptier.backends.sheets_claims import LEASE
from grouptier.backends.sheets_http import RetryPolicy, SheetsHTTPClient
from grouptier.cli import main
from grouptier.service import Outcome, run_sheet
from grouptier.sheet import RawWorkbook

AT = datetime(2026, 10, 16, 6, 0, tzinfo=UTC)  # the demo's own today, 07:00 in London
LATER = AT + LEASE + timedelta(minutes=5)  # a crashed run's claim no longer counts
READ_TIMEOUT = 0.2  # seconds the client waits for a request a case times out
PATIENCE = 60.0  # and for any other, so that a loaded machine never times one out by chance
LATE = 1.0  # a timed-out write is applied this long after its client gave up, as Google may do
POLICY = RetryPolicy(attempts=3, first_delay=0.0, max_delay=0.0, deadline=120.0)
ALWAYS = 1_000  # a fault that hits every attempt of its request
CHECK = "check"  # the label of a request made to check whether a lost write was applied
LEFTOVER = frozenset({"claimed", "failed", "skipped"})  # Runs rows that changed nothing
PLACEHOLDER = "<run>"

Sheet = dict[str, list[list[Any]]]


READS = frozenset({"metadata", "values:batchGet"})
# Writes that set fixed cells, which the backend resends after a lost answer without a check.
REPEATABLE = frozenset({"stage-more"})
REQUESTS = {  # what each request of a due run is for, and its kind
    "metadata": "metadata",
    "read": "values:batchGet",
    "claim": "batchUpdate",
    "verify": "values:batchGet",
    "state": "batchUpdate",
    "stage": "batchUpdate",
    "stage-more": "batchUpdate",
    "reverify": "values:batchGet",
    "commit": "batchUpdate",
}


@dataclass(frozen=True)
class Variant:
    """Backend options, and the requests a clean due run makes with them, in order."""

    options: dict[str, Any]
    names: tuple[str, ...]
    pairs: bool = True  # whether the pair matrix runs on this variant too
    shared: int = 0  # its first requests are those of `whole`, faulted there
    community: str = "demo"  # a name in `test_exactly_once.COMMUNITIES`

    @property
    def faulted(self) -> range:
        """The positions its own cases fault."""
        return range(self.shared + 1, len(self.names) + 1)

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(REQUESTS[name] for name in self.names)

    @property
    def positions(self) -> range:
        return range(1, len(self.names) + 1)

    def writes(self, position: int) -> bool:
        return REQUESTS[self.names[position - 1]] not in READS

    def checks(self, position: int) -> bool:
        """Whether the client checks this write after a lost answer (else it just resends)."""
        return self.writes(position) and self.names[position - 1] not in REPEATABLE


# What each kind of fault does to the request it hits. A 429 is never applied; a 503 may be;
# a dropped connection may be closed before or after the change; a timed-out request is
# applied `LATE`, after the client gave up on it, as Google may do.
KINDS: dict[str, Callable[[], Fault]] = {
    "429": lambda: Fault(status=429),
    "503": lambda: Fault(status=503),
    "503-applied": lambda: Fault(status=503, after_apply=True),
    "timeout": lambda: Fault(delay=READ_TIMEOUT + LATE),
    "drop": lambda: Fault(drop=True),
    "drop-applied": lambda: Fault(drop=True, after_apply=True),
}


@dataclass(frozen=True)
class Hit:
    """A fault on the request at `position` (1-based) of the clean run, `times` attempts of it.

    Position 0: the checks the client makes after an unanswered write.
    """

    position: int
    kind: str
    times: int = 1

    @property
    def pin(self) -> str:
        """The label of the request it hits."""
        return str(self.position) if self.position else CHECK

    def fault(self, book: str, variant: Variant) -> Fault:
        made = KINDS[self.kind]()
        made.pin = self.pin
        made.when, made.times = f"/{book}", self.times
        if made.delay and not (self.position and variant.writes(self.position)):
            made.delay = READ_TIMEOUT + 0.05  # a read's late answer changes nothing: be quick
        return made


@dataclass
class Clean:
    """A clean run's sheet, with its run id replaced by the placeholder."""

    sheet: Sheet
    requests: list[str]


@dataclass
class Case:
    """What a faulted run and the clean rerun reported and left."""

    before: Sheet
    first: Outcome
    after_first: Sheet
    second: Outcome
    after_second: Sheet
    fired: list[int] = field(default_factory=list)  # attempts each fault hit


class Harness:
    """One fake for many cases, each on a fresh copy of the community under a new book id."""

    def __init__(self, fake: SheetsFake, community: RawWorkbook, variant: Variant) -> None:
        self.fake = fake
        self.community = community
        self.variant = variant
        self._books = itertools.count()
        self.before = self.sheet(self.book())
        header, rows = runs_table(self.before)
        self.known = {row[column(header, "run_id")] for row in rows}  # the runs before
        self.at = self.clean(AT)
        self.later = self.clean(LATER)

    def book(self) -> str:
        book = f"ExactlyOnceBook{next(self._books):06d}_abcdefgh"
        load_workbook(self.fake, self.community, book)
        return book

    def clean(self, at: datetime) -> Clean:
        book = self.book()
        start = len(self.fake.log)
        outcome = self.run(book, at)
        assert outcome.status == "done", outcome
        exchanges = [e for e in self.fake.log[start:] if f"/{book}" in e.path]
        assert all(e.status == 200 for e in exchanges)
        return Clean(self.sheet(book, outcome.run_id), [e.kind for e in exchanges])

    def run(self, book: str, at: datetime, hits: tuple[Hit, ...] = ()) -> Outcome:
        """`run_sheet` on `book` at `at` (the Cloud Function's call)."""
        with self._pinned(at, hits):
            return run_sheet(book)

    def run_command(self, book: str, at: datetime, hits: tuple[Hit, ...] = ()) -> Result:
        """`grouptier run SHEET_ID --date ...` on `book` at `at` (what a manager types)."""
        with self._pinned(at, hits):
            return CliRunner().invoke(main, ["run", book, "--date", f"{at:%Y-%m-%d}"])

    @contextmanager
    def _pinned(self, at: datetime, hits: tuple[Hit, ...]) -> Iterator[None]:
        """Backends opened on the fake (a test token, no waiting), the clock at `at`.

        The requests `hits` time out are waited for `READ_TIMEOUT`, the others long.
        """
        backend = gsheets.GoogleSheetsBackend
        options = {
            "credentials": Credentials(token="test"),  # type: ignore[no-untyped-call]
            "endpoint": self.fake.url,
            "policy": POLICY,
            "sleep": lambda _seconds: None,
            "clock": lambda: at,
            **self.variant.options,
        }

        def opened(target: str, **given: Any) -> gsheets.GoogleSheetsBackend:
            return backend(target, **{**given, **options})

        run = functools.partial(cycle.run, clock=lambda: at)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(gsheets, "GoogleSheetsBackend", opened)
            patch.setattr(cycle, "run", run)
            patch.setattr(cli, "run", run)
            short = {hit.pin for hit in hits if hit.kind == "timeout"}
            labelled = _labelled(SheetsHTTPClient.request, short)
            patch.setattr(SheetsHTTPClient, "request", labelled)
            yield

    def case(self, *hits: Hit) -> Case:
        book = self.book()
        faults = [hit.fault(book, self.variant) for hit in hits]
        self.fake.faults[:] = faults
        first = self.run(book, AT, hits)
        self.fake.settle()  # a timed-out write lands after its run gave up
        self.fake.faults.clear()
        after_first = self.sheet(book, first.run_id)
        second = self.run(book, LATER)
        after_second = self.sheet(book, first.run_id, second.run_id)
        return Case(self.before, first, after_first, second, after_second, [f.hits for f in faults])

    def command_case(self, *hits: Hit) -> tuple[Result, Sheet]:
        """The command's result with `hits`, and the sheet it left (its run id replaced)."""
        book = self.book()
        self.fake.faults[:] = [hit.fault(book, self.variant) for hit in hits]
        result = self.run_command(book, AT, hits)
        self.fake.settle()
        self.fake.faults.clear()
        header, rows = runs_table(self.sheet(book))
        ids = {row[column(header, "run_id")] for row in rows} - self.known
        return result, self.sheet(book, *ids)

    def sheet(self, book: str, *ids: str) -> Sheet:
        """Every tab's cells (as stored: dates as serial numbers), `ids` replaced."""
        return {
            _replaced(tab.title, ids): _without(_trimmed(tab.rows), ids)
            for tab in self.fake.books[book].tabs
        }


def _trimmed(rows: list[list[Any]]) -> list[list[Any]]:
    """A copy of `rows` without trailing empty cells and rows (as the API reads them)."""
    copy = [list(row) for row in rows]
    for row in copy:
        while row and row[-1] is None:
            row.pop()
    while copy and not copy[-1]:
        copy.pop()
    return copy


def _without(rows: list[list[Any]], ids: tuple[str, ...]) -> list[list[Any]]:
    """`rows` with each of `ids` replaced by the placeholder (cells, and texts that quote one)."""
    text = json.dumps(rows, default=str)
    if not any(run_id in text for run_id in ids):
        return rows
    return [[_replaced(value, ids) for value in row] for row in rows]


def _replaced(value: Any, ids: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        for run_id in ids:
            value = value.replace(run_id, PLACEHOLDER)
    return value


def _labelled(request: Callable[..., Any], short: set[str]) -> Callable[..., Any]:
    """`SheetsHTTPClient.request` naming its requests in `PIN_HEADER`: 1, 2, ... and `check`.

    Retries happen inside one call, so they repeat its label; a check that an
    unanswered write was applied is a call inside a call. The requests named in
    `short` get the short read timeout, the others a long one.
    """
    counts: dict[int, int] = {}
    depth: dict[int, int] = {}

    def labelled(self: SheetsHTTPClient, *args: Any, **kwargs: Any) -> Any:
        key = id(self)
        outer_label, outer_timeout = self.session.headers.get(PIN_HEADER), self.timeout
        if depth.get(key, 0):
            label = CHECK
        else:
            counts[key] = counts.get(key, 0) + 1
            label = str(counts[key])
        depth[key] = depth.get(key, 0) + 1
        self.session.headers[PIN_HEADER] = label
        self.timeout = (5.0, READ_TIMEOUT if label in short else PATIENCE)
        try:
            return request(self, *args, **kwargs)
        finally:
            depth[key] -= 1
            self.timeout = outer_timeout
            if outer_label is None:
                del self.session.headers[PIN_HEADER]
            else:
                self.session.headers[PIN_HEADER] = outer_label

    return labelled


# --- judging a case ---------------------------------------------------------------------


def runs_table(sheet: Sheet) -> tuple[list[Any], list[list[Any]]]:
    header, *rows = sheet["Runs"]
    return header, rows


def column(header: list[Any], name: str) -> int:
    return header.index(name)


def without_leftovers(sheet: Sheet, tabs: bool = True) -> tuple[Sheet, int]:
    """`sheet` without what the placeholder run left that changed nothing; how much it was.

    That is its `Runs` rows that end `claimed`, `failed` or `skipped` and, with
    `tabs`, a tab named after it (the hidden staging tab of a run that stopped,
    which the next run that writes removes).
    """
    header, rows = runs_table(sheet)
    run_id, status = column(header, "run_id"), column(header, "status")

    def leftover(row: list[Any]) -> bool:
        return len(row) > status and row[run_id] == PLACEHOLDER and str(row[status]) in LEFTOVER

    kept = [row for row in rows if not leftover(row)]
    scratch = [title for title in sheet if tabs and PLACEHOLDER in title]
    cleaned = {title: cells for title, cells in sheet.items() if title not in scratch}
    return {**cleaned, "Runs": [header, *kept]}, len(rows) - len(kept) + len(scratch)


def done_rows_per_cycle(sheet: Sheet) -> dict[Any, int]:
    header, rows = runs_table(sheet)
    status, number = column(header, "status"), column(header, "cycle")
    counts: dict[Any, int] = {}
    for row in rows:
        if len(row) > status and row[status] == "done":
            counts[row[number]] = counts.get(row[number], 0) + 1
    return counts


def state_of(sheet: Sheet, before: Sheet, after: Sheet) -> str:
    """'before', 'after' or 'torn': which clean state `sheet` is, leftover Runs rows aside."""
    kept, _ = without_leftovers(sheet)
    if kept == after:
        return "after"
    if kept == before:
        return "before"
    return "torn"


def unsure(outcome: Outcome) -> bool:
    return outcome.error == "SheetUnsureError"


def check_invariant(harness: Harness, case: Case) -> None:
    """The issue's invariant for one case (an AssertionError naming what broke)."""
    first = case.first
    state = state_of(case.after_first, case.before, harness.at.sheet)
    _, leftovers = without_leftovers(case.after_first)
    assert state != "torn", f"the faulted run left a sheet neither before nor after: {first}"
    if first.status == "done":
        assert state == "after", f"reported done, but the sheet is as before: {first}"
        assert not leftovers, f"reported done, but left {leftovers} claim rows or tabs"
    else:
        # Google failing for a while is worth a retry, never the deployer's problem.
        assert first.status == "unavailable" and first.retryable, first
        assert not first.written, first
        if unsure(first):
            assert "did not confirm whether" in first.detail, first
        else:
            assert state == "before", f"reported {first.error}, nothing changed, but it applied"
            assert "nothing was changed" in first.detail, first
    # The clean rerun finishes the job, or finds it done; the sheet is then a clean run's.
    expected = harness.at if state == "after" else harness.later
    second = case.second
    assert second.status == ("nothing_due" if state == "after" else "done"), second
    assert set(done_rows_per_cycle(expected.sheet).values()) == {1}
    assert done_rows_per_cycle(case.after_second) == done_rows_per_cycle(expected.sheet)
    kept, _ = without_leftovers(case.after_second, tabs=False)
    for title in expected.sheet.keys() | kept.keys():
        assert kept.get(title) == expected.sheet.get(title), f"{title} differs from a clean run's"
