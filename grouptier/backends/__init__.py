"""Backends move tables between a spreadsheet and grouptier; they hold no rules."""

from grouptier.backends.base import Backend, CellUpdate, ChangeSet
from grouptier.backends.choose import is_google_sheet, open_backend, prepare_community

__all__ = [
    "Backend",
    "CellUpdate",
    "ChangeSet",
    "is_google_sheet",
    "open_backend",
    "prepare_community",
]
