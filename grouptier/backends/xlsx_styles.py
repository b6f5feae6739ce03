"""The cell formats a write needs, found in the package's `styles.xml` or added to it.

A cell's `s` attribute is an index into `<cellXfs>`; each entry names a number
format (`numFmtId`: a built-in id, or one of `<numFmts>`). Writing a date needs an
entry with a date format, an identifier column needs text ("@"), and a new tab's
headers need a bold font. `Styles.with_format` and `Styles.bold` give the index of
an entry that differs from a given one only in that, reusing an equal entry when
the workbook has it and appending one otherwise; nothing else in the part changes.
"""

from __future__ import annotations

import html
import re
from xml.etree import ElementTree

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

from grouptier.backends.xlsx_cells import attributes

__all__ = ["DATETIME_FORMAT", "DATE_FORMAT", "TEXT_FORMAT", "Styles"]

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
TEXT_FORMAT = "@"
_FIRST_CUSTOM_FORMAT = 164  # ids below are Excel's built-in formats

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MINIMAL_STYLES = (
    f'<styleSheet xmlns="{_MAIN_NS}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
).encode()
"""The styles part written into a package that has none (hand-made or very old files)."""

_ROOT = re.compile(rb"<([\w.-]+:)?styleSheet\b")
_BUILTIN_IDS = {code: number for number, code in BUILTIN_FORMATS.items()}


