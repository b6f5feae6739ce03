"""Reading an .xlsx workbook's contract tabs with python-calamine, bounded by the contract.

calamine (about six times faster than openpyxl on a 200,000-row Activity tab)
builds one dense rectangle from A1 to the last cell of a tab: one stray value at
XFD1048576 asks for 17 billion cells and aborts the process, and one in column
XFD makes every row 16,384 cells wide. A tab with a cell beyond column Z, or one
far below the rest (`reaches_far`), is therefore read in two small steps on a
copy of its worksheet XML: first its header row alone, then only the cells of
the columns whose header the contract knows, moved side by side (`RawTab.columns`
says where each came from, so problems still name the right cell). Other tabs,
the usual case, are read as they are. Rows are bounded by the sheet's own limit
(1,048,576); after the cut a row costs one cell per contract column, so only a
value far down in a contract column, which is data, still makes a long read.

`xlsx_formulas` then marks what calamine shows as blank but is not: formulas
saved without a value, and cells holding an error such as #REF!, found in the
worksheet XML before calamine reads the tab, so that the XML (380 MB at 1,000,000
rows) is not held while calamine's own copy of the tab is. calamine refuses
a whole tab holding an error newer than Excel 2007's (#SPILL!, #CALC!); such a tab
is read again without its error cells, which are then marked the same way.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import IO, Any

import python_calamine

from grouptier import sheet
from grouptier.backends import xlsx_formulas
from grouptier.backends.xlsx_package import read_part
from grouptier.backends.xlsx_safety import (
    PACKAGE_ERRORS,
    open_package,
    refuse_chart_tabs,
    refuse_cut_pivot_tables,
    sheet_parts,
)
from grouptier.cells import CellValue, column_letter, is_blank, normalise
from grouptier.errors import WorkbookError
from grouptier.gc_pause import gc_paused
from grouptier.sheet import RawTab, RawWorkbook, TabSpec

__all__ = ["damaged", "reaches_far", "read_workbook"]

_CONTRACT_TABS = {normalise(spec.name): spec for spec in sheet.ALL_TABS}
FAR_COLUMN = 26
"""Tabs with a cell beyond this column (Z) are cut down to their contract columns."""
TALL_CELLS = 1_000_000
"""A rectangle of this many cells is read as it is, however sparse."""

# A cell reference with two or three letters: a column after Z. Starting with a literal keeps
# the search at C speed (35 ms on a 200,000-row tab); a text that happens to match only costs
# the slower, equally correct way of reading.
_FAR_REFERENCE = re.compile(rb"r=[\"'][A-Z]{2,3}[0-9]")
_FIRST_ROW = re.compile(rb"<(?:[\w.-]+:)?row\b([^>]*)>")
_ROW_END = re.compile(rb"</(?:[\w.-]+:)?row>")
_SHEET_DATA_END = re.compile(rb"</(?:[\w.-]+:)?sheetData>")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
# A cell holding an error value, whole.
_ERROR_CELL = re.compile(
    rb'<(?:[\w.-]+:)?c\b[^>]*?\bt="e"[^>]*?(?:/>|>.*?</(?:[\w.-]+:)?c>)', re.DOTALL
)
# The start of a cell element up to its reference's letters.
_CELL_HEAD = rb'<(?:[\w.-]+:)?c\b[^>]*?\br="'
_WORKSHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")


def read_workbook(path: str) -> RawWorkbook:
    """The contract's tabs of the workbook at `path`, cells as the file holds them."""
    with open_package(path) as archive:
        book = _calamine_workbook(path)
        try:
            parts = sheet_parts(archive)
            on_tabs = {name: part for name, (kind, part) in parts.items() if kind == "worksheet"}
            refuse_cut_pivot_tables(archive, on_tabs, path)
            refuse_chart_tabs(parts, path, set(_CONTRACT_TABS))
            tabs = {
                name: _read_tab(path, archive, book, name, parts)
                for name in _contract_tab_names(book)
            }
        except PACKAGE_ERRORS as exc:
            raise damaged(path) from exc
    return RawWorkbook(tabs)


def damaged(path: str) -> WorkbookError:
    """The error for a workbook whose parts cannot be read."""
    return WorkbookError(
        path,
        "the workbook is damaged and cannot be read; open it in Excel or LibreOffice, "
        "save it again, or restore it from a backup",
    )


