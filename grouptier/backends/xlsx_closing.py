"""What moves when rows are removed from a tab, as Excel moves it when rows are deleted.

Removed rows take their cells with them and the rows below close up. What points
at rows follows: cell ranges (merged cells, links, validation, conditional
formats, filters, array formulas), formulas (`closed_up_formula`: a reference to
a removed cell becomes #REF!, as in Excel), and what is placed on the tab at rows:

- comments (the comments part, threaded comments and the VML shapes that show
  them) move with their cell; a comment on a removed row goes with it;
- pictures, charts and shapes (`xdr:from`/`xdr:to` of a drawing) move up with
  the rows they sit on. One whose rows are all removed is never dropped (it is a
  manager's chart or logo): it moves to the first row left below and keeps its
  height, as one placed "move but don't size with cells" does. One set "don't
  move or size with cells" (`editAs="absolute"`) stays where it is.

Every function takes `gone`, the removed sheet row numbers, sorted.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right

from grouptier.backends.xlsx_safety import closed_up_formula

__all__ = [
    "closed_up_after_rows",
    "closed_up_comments",
    "closed_up_drawing",
    "closed_up_formula_texts",
    "closed_up_ranges",
    "closed_up_vml",
    "is_gone",
    "mentions",
]

LAST_ROW = 1_048_576

_RANGE_END = re.compile(r"^(\$?)([A-Za-z]{1,3})(\$?)(\d+)$")
_FORMULA_TEXT = re.compile(rb"(<(?:[\w.-]+:)?f\b[^>]*>)([^<]+)(</(?:[\w.-]+:)?f>)")
_RANGE_ATTRIBUTE = re.compile(rb'(\s(?:sq)?ref=")([^"]*)(")')
_SQREF_ELEMENT = re.compile(rb"(<(?:[\w.-]+:)?sqref>)([^<]*)(</)")
_CONDITION_FORMULA = re.compile(rb"(<(?:[\w.-]+:)?(?:formula1?|formula2|f)>)([^<]+)(</)")
_ARRAY_REF = re.compile(rb'(<(?:[\w.-]+:)?f\b[^>]*?\sref=")([^"]*)(")')
_COMMENT = re.compile(
    rb'<(?P<p>[\w.-]+:)?(?P<tag>comment|threadedComment)\b[^>]*?\sref="(?P<ref>[^"]*)"'
    rb"[^>]*?(?:/>|>.*?</(?P=p)?(?P=tag)>)",
    re.DOTALL,
)
_VML_SHAPE = re.compile(rb"<(?P<p>[\w.-]+:)?shape\b[^>]*>.*?</(?P=p)?shape>", re.DOTALL)
_VML_ROW = re.compile(rb"(<(?:[\w.-]+:)?Row>\s*)(\d+)(\s*</)")
_VML_ANCHOR = re.compile(rb"(<(?:[\w.-]+:)?Anchor>)([^<]*)(</)")
_DRAWING_ANCHOR = re.compile(
    rb"<(?P<p>[\w.-]+:)?(?P<tag>twoCellAnchor|oneCellAnchor)\b(?P<attrs>[^>]*)>.*?"
    rb"</(?P=p)?(?P=tag)>",
    re.DOTALL,
)
_MARKER = re.compile(rb"<(?P<p>[\w.-]+:)?(?P<end>from|to)>.*?</(?P=p)?(?P=end)>", re.DOTALL)
_MARKER_ROW = re.compile(rb"(<(?:[\w.-]+:)?row>)(\d+)(</)")
_MARKER_OFFSET = re.compile(rb"(<(?:[\w.-]+:)?rowOff>)(-?\d+)(</)")


def is_gone(gone: list[int], number: int) -> bool:
    """True when row `number` is one of the removed rows `gone`."""
    at = bisect_left(gone, number)
    return at < len(gone) and gone[at] == number


def mentions(xml: bytes, title: str) -> bool:
    """True when `xml` may name the tab `title` (raw, XML-escaped, quoted with '' inside)."""
    quoted = title.replace("'", "''")
    return any(
        form.encode() in xml
        for form in {title, quoted, html.escape(title), html.escape(quoted)}
        | {html.escape(quoted, quote=False), html.escape(title, quote=False)}
    )


# --- cell ranges and formulas ---------------------------------------------------------


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
        if is_gone(gone, rows[0]):
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


def closed_up_array_refs(row: bytes, gone: list[int]) -> bytes:
    """A row's array formulas with their ranges (`<f t="array" ref=...>`) closed up."""
    if b"ref=" not in row:
        return row

    def moved(match: re.Match[bytes]) -> bytes:
        ranges = closed_up_ranges(match.group(2).decode(), gone)
        return match.group(1) + ranges.encode() + match.group(3)

    return _ARRAY_REF.sub(moved, row)


def closed_up_after_rows(tail: bytes, title: str, gone: list[int]) -> bytes:
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


