"""One worksheet's XML, changed in place: rows removed, renumbered, cells put, the rest kept.

`Worksheet` finds the row elements of `<sheetData>` once (one regular-expression
pass, at C speed) and `Worksheet.rebuilt` writes the part again in one pass:
rows that nothing touches are copied as bytes, rows below removed ones get their
new numbers, and only the rows holding a written cell are taken apart into cells.
Everything outside `<sheetData>` (views, columns, merged cells, validation,
conditional formats, extensions) is copied, with the cell ranges in it moved up
when rows are removed (`closed_up_ranges`).

Cells are written as inline strings (`t="inlineStr"`), numbers and booleans;
text is never written as a formula.
"""

from __future__ import annotations

import html
import math
import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import cast
from xml.etree import ElementTree

from openpyxl.formula.translate import Translator
from openpyxl.utils.datetime import to_excel

from grouptier.backends.xlsx_safety import closed_up_formula
from grouptier.cells import CellValue

__all__ = [
    "Cell",
    "Worksheet",
    "cell_xml",
    "closed_up_formula_texts",
    "closed_up_ranges",
    "column_number",
    "reference",
    "unshared",
]

LAST_ROW = 1_048_576

_SHEET_DATA = re.compile(rb"<([\w.-]+:)?sheetData\b[^>]*?(/?)>")
_CELL = re.compile(rb"<(?:[\w.-]+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:[\w.-]+:)?c>)", re.DOTALL)
_R = re.compile(rb'\sr="([A-Z]{0,3})(\d+)"')
# A row's or cell's `r` attribute up to its row number; only inside those tags, never text.
_R_NUMBER = re.compile(rb'(<(?:[\w.-]+:)?(?:c|row)\s[^>]*?\br="[A-Z]{0,3})\d+"')
_SHARED_FORMULA = re.compile(
    rb"(?P<cell><(?:[\w.-]+:)?c\b[^>]*>\s*)<(?P<p>[\w.-]+:)?f\b(?P<fattrs>[^>]*?)"
    rb"(?:/>|>(?P<text>[^<]*)</(?:[\w.-]+:)?f>)"
)
_ATTRIBUTE = re.compile(rb'\b([\w:]+)="([^"]*)"')
_TAG_NAME_END = frozenset(b" \t\r\n/>")
_STYLE = re.compile(rb'\ss="(\d+)"')
_KIND = re.compile(rb'\st="([^"]*)"')
_CONTENT = re.compile(rb"<(?:[\w.-]+:)?(?:v>[^<]|t\b[^>]*>[^<]|f\b)")
_TEXT = re.compile(rb"<(?:[\w.-]+:)?t\b[^>]*>([^<]*)</")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v\b[^>]*>([^<]*)</")
_FORMULA_TEXT = re.compile(rb"(<(?:[\w.-]+:)?f\b[^>]*>)([^<]+)(</(?:[\w.-]+:)?f>)")
_RANGE_ATTRIBUTE = re.compile(rb'(\s(?:sq)?ref=")([^"]*)(")')
_SQREF_ELEMENT = re.compile(rb"(<(?:[\w.-]+:)?sqref>)([^<]*)(</)")
_CONDITION_FORMULA = re.compile(rb"(<(?:[\w.-]+:)?(?:formula1?|formula2|f)>)([^<]+)(</)")
_DIMENSION = re.compile(rb'(<(?:[\w.-]+:)?dimension\b[^>]*?\bref=")([^"]*)(")')
_ILLEGAL = re.compile("[\000-\010\013\014\016-\037\ufffe\uffff]")
_RANGE_END = re.compile(r"^(\$?)([A-Za-z]{1,3})(\$?)(\d+)$")


@dataclass(frozen=True)
class Cell:
    """A cell element as the file holds it."""

    column: int
    xml: bytes
    style: int | None
    kind: bytes
    body: bytes | None


def column_number(letters: str | bytes) -> int:
    """1 for A, 27 for AA."""
    number = 0
    for letter in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        number = number * 26 + ord(letter) - 64
    return number


@lru_cache(maxsize=1024)
def _letters(column: int) -> str:
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def reference(row: int, column: int) -> str:
    """The A1 reference of a cell, counted from 1."""
    return f"{_letters(column)}{row}"


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
    return _letters(column).encode()


def _serial(value: date) -> str:
    # openpyxl's conversion keeps Excel's 1900 leap-year quirk, as calamine expects.
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
    serial = to_excel(value)
    return repr(int(serial)) if float(serial).is_integer() else repr(serial)


RowPut = Callable[[dict[int, "Cell"]], dict[int, bytes]]
"""Makes the new cell elements of a row, by column, from the cells it holds now."""