def _calamine_workbook(path: str, package: IO[bytes] | None = None) -> Any:
    """calamine's view of the workbook at `path`, or of `package`, a copy of it, if given."""
    try:
        if package is not None:
            return python_calamine.CalamineWorkbook.from_filelike(package)
        return python_calamine.CalamineWorkbook.from_path(path)
    except (python_calamine.CalamineError, OSError) as exc:
        raise damaged(path) from exc


def _contract_tab_names(book: Any) -> list[str]:
    return [
        meta.name
        for meta in book.sheets_metadata
        if meta.typ == python_calamine.SheetTypeEnum.WorkSheet
        and normalise(meta.name) in _CONTRACT_TABS
    ]


def _read_tab(
    path: str, archive: zipfile.ZipFile, book: Any, name: str, parts: Mapping[str, tuple[str, str]]
) -> RawTab:
    """A tab, unusable cells marked, cut down to its contract columns if it reaches far."""
    if name not in parts:
        return RawTab(name, _tab_rows(path, book, name))
    part = parts[name][1]
    whole = read_part(archive, archive.getinfo(part))  # half the memory of archive.read
    cut, unusable = reaches_far(whole), xlsx_formulas.unusable_cells(whole)
    # Not kept while calamine reads the tab, unless it is cut: 380 MB at 1,000,000 rows.
    xml = whole if cut else None
    del whole
    try:
        rows, columns = _rows(path, archive, book, name, part=part, cut_xml=xml)
    except _NewErrorValueError:
        # calamine refuses the whole tab for an error value newer than Excel 2007's
        # (#SPILL!, #CALC!, ...); read it without its error cells, which are marked below.
        plain = _ERROR_CELL.sub(b"", xml or read_part(archive, archive.getinfo(part)))
        book = _calamine_workbook(path, package_with(archive, part, plain))
        rows, columns = _rows(path, archive, book, name, part=part, cut_xml=plain if cut else None)
    xlsx_formulas.mark_formula_cells(rows, unusable, columns)
    return RawTab(name, rows, columns or ())


def _rows(
    path: str, archive: zipfile.ZipFile, book: Any, name: str, *, part: str, cut_xml: bytes | None
) -> tuple[list[list[CellValue]], tuple[int, ...] | None]:
    """The tab's rows, and the sheet column of each position if cut down (else None).

    `cut_xml` is the worksheet XML of a tab to cut down to its contract columns,
    None for a tab read as it is.
    """
    if cut_xml is None:
        return _tab_rows(path, book, name), None
    copy = partial(package_with, archive, part)
    header = _tab_rows(path, _calamine_workbook(path, copy(header_only(cut_xml))), name)
    columns = contract_columns(header[0] if header else [], _CONTRACT_TABS[normalise(name)])
    if not columns:
        return [], columns
    kept = copy(only_columns(cut_xml, columns))
    return _tab_rows(path, _calamine_workbook(path, kept), name), columns


class _NewErrorValueError(Exception):
    """calamine met an error value it does not know, and read nothing of the tab."""


def _tab_rows(path: str, book: Any, name: str) -> list[list[CellValue]]:
    try:
        with gc_paused():
            return _plain_rows(book.get_sheet_by_name(name))
    except (python_calamine.CalamineError, OSError) as exc:
        if "Unsupported cell error value" in str(exc):
            raise _NewErrorValueError(str(exc)) from exc
        raise damaged(path) from exc


def _plain_rows(tab: Any) -> list[list[CellValue]]:
    """calamine's `tab` as rows from A1, each converted as calamine hands it over.

    Row by row, calamine's Python copy of the tab never exists whole beside ours:
    at 1,000,000 rows the peak is 250 MB lower than converting `to_python()`, and faster.
    Equal texts and dates become one object: calamine makes one per cell, and the
    rows held after reading are half the size (230 MB less at 1,000,000 rows).
    """
    seen: dict[object, Any] = {}
    one = seen.setdefault
    # calamine gives "" for an empty cell and a float for every number. One inline pass,
    # dispatching on the exact type, is about 1.5 times faster than a function per cell.
    rows: list[list[CellValue]] = [
        [
            (one(value, value) if value else None)
            if (kind := type(value)) is str
            else (int(value) if value.is_integer() else value)
            if kind is float
            else one(value, value)
            if kind is date or kind is datetime
            else str(value)
            if kind is time or kind is timedelta
            else value
            for value in row
        ]
        for row in tab.iter_rows()
    ]
    return _from_a1(rows, tab.end)


