"""One worksheet's XML, changed as it streams: rows removed, renumbered, cells put, the rest kept.

`Worksheet` reads the part once as a stream without cutting it up, keeping its
start (up to the header row) and its last megabytes, where the last rows are;
`Worksheet.rebuilt` reads it again, cutting it at its row elements (`_split`,
C-speed searches), and writes the new part as it goes: rows that nothing
touches are copied as bytes, rows below removed ones get their new numbers, and
only the rows holding a written cell are taken apart into cells. Everything
outside `<sheetData>` (views, columns, merged cells, validation, conditional
formats, extensions) is handed to the writer, which moves what rows closing up
move (`xlsx_closing`). The part never sits in memory whole: a due run on a
200,000-row Activity tab (76 MB of XML) stays under 400 MB.

The cells put are made by `xlsx_cells`.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from xml.etree import ElementTree

from openpyxl.formula.translate import Translator

from grouptier.backends.xlsx_cells import attributes, column_letters, column_number
from grouptier.backends.xlsx_closing import is_gone

__all__ = ["Cell", "Chunks", "RowPut", "Worksheet", "unshared"]

_SHEET_DATA = re.compile(rb"<([\w.-]+:)?sheetData\b[^>]*?(/?)>")
_CELL = re.compile(rb"<(?:[\w.-]+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:[\w.-]+:)?c>)", re.DOTALL)
_R = re.compile(rb'\sr="([A-Z]{0,3})(\d+)"')
# A row's or cell's `r` attribute up to its row number; only inside those tags, never text.
_R_NUMBER = re.compile(rb'(<(?:[\w.-]+:)?(?:c|row)\s[^>]*?\br="[A-Z]{0,3})\d+"')
_SHARED_FORMULA = re.compile(
    rb"(?P<cell><(?:[\w.-]+:)?c\b[^>]*>\s*)<(?P<p>[\w.-]+:)?f\b(?P<fattrs>[^>]*?)"
    rb"(?:/>|>(?P<text>[^<]*)</(?:[\w.-]+:)?f>)"
)
_STYLE = re.compile(rb'\ss="(\d+)"')
_KIND = re.compile(rb'\st="([^"]*)"')
_CONTENT = re.compile(rb"<(?:[\w.-]+:)?(?:v>[^<]|t\b[^>]*>[^<]|f\b)")
_TEXT = re.compile(rb"<(?:[\w.-]+:)?t\b[^>]*>([^<]*)</")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v\b[^>]*>([^<]*)</")
_DIMENSION = re.compile(rb'(<(?:[\w.-]+:)?dimension\b[^>]*?\bref=")([^"]*)(")')
_RANGE_END = re.compile(r"^(\$?)([A-Za-z]{1,3})(\$?)(\d+)$")
_FORMULA_START = re.compile(rb"<(?:[\w.-]+:)?f[\s/>]")
_CELL_TAG = re.compile(rb"<(/?)(c|v|is|t)\b")
_TAG_NAME_END = frozenset(b" \t\r\n/>")
_SHARED_CELL = re.compile(rb'<(?:[\w.-]+:)?c\b[^>]*?\st="s"')


@dataclass(frozen=True)
class Cell:
    """A cell element as the file holds it."""

    column: int
    xml: bytes
    style: int | None
    kind: bytes
    body: bytes | None


RowPut = Callable[[dict[int, "Cell"]], dict[int, bytes]]
"""Makes the new cell elements of a row, by column, from the cells it holds now."""


Chunks = Callable[[], Iterable[bytes]]
"""Opens a part afresh: its content in pieces, in order."""

_HEAD, _TAIL = 0, -1
_WINDOW_CHUNKS = 3  # the last three pieces (3 MB) of a part hold its last thousands of rows
_PIECE = 1 << 18  # untouched rows go out in pieces of about this many bytes


class Worksheet:
    """A worksheet part, read as a stream: never the whole part at once.

    A 200,000-row Activity tab is 76 MB of XML. Opening it reads the part once
    without cutting it up, keeping its start (up to the header row) and its last
    few megabytes, where the last rows are; `rebuilt` reads it again and writes
    the new part as it goes. Only when those last rows are all removed or empty is
    the whole part cut into rows to find the last one left.
    """

    def __init__(self, chunks: Chunks) -> None:
        self._chunks = chunks
        window: deque[bytes] = deque(maxlen=_WINDOW_CHUNKS)
        recorded = _recorded(chunks(), window)
        parts = _split(recorded)
        self.head = next(parts)[1]
        first = next(parts)
        opening = _SHEET_DATA.search(self.head)
        self.prefix = (opening.group(1) or b"") if opening else b""
        self._first = first if first[0] != _TAIL else None
        for _ in recorded:  # read to the end: the window keeps the last pieces
            pass
        self._last_rows, self._all_rows = _trailing_rows(b"".join(window), self.prefix)
        if self._first is not None and self._first not in self._last_rows:
            self._all_rows = False
        self.dropped_shared = 0  # shared-string cells the last `rebuilt` left out

    def _last_where(self, wanted: Callable[[int, bytes], bool]) -> int | None:
        """The number of the last row element `wanted(number, element)` holds for, if any.

        The window's rows are looked at first; only when none of them is wanted is the
        part read again, row by row, keeping nothing but the last one found.
        """
        for number, piece in reversed(self._last_rows):
            if wanted(number, piece):
                return number
        if self._all_rows:
            return None
        found = None
        for number, piece in _split(self._chunks()):
            if number > 0 and wanted(number, piece):
                found = number
        return found

    def cells(self, number: int) -> dict[int, Cell]:
        """The cells of row `number`, by column."""
        known = [self._first, *self._last_rows] if self._first else self._last_rows
        near = [piece for n, piece in known if n == number]
        if not near:  # rare: a row neither first nor among the last
            near = [piece for n, piece in _split(self._chunks()) if n == number][:1]
        chunk = near[0] if near else b""
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
        found = self._last_where(
            lambda number, piece: kept(number) is not None and _CONTENT.search(piece) is not None
        )
        return kept(found) or 0 if found is not None else 0

    def last_content_column(self) -> int:
        """The right-most column holding a value (a read of every cell: call only when needed)."""
        last = 0
        for number, piece in _split(self._chunks()):
            if number > 0:
                for cell in _cells_of(piece):
                    if cell.column > last and cell.body and _CONTENT.search(cell.body):
                        last = cell.column
        return last

    def _last_row(self, clear: bool, gone: list[int]) -> int:
        """The number of the last row element kept, once rows closed up."""
        if clear:  # only the header row stays
            return 1 if self._first is not None and self._first[0] == 1 else 0
        found = self._last_where(lambda number, _: not is_gone(gone, number))
        return found - bisect_left(gone, found) if found is not None else 0

    def rebuilt(
        self,
        *,
        clear: bool,
        gone: list[int],
        puts: dict[int, RowPut],
        last_column: int = 0,
        formulas: Callable[[bytes], bytes] | None = None,
        head: Callable[[bytes], bytes] = bytes,
        tail: Callable[[bytes], bytes] = bytes,
    ) -> Iterator[bytes]:
        """The part in pieces: rows ≥ 2 cleared (`clear`), rows `gone` removed, cells put.

        `puts` maps a row (numbered after the removal) to what makes its new cells
        from the cells it holds now (none for a new row); rows are made in order.
        `formulas` moves the formulas of a row that holds some (rows are given in
        order); `head` and `tail` change the part before and after the rows, which
        are small. The pieces are made as they are asked for, from the part read
        again, so neither the old part nor the new one ever sits in memory whole.
        """
        last = max(self._last_row(clear, gone), max(puts, default=0), 1)
        wanted = sorted(puts)
        next_put = 0
        self.dropped_shared = 0
        run: list[bytes] = []  # rows left as they were, not yet given out
        size = 0
        tail_part = b""
        for number, piece in _split(self._chunks()):
            if number == _HEAD:
                yield head(_with_dimension(piece, last, last_column))
                continue
            if number == _TAIL:
                tail_part = piece
                break
            if (clear and number >= 2) or is_gone(gone, number):
                self.dropped_shared += _shared_cells(piece)
                if formulas is not None and b'"shared"' in piece:
                    formulas(piece)  # a shared formula starting here is repeated below
                continue
            new = number - bisect_left(gone, number)
            moved = formulas is not None and _FORMULA_START.search(piece) is not None
            edited = next_put < len(wanted) and wanted[next_put] <= new
            if not (moved or edited or new != number):
                run.append(piece)
                size += len(piece)
                if size >= _PIECE:
                    yield b"".join(run)
                    run, size = [], 0
                continue
            if run:
                yield b"".join(run)
                run, size = [], 0
            while next_put < len(wanted) and wanted[next_put] < new:
                yield self._new_row(wanted[next_put], puts[wanted[next_put]])
                next_put += 1
            put = puts[new] if next_put < len(wanted) and wanted[next_put] == new else None
            next_put += put is not None
            row = formulas(piece) if moved and formulas is not None else piece
            yield self._merged(row, new, put) if put is not None else _renumbered(row, new)
        if run:
            yield b"".join(run)
        for number in wanted[next_put:]:
            yield self._new_row(number, puts[number])
        yield tail(tail_part)

    def _new_row(self, number: int, put: RowPut) -> bytes:
        made = self._prefixed(put({}))
        cells = b"".join(made[column] for column in sorted(made))
        return b'<%srow r="%d">%s</%srow>' % (self.prefix, number, cells, self.prefix)

    def _prefixed(self, made: dict[int, bytes]) -> dict[int, bytes]:
        """Cells made by `cell_xml` in this part's namespace prefix, if it uses one (x:c)."""
        if not self.prefix:
            return made
        tag = rb"<\1%s\2" % self.prefix
        return {column: _CELL_TAG.sub(tag, xml) for column, xml in made.items()}

    def _merged(self, chunk: bytes, number: int, put: RowPut) -> bytes:
        head = re.match(rb"<[^>]*?(/?)>", chunk)
        assert head is not None
        tag = _R.sub(b' r="%d"' % number, head.group(0), count=1)
        if head.group(1):
            tag = tag[:-2] + b">"
        cells = {cell.column: cell for cell in _cells_of(chunk)}
        made = self._prefixed(put(cells))
        self.dropped_shared += sum(cells[c].kind == b"s" for c in made if c in cells)
        body = b"".join(
            made[column] if column in made else _renumbered(cells[column].xml, number)
            for column in sorted(set(cells) | set(made))
        )
        # Excel refuses a row whose `spans` hint leaves out a cell; it is optional.
        tag = re.sub(rb'\sspans="[^"]*"', b"", tag)
        return tag + body + b"</%srow>" % self.prefix


