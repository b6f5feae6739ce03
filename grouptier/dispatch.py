"""The dispatcher: once an hour, one Pub/Sub message per community whose local run hour has come.

Cloud Scheduler calls `main.dispatch_http` at minute 0 of every UTC hour;
`dispatch_registry` reads the admin sheet's `Communities` tab (two Sheets
API read requests, whatever the number of communities), picks the due
communities (`registry.due_communities`) and publishes one message each to
the topic that `main.run_pubsub` is subscribed to. Each message carries the
attributes `sheet_id`, `slot` (the UTC hour, `2026-12-07T06Z`) and
`registry_row`. A message delivered twice, or a whole hour dispatched
twice (a Scheduler retry after a partial publish), is harmless: a run
applies a community's cycle at most once whatever triggers it (the claim
row in the sheet's `Runs` tab), so a second run of the same slot finds
nothing due.

Like `service.run_sheet`, `dispatch_registry` never raises for a failure it
knows: the `DispatchOutcome` says what happened and whether Scheduler's
retry can help. Logs hold counts, the slot and cell references only: never
a community's sheet ID, which a bad row's message may quote.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from google.auth.credentials import Credentials

from grouptier.backends.gsheets import GoogleSheetsBackend, sheet_id_of
from grouptier.backends.sheets_http import RetryPolicy
from grouptier.backends.sheets_requests import cells_from_api, quoted
from grouptier.cells import column_letter, normalise
from grouptier.errors import (
    GrouptierError,
    InvalidSheetError,
    Problem,
    PublishError,
    SheetUnavailableError,
    UsageError,
)
from grouptier.pubsub import Message, Publisher
from grouptier.registry import (
    COMMUNITIES,
    MAX_ROWS,
    RegistryEntry,
    due_communities,
    read_registry,
    slot_of,
)
from grouptier.service import LOG_FIELDS
from grouptier.sheet import RawTab, RawWorkbook

__all__ = ["DispatchOutcome", "community_message", "dispatch_registry", "parse_instant"]

# Enough columns for the four of the contract and a manager's notes beside them.
READ_COLUMNS = 26
# As the backend reads community sheets: numbers as numbers (a run_hour of 6 is 6, not "6").
READ_PARAMS = {"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "SERIAL_NUMBER"}
_LOGGED_PROBLEMS = 100
_log = logging.getLogger("grouptier.dispatch")


@dataclass(frozen=True)
class DispatchOutcome:
    """What one hourly dispatch came to: `as_dict` is the HTTP answer, `log_fields` the log.

    status: `dispatched` (the due communities were published, bad rows
    aside), `invalid` (the Communities tab or its header is missing),
    `failed` (the registry cannot be opened, or Pub/Sub refused the topic),
    `unavailable` (Sheets or Pub/Sub kept failing: retry), `rejected`
    (the deployment names no registry or topic).
    """

    status: str
    slot: str
    communities: int = 0
    enabled: int = 0
    due: int = 0
    published: int = 0
    problems: tuple[Problem, ...] = ()
    error: str = ""
    detail: str = ""

    @property
    def retryable(self) -> bool:
        """True only when dispatching the same hour again may succeed."""
        return self.status == "unavailable"

    @property
    def severity(self) -> str:
        """ERROR when a person must act (bad rows included: those communities are not run)."""
        return "INFO" if self.status == "dispatched" and not self.problems else "ERROR"

    def as_dict(self) -> dict[str, Any]:
        """The answer for Cloud Scheduler (and a person running it by hand): texts included."""
        problems = [{"tab": p.tab, "cell": p.cell, "message": p.message} for p in self.problems]
        return {**self._counts(), "problems": problems, "detail": self.detail}

    def log_fields(self) -> dict[str, Any]:
        """Counts and cell references only; `detail` is built from IDs and Google's reasons."""
        fields = self._counts()
        fields["problems"] = [problem.where for problem in self.problems[:_LOGGED_PROBLEMS]]
        fields["detail"] = self.detail
        return fields

    def message(self) -> str:
        """The log headline."""
        text = f"grouptier dispatch {self.slot}: {self.status}, {self.published} of {self.due} due"
        if self.problems:
            text += f", {len(self.problems)} bad registry rows"
        return text + (f" ({self.error})" if self.error else "")

    def _counts(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "retryable": self.retryable,
            "slot": self.slot,
            "communities": self.communities,
            "enabled": self.enabled,
            "due": self.due,
            "published": self.published,
            "problem_count": len(self.problems),
            "error": self.error,
        }


