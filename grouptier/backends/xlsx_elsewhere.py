"""Rows closing up on one tab, seen from the rest of the package.

When rows are removed from a tab, whatever names that tab elsewhere follows its
cells: defined names in `workbook.xml`, formulas on the other tabs, the series
of charts, and the source ranges of pivot caches. Worksheets are checked for
the tab's name a piece at a time (`Package.stream`), so a big Activity tab that
does not name it is never held whole.
"""

from __future__ import annotations

import html
import re
from functools import partial

from grouptier.backends.xlsx_closing import (
    closed_up_formula_texts,
    closed_up_ranges,
    mentions,
    names_any,
)
from grouptier.backends.xlsx_package import Package
from grouptier.backends.xlsx_worksheet import unshared

__all__ = ["close_up_elsewhere"]

_CHART_FORMULA = re.compile(rb"(<(?:[\w.-]+:)?f>)([^<]+)(</)")
_WORKSHEET_SOURCE = re.compile(rb"<(?:[\w.-]+:)?worksheetSource\b[^>]*>")
_DEFINED_NAME = re.compile(rb"(<(?:[\w.-]+:)?definedName\b[^>]*>)([^<]+)(</)")
_RANGE_ATTRIBUTE = re.compile(rb'(\sref=")([^"]*)(")')


def close_up_elsewhere(package: Package, title: str, written: set[str], gone: list[int]) -> None:
    """Move what other parts point at on tab `title` after its rows `gone` were removed.

    The worksheets in `written` are being rewritten, and move their formulas themselves.
    """
    workbook = package.read(package.workbook_part)
    if mentions(workbook, title):
        package.put(
            package.workbook_part,
            closed_up_formula_texts(workbook, title, gone, own_tab=False, pattern=_DEFINED_NAME),
        )
    for kind, other in package.tabs.values():
        present = kind == "worksheet" and other not in written and package.exists(other)
        if present and _streamed_mention(package, other, title):
            # Shared formulas naming the tab are written out first: the cells they
            # repeat over no longer sit at the same distance from the cells they name.
            xml = unshared(package.read(other), {}, partial(names_any, [title]))
            package.put(other, closed_up_formula_texts(xml, title, gone, own_tab=False))
    for info in package.archive.infolist():
        if info.filename.startswith("xl/charts/chart") and info.filename.endswith(".xml"):
            xml = package.read(info.filename)
            if mentions(xml, title):
                moved = closed_up_formula_texts(
                    xml, title, gone, own_tab=False, pattern=_CHART_FORMULA
                )
                package.put(info.filename, moved)
        elif info.filename.startswith("xl/pivotCache/pivotCacheDefinition"):
            xml = package.read(info.filename)
            package.put(info.filename, _pivot_source_moved(xml, title, gone))


def _streamed_mention(package: Package, part: str, title: str) -> bool:
    """True when worksheet `part` may name tab `title`, read a piece at a time (it may be big)."""
    overlap = b""
    for piece in package.stream(part):
        if mentions(overlap + piece, title):
            return True
        overlap = piece[-6 * len(title.encode()) :]
    return False


def _pivot_source_moved(xml: bytes, title: str, gone: list[int]) -> bytes:
    def moved(match: re.Match[bytes]) -> bytes:
        tag = match.group(0)
        source = re.search(rb'\bsheet="([^"]*)"', tag)
        if source is None or html.unescape(source.group(1).decode()).lower() != title.lower():
            return tag
        # A source whose rows all went keeps its range (an empty one would make the
        # file unreadable); the cache is read again when the pivot table is refreshed.
        return _RANGE_ATTRIBUTE.sub(
            lambda ref: (
                ref.group(1)
                + (closed_up_ranges(ref.group(2).decode(), gone) or ref.group(2).decode()).encode()
                + ref.group(3)
            ),
            tag,
        )

    return _WORKSHEET_SOURCE.sub(moved, xml)
