"""The registry, the Pub/Sub publisher and the hourly dispatcher.

The registry is pure and tested on cells; the publisher against the local
Pub/Sub fake; the dispatcher end to end on the real functions-framework
server (`dispatch_http`), reading the admin sheet from the Sheets fake and
publishing to the Pub/Sub fake, both on 127.0.0.1, signed in through a
service-account key whose token endpoint is the Sheets fake's.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import requests
from click.testing import CliRunner
from function_server import Server, serve
from google.oauth2.credentials import Credentials
from pubsub_fake import PublishFault, PubSubFake
from sheets_fake import Fault, SheetsFake
from sheets_support import write_service_account_key

from grouptier.backends.sheets_http import RetryPolicy
from grouptier.cells import CellValue
from grouptier.cli import main
from grouptier.dispatch import community_message, dispatch_registry, parse_instant
from grouptier.errors import InvalidSheetError, PublishError, UsageError
from grouptier.pubsub import MAX_MESSAGES, Message, Publisher, topic_path
from grouptier.registry import (
    MAX_ROWS,
    RegistryEntry,
    due_communities,
    read_registry,
    slot_of,
)
from grouptier.sheet import RawTab, RawWorkbook

HEADER: list[CellValue] = ["sheet", "time_zone", "run_hour", "enabled"]
TOPIC = "projects/community-project/topics/grouptier-runs"
REGISTRY = "1AdminRegistrySheet_0123456789abcdef"
ACCOUNT = "grouptier-dispatch@community-project.iam.gserviceaccount.com"
FAST = RetryPolicy(attempts=3, first_delay=0.001, max_delay=0.01, deadline=5, timeout=(5, 30))
AT_6 = datetime(2026, 12, 7, 6, tzinfo=UTC)


def sheet_id(number: int) -> str:
    return f"1CommunitySheet{number:04d}_abcdefghijklmnop"


def url(number: int) -> str:
    return f"https://docs.google.com/spreadsheets/d/{sheet_id(number)}/edit#gid=0"


def registry(*rows: list[CellValue], header: list[CellValue] = HEADER) -> RawWorkbook:
    return RawWorkbook({"Communities": RawTab("Communities", [header, *[list(r) for r in rows]])})


def where(problems: Any) -> list[str]:
    return [problem.where for problem in problems]


# --- the registry: reading rows ------------------------------------------------------------


def test_good_rows_become_entries_in_the_forms_managers_type() -> None:
    read = read_registry(
        registry(
            [url(1), "Africa/Lagos", 6, "yes"],
            [sheet_id(2), "europe/london", "06:00", None],  # case, text hour, blank = enabled
            [url(3), "Asia/Kolkata", 0.75, False],  # a time cell (18:00), an unticked box
            [url(4), "UTC", "0", "no"],
        )
    )
    assert read.problems == ()
    assert [(e.sheet_id, e.time_zone, e.run_hour, e.enabled, e.row) for e in read.entries] == [
        (sheet_id(1), "Africa/Lagos", 6, True, 2),
        (sheet_id(2), "Europe/London", 6, True, 3),
        (sheet_id(3), "Asia/Kolkata", 18, False, 4),
        (sheet_id(4), "UTC", 0, False, 5),
    ]
    assert [e.sheet_id for e in read.enabled] == [sheet_id(1), sheet_id(2)]


def test_columns_are_found_by_header_and_enabled_may_be_left_out() -> None:
    read = read_registry(
        registry(
            ["Lagos branch", 7, "Africa/Lagos", url(1)],
            header=["Notes", "Run hour", "Time Zone", "Sheet"],
        )
    )
    assert read.problems == () and read.entries[0].run_hour == 7 and read.entries[0].enabled


@pytest.mark.parametrize(
    ("row", "cell", "words"),
    [
        (["not a sheet", "Africa/Lagos", 6, "yes"], "A2", "is not a Google Sheets URL"),
        ([None, "Africa/Lagos", 6, "yes"], "A2", "paste the community sheet's URL"),
        ([url(1), "Lagos", 6, "yes"], "B2", 'did you mean "Africa/Lagos"'),
        ([url(1), "Europe/Londn", 6, "yes"], "B2", 'did you mean "Europe/London"'),
        ([url(1), "GMT+1 (Berlin)", 6, "yes"], "B2", "is not a time zone"),
        ([url(1), "Africa/Lagos", 24, "yes"], "C2", "whole hour from 0 to 23"),
        ([url(1), "Africa/Lagos", "6:30", "yes"], "C2", "runs start on the hour"),
        ([url(1), "Africa/Lagos", 6.5, "yes"], "C2", "whole hour"),
        ([url(1), "Africa/Lagos", "six", "yes"], "C2", "is not an hour"),
        ([url(1), "Africa/Lagos", None, "yes"], "C2", "is not an hour"),
        ([url(1), "Africa/Lagos", 6, "maybe"], "D2", "must be yes or no"),
    ],
    ids=[
        "sheet", "no-sheet", "city", "typo", "free-text-zone", "hour-24", "half-hour",
        "fraction", "words", "no-hour", "enabled",
    ],
)  # fmt: skip
def test_a_bad_row_is_reported_by_cell_and_the_good_rows_still_count(
    row: list[CellValue], cell: str, words: str
) -> None:
    read = read_registry(registry(row, [url(9), "Asia/Tokyo", 9, "yes"]))
    assert where(read.problems) == [f"Communities!{cell}"]
    assert words in read.problems[0].message
    assert [entry.sheet_id for entry in read.entries] == [sheet_id(9)]


def test_every_problem_of_a_row_is_reported_at_once() -> None:
    read = read_registry(registry(["nope", "Mars/Olympus", 25, "perhaps"]))
    assert where(read.problems) == [f"Communities!{c}2" for c in "ABCD"]
    assert read.entries == ()


def test_a_sheet_listed_twice_is_run_once_from_its_first_row() -> None:
    read = read_registry(
        registry(
            [url(1), "Africa/Lagos", 6, "yes"],
            [url(2), "Asia/Tokyo", 9, "yes"],
            [sheet_id(1), "Europe/Paris", 7, "yes"],  # the same sheet by its bare ID
        )
    )
    assert [(e.sheet_id, e.run_hour) for e in read.entries] == [(sheet_id(1), 6), (sheet_id(2), 9)]
    assert where(read.problems) == ["Communities!A4"]
    assert "the same sheet as row 2" in read.problems[0].message


def test_the_registry_is_bounded_and_says_where_it_stopped() -> None:
    rows = [[sheet_id(n % 10_000) + f"x{n}", "UTC", n % 24, "yes"] for n in range(MAX_ROWS + 5)]
    read = read_registry(registry(*rows))
    assert len(read.entries) == MAX_ROWS
    assert where(read.problems) == [f"Communities!A{MAX_ROWS + 2}"]
    assert f"more than {MAX_ROWS:,} communities" in read.problems[0].message


@pytest.mark.parametrize(
    ("workbook", "words"),
    [
        (
            RawWorkbook({"Settings": RawTab("Settings", [["setting"]])}),
            'tab "Communities" is missing',
        ),
        (registry([url(1), 6], header=["sheet", "run_hour"]), 'no "time_zone" column'),
    ],
    ids=["no-tab", "no-column"],
)
def test_a_registry_that_cannot_be_read_at_all_is_invalid(
    workbook: RawWorkbook, words: str
) -> None:
    with pytest.raises(InvalidSheetError) as caught:
        read_registry(workbook)
    assert words in str(caught.value)


# --- the registry: who is due -------------------------------------------------------------


def entry(zone: str, hour: int, number: int = 1, enabled: bool = True) -> RegistryEntry:
    return RegistryEntry(sheet_id(number), zone, hour, enabled, number + 1)


def test_a_community_is_due_in_its_own_local_hour() -> None:
    communities = [
        entry("Africa/Lagos", 7, 1),  # UTC+1: 06Z is 07:00
        entry("Europe/London", 6, 2),  # winter: UTC
        entry("Asia/Kolkata", 11, 3),  # UTC+5:30: 06Z is 11:30
        entry("America/New_York", 1, 4),  # UTC-5: 01:00
        entry("Africa/Lagos", 6, 5),  # an hour early
        entry("Europe/London", 6, 6, enabled=False),
    ]
    assert [e.row for e in due_communities(communities, AT_6)] == [2, 3, 4, 5]


def test_summer_time_moves_the_utc_hour_of_a_run() -> None:
    london = [entry("Europe/London", 6)]
    assert due_communities(london, datetime(2026, 7, 7, 5, tzinfo=UTC)) == london  # BST
    assert due_communities(london, datetime(2026, 7, 7, 6, tzinfo=UTC)) == []


def test_a_run_hour_the_clock_skips_runs_in_the_next_hour_and_a_repeated_one_runs_once() -> None:
    new_york = [entry("America/New_York", 2)]
    # 2027-03-14: 02:00 EST becomes 03:00 EDT at 07:00Z.
    spring = [h for h in range(24) if due_communities(new_york, _utc(2027, 3, 14, h))]
    assert spring == [7]
    one_am = [entry("America/New_York", 1)]
    # 2027-11-07: 01:00 happens at 05:00Z (EDT) and again at 06:00Z (EST).
    autumn = [h for h in range(24) if due_communities(one_am, _utc(2027, 11, 7, h))]
    assert autumn == [5]


@pytest.mark.parametrize(
    "zone",
    ["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu",
     "Pacific/Chatham", "America/Santiago", "Asia/Kolkata", "UTC"],
)  # fmt: skip
def test_every_community_is_due_exactly_once_a_local_day_across_clock_changes(zone: str) -> None:
    days = [date(2027, 3, 14), date(2027, 3, 28), date(2027, 4, 4), date(2027, 9, 5),
            date(2027, 9, 26), date(2027, 10, 31), date(2027, 11, 7)]  # fmt: skip
    for day in days:
        start = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(days=2)
        hours = [start + timedelta(hours=h) for h in range(24 * 5)]
        for run_hour in range(24):
            community = [entry(zone, run_hour)]
            local_days = Counter(
                now.astimezone(ZoneInfo(zone)).date()
                for now in hours
                if due_communities(community, now)
            )
            for offset in (-1, 0, 1):
                assert local_days[day + timedelta(days=offset)] == 1, (day, run_hour, offset)


def test_the_clock_is_a_parameter_and_must_carry_its_zone() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        due_communities([entry("UTC", 6)], datetime(2026, 12, 7, 6))
    assert (
        slot_of(datetime(2026, 12, 7, 7, 59, tzinfo=ZoneInfo("Europe/Paris"))) == "2026-12-07T06Z"
    )
    assert parse_instant("2026-12-07T06:00:00Z") == AT_6
    with pytest.raises(ValueError, match="offset"):
        parse_instant("2026-12-07T06:00:00")


def test_a_message_names_the_sheet_and_the_hour_slot() -> None:
    message = community_message(entry("UTC", 6, 7), slot_of(AT_6))
    assert message.attributes == {
        "sheet_id": sheet_id(7),
        "slot": "2026-12-07T06Z",
        "registry_row": "8",
    }
    assert json.loads(message.data) == message.attributes


# --- the publisher against the Pub/Sub fake ----------------------------------------------------


@pytest.fixture
def pubsub() -> Iterator[PubSubFake]:
    service = PubSubFake().start()
    service.create_topic(TOPIC)
    yield service
    service.stop()


def publisher(fake: PubSubFake, topic: str = TOPIC) -> Publisher:
    token = Credentials(token="test")  # type: ignore[no-untyped-call]
    return Publisher(topic, credentials=token, endpoint=fake.url, policy=FAST, sleep=lambda _: None)


def test_messages_are_published_in_batches_of_at_most_a_thousand(pubsub: PubSubFake) -> None:
    messages = [Message(b"run", {"sheet_id": sheet_id(n)}) for n in range(2_345)]
    ids = publisher(pubsub).publish(messages)
    assert len(ids) == 2_345 and len(set(ids)) == 2_345
    assert pubsub.requests == 3 and MAX_MESSAGES == 1_000
    assert [a["sheet_id"] for a in pubsub.attributes(TOPIC)] == [sheet_id(n) for n in range(2_345)]
    assert {m.data for m in pubsub.published} == {b"run"}


def test_a_busy_pubsub_is_retried_and_a_missing_topic_is_not(pubsub: PubSubFake) -> None:
    pubsub.inject(PublishFault(503, times=2))
    assert len(publisher(pubsub).publish([Message(b"x")])) == 1 and pubsub.requests == 3
    with pytest.raises(PublishError) as caught:
        publisher(pubsub, "projects/community-project/topics/nope").publish([Message(b"x")])
    assert not caught.value.retryable and "404 NOT_FOUND" in str(caught.value)
    assert pubsub.requests == 4


def test_pubsub_failing_past_the_retries_is_retryable_and_counts_what_went(
    pubsub: PubSubFake,
) -> None:
    pubsub.inject(PublishFault(429, times=1_000))
    with pytest.raises(PublishError) as caught:
        publisher(pubsub).publish([Message(b"x")])
    assert caught.value.retryable and caught.value.published == 0 and pubsub.requests == 3


def test_an_unreachable_pubsub_is_retried_then_retryable() -> None:
    token = Credentials(token="test")  # type: ignore[no-untyped-call]
    waits: list[float] = []
    unreachable = Publisher(
        TOPIC, credentials=token, endpoint="http://127.0.0.1:1", policy=FAST, sleep=waits.append
    )
    with pytest.raises(PublishError, match="after 3 attempts") as caught:
        unreachable.publish([Message(b"x")])
    assert caught.value.retryable and len(waits) == 2


def test_a_lost_answer_is_retried_and_may_publish_twice(pubsub: PubSubFake) -> None:
    pubsub.inject(PublishFault(503, after_accept=True))
    publisher(pubsub).publish([Message(b"x", {"sheet_id": sheet_id(1)})])
    assert len(pubsub.published) == 2  # harmless: a run applies a cycle once whatever triggers it


def test_the_fake_refuses_what_pubsub_refuses(pubsub: PubSubFake) -> None:
    def post(body: Any, token: bool = True) -> requests.Response:
        headers = {"Authorization": "Bearer t"} if token else {}
        return requests.post(
            f"{pubsub.url}/v1/{TOPIC}:publish", json=body, headers=headers, timeout=5
        )

    good = {"messages": [{"data": base64.b64encode(b"x").decode()}]}
    assert post(good).json() == {"messageIds": ["1"]}
    assert post(good, token=False).status_code == 401
    assert post({"messages": [{"data": "not base64!"}]}).status_code == 400
    assert post({"messages": [{}]}).status_code == 400
    assert post({"messages": [{"attributes": {"k" * 257: "v"}}]}).status_code == 400
    assert post({"messages": [{"attributes": {"k": "v" * 1_025}}]}).status_code == 400
    assert post({"messages": [{"data": "eA=="}] * 1_001}).status_code == 400
    assert post({"messages": [], "extra": 1}).json()["error"]["status"] == "INVALID_ARGUMENT"


def test_a_topic_is_checked_for_shape_before_anything_is_sent() -> None:
    assert topic_path(" projects/my-project/topics/runs ") == "projects/my-project/topics/runs"
    with pytest.raises(UsageError, match="projects/PROJECT_ID/topics/TOPIC"):
        topic_path("grouptier-runs")


# --- the dispatcher in-process: outcomes a deployer must hear about ----------------------------


@pytest.fixture
def sheets_and_pubsub(
    fake: SheetsFake, pubsub: PubSubFake, monkeypatch: pytest.MonkeyPatch
) -> tuple[SheetsFake, PubSubFake]:
    monkeypatch.setenv("GROUPTIER_SHEETS_ENDPOINT", fake.url)
    monkeypatch.setenv("GROUPTIER_PUBSUB_ENDPOINT", pubsub.url)
    return fake, pubsub


def in_process(registry_id: str = REGISTRY, topic: str = TOPIC) -> Any:
    token = Credentials(token="test")  # type: ignore[no-untyped-call]
    return dispatch_registry(registry_id, topic, AT_6, credentials=token, policy=FAST)


def test_a_registry_without_its_tab_is_invalid_and_nothing_is_published(
    sheets_and_pubsub: tuple[SheetsFake, PubSubFake],
) -> None:
    sheets, pubsub = sheets_and_pubsub
    sheets.create(REGISTRY, tabs=("Sheet1",))
    outcome = in_process()
    assert outcome.status == "invalid" and outcome.severity == "ERROR"
    assert where(outcome.problems) == ["Communities"] and pubsub.requests == 0


def test_a_registry_not_shared_fails_without_retry_and_a_bad_setting_is_rejected(
    sheets_and_pubsub: tuple[SheetsFake, PubSubFake],
) -> None:
    sheets, _ = sheets_and_pubsub
    sheets.create(REGISTRY, tabs=())
    sheets.forbidden.add(REGISTRY)
    outcome = in_process()
    assert outcome.status == "failed" and not outcome.retryable and "(403)" in outcome.detail
    assert in_process(registry_id="").status == "rejected"
    assert in_process(topic="runs").status == "rejected"


def test_a_topic_pubsub_does_not_know_fails_without_retry(
    sheets_and_pubsub: tuple[SheetsFake, PubSubFake],
) -> None:
    sheets, _ = sheets_and_pubsub
    sheets.create(REGISTRY, tabs=())
    sheets.load(REGISTRY, "Communities", [HEADER, [url(1), "UTC", 6, "yes"]])
    outcome = in_process(topic="projects/community-project/topics/deleted")
    assert outcome.status == "failed" and outcome.due == 1 and outcome.published == 0
    assert "NOT_FOUND" in outcome.detail


# --- the dispatcher on the real functions-framework server ----------------------------------


ZONES = ["Africa/Lagos", "Europe/London", "Asia/Kolkata", "America/New_York",
         "Australia/Sydney", "America/Sao_Paulo", "Asia/Tokyo", "Pacific/Auckland"]  # fmt: skip
COMMUNITIES = 40


def big_registry() -> list[list[CellValue]]:
    """40 communities in 8 zones, hours spread; two disabled; then two bad rows and a duplicate."""
    rows: list[list[CellValue]] = [HEADER]
    for n in range(COMMUNITIES):
        rows.append([url(n), ZONES[n % len(ZONES)], (n * 5) % 24, "no" if n in (3, 11) else "yes"])
    rows.append([url(900), "Lagos", 7, "yes"])  # row 42: a city, not a zone
    rows.append([url(901), "Africa/Lagos", "7:30", "yes"])  # row 43: not on the hour
    rows.append([sheet_id(0), "UTC", 6, "yes"])  # row 44: community 0 again
    return rows


def expected_due(at: datetime) -> list[str]:
    due = []
    for n in range(COMMUNITIES):
        local = at.astimezone(ZoneInfo(ZONES[n % len(ZONES)]))
        if local.hour == (n * 5) % 24 and n not in (3, 11):
            due.append(sheet_id(n))
    return due


@pytest.fixture(scope="module")
def services() -> Iterator[tuple[SheetsFake, PubSubFake]]:
    sheets, pubsub = SheetsFake().start(), PubSubFake().start()
    pubsub.create_topic(TOPIC)
    sheets.create(REGISTRY, tabs=())
    sheets.load(REGISTRY, "Communities", big_registry())
    yield sheets, pubsub
    sheets.stop()
    pubsub.stop()


@pytest.fixture(scope="module")
def dispatcher(
    services: tuple[SheetsFake, PubSubFake], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    sheets, pubsub = services
    tmp = tmp_path_factory.mktemp("dispatch")
    key = write_service_account_key(tmp / "key.json", sheets, ACCOUNT)
    env = {
        "GOOGLE_APPLICATION_CREDENTIALS": str(key),
        "GROUPTIER_SHEETS_ENDPOINT": sheets.url,
        "GROUPTIER_PUBSUB_ENDPOINT": pubsub.url,
        "GROUPTIER_REGISTRY_ID": f"https://docs.google.com/spreadsheets/d/{REGISTRY}/edit",
        "GROUPTIER_TOPIC": TOPIC,
        "GROUPTIER_RETRY_DEADLINE": "1",
    }
    yield from serve("dispatch_http", "http", env, tmp)


@pytest.fixture(autouse=True)
def clean_services(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "services" in request.fixturenames:
        sheets, pubsub = request.getfixturevalue("services")
        sheets.faults.clear()
        pubsub.faults.clear()
        pubsub.published.clear()


def scheduler(
    server: Server, body: dict[str, Any] | None = None, **headers: str
) -> requests.Response:
    """A request as Cloud Scheduler sends it: octet-stream, its own headers."""
    sent = {"Content-Type": "application/octet-stream", "X-CloudScheduler": "true", **headers}
    data = json.dumps(body).encode() if body is not None else b""
    return requests.post(server.url, data=data, headers=sent, timeout=60)


@pytest.mark.parametrize("hour", [0, 6, 13, 21])
def test_only_the_communities_due_at_the_hour_are_published(
    dispatcher: Server, services: tuple[SheetsFake, PubSubFake], hour: int
) -> None:
    _, pubsub = services
    at = datetime(2026, 12, 7, hour, tzinfo=UTC)
    requests_before = pubsub.requests
    answer = scheduler(dispatcher, {"at": at.isoformat()})
    assert answer.status_code == 200, answer.text
    summary = answer.json()
    want = expected_due(at)
    assert len(want) == {0: 0, 6: 1, 13: 4, 21: 6}[hour]
    assert pubsub.requests - requests_before == (1 if want else 0)  # one batch, or no call
    assert summary["status"] == "dispatched" and summary["retryable"] is False
    assert (summary["communities"], summary["enabled"]) == (COMMUNITIES, COMMUNITIES - 2)
    assert summary["due"] == summary["published"] == len(want)
    published = pubsub.attributes(TOPIC)
    assert sorted(a["sheet_id"] for a in published) == sorted(want)
    assert {a["slot"] for a in published} <= {at.strftime("%Y-%m-%dT%HZ")}
    assert summary["slot"] == at.strftime("%Y-%m-%dT%HZ")


def test_bad_rows_are_reported_by_cell_and_kept_out_of_the_logs(
    dispatcher: Server, services: tuple[SheetsFake, PubSubFake]
) -> None:
    seen = len(dispatcher.log_lines())
    summary = scheduler(dispatcher, {"at": "2026-12-07T06:00:00Z"}).json()
    assert [(p["tab"], p["cell"]) for p in summary["problems"]] == [
        ("Communities", "B42"), ("Communities", "C43"), ("Communities", "A44"),
    ]  # fmt: skip
    assert 'did you mean "Africa/Lagos"' in summary["problems"][0]["message"]
    entries = [json.loads(line) for line in dispatcher.log_lines(seen)]
    dispatch = [e for e in entries if e.get("logger") == "grouptier.dispatch"]
    assert len(dispatch) == 1 and dispatch[0]["severity"] == "ERROR"
    assert dispatch[0]["problems"] == ["Communities!B42", "Communities!C43", "Communities!A44"]
    assert dispatch[0]["published"] == summary["published"]
    text = "\n".join(dispatcher.log_lines(seen))
    assert "1CommunitySheet" not in text and "Lagos" not in text


def test_the_hour_comes_from_cloud_schedulers_header(
    dispatcher: Server, services: tuple[SheetsFake, PubSubFake]
) -> None:
    _, pubsub = services
    answer = scheduler(dispatcher, **{"X-CloudScheduler-ScheduleTime": "2026-12-07T13:00:00Z"})
    assert answer.json()["slot"] == "2026-12-07T13Z"
    assert sorted(a["sheet_id"] for a in pubsub.attributes()) == sorted(
        expected_due(datetime(2026, 12, 7, 13, tzinfo=UTC))
    )


def test_pubsub_unavailable_is_answered_503_so_scheduler_retries(
    dispatcher: Server, services: tuple[SheetsFake, PubSubFake]
) -> None:
    _, pubsub = services
    pubsub.inject(PublishFault(503, times=1_000))
    answer = scheduler(dispatcher, {"at": "2026-12-07T06:00:00Z"})
    assert answer.status_code == 503, answer.text
    assert answer.json()["status"] == "unavailable" and answer.json()["retryable"] is True
    pubsub.faults.clear()
    retried = scheduler(dispatcher, {"at": "2026-12-07T06:00:00Z"})
    assert retried.status_code == 200 and retried.json()["published"] == len(expected_due(AT_6))


def test_sheets_unavailable_is_answered_503_and_nothing_is_published(
    dispatcher: Server, services: tuple[SheetsFake, PubSubFake]
) -> None:
    sheets, pubsub = services
    sheets.inject(Fault(status=503, when=f"/v4/spreadsheets/{REGISTRY}", times=1_000))
    answer = scheduler(dispatcher, {"at": "2026-12-07T06:00:00Z"})
    assert answer.status_code == 503 and answer.json()["status"] == "unavailable"
    assert pubsub.published == []


def test_a_time_without_its_offset_is_a_bad_request(dispatcher: Server) -> None:
    answer = scheduler(dispatcher, {"at": "2026-12-07 06:00"})
    assert answer.status_code == 400 and answer.json()["status"] == "rejected"


def _utc(year: int, month: int, day: int, hour: int) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


# --- the template the deployer uploads ------------------------------------------------------


def test_init_registry_writes_a_communities_tab_the_registry_reads(tmp_path: Path) -> None:
    path = tmp_path / "communities.xlsx"
    result = CliRunner().invoke(main, ["init-registry", str(path)])
    assert result.exit_code == 0, result.output
    assert "--registry" in result.output
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Communities"]
    tab = book["Communities"]
    tab.append([url(1), "Africa/Lagos", 6, "yes", "Lagos branch"])
    rows = [list(row) for row in tab.iter_rows(values_only=True)]
    read = read_registry(RawWorkbook({"Communities": RawTab("Communities", rows)}))
    assert read.problems == () and [e.sheet_id for e in read.entries] == [sheet_id(1)]
    checked = {str(dv.sqref) for dv in tab.data_validations.dataValidation}
    assert checked == {"C2:C10001", "D2:D10001"}
    again = CliRunner().invoke(main, ["init-registry", str(path)])
    assert again.exit_code == 1 and "already exists" in again.output
