"""An .xlsx package being changed part by part: every part not changed is copied as it is.

`Package` reads parts on demand from the open zip, keeps the new content of the
parts a write changes, and adds new worksheets (the part, its entry in
`workbook.xml`, `workbook.xml.rels` and `[Content_Types].xml`). `Package.save`
writes the whole package into a file: parts not changed are copied byte for
byte, with their compression, so charts, pictures, pivot tables, comments,
macros and whatever else a manager made come back exactly as they were.
"""

from __future__ import annotations

import html
import posixpath
import re
import shutil
import struct
import time
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from grouptier.backends.xlsx_safety import relationships, sheet_parts

__all__ = ["Package", "read_part"]

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORKSHEET_TYPE = f"{_REL_NS}/worksheet"
_STYLES_TYPE = f"{_REL_NS}/styles"
_WORKSHEET_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_STYLES_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
_COPY_CHUNK = 1 << 20
_LEVEL = 3  # rewritten parts: a third of the time of zlib's default 6, 15% larger
_LOCAL_HEADER_SIZE = 30
_ENCRYPTED = 0x01
_DATA_DESCRIPTOR = 0x08
# Elements of workbook.xml that come after <calcPr>, in the schema's order.
_AFTER_CALC = (
    b"oleSize",
    b"customWorkbookViews",
    b"pivotCaches",
    b"smartTagPr",
    b"smartTagTypes",
    b"webPublishing",
    b"fileRecoveryPr",
    b"webPublishObjects",
    b"extLst",
)
_ROOT_PREFIX = re.compile(rb"<([\w.-]+:)?workbook\b")


