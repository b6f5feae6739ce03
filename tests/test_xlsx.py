"""The local .xlsx backend: reading, writing one batch safely, locking, creating a workbook."""

from __future__ import annotations

import re
import threading
import time as clock
import zipfile
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import IO

import openpyxl
import pytest
import python_calamine
from filelock import FileLock
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table

from grouptier import sheet
from grouptier.backends.base import CellUpdate, ChangeSet
from grouptier.backends.xlsx import XlsxBackend, create_workbook
from grouptier.backends.xlsx_package import Package
from grouptier.cells import CellErrorValue, FormulaWithoutValue
from grouptier.errors import Problem, WorkbookBusyError, WorkbookError

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
FORMULA_LIKE = ['=HYPERLINK("http://x.example","click")', "+44 7911", "@alice", "-bob", "#N/A"]


# --- building workbooks ----------------------------------------------------------


def members_workbook(path: Path, rows: int = 3) -> Path:
    """A Members tab with a manager's extra column and formatting, plus a Notes tab."""
    workbook = openpyxl.Workbook()
    members = workbook.active
    members.title = "Members"
    members.append(["Member ID", "Name", "Group", "Manager note"])
    for index in range(rows):
        members.append([f"+4479110000{index:02d}", f"Member {index}", "General", f"note {index}"])
    for header in members[1]:
        header.font = Font(bold=True, color="FF0000")
    members["B2"].fill = PatternFill("solid", fgColor="FFFF00")
    members.column_dimensions["B"].width = 33
    members.freeze_panes = "B2"
    validation = DataValidation(type="list", formula1='"General,Core"', allow_blank=True)
    validation.add("C2:C1000")
    members.add_data_validation(validation)
    members["E1"] = "Name length"
    members["E1"].font = Font(bold=True, color="FF0000")
    members["E2"] = "=LEN(B2)"
    notes = workbook.create_sheet("Notes")
    notes["A1"] = "keep me"
    workbook.save(path)
    return path


