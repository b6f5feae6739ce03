"""The local .xlsx backend: read the contract's tabs fast, write one batch of changes safely.

Reading (`xlsx_reading`) uses python-calamine, about six times faster than
openpyxl on a 200,000-row Activity tab, bounded to the contract's columns, plus
one pass over each worksheet's XML for cells calamine would show as blank:
formulas saved without their calculated value and cells holding an error.

Writing (`xlsx_writing`) changes the package part by part: only the tabs a run
touches are rewritten, from their own XML, and every other part (other tabs,
charts, pictures, pivot tables, comments, styles, defined names) is copied byte
for byte, so nothing a manager made is lost and a run on a 200,000-row workbook
takes seconds. Every save goes to a temporary file beside the workbook that then
replaces it, so a crash leaves the old file or the new one, never half of one
(`xlsx_files`, which also follows symbolic links to the real file and refuses
hard-linked ones). openpyxl only lays out a new workbook (`xlsx_layout`).

Each part loads when first used (reading, writing, a new workbook): a command
that never opens a workbook, such as `grouptier --help`, loads none of them.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Mapping
from contextlib import AbstractContextManager

from grouptier import sheet
from grouptier.backends.base import ChangeSet
from grouptier.backends.xlsx_files import held_lock, real_path, refuse_hard_link, save_atomically
from grouptier.backends.xlsx_safety import FILE_EXISTS, PACKAGE_ERRORS, open_package
from grouptier.cells import CellValue
from grouptier.errors import WorkbookError
from grouptier.sheet import RawWorkbook

__all__ = ["XlsxBackend", "create_workbook"]


class XlsxBackend:
    """A workbook file on this computer, seen through the `Backend` interface.

    `lock_timeout` is how many seconds `lock()` waits for another run to finish
    before it gives up with `WorkbookBusyError`.
    """

    # Excel's most characters in one cell; Excel cuts a longer text when it opens the file.
    cell_text_limit = 32_767

    def __init__(self, path: str | os.PathLike[str], lock_timeout: float = 5.0) -> None:
        self._path = os.fspath(path)
        self._lock_timeout = lock_timeout

    @property
    def location(self) -> str:
        """The workbook's path, as given."""
        return self._path

    def lock(self) -> AbstractContextManager[None]:
        """Hold `<file>.lock` beside the file (links followed) for a whole run; not reentrant."""
        return held_lock(real_path(self._path), self._lock_timeout, self._path)

    def read(self) -> RawWorkbook:
        """The contract's tabs, cells as the file holds them; `rows[0]` is sheet row 1."""
        from grouptier.backends.xlsx_reading import read_workbook  # lazy: calamine, on first read

        return read_workbook(self._path)

    def write(self, changes: ChangeSet) -> None:
        """Apply `changes` and replace the file in one step, keeping every other part as it is.

        Order: cell updates (rows as read), replacements, deleted rows, appends.
        Formulas keep the values last calculated, moved with their rows.
        """
        if changes.is_empty():
            return
        # Lazy: the writer and openpyxl's formula tools load only when a run writes.
        from grouptier.backends.xlsx_package import Package
        from grouptier.backends.xlsx_reading import damaged
        from grouptier.backends.xlsx_writing import apply_changes

        # Through a symbolic link to the file it names: replacing the link would not change it.
        target = real_path(self._path)
        refuse_hard_link(target, self._path)
        with open_package(target) as archive:
            try:
                package = Package(archive)
                apply_changes(package, changes, self._path)
                # Saving reads the parts it copies: a damaged one shows only then.
                save_atomically(package.save, target, replace=True)
            except PACKAGE_ERRORS as exc:
                raise damaged(target) from exc


def create_workbook(
    path: str | os.PathLike[str], starter_rows: Mapping[str, list[dict[str, CellValue]]]
) -> None:
    """Create a new workbook with every tab of the contract; never overwrites a file.

    `starter_rows` maps a tab name to rows (keyed by column name) written under its headers.
    """
    target = os.fspath(path)
    unknown = set(starter_rows) - {spec.name for spec in sheet.ALL_TABS}
    if unknown:
        raise ValueError(f"starter rows for tabs outside the contract: {sorted(unknown)}")
    if os.path.lexists(target):
        raise WorkbookError(target, FILE_EXISTS)
    # Lazy: openpyxl lays out a new workbook, and the writer adds the starter rows.
    from grouptier.backends.xlsx_layout import new_layout
    from grouptier.backends.xlsx_package import Package
    from grouptier.backends.xlsx_writing import apply_changes

    layout = new_layout()
    rows = {name: list(records) for name, records in starter_rows.items() if records}
    with zipfile.ZipFile(layout) as archive:
        package = Package(archive)
        if rows:
            apply_changes(package, ChangeSet(appends=rows), target)
        save_atomically(package.save, target, replace=False)
