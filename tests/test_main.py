"""The Cloud Function on the real functions-framework server, against the local Sheets API fake.

Each server is a `functions-framework` subprocess on 127.0.0.1, started from
the repository root exactly as Cloud Functions starts `main.py` (grouptier is
imported from the source folder, not installed), signed in through a
service-account key whose token endpoint is the fake's. Tests send real HTTP
requests and Pub/Sub CloudEvents and look at the sheet afterwards.
"""

from __future__ import annotations

import base64
import json
import logging
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from conftest import ANCHOR, CYCLE, SheetBuilder
from function_server import Server, serve
from sheets_fake import Fault, SheetsFake
from sheets_support import load_workbook, write_service_account_key

from grouptier import service
from grouptier.backends.sheets_claims import claim_record
from grouptier.backends.xlsx import XlsxBackend
from grouptier.demo import demo_workbook
from grouptier.sheet import RawTab, RawWorkbook

ROOT = Path(__file__).resolve().parent.parent
ACCOUNT = "grouptier-fn@community-project.iam.gserviceaccount.com"
DEFAULT_SHEET = "1DefaultSheetOfTheDeployment_0123456789"
STATE_TABS = ("Members", "Moves", "Leaderboard", "Activity", "History", "Messages")


@pytest.fixture(scope="module")
def fake() -> Iterator[SheetsFake]:
    service_ = SheetsFake().start()
    yield service_
    service_.stop()