def unshared(
    xml: bytes,
    masters: dict[bytes, tuple[str, str] | None],
    wanted: Callable[[str], bool] | None = None,
) -> bytes:
    """Worksheet XML with shared formulas written out in every cell, as openpyxl reads them.

    A shared formula is written once and followed by cells that repeat it, moved by
    their distance; once rows close up that distance changes, so each cell gets its own.
    `masters` holds the shared formulas met so far (rows come in order): give the
    same dict for each row of a tab. With `wanted`, only the shared formulas whose
    text it accepts are written out; the others stay shared.
    """
    if b'"shared"' not in xml:
        return xml

    def own(match: re.Match[bytes]) -> bytes:
        attrs = attributes(match.group("fattrs"))
        if attrs.get(b"t") != b"shared" or b"si" not in attrs:
            return match.group(0)
        where = _R.search(match.group("cell"))
        cell = (where.group(1) + where.group(2)).decode() if where else ""
        text = html.unescape((match.group("text") or b"").decode("utf-8", "replace"))
        master = masters.get(attrs[b"si"])
        if text:
            kept = wanted is not None and not wanted(text)
            masters[attrs[b"si"]] = None if kept else (text, cell)
            if kept:
                return match.group(0)
        elif master is not None and cell:
            text = Translator("=" + master[0], master[1]).translate_formula(cell)[1:]
        else:
            return match.group(0)
        formula = html.escape(text, quote=False).encode()
        p = match["p"] or b""
        return match.group("cell") + b"<%sf>%s</%sf>" % (p, formula, p)

    return _SHARED_FORMULA.sub(own, xml)