def _from_a1(rows: list[list[CellValue]], end: tuple[int, int] | None) -> list[list[CellValue]]:
    """`rows` grown, in place, to start at A1 and end at `end` (zero-based row, column).

    `iter_rows` starts at the first column holding a value: python-calamine 0.9
    gives the empty rows above the data but not the empty columns left of it.
    """
    if end is None:
        return rows
    width = end[1] + 1
    lead = width - len(rows[0]) if rows else 0
    if lead > 0:
        blanks: list[CellValue] = [None] * lead
        for row in rows:
            row[:0] = blanks
    if len(rows) <= end[0]:
        rows[:0] = [[None] * width for _ in range(end[0] + 1 - len(rows))]
    return rows


# --- cutting a tab down to its contract columns ---------------------------------


def reaches_far(xml: bytes) -> bool:
    """True when the worksheet XML holds a cell beyond column `FAR_COLUMN`, or far below its rows.

    Either would make calamine's rectangle far bigger than the data in it. Below, the
    rectangle may hold at most one cell per byte of XML: a real row takes far more bytes
    than its 26 cells, so only empty rows over a long stretch can break the bound.
    """
    if _FAR_REFERENCE.search(xml) is not None:
        return True
    return _last_row(xml) * FAR_COLUMN > max(len(xml), TALL_CELLS)


def _last_row(xml: bytes) -> int:
    """The number of the last row element; programs write rows in order."""
    start = max(xml.rfind(b"<row "), xml.rfind(b":row "))
    number = _ROW_NUMBER.search(xml, start, xml.find(b">", start)) if start >= 0 else None
    return int(number.group(1)) if number is not None else 0


def header_only(xml: bytes) -> bytes:
    """The worksheet XML with only its first row's cells, if that row is row 1."""
    first = _FIRST_ROW.search(xml)
    data_end = _SHEET_DATA_END.search(xml)
    if first is None or data_end is None or first.start() > data_end.start():
        return xml
    number = _ROW_NUMBER.search(first.group(1))
    end = _ROW_END.search(xml, first.end())
    if first.group(0).endswith(b"/>") or (number is not None and number.group(1) != b"1"):
        cut = first.start()  # no header row: keep no cells at all
    else:
        cut = end.end() if end is not None and end.start() < data_end.start() else first.start()
    return xml[:cut] + xml[data_end.start() :]


def contract_columns(header: list[CellValue], spec: TabSpec) -> tuple[int, ...]:
    """Zero-based columns of `header` named as one of `spec`'s columns, in order.

    Two at most of each name: a second is kept so that `read_table` reports it, and
    a header row repeating a name thousands of times cannot widen the rows again.
    """
    known = {normalise(column.name) for column in spec.columns}
    seen: Counter[str] = Counter()
    found = []
    for index, value in enumerate(header):
        key = normalise(str(value)) if not is_blank(value) else ""
        if key in known and seen[key] < 2:
            seen[key] += 1
            found.append(index)
    return tuple(found)


def only_columns(xml: bytes, columns: Sequence[int]) -> bytes:
    """The worksheet XML with only the cells of `columns` (zero-based, ascending), side by side.

    The cell of the i-th kept column moves to column i, so that calamine's rectangle is
    as wide as the kept columns, wherever they sit in the sheet.
    """
    # Longest first, so that "AB" is tried before "A".
    names = sorted((column_letter(c) for c in columns), key=len, reverse=True)
    kept = "|".join(names).encode("ascii")
    # One substitution in C: every cell whose reference does not start with a kept column.
    dropped = re.compile(
        _CELL_HEAD + rb"(?!(?:" + kept + rb")[0-9])[A-Z]{1,3}[0-9]+\"[^>]*?"
        rb"(?:/>|>.*?</(?:[\w.-]+:)?c>)",
        re.DOTALL,
    )
    xml = dropped.sub(b"", xml)
    # In ascending order, a column's new letters are never those of a column still to move.
    for position, column in enumerate(columns):
        if position != column:
            moved = re.compile(b"(" + _CELL_HEAD + b")" + _letters(column) + rb"(?=[0-9])")
            xml = moved.sub(rb"\g<1>" + _letters(position), xml)
    return xml


def _letters(column: int) -> bytes:
    return column_letter(column).encode("ascii")


def package_with(archive: zipfile.ZipFile, part: str, xml: bytes) -> io.BytesIO:
    """An in-memory copy of the package where worksheet `part` is `xml`, other worksheets left out.

    Stored without compression: it is read once, straight away.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as copy:
        for info in archive.infolist():
            if info.filename == part:
                copy.writestr(info.filename, xml)
            elif not _WORKSHEET_PART.match(info.filename):
                copy.writestr(info.filename, archive.read(info))
    buffer.seek(0)
    return buffer
