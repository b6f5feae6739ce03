"""Looking inside an .xlsx package for what the spreadsheet libraries would hide or lose.

- `open_package` says in a manager's words what a file is when it is not a
  workbook (a renamed CSV, an old .xls, a password-protected file).
- `unsafe_parts` (before loading) and `lost_in_loading` (openpyxl's warnings)
  name what openpyxl would silently leave out when it saves: charts, pictures,
  shapes, pivot tables, slicers, macros, Excel-only data validation and
  conditional formatting. The xlsx backend refuses to write when they name anything.
- `closed_up_formula` keeps a manager's formula pointing at the same cells when
  rows above them are removed, which openpyxl does not do.
- Saving itself (a temporary file, one rename, the lock) lives in `xlsx_files`.

Everything is read with `zipfile` and compiled regular expressions; the
package's own small XML parts are parsed with ElementTree, never a worksheet.
"""

from __future__ import annotations

import posixpath
import re
import warnings
import zipfile
import zlib
from bisect import bisect_left, bisect_right
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError

from grouptier.errors import WorkbookError

FILE_EXISTS = "a file with this name already exists; grouptier will not overwrite it"
# What reading the parts of a damaged package can raise.
PACKAGE_ERRORS = (
    zipfile.BadZipFile,
    ElementTree.ParseError,
    KeyError,
    EOFError,
    zlib.error,
    UnicodeDecodeError,
)

_WORKSHEET = "worksheet"
_CHARTSHEET = "chartsheet"

# Excel's URIs of worksheet extensions, by the name openpyxl's warning gives when it drops them.
_EXTENSIONS = {
    "{78C0D931-6437-407D-A8EE-F0AAD7539E65}": "Conditional Formatting",
    "{CCE6A557-97BC-4B89-ADB6-D9C93CAAB3DF}": "Data Validation",
    "{05C60535-1F16-4FD2-B633-F4F36F0B64E0}": "Sparkline Group",
    "{A8765BA9-456A-4DAB-B4F3-ACF838C121DE}": "Slicer List",
    "{3A4CF648-6AED-40F4-86FF-DC5316D8AED3}": "Slicer List",
    "{FC87AEE6-9EDD-4A0A-B7FB-166176984837}": "Protected Range",
    "{01252117-D84E-4E92-8308-4BE1C098FCBB}": "Ignored Error",
    "{F7C9EE02-42E1-4005-9D12-6889AFFD525C}": "Web Extension",
    "{7E03D99C-DC04-49D9-9315-930204A7B6E9}": "Timeline Ref",
}
_EXTENSION_NAMES = {
    "Conditional Formatting": "Excel-only conditional formatting",
    "Data Validation": "Excel-only data validation",
    "Sparkline Group": "sparklines",
    "Slicer List": "slicers",
    "Protected Range": "protected ranges",
    "Ignored Error": "ignored-error settings",
    "Web Extension": "Office add-ins",
    "Timeline Ref": "timelines",
    "Unknown": "Excel-only features",
}
# The per-rule half of Excel-only conditional formatting; its partner above is reported.
_RULE_LINK = "{B025F937-C7B1-47D3-B67F-A62EFF666E3E}"

# Relationship types (the end of the Type URI) from a worksheet, as a manager calls them.
_SHEET_RELATIONSHIPS = {
    "pivotTable": "pivot table",
    "slicer": "slicer",
    "timeline": "timeline",
    "threadedComment": "threaded comments (Excel 365)",
    "ctrlProp": "form control",
    "control": "ActiveX control",
    "oleObject": "embedded object",
    "package": "embedded file",
    "image": "background picture",
}
# Parts reported as they are, without a count.
_UNCOUNTED = {"threaded comments (Excel 365)", "pictures in the page header or footer"}
_PLURALS = {"shape or text box": "shapes or text boxes"}

# Folders of the package whose content openpyxl does not write back.
_PACKAGE_FOLDERS = {
    "xl/vbaProject.bin": "macros (VBA)",
    "xl/connections.xml": "data connections (Power Query)",
    "xl/queryTables/": "data connections (Power Query)",
    "xl/model/": "a data model (Power Pivot)",
    "xl/richData/": "pictures placed in cells",
    "xl/slicerCaches/": "slicers",
    "xl/timelineCaches/": "timelines",
    "xl/embeddings/": "embedded objects",
    "xl/activeX/": "ActiveX controls",
}

