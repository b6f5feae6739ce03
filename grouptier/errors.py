"""Every error grouptier raises on purpose, in one family.

    GrouptierError
    ├── InvalidSheetError      the sheet breaks the contract; carries every Problem found
    ├── WorkbookError          a local workbook cannot be opened, read or written
    │   ├── UnsafeWriteError   writing in place would lose parts of the workbook
    │   └── WorkbookBusyError  another run holds the workbook's lock
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


class UnsafeWriteError(WorkbookError):
    """Writing the workbook in place would lose parts a manager made."""

    def __init__(self, path: str, parts: list[str]) -> None:
        self.parts = parts
        listed = ", ".join(parts)
        super().__init__(
            path,
            f"this workbook holds parts that grouptier cannot keep when it saves ({listed}). "
            "Nothing was written. Move those parts to another file, or run with --dry-run "
            "to see the results without writing.",
        )


class WorkbookBusyError(WorkbookError):
    """Another run is writing the same workbook."""

    def __init__(self, path: str) -> None:
        super().__init__(
            path, "another grouptier run is using this workbook; try again when it has finished"
        )


class UsageError(GrouptierError):
    """A request that cannot be carried out as asked."""


def _sheet_order(problem: Problem) -> tuple[str, int, int, str]:
    """Tab, then row, then column: the order a manager reads the sheet in."""
    match = re.match(r"([A-Za-z]*)(\d*)", problem.cell)
    letters, digits = match.groups() if match else ("", "")
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return (problem.tab, int(digits) if digits else 0, column, problem.message)
