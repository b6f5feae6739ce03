"""Backends move tables between a spreadsheet and grouptier; they hold no rules."""

from grouptier.backends.base import Backend, CellUpdate, ChangeSet

__all__ = ["Backend", "CellUpdate", "ChangeSet"]
