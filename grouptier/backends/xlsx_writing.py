"""Applying a `ChangeSet` to a workbook file by changing only the parts it touches.

The tabs a run changes are rewritten from their own XML (`xlsx_worksheet`):
rows nothing touches are copied as bytes, written cells keep the cell's format,
new rows take the format of the row above, dates get a date format
(`xlsx_styles`). Every other part of the package, the other tabs, charts,
pictures, pivot tables, comments, defined names, is copied byte for byte
(`xlsx_package`); formulas keep the values they were saved with, moved with
their rows, and the file asks to be recalculated when opened.

Removing rows (the Activity roll-up, the outbox, undo) moves what points at the
rows below, as Excel does when rows are deleted (`xlsx_closing`): this tab's
formulas and array formulas' ranges, merged cells, links, validation,
conditional formats and filters, table ranges, defined names, other tabs'
formulas and charts that name the tab (shared formulas written out first), the
ranges pivot tables read, and the comments, pictures, charts and shapes placed on
the tab (`xlsx_placed`). A reference to a removed cell becomes #REF!, and what
stands on removed rows only goes with them, as in Excel. Only a pivot table
placed on such a tab cannot follow (its cells are rebuilt by Excel from its own
layout): `refuse_cut_pivot_tables` refuses it, on reading as on writing, so
`check` says what `run` would.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial

from grouptier import sheet
from grouptier.backends.base import ChangeSet, Record
from grouptier.backends.xlsx_cells import cell_xml, reference
from grouptier.backends.xlsx_closing import (
    closed_up_after_rows,
    closed_up_array_refs,
    closed_up_formula_texts,
    closed_up_table,
    mentions,
    names_any,
)
from grouptier.backends.xlsx_elsewhere import close_up_elsewhere
from grouptier.backends.xlsx_package import Package
from grouptier.backends.xlsx_placed import closed_up_comments, closed_up_drawing, closed_up_vml
from grouptier.backends.xlsx_safety import (
    chart_tab_problem,
    refuse_cut_pivot_tables,
    relationships,
)
from grouptier.backends.xlsx_styles import DATE_FORMAT, DATETIME_FORMAT, TEXT_FORMAT
from grouptier.backends.xlsx_worksheet import Cell, RowPut, Worksheet, unshared
from grouptier.cells import CellValue, normalise
from grouptier.errors import WorkbookError
from grouptier.sheet import TabSpec

__all__ = ["apply_changes"]

TOOL_TAB_COLOUR = "FF7F7F7F"
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTRACT_TABS = {normalise(spec.name): spec for spec in sheet.ALL_TABS}
# Parts placed on a tab at rows, by relationship type, and how they follow rows closing up.
_PLACED = {
    "comments": closed_up_comments,
    "threadedComment": closed_up_comments,
    "vmlDrawing": closed_up_vml,
    "drawing": closed_up_drawing,
}
_FORMULA_START = re.compile(rb"<(?:[\w.-]+:)?f[\s/>]")
_SHARED_COUNT = re.compile(rb'(<(?:[\w.-]+:)?sst\b[^>]*?\scount=")(\d+)(")')
_SHARED_STRING = re.compile(rb"<(?:[\w.-]+:)?si\b[^>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?si>)", re.DOTALL)
_STRING_TEXT = re.compile(rb"<(?:[\w.-]+:)?t\b[^>]*>([^<]*)</(?:[\w.-]+:)?t>")


def apply_changes(package: Package, changes: ChangeSet, shown: str) -> None:
    """Make `changes` in `package` (order: cell updates, replacements, removals, appends).

    `shown` is the workbook's path as the manager gave it, for error messages.
    """
    tabs = _Tabs(package, shown)
    for update in changes.cell_updates:
        if update.row < 2:
            raise ValueError(f"row {update.row} of {update.tab} is the header row, not data")
        tab = tabs.get(update.tab, create=False)
        tab.updates.setdefault(update.row, {})[update.column] = update.value
    for name, records in changes.replacements.items():
        tab = tabs.get(name, create=True)
        tab.clear = True
        tab.updates.clear()
        tab.appended = list(records)
    for name, rows in changes.deleted_rows.items():
        if rows:
            tabs.get(name, create=False).remove(rows)
    for name, records in changes.appends.items():
        if records:
            tabs.get(name, create=True).appended.extend(records)
    for tab in tabs.by_title.values():
        tab.write()
    tabs.settle_shared_count()
    package.recalculate_on_open()


class _Tabs:
    def __init__(self, package: Package, shown: str) -> None:
        self.package = package
        self.shown = shown
        self.by_title: dict[str, _Tab] = {}
        self._shared: list[str] | None = None
        self.dropped_shared = 0  # cells holding a shared string that rows removed took away

    def get(self, name: str, create: bool) -> _Tab:
        """The tab called `name` (ignoring case and spacing), created if missing and `create`."""
        wanted = normalise(name)
        found = [(t, kind) for t, (kind, _) in self.package.tabs.items() if normalise(t) == wanted]
        spec = _CONTRACT_TABS.get(wanted)
        if found and found[0][1] != "worksheet":
            raise WorkbookError(self.shown, chart_tab_problem(found[0][0]))
        if found:
            title = found[0][0]
        elif not create:
            raise WorkbookError(self.shown, f'the tab "{name}" is missing, so it cannot be changed')
        else:
            title = spec.name if spec else name
            xml = _new_tab_xml(self.package, spec or TabSpec(name, ()))
            self.package.add_worksheet(title, xml, sheet.position_of(title))
        if title not in self.by_title:
            self.by_title[title] = _Tab(self, title, spec)
        return self.by_title[title]

    def _shared_part(self) -> str | None:
        archive, workbook = self.package.archive, self.package.workbook_part
        found = (t for _, kind, t in relationships(archive, workbook) if kind == "sharedStrings")
        part = next(found, None)
        return part if part and self.package.exists(part) else None

    def settle_shared_count(self) -> None:
        """Keep the shared strings' `count` (cells using them) true once cells went.

        Strings no cell uses any more stay (valid, and `uniqueCount` stays true).
        """
        part = self._shared_part() if self.dropped_shared else None
        if part is None:
            return
        xml = self.package.read(part)
        found = _SHARED_COUNT.search(xml, 0, 4096)
        if found is not None:
            count = max(int(found.group(2)) - self.dropped_shared, 0)
            xml = xml[: found.start(2)] + b"%d" % count + xml[found.end(2) :]
            self.package.put(part, xml)

    def shared_string(self, index: int) -> str:
        if self._shared is None:
            part = self._shared_part()
            xml = self.package.read(part) if part else b""
            self._shared = [
                html.unescape(
                    b"".join(_STRING_TEXT.findall(m.group(1) or b"")).decode("utf-8", "replace")
                )
                for m in _SHARED_STRING.finditer(xml)
            ]
        return self._shared[index] if 0 <= index < len(self._shared) else ""


@dataclass
class _Tab:
    tabs: _Tabs
    title: str
    spec: TabSpec | None
    updates: dict[int, dict[str, CellValue]] = field(default_factory=dict)
    appended: list[Record] = field(default_factory=list)
    clear: bool = False
    gone: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.part = self.tabs.package.tabs[self.title][1]
        self.sheet = Worksheet(partial(self.tabs.package.stream, self.part))
        self.headers: dict[str, int] = {}
        for column, cell in sorted(self.sheet.cells(1).items()):
            text = self.sheet.text(cell, self.tabs.shared_string)
            if text and text.strip():
                self.headers.setdefault(normalise(text), column)
        self.new_headers: dict[int, str] = {}
        self._last_column: int | None = None
        self._columns = self.spec.columns if self.spec else ()
        self._places: dict[str, tuple[int, str]] = {}
        self._styles: dict[tuple[int | None, int | None, str, type], int | None] = {}
        self._above: dict[int, int | None] = {}

    def remove(self, rows: list[int]) -> None:
        """Take out sheet rows `rows` (as read), once; refuse a pivot table placed on the tab."""
        if self.clear:
            return
        package = self.tabs.package
        refuse_cut_pivot_tables(package.archive, {self.title: self.part}, self.tabs.shown)
        self.gone = sorted({row for row in [*self.gone, *rows] if row >= 2})

    def place(self, name: str) -> tuple[int, str]:
        """The column of header `name` (added after the last used column if missing), its kind."""
        if name not in self._places:
            key = normalise(name)
            if key not in self.headers:
                if self._last_column is None:
                    self._last_column = self.sheet.last_content_column()
                index = max(self._last_column, *self.headers.values(), 0) + 1
                self.headers[key] = index
                self.new_headers[index] = name
            found = next((c for c in self._columns if normalise(c.name) == key), None)
            self._places[name] = (self.headers[key], found.kind if found else "text")
        return self._places[name]

    def write(self) -> None:
        """Put this tab's part, and those its removed rows move, into the package."""
        package = self.tabs.package
        kept = partial(_kept, self.clear, self.gone)
        puts: dict[int, RowPut] = {}
        last_row = max(0 if self.clear else self.sheet.last_content_row(kept), 1)
        for row, values in sorted(self.updates.items()):
            new = kept(row)
            if new is not None:
                puts[new] = partial(self._row, new, values, False)
                last_row = max(last_row, new)
        if last_row >= 2:
            original = _original(last_row, self.gone)
            self._above = {c: cell.style for c, cell in self.sheet.cells(original).items()}
        for record in self.appended:
            last_row += 1
            puts[last_row] = partial(self._row, last_row, record, True)
        names = (name for record in (*self.updates.values(), *self.appended) for name in record)
        for name in dict.fromkeys(names):  # new headers go in the order the records name them
            self.place(name)
        if self.new_headers:
            puts[1] = partial(_fixed, self._new_header_cells())
        widths = {c: self._width(name) for c, name in self.new_headers.items()}
        pieces = self.sheet.rebuilt(
            clear=self.clear,
            gone=self.gone,
            puts=puts,
            last_column=max(self.new_headers, default=0),
            formulas=self._formulas_mover(),
            head=partial(_with_widths, widths=widths),
            tail=partial(self._tail, last_row=last_row),
        )
        package.put_stream(self.part, pieces)
        self.tabs.dropped_shared += self.sheet.dropped_shared
        if self.gone:
            written = {tab.part for tab in self.tabs.by_title.values()}
            close_up_elsewhere(package, self.title, written, self.gone)
            self._close_up_placed()
        for _, kind, table in relationships(package.archive, self.part):
            if kind == "table" and package.exists(table):
                xml = package.read(table)
                if self.gone:
                    xml = closed_up_table(xml, self.title, self.gone)
                package.put(table, _fitted_ranges(xml, last_row, _TABLE_RANGE))

    def _closed_up_tabs(self) -> list[tuple[str, list[int]]]:
        """The other tabs rows are removed from, with their removed rows."""
        return [(t.title, t.gone) for t in self.tabs.by_title.values() if t is not self and t.gone]

    def _formulas_mover(self) -> Callable[[bytes], bytes] | None:
        """What moves the formulas of a row of this tab; None when rows close up nowhere."""
        others = self._closed_up_tabs()
        if not (self.gone or others):
            return None
        masters: dict[bytes, tuple[str, str] | None] = {}
        # Shared formulas are written out first: the distance they repeat over changes.
        # On this tab all of them; otherwise those naming a tab rows close up on.
        names_cut_tab = None if self.gone else partial(names_any, [t for t, _ in others])

        def moved(row: bytes) -> bytes:
            if _FORMULA_START.search(row) is None:
                return row
            row = unshared(row, masters, names_cut_tab)
            if self.gone:
                row = closed_up_formula_texts(row, self.title, self.gone, own_tab=True)
                row = closed_up_array_refs(row, self.gone)
            for title, gone in others:
                if mentions(row, title):
                    row = closed_up_formula_texts(row, title, gone, own_tab=False)
            return row

        return moved

    def _tail(self, tail: bytes, last_row: int) -> bytes:
        """The part after the rows: ranges and formulas closed up, filters fitted."""
        if self.gone:
            tail = closed_up_after_rows(tail, self.title, self.gone)
        for title, gone in self._closed_up_tabs():
            if mentions(tail, title):
                tail = closed_up_formula_texts(tail, title, gone, own_tab=False)
        return _fitted_ranges(tail, last_row, _AUTO_FILTER)

    def _close_up_placed(self) -> None:
        """Comments, pictures, charts and shapes on this tab moved with their rows."""
        package = self.tabs.package
        for _, kind, part in relationships(package.archive, self.part):
            move = _PLACED.get(kind)
            if move is not None and package.exists(part):
                package.put(part, move(package.read(part), self.gone))

    def _new_header_cells(self) -> dict[int, bytes]:
        """Header cells of the columns added, looking like the header on their left."""
        header_cells = self.sheet.cells(1)
        made = {}
        for column, name in self.new_headers.items():
            left = header_cells.get(column - 1)
            made[column] = cell_xml(1, column, name, left.style if left else None)
        return made

    def _width(self, name: str) -> int | None:
        key = normalise(name)
        found = next((c for c in self._columns if normalise(c.name) == key), None)
        return found.width if found else None

    def _row(
        self, row: int, record: Mapping[str, CellValue], appended: bool, cells: dict[int, Cell]
    ) -> dict[int, bytes]:
        """The new cell elements of `row`, formatted like the cells there, or the row above.

        Rows are made in order, so an appended row finds the formats of the one above
        in `_above`, and leaves its own there for the next.
        """
        made: dict[int, bytes] = {}
        chosen: dict[int, int | None] = {}
        for name, value in record.items():
            column, kind = self._places[name]
            cell = cells.get(column)
            above = self._above.get(column) if appended and row > 2 else None
            style = self._style(cell.style if cell is not None else None, above, kind, value)
            chosen[column] = style
            made[column] = cell_xml(row, column, value, style)
        if appended:
            self._above = chosen
        return made

    def _style(self, own: int | None, above: int | None, kind: str, value: CellValue) -> int | None:
        """A written cell's format: its own, else the one above (a date format only for a date)."""
        key = (own, above, kind, type(value))
        found = self._styles.get(key, _UNKNOWN)
        if found is not _UNKNOWN:
            return found  # type: ignore[return-value]
        styles = self.tabs.package.styles
        sort = ""
        if isinstance(value, date):
            sort = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
        style = own or None
        if style is None and above:
            style = above
            if styles.is_date(style) and not sort:
                style = styles.with_format(style, "General")
        if kind == "id" and styles.number_format(style) == "General":
            style = styles.with_format(style, TEXT_FORMAT)
        if sort and not styles.is_date(style):
            style = styles.with_format(style, sort)
        self._styles[key] = style
        return style