def dispatch_registry(
    registry: str,
    topic: str,
    now: datetime,
    *,
    credentials: Credentials | None = None,
    policy: RetryPolicy | None = None,
) -> DispatchOutcome:
    """Publish a message for each community of `registry` due at `now`; log and return the outcome.

    `registry` is the admin sheet's URL or ID, `topic` is `projects/P/topics/T`.
    Credentials: `credentials` when given (tests), else Application Default
    Credentials for both Google Sheets and Pub/Sub.
    """
    outcome = _outcome(registry, topic, now, credentials, policy)
    _log.log(
        logging.getLevelName(outcome.severity),
        outcome.message(),
        extra={LOG_FIELDS: outcome.log_fields()},
    )
    return outcome


def community_message(entry: RegistryEntry, slot: str) -> Message:
    """The message that makes `run_pubsub` run one community for one slot."""
    attributes = {"sheet_id": entry.sheet_id, "slot": slot, "registry_row": str(entry.row)}
    return Message(json.dumps(attributes, sort_keys=True).encode(), attributes)


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant with its offset (`2026-12-07T06:00:00Z`); raise ValueError otherwise."""
    instant = datetime.fromisoformat(text.strip())
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{text!r} has no time zone offset; add Z for UTC")
    return instant


def read_communities(backend: GoogleSheetsBackend) -> RawWorkbook:
    """The admin sheet's `Communities` tab(s), bounded to MAX_ROWS + 1 data rows.

    A second tab of the same name is listed empty, so `read_registry` reports both.
    """
    metadata = backend.http.fetch_sheet_metadata(backend.spreadsheet_id)
    titles = [str(entry["properties"]["title"]) for entry in metadata.get("sheets", [])]
    found = [title for title in titles if normalise(title) == normalise(COMMUNITIES.name)]
    if not found:
        return RawWorkbook()
    area = f"{quoted(found[0])}!A1:{column_letter(READ_COLUMNS - 1)}{MAX_ROWS + 2}"
    answer = backend.http.values_batch_get(backend.spreadsheet_id, [area], dict(READ_PARAMS))
    ranges = answer.get("valueRanges", [{}])
    tabs = {found[0]: RawTab(found[0], cells_from_api(ranges[0].get("values", [])))}
    tabs |= {title: RawTab(title, []) for title in found[1:]}
    return RawWorkbook(tabs)


def _outcome(
    registry: str,
    topic: str,
    now: datetime,
    credentials: Credentials | None,
    policy: RetryPolicy | None,
) -> DispatchOutcome:
    base = DispatchOutcome("rejected", slot_of(now))
    if sheet_id_of(registry.strip()) is None:
        reason = "not a Google Sheets URL or ID" if registry.strip() else "no registry configured"
        return replace(base, error="UsageError", detail=f"the registry sheet: {reason}")
    try:
        publisher = Publisher(topic, credentials=credentials, policy=policy)
        backend = GoogleSheetsBackend(registry.strip(), credentials=credentials, policy=policy)
        found = read_registry(read_communities(backend))
    except InvalidSheetError as error:
        return replace(base, status="invalid", problems=tuple(error.problems), error=_name(error))
    except GrouptierError as error:
        return replace(base, status=_status_of(error), error=_name(error), detail=str(error))
    due = due_communities(found.entries, now)
    counted = replace(
        base,
        status="dispatched",
        communities=len(found.entries),
        enabled=len(found.enabled),
        due=len(due),
        problems=found.problems,
    )
    if not due:
        return counted
    try:
        ids = publisher.publish([community_message(entry, base.slot) for entry in due])
    except PublishError as error:
        failed = replace(counted, published=error.published, error=_name(error))
        return replace(failed, status=_status_of(error), detail=str(error))
    return replace(counted, published=len(ids))


def _status_of(error: GrouptierError) -> str:
    if isinstance(error, SheetUnavailableError):
        return "unavailable"
    if isinstance(error, PublishError):
        return "unavailable" if error.retryable else "failed"
    return "rejected" if isinstance(error, UsageError) else "failed"


def _name(error: Exception) -> str:
    return type(error).__name__