def hand_made_xlsx(path: Path, sheets: dict[str, str], prefix: str = "") -> Path:
    """A minimal .xlsx whose worksheet XML (the <sheetData> body) is written by hand."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns{":" + prefix if prefix else ""}="{MAIN_NS}" xmlns:r="{REL_NS}"'
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    tabs = "".join(
        f'<{p}sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(sheets, start=1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{overrides}</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PACKAGE_REL_NS}"><Relationship Id="rId1" '
            f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml", f"<{p}workbook {xmlns}><{p}sheets>{tabs}</{p}sheets></{p}workbook>"
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PACKAGE_REL_NS}">{rels}</Relationships>',
        )
        for i, body in enumerate(sheets.values(), start=1):
            archive.writestr(
                f"xl/worksheets/sheet{i}.xml",
                f"<{p}worksheet {xmlns}><{p}sheetData>{body}</{p}sheetData></{p}worksheet>",
            )
    return path


def with_extra_parts(path: Path, parts: dict[str, str | bytes], sheet_xml_tail: str = "") -> None:
    """Rewrite the package at `path` adding `parts`; `sheet_xml_tail` goes before </worksheet>."""
    with zipfile.ZipFile(path) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    if sheet_xml_tail:
        xml = contents["xl/worksheets/sheet1.xml"].decode()
        contents["xl/worksheets/sheet1.xml"] = xml.replace(
            "</worksheet>", sheet_xml_tail + "</worksheet>"
        ).encode()
    contents.update(
        {name: data.encode() if isinstance(data, str) else data for name, data in parts.items()}
    )
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in contents.items():
            archive.writestr(name, data)


def cell(path: Path, tab: str, ref: str) -> openpyxl.cell.cell.Cell:
    return openpyxl.load_workbook(path)[tab][ref]


def calamine_rows(path: Path, tab: str) -> list[list[object]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    rows: list[list[object]] = book.get_sheet_by_name(tab).to_python(skip_empty_area=False)
    return rows


# --- reading ---------------------------------------------------------------------


def test_read_keeps_a1_positions_and_cell_types(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    members = workbook.active
    members.title = "Members"
    members["C3"] = "member_id"
    members["D3"] = 3
    members["E3"] = 2.5
    members["F3"] = 3.0
    members["C4"] = date(2026, 1, 2)
    members["D4"] = datetime(2026, 1, 2, 10, 30)
    members["E4"] = True
    members["F4"] = "Ada Lovelace"
    members["G4"] = time(10, 30)
    path = tmp_path / "types.xlsx"
    workbook.save(path)

    rows = XlsxBackend(path).read().tabs["Members"].rows

    assert rows[0] == [None] * len(rows[0])
    assert rows[2][2:6] == ["member_id", 3, 2.5, 3]
    assert type(rows[2][3]) is int and type(rows[2][5]) is int and type(rows[2][4]) is float
    assert rows[3][2] == date(2026, 1, 2)
    assert rows[3][3] == datetime(2026, 1, 2, 10, 30)
    assert rows[3][4] is True
    assert rows[3][5] == "Ada Lovelace"
    assert rows[3][6] == "10:30:00"  # CellValue has no time of day: shown as text
    assert rows[1][0] is None


def test_read_returns_only_the_contract_tabs_matched_loosely(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "members"
    workbook["members"].append(["Member ID", "Name", "GROUP"])
    workbook["members"].append(["+447911000001", "Ada", "Core"])
    workbook.create_sheet("Overview")["A1"] = "not read"  # a manager's own tab
    workbook.create_sheet("Activity ")["A1"] = "date"
    path = tmp_path / "loose.xlsx"
    workbook.save(path)

    raw = XlsxBackend(path).read()

    assert sorted(raw.tabs) == ["Activity ", "members"]
    problems: list[Problem] = []
    table = sheet.read_table(raw, sheet.MEMBERS, problems)
    assert table is not None and problems == []
    assert table.records == [{"member_id": "+447911000001", "name": "Ada", "group": "Core"}]
    assert table.cell("group", 2) == "C2"


def test_read_puts_every_cell_at_its_place_when_the_first_rows_and_columns_are_empty(
    tmp_path: Path,
) -> None:
    workbook = openpyxl.Workbook()
    groups = workbook.active
    groups.title = "Groups"
    groups["C2"] = "Core"
    groups["B4"] = 3
    path = tmp_path / "late_start.xlsx"
    workbook.save(path)

    rows = XlsxBackend(path).read().tabs["Groups"].rows

    assert rows == [
        [None, None, None],
        [None, None, "Core"],
        [None, None, None],
        [None, 3, None],
    ]


def test_read_marks_a_formula_saved_without_its_value(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Groups"
    workbook["Groups"].append(["name", "level", "capacity"])
    workbook["Groups"].append(["Core", 1, "=SUM(B2:B9)"])
    path = tmp_path / "formula.xlsx"
    workbook.save(path)  # openpyxl never saves a formula's value

    rows = XlsxBackend(path).read().tabs["Groups"].rows

    assert rows[1] == ["Core", 1, FormulaWithoutValue("=SUM(B2:B9)")]


def test_read_uses_saved_formula_values_and_flags_the_missing_ones(tmp_path: Path) -> None:
    body = (
        '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>name</x:t></x:is></x:c>'
        '<x:c r="B1"><x:v>4</x:v></x:c></x:row>'
        '<x:row r="2"><x:c r="A2"><x:f>B1*2</x:f><x:v>8</x:v></x:c>'
        '<x:c r="B2"><x:f t="shared" ref="B2:B3" si="0">A1&amp;"x"</x:f></x:c>'
        '<x:c r="C2" t="e"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c>'
        '<x:c r="D2" t="str"><x:f>""</x:f><x:v></x:v></x:c></x:row>'
        '<x:row r="3"><x:c r="B3"><x:f t="shared" si="0"/></x:c>'
        '<x:c r="E3" t="str"><x:f t="shared" si="0"/><x:v>zz</x:v></x:c>'
        '<x:c r="G3"><x:f>NOW()</x:f><x:v/></x:c></x:row>'
    )
    path = hand_made_xlsx(tmp_path / "cached.xlsx", {"Members": body, "Other": ""}, prefix="x")

    rows = XlsxBackend(path).read().tabs["Members"].rows

    assert rows[0][:2] == ["name", 4]
    assert rows[1][0] == 8
    assert rows[1][1] == FormulaWithoutValue('=A1&"x"')
    assert rows[1][2] == CellErrorValue("#DIV/0!")
    assert rows[1][3] is None
    assert rows[2][1] == FormulaWithoutValue('=A2&"x"')
    assert rows[2][4] == "zz"
    assert rows[2][6] == FormulaWithoutValue("=NOW()")


def test_a_big_tab_reads_whole_and_in_place(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook(write_only=True)
    activity = workbook.create_sheet("Activity")
    activity.append(sheet.ACTIVITY.headers)
    for index in range(20_000):
        activity.append([date(2026, 1, 1), f"+44{index}", "Core", index % 50, 3, 0, 1, "export"])
    path = tmp_path / "big.xlsx"
    workbook.save(path)

    rows = XlsxBackend(path).read().tabs["Activity"].rows

    assert len(rows) == 20_001
    assert rows[-1] == [date(2026, 1, 1), "+4419999", "Core", 49, 3, 0, 1, "export"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"member_id,name\n+44,Ada\n", "text file"),
        (b"PK\x03\x04 truncated", "damaged"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"), "password"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "97-2003"),
        (b"\x00\x01binary\x00", "not an Excel workbook"),
    ],
    ids=["csv-renamed", "truncated-zip", "password", "old-xls", "binary"],
)
def test_read_explains_files_that_are_not_workbooks(
    tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "community.xlsx"
    path.write_bytes(content)

    with pytest.raises(WorkbookError) as caught:
        XlsxBackend(path).read()

    assert words in caught.value.reason
    assert caught.value.path == str(path)


def test_read_explains_a_missing_file_a_folder_and_a_foreign_zip(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError, match="does not exist"):
        XlsxBackend(tmp_path / "nope.xlsx").read()
    with pytest.raises(WorkbookError, match="folder"):
        XlsxBackend(tmp_path).read()
    foreign = tmp_path / "document.xlsx"
    with zipfile.ZipFile(foreign, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    with pytest.raises(WorkbookError, match="damaged or is not an Excel workbook"):
        XlsxBackend(foreign).read()


def test_read_reports_a_workbook_whose_sheet_xml_is_broken(tmp_path: Path) -> None:
    path = hand_made_xlsx(tmp_path / "broken.xlsx", {"Members": '<row r="1"><c r="A1"><v>1'})

    with pytest.raises(WorkbookError, match="damaged"):
        XlsxBackend(path).read()


def test_write_reports_a_workbook_whose_tab_list_is_broken(tmp_path: Path) -> None:
    path = members_workbook(tmp_path / "broken.xlsx")
    with zipfile.ZipFile(path) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    contents["xl/workbook.xml"] = b"<workbook><sheets><sheet name="
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in contents.items():
            archive.writestr(name, data)

    with pytest.raises(WorkbookError, match="damaged"):
        XlsxBackend(path).write(ChangeSet(appends={"Moves": [{"kind": "promote"}]}))


# --- writing ---------------------------------------------------------------------


def test_cell_updates_find_columns_by_header_and_add_missing_ones(tmp_path: Path) -> None:
    path = members_workbook(tmp_path / "c.xlsx")
    changes = ChangeSet(
        cell_updates=[
            CellUpdate("MEMBERS", 3, "group", "Core"),
            CellUpdate("Members", 2, "extra_groups", "Core"),
        ]
    )

    XlsxBackend(path).write(changes)

    members = openpyxl.load_workbook(path)["Members"]
    assert members["C3"].value == "Core"
    assert members["C2"].value == "General"
    assert members["F1"].value == "extra_groups"  # after E, the manager's formula column
    assert members["F2"].value == "Core"
    assert members["F1"].font.bold and members["F1"].font.color.rgb == members["E1"].font.color.rgb


def test_cell_update_on_a_missing_tab_changes_nothing(tmp_path: Path) -> None:
    path = members_workbook(tmp_path / "c.xlsx")
    before = path.read_bytes()

    with pytest.raises(WorkbookError, match='"Topics" is missing'):
        XlsxBackend(path).write(ChangeSet(cell_updates=[CellUpdate("Topics", 2, "title", "x")]))

    assert path.read_bytes() == before


def test_appends_go_under_the_last_row_with_content_in_header_order(tmp_path: Path) -> None:
    path = members_workbook(tmp_path / "a.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["Members"]["B40"].fill = PatternFill("solid", fgColor="00FF00")  # formatted, empty
    workbook.save(path)
    record = {
        "group": "Core",
        "name": "New",
        "member_id": "+447911999999",
        "joined_on": date(2026, 3, 1),
    }

    XlsxBackend(path).write(ChangeSet(appends={"Members": [record]}))

    members = openpyxl.load_workbook(path)["Members"]
    assert [c.value for c in members[5]][:3] == ["+447911999999", "New", "Core"]
    assert members["F1"].value == "joined_on"
    assert members["F5"].value == datetime(2026, 3, 1)
    assert members["F5"].number_format == "yyyy-mm-dd"
    assert members["B5"].fill.fgColor.rgb == members["B4"].fill.fgColor.rgb
    assert members["A5"].number_format == "@"


def test_appends_create_a_missing_tool_tab_with_the_contract_headers(tmp_path: Path) -> None:
    path = members_workbook(tmp_path / "m.xlsx")
    move = {"member_id": "+447911000001", "kind": "promote", "run_at": datetime(2026, 4, 1, 6, 0)}

    XlsxBackend(path).write(ChangeSet(appends={"Moves": [move, {"kind": "demote", "extra": 1}]}))

    moves = openpyxl.load_workbook(path)["Moves"]
    headers = [c.value for c in moves[1]]
    assert headers == [*sheet.MOVES.headers, "extra"]
    assert moves["C2"].value == "+447911000001" and moves["G2"].value == "promote"
    assert moves["B2"].value == datetime(2026, 4, 1, 6, 0)
    assert moves["B2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert moves["G3"].value == "demote" and moves["L3"].value == 1
    assert moves.freeze_panes == "A2"
    assert moves.sheet_properties.tabColor is not None


def test_aware_datetimes_keep_their_wall_clock_time(tmp_path: Path) -> None:
    path = members_workbook(tmp_path / "tz.xlsx")
    run_at = datetime(2026, 4, 1, 6, 0, tzinfo=timezone(timedelta(hours=3)))

    XlsxBackend(path).write(ChangeSet(appends={"Runs": [{"started_at": run_at}]}))

    assert cell(path, "Runs", "C2").value == datetime(2026, 4, 1, 6, 0)


def test_replacements_clear_every_data_row_and_write_the_new_ones(tmp_path: Path) -> None:
    path = members_workbook(tmp_path / "r.xlsx")
    first = [{"cycle": 1, "member_id": "a", "score": 9}] * 5
    XlsxBackend(path).write(ChangeSet(replacements={"Leaderboard": first}))

    XlsxBackend(path).write(ChangeSet(replacements={"Leaderboard": [{"cycle": 2, "score": 3}]}))

    rows = list(openpyxl.load_workbook(path)["Leaderboard"].values)
    assert rows[0][:3] == ("cycle", "group", "rank")
    assert len(rows) == 2
    assert rows[1][0] == 2 and rows[1][5] == 3 and rows[1][3] is None


def test_deleted_rows_close_up_with_their_extra_columns_and_formulas(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    activity = workbook.active
    activity.title = "Activity"
    activity.append(["date", "member_id", "messages", "manager extra", "double"])
    for index in range(2, 12):  # sheet rows 2..11 hold messages 2..11
        activity.append([date(2026, 1, index), f"m{index}", index, f"x{index}", f"=C{index}*2"])
    activity["B7"].font = Font(italic=True)
    activity.row_dimensions[9].height = 30
    activity["G1"] = "=SUM(C2:C11)"
    activity["H1"] = "=C3+Activity!C9"
    activity["I1"] = "=Other!C3"
    path = tmp_path / "d.xlsx"
    workbook.save(path)

    XlsxBackend(path).write(ChangeSet(deleted_rows={"Activity": [3, 4, 8, 11, 11]}))

    activity = openpyxl.load_workbook(path)["Activity"]
    kept = list(activity.iter_rows(min_row=2, max_col=5, values_only=True))
    assert [row[2] for row in kept] == [2, 5, 6, 7, 9, 10]
    assert [row[3] for row in kept] == ["x2", "x5", "x6", "x7", "x9", "x10"]
    assert [row[4] for row in kept] == ["=C2*2", "=C3*2", "=C4*2", "=C5*2", "=C6*2", "=C7*2"]
    assert activity["B5"].font.italic  # was B7
    assert activity.row_dimensions[6].height == 30  # was row 9
    assert activity["G1"].value == "=SUM(C2:C7)"
    assert activity["H1"].value == "=#REF!+Activity!C6"
    assert activity["I1"].value == "=Other!C3"
    assert activity.max_row == 7


def test_tables_and_filters_stretch_over_appended_rows(tmp_path: Path) -> None:
    path = members_workbook(tmp_path / "t.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["Members"].add_table(Table(displayName="MembersTable", ref="A1:D4"))
    workbook["Notes"].auto_filter.ref = "A1:A1"
    workbook.save(path)

    XlsxBackend(path).write(ChangeSet(appends={"Members": [{"member_id": "+4479", "name": "N"}]}))

    assert openpyxl.load_workbook(path)["Members"].tables["MembersTable"].ref == "A1:D5"


def test_a_table_below_removed_rows_moves_up_with_them(tmp_path: Path) -> None:
    path = members_workbook(tmp_path / "t.xlsx", rows=6)
    workbook = openpyxl.load_workbook(path)
    workbook["Members"]["H5"] = "note"
    workbook["Members"]["H6"] = "one"
    workbook["Members"].add_table(Table(displayName="Notes", ref="H5:H6"))
    workbook.save(path)

    XlsxBackend(path).write(ChangeSet(deleted_rows={"Members": [2, 6]}))

    members = openpyxl.load_workbook(path)["Members"]
    assert members.tables["Notes"].ref == "H4:H5"  # lost its data row: keeps one, empty
    assert members["H4"].value == "note" and members["H5"].value is None


@pytest.mark.parametrize("text", FORMULA_LIKE, ids=["hyperlink", "plus", "at", "minus", "error"])
def test_formula_like_text_is_written_as_text(tmp_path: Path, text: str) -> None:
    path = members_workbook(tmp_path / "f.xlsx")
    changes = ChangeSet(
        cell_updates=[CellUpdate("Members", 2, "name", text)],
        appends={"Members": [{"member_id": "+1", "name": text}]},
    )

    XlsxBackend(path).write(changes)

    members = openpyxl.load_workbook(path)["Members"]
    for ref in ("B2", "B5"):
        assert members[ref].data_type == "s"
        assert members[ref].value == text
    rows = calamine_rows(path, "Members")
    assert rows[1][1] == text and rows[4][1] == text
    assert XlsxBackend(path).read().tabs["Members"].rows[4][1] == text


def test_control_characters_are_dropped_from_text(tmp_path: Path) -> None:
    path = members_workbook(tmp_path / "ctl.xlsx")

    XlsxBackend(path).write(ChangeSet(cell_updates=[CellUpdate("Members", 2, "name", "A\x0bda")]))

    assert cell(path, "Members", "B2").value == "Ada"


def test_writing_keeps_what_managers_made(tmp_path: Path) -> None:
    path = members_workbook(tmp_path / "k.xlsx")

    XlsxBackend(path).write(ChangeSet(cell_updates=[CellUpdate("Members", 2, "group", "Core")]))

    workbook = openpyxl.load_workbook(path)
    members = workbook["Members"]
    assert members["A1"].font.bold and members["A1"].font.color.rgb == "00FF0000"
    assert members["B2"].fill.fgColor.rgb == "00FFFF00"
    assert members.column_dimensions["B"].width == 33
    assert members.freeze_panes == "B2"
    assert [str(v.sqref) for v in members.data_validations.dataValidation] == ["C2:C1000"]
    assert members["D3"].value == "note 1"
    assert members["E2"].value == "=LEN(B2)" and members["E2"].data_type == "f"
    assert workbook["Notes"]["A1"].value == "keep me"
    assert workbook.sheetnames == ["Members", "Notes"]


def test_an_empty_change_set_leaves_the_file_alone(tmp_path: Path) -> None:
    path = members_workbook(tmp_path / "e.xlsx")
    before = path.stat().st_mtime_ns, path.read_bytes()

    XlsxBackend(path).write(ChangeSet(appends={"Moves": []}))

    assert (path.stat().st_mtime_ns, path.read_bytes()) == before


def test_header_row_is_never_a_cell_update_target(tmp_path: Path) -> None:
    path = members_workbook(tmp_path / "h.xlsx")

    with pytest.raises(ValueError, match="header row"):
        XlsxBackend(path).write(ChangeSet(cell_updates=[CellUpdate("Members", 1, "name", "x")]))


# --- formulas keep their calculated values ------------------------------------------------


def with_formula_values(path: Path, tab: str, values: dict[str, tuple[str, str]]) -> Path:
    """Give formula cells of `tab` the results a spreadsheet program would have saved.

    `values` maps a cell ("D2") to its result's kind ("n", "str", "b", "e") and XML text;
    openpyxl saves `<c r="D2"><f>2+2</f><v /></c>`, which becomes `...<v>4</v></c>`.
    """
    part = f"xl/worksheets/sheet{openpyxl.load_workbook(path).sheetnames.index(tab) + 1}.xml"
    with zipfile.ZipFile(path) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    xml = contents[part]
    for ref, (kind, text) in values.items():
        xml, count = re.subn(
            rf'<c r="{ref}"([^>]*)><f>([^<]*)</f><v />'.encode(),
            rf'<c r="{ref}"\1 t="{kind}"><f>\2</f><v>{text}</v>'.encode(),
            xml,
        )
        assert count == 1, f"no formula cell {ref} on {tab}"
    contents[part] = xml
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)
    return path


def formula_workbook(path: Path) -> Path:
    """Managers' formulas, saved with their values, on Members, Activity and Leaderboard.

    Activity row r holds messages `=2+r` (value 2+r) on even rows and 10*r on odd rows,
    and in the extra column I `=Dr*2`, so every row's values differ.
    """
    workbook = openpyxl.Workbook()
    members = workbook.active
    members.title = "Members"
    members.append(["member_id", "name", "group", "name length"])
    for index, name in enumerate(["Ada", "Bob", "Cyd"], start=2):
        group = "Core" if index == 2 else '="Gen"&"eral"'
        members.append([f"+44791100000{index}", name, group, f"=LEN(B{index})"])
    activity = workbook.create_sheet("Activity")
    activity.append([*sheet.ACTIVITY.headers, "double"])
    for row in range(2, 8):
        messages = f"=2+{row}" if row % 2 == 0 else 10 * row
        activity.append([date(2026, 1, row), f"+4479110000{row}", "Core", messages])
        activity[f"I{row}"] = f"=D{row}*2"
    activity["K1"] = "=SUM(D2:D7)"
    leaderboard = workbook.create_sheet("Leaderboard")
    leaderboard.append(sheet.LEADERBOARD.headers)
    leaderboard["A2"] = "=1+1"
    leaderboard["T1"] = "=1+2"
    workbook.save(path)
    with_formula_values(
        path,
        "Members",
        {"C3": ("str", "General"), "C4": ("str", "General")}
        | {f"D{row}": ("n", "3") for row in (2, 3, 4)},
    )
    messages = {row: 2 + row if row % 2 == 0 else 10 * row for row in range(2, 8)}
    computed = {f"D{row}": ("n", str(messages[row])) for row in (2, 4, 6)}
    computed |= {f"I{row}": ("n", str(2 * value)) for row, value in messages.items()}
    with_formula_values(path, "Activity", computed | {"K1": ("n", str(sum(messages.values())))})
    return with_formula_values(path, "Leaderboard", {"A2": ("n", "2"), "T1": ("n", "3")})


def read_rows(path: Path) -> dict[str, list[list[object]]]:
    return {name: tab.rows for name, tab in XlsxBackend(path).read().tabs.items()}


def test_formulas_keep_their_values_and_move_with_their_rows(tmp_path: Path) -> None:
    path = formula_workbook(tmp_path / "f.xlsx")
    changes = ChangeSet(
        cell_updates=[CellUpdate("Members", 3, "group", "Core")],
        deleted_rows={"Activity": [3, 4]},
        replacements={"Leaderboard": [{"cycle": 1, "score": 9}]},
        appends={"Runs": [{"status": "done"}]},
    )

    XlsxBackend(path).write(changes)

    rows = read_rows(path)
    assert [row[2:4] for row in rows["Members"][1:]] == [["Core", 3], ["Core", 3], ["General", 3]]
    activity = rows["Activity"]
    assert [row[3] for row in activity[1:]] == [4, 50, 8, 70]  # rows 2, 5, 6, 7 closed up
    assert [row[8] for row in activity[1:]] == [8, 100, 16, 140]
    assert activity[0][10] == 168  # kept as saved; Excel recalculates it on opening
    assert rows["Leaderboard"][0][19] == 3  # the header row stays as it was
    assert rows["Leaderboard"][1][0] == 1
    assert not any(
        isinstance(value, FormulaWithoutValue)
        for tab in rows.values()
        for row in tab
        for value in row
    )
    workbook = openpyxl.load_workbook(path)
    assert workbook["Members"]["C3"].value == "Core"
    assert workbook["Members"]["C4"].value == '="Gen"&"eral"'
    assert [workbook["Activity"][f"I{row}"].value for row in range(2, 6)] == [
        "=D2*2",
        "=D3*2",
        "=D4*2",
        "=D5*2",
    ]
    assert workbook["Activity"]["D4"].value == "=2+6"
    assert workbook["Activity"]["K1"].value == "=SUM(D2:D5)"
    assert workbook.calculation.fullCalcOnLoad


def test_a_failed_run_row_changes_no_formula_value(tmp_path: Path) -> None:
    path = formula_workbook(tmp_path / "f.xlsx")
    before = read_rows(path)

    XlsxBackend(path).write(ChangeSet(appends={"Runs": [{"status": "invalid"}]}))

    after = read_rows(path)
    assert {name: rows for name, rows in after.items() if name != "Runs"} == before


FORMULA_RESULTS = (
    '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>name</x:t></x:is></x:c></x:row>'
    '<x:row r="2"><x:c r="A2"><x:f>1+7</x:f><x:v>8</x:v></x:c>'
    '<x:c r="B2" t="str"><x:f>"Gen"&amp;"eral"</x:f><x:v>General</x:v></x:c>'
    '<x:c r="C2" t="b"><x:f>1=1</x:f><x:v>1</x:v></x:c>'
    '<x:c r="D2" t="e"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c>'
    '<x:c r="E2" t="str"><x:f>"a&lt;"&amp;"b"</x:f><x:v>a&lt;b</x:v></x:c>'
    '<x:c r="F2" t="str"><x:f>""</x:f><x:v></x:v></x:c>'
    '<x:c r="G2"><x:f t="shared" ref="G2:G3" si="0">A2*2</x:f><x:v>16</x:v></x:c>'
    '<x:c r="H2"><x:f>NOW()</x:f><x:v/></x:c>'
    '<x:c r="I2"><x:f>TODAY()</x:f></x:c></x:row>'
    '<x:row r="3"><x:c r="A3"><x:v>5</x:v></x:c>'
    '<x:c r="G3"><x:f t="shared" si="0"/><x:v>10</x:v></x:c></x:row>'
)


def test_formula_results_keep_their_types(tmp_path: Path) -> None:
    path = hand_made_xlsx(tmp_path / "kinds.xlsx", {"Members": FORMULA_RESULTS}, prefix="x")
    before = read_rows(path)["Members"]

    XlsxBackend(path).write(ChangeSet(appends={"Runs": [{"status": "done"}]}))

    after = read_rows(path)["Members"]
    assert after == before
    assert after[1] == [
        8,
        "General",
        True,
        CellErrorValue("#DIV/0!"),
        "a<b",
        None,
        16,
        FormulaWithoutValue("=NOW()"),
        FormulaWithoutValue("=TODAY()"),
    ]
    assert after[2][6] == 10
    members = openpyxl.load_workbook(path)["Members"]
    assert [members[ref].value for ref in ("B2", "E2", "G3")] == [
        '="Gen"&"eral"',
        '="a<"&"b"',
        "=A3*2",
    ]
    values = openpyxl.load_workbook(path, data_only=True)["Members"]
    assert [values[ref].value for ref in ("A2", "B2", "C2", "D2", "E2")] == [
        8,
        "General",
        True,
        "#DIV/0!",
        "a<b",
    ]
    assert openpyxl.load_workbook(path).calculation.fullCalcOnLoad  # the file had no calcPr


def test_restoring_values_keeps_every_part_and_its_compression(tmp_path: Path) -> None:
    path = formula_workbook(tmp_path / "f.xlsx")

    XlsxBackend(path).write(ChangeSet(appends={"Runs": [{"status": "done"}]}))

    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_DEFLATED}
        names = archive.namelist()
    assert "xl/styles.xml" in names and len(names) == len(set(names))


def stored_parts(path: Path) -> dict[str, tuple[int, int, bytes]]:
    """Each part's CRC, compressed size and content."""
    with zipfile.ZipFile(path) as archive:
        return {
            info.filename: (info.CRC, info.compress_size, archive.read(info))
            for info in archive.infolist()
        }