def _kept(clear: bool, gone: list[int], number: int) -> int | None:
    """The number of row `number` after the tab was cleared (`clear`) and rows `gone` removed."""
    if clear and number >= 2:
        return None
    at = bisect_left(gone, number)
    if at < len(gone) and gone[at] == number:
        return None
    return number - at


def _original(number: int, gone: list[int]) -> int:
    """The number a kept row had before rows `gone` were removed."""
    original = number
    while True:
        moved = number + bisect_right(gone, original)
        if moved == original:
            return original
        original = moved


def _fixed(made: dict[int, bytes], _cells: dict[int, Cell]) -> dict[int, bytes]:
    return made


_UNKNOWN = object()
_AUTO_FILTER = re.compile(rb'(<(?:[\w.-]+:)?autoFilter\b[^>]*?\bref=")([^"]*)(")')
_TABLE_RANGE = re.compile(rb'(<(?:[\w.-]+:)?(?:table|autoFilter)\b[^>]*?\bref=")([^"]*)(")')
_COLS = re.compile(rb"<([\w.-]+:)?cols\b[^>]*>(.*?)</(?:[\w.-]+:)?cols>", re.DOTALL)
_COL_MAX = re.compile(rb'\bmax="(\d+)"')
_RANGE = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+):\$?([A-Z]{1,3})\$?(\d+)$")