# --- what is placed on the tab ---------------------------------------------------------


def _snapped(row: int, gone: list[int]) -> int:
    """Where sheet row `row` lands: its new number, or that of the first row left below it."""
    return row - bisect_left(gone, row)


def closed_up_comments(xml: bytes, gone: list[int]) -> bytes:
    """A comments or threaded comments part: each comment moved with its cell, or dropped."""

    def moved(match: re.Match[bytes]) -> bytes:
        ref = match.group("ref").decode()
        new = _closed_up_range(ref, gone)
        if new is None:
            return b""
        start = match.start("ref") - match.start()
        whole = match.group(0)
        return whole[:start] + new.encode() + whole[start + len(match.group("ref")) :]

    return _COMMENT.sub(moved, xml)


def closed_up_vml(xml: bytes, gone: list[int]) -> bytes:
    """A VML drawing: comment boxes follow their cell (or go with it), controls their rows."""

    def moved(match: re.Match[bytes]) -> bytes:
        shape = match.group(0)
        row = _VML_ROW.search(shape)
        if row is not None and is_gone(gone, int(row.group(2)) + 1):
            return b""  # the comment it shows went with its row
        if row is not None:
            new = _snapped(int(row.group(2)) + 1, gone) - 1
            shape = _VML_ROW.sub(lambda m: m.group(1) + b"%d" % new + m.group(3), shape, 1)
        return _VML_ANCHOR.sub(
            lambda m: m.group(1) + _vml_anchor(m.group(2), gone) + m.group(3), shape
        )

    return _VML_SHAPE.sub(moved, xml)


def _vml_anchor(anchor: bytes, gone: list[int]) -> bytes:
    """`LeftCol, LeftOff, TopRow, TopOff, RightCol, RightOff, BottomRow, BottomOff`, moved."""
    parts = [part.strip() for part in anchor.split(b",")]
    if len(parts) != 8 or not all(part.lstrip(b"-").isdigit() for part in parts):
        return anchor
    top, bottom = int(parts[2]), int(parts[6])
    new_top = _snapped(top + 1, gone) - 1
    new_bottom = max(_snapped(bottom + 1, gone) - 1, new_top)
    if is_gone(gone, top + 1) or new_bottom == new_top < bottom - top:
        new_bottom = new_top + (bottom - top)  # keep the box's height
    parts[2], parts[6] = b"%d" % new_top, b"%d" % new_bottom
    return b", ".join(parts)


def closed_up_drawing(xml: bytes, gone: list[int]) -> bytes:
    """A drawing part: pictures, charts and shapes moved up with the rows they sit on."""
    return _DRAWING_ANCHOR.sub(lambda match: _moved_anchor(match, gone), xml)


def _moved_anchor(match: re.Match[bytes], gone: list[int]) -> bytes:
    anchor = match.group(0)
    edit_as = re.search(rb'\beditAs="(\w+)"', match.group("attrs"))
    if edit_as is not None and edit_as.group(1) == b"absolute":
        return anchor
    markers = {m.group("end"): m for m in _MARKER.finditer(anchor)}
    start = markers.get(b"from")
    rows = {end: _MARKER_ROW.search(m.group(0)) for end, m in markers.items()}
    if start is None or rows.get(b"from") is None:
        return anchor
    top = int(rows[b"from"].group(2)) + 1  # type: ignore[union-attr]
    new_top = _snapped(top, gone)
    shifts = {b"from": (new_top - top, is_gone(gone, top))}
    end = markers.get(b"to")
    if end is not None and rows.get(b"to") is not None:
        bottom = int(rows[b"to"].group(2)) + 1  # type: ignore[union-attr]
        new_bottom = _snapped(bottom, gone)
        sized = edit_as is None or edit_as.group(1) == b"twoCell"
        if not sized or is_gone(gone, top) or new_bottom < new_top:
            shifts[b"to"] = (new_top - top, False)  # keeps its height
        else:
            shifts[b"to"] = (new_bottom - bottom, is_gone(gone, bottom))
    pieces, at = [], 0
    for name, (shift, snapped) in shifts.items():
        marker = markers[name]
        pieces += [anchor[at : marker.start()], _shifted_marker(marker.group(0), shift, snapped)]
        at = marker.end()
    return b"".join([*pieces, anchor[at:]])


def _shifted_marker(marker: bytes, shift: int, snapped: bool) -> bytes:
    """An `xdr:from` or `xdr:to` moved `shift` rows; at the top of its row if it `snapped`."""
    marker = _MARKER_ROW.sub(
        lambda m: m.group(1) + b"%d" % (int(m.group(2)) + shift) + m.group(3), marker, 1
    )
    if snapped:
        marker = _MARKER_OFFSET.sub(lambda m: m.group(1) + b"0" + m.group(3), marker, 1)
    return marker