def test_parts_a_write_does_not_change_are_copied_as_stored(tmp_path: Path) -> None:
    path = formula_workbook(tmp_path / "f.xlsx")
    before = stored_parts(path)

    XlsxBackend(path).write(ChangeSet(cell_updates=[CellUpdate("Members", 3, "group", "Core")]))

    after = stored_parts(path)
    changed = {name for name in before if after[name] != before[name]}
    assert changed == {"xl/worksheets/sheet1.xml", "xl/workbook.xml"}  # Members; recalculation
    assert set(after) == set(before)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None


# --- keeping what the writer does not know -------------------------------------------------


def chart_workbook(path: Path) -> Path:
    workbook = Workbook()
    dashboard = workbook.active
    dashboard.title = "Dashboard"
    for row in ([1], [2], [3]):
        dashboard.append(row)
    for anchor in ("C1", "C20"):
        chart = BarChart()
        chart.add_data(Reference(dashboard, min_col=1, min_row=1, max_row=3))
        dashboard.add_chart(chart, anchor)
    workbook.create_sheet("Members").append(["member_id", "name", "group"])
    workbook.save(path)
    return path


def test_a_workbook_with_charts_keeps_them_byte_for_byte(tmp_path: Path) -> None:
    path = chart_workbook(tmp_path / "chart.xlsx")
    before = stored_parts(path)

    XlsxBackend(path).write(ChangeSet(appends={"Moves": [{"kind": "promote"}]}))

    after = stored_parts(path)
    for name in ("xl/charts/chart1.xml", "xl/charts/chart2.xml", "xl/drawings/drawing1.xml"):
        assert after[name] == before[name]
    assert openpyxl.load_workbook(path)["Moves"]["G2"].value == "promote"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.xlsx"]


