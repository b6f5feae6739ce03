"""The Google Sheets backend through the real gspread client, over HTTP, against the local fake."""

from __future__ import annotations

import functools
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

import pytest
from conftest import TODAY, SheetBuilder
from sheets_fake import Fault, SheetsFake
from sheets_support import SHEET_ID, load_workbook, open_sheet

from grouptier.backends import gsheets, sheets_layout
from grouptier.backends.base import ChangeSet
from grouptier.backends.gsheets import GoogleSheetsBackend, sheet_id_of
from grouptier.backends.sheets_requests import TabInfo, removal_requests
from grouptier.community import load_community
from grouptier.cycle import RunOptions, RunReport, run
from grouptier.errors import (
    InvalidSheetError,
    SheetAccessError,
    SheetBusyError,
    SheetError,
    SheetLimitError,
    SheetUnavailableError,
    SheetUnsureError,
)

FIXED = datetime(2026, 10, 16, 6, 0, tzinfo=UTC)
REQUESTS_OF_A_CYCLE = ["metadata", "read", "claim", "verify", "state"]
STATE_TABS = ("Members", "Moves", "Runs", "Activity", "History", "Leaderboard")


def clock() -> datetime:
    return FIXED


@pytest.fixture
def ladder(sheet: SheetBuilder) -> SheetBuilder:
    """A small community where cycle 3 moves someone in every direction."""
    return build_ladder(sheet)


def build_ladder(sheet: SheetBuilder) -> SheetBuilder:
    """Members who move up, down and back, with names that look like formulas."""
    sheet.active_member("Core", score_days=3)
    sheet.member("Core")
    top = sheet.member("General", name='=HYPERLINK("http://x")')
    sheet.post(top, messages=30, content=6, invites=5)
    sheet.active_member("General", score_days=2, name="+44 7911 123456")
    for name in ("@ada", "-minus", "Plain"):
        sheet.member("General", name=name)
    sheet.active_member("Retention", score_days=1)
    return sheet


def cycle(backend: GoogleSheetsBackend, days: int = 0) -> RunReport:
    return run(backend, RunOptions(today=TODAY + timedelta(days=days)), clock=clock)


def snapshot(fake: SheetsFake) -> dict[str, list[list[Any]]]:
    return {name: fake.values(SHEET_ID, name) for name in STATE_TABS}


def test_sheet_ids_come_from_urls_or_bare_ids() -> None:
    assert (
        sheet_id_of("https://docs.google.com/spreadsheets/d/abc_DEF-123/edit#gid=0")
        == "abc_DEF-123"
    )
    assert sheet_id_of(SHEET_ID) == SHEET_ID
    assert sheet_id_of("community.xlsx") is None


def test_read_gives_cells_as_the_sheet_holds_them(fake: SheetsFake, ladder: SheetBuilder) -> None:
    load_workbook(fake, ladder.workbook())
    workbook = open_sheet(fake).read()
    members = workbook.find("Members")
    assert members is not None
    assert members.rows[1][:3] == ["+447000000001", "Member 1", "Core"]
    assert members.rows[1][4] == 45658  # 2025-01-01 as a serial number, as the API sends it
    assert workbook.find("Moves") is not None and len(workbook.find("Moves").rows) == 1  # type: ignore[union-attr]
    community = load_community(workbook)
    assert len(community.members) == 8
    assert [e.kind for e in fake.log] == ["metadata", "values:batchGet"]


def test_moves_and_the_leaderboard_are_read_in_full_in_the_same_request(
    fake: SheetsFake, ladder: SheetBuilder
) -> None:
    load_workbook(fake, ladder.workbook())
    report = cycle(open_sheet(fake))
    start = len(fake.log)
    workbook = open_sheet(fake).read()
    assert [e.kind for e in fake.log[start:]] == ["metadata", "values:batchGet"]
    ranges = parse_qs(fake.log[start + 1].query)["ranges"]
    assert "'Moves'" in ranges and "'Leaderboard'" in ranges
    moves = workbook.find("Moves")
    assert moves is not None and len(moves.rows) == 1 + len(report.plans[0].moves) > 1
    leaderboard = workbook.find("Leaderboard")
    assert leaderboard is not None and len(leaderboard.rows) > 2
    assert leaderboard.rows == fake.values(SHEET_ID, "Leaderboard")
    read_moves = load_community(workbook).moves
    assert sorted(read_moves["member_id"]) == sorted(report.plans[0].moves["member_id"])


