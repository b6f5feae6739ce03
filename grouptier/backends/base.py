"""The interface every backend offers: read all tabs in one go, apply one batch of changes.

The cycle builds a `ChangeSet` and hands it over whole; a backend applies it
all or nothing (an atomic file replace for .xlsx, one batchUpdate for Google
Sheets), so a failure never leaves a half-written sheet.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol

from grouptier.cells import CellValue
from grouptier.sheet import RawWorkbook

Record = dict[str, CellValue]


@dataclass(frozen=True)
class CellUpdate:
    """Set one cell of a data row: `column` is the contract's column name.

    The backend finds the column by its header (ignoring case and spacing) and
    adds it after the last column when the tab does not have it yet.
    """

    tab: str
    row: int
    column: str
    value: CellValue


@dataclass
class ChangeSet:
    """Everything one run writes, applied as one unit.

    - `cell_updates`: single cells of existing rows (a moved member's `group`).
    - `appends`: rows added under the last row of a tab, keyed by column name;
      the tab is created with the contract's headers when missing, where
      `sheet.position_of` puts it (the Status tab first, any other last).
    - `replacements`: tabs whose data rows are all replaced (the Leaderboard,
      the Status row); a missing tab is created the same way.
    - `deleted_rows`: sheet row numbers removed from a tab (Activity rows rolled
      up into History); the remaining rows close up, formatting of the tab kept.
    """

    cell_updates: list[CellUpdate] = field(default_factory=list)
    appends: dict[str, list[Record]] = field(default_factory=dict)
    replacements: dict[str, list[Record]] = field(default_factory=dict)
    deleted_rows: dict[str, list[int]] = field(default_factory=dict)

    def is_empty(self) -> bool:
        """True when applying this would change nothing."""
        return not (
            self.cell_updates
            or any(self.appends.values())
            or self.replacements
            or any(self.deleted_rows.values())
        )


class Backend(Protocol):
    """Where the community's sheet lives."""

    @property
    def location(self) -> str:
        """A human-readable name of the sheet (a path or a sheet URL), without secrets."""
        ...

    @property
    def cell_text_limit(self) -> int:
        """The most characters one cell holds; longer texts are shortened before `write`."""
        ...

    def lock(self) -> AbstractContextManager[None]:
        """Hold this for the whole read-decide-write of a run, so runs cannot interleave."""
        ...

    def read(self) -> RawWorkbook:
        """Every tab of the sheet, cells as the spreadsheet holds them."""
        ...

    def write(self, changes: ChangeSet) -> None:
        """Apply `changes` all or nothing."""
        ...