class Styles:
    """The `styles.xml` of a package, with the entries a write adds."""

    def __init__(self, xml: bytes | None) -> None:
        self.created = xml is None
        self._xml = MINIMAL_STYLES if xml is None else xml
        root = _ROOT.search(self._xml)
        self._p = (root.group(1) or b"") if root else b""
        self._formats = {
            int(attrs.get(b"numFmtId", b"0")): html.unescape(
                attrs.get(b"formatCode", b"").decode("utf-8", "replace")
            )
            for attrs in self._elements(b"numFmts", b"numFmt")
        }
        self._xfs = self._raw_elements(b"cellXfs", b"xf")
        self._fonts = self._raw_elements(b"fonts", b"font")
        self._new_formats: dict[int, str] = {}
        self._first_new_xf = len(self._xfs)
        self._first_new_font = len(self._fonts)
        self._bold: int | None = None

    @property
    def changed(self) -> bool:
        """True when entries were added, or the part did not exist."""
        return self.created or len(self._xfs) > self._first_new_xf

    def number_format(self, index: int | None) -> str:
        """The number format code of cell format `index` ("General" for none)."""
        number = int(self._xf_attrs(index).get(b"numFmtId", b"0"))
        return self._formats.get(number) or BUILTIN_FORMATS.get(number, "General")

    def is_date(self, index: int | None) -> bool:
        """True when cell format `index` shows numbers as dates or times."""
        return bool(is_date_format(self.number_format(index)))

    def with_format(self, index: int | None, code: str) -> int:
        """The index of a cell format like `index` but showing numbers as `code`."""
        number = self._format_id(code)
        attrs = self._xf_attrs(index)
        if int(attrs.get(b"numFmtId", b"0")) == number and index is not None:
            return index
        base = self._xfs[index] if index is not None and index < len(self._xfs) else self._xfs[0]
        return self._xf_like(base, {b"numFmtId": str(number), b"applyNumberFormat": "1"})

    def bold(self) -> int:
        """The index of a cell format like the default one, with the default font in bold."""
        if self._bold is None:
            font = self._fonts[0] if self._fonts else b"<%sfont/>" % self._p
            bold = re.sub(rb"<([\w.-]+:)?b(?:\s[^>]*)?/>", b"", font, count=1)
            head = re.match(rb"<[^>]*?(/?)>", bold)
            if head is None:
                raise ElementTree.ParseError("a font entry in styles.xml is malformed")
            if head.group(1):  # <font/>: give it a body
                bold = bold[: head.end() - 2] + b"><%sb/></%sfont>" % (self._p, self._p)
            else:
                bold = bold[: head.end()] + b"<%sb/>" % self._p + bold[head.end() :]
            self._fonts.append(bold)
            font_id = len(self._fonts) - 1
            self._bold = self._xf_like(self._xfs[0], {b"fontId": str(font_id), b"applyFont": "1"})
        return self._bold

    def xml(self) -> bytes:
        """The part with the entries added."""
        xml = self._xml
        if self._new_formats:
            entries = b"".join(
                b'<%snumFmt numFmtId="%d" formatCode="%s"/>'
                % (self._p, number, html.escape(code).encode())
                for number, code in self._new_formats.items()
            )
            xml = self._extended(xml, b"numFmts", entries, len(self._formats), before=b"fonts")
        if len(self._fonts) > self._first_new_font:
            added = b"".join(self._fonts[self._first_new_font :])
            xml = self._extended(xml, b"fonts", added, len(self._fonts))
        if len(self._xfs) > self._first_new_xf:
            xml = self._extended(
                xml, b"cellXfs", b"".join(self._xfs[self._first_new_xf :]), len(self._xfs)
            )
        return xml

    # --- inside ---------------------------------------------------------------

    def _format_id(self, code: str) -> int:
        if code in _BUILTIN_IDS:
            return int(_BUILTIN_IDS[code])
        for number, known in self._formats.items():
            if known == code:
                return number
        number = max([_FIRST_CUSTOM_FORMAT - 1, *self._formats]) + 1
        self._formats[number] = self._new_formats[number] = code
        return number

    def _xf_like(self, base: bytes, changes: dict[bytes, str]) -> int:
        head = re.match(rb"<([\w.-]+:)?xf\b([^>]*?)(/?)>", base)
        if head is None:
            raise ElementTree.ParseError("a cell format in styles.xml is malformed")
        attrs = attributes(head.group(2))
        attrs.update({name: value.encode() for name, value in changes.items()})
        joined = b"".join(b' %s="%s"' % item for item in attrs.items())
        entry = b"<%sxf%s%s>" % (head.group(1) or b"", joined, head.group(3)) + base[head.end() :]
        if entry in self._xfs:
            return self._xfs.index(entry)
        self._xfs.append(entry)
        return len(self._xfs) - 1

    def _xf_attrs(self, index: int | None) -> dict[bytes, bytes]:
        if index is None or not 0 <= index < len(self._xfs):
            return {}
        head = re.match(rb"<[^>]*>", self._xfs[index])
        return attributes(head.group(0)) if head else {}

    def _block(self, xml: bytes, name: bytes) -> re.Match[bytes] | None:
        return re.search(
            rb"<(%s)%s\b([^>]*?)(?:/>|>(.*?)</%s%s>)"
            % (re.escape(self._p), name, re.escape(self._p), name),
            xml,
            re.DOTALL,
        )

    def _raw_elements(self, block: bytes, name: bytes) -> list[bytes]:
        found = self._block(self._xml, block)
        if found is None or found.group(3) is None:
            return []
        pattern = rb"<(?:[\w.-]+:)?%s\b[^>]*?(?:/>|>.*?</(?:[\w.-]+:)?%s>)" % (name, name)
        return re.findall(pattern, found.group(3), re.DOTALL)

    def _elements(self, block: bytes, name: bytes) -> list[dict[bytes, bytes]]:
        return [attributes(raw, 0, raw.find(b">") + 1) for raw in self._raw_elements(block, name)]

    def _extended(
        self, xml: bytes, block: bytes, entries: bytes, count: int, before: bytes = b""
    ) -> bytes:
        found = self._block(xml, block)
        p = self._p
        if found is None:
            anchor = self._block(xml, before) if before else None
            root = _ROOT.search(xml)
            if anchor is not None:
                at = anchor.start()
            elif root is not None:
                at = xml.index(b">", root.end()) + 1
            else:
                raise ElementTree.ParseError("styles.xml has no <styleSheet>")
            made = b'<%s%s count="%d">%s</%s%s>' % (p, block, count, entries, p, block)
            return xml[:at] + made + xml[at:]
        attrs = re.sub(rb'\s*\bcount="\d*"', b"", found.group(2))
        body = found.group(3) or b""
        made = b'<%s%s count="%d"%s>%s%s</%s%s>' % (p, block, count, attrs, body, entries, p, block)
        return xml[: found.start()] + made + xml[found.end() :]
