"""Helpers for tests of the Google Sheets backend: load a community into the fake, open it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.oauth2.credentials import Credentials
from sheets_fake import SheetsFake

from grouptier.backends.base import Backend
from grouptier.backends.gsheets import GoogleSheetsBackend
from grouptier.backends.sheets_http import RetryPolicy
from grouptier.backends.xlsx import XlsxBackend
from grouptier.sheet import ALL_TABS, RawWorkbook

SHEET_ID = "1CommunitySheetForTests_0123456789abcdef"
# Fast retries, but patient reads: a loaded CI machine may take many seconds to serve a big tab,
# and a timeout there would add a retry that the request-count tests would see.
FAST = RetryPolicy(attempts=4, first_delay=0.001, max_delay=0.01, deadline=300, timeout=(10, 120))


def load_workbook(fake: SheetsFake, raw: RawWorkbook, sheet_id: str = SHEET_ID) -> None:
    """The community `raw` as a Google Sheet, with every tool tab present (headers only)."""
    fake.create(sheet_id, tabs=())
    for name, tab in raw.tabs.items():
        fake.load(sheet_id, name, tab.rows)
    for spec in ALL_TABS:
        if spec.name not in raw.tabs and spec.tool_owned:
            fake.load(sheet_id, spec.name, [list(spec.headers)])


def open_sheet(fake: SheetsFake, sheet_id: str = SHEET_ID, **options: Any) -> GoogleSheetsBackend:
    """The backend on the fake, as the CLI would open it, with a fixed token and fast retries."""
    options.setdefault("policy", FAST)
    return GoogleSheetsBackend(
        f"https://docs.google.com/spreadsheets/d/{sheet_id}/edit#gid=0",
        credentials=Credentials(token="test"),  # type: ignore[no-untyped-call]
        endpoint=fake.url,
        **options,
    )


def write_service_account_key(path: Path, fake: SheetsFake, account: str) -> Path:
    """A real service-account key file whose tokens come from the fake's /token endpoint."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    key_file = {
        "type": "service_account",
        "project_id": "community-project",
        "private_key_id": "1",
        "private_key": pem,
        "client_email": account,
        "client_id": "1",
        "token_uri": f"{fake.url}/token",
    }
    path.write_text(json.dumps(key_file))
    return path


Opener = Callable[[], Backend]


def opener_for(kind: str, raw: RawWorkbook, tmp_path: Path, fake: SheetsFake | None) -> Opener:
    """A function opening the community `raw` afresh: as an .xlsx file, or in the fake.

    For tests that run the same scenario on both backends, each step opening
    the sheet again as a new run would.
    """
    if kind == "xlsx":
        from test_cycle import save_raw  # a test module: imported only when asked for

        path = tmp_path / "community.xlsx"
        save_raw(raw, path)
        return lambda: XlsxBackend(path)
    assert fake is not None
    load_workbook(fake, raw)
    return lambda: open_sheet(fake, sleep=lambda _: None)