class Worksheet:
    """A worksheet part and the positions of its rows."""

    def __init__(self, xml: bytes) -> None:
        opening = _SHEET_DATA.search(xml)
        if opening is None:
            raise ElementTree.ParseError("the worksheet has no <sheetData>")
        self.prefix = opening.group(1) or b""
        if opening.group(2):  # <sheetData/>: no rows yet
            tag = opening.group(0)[:-2] + b">"
            xml = (
                xml[: opening.start()]
                + tag
                + b"</%ssheetData>" % self.prefix
                + xml[opening.end() :]
            )
            opening = _SHEET_DATA.search(xml)
            assert opening is not None
        self.xml = xml
        self.data_start = opening.end()
        self.data_end = xml.index(b"</%ssheetData>" % self.prefix, self.data_start)
        # Three parallel arrays rather than an object per row: 200,000 rows stay at 5 MB.
        self.numbers, self.starts, self.ends = _row_spans(
            xml, self.data_start, self.data_end, self.prefix
        )

    def cells(self, number: int) -> dict[int, Cell]:
        """The cells of row `number`, by column."""
        index = bisect_left(self.numbers, number)
        if index == len(self.numbers) or self.numbers[index] != number:
            found = [i for i, n in enumerate(self.numbers) if n == number]  # rows out of order
            if not found:
                return {}
            index = found[0]
        chunk = self.xml[self.starts[index] : self.ends[index]]
        return {cell.column: cell for cell in _cells_of(chunk)}

    def text(self, cell: Cell, shared: Callable[[int], str]) -> str | None:
        """The text a cell shows when it holds text; `shared(i)` reads shared string i."""
        if cell.body is None:
            return None
        if cell.kind == b"s":
            value = _VALUE.search(cell.body)
            return shared(int(value.group(1))) if value and value.group(1).isdigit() else None
        if cell.kind == b"inlineStr":
            return html.unescape(b"".join(_TEXT.findall(cell.body)).decode("utf-8", "replace"))
        if cell.kind == b"str":
            value = _VALUE.search(cell.body)
            return html.unescape(value.group(1).decode("utf-8", "replace")) if value else None
        return None

    def last_content_row(self, kept: Callable[[int], int | None]) -> int:
        """The last row holding a value, numbered as `kept` maps it (None: the row goes)."""
        for index in reversed(range(len(self.numbers))):
            new = kept(self.numbers[index])
            if new is not None and _CONTENT.search(self.xml, self.starts[index], self.ends[index]):
                return new
        return 0

    def last_content_column(self) -> int:
        """The right-most column holding a value (a scan of every cell: call only when needed)."""
        last = 0
        for start, end in zip(self.starts, self.ends, strict=True):
            for cell in _cells_of(self.xml[start:end]):
                if cell.column > last and cell.body and _CONTENT.search(cell.body):
                    last = cell.column
        return last

    def _last_row(self, clear: bool, gone: list[int]) -> int:
        """The number of the last row element kept, once rows closed up."""
        return max(
            (
                number - bisect_left(gone, number)
                for number in self.numbers
                if not ((clear and number >= 2) or _is_gone(gone, number))
            ),
            default=0,
        )

    def rebuilt(
        self,
        *,
        title: str,
        clear: bool,
        gone: list[int],
        puts: dict[int, RowPut],
        last_column: int = 0,
        head: Callable[[bytes], bytes] = bytes,
        tail: Callable[[bytes], bytes] = bytes,
    ) -> Iterator[bytes | memoryview]:
        """The part in pieces: rows ≥ 2 cleared (`clear`), rows `gone` removed, cells put.

        `puts` maps a row (numbered after the removal) to what makes its new cells
        from the cells it holds now (none for a new row); rows are made in order.
        `head` and `tail` change the part before and after the rows, which are small.
        Runs of rows left as they were are views of the old part, not copies, and the
        pieces are made as they are asked for, so the new part never sits in memory whole.
        """
        xml = self.xml
        view = memoryview(xml)
        last = max(self._last_row(clear, gone), max(puts, default=0), 1)
        yield head(_with_dimension(xml[: self.data_start], last, last_column))
        wanted = sorted(puts)
        next_put = 0
        run_start = run_end = 0  # the rows being copied as they are
        for number, start, end in zip(self.numbers, self.starts, self.ends, strict=True):
            if (clear and number >= 2) or _is_gone(gone, number):
                continue
            new = number - bisect_left(gone, number)
            formulas = bool(gone) and xml.find(b"f>", start, end) >= 0
            edited = next_put < len(wanted) and wanted[next_put] <= new
            if not (formulas or edited or new != number):
                if run_end != start:
                    if run_end > run_start:
                        yield view[run_start:run_end]
                    run_start = start
                run_end = end
                continue
            if run_end > run_start:
                yield view[run_start:run_end]
            run_start = run_end = 0
            while next_put < len(wanted) and wanted[next_put] < new:
                yield self._new_row(wanted[next_put], puts[wanted[next_put]])
                next_put += 1
            put = puts[new] if next_put < len(wanted) and wanted[next_put] == new else None
            next_put += put is not None
            yield self._changed_row(xml[start:end], new, put, title, gone if formulas else [])
        if run_end > run_start:
            yield view[run_start:run_end]
        for number in wanted[next_put:]:
            yield self._new_row(number, puts[number])
        after = xml[self.data_end :]
        if gone:
            after = _closed_up_after_rows(after, title, gone)
        yield tail(after)

    def _changed_row(
        self, chunk: bytes, number: int, put: RowPut | None, title: str, gone: list[int]
    ) -> bytes:
        """Row element `chunk` as row `number`, its formulas moved for rows `gone` of `title`."""
        if gone:
            chunk = closed_up_formula_texts(chunk, title, gone, own_tab=True)
        if put is not None:
            return self._merged(chunk, number, put)
        return _renumbered(chunk, number)

    def _new_row(self, number: int, put: RowPut) -> bytes:
        made = put({})
        cells = b"".join(made[column] for column in sorted(made))
        return b'<%srow r="%d">%s</%srow>' % (self.prefix, number, cells, self.prefix)

    def _merged(self, chunk: bytes, number: int, put: RowPut) -> bytes:
        head = re.match(rb"<[^>]*?(/?)>", chunk)
        assert head is not None
        tag = _R.sub(b' r="%d"' % number, head.group(0), count=1)
        if head.group(1):
            tag = tag[:-2] + b">"
        cells = {cell.column: cell for cell in _cells_of(chunk)}
        made = put(cells)
        body = b"".join(
            made[column] if column in made else _renumbered(cells[column].xml, number)
            for column in sorted(set(cells) | set(made))
        )
        # Excel refuses a row whose `spans` hint leaves out a cell; it is optional.
        tag = re.sub(rb'\sspans="[^"]*"', b"", tag)
        return tag + body + b"</%srow>" % self.prefix


