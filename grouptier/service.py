"""The unattended run: one sheet, one trigger, an outcome that a serverless runner answers and logs.

`run_sheet` is the one library call behind both Cloud Function entry points in
`main.py`. It never raises for a failure it knows: every `GrouptierError` becomes
an `Outcome` whose `status` says what happened and whether a retry can help:

    status        what happened                                   retry helps
    done          the due cycles were applied                     -
    dry_run       the due cycles were planned, nothing written    -
    nothing_due   no cycle had closed since the last one          -
    invalid       the sheet breaks the contract (`problems`)      no: a manager must fix it
    busy          another run held the sheet; this one wrote      no: the other run does the work
                  nothing
    unavailable   the Sheets API kept failing (429, 5xx,          yes
                  timeouts) after the backend's own retries
    failed        the sheet cannot be used as configured          no: the deployer must act
                  (not shared, wrong ID, over a limit)
    rejected      no sheet ID, or not a sheet ID                  no: the request is wrong

It logs one record per run on the `grouptier` logger, with the safe fields
(`Outcome.log_fields`) under the record attribute `LOG_FIELDS`: counts and
cell references only, never a member's name or phone number, never a problem's
message or a warning's text (both may quote cell values).
"""

from __future__ import annotations

import logging
import os
import uuid
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from grouptier.errors import (
    GrouptierError,
    InvalidSheetError,
    Problem,
    SheetAccessError,
    SheetBusyError,
    SheetLimitError,
    SheetUnavailableError,
)

__all__ = ["LOG_FIELDS", "RETRYABLE", "RETRY_DEADLINE_ENV", "Outcome", "retry_policy", "run_sheet"]

LOG_FIELDS = "grouptier_fields"
# Seconds one Sheets API request may take with its retries (default 180): keep a run
# inside the trigger's own deadline (Cloud Scheduler: 180 s unless configured).
RETRY_DEADLINE_ENV = "GROUPTIER_RETRY_DEADLINE"
RETRYABLE = frozenset({"unavailable"})
_ALERTING = frozenset({"invalid", "unavailable", "failed", "rejected"})
# Errors whose text is built only from the sheet's URL, counts and advice: safe to log.
_SAFE_DETAIL = (SheetAccessError, SheetBusyError, SheetLimitError, SheetUnavailableError)
if TYPE_CHECKING:
    from grouptier.backends.sheets_http import RetryPolicy

_LOGGED_PROBLEMS = 100  # cells listed in a log entry; `problem_count` has the total
_log = logging.getLogger("grouptier.service")