def _split(chunks: Iterable[bytes]) -> Iterator[tuple[int, bytes]]:
    """A worksheet's content cut up: (0, all up to `<sheetData>`), (number, row) for each
    row element, then (-1, all from `</sheetData>`). `<sheetData/>` comes out opened and closed.

    Reads `chunks` as it goes, holding one chunk and the row it cuts at most.
    """
    pieces = iter(chunks)
    buffer = b""
    opening = None
    while opening is None:
        buffer = _more(buffer, 0, pieces, "the worksheet has no <sheetData>")
        opening = _SHEET_DATA.search(buffer)
    prefix = opening.group(1) or b""
    end_tag = b"</%ssheetData>" % prefix
    if opening.group(2):  # <sheetData/>: no rows
        yield _HEAD, buffer[: opening.start()] + opening.group(0)[:-2] + b">"
        yield _TAIL, end_tag + buffer[opening.end() :] + b"".join(pieces)
        return
    yield _HEAD, buffer[: opening.end()]
    row_open, row_close = b"<%srow" % prefix, b"</%srow>" % prefix
    at, number = opening.end(), 0
    while True:
        # Plain searches at C speed, one row after another, until a row is cut by the
        # buffer's end; then the buffer grows and the search goes on where it was.
        find = buffer.find
        start = find(row_open, at)
        while start >= 0:
            tag_end = find(b">", start)
            if tag_end < 0:
                break
            if buffer[start + len(row_open)] not in _TAG_NAME_END:  # <rowBreaks> or the like
                start = find(row_open, start + 1)
                continue
            if buffer[tag_end - 1] == 47:  # "/": <row r="5"/>
                row_end = tag_end + 1
            else:
                row_end = find(row_close, tag_end)
                if row_end < 0:
                    break
                row_end += len(row_close)
            if start != at and find(end_tag, at, start) >= 0:
                break  # the rows ended before this element
            found = _R.search(buffer, start, tag_end)
            number = int(found.group(2)) if found else number + 1
            yield number, buffer[start:row_end]
            at = row_end
            start = find(row_open, row_end)
        stop = find(end_tag, at)
        if stop >= 0 and (start < 0 or stop < start):
            yield _TAIL, buffer[stop:] + b"".join(pieces)
            return
        buffer = _more(buffer, at, pieces, "the worksheet's rows are cut short")
        at = 0


