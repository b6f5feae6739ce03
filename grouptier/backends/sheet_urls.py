"""Telling a Google Sheet's URL or ID from a local path, without loading the Google client.

Kept apart from `gsheets` so that choosing a backend for a local workbook does
not import gspread and google-auth (a quarter of a second at start-up).
"""

from __future__ import annotations

import re

__all__ = ["sheet_id_of"]

_URL_ID = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]+)")
_BARE_ID = re.compile(r"^[A-Za-z0-9_-]{20,}$")


def sheet_id_of(target: str) -> str | None:
    """The spreadsheet ID in a sheet URL, or `target` itself when it looks like a bare ID."""
    match = _URL_ID.search(target)
    if match:
        return match.group(1)
    return target if _BARE_ID.match(target) else None
