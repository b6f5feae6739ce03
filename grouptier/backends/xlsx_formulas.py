"""Formulas' calculated values in an .xlsx worksheet: spot the missing ones.

A spreadsheet program saves each formula together with the value it calculated,
and calamine reads that value. `unusable_cells` finds formulas saved without a
usable value, and cells holding an error (#REF!), which calamine would show as
blank cells; `mark_formula_cells` puts them into the rows read (the XML can be
freed in between, before calamine reads the tab). (Writing keeps every formula
with its value where it is: the writer copies cells it does not change as they are.)

Worksheets are scanned with compiled regular expressions at the cells holding a
formula only, so a 200,000-row tab without formulas costs one substring search.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from contextlib import suppress
from typing import cast

from grouptier.backends.xlsx_cells import attributes
from grouptier.cells import CellErrorValue, CellValue, FormulaWithoutValue

__all__ = ["mark_formula_cells", "unusable_cells"]

_FORMULA_START = re.compile(rb"<(?:[\w.-]+:)?f[\s/>]")
# One formula cell from its <c> up to the end of its <v>, if it has one. openpyxl writes
# <v /> for every formula; other programs write <v>8</v>, <v></v>, <v/> or no <v> at all.
_FORMULA_CELL = re.compile(
    rb"<(?P<prefix>[\w.-]+:)?c\b(?P<attrs>[^>]*)>\s*"
    rb"(?P<formula><(?:[\w.-]+:)?f\b(?P<fattrs>[^>]*?)"
    rb"(?:/>|>(?P<text>[^<]*)</(?:[\w.-]+:)?f>))\s*"
    rb"(?:<(?:[\w.-]+:)?v\b[^>]*?(?:/>|>(?P<value>[^<]*)</(?:[\w.-]+:)?v>))?"
)
_CELL_REF = re.compile(rb"([A-Z]{1,3})(\d+)")
# A literal start keeps the search for error cells at C speed; `_CELL_START` checks the rest.
_ERROR_KIND = re.compile(rb't="e"')
_CELL_START = re.compile(rb"<(?:[\w.-]+:)?c\s")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v\b[^>]*>(?P<text>[^<]*)<")


# --- reading: formulas without a value ------------------------------------------------


def unusable_cells(data: bytes) -> dict[tuple[int, int], object]:
    """Cells of worksheet XML `data` that calamine shows as blank but are not, by (row, column).

    Zero-based positions. A formula saved without its value maps to a
    `FormulaWithoutValue`; a cell holding an error, typed, pasted or calculated,
    to a `CellErrorValue`.
    """
    return {**_error_cells(data), **_unusable_results(data)}


def mark_formula_cells(
    rows: list[list[CellValue]],
    found: dict[tuple[int, int], object],
    columns: Sequence[int] | None = None,
) -> None:
    """Put the `unusable_cells` `found` in a tab into `rows` (as read), where those show blank.

    When the rows hold only some sheet columns side by side, `columns` gives the sheet
    column (zero-based) of each position; cells of other columns are not marked.
    """
    positions = None if columns is None else {column: i for i, column in enumerate(columns)}
    for (row, sheet_column), value in found.items():
        column = sheet_column if positions is None else positions.get(sheet_column, -1)
        if column < 0:
            continue
        while len(rows) <= row:
            rows.append([])
        if len(rows[row]) <= column:
            rows[row].extend([None] * (column + 1 - len(rows[row])))
        if rows[row][column] is None:
            # RawTab cells are typed CellValue, but the contract lets backends hand over a
            # FormulaWithoutValue or CellErrorValue so the parsers can explain the problem.
            rows[row][column] = cast(CellValue, value)


def _unusable_results(data: bytes) -> dict[tuple[int, int], object]:
    """Formula cells of a worksheet's XML whose saved value cannot be used, by (row, column).

    Zero-based positions; each maps to a `FormulaWithoutValue`, or to a `CellErrorValue`
    for a formula whose saved result is an error, which calamine shows as blank.
    """
    found: dict[tuple[int, int], object] = {}
    shared: dict[bytes, tuple[str, str]] = {}
    for match in _formula_cells_in(data):
        attrs = attributes(match["attrs"])
        where = _position(attrs)
        if where is None:
            continue
        cell = attrs[b"r"].decode("ascii")
        fattrs = attributes(match["fattrs"])
        text = _formula_text(match["text"], fattrs, cell, shared)
        value = _formula_value(attrs.get(b"t", b"n"), match["value"], text)
        if value is not None:
            found[(where[0] - 1, where[1] - 1)] = value
    return found


def _error_cells(data: bytes) -> dict[tuple[int, int], CellErrorValue]:
    """Cells of a worksheet's XML holding an error value (t="e"), by zero-based (row, column).

    calamine hands these over as "", the same as a blank cell.
    """
    found: dict[tuple[int, int], CellErrorValue] = {}
    for kind in _ERROR_KIND.finditer(data):
        start = data.rfind(b"<", 0, kind.start())
        head_end = data.find(b">", kind.end())
        if not _CELL_START.match(data, start) or head_end < 0 or data[head_end - 1] == ord("/"):
            continue
        where = _position(attributes(data, start, head_end))
        close = data.find(b"c>", head_end)
        value = _VALUE.search(data, head_end, close if close >= 0 else len(data))
        if where is not None and value is not None and value["text"].strip():
            code = html.unescape(value["text"].decode("utf-8", "replace")).strip()
            found[(where[0] - 1, where[1] - 1)] = CellErrorValue(code)
    return found


def _formula_text(
    raw: bytes | None, fattrs: dict[bytes, bytes], cell: str, shared: dict[bytes, tuple[str, str]]
) -> str:
    index = fattrs.get(b"si")
    if raw:
        text = "=" + html.unescape(raw.decode("utf-8", "replace"))
        if fattrs.get(b"t") == b"shared" and index is not None:
            shared[index] = (text, cell)
        return text
    if index in shared:
        origin_text, origin = shared[index]
        # Lazy: reading a workbook meets a shared formula it cannot use only now and then.
        from openpyxl.formula.translate import Translator

        with suppress(Exception):  # a formula openpyxl cannot parse stays as "a shared formula"
            return str(Translator(origin_text, origin).translate_formula(cell))
    return "a shared formula"


def _formula_value(kind: bytes, value: bytes | None, formula: str) -> object:
    if kind == b"e" and value:
        return CellErrorValue(html.unescape(value.decode("utf-8", "replace")).strip())
    if value is None or (not value and kind not in (b"str", b"s", b"inlineStr")):
        return FormulaWithoutValue(formula)
    return None


# --- scanning ----------------------------------------------------------------------------


def _formula_cells_in(data: bytes) -> Iterator[re.Match[bytes]]:
    """Each formula cell of a worksheet's XML, in document order."""
    # Every formula has a closing </f> somewhere; most big tabs have none, so skip them fast.
    if b"f>" not in data:
        return
    for start in _FORMULA_START.finditer(data):
        match = _FORMULA_CELL.match(data, data.rfind(b"<", 0, start.start()))
        if match is not None:
            yield match


def _position(attrs: dict[bytes, bytes]) -> tuple[int, int] | None:
    """The (row, column) of a cell from its `r` attribute, counted from 1."""
    where = _CELL_REF.fullmatch(attrs.get(b"r", b""))
    if where is None:
        return None
    column = 0
    for letter in where.group(1):
        column = column * 26 + letter - 64
    return int(where.group(2)), column
