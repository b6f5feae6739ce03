"""The one place Google requests go through: bounded backoff with jitter, errors, credentials."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from google.oauth2.credentials import Credentials
from sheets_fake import Fault, SheetsFake
from sheets_support import FAST, SHEET_ID, load_workbook, open_sheet, write_service_account_key

from grouptier.backends.sheets_claims import judge_claim
from grouptier.backends.sheets_http import (
    RetryPolicy,
    SheetsHTTPClient,
    load_credentials,
)
from grouptier.cells import CellValue
from grouptier.errors import (
    SheetAccessError,
    SheetError,
    SheetLimitError,
    SheetUnavailableError,
    SheetUnsureError,
)


def test_backoff_doubles_with_jitter_and_stays_under_the_cap() -> None:
    policy = RetryPolicy(first_delay=1.0, max_delay=32.0)
    rng = random.Random(4)
    waits = [policy.delay(attempt, rng, None) for attempt in range(1, 9)]
    for attempt, wait in enumerate(waits, start=1):
        ceiling = min(32.0, 2 ** (attempt - 1))
        assert ceiling / 2 <= wait <= ceiling
    assert policy.delay(1, rng, retry_after=20.0) == 20.0  # the server's Retry-After wins
    assert policy.delay(1, rng, retry_after=500.0) == 32.0  # but never past the cap


def test_retries_stop_at_the_deadline(fake: SheetsFake) -> None:
    fake.create(SHEET_ID)
    fake.inject(Fault(status=503, times=100))
    slept: list[float] = []
    policy = RetryPolicy(attempts=50, first_delay=10.0, max_delay=10.0, deadline=25.0)
    client = SheetsHTTPClient(
        Credentials(token="t"),  # type: ignore[no-untyped-call]
        "the sheet",
        endpoint=fake.url,
        policy=policy,
        sleep=slept.append,
    )
    with pytest.raises(SheetUnavailableError, match="HTTP 503"):
        client.fetch_sheet_metadata(SHEET_ID)
    assert sum(slept) <= 25.0 and len(slept) < 5


def test_a_write_with_an_unknown_outcome_and_no_check_is_not_repeated(fake: SheetsFake) -> None:
    fake.create(SHEET_ID)
    fake.inject(Fault(status=500, times=5))
    client = SheetsHTTPClient(
        Credentials(token="t"),  # type: ignore[no-untyped-call]
        "the sheet",
        endpoint=fake.url,
        policy=RetryPolicy(first_delay=0.001),
    )
    with pytest.raises(SheetUnavailableError):
        client.batch_update(SHEET_ID, {"requests": []})
    assert fake.count() == 1


@pytest.mark.parametrize(
    ("fault", "repeatable", "sent", "error"),
    [
        # An answer, even an error, ends the request: a check that finds it unapplied is final.
        (Fault(status=503), False, 2, None),
        # No answer, or a gateway that gave up: Google may still apply it, so it is never
        # sent again (it was not applied here: the run stops, unsure) ...
        (Fault(drop=True), False, 1, SheetUnsureError),
        (Fault(status=504), False, 1, SheetUnsureError),
        (Fault(delay=0.6), False, 1, SheetUnsureError),
        # ... unless it sets fixed cells, where landing twice changes nothing.
        (Fault(delay=0.6), True, 2, None),
    ],
    ids=["503", "dropped", "504", "timed-out", "timed-out-repeatable"],
)
def test_a_write_whose_check_finds_it_unapplied_is_resent_only_if_it_cannot_land_later(
    fake: SheetsFake, fault: Fault, repeatable: bool, sent: int, error: type[Exception] | None
) -> None:
    fake.create(SHEET_ID)
    fake.inject(fault)
    client = SheetsHTTPClient(
        Credentials(token="t"),  # type: ignore[no-untyped-call]
        "the sheet",
        endpoint=fake.url,
        policy=RetryPolicy(first_delay=0.001, timeout=(5, 0.2)),
    )
    checks: list[int] = []

    def applied() -> bool:
        checks.append(len(fake.books[SHEET_ID].tabs))
        return False

    body = {"requests": [{"updateCells": {"start": {"sheetId": 0}, "rows": [{"values": [
        {"userEnteredValue": {"stringValue": "x"}}]}], "fields": "userEnteredValue"}}]}  # fmt: skip
    with client.unsure(applied, repeatable=repeatable):
        if error is None:
            client.batch_update(SHEET_ID, body)
        else:
            with pytest.raises(error, match="did not confirm whether"):
                client.batch_update(SHEET_ID, body)
    fake.settle()
    assert checks == [1]
    assert fake.count() == sent


def test_a_connection_never_made_is_retried_without_a_check(fake: SheetsFake) -> None:
    """Refused: nothing was sent, so the write is simply tried again (no check needed)."""
    client = SheetsHTTPClient(
        Credentials(token="t"),  # type: ignore[no-untyped-call]
        "the sheet",
        endpoint="http://127.0.0.1:9",  # the discard port: nothing listens
        policy=RetryPolicy(first_delay=0.001, attempts=2, timeout=(0.5, 0.5)),
    )
    with pytest.raises(SheetUnavailableError, match="no connection"):
        client.batch_update(SHEET_ID, {"requests": []})


def test_a_refused_request_names_googles_reason(fake: SheetsFake) -> None:
    fake.create(SHEET_ID)
    client = SheetsHTTPClient(Credentials(token="t"), "the sheet", endpoint=fake.url)  # type: ignore[no-untyped-call]
    with pytest.raises(SheetError, match='Unknown name "frobnicate"'):
        client.batch_update(SHEET_ID, {"requests": [{"frobnicate": {}}]})


def test_no_credentials_says_how_to_get_some(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "nothing.json"
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(missing))
    with pytest.raises(SheetError, match="GOOGLE_APPLICATION_CREDENTIALS"):
        load_credentials()
    with pytest.raises(SheetError, match="application-default login"):
        load_credentials(str(missing))


def test_a_sheet_near_the_cell_limit_is_refused_before_writing(fake: SheetsFake) -> None:
    from conftest import SheetBuilder
    from test_gsheets import build_ladder, cycle

    load_workbook(fake, build_ladder(SheetBuilder()).workbook())
    book = fake.books[SHEET_ID]
    book.tab("Leaderboard").row_count = 1  # the new Leaderboard must grow the grid
    settings = book.tabs[0]
    room = 9_999_950 - book.cells() + settings.row_count * settings.column_count
    settings.row_count = room // settings.column_count  # about 50 cells short of the limit
    before = fake.values(SHEET_ID, "Members")
    with pytest.raises(SheetLimitError, match="10,000,000"):
        cycle(open_sheet(fake))
    assert fake.values(SHEET_ID, "Members") == before
    assert fake.values(SHEET_ID, "Runs")[-1][5] == "failed"


NOW = datetime(2026, 10, 16, 6, 0, tzinfo=UTC)
HEADER = ["run_id", "cycle", "started_at", "finished_at", "trigger", "status"]


def _row(run_id: str, status: str, finished: str = "") -> list[CellValue]:
    return [run_id, "", "", finished, "", status]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([_row("me", "claimed", "2026-10-16T06:10:00Z")], (2, "")),
        ([_row("a", "claimed", "2026-10-16T06:05:00Z"), _row("me", "claimed")], (3, "run a")),
        ([_row("a", "claimed", "2026-10-16T05:59:00Z"), _row("me", "claimed")], (3, "")),
        ([_row("a", "claimed", "edited by hand"), _row("me", "claimed")], (3, "")),
        ([_row("me", "claimed"), _row("b", "claimed", "2026-10-16T06:05:00Z")], (2, "")),
        ([_row("old", "done"), _row("me", "claimed")], (3, "")),
        ([_row("me", "claimed"), _row("new", "done")], (2, "run new")),
        ([_row("me", "claimed"), _row("import", "written")], (2, "run import")),
        ([_row("x", "skipped"), _row("y", "invalid"), _row("me", "claimed")], (4, "")),
        ([_row("a", "claimed", "2026-10-16T06:05:00Z")], (0, "run a")),
    ],
    ids=[
        "alone",
        "an earlier live claim wins",
        "an expired claim is ignored",
        "an unreadable lease is expired",
        "a later claim gives way to us",
        "runs seen at read time are fine",
        "a run that changed the sheet since the read wins",
        "so does an import",
        "skipped and invalid runs changed nothing",
        "our claim is gone",
    ],
)
def test_judging_a_claim(rows: list[list[CellValue]], expected: tuple[int, str]) -> None:
    mine, rival = judge_claim([HEADER, *rows], "me", {"old"}, NOW)
    assert (mine, rival.split(",")[0]) == expected


@pytest.fixture
def no_token_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """google-auth's own retries of the token endpoint sleep whole seconds: not in tests."""
    from google.auth import _exponential_backoff

    monkeypatch.setattr(_exponential_backoff.time, "sleep", lambda _: None)


