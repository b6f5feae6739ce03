"""What moves when rows are removed from a tab, as Excel moves it when rows are deleted.

Removed rows take their cells with them and the rows below close up. What points
at rows follows:

- references (`closed_up_reference`, the one rule for formulas and ranges alike):
  a reference to a removed cell becomes #REF!, a range loses its removed rows,
  and one reaching the sheet's last row stays pinned there, as in Excel;
- what stands on a range after the rows (`closed_up_after_rows`): merged cells,
  links, validation, conditional formats, filters and their sort, sparklines.
  One whose cells all went goes with them (Excel drops it too; an empty range
  would make the file unreadable). The relative references of a format's or a
  validation's formulas are offsets from its top-left cell, so they move with
  that cell; absolute ones ($A$5) close up like any reference, and those to
  other tabs stay;
- a table's ranges (`closed_up_table`); the ranges of array formulas.

What is placed on the tab at rows (comments, pictures, charts, shapes) follows in
`xlsx_placed`.

Every function takes `gone`, the removed sheet row numbers, sorted.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from functools import partial

from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError
from openpyxl.utils.cell import column_index_from_string, get_column_letter

__all__ = [
    "closed_up_after_rows",
    "closed_up_array_refs",
    "closed_up_formula",
    "closed_up_formula_texts",
    "closed_up_ranges",
    "closed_up_reference",
    "closed_up_table",
    "is_gone",
    "mentions",
    "names_any",
]

LAST_ROW = 1_048_576
LAST_COLUMN = 16_384

# One end of a cell reference: column (maybe absolute, absent in a row range), row.
_REFERENCE_END = re.compile(r"^(\$?[A-Za-z]{1,3})?(\$?)(\d+)$")
# Formulas of conditional formats (formula), validation (formula1, formula2), and of
# Excel 2010's extensions (xm:f).
_RANGE_FORMULA = re.compile(rb"(<(?:[\w.-]+:)?(?:formula[12]?|f)>)([^<]+)(</)")
# A colour scale's, data bar's or icon set's threshold given as a formula.
_SCALE_FORMULA = re.compile(
    rb'(<(?:[\w.-]+:)?cfvo\b(?=[^>]*\stype="formula")[^>]*?\sval=")([^"]*)(")'
)
# Any formula of a worksheet: a cell's (f, maybe with attributes) or one of those above.
_ANY_FORMULA = re.compile(rb"(<(?:[\w.-]+:)?(?:formula[12]?|f)\b[^>]*>)([^<]+)(</)")
_RANGE_ATTRIBUTE = re.compile(rb'(\s(?:sq)?ref=")([^"]*)(")')
_SQREF_ELEMENT = re.compile(rb"(<(?:[\w.-]+:)?sqref>)([^<]*)(</)")
_ARRAY_REF = re.compile(rb'(<(?:[\w.-]+:)?f\b[^>]*?\sref=")([^"]*)(")')
_TABLE_RANGE = re.compile(rb'(<(?:[\w.-]+:)?(?:table|autoFilter)\b[^>]*?\bref=")([^"]*)(")')
_RANGE = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+):\$?([A-Z]{1,3})\$?(\d+)$")


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


def names_any(titles: list[str], formula: str) -> bool:
    """True when the text of `formula` may name one of the tabs `titles`."""
    return any(mentions(formula.encode(), title) for title in titles)


# --- references ------------------------------------------------------------------------


def closed_up_reference(
    cells: str, gone: list[int], anchor_shift: tuple[int, int] | None = None
) -> str | None:
    """A cell or range (`B5`, `$B$2:C9`, `3:5`) once rows `gone` went; None if all its cells did.

    A range loses its removed rows; one reaching the sheet's last row keeps reaching
    it (Excel pins it there: `B2:B1048576` stays whole). Whole columns and names are
    left alone. With `anchor_shift` (rows, columns) the reference is in a formula
    written relative to a cell that moved that much (a conditional format's top-left
    cell): its relative parts move with that cell, only absolute rows close up.
    """
    ends = [_REFERENCE_END.match(end) for end in cells.split(":")]
    if len(ends) > 2 or not all(ends):
        return cells
    matches = [end for end in ends if end is not None]
    rows = [int(end.group(3)) for end in matches]
    roles = ["cell"] if len(rows) == 1 else ["low", "high"]
    if len(rows) == 2 and rows[0] > rows[1]:
        roles.reverse()
    moved = [
        _moved_end(end, row, role, gone, anchor_shift)
        for end, row, role in zip(matches, rows, roles, strict=True)
    ]
    kept = [end for end in moved if end is not None]
    if len(kept) < len(moved):
        return None
    low, high = (kept[0][1], kept[-1][1]) if roles[0] != "high" else (kept[1][1], kept[0][1])
    if anchor_shift is None and high < low:
        return None  # every row of the range went
    return ":".join(f"{cell}{row}" for cell, row in kept)


def _moved_end(
    end: re.Match[str],
    row: int,
    role: str,
    gone: list[int],
    anchor_shift: tuple[int, int] | None,
) -> tuple[str, int] | None:
    """One end of a reference moved: (its column and row's $, its new row); None off the sheet."""
    column = end.group(1) or ""
    if anchor_shift is not None and not end.group(2):
        new_row: int | None = row + anchor_shift[0]
    else:
        new_row = _closed_up_row(row, role, gone)
    if anchor_shift is not None and anchor_shift[1] and column[:1] not in ("", "$"):
        shifted = _shifted_column(column, anchor_shift[1])
        if shifted is None:
            return None
        column = shifted
    if new_row is None or not 1 <= new_row <= LAST_ROW:
        return None
    return column + end.group(2), new_row


def _closed_up_row(row: int, role: str, gone: list[int]) -> int | None:
    """Where a reference's row goes: a cell's (None once removed), a range's top or bottom."""
    if role == "cell":
        return None if is_gone(gone, row) else row - bisect_left(gone, row)
    if role == "low":
        return row - bisect_left(gone, row)
    return row if row == LAST_ROW else row - bisect_right(gone, row)


def _shifted_column(column: str, shift: int) -> str | None:
    number = column_index_from_string(column) + shift
    return get_column_letter(number) if 1 <= number <= LAST_COLUMN else None


def closed_up_ranges(ranges: str, gone: list[int]) -> str:
    """Space-separated cell ranges after rows `gone` were removed; removed ranges left out."""
    kept = (closed_up_reference(one, gone) for one in ranges.split())
    return " ".join(one for one in kept if one is not None)


def _top_left(ranges: str) -> tuple[int, int] | None:
    """The row and column of the top-left corner of space-separated ranges, if any."""
    corners = [
        (int(end.group(3)), column_index_from_string(end.group(1).lstrip("$")))
        for one in ranges.split()
        for end in map(_REFERENCE_END.match, one.split(":"))
        if end is not None and end.group(1)
    ]
    if not corners:
        return None
    return min(row for row, _ in corners), min(column for _, column in corners)


def closed_up_formula(
    formula: str,
    title: str,
    gone: list[int],
    *,
    own_tab: bool = True,
    anchor_shift: tuple[int, int] | None = None,
) -> str:
    """`formula` after rows `gone` of tab `title` were removed, as Excel would.

    Each reference to that tab is moved by `closed_up_reference` (a removed cell
    becomes #REF!); other tabs are left alone. `own_tab` says the formula sits on
    tab `title`, so references without a tab name are to it too. `anchor_shift` is
    for the formulas of a conditional format or validation whose top-left cell
    moved: relative references to tab `title` move with that cell. (References to
    other tabs stay: a dropdown's list on another tab keeps its list.)
    """
    try:
        tokens = Tokenizer(formula).items
    except TokenizerError:
        return formula
    if not tokens or tokens[0].type == Token.LITERAL:
        return formula
    return "=" + "".join(
        _moved_reference(token.value, title, gone, own_tab, anchor_shift)
        if token.type == Token.OPERAND and token.subtype == Token.RANGE
        else token.value
        for token in tokens
    )


def _moved_reference(
    reference: str,
    title: str,
    gone: list[int],
    own_tab: bool,
    anchor_shift: tuple[int, int] | None,
) -> str:
    tab, bang, cells = reference.rpartition("!")
    cut = tab.strip("'").replace("''", "'").lower() == title.lower() if bang else own_tab
    if not cut:
        return reference
    moved = closed_up_reference(cells, gone, anchor_shift)
    return "#REF!" if moved is None else f"{tab}{bang}{moved}"


def closed_up_formula_texts(
    xml: bytes,
    title: str,
    gone: list[int],
    *,
    own_tab: bool,
    anchor_shift: tuple[int, int] | None = None,
    pattern: re.Pattern[bytes] = _ANY_FORMULA,
) -> bytes:
    """`xml` with the formulas `pattern` finds moved as `closed_up_formula` moves them."""

    def moved(match: re.Match[bytes]) -> bytes:
        text = html.unescape(match.group(2).decode("utf-8", "replace"))
        formula = closed_up_formula(
            "=" + text, title, gone, own_tab=own_tab, anchor_shift=anchor_shift
        )
        if formula == "=" + text:
            return match.group(0)
        in_attribute = match.group(1).endswith(b'"')
        escaped = html.escape(formula[1:], quote=in_attribute)
        return match.group(1) + escaped.encode() + match.group(3)

    return pattern.sub(moved, xml)


def closed_up_array_refs(row: bytes, gone: list[int]) -> bytes:
    """A row's array formulas with their ranges (`<f t="array" ref=...>`) closed up."""
    if b"ref=" not in row:
        return row

    def moved(match: re.Match[bytes]) -> bytes:
        ranges = closed_up_ranges(match.group(2).decode(), gone)
        return match.group(1) + ranges.encode() + match.group(3)

    return _ARRAY_REF.sub(moved, row)


# --- what stands on a range ------------------------------------------------------------

# What the part after a worksheet's rows places on a range, outer before inner, and
# whether its formulas are relative to its top-left cell (True) or plain references.
_ON_RANGE = {
    "autoFilter": None,
    "sortState": None,
    "sortCondition": None,
    "mergeCell": None,
    "conditionalFormatting": True,
    "dataValidation": True,
    "hyperlink": None,
    "protectedRange": None,
    "ignoredError": None,
    "sparkline": False,
}
# Containers (inner before outer), and the element each must hold at least one of
# (None: any); one left holding none goes too, and a `count` is kept true.
_CONTAINERS = {
    "mergeCells": "mergeCell",
    "dataValidations": "dataValidation",
    "hyperlinks": "hyperlink",
    "protectedRanges": "protectedRange",
    "ignoredErrors": "ignoredError",
    "sparklines": "sparkline",
    "sparklineGroup": "sparklines",
    "sparklineGroups": "sparklineGroup",
    "conditionalFormattings": "conditionalFormatting",
    "ext": None,
    "extLst": "ext",
}


def _element(tag: str) -> re.Pattern[bytes]:
    return re.compile(
        rb"<(?P<p>[\w.-]+:)?%s\b(?P<attrs>[^>]*?)(?:/>|>(?P<body>.*?)</(?P=p)?%s>)"
        % (tag.encode(), tag.encode()),
        re.DOTALL,
    )


_ELEMENTS = {tag: _element(tag) for tag in [*_ON_RANGE, *_CONTAINERS]}
_COUNT = re.compile(rb'(\scount=")(\d+)(")')


def closed_up_after_rows(tail: bytes, title: str, gone: list[int]) -> bytes:
    """The part after the rows of tab `title`, once its rows `gone` were removed.

    What stands on a range moves with it, or goes when all its cells went (see the
    module's docstring).
    """
    return _closed_up_elements(tail, title, gone, _ON_RANGE)


def closed_up_table(xml: bytes, title: str, gone: list[int]) -> bytes:
    """A table part after rows `gone` of its tab `title` were removed.

    A table keeps a data row (Excel's tables have one at least); its sort ranges
    close up like the rest.
    """

    def moved(match: re.Match[bytes]) -> bytes:
        ref = closed_up_ranges(match.group(2).decode(), gone)
        found = _RANGE.match(ref)
        if found is None:
            return match.group(0)  # its header row went too: left for Excel to mend
        if found.group(2) == found.group(4):
            ref = f"{found.group(1)}{found.group(2)}:{found.group(3)}{int(found.group(4)) + 1}"
        return match.group(1) + ref.encode() + match.group(3)

    xml = _TABLE_RANGE.sub(moved, xml)
    return _closed_up_elements(xml, title, gone, {"sortState": None, "sortCondition": None})


def _closed_up_elements(
    xml: bytes, title: str, gone: list[int], tags: dict[str, bool | None]
) -> bytes:
    """`xml` with the elements `tags` names moved with their range, or dropped with it."""
    emptied: set[str] = set()
    for tag, relative in tags.items():
        if tag.encode() in xml:
            moved = partial(
                _moved_element, title=title, gone=gone, relative=relative, merge=tag == "mergeCell"
            )
            xml = _ELEMENTS[tag].sub(partial(_noting_drops, moved, tag, emptied), xml)
    for container, held in _CONTAINERS.items():
        if held in emptied or (held is None and emptied):
            settled = partial(_settled_container, held=held)
            xml = _ELEMENTS[container].sub(partial(_noting_drops, settled, container, emptied), xml)
    return xml


def _noting_drops(
    change: Callable[[re.Match[bytes]], bytes], tag: str, emptied: set[str], match: re.Match[bytes]
) -> bytes:
    """`change(match)`, adding `tag` to `emptied` when it drops the element."""
    changed = change(match)
    if not changed:
        emptied.add(tag)
    return changed


def _moved_element(
    match: re.Match[bytes], title: str, gone: list[int], relative: bool | None, merge: bool = False
) -> bytes:
    """An element standing on a range, moved with it; b"" when all its cells went.

    `relative` says its formulas are written relative to its top-left cell (a
    conditional format, a validation); False, that they are plain references (a
    sparkline's data); None, that it has none. A `merge` left on one cell goes
    too: a merge of one cell is not one Excel writes.
    """
    element = match.group(0)
    start = match.start("attrs") - match.start()
    where = _RANGE_ATTRIBUTE.search(match.group("attrs"))
    if where is not None:
        at = (start + where.start(2), start + where.end(2))
    else:
        body = match.group("body") or b""
        found = _SQREF_ELEMENT.search(body)
        if found is None:
            return element
        body_start = match.start("body") - match.start()
        at = (body_start + found.start(2), body_start + found.end(2))
    old = element[at[0] : at[1]].decode()
    new = closed_up_ranges(old, gone)
    if not new or (merge and _one_cell(new)):
        return b""
    element = element[: at[0]] + new.encode() + element[at[1] :]
    if relative is None or b"<" not in element[1:]:
        return element
    shift = None
    if relative:
        before, after = _top_left(old), _top_left(new)
        shift = (after[0] - before[0], after[1] - before[1]) if before and after else (0, 0)
    for pattern in (_RANGE_FORMULA, _SCALE_FORMULA):
        element = closed_up_formula_texts(
            element, title, gone, own_tab=True, anchor_shift=shift, pattern=pattern
        )
    return element


def _one_cell(ranges: str) -> bool:
    """Whether `ranges` ("A5:A5", "B2") covers a single cell."""
    ends = ranges.replace("$", "").split(":")
    return len(ends) == 1 or (len(ends) == 2 and ends[0] == ends[1])


def _settled_container(match: re.Match[bytes], held: str | None) -> bytes:
    """A container whose elements some went: b"" when none is left, else its count made true."""
    body = match.group("body") or b""
    if held is None:
        return match.group(0) if b"<" in body else b""
    left = len(re.findall(rb"<(?:[\w.-]+:)?%s\b" % held.encode(), body))
    if not left:
        return b""
    attrs = match.group("attrs")
    counted = _COUNT.sub(lambda found: found.group(1) + b"%d" % left + found.group(3), attrs, 1)
    start = match.start("attrs") - match.start()
    return match.group(0)[:start] + counted + match.group(0)[start + len(attrs) :]