@dataclass(frozen=True)
class Outcome:
    """What one run on one sheet came to; `as_dict` is the answer, `log_fields` the log entry."""

    status: str
    sheet_id: str
    run_id: str
    trigger: str
    cycles: tuple[int, ...] = ()
    moves: dict[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    messages: int = 0
    written: bool = False
    problems: tuple[Problem, ...] = ()
    error: str = ""  # the error's class name
    detail: str = ""  # the error's message, for the answer
    detail_is_safe: bool = False  # built from no cell value, so it may be logged too
    note: str = ""

    @property
    def retryable(self) -> bool:
        """True only when running again later may succeed where this run failed."""
        return self.status in RETRYABLE

    @property
    def severity(self) -> str:
        """The log level: ERROR for outcomes a person must hear about, else INFO or WARNING."""
        if self.status in _ALERTING:
            return "ERROR"
        return "WARNING" if self.warnings else "INFO"

    def as_dict(self) -> dict[str, Any]:
        """The JSON answer for the caller (who may read the sheet anyway): texts included."""
        return {
            **self._counts(),
            "warnings": list(self.warnings),
            "problems": [
                {"tab": p.tab, "cell": p.cell, "message": p.message} for p in self.problems
            ],
            "detail": self.detail,
            "note": self.note,
        }

    def log_fields(self) -> dict[str, Any]:
        """Counts and cell references only: what may go into the logs."""
        fields = self._counts()
        fields["problems"] = [problem.where for problem in self.problems[:_LOGGED_PROBLEMS]]
        if self.detail_is_safe:
            fields["detail"] = self.detail
        return fields

    def message(self) -> str:
        """A one-line headline for the log, with no text taken from the sheet."""
        cycles = ", ".join(str(number) for number in self.cycles) or "-"
        moves = ", ".join(f"{count} {kind}" for kind, count in sorted(self.moves.items()))
        text = f"grouptier run {self.run_id} on {self.sheet_id or '?'}: {self.status}"
        if self.status in {"done", "dry_run"}:
            text += f", cycle {cycles}: {moves or 'no moves'}"
        if self.problems:
            text += f", {len(self.problems)} problems"
        if self.error:
            text += f" ({self.error})"
        return text

    def _counts(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "retryable": self.retryable,
            "sheet_id": self.sheet_id,
            "run_id": self.run_id,
            "trigger": self.trigger,
            "cycles": list(self.cycles),
            "moves": dict(self.moves),
            "warning_count": len(self.warnings),
            "messages": self.messages,
            "written": self.written,
            "problem_count": len(self.problems),
            "error": self.error,
        }


def run_sheet(sheet_id: str, *, dry_run: bool = False, trigger: str = "schedule") -> Outcome:
    """Run the due cycles of the Google Sheet `sheet_id` (an ID or URL) and log the outcome.

    Credentials are Application Default Credentials: on Cloud Functions, the
    function's own service account, with which the sheet must be shared.
    """
    run_id = uuid.uuid4().hex[:10]
    outcome = _outcome(sheet_id.strip(), dry_run, trigger, run_id)
    _log.log(
        logging.getLevelName(outcome.severity),
        outcome.message(),
        extra={LOG_FIELDS: outcome.log_fields()},
    )
    return outcome


def _outcome(sheet_id: str, dry_run: bool, trigger: str, run_id: str) -> Outcome:
    # Imported here so that a runner importing this module stays cheap until a run starts.
    from grouptier.backends.gsheets import GoogleSheetsBackend, sheet_id_of
    from grouptier.cycle import RunOptions, run

    spreadsheet_id = sheet_id_of(sheet_id) if sheet_id else None
    base = Outcome("rejected", spreadsheet_id or "", run_id, trigger)
    if spreadsheet_id is None:
        reason = "not a Google Sheets ID or URL" if sheet_id else "no sheet ID given"
        return replace(base, error="UsageError", detail=reason, detail_is_safe=True)
    options = RunOptions(dry_run=dry_run, trigger=trigger, run_id=run_id)
    try:
        report = run(GoogleSheetsBackend(spreadsheet_id, policy=retry_policy()), options)
    except InvalidSheetError as error:
        return replace(base, status="invalid", problems=tuple(error.problems), error=_name(error))
    except GrouptierError as error:
        return replace(
            base,
            status=_status_of(error),
            error=_name(error),
            detail=str(error),
            detail_is_safe=isinstance(error, _SAFE_DETAIL),
        )
    return replace(
        base,
        status=report.status,
        cycles=tuple(plan.window.cycle for plan in report.plans),
        moves=report.move_counts(),
        warnings=report.warnings,
        messages=report.messages,
        written=report.written,
        note=report.note,
    )


def retry_policy() -> RetryPolicy | None:
    """The retry policy `GROUPTIER_RETRY_DEADLINE` asks for; None for the client's default."""
    from grouptier.backends.sheets_http import RetryPolicy

    try:
        deadline = float(os.environ.get(RETRY_DEADLINE_ENV, ""))
    except ValueError:
        return None  # unset or unreadable: the backend's default
    return RetryPolicy(deadline=deadline, max_delay=min(32.0, deadline)) if deadline > 0 else None


def _status_of(error: GrouptierError) -> str:
    if isinstance(error, SheetUnavailableError):
        return "unavailable"
    if isinstance(error, SheetBusyError):
        return "busy"
    return "failed"


def _name(error: Exception) -> str:
    return type(error).__name__