_EXT_URI = re.compile(rb"<(?:[\w.-]+:)?ext\b[^>]*?\buri=\"(\{[^\"]+\})\"")
_SHAPE = re.compile(rb"<(?:[\w.-]+:)?(?:sp|grpSp|cxnSp)\b")
_LOSS_WORDS = ("removed", "dropped", "discarded", "ignored", "lost", "unable to read")
_LOADED_EXTENSION = re.compile(r"^(.*) extension is not supported and will be removed")
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_REF_END = re.compile(r"^(\$?[A-Za-z]{0,3}\$?)(\d+)$")


def open_package(path: str) -> zipfile.ZipFile:
    """The workbook's zip package, or a `WorkbookError` saying in plain words what the file is."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise WorkbookError(path, "the file does not exist; check its name and folder") from exc
    except IsADirectoryError as exc:
        raise WorkbookError(path, "this is a folder, not a workbook file") from exc
    except PermissionError as exc:
        raise WorkbookError(path, "grouptier is not allowed to open this file") from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise WorkbookError(path, _not_a_workbook_reason(path)) from exc
    if "[Content_Types].xml" not in archive.NameToInfo:
        archive.close()
        raise WorkbookError(path, _not_a_workbook_reason(path))
    return archive


def _not_a_workbook_reason(path: str) -> str:
    data = Path(path).read_bytes()
    save_as = "open it in a spreadsheet program and save it as Excel Workbook (.xlsx)"
    if data.startswith(_OLE_MAGIC) and _ENCRYPTED_MARK in data:
        return (
            "the workbook is protected with a password, which grouptier cannot open; "
            "save a copy without the password and use that"
        )
    if data.startswith(_OLE_MAGIC):
        return f"this is an old-style Excel 97-2003 (.xls) file; {save_as}"
    if data.startswith(b"PK"):
        return (
            "the file is damaged or is not an Excel workbook; restore it from a backup, "
            f"or {save_as}"
        )
    if b"\0" not in data[:4096]:
        return f"this is a text file (a CSV renamed to .xlsx?), not an Excel workbook; {save_as}"
    return f"this is not an Excel workbook (.xlsx); {save_as}"


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, tuple[str, str]]:
    """Each tab's name mapped to (its kind, its part inside the package), in tab order.

    The kind is "worksheet" or "chartsheet"; tabs of other kinds are left out.
    """
    workbook = _workbook_part(archive)
    targets = {rel_id: (kind, target) for rel_id, kind, target in relationships(archive, workbook)}
    tabs: dict[str, tuple[str, str]] = {}
    for element in _xml(archive, workbook).iter():
        if _local(element.tag) != "sheet":
            continue
        rel_id = next((value for key, value in element.attrib.items() if key.endswith("}id")), "")
        kind, target = targets.get(rel_id, ("", ""))
        if kind in (_WORKSHEET, _CHARTSHEET):
            tabs[element.get("name", "")] = (kind, target)
    return tabs


def relationships(archive: zipfile.ZipFile, part: str) -> list[tuple[str, str, str]]:
    """(id, type, target part) of each internal relationship of `part`; [] when it has none."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in archive.NameToInfo:
        return []
    found = []
    for element in _xml(archive, rels).iter():
        if _local(element.tag) != "Relationship" or element.get("TargetMode") == "External":
            continue
        target = element.get("Target", "")
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        found.append(
            (
                element.get("Id", ""),
                element.get("Type", "").rsplit("/", 1)[-1],
                posixpath.normpath(resolved),
            )
        )
    return found


def unsafe_parts(archive: zipfile.ZipFile) -> list[str]:
    """What saving with openpyxl would lose, in managers' words: "2 charts on tab Dashboard"."""
    parts: list[str] = []
    for tab, (kind, part) in sheet_parts(archive).items():
        if kind == _CHARTSHEET:
            parts.append(f"the chart tab {tab}")
        else:
            parts.extend(f"{what} on tab {tab}" for what in _worksheet_losses(archive, part))
    for prefix, what in _PACKAGE_FOLDERS.items():
        if any(name.startswith(prefix) for name in archive.NameToInfo) and what not in parts:
            parts.append(what)
    return _unique(parts)


def lost_in_loading(records: list[warnings.WarningMessage]) -> list[str]:
    """What openpyxl said it dropped while loading, from the warnings it emitted."""
    parts = []
    for record in records:
        text = str(record.message)
        if not any(word in text.lower() for word in _LOSS_WORDS):
            continue
        match = _LOADED_EXTENSION.match(text)
        parts.append(_EXTENSION_NAMES.get(match.group(1), text) if match else text)
    return _unique(parts)