def test_pictures_shapes_and_macros_are_kept(tmp_path: Path) -> None:
    path = members_workbook(tmp_path / "pic.xlsx")
    drawing = (
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing">'
        "<xdr:oneCellAnchor><xdr:pic/></xdr:oneCellAnchor>"
        "<xdr:oneCellAnchor><xdr:sp><xdr:spPr/></xdr:sp></xdr:oneCellAnchor></xdr:wsDr>"
    )
    extra: dict[str, str | bytes] = {
        "xl/worksheets/_rels/sheet1.xml.rels": f'<Relationships xmlns="{PACKAGE_REL_NS}">'
        f'<Relationship Id="rId9" Type="{REL_NS}/drawing" Target="../drawings/drawing1.xml"/>'
        "</Relationships>",
        "xl/drawings/drawing1.xml": drawing,
        "xl/drawings/_rels/drawing1.xml.rels": f'<Relationships xmlns="{PACKAGE_REL_NS}">'
        f'<Relationship Id="rId1" Type="{REL_NS}/image" Target="/xl/media/image1.png"/>'
        "</Relationships>",
        "xl/media/image1.png": b"\x89PNG not really",
        "xl/vbaProject.bin": b"macro",
    }
    with_extra_parts(path, extra)

    XlsxBackend(path).write(ChangeSet(cell_updates=[CellUpdate("Members", 2, "group", "Core")]))

    with zipfile.ZipFile(path) as archive:
        for name, data in extra.items():
            assert archive.read(name) == (data.encode() if isinstance(data, str) else data)
    assert calamine_rows(path, "Members")[1][2] == "Core"