def _fitted_ranges(xml: bytes, last_row: int, pattern: re.Pattern[bytes]) -> bytes:
    """Ranges that start on the header row stretched down to `last_row` (at least row 2)."""

    def fitted(match: re.Match[bytes]) -> bytes:
        found = _RANGE.match(match.group(2).decode())
        if found is None or found.group(2) != "1":
            return match.group(0)
        ref = f"{found.group(1)}1:{found.group(3)}{max(last_row, 2)}"
        return match.group(1) + ref.encode() + match.group(3)

    return pattern.sub(fitted, xml)


def _with_widths(xml: bytes, widths: dict[int, int | None]) -> bytes:
    """`<cols>` entries giving new header columns their contract width."""
    wanted = {column: width for column, width in widths.items() if width}
    if not wanted:
        return xml
    found = _COLS.search(xml)
    covered = max((int(m) for m in _COL_MAX.findall(found.group(2))), default=0) if found else 0
    entries = b"".join(
        b'<%scol min="%d" max="%d" width="%d" customWidth="1"/>'
        % ((found.group(1) or b"") if found else b"", column, column, width)
        for column, width in sorted(wanted.items())
        if column > covered
    )
    if found is not None:
        at = found.end() - len(b"</") - len(found.group(1) or b"") - len(b"cols>")
        return xml[:at] + entries + xml[at:]
    data = re.search(rb"<([\w.-]+:)?sheetData\b", xml)
    if data is None or not entries:
        return xml
    p = data.group(1) or b""
    entries = entries.replace(b"<col ", b"<%scol " % p) if p else entries
    return xml[: data.start()] + b"<%scols>%s</%scols>" % (p, entries, p) + xml[data.start() :]