def key_client(fake: SheetsFake, tmp_path: Path, token_fault: Fault) -> SheetsHTTPClient:
    """A client whose service-account key gets its tokens from the fake, with `token_fault`."""
    fake.create(SHEET_ID)
    key = write_service_account_key(tmp_path / "key.json", fake, "runner@test.iam")
    fake.inject(token_fault)
    return SheetsHTTPClient(load_credentials(str(key)), "the sheet", endpoint=fake.url, policy=FAST)


@pytest.mark.usefixtures("no_token_backoff")
def test_a_token_service_outage_is_retried_like_any_outage(
    fake: SheetsFake, tmp_path: Path
) -> None:
    outage = Fault(status=503, when="POST /token", times=4)  # past google-auth's own 3 tries
    client = key_client(fake, tmp_path, outage)
    assert client.fetch_sheet_metadata(SHEET_ID)["spreadsheetId"] == SHEET_ID


@pytest.mark.usefixtures("no_token_backoff")
def test_a_token_service_that_stays_down_is_unavailable_not_bad_credentials(
    fake: SheetsFake, tmp_path: Path
) -> None:
    client = key_client(fake, tmp_path, Fault(status=503, when="POST /token", times=10_000))
    with pytest.raises(SheetUnavailableError, match="the token service did not answer"):
        client.fetch_sheet_metadata(SHEET_ID)


def test_credentials_the_token_service_rejects_are_bad_credentials(
    fake: SheetsFake, tmp_path: Path
) -> None:
    client = key_client(fake, tmp_path, Fault(status=400, when="POST /token", times=10_000))
    with pytest.raises(SheetAccessError) as refused:
        client.fetch_sheet_metadata(SHEET_ID)
    assert refused.value.status == 401