def test_excel_only_validation_is_kept_on_a_changed_tab(tmp_path: Path) -> None:
    path = members_workbook(tmp_path / "x14.xlsx")
    extension = (
        '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        "<x14:dataValidations/></ext></extLst>"
    )
    with_extra_parts(path, {}, sheet_xml_tail=extension)

    XlsxBackend(path).write(ChangeSet(appends={"Members": [{"member_id": "+1", "name": "N"}]}))

    with zipfile.ZipFile(path) as archive:
        assert extension.encode() in archive.read("xl/worksheets/sheet1.xml")
    assert calamine_rows(path, "Members")[4][:2] == ["+1", "N"]


# --- atomic saving -----------------------------------------------------------------


def test_a_failed_save_leaves_the_original_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = members_workbook(tmp_path / "s.xlsx")
    before = path.read_bytes()

    def half_save(self: Package, handle: IO[bytes]) -> None:
        handle.write(b"PK\x03\x04 half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Package, "save", half_save)

    with pytest.raises(WorkbookError, match="No space left on device"):
        XlsxBackend(path).write(ChangeSet(appends={"Moves": [{"kind": "promote"}]}))

    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.xlsx"]


def test_an_interrupted_save_removes_its_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = members_workbook(tmp_path / "i.xlsx")
    before = path.read_bytes()

    def interrupted(self: Package, handle: IO[bytes]) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Package, "save", interrupted)

    with pytest.raises(KeyboardInterrupt):
        XlsxBackend(path).write(ChangeSet(appends={"Moves": [{"kind": "promote"}]}))

    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["i.xlsx"]