# --- new tabs --------------------------------------------------------------------------


def _new_tab_xml(package: Package, spec: TabSpec) -> bytes:
    """A worksheet with the contract's bold headers, widths, column formats and frozen header."""
    styles = package.styles
    bold = styles.bold()
    headers = b"".join(
        cell_xml(1, index, column.name, bold) for index, column in enumerate(spec.columns, 1)
    )
    cols = []
    for index, column in enumerate(spec.columns, start=1):
        style = b""
        if column.kind in ("date", "id"):
            code = DATE_FORMAT if column.kind == "date" else TEXT_FORMAT
            style = b' style="%d"' % styles.with_format(None, code)
        cols.append(
            b'<col min="%d" max="%d" width="%d" customWidth="1"%s/>'
            % (index, index, column.width, style)
        )
    colour = b'<sheetPr><tabColor rgb="%s"/></sheetPr>' % TOOL_TAB_COLOUR.encode()
    last = reference(1, max(len(spec.columns), 1)).encode()
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="%s" xmlns:r="%s">%s<dimension ref="A1:%s"/>'
        b'<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
        b'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" '
        b'activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        b'<sheetFormatPr defaultRowHeight="15"/>%s<sheetData><row r="1">%s</row></sheetData>'
        b'<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
        b"</worksheet>"
    ) % (
        _MAIN_NS.encode(),
        _REL_NS.encode(),
        colour if spec.tool_owned else b"",
        last,
        b"<cols>%s</cols>" % b"".join(cols) if cols else b"",
        headers,
    )