def _recorded(chunks: Iterable[bytes], window: deque[bytes]) -> Iterator[bytes]:
    """`chunks`, the last of them kept in `window` as they pass."""
    for chunk in chunks:
        window.append(chunk)
        yield chunk


def _trailing_rows(window: bytes, prefix: bytes) -> tuple[list[tuple[int, bytes]], bool]:
    """The whole row elements in `window`, the part's last bytes; True if it holds them all.

    A row element holds only cells, so the first `<row` in the window starts a row.
    """
    end = window.rfind(b"</%ssheetData>" % prefix)
    data = window.find(b"<%ssheetData" % prefix)
    if end < 0:
        return [], False  # what follows the rows is longer than the window: cut all up
    tags = (b"<%ssheetData>" % prefix, b"</%ssheetData>" % prefix)
    rows = [(n, p) for n, p in _split([tags[0], window[max(data, 0) : end], tags[1]]) if n > 0]
    if not all(_R.search(piece, 0, piece.find(b">")) for _, piece in rows):
        return [], False  # rows numbered by their place only: count them from the start
    return rows, data >= 0


def _more(buffer: bytes, at: int, pieces: Iterator[bytes], missing: str) -> bytes:
    """`buffer` from `at` on, with at least as many bytes again read from `pieces`.

    Growing by at least the bytes held keeps a huge row (a hostile file) read in
    linear time, not searched again for every chunk added.
    """
    kept = buffer[at:]
    added: list[bytes] = []
    size = 0
    while size < max(len(kept), 1):
        more = next(pieces, None)
        if more is None:
            break
        added.append(more)
        size += len(more)
    if not added:
        raise ElementTree.ParseError(missing)
    return kept + b"".join(added)


def _shared_cells(row: bytes) -> int:
    """How many cells of a row element hold a shared string."""
    return len(_SHARED_CELL.findall(row)) if b'"s"' in row else 0


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


def _renumbered(chunk: bytes, number: int) -> bytes:
    """A row or cell element with every reference in it moved to row `number`."""
    # A function rather than a template: re parses a template again for every new number.
    moved = b'%d"' % number
    return _R_NUMBER.sub(lambda match: match.group(1) + moved, chunk)


def _with_dimension(xml: bytes, last_row: int, last_column: int) -> bytes:
    found = _DIMENSION.search(xml)
    if found is None:
        return xml
    first, _, last = found.group(2).decode().partition(":")
    end = _RANGE_END.match(last or first)
    if end is None:
        return xml
    letters = column_letters(max(column_number(end.group(2)), last_column))
    start = first if last else "A1"
    ref = f"{start}:{letters}{max(last_row, 1)}".encode()
    return xml[: found.start(2)] + ref + xml[found.end(2) :]
