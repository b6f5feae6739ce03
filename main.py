"""Cloud Function entry points: parse the trigger, call `grouptier.service.run_sheet`, answer.

- `run_http`: Cloud Scheduler (HTTP target, OIDC token checked by the platform,
  since the function is deployed with --no-allow-unauthenticated). Optional
  JSON body: `{"sheet_id": "...", "dry_run": true}`.
- `run_pubsub`: a Pub/Sub CloudEvent. Optional message attributes `sheet_id`
  and `dry_run`.
- `dispatch_http`: Cloud Scheduler, every hour at minute 0 (UTC), private like
  `run_http`: publishes one message to `GROUPTIER_TOPIC` for each community of
  the registry sheet `GROUPTIER_REGISTRY_ID` whose local run hour has come
  (`grouptier.dispatch`). The hour is the one Scheduler names in its
  `X-CloudScheduler-ScheduleTime` header (so a retry at 06:04 still dispatches
  06:00), else the clock; a JSON body `{"at": "2026-12-07T06:00:00Z"}`
  dispatches another hour (a missed hour after an outage, or a test).

Configuration: `GROUPTIER_SHEET_ID` (the sheet's ID or URL, used when the
trigger names none) and `GROUPTIER_DRY_RUN` (1/true/yes: plan, write nothing).
Credentials: Application Default Credentials only.

Answers (see README, "Deploy"): 200 with a JSON summary for every outcome a
retry cannot change (done, nothing due, dry run, invalid sheet, busy, failed);
503 when the Sheets API kept failing (worth retrying); 400 for a request with
no usable sheet ID; 500 for an unexpected error. The CloudEvent function
raises only when a retry may help, so that Pub/Sub redelivers the message.

Logs are JSON lines on stdout in the shape Cloud Logging reads (`severity`,
`message`, then the run's counts); they never hold a member's name or number.
The library (pandas, gspread) is imported on the first run, not at start.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import functions_framework

if TYPE_CHECKING:
    import flask
    from cloudevents.http.event import CloudEvent

    from grouptier.backends.sheets_http import RetryPolicy
    from grouptier.service import Outcome

SHEET_ENV = "GROUPTIER_SHEET_ID"
REGISTRY_ENV = "GROUPTIER_REGISTRY_ID"
TOPIC_ENV = "GROUPTIER_TOPIC"
DRY_RUN_ENV = "GROUPTIER_DRY_RUN"
LOG_FIELDS = "grouptier_fields"  # the record attribute grouptier.service puts its fields under
_TRUE = {"1", "true", "yes", "on"}
_STATUS_CODES = {"unavailable": 503, "rejected": 400}
_SCHEDULE_TIME = "X-CloudScheduler-ScheduleTime"


class CloudLoggingFormatter(logging.Formatter):
    """One JSON object per line: `severity`, `message`, `time`, the run's fields.

    An exception is logged by its type and the files, lines and functions of
    its stack only: its message may quote a cell value.
    """

    def format(self, record: logging.LogRecord) -> str:
        """The record as a Cloud Logging structured entry."""
        entry: dict[str, Any] = {
            "severity": record.levelname,
            "message": record.getMessage(),
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "logger": record.name,
        }
        entry.update(getattr(record, LOG_FIELDS, {}))
        if record.exc_info and record.exc_info[0] is not None:
            kind, _, stack = record.exc_info
            entry["exception"] = kind.__name__
            entry["stack"] = "\n".join(
                f"{frame.filename}:{frame.lineno} in {frame.name}"
                for frame in traceback.extract_tb(stack)
            )
        return json.dumps(entry, ensure_ascii=False, default=str)


def _configure_logging() -> logging.Logger:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(CloudLoggingFormatter())
    logger = logging.getLogger("grouptier")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger


_log = _configure_logging()


@functions_framework.http
def run_http(request: flask.Request) -> tuple[str, int, dict[str, str]]:
    """Cloud Scheduler's HTTP target: run the due cycle and answer with its summary."""
    # Cloud Scheduler sends application/octet-stream unless told otherwise.
    body = _mapping(request.get_json(silent=True, force=True))
    trigger = "schedule" if "X-CloudScheduler" in request.headers else "http"
    try:
        outcome = _run(body.get("sheet_id"), body.get("dry_run"), trigger)
    except Exception:
        _log.exception("grouptier run failed unexpectedly")
        return _json({"status": "error", "retryable": True}, 500)
    return _json(outcome.as_dict(), _STATUS_CODES.get(outcome.status, 200))


@functions_framework.cloud_event
def run_pubsub(event: CloudEvent) -> None:
    """A Pub/Sub message: run the due cycle; raise only when a retry may succeed."""
    attributes = _mapping(_mapping(_mapping(event.data).get("message")).get("attributes"))
    try:
        outcome = _run(attributes.get("sheet_id"), attributes.get("dry_run"), "pubsub")
    except Exception:
        _log.exception("grouptier run failed unexpectedly")
        raise RuntimeError("grouptier run failed unexpectedly; see the log entry") from None
    if outcome.retryable:
        # Pub/Sub redelivers the message; the text names the run, never the sheet's contents.
        raise RuntimeError(f"grouptier run {outcome.run_id}: {outcome.status}, will be retried")


@functions_framework.http
def dispatch_http(request: flask.Request) -> tuple[str, int, dict[str, str]]:
    """Cloud Scheduler's hourly target: publish the due communities, answer with the counts."""
    from grouptier.dispatch import dispatch_registry, parse_instant

    body = _mapping(request.get_json(silent=True, force=True))
    asked = body.get("at") or request.headers.get(_SCHEDULE_TIME)
    try:
        at = parse_instant(str(asked)) if asked else datetime.now(UTC)
    except ValueError:
        detail = "`at` must be an ISO 8601 instant with its offset, e.g. 2026-12-07T06:00:00Z"
        return _json({"status": "rejected", "retryable": False, "detail": detail}, 400)
    registry, topic = os.environ.get(REGISTRY_ENV, ""), os.environ.get(TOPIC_ENV, "")
    try:
        outcome = dispatch_registry(registry, topic, at, policy=_retry_policy())
    except Exception:
        _log.exception("grouptier dispatch failed unexpectedly")
        return _json({"status": "error", "retryable": True}, 500)
    return _json(outcome.as_dict(), _STATUS_CODES.get(outcome.status, 200))


def _retry_policy() -> RetryPolicy | None:
    from grouptier.service import retry_policy

    return retry_policy()


def _run(sheet_id: object, dry_run: object, trigger: str) -> Outcome:
    from grouptier.service import run_sheet

    target = str(sheet_id) if sheet_id else os.environ.get(SHEET_ENV, "")
    dry = _truthy(dry_run) or _truthy(os.environ.get(DRY_RUN_ENV))
    return run_sheet(target, dry_run=dry, trigger=trigger)


def _mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _truthy(value: object) -> bool:
    return value is True or str(value or "").strip().lower() in _TRUE


def _json(body: dict[str, Any], status: int) -> tuple[str, int, dict[str, str]]:
    return json.dumps(body, ensure_ascii=False), status, {"Content-Type": "application/json"}