def test_saving_keeps_the_file_permissions(tmp_path: Path) -> None:
    path = members_workbook(tmp_path / "p.xlsx")
    path.chmod(0o640)

    XlsxBackend(path).write(ChangeSet(appends={"Moves": [{"kind": "promote"}]}))

    assert path.stat().st_mode & 0o777 == 0o640


# --- locking -------------------------------------------------------------------------


def test_lock_is_busy_while_another_run_holds_it(tmp_path: Path) -> None:
    path = members_workbook(tmp_path / "l.xlsx")
    held, release = threading.Event(), threading.Event()

    def other_run() -> None:
        with FileLock(f"{path}.lock"):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=other_run)
    thread.start()
    try:
        assert held.wait(5)
        busy = XlsxBackend(path, lock_timeout=0.2)
        with pytest.raises(WorkbookBusyError, match="another grouptier run"), busy.lock():
            pass
    finally:
        release.set()
        thread.join()

    with XlsxBackend(path, lock_timeout=2).lock():
        assert Path(f"{path}.lock").exists()
    assert not Path(f"{path}.lock").exists()


def test_a_waiting_run_gets_the_lock_when_the_first_finishes(tmp_path: Path) -> None:
    path = members_workbook(tmp_path / "w.xlsx")
    order: list[str] = []
    first_in = threading.Event()

    def first() -> None:
        with XlsxBackend(path).lock():
            first_in.set()
            clock.sleep(0.3)
            order.append("first done")

    thread = threading.Thread(target=first)
    thread.start()
    assert first_in.wait(5)
    with XlsxBackend(path, lock_timeout=5).lock():
        order.append("second in")
    thread.join()

    assert order == ["first done", "second in"]


