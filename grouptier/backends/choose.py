"""Pick the backend for what a user typed: a Google Sheet URL or ID, else a local workbook path.

Each backend is imported only once it is picked: a user of a local workbook never
waits for the Google client (gspread, google-auth: a quarter of a second at start),
and the Cloud Function never loads the workbook libraries.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from grouptier import sheet
from grouptier.backends.base import Backend, Record
from grouptier.backends.sheet_urls import sheet_id_of

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
        from grouptier.backends.gsheets import GoogleSheetsBackend  # lazy: the Google client

        return GoogleSheetsBackend(str(target), key_file=key_file)
    from grouptier.backends.xlsx import XlsxBackend  # lazy: calamine and the writer

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
        # Lazy: the Google client loads only for a Google Sheet.
        from grouptier.backends.gsheets import GoogleSheetsBackend
        from grouptier.backends.sheets_init import prepare_sheet

        return prepare_sheet(GoogleSheetsBackend(str(target), key_file=key_file), starter_rows)
    from grouptier.backends.xlsx import create_workbook  # lazy: openpyxl lays out a new workbook

    create_workbook(target, starter_rows)
    return [spec.name for spec in sheet.ALL_TABS]