def unshared(xml: bytes) -> bytes:
    """The worksheet XML with shared formulas written out in every cell, as openpyxl reads them.

    A shared formula is written once and followed by cells that repeat it, moved by
    their distance; once rows close up that distance changes, so each cell gets its own.
    """
    if b'"shared"' not in xml:
        return xml
    masters: dict[bytes, tuple[str, str]] = {}

    def own(match: re.Match[bytes]) -> bytes:
        attrs = dict(_ATTRIBUTE.findall(match.group("fattrs")))
        if attrs.get(b"t") != b"shared" or b"si" not in attrs:
            return match.group(0)
        where = _R.search(match.group("cell"))
        cell = (where.group(1) + where.group(2)).decode() if where else ""
        text = html.unescape((match.group("text") or b"").decode("utf-8", "replace"))
        if text:
            masters[attrs[b"si"]] = (text, cell)
        elif attrs[b"si"] in masters and cell:
            origin_text, origin = masters[attrs[b"si"]]
            text = Translator("=" + origin_text, origin).translate_formula(cell)[1:]
        else:
            return match.group(0)
        formula = html.escape(text, quote=False).encode()
        p = match["p"] or b""
        return match.group("cell") + b"<%sf>%s</%sf>" % (p, formula, p)

    return _SHARED_FORMULA.sub(own, xml)


def _row_spans(
    xml: bytes, start: int, end: int, prefix: bytes
) -> tuple[array[int], array[int], array[int]]:
    """The number, start and end of each row element between `start` and `end`."""
    opening, closing = b"<%srow" % prefix, b"</%srow>" % prefix
    numbers, starts, ends = array("q"), array("q"), array("q")
    number = 0
    at = xml.find(opening, start, end)
    while at >= 0:
        tag_end = xml.index(b">", at)
        if xml[at + len(opening)] not in _TAG_NAME_END:  # <rowBreaks> or the like
            at = xml.find(opening, at + 1, end)
            continue
        if xml[tag_end - 1] == ord("/"):
            row_end = tag_end + 1
        else:
            row_end = xml.index(closing, tag_end) + len(closing)
        found = _R.search(xml, at, tag_end)
        number = int(found.group(2)) if found else number + 1
        numbers.append(number)
        starts.append(at)
        ends.append(row_end)
        at = xml.find(opening, row_end, end)
    return numbers, starts, ends


