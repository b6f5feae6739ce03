"""Every error grouptier raises on purpose, in one family.

    GrouptierError
    ├── InvalidSheetError      the sheet breaks the contract; carries every Problem found
    ├── WorkbookError          a local workbook cannot be opened, read or written
    │   └── WorkbookBusyError  another run holds the workbook's lock
    ├── SheetError             a Google Sheet cannot be reached, read or written
    │   ├── SheetAccessError   403/404/401: not shared with us, a wrong ID, bad credentials
    │   ├── SheetUnavailableError  the API kept failing (429, 5xx, timeouts) after retries
    │   │   └── SheetUnsureError   a write went unanswered and could not be checked
    │   ├── SheetBusyError     another run changed or claimed the sheet; this one wrote nothing
    │   └── SheetLimitError    the change would break a Google Sheets limit (10 million cells)
    ├── PublishError           Pub/Sub refused a publish, or kept failing (the dispatcher)
    ├── ChatExportError        a chat export cannot be read: not a chat or not a file; a zip
    │                          damaged, cut short, locked or unpacking to far too much
    ├── TemplateError          a bundled message template is broken (file and line)
    ├── UndoError              a cycle cannot be undone (none done, a later one, ticked moves)
    └── UsageError             a request that makes no sense (a cycle that has not closed)

Each error keeps its details as fields and builds its message from them, so
the CLI and the Cloud Function can show or serialise them without parsing text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


class GrouptierError(Exception):
    """Base of every error grouptier raises on purpose."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the sheet, located as precisely as possible.

    `cell` is an A1 reference inside `tab` ("C14"), a column ("C") or empty
    when the problem concerns the whole tab.
    """

    tab: str
    cell: str
    message: str

    @property
    def where(self) -> str:
        """`Members!C14`, `Members!C` or `Members`."""
        return f"{self.tab}!{self.cell}" if self.cell else self.tab

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class InvalidSheetError(GrouptierError):
    """The sheet breaks the contract; `problems` lists all that was found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=_sheet_order)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"The sheet has {count} {noun}; nothing was changed:\n{lines}")


class WorkbookError(GrouptierError):
    """A local workbook cannot be opened, read or written."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class WorkbookBusyError(WorkbookError):
    """Another run is writing the same workbook."""

    def __init__(self, path: str) -> None:
        super().__init__(
            path, "another grouptier run is using this workbook; try again when it has finished"
        )


class SheetError(GrouptierError):
    """A Google Sheet cannot be reached, read or written; `sheet` is its URL."""

    def __init__(self, sheet: str, reason: str) -> None:
        self.sheet = sheet
        self.reason = reason
        super().__init__(f"{sheet}: {reason}")


class SheetAccessError(SheetError):
    """The API refused us the sheet (HTTP `status`): the message says what a manager can do."""

    def __init__(self, sheet: str, status: int, account: str = "", google_says: str = "") -> None:
        self.status = status
        self.account = account
        self.google_says = google_says  # the API's own reason, when it gave one
        super().__init__(sheet, _access_advice(status, account, google_says))


class SheetUnavailableError(SheetError):
    """The Sheets API kept failing after every retry; nothing was half-written."""

    def __init__(self, sheet: str, attempts: int, last: str) -> None:
        self.attempts = attempts
        self.last = last
        super().__init__(
            sheet,
            f"Google Sheets did not answer after {attempts} attempts (last: {last}); "
            "nothing was changed by the failed request. Try again in a few minutes.",
        )


class SheetUnsureError(SheetUnavailableError):
    """A write went unanswered and Google could not be asked whether it was applied.

    Nothing may be marked on the sheet then: the write may have finished the
    run's record (`done`), and overwriting it would let the next run apply
    the same cycle again.
    """

    def __init__(self, sheet: str, attempts: int, last: str) -> None:
        self.attempts = attempts
        self.last = last
        SheetError.__init__(
            self,
            sheet,
            f"Google Sheets did not confirm whether this run's changes were applied (last: "
            f"{last}). The Runs tab tells: this run's row says done if they were, claimed if "
            "they were not. Run again in ten minutes: a run never applies a cycle twice.",
        )


class SheetBusyError(SheetError):
    """Another run changed or claimed the sheet while this one was deciding; it wrote nothing."""

    def __init__(self, sheet: str, other: str) -> None:
        self.other = other
        super().__init__(
            sheet,
            f"another grouptier run ({other}) was working on this sheet at the same time; "
            "this run changed nothing (see the Runs tab)",
        )


class SheetLimitError(SheetError):
    """The change would take the spreadsheet past one of Google's limits."""

    def __init__(self, sheet: str, cells: int, limit: int) -> None:
        self.cells = cells
        self.limit = limit
        super().__init__(
            sheet,
            f"the spreadsheet would hold {cells:,} cells, over Google's limit of {limit:,}; "
            "nothing was written. Delete unused tabs, rows or columns (empty ones count too), "
            "or lower activity_keep_cycles (old Activity rows move to History sooner) or "
            "leaderboard_keep_cycles (the Leaderboard keeps fewer cycles).",
        )


