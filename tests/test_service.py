"""`grouptier.service.run_sheet` in this process, against the local Sheets API fake.

The Cloud Function's own tests (test_main.py) run the same calls through the
real functions-framework server; these pin each outcome and what is logged.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SheetBuilder
from sheets_fake import Fault, SheetsFake
from sheets_support import SHEET_ID, load_workbook, write_service_account_key

from grouptier.backends.sheets_http import RetryPolicy
from grouptier.errors import Problem
from grouptier.service import LOG_FIELDS, RETRY_DEADLINE_ENV, Outcome, retry_policy, run_sheet

ACCOUNT = "grouptier-fn@community-project.iam.gserviceaccount.com"


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SheetsFake]:
    """The fake, with Application Default Credentials and the endpoint pointing at it."""
    service = SheetsFake().start()
    key_file = write_service_account_key(tmp_path / "key.json", service, ACCOUNT)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
    monkeypatch.setenv("GROUPTIER_SHEETS_ENDPOINT", service.url)
    monkeypatch.setenv(RETRY_DEADLINE_ENV, "0.5")
    yield service
    service.stop()


def _fields(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    return [getattr(r, LOG_FIELDS) for r in caplog.records if r.name == "grouptier.service"]


def test_a_run_with_nothing_due_on_a_new_sheet_logs_its_counts(
    fake: SheetsFake, sheet: SheetBuilder, caplog: pytest.LogCaptureFixture
) -> None:
    sheet.settings["cycle_anchor"] = "2099-01-01"
    sheet.active_member("Core", name="Ada Lovelace")
    load_workbook(fake, sheet.workbook())
    with caplog.at_level(logging.INFO, logger="grouptier"):
        outcome = run_sheet(f"https://docs.google.com/spreadsheets/d/{SHEET_ID}/edit")
    assert outcome.status == "nothing_due" and not outcome.retryable
    assert outcome.sheet_id == SHEET_ID and "No cycle has closed yet" in outcome.note
    [fields] = _fields(caplog)
    assert fields["status"] == "nothing_due" and fields["run_id"] == outcome.run_id
    assert [r.levelname for r in caplog.records if r.name == "grouptier.service"] == ["INFO"]
    assert "Lovelace" not in caplog.text


def test_an_invalid_sheet_logs_cells_and_answers_messages(
    fake: SheetsFake, sheet: SheetBuilder, caplog: pytest.LogCaptureFixture
) -> None:
    sheet.member("Genral", name="Ada Lovelace")
    load_workbook(fake, sheet.workbook())
    with caplog.at_level(logging.INFO, logger="grouptier"):
        outcome = run_sheet(SHEET_ID, trigger="pubsub")
    assert outcome.status == "invalid" and outcome.severity == "ERROR"
    assert outcome.as_dict()["problems"][0]["cell"] == "C2"
    assert "Genral" in outcome.as_dict()["problems"][0]["message"]
    assert _fields(caplog)[0]["problems"] == ["Members!C2"]
    assert "Genral" not in caplog.text and "detail" not in _fields(caplog)[0]
    assert fake.values(SHEET_ID, "Runs")[1][4:6] == ["pubsub", "invalid"]


def test_an_anchor_a_century_back_is_an_invalid_sheet_naming_its_cell(
    fake: SheetsFake, sheet: SheetBuilder
) -> None:
    sheet.settings["cycle_anchor"] = "1900-01-01"  # scenario 22, run by the scheduler
    load_workbook(fake, sheet.workbook())
    outcome = run_sheet(SHEET_ID)
    assert outcome.status == "invalid" and not outcome.retryable
    assert [problem.where for problem in outcome.problems] == ["Settings!B2"]
    assert [row[5] for row in fake.values(SHEET_ID, "Runs")[1:]] == ["invalid"]


def test_a_sheet_not_shared_fails_with_advice_that_may_be_logged(
    fake: SheetsFake, sheet: SheetBuilder, caplog: pytest.LogCaptureFixture
) -> None:
    load_workbook(fake, sheet.workbook())
    fake.forbidden.add(SHEET_ID)
    with caplog.at_level(logging.INFO, logger="grouptier"):
        outcome = run_sheet(SHEET_ID)
    assert outcome.status == "failed" and outcome.error == "SheetAccessError"
    assert ACCOUNT in outcome.detail and ACCOUNT in str(_fields(caplog)[0]["detail"])


def test_a_sheets_api_that_keeps_failing_is_retryable(
    fake: SheetsFake, sheet: SheetBuilder
) -> None:
    load_workbook(fake, sheet.workbook())
    fake.inject(Fault(status=503, when="GET", times=100))
    outcome = run_sheet(SHEET_ID)
    assert outcome.status == "unavailable" and outcome.retryable
    assert outcome.as_dict()["retryable"] is True and "503" in outcome.detail


@pytest.mark.parametrize("target", ["", "  ", "community.xlsx"], ids=["empty", "blank", "file"])
def test_a_missing_or_wrong_sheet_id_is_rejected(target: str) -> None:
    outcome = run_sheet(target)
    assert outcome.status == "rejected" and outcome.severity == "ERROR"
    assert outcome.log_fields()["detail"] in {"no sheet ID given", "not a Google Sheets ID or URL"}


@pytest.mark.parametrize(
    ("value", "policy"),
    [
        ("", None),
        ("soon", None),
        ("0", None),
        ("20", RetryPolicy(deadline=20.0, max_delay=20.0)),
        ("600", RetryPolicy(deadline=600.0, max_delay=32.0)),
    ],
    ids=["unset", "unreadable", "zero", "short", "long"],
)
def test_the_retry_deadline_comes_from_the_environment(
    value: str, policy: RetryPolicy | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(RETRY_DEADLINE_ENV, value)
    assert retry_policy() == policy


def test_the_headline_names_the_cycles_and_moves_but_no_sheet_text() -> None:
    done = Outcome("done", SHEET_ID, "abc", "schedule", (3, 4), {"promote": 2, "demote": 1})
    assert done.message() == (
        f"grouptier run abc on {SHEET_ID}: done, cycle 3, 4: 1 demote, 2 promote"
    )
    warned = Outcome("done", SHEET_ID, "abc", "schedule", warnings=("Members row 4 ...",))
    assert warned.severity == "WARNING" and warned.log_fields()["warning_count"] == 1
    assert "Members row 4" not in json.dumps(warned.log_fields())
    invalid = Outcome("invalid", "", "abc", "http", problems=(Problem("Groups", "B2", "x"),))
    assert invalid.message() == "grouptier run abc on ?: invalid, 1 problems"
