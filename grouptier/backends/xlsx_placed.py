"""Comments, pictures, charts and shapes placed on a tab, moved as its rows close up.

As in Excel when rows are deleted: comments (the comments part, threaded comments
and the VML shapes that show them) move with their cell, and one on a removed row
goes with it; pictures, charts and shapes (`xdr:from`/`xdr:to` of a drawing) move
up with the rows they sit on. One whose rows are all removed is never dropped (it
is a manager's chart or logo): it moves to the first row left below and keeps its
height, as one placed "move but don't size with cells" does. One set "don't move
or size with cells" (`editAs="absolute"`) stays where it is.

Every function takes `gone`, the removed sheet row numbers, sorted.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from grouptier.backends.xlsx_closing import closed_up_reference, is_gone

__all__ = ["closed_up_comments", "closed_up_drawing", "closed_up_vml"]

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


def _snapped(row: int, gone: list[int]) -> int:
    """Where sheet row `row` lands: its new number, or that of the first row left below it."""
    return row - bisect_left(gone, row)


def closed_up_comments(xml: bytes, gone: list[int]) -> bytes:
    """A comments or threaded comments part: each comment moved with its cell, or dropped."""

    def moved(match: re.Match[bytes]) -> bytes:
        ref = match.group("ref").decode()
        new = closed_up_reference(ref, gone)
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