def test_location_is_the_path_as_given(tmp_path: Path) -> None:
    assert XlsxBackend("some/where.xlsx").location == "some/where.xlsx"
    assert XlsxBackend(tmp_path / "x.xlsx").location == str(tmp_path / "x.xlsx")


# --- creating a workbook -------------------------------------------------------------


def test_create_workbook_lays_out_every_tab(tmp_path: Path) -> None:
    path = tmp_path / "new.xlsx"
    starter = {
        "Groups": [{"name": "Core", "level": 1, "capacity": 1024}],
        "Members": [{"member_id": "+447911000001", "name": "Ada", "group": "Core"}],
        "Settings": [{"setting": "cycle_days", "value": 15}],
    }

    create_workbook(path, starter)

    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == [spec.name for spec in sheet.ALL_TABS]
    for spec in sheet.ALL_TABS:
        tab = workbook[spec.name]
        assert [c.value for c in tab[1]] == spec.headers
        assert all(c.font.bold for c in tab[1])
        assert tab.freeze_panes == "A2"
        assert tab.column_dimensions["A"].width == spec.columns[0].width
        assert (tab.sheet_properties.tabColor is not None) == spec.tool_owned
    members = workbook["Members"]
    assert [c.value for c in members[2]][:3] == ["+447911000001", "Ada", "Core"]
    assert members["A2"].number_format == "@"
    assert members.column_dimensions["E"].number_format == "yyyy-mm-dd"
    lists = {
        str(v.sqref).split(":")[0]: v.formula1 for v in members.data_validations.dataValidation
    }
    assert lists["C2"] == "=Groups!$A$2:$A$200"
    assert lists["D2"] == '"' + ",".join(sheet.ROLES) + '"'
    assert lists["G2"] == lists["H2"] == '"yes,no"'
    assert set(lists) == {"C2", "D2", "F2", "G2", "H2", "J2"}
    for tab_name in ("Activity", "Topics", "Templates"):
        assert [v.formula1 for v in workbook[tab_name].data_validations.dataValidation] == [
            "=Groups!$A$2:$A$200"
        ]
    assert workbook["Settings"].data_validations.dataValidation == []
    problems: list[Problem] = []
    assert sheet.read_table(XlsxBackend(path).read(), sheet.GROUPS, problems) is not None
    assert problems == []


