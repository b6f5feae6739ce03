"""Formulas' calculated values in an .xlsx package: spot the missing ones, carry them over a save.

A spreadsheet program saves each formula together with the value it calculated,
and calamine reads that value. Two gaps are filled here:

- `mark_formula_cells` (reading) marks formulas saved without a usable value,
  and cells holding an error (#REF!), which calamine would show as blank cells.
- openpyxl saves every formula without its value, so after any write a
  manager's formulas would read back as blank. `saved_values` collects the
  values from the file before it changes, `carried_over` follows them to where
  their rows moved, and `restore_values` writes them into the package openpyxl
  saved, before it replaces the workbook.

Worksheets are scanned with compiled regular expressions at the cells holding a
formula only, so a 200,000-row tab without formulas costs one substring search.
"""

from __future__ import annotations

import html
import re
import shutil
import zipfile
from bisect import bisect_left
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import IO, Any, cast

from openpyxl.formula.translate import Translator
from openpyxl.workbook.properties import CalcProperties

from grouptier.backends.xlsx_safety import sheet_parts
from grouptier.cells import CellErrorValue, CellValue, FormulaWithoutValue

__all__ = [
    "SavedValue",
    "SavedValues",
    "carried_over",
    "mark_formula_cells",
    "recalculate_on_open",
    "restore_values",
    "saved_values",
]

_FORMULA_START = re.compile(rb"<(?:[\w.-]+:)?f[\s/>]")
# One formula cell from its <c> up to the end of its <v>, if it has one. openpyxl writes
# <v /> for every formula; other programs write <v>8</v>, <v></v>, <v/> or no <v> at all.
_FORMULA_CELL = re.compile(
    rb"<(?P<prefix>[\w.-]+:)?c\b(?P<attrs>[^>]*)>\s*"
    rb"(?P<formula><(?:[\w.-]+:)?f\b(?P<fattrs>[^>]*?)"
    rb"(?:/>|>(?P<text>[^<]*)</(?:[\w.-]+:)?f>))\s*"
    rb"(?:<(?:[\w.-]+:)?v\b[^>]*?(?:/>|>(?P<value>[^<]*)</(?:[\w.-]+:)?v>))?"
)
_ATTRIBUTE = re.compile(rb"\b([\w:]+)=\"([^\"]*)\"")
_KIND_ATTRIBUTE = re.compile(rb"\st=\"[^\"]*\"")
_CELL_REF = re.compile(rb"([A-Z]{1,3})(\d+)")
# A literal start keeps the search for error cells at C speed; `_CELL_START` checks the rest.
_ERROR_KIND = re.compile(rb't="e"')
_CELL_START = re.compile(rb"<(?:[\w.-]+:)?c\s")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v\b[^>]*>(?P<text>[^<]*)<")
# Results held in the cell itself. A "s" result points into the shared strings, which
# openpyxl renumbers; spreadsheet programs save a formula's text as "str" instead.
_CARRIED_KINDS = frozenset((b"n", b"str", b"b", b"e", b"d"))
_WORKSHEET = "worksheet"
_COPY_CHUNK = 1 << 20


@dataclass(frozen=True)
class SavedValue:
    """The result a spreadsheet program calculated for one formula cell, as the file holds it."""

    kind: bytes
    """The cell's `t` attribute: b"n" number, b"str" text, b"b" boolean, b"e" error, b"d" date."""
    text: bytes
    """The content of the cell's `<v>` element, still XML-escaped."""


SavedValues = dict[tuple[str, int, int], SavedValue]
"""Formula results by (tab, sheet row, column number), rows and columns counted from 1."""


# --- reading: formulas without a value ------------------------------------------------


def mark_formula_cells(
    rows: list[list[CellValue]], data: bytes, columns: Sequence[int] | None = None
) -> None:
    """Put what calamine shows as blank for unusable cells into `rows` (as read).

    `data` is the tab's worksheet XML. A formula saved without its value becomes a
    `FormulaWithoutValue`; a cell holding an error, typed, pasted or calculated,
    becomes a `CellErrorValue`. When the rows hold only some sheet columns side by
    side, `columns` gives the sheet column (zero-based) of each position; cells of
    other columns are not marked.
    """
    found: dict[tuple[int, int], object] = {**_error_cells(data), **_unusable_results(data)}
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
        attrs = dict(_ATTRIBUTE.findall(match["attrs"]))
        where = _position(attrs)
        if where is None:
            continue
        cell = attrs[b"r"].decode("ascii")
        fattrs = dict(_ATTRIBUTE.findall(match["fattrs"]))
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
        where = _position(dict(_ATTRIBUTE.findall(data, start, head_end)))
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
        with suppress(Exception):  # a formula openpyxl cannot parse stays as "a shared formula"
            return str(Translator(origin_text, origin).translate_formula(cell))
    return "a shared formula"


