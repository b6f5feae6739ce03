"""Cell elements as the writer makes them, the A1 names of cells and columns, and the
attributes of an element's tag as every part's reader finds them.

Cells are written as inline strings (`t="inlineStr"`), numbers and booleans;
text is never written as a formula, and dates become Excel's serial numbers.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable
from datetime import date, datetime
from functools import cache, lru_cache
from typing import cast

from grouptier.cells import CellValue, column_letter

__all__ = ["attributes", "cell_xml", "column_letters", "column_number", "reference"]

_ILLEGAL = re.compile("[\000-\010\013\014\016-\037\ufffe\uffff]")
_ATTRIBUTE = re.compile(rb'\b([\w:]+)="([^"]*)"')


def attributes(xml: bytes, start: int = 0, end: int | None = None) -> dict[bytes, bytes]:
    """The `name="value"` attributes written in `xml[start:end]` (a tag's head), by name."""
    found = _ATTRIBUTE.findall(xml, start) if end is None else _ATTRIBUTE.findall(xml, start, end)
    return dict(found)


def column_number(letters: str | bytes) -> int:
    """1 for A, 27 for AA."""
    number = 0
    for letter in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        number = number * 26 + ord(letter) - 64
    return number


@lru_cache(maxsize=1024)
def column_letters(column: int) -> str:
    """The letters of column `column`, counted from 1 as the XML counts (1 is A)."""
    return column_letter(column - 1)


def reference(row: int, column: int) -> str:
    """The A1 reference of a cell, counted from 1."""
    return f"{column_letters(column)}{row}"


def cell_xml(row: int, column: int, value: CellValue, style: int | None) -> bytes:
    """A cell element holding `value`: text inline (never a formula), dates as serial numbers."""
    # Dispatching on the exact type first: a run writes half a million cells.
    where = b"%s%d" % (_letter_bytes(column), row)
    s = b' s="%d"' % style if style else b""
    kind = type(value)
    if kind is str and value:
        return _text_cell(where, s, cast(str, value))
    if kind is int:
        return b'<c r="%s"%s><v>%d</v></c>' % (where, s, cast(int, value))
    if value is None or value == "" or (isinstance(value, float) and not math.isfinite(value)):
        return b'<c r="%s"%s/>' % (where, s)  # a spreadsheet has no NaN or infinity
    if isinstance(value, str):
        return _text_cell(where, s, value)
    if isinstance(value, bool):
        return b'<c r="%s"%s t="b"><v>%d</v></c>' % (where, s, int(value))
    if isinstance(value, date):
        return b'<c r="%s"%s><v>%s</v></c>' % (where, s, _serial(value).encode())
    return b'<c r="%s"%s><v>%s</v></c>' % (where, s, repr(value).encode())


def _text_cell(where: bytes, s: bytes, text: str) -> bytes:
    if not text.isprintable():
        text = _ILLEGAL.sub("", text)
    if "&" in text or "<" in text or ">" in text:
        text = html.escape(text, quote=False)
    return b'<c r="%s"%s t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (
        where,
        s,
        text.encode("utf-8", "surrogatepass"),
    )


@lru_cache(maxsize=1024)
def _letter_bytes(column: int) -> bytes:
    return column_letters(column).encode()


def _serial(value: date) -> str:
    # openpyxl's conversion keeps Excel's 1900 leap-year quirk, as calamine expects.
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
    serial = _to_excel()(value)
    return repr(int(serial)) if float(serial).is_integer() else repr(serial)


@cache
def _to_excel() -> Callable[[date | datetime], float]:
    """openpyxl's `to_excel`, loaded when a date is first written (reading needs none)."""
    from openpyxl.utils.datetime import to_excel

    return to_excel  # type: ignore[no-any-return]