def _cells_of(row: bytes) -> Iterator[Cell]:
    column = 0
    for match in _CELL.finditer(row):
        attrs = match.group(1)
        found = _R.search(attrs)
        column = column_number(found.group(1)) if found and found.group(1) else column + 1
        style = _STYLE.search(attrs)
        kind = _KIND.search(attrs)
        yield Cell(
            column,
            match.group(0),
            int(style.group(1)) if style else None,
            kind.group(1) if kind else b"n",
            match.group(2),
        )


def _is_gone(gone: list[int], number: int) -> bool:
    at = bisect_left(gone, number)
    return at < len(gone) and gone[at] == number


def _renumbered(chunk: bytes, number: int) -> bytes:
    """A row or cell element with every reference in it moved to row `number`."""
    # A function rather than a template: re parses a template again for every new number.
    moved = b'%d"' % number
    return _R_NUMBER.sub(lambda match: match.group(1) + moved, chunk)


# --- cell ranges and formulas after rows close up --------------------------------------


def closed_up_ranges(ranges: str, gone: list[int]) -> str:
    """Space-separated cell ranges after rows `gone` were removed; removed ranges left out.

    A range reaching the sheet's last row keeps reaching it (a whole-column dropdown).
    """
    kept = []
    for one in ranges.split():
        moved = _closed_up_range(one, gone)
        if moved is not None:
            kept.append(moved)
    return " ".join(kept)


def _closed_up_range(one: str, gone: list[int]) -> str | None:
    ends = [_RANGE_END.match(end) for end in one.split(":")]
    if len(ends) > 2 or not all(ends):
        return one  # whole columns or rows, or a name: rows closing up leave it alone
    matches = [end for end in ends if end is not None]
    rows = [int(end.group(4)) for end in matches]
    if len(rows) == 1:
        if _is_gone(gone, rows[0]):
            return None
        moved = [rows[0] - bisect_left(gone, rows[0])]
    else:
        low, high = min(rows), max(rows)
        new_low = low - bisect_left(gone, low)
        new_high = high if high == LAST_ROW else high - bisect_right(gone, high)
        if new_high < new_low:
            return None
        moved = [new_low, new_high] if rows[0] <= rows[1] else [new_high, new_low]
    return ":".join(
        f"{end.group(1)}{end.group(2)}{end.group(3)}{row}"
        for end, row in zip(matches, moved, strict=True)
    )


def closed_up_formula_texts(
    xml: bytes,
    title: str,
    gone: list[int],
    *,
    own_tab: bool,
    absolute_only: bool = False,
    pattern: re.Pattern[bytes] = _FORMULA_TEXT,
) -> bytes:
    """`xml` with the formulas `pattern` finds moved as `closed_up_formula` does.

    `own_tab` says that references without a tab name are to the tab `title`;
    `absolute_only` moves only references with an absolute row ($5).
    """

    def moved(match: re.Match[bytes]) -> bytes:
        text = html.unescape(match.group(2).decode("utf-8", "replace"))
        formula = closed_up_formula(
            "=" + text, title, gone, own_tab=own_tab, absolute_only=absolute_only
        )
        if formula == "=" + text:
            return match.group(0)
        return match.group(1) + html.escape(formula[1:], quote=False).encode() + match.group(3)

    return pattern.sub(moved, xml)


def _closed_up_after_rows(tail: bytes, title: str, gone: list[int]) -> bytes:
    """The part after the rows, once rows `gone` were removed from tab `title`.

    The ranges of merged cells, links, validation, conditional formats and filters
    move up. Formulas of validation and conditional formats keep pointing at the
    same cells when they name them absolutely ($A$5); relative ones follow their
    range, as in Excel.
    """

    def ranges(match: re.Match[bytes]) -> bytes:
        moved = closed_up_ranges(match.group(2).decode(), gone)
        return match.group(1) + moved.encode() + match.group(3)

    tail = _RANGE_ATTRIBUTE.sub(ranges, tail)
    tail = _SQREF_ELEMENT.sub(ranges, tail)
    if b"$" in tail:
        tail = closed_up_formula_texts(
            tail, title, gone, own_tab=True, absolute_only=True, pattern=_CONDITION_FORMULA
        )
    return tail


def _with_dimension(xml: bytes, last_row: int, last_column: int) -> bytes:
    found = _DIMENSION.search(xml)
    if found is None:
        return xml
    first, _, last = found.group(2).decode().partition(":")
    end = _RANGE_END.match(last or first)
    if end is None:
        return xml
    letters = _letters(max(column_number(end.group(2)), last_column))
    start = first if last else "A1"
    ref = f"{start}:{letters}{max(last_row, 1)}".encode()
    return xml[: found.start(2)] + ref + xml[found.end(2) :]