def _formula_value(kind: bytes, value: bytes | None, formula: str) -> object:
    if kind == b"e" and value:
        return CellErrorValue(html.unescape(value.decode("utf-8", "replace")).strip())
    if value is None or (not value and kind not in (b"str", b"s", b"inlineStr")):
        return FormulaWithoutValue(formula)
    return None


# --- writing: carrying values over a save ------------------------------------------------


def saved_values(archive: zipfile.ZipFile) -> SavedValues:
    """Every formula result saved in the worksheets of the package `archive`."""
    found: SavedValues = {}
    for tab, (kind, part) in sheet_parts(archive).items():
        if kind != _WORKSHEET:
            continue
        for match in _formula_cells_in(archive.read(part)):
            attrs = dict(_ATTRIBUTE.findall(match["attrs"]))
            where, result, value = _position(attrs), attrs.get(b"t", b"n"), match["value"]
            # An empty <v> is no result, except for text: a formula may yield "".
            if where is None or value is None or not (value or result == b"str"):
                continue
            if result in _CARRIED_KINDS:
                found[(tab, *where)] = SavedValue(result, value)
    return found


def carried_over(
    values: SavedValues, removed: Mapping[str, Sequence[list[int]]], replaced: Collection[str]
) -> SavedValues:
    """`values` at their places after rows were removed, without those that went away.

    `removed` maps a tab to the sheet rows taken out of it, one sorted list per pass
    (each numbered as the rows were before that pass); the rows below move up. Values
    in removed rows go, and so do those under the header of a tab in `replaced`.
    """
    moved: SavedValues = {}
    for (tab, row, column), value in values.items():
        if tab in replaced and row > 1:
            continue
        new_row = _row_after(row, removed.get(tab, ()))
        if new_row is not None:
            moved[(tab, new_row, column)] = value
    return moved


def restore_values(saved: IO[bytes], target: IO[bytes], values: SavedValues) -> None:
    """Copy the package `saved` into `target`, giving its formula cells the results `values`.

    Only a formula cell without a result gets one, so a cell whose formula was replaced
    by a value is left as it is. Worksheets with nothing to restore and all other
    parts are copied unchanged, with their compression.
    """
    tabs = {tab for tab, _, _ in values}
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(target, "w") as package:
        parts = {part: tab for tab, (_, part) in sheet_parts(source).items()}
        for info in source.infolist():
            tab = parts.get(info.filename)
            if tab is not None and tab in tabs:
                package.writestr(_fresh_info(info), _with_values(source.read(info), tab, values))
                continue
            with source.open(info) as reader, package.open(_fresh_info(info), "w") as writer:
                shutil.copyfileobj(reader, writer, _COPY_CHUNK)


def recalculate_on_open(workbook: Any) -> None:
    """Ask Excel and LibreOffice to recalculate every formula of openpyxl's `workbook` on open.

    Values carried over can be stale: a formula over rows that closed up still shows
    the total of the rows it covered before.
    """
    workbook.calculation = workbook.calculation or CalcProperties()
    workbook.calculation.fullCalcOnLoad = True


def _row_after(row: int, passes: Sequence[list[int]]) -> int | None:
    for gone in passes:
        above = bisect_left(gone, row)
        if above < len(gone) and gone[above] == row:
            return None
        row -= above
    return row


def _with_values(data: bytes, tab: str, values: SavedValues) -> bytes:
    pieces: list[bytes] = []
    done = 0
    for match in _formula_cells_in(data):
        if match["value"]:
            continue
        where = _position(dict(_ATTRIBUTE.findall(match["attrs"])))
        value = values.get((tab, *where)) if where is not None else None
        if value is not None:
            pieces += [data[done : match.start()], _cell_with_value(match, value)]
            done = match.end()
    pieces.append(data[done:])
    return b"".join(pieces)


def _cell_with_value(match: re.Match[bytes], value: SavedValue) -> bytes:
    """`<c r="D5"><f>B5*2</f><v /></c>` becomes `<c r="D5" t="str"><f>B5*2</f><v>x</v></c>`."""
    prefix = match["prefix"] or b""
    attrs = _KIND_ATTRIBUTE.sub(b"", match["attrs"])
    kind = b"" if value.kind == b"n" else b' t="' + value.kind + b'"'
    return b"<%sc%s%s>%s<%sv>%s</%sv>" % (
        prefix,
        attrs,
        kind,
        match["formula"],
        prefix,
        value.text,
        prefix,
    )


def _fresh_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    # A new entry rather than the source's own ZipInfo, which writing would overwrite
    # while the source archive still needs it to find the data.
    fresh = zipfile.ZipInfo(info.filename, info.date_time)
    fresh.compress_type = info.compress_type
    fresh.external_attr = info.external_attr
    fresh.file_size = info.file_size  # lets zipfile pick ZIP64 for a huge part up front
    return fresh


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