def _worksheet_losses(archive: zipfile.ZipFile, part: str) -> list[str]:
    counts: Counter[str] = Counter()
    for _, kind, target in relationships(archive, part):
        if kind == "drawing":
            counts.update(_drawing_contents(archive, target))
        elif kind == "vmlDrawing" and any(
            rel_kind == "image" for _, rel_kind, _ in relationships(archive, target)
        ):
            counts["pictures in the page header or footer"] += 1
        elif kind in _SHEET_RELATIONSHIPS:
            counts[_SHEET_RELATIONSHIPS[kind]] += 1
    losses = [_counted(what, number) for what, number in counts.items()]
    losses.extend(_sheet_extensions(archive, part))
    return losses


def _drawing_contents(archive: zipfile.ZipFile, drawing: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for _, kind, _ in relationships(archive, drawing):
        if kind == "chart" or kind.startswith("chartEx"):
            counts["chart"] += 1
        elif kind == "image":
            counts["picture"] += 1
        elif kind.startswith("diagram"):
            counts["SmartArt graphic"] += 1
    if drawing in archive.NameToInfo:
        shapes = len(_SHAPE.findall(archive.read(drawing)))
        if shapes:
            counts["shape or text box"] += shapes
    return counts


def _sheet_extensions(archive: zipfile.ZipFile, part: str) -> list[str]:
    if part not in archive.NameToInfo:
        return []
    data = archive.read(part)
    # Extensions sit after the cell data; skipping it keeps this fast on big tabs.
    tail = data[max(data.rfind(b"sheetData>"), 0) :]
    found = []
    for uri in _EXT_URI.findall(tail):
        key = uri.decode("ascii", "replace").upper()
        if key != _RULE_LINK:
            found.append(_EXTENSION_NAMES[_EXTENSIONS.get(key, "Unknown")])
    return _unique(found)


def _counted(what: str, number: int) -> str:
    if what in _UNCOUNTED:
        return what
    if number == 1:
        return f"an {what}" if what[0] in "aeiouAEIOU" else f"a {what}"
    return f"{number} {_PLURALS.get(what, what + 's')}"


def _workbook_part(archive: zipfile.ZipFile) -> str:
    for _, kind, target in relationships(archive, ""):
        if kind == "officeDocument":
            return target
    return "xl/workbook.xml"


def _xml(archive: zipfile.ZipFile, part: str) -> ElementTree.Element:
    # Only the package's own small XML parts come through here, never a worksheet.
    return ElementTree.fromstring(archive.read(part))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def closed_up_formula(formula: str, title: str, gone: list[int]) -> str:
    """`formula` of tab `title` after its rows `gone` (sorted) were removed, as Excel would.

    References to this tab follow the cells they point at; one to a removed cell
    becomes #REF!, and a range loses its removed rows. Other tabs are left alone.
    """
    try:
        tokens = Tokenizer(formula).items
    except TokenizerError:
        return formula
    if not tokens or tokens[0].type == Token.LITERAL:
        return formula
    return "=" + "".join(
        _closed_up_reference(token.value, title, gone)
        if token.type == Token.OPERAND and token.subtype == Token.RANGE
        else token.value
        for token in tokens
    )


def _closed_up_reference(reference: str, title: str, gone: list[int]) -> str:
    tab, bang, cells = reference.rpartition("!")
    if bang and tab.strip("'").replace("''", "'").lower() != title.lower():
        return reference
    ends = [_REF_END.match(end) for end in cells.split(":")]
    if len(ends) > 2 or not all(ends):
        return reference  # a name, or whole columns: unaffected by rows closing up
    matches = [end for end in ends if end is not None]
    rows = [int(end.group(2)) for end in matches]
    if len(rows) == 1:
        before = bisect_left(gone, rows[0])
        if before < len(gone) and gone[before] == rows[0]:
            return "#REF!"
        moved = [rows[0] - before]
    else:
        low = 0 if rows[0] <= rows[1] else 1
        moved = [0, 0]
        moved[low] = rows[low] - bisect_left(gone, rows[low])
        moved[1 - low] = rows[1 - low] - bisect_right(gone, rows[1 - low])
        if moved[1 - low] < moved[low]:
            return "#REF!"
    joined = ":".join(end.group(1) + str(row) for end, row in zip(matches, moved, strict=True))
    return f"{tab}{bang}{joined}"
