"""Applying a `ChangeSet` to a workbook file by changing only the parts it touches.

The tabs a run changes are rewritten from their own XML (`xlsx_worksheet`):
rows nothing touches are copied as bytes, written cells keep the cell's format,
new rows take the format of the row above, dates get a date format
(`xlsx_styles`). Every other part of the package, the other tabs, charts,
pictures, pivot tables, comments, defined names, is copied byte for byte
(`xlsx_package`); formulas keep the values they were saved with, moved with
their rows, and the file asks to be recalculated when opened.

Removing rows (the Activity roll-up, the outbox, undo) moves what points at the
rows below: this tab's formulas, merged cells, links, validation, conditional
formats and filters, defined names, other tabs' formulas and charts that name
the tab, and the ranges pivot tables read. Pictures, charts, comments and pivot
tables placed on the tab itself are anchored to rows by position; rows are not
removed under them: a `WorkbookError` names the tab, and nothing is written.
Array formulas' own ranges (`<f t="array" ref=...>`) are not moved.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial

from grouptier import sheet
from grouptier.backends.base import ChangeSet, Record
from grouptier.backends.xlsx_package import Package
from grouptier.backends.xlsx_safety import relationships
from grouptier.backends.xlsx_styles import DATE_FORMAT, DATETIME_FORMAT, TEXT_FORMAT
from grouptier.backends.xlsx_worksheet import (
    Cell,
    RowPut,
    Worksheet,
    cell_xml,
    closed_up_formula_texts,
    closed_up_ranges,
    reference,
    unshared,
)
from grouptier.cells import CellValue, normalise
from grouptier.errors import WorkbookError
from grouptier.sheet import TabSpec

__all__ = ["apply_changes"]

TOOL_TAB_COLOUR = "FF7F7F7F"
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTRACT_TABS = {normalise(spec.name): spec for spec in sheet.ALL_TABS}
# Parts on a tab that sit at fixed rows: removing rows above them would move the cells away.
_ANCHORED = {
    "drawing": "charts, pictures or shapes",
    "vmlDrawing": "comments or form controls",
    "comments": "comments",
    "threadedComment": "comments",
    "pivotTable": "a pivot table",
}
_CHART_FORMULA = re.compile(rb"(<(?:[\w.-]+:)?f>)([^<]+)(</)")
_WORKSHEET_SOURCE = re.compile(rb"<(?:[\w.-]+:)?worksheetSource\b[^>]*>")
_DEFINED_NAME = re.compile(rb"(<(?:[\w.-]+:)?definedName\b[^>]*>)([^<]+)(</)")
_RANGE_ATTRIBUTE = re.compile(rb'(\sref=")([^"]*)(")')
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
    package.recalculate_on_open()


class _Tabs:
    def __init__(self, package: Package, shown: str) -> None:
        self.package = package
        self.shown = shown
        self.by_title: dict[str, _Tab] = {}
        self._shared: list[str] | None = None

    def get(self, name: str, create: bool) -> _Tab:
        """The tab called `name` (ignoring case and spacing), created if missing and `create`."""
        wanted = normalise(name)
        found = [(t, kind) for t, (kind, _) in self.package.tabs.items() if normalise(t) == wanted]
        spec = _CONTRACT_TABS.get(wanted)
        if found and found[0][1] != "worksheet":
            raise WorkbookError(
                self.shown,
                f'the tab "{found[0][0]}" is a chart tab, so rows cannot be written there',
            )
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

    def shared_string(self, index: int) -> str:
        if self._shared is None:
            part = next(
                (
                    t
                    for _, kind, t in relationships(
                        self.package.archive, self.package.workbook_part
                    )
                    if kind == "sharedStrings"
                ),
                None,
            )
            xml = self.package.read(part) if part and self.package.exists(part) else b""
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
        self.sheet = Worksheet(self.tabs.package.read(self.part))
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
        """Take out sheet rows `rows` (as read), once; refuse when parts are anchored on the tab."""
        if self.clear:
            return
        anchored = sorted(
            {
                _ANCHORED[kind]
                for _, kind, _ in relationships(self.tabs.package.archive, self.part)
                if kind in _ANCHORED
            }
        )
        if anchored:
            raise WorkbookError(
                self.tabs.shown,
                f"rows cannot be removed from the tab {self.title}, because it holds "
                f"{' and '.join(anchored)} placed at fixed rows, which would then sit beside "
                "other rows; move them to another tab and run again. Nothing was written",
            )
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
        self._follow_closed_up_tabs()
        kept = partial(_kept, self.clear, self.gone)
        puts: dict[int, RowPut] = {}
        last_row = max(self.sheet.last_content_row(kept), 1)
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
            title=self.title,
            clear=self.clear,
            gone=self.gone,
            puts=puts,
            last_column=max(self.new_headers, default=0),
            head=partial(_with_widths, widths=widths),
            tail=partial(_fitted_ranges, last_row=last_row, pattern=_AUTO_FILTER),
        )
        package.put_stream(self.part, pieces)
        if self.gone:
            written = {tab.part for tab in self.tabs.by_title.values()}
            _close_up_elsewhere(package, self.title, written, self.gone)
        for _, kind, table in relationships(package.archive, self.part):
            if kind == "table" and package.exists(table):
                package.put(table, _fitted_ranges(package.read(table), last_row, _TABLE_RANGE))

    def _follow_closed_up_tabs(self) -> None:
        """Shared formulas written out before rows close up; formulas naming such tabs moved."""
        xml = self.sheet.xml
        if self.gone and b'"shared"' in xml:
            xml = unshared(xml)
        for other in self.tabs.by_title.values():
            if other is not self and other.gone and other.title.encode() in xml:
                xml = closed_up_formula_texts(xml, other.title, other.gone, own_tab=False)
        if xml is not self.sheet.xml:
            self.sheet = Worksheet(xml)

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


def _close_up_elsewhere(package: Package, title: str, written: set[str], gone: list[int]) -> None:
    """Move what other parts point at on tab `title` after its rows `gone` were removed.

    The worksheets in `written` are being rewritten, and move their formulas themselves.
    """
    name = title.encode()
    workbook = package.read(package.workbook_part)
    if name in workbook:
        package.put(
            package.workbook_part,
            closed_up_formula_texts(workbook, title, gone, own_tab=False, pattern=_DEFINED_NAME),
        )
    for kind, other in package.tabs.values():
        if kind == "worksheet" and other not in written and package.exists(other):
            xml = package.read(other)
            if name in xml:
                package.put(other, closed_up_formula_texts(xml, title, gone, own_tab=False))
    for info in package.archive.infolist():
        if info.filename.startswith("xl/charts/chart") and info.filename.endswith(".xml"):
            xml = package.read(info.filename)
            if name in xml:
                moved = closed_up_formula_texts(
                    xml, title, gone, own_tab=False, pattern=_CHART_FORMULA
                )
                package.put(info.filename, moved)
        elif info.filename.startswith("xl/pivotCache/pivotCacheDefinition"):
            xml = package.read(info.filename)
            package.put(info.filename, _pivot_source_moved(xml, title, gone))


def _pivot_source_moved(xml: bytes, title: str, gone: list[int]) -> bytes:
    def moved(match: re.Match[bytes]) -> bytes:
        tag = match.group(0)
        source = re.search(rb'\bsheet="([^"]*)"', tag)
        if source is None or html.unescape(source.group(1).decode()).lower() != title.lower():
            return tag
        return _RANGE_ATTRIBUTE.sub(
            lambda ref: (
                ref.group(1) + closed_up_ranges(ref.group(2).decode(), gone).encode() + ref.group(3)
            ),
            tag,
        )

    return _WORKSHEET_SOURCE.sub(moved, xml)


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
