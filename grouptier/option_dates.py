"""Dates typed on the command line (`--date`, `--anchor`), read the way the sheet's dates are.

`YYYY-MM-DD` always; day, month and year in figures (`22/11/2026`,
`1.11.2026`) when they read only one way. A date that reads two ways
(`05/11/2026`) is read in the date order of the workbook's settings (its
`date_format`, else its language's), read only then; with no workbook it is
refused, asking for `YYYY-MM-DD`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from grouptier.backends.base import Backend
from grouptier.cells import AmbiguousDateError, parse_date
from grouptier.errors import GrouptierError
from grouptier.settings import date_order_of
from grouptier.sheet import SETTINGS, read_table


def option_date(text: str, workbook_order: Callable[[], str] | None = None) -> date:
    """`text` as a date, asking `workbook_order` for the order only if it reads two ways.

    Raises `cells.CellError`, whose message says what to type instead.
    """
    try:
        return parse_date(text)
    except AmbiguousDateError:
        if workbook_order is None:
            raise
        return parse_date(text, workbook_order())


def workbook_date_order(open_backend: Callable[[], Backend]) -> str:
    """The date order of the settings of the workbook `open_backend` opens; '' if unreadable.

    '' refuses the date; an unreadable workbook is reported by the command itself.
    """
    try:
        backend = open_backend()
        with backend.lock():
            raw = backend.read()
    except GrouptierError:
        return ""
    return date_order_of(read_table(raw, SETTINGS, []))