class PublishError(GrouptierError):
    """Pub/Sub did not take the dispatcher's messages; `retryable` when a later try may succeed.

    `published` counts the messages Pub/Sub had accepted before the failure:
    a retry publishes them again, which is harmless (a run is applied once
    per cycle whatever triggers it).
    """

    def __init__(self, topic: str, reason: str, *, retryable: bool, published: int = 0) -> None:
        self.topic = topic
        self.reason = reason
        self.retryable = retryable
        self.published = published
        super().__init__(f"{topic}: {reason}")


class ChatExportError(GrouptierError):
    """A WhatsApp chat export cannot be read: `reason` says why and what to do.

    Not a chat, not a regular file (a folder, a pipe, a device), or a zip that
    is empty, damaged, cut short, protected by a password or unpacks to more
    than its limit.
    """

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class TemplateError(GrouptierError):
    """A bundled message template cannot be rendered; names the file and the line.

    Managers' overrides from the Templates tab are sheet input instead: their
    problems are an `InvalidSheetError` naming the cell.
    """

    def __init__(self, template: str, line: int | None, reason: str) -> None:
        self.template = template
        self.line = line
        self.reason = reason
        where = f"{template}, line {line}" if line else template
        super().__init__(f"{where}: {reason}")


class UndoError(GrouptierError):
    """A cycle cannot be undone as asked; the message says why and what to do."""


class UsageError(GrouptierError):
    """A request that cannot be carried out as asked."""


def _access_advice(status: int, account: str, google_says: str = "") -> str:
    who = account or "the service account grouptier runs as"
    if status == 403 and _API_DISABLED.search(google_says):
        return (
            "the Google Sheets API is not enabled in the Google Cloud project grouptier runs "
            "in (403). Enable it (`gcloud services enable sheets.googleapis.com`), wait a few "
            f"minutes, then run again. Google said: {google_says}"
        )
    if status == 404:
        return (
            "no spreadsheet has this ID (404). Check the URL or ID: copy it from the address "
            "bar of the open sheet (the part between /d/ and /edit)."
        )
    if status == 401:
        return (
            "Google did not accept the credentials (401). Check GOOGLE_APPLICATION_CREDENTIALS "
            "or run `gcloud auth application-default login` again."
        )
    return (
        f"grouptier may not open this sheet (403). Open the sheet, click Share and add {who} "
        "as an Editor; also check that the Google Sheets API is enabled for the project."
    )


# How Google words a 403 that comes from the project, not the sheet's sharing.
_API_DISABLED = re.compile(r"has not been used in project|is disabled|SERVICE_DISABLED", re.I)


def _sheet_order(problem: Problem) -> tuple[str, int, int, str]:
    """Tab, then row, then column: the order a manager reads the sheet in."""
    match = re.match(r"([A-Za-z]*)(\d*)", problem.cell)
    letters, digits = match.groups() if match else ("", "")
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return (problem.tab, int(digits) if digits else 0, column, problem.message)
