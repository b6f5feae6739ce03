"""Looking inside an .xlsx package for what the spreadsheet libraries would hide or lose.

- `open_package` says in a manager's words what a file is when it is not a
  workbook (a renamed CSV, an old .xls, a password-protected file).
- `sheet_parts` and `relationships` find each tab's part and what hangs off a part.
- `refuse_cut_pivot_tables` refuses a pivot table placed on a tab a run removes
  rows from, and `refuse_chart_tabs` a chart tab named like a contract tab:
  reading and writing both call them, so `check` says what `run` would.
- Saving itself (a temporary file, one rename, the lock) lives in `xlsx_files`.
  The writer copies every part it does not change byte for byte and moves what
  points at removed rows (`xlsx_closing`), so charts, pictures, macros and pivot
  tables on other tabs are kept: those two refusals are the only ones.

Everything is read with `zipfile` and compiled regular expressions; the
package's own small XML parts are parsed with ElementTree, never a worksheet.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree

from grouptier import sheet
from grouptier.cells import normalise
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

# Tabs a run removes rows from, and why: the Activity roll-up and chat imports, the
# outbox, undo.
ROWS_REMOVED = {
    normalise(sheet.ACTIVITY.name): "old activity is rolled up into History",
    normalise(sheet.MESSAGES.name): "messages no longer due are taken out",
    normalise(sheet.MOVES.name): "undo takes a run's moves out",
}
_PIVOT_LOCATION = re.compile(rb'<(?:[\w.-]+:)?location\b[^>]*?\sref="([^"]*)"')
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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


def chart_tab_problem(title: str) -> str:
    """Why a chart tab (a tab holding only a chart) named like a contract tab is refused."""
    return (
        f'the tab "{title}" is a chart tab, so rows cannot be written there; rename it, '
        "or move its chart onto a tab of its own, and try again"
    )


def refuse_chart_tabs(tabs: dict[str, tuple[str, str]], shown: str, names: set[str]) -> None:
    """Raise `WorkbookError` when a chart tab takes a name in `names` (normalised tab names).

    `tabs` is what `sheet_parts` gives. Reading calls it for the contract's tabs, so
    `check` refuses what a run's write would.
    """
    problems = [
        chart_tab_problem(title)
        for title, (kind, _) in tabs.items()
        if kind == _CHARTSHEET and normalise(title) in names
    ]
    if problems:
        raise WorkbookError(shown, "; ".join(problems))


def refuse_cut_pivot_tables(archive: zipfile.ZipFile, tabs: dict[str, str], shown: str) -> None:
    """Raise `WorkbookError` for pivot tables placed on tabs a run removes rows from.

    `tabs` maps tab names to their worksheet parts (other tabs are not looked at).
    Excel rebuilds a pivot table's cells from its own layout, so rows cannot be
    taken out from under it; Excel itself refuses to delete them.
    """
    problems = []
    for title, part in tabs.items():
        why = ROWS_REMOVED.get(normalise(title))
        if why is None:
            continue
        for _, kind, target in relationships(archive, part):
            if kind == "pivotTable" and target in archive.NameToInfo:
                found = _PIVOT_LOCATION.search(archive.read(target))
                where = f" at {found.group(1).decode()}" if found else ""
                problems.append(
                    f"the tab {title} holds a pivot table{where}, and grouptier removes rows "
                    f"from this tab ({why}), which would cut through it: move the pivot table "
                    "to a tab of its own (in Excel: PivotTable Analyze > Move PivotTable > "
                    "New Worksheet) and try again"
                )
    if problems:
        raise WorkbookError(shown, "; ".join(problems))


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
