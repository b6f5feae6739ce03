"""Backends move tables between a spreadsheet and grouptier; they hold no rules.

`open_backend` and friends are imported on first use (PEP 562), so that a run
that only needs one backend (the Cloud Function: Google Sheets) does not load
the other's libraries (openpyxl, calamine) at start.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from grouptier.backends.base import Backend, CellUpdate, ChangeSet

if TYPE_CHECKING:
    from grouptier.backends.choose import is_google_sheet, open_backend, prepare_community

__all__ = [
    "Backend",
    "CellUpdate",
    "ChangeSet",
    "is_google_sheet",
    "open_backend",
    "prepare_community",
]

_LAZY = {"is_google_sheet", "open_backend", "prepare_community"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module("grouptier.backends.choose"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
