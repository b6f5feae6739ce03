"""Pick the backend for what a user typed: a Google Sheet URL or ID, else a local workbook path."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from grouptier import sheet
from grouptier.backends.base import Backend, Record
from grouptier.backends.gsheets import GoogleSheetsBackend, sheet_id_of
from grouptier.backends.sheets_init import prepare_sheet
from grouptier.backends.xlsx import XlsxBackend, create_workbook

__all__ = ["is_google_sheet", "open_backend", "prepare_community"]


def is_google_sheet(target: str | os.PathLike[str]) -> bool:
    """True for a Google Sheets URL or a bare spreadsheet ID that is not an existing file."""
    if not isinstance(target, str) or Path(target).exists():
        return False
    return sheet_id_of(target) is not None and not target.lower().endswith((".xlsx", ".xlsm"))


def open_backend(target: str | os.PathLike[str], key_file: str | None = None) -> Backend:
    """`GoogleSheetsBackend` for a sheet URL or ID, `XlsxBackend` for anything else.

    Google credentials: the service-account key file `key_file` when given,
    else `GOOGLE_APPLICATION_CREDENTIALS` or Application Default Credentials,
    looked up when the sheet is first read.
    """
    if is_google_sheet(target):
        return GoogleSheetsBackend(str(target), key_file=key_file)
    return XlsxBackend(target)


def prepare_community(
    target: str | os.PathLike[str],
    starter_rows: Mapping[str, list[Record]],
    key_file: str | None = None,
) -> list[str]:
    """Create a new workbook, or add the missing tabs to a Google Sheet; the tabs created.

    A local workbook is never overwritten; a Google Sheet keeps every tab it
    already has, so preparing it twice changes nothing the second time.
    """
    if is_google_sheet(target):
        return prepare_sheet(GoogleSheetsBackend(str(target), key_file=key_file), starter_rows)
    create_workbook(target, starter_rows)
    return [spec.name for spec in sheet.ALL_TABS]