def test_create_workbook_readies_imports_for_rows_typed_by_hand(tmp_path: Path) -> None:
    path = tmp_path / "new.xlsx"
    create_workbook(path, {})

    imports = openpyxl.load_workbook(path)["Imports"]
    assert [c.value for c in imports[1]] == [
        "imported_at",
        "group",
        "first_day",
        "last_day",
        "source",
        "messages",
        "senders",
        "unmatched",
    ]
    assert imports.column_dimensions["C"].number_format == "yyyy-mm-dd"
    assert imports.column_dimensions["D"].number_format == "yyyy-mm-dd"
    assert imports.column_dimensions["E"].width == sheet.IMPORTS.columns[4].width
    assert [(str(v.sqref), v.formula1) for v in imports.data_validations.dataValidation] == [
        ("B2:B1048576", "=Groups!$A$2:$A$200")
    ]


def test_create_workbook_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "existing.xlsx"
    path.write_bytes(b"precious")

    with pytest.raises(WorkbookError, match="already exists"):
        create_workbook(path, {})

    assert path.read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.xlsx"]


def test_create_workbook_rejects_starter_rows_for_unknown_tabs(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Overview"):
        create_workbook(tmp_path / "n.xlsx", {"Overview": [{"a": 1}]})
    assert not (tmp_path / "n.xlsx").exists()