def test_moves_appended_below_the_rows_read_count_against_the_cell_limit(
    fake: SheetsFake, sheet: SheetBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    member_id = sheet.active_member("Core")
    move = {"cycle": 1, "member_id": member_id, "kind": "suggest_kol"}
    sheet.moves += [move] * 50
    load_workbook(fake, sheet.workbook())
    grid = sum(tab.row_count * tab.column_count for tab in fake.books[SHEET_ID].tabs)
    # 80 rows under the 51 of a 100-row Moves tab need 31 more rows of 11 columns: 341 cells.
    monkeypatch.setattr(sheets_layout, "CELL_LIMIT", grid + 300)
    backend = open_sheet(fake)
    with backend.lock():
        backend.read()
        with pytest.raises(SheetLimitError):
            backend.write(ChangeSet(appends={"Moves": [move] * 80}))
    assert len(fake.values(SHEET_ID, "Moves")) == 51


def test_a_due_cycle_is_written_in_five_requests_then_reruns_cost_two(
    fake: SheetsFake, ladder: SheetBuilder
) -> None:
    load_workbook(fake, ladder.workbook())
    report = cycle(open_sheet(fake))
    assert report.status == "done" and report.written
    kinds = [e.kind for e in fake.log]
    get, update = "values:batchGet", "batchUpdate"
    assert kinds == ["metadata", get, update, get, update]
    runs = fake.values(SHEET_ID, "Runs")
    assert [row[5] for row in runs[1:]] == ["done"]
    moves = fake.values(SHEET_ID, "Moves")
    assert len(moves) == 1 + len(report.plans[0].moves)
    start = len(fake.log)
    again = cycle(open_sheet(fake), days=3)
    assert again.status == "nothing_due" and fake.count(start) == 2


def test_names_that_look_like_formulas_stay_text(fake: SheetsFake, ladder: SheetBuilder) -> None:
    load_workbook(fake, ladder.workbook())
    cycle(open_sheet(fake))
    names = {row[3] for row in fake.values(SHEET_ID, "Moves")[1:]}
    assert {'=HYPERLINK("http://x")', "@ada", "-minus"} <= names
    board = {row[4] for row in fake.values(SHEET_ID, "Leaderboard")[1:]}
    assert "+44 7911 123456" in board


def test_moved_members_groups_are_updated(fake: SheetsFake, ladder: SheetBuilder) -> None:
    load_workbook(fake, ladder.workbook())
    report = cycle(open_sheet(fake))
    community = load_community(open_sheet(fake).read())
    groups = dict(zip(community.members["member_id"], community.members["group"], strict=True))
    for move in report.plans[0].moves.query("kind in ['promote', 'demote', 'return']").itertuples():
        assert groups[move.member_id] == move.to_group


def test_an_invalid_sheet_is_recorded_in_runs_in_three_requests(
    fake: SheetsFake, ladder: SheetBuilder
) -> None:
    ladder.member("Genral")
    load_workbook(fake, ladder.workbook())
    before = snapshot(fake)
    with pytest.raises(InvalidSheetError, match="Genral"):
        cycle(open_sheet(fake))
    after = snapshot(fake)
    assert after["Runs"][-1][5] == "invalid"
    assert {k: v for k, v in after.items() if k != "Runs"} == {
        k: v for k, v in before.items() if k != "Runs"
    }
    assert fake.count() == 3


# --- faults --------------------------------------------------------------------


def clean_result(fake: SheetsFake, ladder: SheetBuilder) -> dict[str, list[list[Any]]]:
    """The ladder's cycle applied on a sheet with no faults (computed once)."""
    return _clean_ladder()


@functools.cache
def _clean_ladder() -> dict[str, list[list[Any]]]:
    other = SheetsFake().start()
    try:
        load_workbook(other, build_ladder(SheetBuilder()).workbook())
        cycle(open_sheet(other))
        return snapshot(other)
    finally:
        other.stop()


def comparable(tabs: dict[str, list[list[Any]]]) -> dict[str, list[list[Any]]]:
    # run ids are random: compare everything else
    return {
        name: [row[1:] if name == "Runs" else row for row in rows] for name, rows in tabs.items()
    }


@pytest.mark.parametrize("status", [429, 500, 503])
@pytest.mark.parametrize("position", range(5), ids=REQUESTS_OF_A_CYCLE)
def test_each_request_failing_once_is_retried(
    fake: SheetsFake, ladder: SheetBuilder, position: int, status: int
) -> None:
    load_workbook(fake, ladder.workbook())
    fake.inject(Fault(status=status, at=position))
    cycle(open_sheet(fake))
    assert comparable(snapshot(fake)) == comparable(clean_result(fake, ladder))


@pytest.mark.parametrize("position", [2, 4], ids=["claim", "state"])
def test_a_write_whose_answer_is_lost_is_not_applied_twice(
    fake: SheetsFake, ladder: SheetBuilder, position: int
) -> None:
    load_workbook(fake, ladder.workbook())
    fake.inject(Fault(status=500, at=position, after_apply=True))
    cycle(open_sheet(fake))
    assert comparable(snapshot(fake)) == comparable(clean_result(fake, ladder))


def test_a_slow_answer_times_out_and_is_retried(fake: SheetsFake, ladder: SheetBuilder) -> None:
    from grouptier.backends.sheets_http import RetryPolicy

    load_workbook(fake, ladder.workbook())
    fake.inject(Fault(delay=0.6, at=1))
    policy = RetryPolicy(attempts=3, first_delay=0.001, max_delay=0.01, timeout=(1, 0.2))
    cycle(open_sheet(fake, policy=policy))
    time.sleep(0.6)
    kinds = [e.kind for e in fake.log]  # the slow answer is logged when it ends, after the retry
    assert kinds.count("values:batchGet") == 3
    assert comparable(snapshot(fake)) == comparable(clean_result(fake, ladder))


@pytest.mark.parametrize("when", ["GET", "values:batchGet", ":batchUpdate"])
def test_exhausted_retries_fail_cleanly_and_leave_the_sheet_unchanged(
    fake: SheetsFake, ladder: SheetBuilder, when: str
) -> None:
    load_workbook(fake, ladder.workbook())
    before = snapshot(fake)
    fake.inject(Fault(status=503, when=when, times=10_000))
    sleeps: list[float] = []
    with pytest.raises(SheetUnavailableError, match="after 4 attempts"):
        cycle(open_sheet(fake, sleep=sleeps.append))
    assert len(sleeps) <= 3
    assert all(later >= 0 for later in sleeps)
    after = snapshot(fake)
    assert {k: v for k, v in after.items() if k != "Runs"} == {
        k: v for k, v in before.items() if k != "Runs"
    }
    assert not any(row[5] == "done" for row in after["Runs"][1:])


def test_a_failed_state_write_is_recorded_on_the_claim(
    fake: SheetsFake, ladder: SheetBuilder
) -> None:
    load_workbook(fake, ladder.workbook())
    before = snapshot(fake)
    fake.inject(Fault(status=400, at=4))
    with pytest.raises(Exception, match="refused the request"):
        cycle(open_sheet(fake))
    runs = fake.values(SHEET_ID, "Runs")
    assert runs[-1][5] == "failed"
    assert fake.values(SHEET_ID, "Members") == before["Members"]
    assert fake.values(SHEET_ID, "Moves") == before["Moves"]


def test_403_and_404_tell_the_manager_what_to_do(fake: SheetsFake, ladder: SheetBuilder) -> None:
    load_workbook(fake, ladder.workbook())
    fake.forbidden.add(SHEET_ID)
    with pytest.raises(SheetAccessError, match="click Share") as forbidden:
        open_sheet(fake).read()
    assert forbidden.value.status == 403
    with pytest.raises(SheetAccessError, match="Check the URL or ID"):
        open_sheet(fake, sheet_id="1NoSuchSheetAnywhere_0123456789").read()


# Google's words when the project has not enabled the Sheets API (its reason is SERVICE_DISABLED).
API_DISABLED = (
    "Google Sheets API has not been used in project 123456789 before or it is disabled. "
    "Enable it by visiting https://console.developers.google.com/apis/api/sheets.googleapis.com"
    "/overview?project=123456789 then retry."
)


def test_a_403_for_a_disabled_api_says_to_enable_it_not_to_share(
    fake: SheetsFake, ladder: SheetBuilder
) -> None:
    load_workbook(fake, ladder.workbook())
    fake.inject(Fault(status=403, message=API_DISABLED, times=10))
    with pytest.raises(SheetAccessError) as refused:
        open_sheet(fake).read()
    assert "the Google Sheets API is not enabled" in str(refused.value)
    assert "gcloud services enable sheets.googleapis.com" in str(refused.value)
    assert "click Share" not in str(refused.value)
    assert refused.value.google_says == API_DISABLED


def test_a_run_that_gave_way_or_failed_says_so_in_its_summary(
    fake: SheetsFake, ladder: SheetBuilder
) -> None:
    load_workbook(fake, ladder.workbook())
    fake.inject(Fault(status=400, at=REQUESTS_OF_A_CYCLE.index("state")))
    with pytest.raises(SheetError):
        cycle(open_sheet(fake))
    header, *rows = fake.values(SHEET_ID, "Runs")
    record = dict(zip(header, rows[-1], strict=False))
    assert record["status"] == "failed"
    assert record["summary"] == "stopped before changing the sheet; nothing was changed (see error)"


# --- concurrency ---------------------------------------------------------------


class HeldBackend:
    """A backend whose `write` waits for a signal: a run held between its read and its write."""

    def __init__(self, inner: GoogleSheetsBackend) -> None:
        self.inner = inner
        self.read_done = threading.Event()
        self.go_on = threading.Event()

    @property
    def location(self) -> str:
        return self.inner.location

    @property
    def cell_text_limit(self) -> int:
        return self.inner.cell_text_limit

    def lock(self) -> Any:
        return self.inner.lock()

    def read(self) -> Any:
        workbook = self.inner.read()
        self.read_done.set()
        return workbook

    def write(self, changes: ChangeSet) -> None:
        assert self.go_on.wait(10)
        self.inner.write(changes)


def start_held_run(fake: SheetsFake) -> tuple[HeldBackend, threading.Thread, list[Any]]:
    """A cycle on its own thread, held between its read and its write; its result or error."""
    held = HeldBackend(open_sheet(fake))
    outcome: list[Any] = []

    def first() -> None:
        try:
            outcome.append(cycle(held))  # type: ignore[arg-type]
        except SheetBusyError as error:
            outcome.append(error)

    thread = threading.Thread(target=first)
    thread.start()
    assert held.read_done.wait(10)
    return held, thread, outcome


def test_two_interleaved_runs_apply_the_cycle_once(fake: SheetsFake, ladder: SheetBuilder) -> None:
    load_workbook(fake, ladder.workbook())
    held, thread, first = start_held_run(fake)
    second = cycle(open_sheet(fake))  # runs whole while the first is held
    held.go_on.set()
    thread.join(10)
    assert second.status == "done"
    assert isinstance(first[0], SheetBusyError)
    runs = fake.values(SHEET_ID, "Runs")[1:]
    assert [row[5] for row in runs] == ["done", "skipped"]
    moves = fake.values(SHEET_ID, "Moves")
    assert len(moves) == 1 + len(second.plans[0].moves)


def test_a_live_claim_blocks_and_an_expired_one_does_not(
    fake: SheetsFake, ladder: SheetBuilder
) -> None:
    ladder.runs.append(
        {"run_id": "crashed", "status": "claimed", "finished_at": "2026-10-16T06:05:00Z"}
    )
    load_workbook(fake, ladder.workbook())
    with pytest.raises(SheetBusyError, match="crashed"):
        cycle(open_sheet(fake, clock=lambda: datetime(2026, 10, 16, 6, 0, tzinfo=UTC)))
    assert fake.values(SHEET_ID, "Runs")[-1][5] == "skipped"
    later = open_sheet(fake, clock=lambda: datetime(2026, 10, 16, 6, 6, tzinfo=UTC))
    assert cycle(later).status == "done"


def test_many_runs_at_once_apply_the_cycle_once(fake: SheetsFake, ladder: SheetBuilder) -> None:
    load_workbook(fake, ladder.workbook())
    results: list[Any] = []
    barrier = threading.Barrier(4)

    def one() -> None:
        barrier.wait()
        try:
            results.append(cycle(open_sheet(fake)).status)
        except SheetBusyError:
            results.append("busy")

    threads = [threading.Thread(target=one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    done = [row for row in fake.values(SHEET_ID, "Runs")[1:] if row[5] == "done"]
    assert results.count("done") == 1 and len(done) == 1


# --- request budget ------------------------------------------------------------


def big_community(members: int) -> SheetBuilder:
    """`members` members in groups of 1,000 (a tenth core, half general), half of them active."""
    sheet = SheetBuilder()
    count = max(3, -(-members // 1000))
    levels = [1] * max(1, count // 10) + [2] * max(1, count // 2)
    levels += [3] * (count - len(levels))
    sheet.groups = [
        {
            "name": f"Group {index + 1}",
            "level": level,
            "capacity": 1024,
            "promote_top": 3 if level > 1 else None,
            "promote_min_score": 0,
            "demote_bottom": 10,
            "demote_max_score": 0,
        }
        for index, level in enumerate(levels)
    ]
    for index in range(members):
        member_id = sheet.member(f"Group {index * count // members + 1}")
        if index % 2:
            sheet.post(member_id, messages=index % 40 + 1, content=index % 3)
    return sheet


@pytest.mark.slow
def test_ten_thousand_members_cost_a_handful_of_requests_none_over_2_mb(fake: SheetsFake) -> None:
    load_workbook(fake, big_community(10_000).workbook())
    report = cycle(open_sheet(fake))
    assert report.status == "done"
    kinds = [e.kind for e in fake.log]
    get, update = "values:batchGet", "batchUpdate"
    staged = kinds[4:-2]  # between the verify and the second verify: the staging requests
    assert kinds == ["metadata", get, update, get, *staged, get, update], kinds
    assert set(staged) == {update} and 2 <= len(staged) <= 6
    assert max(e.sent for e in fake.log) < gsheets.REQUEST_LIMIT
    assert len(fake.values(SHEET_ID, "Leaderboard")) == 1 + 10_000
    assert [tab.title for tab in fake.books[SHEET_ID].tabs if "staging" in tab.title] == []
    start = len(fake.log)
    assert cycle(open_sheet(fake), days=1).status == "nothing_due"
    assert fake.count(start) <= 2


def test_an_import_between_a_runs_read_and_write_makes_the_run_give_way(
    fake: SheetsFake, ladder: SheetBuilder
) -> None:
    load_workbook(fake, ladder.workbook())
    held, thread, outcome = start_held_run(fake)
    importer = open_sheet(fake)
    with importer.lock():
        importer.read()
        row = {"date": TODAY, "member_id": ladder.members[0]["member_id"], "messages": 3}
        importer.write(ChangeSet(appends={"Activity": [row]}, deleted_rows={"Activity": [2]}))
    held.go_on.set()
    thread.join(10)
    assert isinstance(outcome[0], SheetBusyError)
    statuses = [row[5] for row in fake.values(SHEET_ID, "Runs")[1:]]
    assert statuses == ["written", "skipped"]
    assert len(fake.values(SHEET_ID, "Moves")) == 1


@pytest.mark.slow
def test_an_activity_tab_of_200000_rows_is_read_in_one_request(fake: SheetsFake) -> None:
    sheet = big_community(1_000)
    ids = [row["member_id"] for row in sheet.members]
    sheet.activity = [
        {
            "date": TODAY - timedelta(days=1 + index % 30),
            "member_id": ids[index % 1000],
            "messages": 1,
        }
        for index in range(200_000)
    ]
    load_workbook(fake, sheet.workbook())
    report = cycle(open_sheet(fake))
    assert report.status == "done"
    reads = [e for e in fake.log if e.kind == "values:batchGet"]
    assert reads[0].received > 5_000_000  # the whole tab came back in the first read
    assert max(e.sent for e in fake.log) < gsheets.REQUEST_LIMIT


def test_rows_inserted_by_hand_during_a_run_make_it_give_way(
    fake: SheetsFake, ladder: SheetBuilder
) -> None:
    load_workbook(fake, ladder.workbook())
    held, thread, outcome = start_held_run(fake)
    members = fake.books[SHEET_ID].tab("Members")
    members.rows.insert(1, ["+440000000000", "Added by hand", "General"])  # a manager's edit
    before = fake.values(SHEET_ID, "Members")
    held.go_on.set()
    thread.join(10)
    assert isinstance(outcome[0], SheetBusyError) and "Members" in str(outcome[0])
    assert fake.values(SHEET_ID, "Members") == before
    assert [row[5] for row in fake.values(SHEET_ID, "Runs")[1:]] == ["skipped"]


def test_an_applied_write_that_cannot_be_confirmed_is_never_applied_again(
    fake: SheetsFake, ladder: SheetBuilder
) -> None:
    """The state write is applied but its answer lost, and every re-read of Runs fails too."""
    from grouptier.backends.sheets_http import RetryPolicy

    load_workbook(fake, ladder.workbook())
    state_write = REQUESTS_OF_A_CYCLE.index("state")
    fake.inject(Fault(status=503, at=state_write, after_apply=True))
    rereads = RetryPolicy().attempts  # every attempt of the check fails; the next request works
    fake.inject(*(Fault(status=503, at=state_write + n) for n in range(1, rereads + 1)))
    with pytest.raises(SheetUnsureError, match="did not confirm whether this run's changes"):
        cycle(open_sheet(fake, sleep=lambda _: None))
    runs = fake.values(SHEET_ID, "Runs")
    assert [row[5] for row in runs[1:]] == ["done"]  # the record the write made stays done

    fake.faults.clear()
    cycle(open_sheet(fake))  # the rerun (or the scheduler's retry) finds the cycle done
    after = comparable(snapshot(fake))
    clean = comparable(clean_result(fake, ladder))
    for tab in ("Moves", "Members", "Messages", "History", "Activity"):
        assert after.get(tab) == clean.get(tab), tab


def test_a_leaderboard_cleared_by_hand_after_a_cycle_comes_back(
    fake: SheetsFake, ladder: SheetBuilder
) -> None:
    load_workbook(fake, ladder.workbook())
    cycle(open_sheet(fake))
    board = fake.books[SHEET_ID].tab("Leaderboard")
    board.rows = board.rows[:1]  # a manager selected the rows and pressed Delete
    assert fake.values(SHEET_ID, "Leaderboard")[1:] == []

    report = cycle(open_sheet(fake))  # nothing due: it finds the Leaderboard missing

    assert report.status == "nothing_due" and report.written
    assert "The Leaderboard of cycle 3 was missing: written again." in report.note
    clean = comparable(clean_result(fake, ladder))
    assert fake.values(SHEET_ID, "Leaderboard") == clean["Leaderboard"]
    assert comparable(snapshot(fake))["Moves"] == clean["Moves"]
    assert cycle(open_sheet(fake)).written is False  # once there, later runs leave it alone


def test_rolled_up_rows_leave_a_tab_out_of_date_order_in_one_block() -> None:
    tab = TabInfo(7, "Activity", row_count=1000, column_count=8, headers={"date": 0})
    header = ["date", "member_id"]
    rows = [header, *([[46290 + (n % 2) * 30, f"m{n}"] for n in range(400)])]  # old, new, old, ...
    old = [number for number, row in enumerate(rows[1:], start=2) if row[0] == 46290]
    requests = removal_requests(tab, rows, old)
    assert [next(iter(request)) for request in requests] == ["sortRange", "deleteDimension"]
    assert requests[1]["deleteDimension"]["range"] == {
        "sheetId": 7, "dimension": "ROWS", "startIndex": 1, "endIndex": 201,
    }  # fmt: skip
    assert requests[0]["sortRange"]["sortSpecs"] == [
        {"dimensionIndex": 0, "sortOrder": "ASCENDING"}
    ]


@pytest.mark.parametrize(
    ("title", "first", "kept_day"),
    [
        ("Activity", "2026-10-01", 46300),  # a date typed as text: Sheets sorts text last
        ("Activity", 46290, 46290),  # a kept row as old as a removed one
        ("Messages", 46290, 46300),  # a day's messages keep their order
    ],
    ids=["text-date", "same-day", "messages"],
)
def test_rows_that_cannot_be_one_block_are_deleted_where_they_are(
    title: str, first: object, kept_day: int
) -> None:
    tab = TabInfo(7, title, row_count=1000, column_count=8, headers={"date": 0})
    rows = [["date"], [first], [kept_day], [46290]]
    requests = removal_requests(tab, rows, [2, 4])
    assert [next(iter(request)) for request in requests] == ["deleteDimension", "deleteDimension"]