@pytest.fixture(scope="module")
def key_file(fake: SheetsFake, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A service-account key the fake's /token endpoint accepts (ADC reads it from the env)."""
    return write_service_account_key(tmp_path_factory.mktemp("key") / "key.json", fake, ACCOUNT)


def _start(
    target: str, signature: str, fake: SheetsFake, key_file: Path, tmp: Path
) -> Iterator[Server]:
    env = {
        "GOOGLE_APPLICATION_CREDENTIALS": str(key_file),
        "GROUPTIER_SHEETS_ENDPOINT": fake.url,
        "GROUPTIER_SHEET_ID": DEFAULT_SHEET,
        "GROUPTIER_RETRY_DEADLINE": "1",
    }
    yield from serve(target, signature, env, tmp)


@pytest.fixture(scope="module")
def http_server(
    fake: SheetsFake, key_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    yield from _start("run_http", "http", fake, key_file, tmp_path_factory.mktemp("http"))


@pytest.fixture(scope="module")
def event_server(
    fake: SheetsFake, key_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    yield from _start("run_pubsub", "cloudevent", fake, key_file, tmp_path_factory.mktemp("ce"))


@pytest.fixture(autouse=True)
def no_faults_left(fake: SheetsFake) -> Iterator[None]:
    yield
    fake.faults.clear()


# --- sheets whose cycle is due today -------------------------------------------------


def _today() -> date:
    return datetime.now(UTC).date()


def due_today(raw: RawWorkbook, closing_cycle: int, anchor: date) -> RawWorkbook:
    """`raw` with every date moved by whole cycles, so `closing_cycle` is the latest closed one.

    The server reads the real clock; the sheet is moved in time instead.
    """
    closed = (_today() - anchor).days // 15  # the latest closed of 15-day cycles from `anchor`
    shift = timedelta(days=15 * (closed - closing_cycle))
    tabs = {}
    for name, tab in raw.tabs.items():
        rows = [[_moved(cell, shift) for cell in row] for row in tab.rows]
        tabs[name] = RawTab(tab.name, rows)
    return RawWorkbook(tabs)


def _moved(cell: Any, shift: timedelta) -> Any:
    return cell + shift if isinstance(cell, date) else cell


def ladder(sheet: SheetBuilder) -> RawWorkbook:
    """A small community where the due cycle moves members up and down."""
    sheet.active_member("Core", score_days=3)
    sheet.member("Core")
    for days in (5, 4, 3):
        sheet.active_member("General", score_days=days)
    for _ in range(3):
        sheet.member("General")
    sheet.active_member("Retention", score_days=2)
    return due_today(sheet.workbook(), CYCLE, ANCHOR)


def seed(fake: SheetsFake, sheet_id: str, raw: RawWorkbook) -> None:
    load_workbook(fake, raw, sheet_id)


def state(fake: SheetsFake, sheet_id: str) -> dict[str, list[list[Any]]]:
    return {name: fake.values(sheet_id, name) for name in STATE_TABS}


def runs(fake: SheetsFake, sheet_id: str) -> list[list[Any]]:
    return fake.values(sheet_id, "Runs")[1:]


def post(server: Server, body: bytes | None = None, **headers: str) -> requests.Response:
    return requests.post(server.url, data=body, headers=headers, timeout=60)


def scheduler(server: Server, body: dict[str, Any] | None = None) -> requests.Response:
    """A request as Cloud Scheduler sends it: octet-stream, its own headers."""
    return post(
        server,
        json.dumps(body).encode() if body is not None else b"",
        **{
            "Content-Type": "application/octet-stream",
            "X-CloudScheduler": "true",
            "X-CloudScheduler-JobName": "grouptier-daily",
        },
    )


def pubsub(server: Server, attributes: dict[str, str] | None = None) -> requests.Response:
    """A Pub/Sub push as Eventarc delivers it: a structured CloudEvent."""
    event = {
        "specversion": "1.0",
        "type": "google.cloud.pubsub.topic.v1.messagePublished",
        "source": "//pubsub.googleapis.com/projects/community-project/topics/grouptier",
        "id": f"{time.monotonic_ns()}",
        "time": datetime.now(UTC).isoformat(),
        "datacontenttype": "application/json",
        "data": {
            "message": {
                "data": base64.b64encode(b"run").decode(),
                "attributes": attributes or {},
                "messageId": "1",
                "publishTime": datetime.now(UTC).isoformat(),
            },
            "subscription": "projects/community-project/subscriptions/grouptier",
        },
    }
    return post(
        server, json.dumps(event).encode(), **{"Content-Type": "application/cloudevents+json"}
    )


# --- HTTP: Cloud Scheduler ------------------------------------------------------------


def test_a_due_cycle_is_applied_and_the_next_trigger_is_a_no_op(
    http_server: Server, fake: SheetsFake, sheet: SheetBuilder
) -> None:
    seed(fake, DEFAULT_SHEET, ladder(sheet))
    answer = scheduler(http_server)
    assert answer.status_code == 200, answer.text
    summary = answer.json()
    assert summary["status"] == "done" and summary["cycles"] == [CYCLE]  # of the moved anchor
    assert summary["moves"] == {"promote": 3, "demote": 4, "return": 1}
    assert summary["sheet_id"] == DEFAULT_SHEET and summary["retryable"] is False
    assert [(row[0], row[4], row[5]) for row in runs(fake, DEFAULT_SHEET)] == [
        (summary["run_id"], "schedule", "done")
    ]
    members = fake.values(DEFAULT_SHEET, "Members")
    assert [row[2] for row in members[1:]].count("Core") == 4
    assert len(fake.values(DEFAULT_SHEET, "Moves")) == 1 + sum(summary["moves"].values())

    before, requests_before = state(fake, DEFAULT_SHEET), len(fake.log)
    again = scheduler(http_server)
    assert again.status_code == 200 and again.json()["status"] == "nothing_due"
    assert again.json()["written"] is False
    assert state(fake, DEFAULT_SHEET) == before and len(runs(fake, DEFAULT_SHEET)) == 1
    kinds = [exchange.kind for exchange in fake.log[requests_before:] if exchange.kind != "token"]
    assert kinds == ["metadata", "values:batchGet"]  # no write of any kind


def test_dry_run_from_the_environment_or_the_request_writes_nothing(
    http_server: Server, fake: SheetsFake, sheet: SheetBuilder
) -> None:
    sheet_id = "1DryRunSheet_abcdefghijklmnopqrstu"
    seed(fake, sheet_id, ladder(sheet))
    before = state(fake, sheet_id)
    answer = scheduler(http_server, {"sheet_id": sheet_id, "dry_run": True})
    assert answer.status_code == 200 and answer.json()["status"] == "dry_run"
    assert answer.json()["moves"]["promote"] == 3
    assert state(fake, sheet_id) == before and runs(fake, sheet_id) == []


def test_an_invalid_sheet_is_answered_200_with_its_problems_and_only_a_runs_row(
    http_server: Server, fake: SheetsFake, sheet: SheetBuilder
) -> None:
    sheet_id = "1InvalidSheet_abcdefghijklmnopqrstu"
    sheet.member("Genral", name="Ada Lovelace")
    seed(fake, sheet_id, ladder(sheet))
    before = state(fake, sheet_id)
    answer = scheduler(http_server, {"sheet_id": sheet_id})
    assert answer.status_code == 200, answer.text
    summary = answer.json()
    assert summary["status"] == "invalid" and summary["retryable"] is False
    assert {"tab": "Members", "cell": "C2"} in [
        {"tab": p["tab"], "cell": p["cell"]} for p in summary["problems"]
    ]
    assert any("Genral" in problem["message"] for problem in summary["problems"])
    assert state(fake, sheet_id) == before
    assert [(row[0], row[5]) for row in runs(fake, sheet_id)] == [(summary["run_id"], "invalid")]


def test_a_sheet_held_by_another_run_is_answered_busy_and_not_changed(
    http_server: Server, fake: SheetsFake, sheet: SheetBuilder
) -> None:
    sheet_id = "1BusySheet_abcdefghijklmnopqrstuvwx"
    seed(fake, sheet_id, ladder(sheet))
    other = claim_record("other-run", "manual", datetime.now(UTC), timedelta(minutes=10))
    header = fake.values(sheet_id, "Runs")[0]
    fake.load(sheet_id, "Runs", [header, [other.get(str(name), "") for name in header]])
    before = state(fake, sheet_id)
    answer = scheduler(http_server, {"sheet_id": sheet_id})
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "busy" and answer.json()["retryable"] is False
    assert state(fake, sheet_id) == before
    assert [row[5] for row in runs(fake, sheet_id)] == ["claimed", "skipped"]


def test_a_transient_failure_is_answered_503(
    http_server: Server, fake: SheetsFake, sheet: SheetBuilder
) -> None:
    sheet_id = "1FlakySheet_abcdefghijklmnopqrstuvw"
    seed(fake, sheet_id, ladder(sheet))
    before = state(fake, sheet_id)
    fake.inject(Fault(status=503, when=f"GET /v4/spreadsheets/{sheet_id}", times=1000))
    answer = scheduler(http_server, {"sheet_id": sheet_id})
    assert answer.status_code == 503, answer.text
    assert answer.json()["status"] == "unavailable" and answer.json()["retryable"] is True
    fake.faults.clear()
    assert state(fake, sheet_id) == before and runs(fake, sheet_id) == []
    retried = scheduler(http_server, {"sheet_id": sheet_id})  # the scheduler's retry succeeds
    assert retried.status_code == 200 and retried.json()["status"] == "done"


def test_one_deployment_serves_several_sheets_and_one_failing_does_not_stop_the_others(
    http_server: Server, fake: SheetsFake, sheet: SheetBuilder
) -> None:
    good = ["1FanOutGoodA_abcdefghijklmnopqrstu", "1FanOutGoodB_abcdefghijklmnopqrstu"]
    broken, unshared = "1FanOutBroken_abcdefghijklmnopqrst", "1FanOutUnshared_abcdefghijklmnopq"
    community = ladder(sheet)
    for sheet_id in (*good, unshared):
        seed(fake, sheet_id, community)
    fake.forbidden.add(unshared)
    seed(fake, broken, community)
    fake.load(broken, "Groups", [["name", "level"], ["Core", "first"]])
    answers = {
        sheet_id: scheduler(
            http_server, {"sheet_id": f"https://docs.google.com/spreadsheets/d/{sheet_id}/edit"}
        )
        for sheet_id in (good[0], broken, unshared, good[1])
    }
    assert {key: (a.status_code, a.json()["status"]) for key, a in answers.items()} == {
        good[0]: (200, "done"),
        broken: (200, "invalid"),
        unshared: (200, "failed"),
        good[1]: (200, "done"),
    }
    assert ACCOUNT in answers[unshared].json()["detail"]  # whom to share the sheet with
    assert [row[5] for row in runs(fake, good[1])] == ["done"]


def test_a_request_without_a_usable_sheet_id_is_a_bad_request(http_server: Server) -> None:
    answer = scheduler(http_server, {"sheet_id": "not a sheet"})
    assert answer.status_code == 400 and answer.json()["status"] == "rejected"


# --- Pub/Sub CloudEvents --------------------------------------------------------------


def test_a_pubsub_event_runs_the_sheet_named_in_its_attributes(
    event_server: Server, fake: SheetsFake, sheet: SheetBuilder
) -> None:
    sheet_id = "1PubSubSheet_abcdefghijklmnopqrstu"
    seed(fake, sheet_id, ladder(sheet))
    answer = pubsub(event_server, {"sheet_id": sheet_id})
    assert answer.status_code == 200, answer.text
    assert [(row[4], row[5]) for row in runs(fake, sheet_id)] == [("pubsub", "done")]
    again = pubsub(event_server, {"sheet_id": sheet_id})
    assert again.status_code == 200 and len(runs(fake, sheet_id)) == 1


def test_a_pubsub_event_in_binary_mode_as_eventarc_delivers_it(
    event_server: Server, fake: SheetsFake, sheet: SheetBuilder
) -> None:
    sheet_id = "1PubSubBinary_abcdefghijklmnopqrst"
    seed(fake, sheet_id, ladder(sheet))
    data = {"message": {"data": "", "attributes": {"sheet_id": sheet_id}, "messageId": "2"}}
    headers = {
        "Content-Type": "application/json",
        "ce-specversion": "1.0",
        "ce-type": "google.cloud.pubsub.topic.v1.messagePublished",
        "ce-source": "//pubsub.googleapis.com/projects/community-project/topics/grouptier",
        "ce-id": "binary-1",
    }
    answer = post(event_server, json.dumps(data).encode(), **headers)
    assert answer.status_code == 200, answer.text
    assert [row[5] for row in runs(fake, sheet_id)] == ["done"]


def test_a_pubsub_event_is_retried_only_for_a_transient_failure(
    event_server: Server, fake: SheetsFake, sheet: SheetBuilder
) -> None:
    flaky, broken = "1PubSubFlaky_abcdefghijklmnopqrstu", "1PubSubBroken_abcdefghijklmnopqrst"
    seed(fake, flaky, ladder(sheet))
    seed(fake, broken, ladder(sheet))
    fake.load(broken, "Groups", [["name", "level"], ["Core", "first"]])
    fake.inject(Fault(status=503, when=f"/v4/spreadsheets/{flaky}", times=1000))
    assert pubsub(event_server, {"sheet_id": flaky}).status_code == 500  # Pub/Sub redelivers
    fake.faults.clear()
    assert runs(fake, flaky) == []
    assert pubsub(event_server, {"sheet_id": broken}).status_code == 200  # acknowledged
    assert [row[5] for row in runs(fake, broken)] == ["invalid"]


# --- logs -----------------------------------------------------------------------------


def test_logs_are_cloud_logging_json_without_names_or_phone_numbers(
    http_server: Server, fake: SheetsFake
) -> None:
    sheet_id = "1DemoCommunity_abcdefghijklmnopqrs"
    demo = XlsxBackend(demo_workbook()).read()
    seed(fake, sheet_id, demo)
    seen = len(http_server.log_lines())
    answer = scheduler(http_server, {"sheet_id": sheet_id})
    assert answer.status_code == 200 and answer.json()["status"] == "done", answer.text
    assert answer.json()["warning_count"] > 0 and sum(answer.json()["moves"].values()) > 10
    # an invalid run of the same community: problems name cells, never the values in them
    broken = "1DemoBroken_abcdefghijklmnopqrstuv"
    members = demo.tabs["Members"].rows
    bad = [members[0], *([*row[:2], "Genral", *row[3:]] for row in members[1:])]
    seed(fake, broken, RawWorkbook({**demo.tabs, "Members": RawTab("Members", bad)}))
    assert scheduler(http_server, {"sheet_id": broken}).json()["status"] == "invalid"

    lines = http_server.log_lines(seen)
    entries = [json.loads(line) for line in lines]
    assert {"severity", "message", "run_id", "status", "moves"} <= set(entries[0])
    assert [entry["severity"] for entry in entries] == ["WARNING", "ERROR"]
    assert entries[1]["problems"][:2] == ["Members!C2", "Members!C3"]
    output = http_server.output()
    for row in members[1:]:
        member_id, name = str(row[0]), str(row[1])
        assert name not in output and member_id not in output
        assert member_id.lstrip("+") not in output


@pytest.fixture
def main_module() -> Iterator[Any]:
    """`main`, imported in this process; the logger it configures is put back afterwards."""
    logger = logging.getLogger("grouptier")
    saved = (list(logger.handlers), logger.propagate, logger.level)
    import main

    yield main
    logger.handlers[:], logger.propagate = saved[0], saved[1]
    logger.setLevel(saved[2])


def test_the_function_and_the_library_agree_on_the_log_field_attribute(main_module: Any) -> None:
    assert main_module.LOG_FIELDS == service.LOG_FIELDS


def test_an_exception_is_logged_by_its_type_and_stack_never_its_message(main_module: Any) -> None:
    try:
        raise KeyError("Ada Lovelace +447911123456")
    except KeyError:
        record = logging.LogRecord(
            "grouptier", logging.ERROR, __file__, 1, "run failed", None, sys.exc_info()
        )
    entry = json.loads(main_module.CloudLoggingFormatter().format(record))
    assert entry["severity"] == "ERROR" and entry["exception"] == "KeyError"
    assert "Lovelace" not in json.dumps(entry) and "test_main.py" in entry["stack"]


# --- the deployable source ------------------------------------------------------------


def _requirement_names(lines: list[str]) -> dict[str, str]:
    specs = {}
    for line in lines:
        text = line.split("#", 1)[0].strip()
        if text:
            name = text.split(">", 1)[0].split("<", 1)[0].split("=", 1)[0].split("[", 1)[0]
            specs[name.strip().lower()] = text.replace(" ", "")
    return specs


def test_requirements_txt_matches_the_runtime_dependencies() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = _requirement_names(project["project"]["dependencies"])
    listed = _requirement_names((ROOT / "requirements.txt").read_text().splitlines())
    assert listed == declared
    assert "functions-framework" in listed


def test_the_deployable_source_keeps_what_the_function_needs() -> None:
    ignored = [
        line.strip().rstrip("/")
        for line in (ROOT / ".gcloudignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for needed in ("main.py", "grouptier", "templates", "requirements.txt"):
        assert needed not in ignored and (ROOT / needed).exists()
    assert (ROOT / "templates" / "en").is_dir()


def test_importing_main_does_not_load_the_library_or_pandas() -> None:
    heavy = "{'pandas', 'gspread', 'grouptier', 'openpyxl'}"
    code = f"import sys, main; print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy}))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"
