"""Looking inside an .xlsx package for what the spreadsheet libraries would hide or lose.

- `open_package` says in a manager's words what a file is when it is not a
  workbook (a renamed CSV, an old .xls, a password-protected file).
- `sheet_parts` and `relationships` find each tab's part and what hangs off a part.
- `refuse_cut_pivot_tables` refuses a pivot table placed on a tab a run removes
  rows from, and `refuse_chart_tabs` a chart tab named like a contract tab:
  reading and writing both call them, so `check` says what `run` would.
- `closed_up_formula` keeps a manager's formula pointing at the same cells when
  rows above them are removed.
- Saving itself (a temporary file, one rename, the lock) lives in `xlsx_files`;
  the writer copies every part it does not change byte for byte, so nothing a
  manager made (charts, pictures, pivot tables, macros) needs refusing.

Everything is read with `zipfile` and compiled regular expressions; the
package's own small XML parts are parsed with ElementTree, never a worksheet.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from bisect import bisect_left, bisect_right
from pathlib import Path
from xml.etree import ElementTree

from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError

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
_ABSOLUTE_ROW = re.compile(r"\$\d")
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


def closed_up_formula(
    formula: str, title: str, gone: list[int], *, own_tab: bool = True, absolute_only: bool = False
) -> str:
    """`formula` after rows `gone` (sorted) of tab `title` were removed, as Excel would.

    References to that tab follow the cells they point at; one to a removed cell
    becomes #REF!, and a range loses its removed rows. Other tabs are left alone.
    `own_tab` says the formula sits on tab `title`, so references without a tab name
    are to it too; `absolute_only` moves only references with an absolute row ($5),
    as a conditional format's relative references follow its range instead.
    """
    try:
        tokens = Tokenizer(formula).items
    except TokenizerError:
        return formula
    if not tokens or tokens[0].type == Token.LITERAL:
        return formula
    return "=" + "".join(
        _closed_up_reference(token.value, title, gone)
        if token.type == Token.OPERAND
        and token.subtype == Token.RANGE
        and (own_tab or "!" in token.value)
        and (not absolute_only or _ABSOLUTE_ROW.search(token.value) is not None)
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