class Package:
    """The zip `archive` of a workbook, and the parts a write changed or added."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.changed: dict[str, bytes] = {}
        self._deflated: dict[str, _Deflated] = {}
        self.tabs = sheet_parts(archive)
        self.workbook_part = self._workbook_part()
        # Lazy: the styles need openpyxl's table of number formats, and reading (`read_part`)
        # needs no styles.
        from grouptier.backends.xlsx_styles import Styles

        styles = self._styles_part()
        self.styles = Styles(self.read(styles) if styles else None)
        self._styles_part_name = styles or "xl/styles.xml"

    def read(self, part: str) -> bytes:
        """The content of `part`, as changed so far."""
        if part in self._deflated:
            return self._deflated[part].inflated()
        if part in self.changed:
            return self.changed[part]
        return read_part(self.archive, self.archive.getinfo(part))

    def stream(self, part: str) -> Iterator[bytes]:
        """The content of `part`, as changed so far, in pieces of about a megabyte."""
        if part in self._deflated or part in self.changed:
            yield self.read(part)
            return
        with self.archive.open(part) as reader:
            while piece := reader.read(_COPY_CHUNK):
                yield piece

    def exists(self, part: str) -> bool:
        """True when the package holds `part` (or a write added it)."""
        return part in self.changed or part in self._deflated or part in self.archive.NameToInfo

    def put(self, part: str, data: bytes) -> None:
        """Set the new content of `part`; unchanged content leaves the part untouched."""
        info = self.archive.NameToInfo.get(part)
        if part not in self.changed and info is not None and info.file_size != len(data):
            self.changed[part] = data  # differs in size: no need to read the old content
            return
        if self.exists(part) and self.read(part) == data:
            return
        self._deflated.pop(part, None)
        self.changed[part] = data

    def put_stream(self, part: str, pieces: Iterable[bytes | memoryview]) -> None:
        """Set the new content of a big `part` from `pieces`, compressed as they come.

        Only the compressed part is kept (a tenth of a worksheet's size), never the
        new content whole. `pieces` may read the part's old content as they come.
        """
        deflated = _Deflated.of(pieces)
        self.changed.pop(part, None)
        self._deflated[part] = deflated

    def add_worksheet(self, title: str, xml: bytes, position: int | None) -> str:
        """Add a worksheet tab `title` at `position` among the tabs (None: last); its part."""
        number = 1
        while self.exists(f"xl/worksheets/sheet{number}.xml"):
            number += 1
        part = f"xl/worksheets/sheet{number}.xml"
        self.put(part, xml)
        rel_id = self._add_relationship(_WORKSHEET_TYPE, part)
        self._add_sheet_entry(title, rel_id, position)
        self._add_content_type(part, _WORKSHEET_CONTENT)
        self.tabs = {**self.tabs, title: ("worksheet", part)}
        return part

    def recalculate_on_open(self) -> None:
        """Ask Excel and LibreOffice to recalculate every formula when the file opens.

        Values saved with formulas can be stale after rows closed up or cells changed.
        """
        xml = self.read(self.workbook_part)
        p = self._prefix(xml)
        calc = re.search(rb"<%scalcPr\b[^>]*?/?>" % re.escape(p), xml)
        if calc is not None:
            tag = re.sub(rb'\sfullCalcOnLoad="[^"]*"', b"", calc.group(0))
            end = -2 if tag.endswith(b"/>") else -1
            tag = tag[:end] + b' fullCalcOnLoad="1"' + tag[end:]
            xml = xml[: calc.start()] + tag + xml[calc.end() :]
        else:
            at = _first_of(xml, p, _AFTER_CALC) or xml.rindex(b"</%sworkbook>" % p)
            xml = xml[:at] + b'<%scalcPr fullCalcOnLoad="1"/>' % p + xml[at:]
        self.put(self.workbook_part, xml)

    def save(self, target: IO[bytes]) -> None:
        """Write the package into `target`: changed parts anew, the others byte for byte."""
        if self.styles.changed:
            self._store_styles()
        done = set()
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as package:
            for info in self.archive.infolist():
                done.add(info.filename)
                if info.filename in self._deflated:
                    self._deflated[info.filename].write(package, _fresh_info(info))
                    continue
                if info.filename in self.changed:
                    package.writestr(_fresh_info(info), self.changed[info.filename])
                    continue
                _copy_compressed(self.archive, info, package)
            for part, data in self.changed.items():
                if part not in done:
                    package.writestr(part, data, zipfile.ZIP_DEFLATED)
            for part, deflated in self._deflated.items():
                if part not in done:
                    deflated.write(package, _new_info(part))

    # --- inside ---------------------------------------------------------------

    def _workbook_part(self) -> str:
        for _, kind, target in relationships(self.archive, ""):
            if kind == "officeDocument":
                return target
        return "xl/workbook.xml"

    def _styles_part(self) -> str | None:
        for _, kind, target in relationships(self.archive, self.workbook_part):
            if kind == "styles" and target in self.archive.NameToInfo:
                return target
        return None

    def _store_styles(self) -> None:
        if self.styles.created and not self.exists(self._styles_part_name):
            self._add_relationship(_STYLES_TYPE, self._styles_part_name)
            self._add_content_type(self._styles_part_name, _STYLES_CONTENT)
        self.put(self._styles_part_name, self.styles.xml())

    def _rels_part(self) -> str:
        folder, name = posixpath.split(self.workbook_part)
        return posixpath.join(folder, "_rels", f"{name}.rels")

    def _add_relationship(self, kind: str, part: str) -> str:
        rels = self._rels_part()
        xml = self.read(rels)
        taken = set(re.findall(rb'\bId="([^"]*)"', xml))
        number = 1
        while b"rId%d" % number in taken:
            number += 1
        folder = posixpath.dirname(self.workbook_part)
        target = posixpath.relpath(part, folder) if folder else part
        entry = b'<Relationship Id="rId%d" Type="%s" Target="%s"/>' % (
            number,
            kind.encode(),
            target.encode(),
        )
        at = xml.rindex(b"</")
        self.put(rels, xml[:at] + entry + xml[at:])
        return f"rId{number}"

    def _add_sheet_entry(self, title: str, rel_id: str, position: int | None) -> None:
        xml = self.read(self.workbook_part)
        p = self._prefix(xml)
        entries = list(re.finditer(rb"<%ssheet\b[^>]*?/>" % re.escape(p), xml))
        ids = [int(i) for e in entries for i in re.findall(rb'\bsheetId="(\d+)"', e.group(0))]
        r_prefix = _relationship_prefix(xml)
        entry = b'<%ssheet name="%s" sheetId="%d" %s:id="%s"/>' % (
            p,
            html.escape(title).encode(),
            max(ids, default=0) + 1,
            r_prefix,
            rel_id.encode(),
        )
        if position is None or position >= len(entries):
            at = xml.index(b"</%ssheets>" % p)
        else:
            at = entries[position].start()
            xml = _shifted_sheet_indexes(xml, position)
        self.put(self.workbook_part, xml[:at] + entry + xml[at:])

    def _add_content_type(self, part: str, content_type: str) -> None:
        xml = self.read("[Content_Types].xml")
        entry = f'<Override PartName="/{part}" ContentType="{content_type}"/>'.encode()
        at = xml.rindex(b"</")
        self.put("[Content_Types].xml", xml[:at] + entry + xml[at:])

    @staticmethod
    def _prefix(xml: bytes) -> bytes:
        root = _ROOT_PREFIX.search(xml)
        return (root.group(1) or b"") if root else b""


def _relationship_prefix(xml: bytes) -> bytes:
    found = re.search(rb'xmlns:([\w.-]+)="%s"' % re.escape(_REL_NS.encode()), xml)
    return found.group(1) if found else b"r"


def _shifted_sheet_indexes(xml: bytes, position: int) -> bytes:
    """workbook.xml with tab indexes at or after `position` moved one on (a tab goes in there)."""

    def local_sheet(match: re.Match[bytes]) -> bytes:
        index = int(match.group(2))
        return match.group(1) + str(index + 1 if index >= position else index).encode() + b'"'

    xml = re.sub(rb'(\blocalSheetId=")(\d+)"', local_sheet, xml)
    view = re.search(rb"<(?:[\w.-]+:)?workbookView\b[^>]*?/?>", xml)
    if view is not None:
        tag = view.group(0)
        active = re.search(rb'\sactiveTab="(\d+)"', tag)
        current = int(active.group(1)) if active else 0
        if current >= position:
            tag = re.sub(rb'\sactiveTab="\d+"', b"", tag)
            end = -2 if tag.endswith(b"/>") else -1
            tag = tag[:end] + b' activeTab="%d"' % (current + 1) + tag[end:]
        first = re.search(rb'\sfirstSheet="(\d+)"', tag)
        if first is not None and int(first.group(1)) >= position:
            tag = tag.replace(first.group(0), b' firstSheet="%d"' % (int(first.group(1)) + 1))
        xml = xml[: view.start()] + tag + xml[view.end() :]
    return xml


def _first_of(xml: bytes, prefix: bytes, names: tuple[bytes, ...]) -> int | None:
    found = [m.start() for name in names if (m := re.search(rb"<%s%s\b" % (prefix, name), xml))]
    return min(found) if found else None


@dataclass(frozen=True)
class _Deflated:
    """A part's content compressed as a zip entry stores it, with its checksum and size."""

    data: bytes
    crc: int
    size: int

    @classmethod
    def of(cls, pieces: Iterable[bytes | memoryview]) -> _Deflated:
        compressor = zlib.compressobj(_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        out, crc, size = [], 0, 0
        for piece in pieces:
            crc = zlib.crc32(piece, crc)
            size += len(piece)
            out.append(compressor.compress(piece))
        out.append(compressor.flush())
        return cls(b"".join(out), crc, size)

    def inflated(self) -> bytes:
        return zlib.decompress(self.data, -zlib.MAX_WBITS, self.size)

    def write(self, package: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        """Add this content to `package` as entry `info`, as it is (already compressed)."""
        info.compress_type = zipfile.ZIP_DEFLATED
        info.CRC, info.compress_size, info.file_size = self.crc, len(self.data), self.size
        _write_raw(package, info, [self.data])


def read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The content of entry `info`; a deflated one inflated in one step, at its final size.

    `ZipFile.read` grows its result piece by piece and needs twice the memory of a
    70 MB worksheet on the way; the stored size lets zlib make the result at once.
    """
    if archive.fp is None or info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 1:
        return archive.read(info)
    _seek_data(archive, info)
    data = zlib.decompress(archive.fp.read(info.compress_size), -zlib.MAX_WBITS, info.file_size)
    if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
        raise zipfile.BadZipFile(f"{info.filename} is damaged (its checksum differs)")
    return data


def _seek_data(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Put the archive's file at the first byte of entry `info`'s (compressed) data."""
    assert archive.fp is not None
    archive.fp.seek(info.header_offset)
    header = archive.fp.read(_LOCAL_HEADER_SIZE)
    if header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    archive.fp.seek(info.header_offset + _LOCAL_HEADER_SIZE + name_length + extra_length)


def _copy_compressed(
    source: zipfile.ZipFile, info: zipfile.ZipInfo, target: zipfile.ZipFile
) -> None:
    """Copy the entry `info` of `source` into `target` as stored, without decompressing it.

    zipfile has no public way to do this; it keeps the 70 MB Activity part of a big
    community from being inflated and deflated again when a run does not change it.
    The CRC stored with the data still lets any reader check the copy.
    """
    if source.fp is None or target.fp is None or info.flag_bits & _ENCRYPTED:
        with source.open(info) as reader, target.open(_fresh_info(info), "w") as writer:
            shutil.copyfileobj(reader, writer, _COPY_CHUNK)
        return
    _seek_data(source, info)
    entry = _fresh_info(info)
    entry.CRC = info.CRC
    entry.compress_size = info.compress_size
    entry.file_size = info.file_size
    entry.flag_bits = info.flag_bits & ~_DATA_DESCRIPTOR
    _write_raw(
        package=target, info=entry, chunks=_chunks(source, info.compress_size, info.filename)
    )


def _chunks(archive: zipfile.ZipFile, size: int, name: str) -> Iterator[bytes]:
    """`size` bytes read from where the archive's file is, a chunk at a time."""
    assert archive.fp is not None
    while size:
        chunk = archive.fp.read(min(size, _COPY_CHUNK))
        if not chunk:
            raise zipfile.BadZipFile(f"{name} is cut short")
        size -= len(chunk)
        yield chunk


def _write_raw(package: zipfile.ZipFile, info: zipfile.ZipInfo, chunks: Iterable[bytes]) -> None:
    """Add entry `info` to `package` with `chunks` as its stored (compressed) data.

    zipfile has no public way to do this; `info` carries the checksum and sizes.
    """
    assert package.fp is not None
    package.fp.seek(package.start_dir)
    info.header_offset = package.fp.tell()
    package.fp.write(info.FileHeader())
    for chunk in chunks:
        package.fp.write(chunk)
    package.filelist.append(info)
    package.NameToInfo[info.filename] = info
    package.start_dir = package.fp.tell()


def _new_info(part: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(part, time.localtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


def _fresh_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    # A new entry rather than the source's own ZipInfo, which writing would overwrite
    # while the source archive still needs it to find the data.
    fresh = zipfile.ZipInfo(info.filename, info.date_time)
    fresh.compress_type = info.compress_type
    fresh.external_attr = info.external_attr
    fresh.file_size = info.file_size  # lets zipfile pick ZIP64 for a huge part up front
    return fresh
