"""Staged writes on the Sheets fake: no request over the limit, the sheet as before or as after.

A small `request_limit` makes the ladder's cycle stage its rows, so each
path of a huge community's write runs here in milliseconds; one slow test
(in test_gsheets) runs 10,000 members at Google's real 2 MB.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from conftest import SheetBuilder
from sheets_fake import Fault, SheetsFake
from sheets_support import SHEET_ID, load_workbook, open_sheet
from test_gsheets import STATE_TABS, clean_result, comparable, cycle, snapshot

from grouptier.backends.sheets_claims import LEASE
from grouptier.backends.sheets_staging import is_staging
from grouptier.errors import SheetError

LIMIT = 2_500  # bytes: the ladder's rows need several staging requests


@pytest.fixture
def ladder(sheet: SheetBuilder) -> SheetBuilder:
    from test_gsheets import build_ladder

    return build_ladder(sheet)


def titles(fake: SheetsFake) -> list[str]:
    return [tab.title for tab in fake.books[SHEET_ID].tabs]


def date_cells(fake: SheetsFake) -> dict[str, set[tuple[int, int]]]:
    return {name: fake.books[SHEET_ID].tab(name).date_cells for name in STATE_TABS}


def bodies(fake: SheetsFake) -> list[int]:
    return [e.sent for e in fake.log if e.kind == "batchUpdate"]


def test_a_staged_cycle_writes_what_a_single_batch_writes(
    fake: SheetsFake, ladder: SheetBuilder
) -> None:
    load_workbook(fake, ladder.workbook())
    report = cycle(open_sheet(fake, request_limit=LIMIT))
    assert report.status == "done"
    kinds = [e.kind for e in fake.log]
    assert kinds.count("batchUpdate") > 3, kinds  # claim, several staging requests, commit
    assert comparable(snapshot(fake)) == comparable(clean_result(fake, ladder))
    assert not any(is_staging(title) for title in titles(fake))

    other = SheetsFake().start()
    try:
        load_workbook(other, ladder.workbook())
        cycle(open_sheet(other))  # in one batch
        assert date_cells(fake) == {
            name: other.books[SHEET_ID].tab(name).date_cells for name in STATE_TABS
        }  # dates stay dates through the copy, text stays text
    finally:
        other.stop()


def test_staging_requests_stay_under_the_limit(fake: SheetsFake, ladder: SheetBuilder) -> None:
    load_workbook(fake, ladder.workbook())
    cycle(open_sheet(fake, request_limit=LIMIT))
    _claim, *staging, commit = bodies(fake)
    assert staging and max(staging) < LIMIT  # request line and path included
    assert commit < 3 * LIMIT  # cells moved and the claim row, not the rows


def test_a_refused_commit_leaves_the_sheet_as_before_and_removes_the_staging_tab(
    fake: SheetsFake, ladder: SheetBuilder
) -> None:
    load_workbook(fake, ladder.workbook())
    before = snapshot(fake)
    staged = _staging_requests(fake, ladder)
    fake.inject(Fault(status=400, at=4 + staged + 1))  # the commit, after staging and verify
    with pytest.raises(SheetError, match="refused"):
        cycle(open_sheet(fake, request_limit=LIMIT))
    after = snapshot(fake)
    assert {k: v for k, v in after.items() if k != "Runs"} == {
        k: v for k, v in before.items() if k != "Runs"
    }
    assert [row[5] for row in after["Runs"][1:]] == ["failed"]
    assert not any(is_staging(title) for title in titles(fake))


def _staging_requests(fake: SheetsFake, ladder: SheetBuilder) -> int:
    """How many staging requests the ladder's cycle makes at LIMIT (on a throwaway sheet)."""
    other = SheetsFake().start()
    try:
        load_workbook(other, ladder.workbook())
        cycle(open_sheet(other, request_limit=LIMIT))
        return len(bodies(other)) - 2
    finally:
        other.stop()


def test_the_staging_tab_of_a_run_that_died_is_removed_by_the_next_run(
    fake: SheetsFake, ladder: SheetBuilder
) -> None:
    load_workbook(fake, ladder.workbook())
    staged = _staging_requests(fake, ladder)
    # The run dies after staging: its verify request never answers, nor any later one.
    fake.inject(Fault(status=400, at=4 + staged, times=1))
    fake.inject(*(Fault(status=400, at=5 + staged + n) for n in range(5)))
    with pytest.raises(SheetError):
        cycle(open_sheet(fake, request_limit=LIMIT))
    assert any(is_staging(title) for title in titles(fake))  # the mark failed too: it stayed
    assert not any(row[5] == "done" for row in fake.values(SHEET_ID, "Runs")[1:])
    fake.faults.clear()

    later = datetime.now(UTC) + LEASE + timedelta(minutes=1)  # its claim has lapsed
    report = cycle(open_sheet(fake, request_limit=LIMIT, clock=lambda: later))

    assert report.status == "done"
    assert not any(is_staging(title) for title in titles(fake))
    assert comparable(snapshot(fake))["Moves"] == comparable(clean_result(fake, ladder))["Moves"]
    done = [row for row in fake.values(SHEET_ID, "Runs")[1:] if row[5] == "done"]
    assert len(done) == 1


def test_a_staging_request_whose_answer_is_lost_is_not_sent_twice(
    fake: SheetsFake, ladder: SheetBuilder
) -> None:
    load_workbook(fake, ladder.workbook())
    fake.inject(Fault(status=503, at=4, after_apply=True))  # the first staging request
    report = cycle(open_sheet(fake, request_limit=LIMIT, sleep=lambda _: None))
    assert report.status == "done"
    assert comparable(snapshot(fake)) == comparable(clean_result(fake, ladder))
    assert not any(is_staging(title) for title in titles(fake))


def test_rows_typed_under_the_last_row_during_staging_are_kept_below_the_new_ones(
    fake: SheetsFake, ladder: SheetBuilder
) -> None:
    load_workbook(fake, ladder.workbook())
    backend = open_sheet(fake, request_limit=LIMIT)
    sent = backend.http.batch_update
    typed: list[Any] = []

    def typing_manager(spreadsheet_id: str, body: dict[str, Any]) -> Any:
        if not typed and any("addSheet" in r for r in body["requests"]):
            moves = fake.books[SHEET_ID].tab("Moves")
            typed.append(["a note typed by hand"])
            moves.put(moves.last_data_row(), 0, "a note typed by hand")
        return sent(spreadsheet_id, body)

    backend.http.batch_update = typing_manager  # type: ignore[method-assign]
    cycle(backend)
    moves = fake.values(SHEET_ID, "Moves")
    assert moves[-1][0] == "a note typed by hand"
    assert comparable({"Moves": moves[:-1]}) == {
        "Moves": comparable(clean_result(fake, ladder))["Moves"]
    }
