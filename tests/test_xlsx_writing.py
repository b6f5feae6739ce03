"""The .xlsx writer that changes only what a run changes: kept parts, rows closing up, new tabs."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
import python_calamine
from conftest import ANCHOR, TODAY, SheetBuilder
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from test_cycle import clock, save
from test_xlsx import MAIN_NS, PACKAGE_REL_NS, REL_NS, hand_made_xlsx, with_extra_parts

from grouptier.backends.base import CellUpdate, ChangeSet
from grouptier.backends.xlsx import XlsxBackend
from grouptier.backends.xlsx_cells import cell_xml
from grouptier.backends.xlsx_closing import (
    closed_up_after_rows,
    closed_up_formula,
    closed_up_ranges,
)
from grouptier.backends.xlsx_safety import sheet_parts
from grouptier.backends.xlsx_worksheet import Worksheet
from grouptier.community import load_community
from grouptier.cycle import RunOptions, check, run
from grouptier.errors import WorkbookError
from grouptier.schedule import cycle_window

PIVOT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/pivot"
DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def tiny_png() -> bytes:
    """A real one-pixel PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PICTURE = (
    "<xdr:oneCellAnchor><xdr:from><xdr:col>8</xdr:col><xdr:colOff>0</xdr:colOff>"
    "<xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
    '<xdr:ext cx="952500" cy="952500"/><xdr:pic><xdr:nvPicPr><xdr:cNvPr id="9" name="Logo"/>'
    f'<xdr:cNvPicPr/></xdr:nvPicPr><xdr:blipFill><a:blip xmlns:a="{DRAWING_NS}" '
    f'xmlns:r="{REL_NS}" r:embed="rIdLogo"/><a:stretch xmlns:a="{DRAWING_NS}"><a:fillRect/>'
    f'</a:stretch></xdr:blipFill><xdr:spPr><a:prstGeom xmlns:a="{DRAWING_NS}" prst="rect">'
    "<a:avLst/></a:prstGeom></xdr:spPr></xdr:pic><xdr:clientData/></xdr:oneCellAnchor>"
)
PIVOT_CACHE = (
    f'<pivotCacheDefinition xmlns="{MAIN_NS}" xmlns:r="{REL_NS}" r:id="rId1" '
    'refreshOnLoad="1" recordCount="3"><cacheSource type="worksheet">'
    '<worksheetSource ref="A1:B4" sheet="Overview"/></cacheSource><cacheFields count="2">'
    '<cacheField name="group" numFmtId="0"><sharedItems count="3"><s v="Core"/><s v="General"/>'
    '<s v="Retention"/></sharedItems></cacheField><cacheField name="members" numFmtId="0">'
    '<sharedItems containsSemiMixedTypes="0" containsString="0" containsNumber="1" '
    'containsInteger="1" minValue="1" maxValue="5"/></cacheField></cacheFields>'
    "</pivotCacheDefinition>"
)
PIVOT_RECORDS = (
    f'<pivotCacheRecords xmlns="{MAIN_NS}" count="3"><r><x v="0"/><n v="2"/></r>'
    '<r><x v="1"/><n v="5"/></r><r><x v="2"/><n v="1"/></r></pivotCacheRecords>'
)
PIVOT_TABLE = (
    f'<pivotTableDefinition xmlns="{MAIN_NS}" name="Sizes" cacheId="7" dataCaption="Values" '
    'applyNumberFormats="0" applyBorderFormats="0" applyFontFormats="0" '
    'applyPatternFormats="0" applyAlignmentFormats="0" applyWidthHeightFormats="1" '
    'updatedVersion="6" minRefreshableVersion="3" createdVersion="6">'
    '<location ref="D1:E5" firstHeaderRow="1" firstDataRow="1" firstDataCol="1"/>'
    '<pivotFields count="2"><pivotField axis="axisRow" showAll="0"><items count="4">'
    '<item x="0"/><item x="1"/><item x="2"/><item t="default"/></items></pivotField>'
    '<pivotField dataField="1" showAll="0"/></pivotFields><rowFields count="1"><field x="0"/>'
    '</rowFields><dataFields count="1"><dataField name="Sum of members" fld="1" '
    'baseField="0" baseItem="0"/></dataFields></pivotTableDefinition>'
)


def relationship(rel_id: str, kind: str, target: str) -> bytes:
    return f'<Relationship Id="{rel_id}" Type="{REL_NS}/{kind}" Target="{target}"/>'.encode()


def with_pivot_table_parts(parts: dict[str, bytes], sheet_part: str) -> None:
    """Put the hand-written pivot table (its cache reading Overview) on worksheet `sheet_part`.

    `parts` holds the package's parts by name; the table, its cache definition and the
    relationships to them are added.
    """
    rels = sheet_part.replace("worksheets/", "worksheets/_rels/") + ".rels"
    empty = f'<Relationships xmlns="{PACKAGE_REL_NS}"></Relationships>'.encode()
    parts[rels] = parts.get(rels, empty).replace(
        b"</Relationships>",
        relationship("rIdPivot", "pivotTable", "/xl/pivotTables/pivotTable1.xml")
        + b"</Relationships>",
    )
    parts["xl/pivotTables/pivotTable1.xml"] = PIVOT_TABLE.encode()
    parts["xl/pivotTables/_rels/pivotTable1.xml.rels"] = (
        f'<Relationships xmlns="{PACKAGE_REL_NS}">'.encode()
        + relationship("rId1", "pivotCacheDefinition", "/xl/pivotCache/pivotCacheDefinition1.xml")
        + b"</Relationships>"
    )
    parts["xl/pivotCache/pivotCacheDefinition1.xml"] = PIVOT_CACHE.encode()


def with_manager_extras(path: Path) -> list[str]:
    """Give the workbook an Overview tab with a chart, a picture, a comment and a pivot table.

    openpyxl makes the chart and the comment; the picture and the pivot table are added
    to the package by hand. Returns the parts they live in.
    """
    workbook = openpyxl.load_workbook(path)
    overview = workbook.create_sheet("Overview")
    for row in (["group", "members"], ["Core", 2], ["General", 5], ["Retention", 1]):
        overview.append(row)
    chart = BarChart()
    chart.add_data(Reference(overview, min_col=2, min_row=1, max_row=4), titles_from_data=True)
    overview.add_chart(chart, "G2")
    overview["A1"].comment = Comment("Counted by hand each Monday", "Ada")
    workbook.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = f"xl/worksheets/sheet{workbook.sheetnames.index('Overview') + 1}.xml"
    sheet_rels = sheet.replace("worksheets/", "worksheets/_rels/") + ".rels"
    parts["xl/drawings/drawing1.xml"] = parts["xl/drawings/drawing1.xml"].replace(
        b"</xdr:wsDr>", PICTURE.encode() + b"</xdr:wsDr>"
    )
    parts["xl/drawings/_rels/drawing1.xml.rels"] = parts[
        "xl/drawings/_rels/drawing1.xml.rels"
    ].replace(
        b"</Relationships>",
        relationship("rIdLogo", "image", "/xl/media/image1.png") + b"</Relationships>",
    )
    parts["xl/media/image1.png"] = tiny_png()
    with_pivot_table_parts(parts, sheet)
    parts["xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels"] = (
        f'<Relationships xmlns="{PACKAGE_REL_NS}">'.encode()
        + relationship("rId1", "pivotCacheRecords", "/xl/pivotCache/pivotCacheRecords1.xml")
        + b"</Relationships>"
    )
    parts["xl/pivotCache/pivotCacheRecords1.xml"] = PIVOT_RECORDS.encode()
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        relationship("rIdCache", "pivotCacheDefinition", "/xl/pivotCache/pivotCacheDefinition1.xml")
        + b"</Relationships>",
    )
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"</workbook>",
        b'<pivotCaches><pivotCache cacheId="7" r:id="rIdCache"/></pivotCaches></workbook>',
    )
    overrides = "".join(
        f'<Override PartName="/{name}" ContentType="{CONTENT}.{kind}+xml"/>'
        for name, kind in (
            ("xl/pivotTables/pivotTable1.xml", "pivotTable"),
            ("xl/pivotCache/pivotCacheDefinition1.xml", "pivotCacheDefinition"),
            ("xl/pivotCache/pivotCacheRecords1.xml", "pivotCacheRecords"),
        )
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Default Extension="png" ContentType="image/png"/>' + overrides.encode() + b"</Types>",
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    kept = [
        sheet,
        sheet_rels,
        "xl/drawings/drawing1.xml",
        "xl/drawings/_rels/drawing1.xml.rels",
        "xl/media/image1.png",
        "xl/pivotTables/pivotTable1.xml",
        "xl/pivotCache/pivotCacheDefinition1.xml",
        "xl/pivotCache/pivotCacheRecords1.xml",
        "xl/pivotTables/_rels/pivotTable1.xml.rels",
        "xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels",
    ]
    kept += [name for name in parts if name.startswith("xl/charts/") or "omment" in name]
    return kept


def part_contents(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_a_due_run_keeps_charts_pictures_pivots_and_comments_byte_for_byte(
    sheet: SheetBuilder, tmp_path: Path
) -> None:
    sheet.active_member("Core", score_days=3)
    sheet.member("Core")  # inactive: moves down to General
    for cycle in (1, 2):  # old activity: rolled up into History, rows removed
        sheet.post(sheet.member("General"), cycle_window(ANCHOR, 15, cycle).start, messages=9)
    sheet.active_member("General", score_days=2)
    path = tmp_path / "c.xlsx"
    backend = save(sheet, path)
    kept = with_manager_extras(path)
    before = part_contents(path)
    assert len(kept) == 13 and any(name.startswith("xl/charts/") for name in kept)

    report = run(backend, RunOptions(today=TODAY), clock=clock)

    assert report.status == "done" and report.written
    after = part_contents(path)
    assert [name for name in kept if after.get(name) != before[name]] == []
    community = load_community(backend.read())
    groups = dict(zip(community.members["member_id"], community.members["group"], strict=True))
    moves = report.plans[0].moves.query("kind in ['promote', 'demote', 'return']")
    assert len(moves) >= 1
    for move in moves.itertuples():
        assert groups[move.member_id] == move.to_group
    assert len(community.history) >= 1  # the roll-up removed Activity rows
    workbook = openpyxl.load_workbook(path)
    assert workbook["Overview"]["A1"].comment.text == "Counted by hand each Monday"
    assert len(workbook["Overview"]._charts) == 1 and len(workbook["Overview"]._pivots) == 1
    members = workbook["Members"]
    by_id = {row[0].value: row[2].value for row in members.iter_rows(min_row=2)}
    assert by_id == groups
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    runs = book.get_sheet_by_name("Runs").to_python()
    assert runs[-1][sheet_header(runs, "status")] == "done"
    rows = book.get_sheet_by_name("Members").to_python()
    column = sheet_header(rows, "group")
    assert {row[0]: row[column] for row in rows[1:]} == groups
    assert book.get_sheet_by_name("Overview").to_python()[2] == ["General", 5]


def sheet_header(rows: Sequence[Sequence[object]], name: str) -> int:
    return [str(cell) for cell in rows[0]].index(name)


# --- rows closing up ---------------------------------------------------------------------

ACTIVITY_BODY = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>date</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>member_id</t></is></c>'
    '<c r="D1" t="inlineStr"><is><t>messages</t></is></c>'
    '<c r="E1" t="inlineStr"><is><t>double</t></is></c>'
    '<c r="G1"><f>SUM(D2:D9)</f><v>44</v></c><c r="H1"><f>$D$6+D7</f><v>11</v></c></row>'
    + "".join(
        f'<row r="{r}"><c r="B{r}" t="inlineStr"><is><t>m{r}</t></is></c>'
        f'<c r="D{r}"><v>{r}</v></c>'
        + (
            f'<c r="E{r}"><f t="shared" ref="E2:E9" si="0">D2*2</f><v>{2 * r}</v></c>'
            if r == 2
            else f'<c r="E{r}"><f t="shared" si="0"/><v>{2 * r}</v></c>'
        )
        + "</row>"
        for r in range(2, 10)
    )
)
ACTIVITY_TAIL = (
    '<mergeCells count="1"><mergeCell ref="B8:C9"/></mergeCells>'
    '<conditionalFormatting sqref="D2:D9"><cfRule type="expression" priority="1">'
    "<formula>$D$7&gt;D2</formula></cfRule></conditionalFormatting>"
    '<dataValidations count="1"><dataValidation type="list" sqref="D2:D1048576">'
    "<formula1>$D$2:$D$9</formula1></dataValidation></dataValidations>"
)


def closing_up_workbook(path: Path) -> Path:
    hand_made_xlsx(
        path,
        {
            "Activity": ACTIVITY_BODY,
            "Overview": '<row r="1"><c r="A1"><f>SUM(Activity!D5:D9)+Activity!D3</f>'
            '<v>38</v></c><c r="B1"><f>D5</f><v>0</v></c></row>',
        },
    )
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"</sheetData>", b"</sheetData>" + ACTIVITY_TAIL.encode()
    )
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"</sheets>",
        b'</sheets><definedNames><definedName name="Recent">Activity!$D$6:$D$9</definedName>'
        b'<definedName name="Gone">Activity!$D$3</definedName></definedNames>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_removed_rows_close_up_and_what_points_below_follows(tmp_path: Path) -> None:
    path = closing_up_workbook(tmp_path / "d.xlsx")

    XlsxBackend(path).write(ChangeSet(deleted_rows={"Activity": [2, 3, 4]}))

    workbook = openpyxl.load_workbook(path)
    activity = workbook["Activity"]
    assert [activity[f"D{r}"].value for r in range(2, 7)] == [5, 6, 7, 8, 9]
    assert [activity[f"E{r}"].value for r in range(2, 7)] == [f"=D{r}*2" for r in range(2, 7)]
    assert activity["G1"].value == "=SUM(D2:D6)"
    assert activity["H1"].value == "=$D$3+D4"
    assert [str(m) for m in activity.merged_cells.ranges] == ["B5:C6"]
    validation = activity.data_validations.dataValidation[0]
    assert str(validation.sqref) == "D2:D1048576" and validation.formula1 == "$D$2:$D$6"
    rules = activity.conditional_formatting
    assert [str(rule.sqref) for rule in rules] == ["D2:D6"]
    assert [r.formula for rule in rules for r in rule.rules] == [["$D$4>D2"]]
    assert workbook["Overview"]["A1"].value == "=SUM(Activity!D2:D6)+#REF!"
    assert workbook["Overview"]["B1"].value == "=D5"  # its own tab's cell: not moved
    names = workbook.defined_names
    assert names["Recent"].attr_text == "Activity!$D$3:$D$6"
    assert names["Gone"].attr_text == "#REF!"
    values = openpyxl.load_workbook(path, data_only=True)["Activity"]
    assert [values[f"E{r}"].value for r in range(2, 7)] == [10, 12, 14, 16, 18]
    assert (
        python_calamine.CalamineWorkbook.from_path(str(path))
        .get_sheet_by_name("Activity")
        .to_python()[1][1]
        == "m5"
    )


def with_tail(path: Path, tail: str, part: str = "xl/worksheets/sheet1.xml") -> Path:
    """The package at `path` with `tail` put after the rows of worksheet `part`."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts[part] = parts[part].replace(b"</sheetData>", b"</sheetData>" + tail.encode())
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def numbered_rows(last: int) -> str:
    """Worksheet rows: a member_id header, then m2 in B2 and 2 in D2 and so on to `last`."""
    return '<row r="1"><c r="B1" t="inlineStr"><is><t>member_id</t></is></c></row>' + "".join(
        f'<row r="{r}"><c r="B{r}" t="inlineStr"><is><t>m{r}</t></is></c>'
        f'<c r="D{r}"><v>{r}</v></c></row>'
        for r in range(2, last + 1)
    )


def test_ranges_all_on_removed_rows_go_and_the_file_still_reads(tmp_path: Path) -> None:
    tail = (
        '<mergeCells count="2"><mergeCell ref="B3:C4"/><mergeCell ref="B6:C6"/></mergeCells>'
        '<conditionalFormatting sqref="D3:D4"><cfRule type="cellIs" priority="1" '
        'operator="greaterThan"><formula>3</formula></cfRule></conditionalFormatting>'
        '<conditionalFormatting sqref="D5:D6"><cfRule type="cellIs" priority="2" '
        'operator="lessThan"><formula>1</formula></cfRule></conditionalFormatting>'
        '<dataValidations count="1"><dataValidation type="whole" sqref="D3:D4">'
        "<formula1>0</formula1></dataValidation></dataValidations>"
        '<hyperlinks><hyperlink ref="B3" location="Activity!A1" display="top"/></hyperlinks>'
    )
    path = with_tail(hand_made_xlsx(tmp_path / "g.xlsx", {"Activity": numbered_rows(6)}), tail)

    XlsxBackend(path).write(ChangeSet(deleted_rows={"Activity": [3, 4]}))

    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert b'ref=""' not in xml and b'sqref=""' not in xml
    assert b'<mergeCells count="1">' in xml
    assert b"<dataValidations" not in xml and b"<hyperlinks" not in xml
    activity = openpyxl.load_workbook(path)["Activity"]
    assert [str(m) for m in activity.merged_cells.ranges] == ["B4:C4"]
    assert [str(rule.sqref) for rule in activity.conditional_formatting] == ["D3:D4"]
    assert activity.data_validations.dataValidation == [] and activity._hyperlinks == []
    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Activity")
    assert [row[0] for row in rows.to_python()[1:]] == ["m2", "m5", "m6"]


X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM = "http://schemas.microsoft.com/office/excel/2006/main"


def x14_extension(uri: str, body: str) -> str:
    return f'<ext uri="{{{uri}}}" xmlns:x14="{X14}">{body}</ext>'


def list_validation(where: str) -> str:
    return (
        '<x14:dataValidation type="list"><x14:formula1><xm:f>Lists!$A$1:$A$5</xm:f>'
        f"</x14:formula1><xm:sqref>{where}</xm:sqref></x14:dataValidation>"
    )


def test_excel_2010_formats_validation_and_sparklines_on_removed_rows_go() -> None:
    formats = x14_extension(
        "78C0D931-6437-407d-A8EE-F0AAD7539E65",
        f'<x14:conditionalFormattings><x14:conditionalFormatting xmlns:xm="{XM}">'
        '<x14:cfRule type="expression" priority="1" id="{00000000-0000-0000-0000-000000000001}">'
        "<xm:f>D3&gt;Lists!$A$1</xm:f></x14:cfRule><xm:sqref>D3:D4</xm:sqref>"
        "</x14:conditionalFormatting></x14:conditionalFormattings>",
    )
    validations = (
        "CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF",
        '<x14:dataValidations count="{}" xmlns:xm="' + XM + '">{}</x14:dataValidations>',
    )
    sparklines = x14_extension(
        "05C60535-1F16-4fd2-B633-F4F36F0B64E0",
        f'<x14:sparklineGroups xmlns:xm="{XM}"><x14:sparklineGroup><x14:sparklines>'
        "<x14:sparkline><xm:f>Activity!D3:D4</xm:f><xm:sqref>F3</xm:sqref></x14:sparkline>"
        "</x14:sparklines></x14:sparklineGroup></x14:sparklineGroups>",
    )
    both = list_validation("C3:C4") + list_validation("C6:C9 E5")
    before = x14_extension(validations[0], validations[1].format(2, both))
    tail = f"<extLst>{formats}{before}{sparklines}</extLst></worksheet>"

    moved = closed_up_after_rows(tail.encode(), "Activity", [3, 4]).decode()

    after = x14_extension(validations[0], validations[1].format(1, list_validation("C4:C7 E3")))
    assert moved == f"<extLst>{after}</extLst></worksheet>"


def test_a_merge_left_on_one_cell_goes_and_a_taller_one_moves_up() -> None:
    tail = (
        '<mergeCells count="3"><mergeCell ref="A5:A6"/><mergeCell ref="B5:C6"/>'
        '<mergeCell ref="D7:D9"/></mergeCells></worksheet>'
    )

    moved = closed_up_after_rows(tail.encode(), "Activity", [6]).decode()

    # A5:A6 would be a merge of one cell, which Excel never writes: it goes.
    assert moved == (
        '<mergeCells count="2"><mergeCell ref="B5:C5"/><mergeCell ref="D6:D8"/></mergeCells>'
        "</worksheet>"
    )


SHARED_DOWN = (  # Overview!A1:A4 = Activity!D2 filled down, as Excel saves it
    '<row r="1"><c r="A1"><f t="shared" ref="A1:A4" si="0">Activity!D2</f><v>2</v></c></row>'
    + "".join(
        f'<row r="{r}"><c r="A{r}"><f t="shared" si="0"/><v>{r + 1}</v></c></row>'
        for r in (2, 3, 4)
    )
)


@pytest.mark.parametrize("written", [False, True], ids=["kept-tab", "written-tab"])
def test_shared_formulas_on_other_tabs_follow_the_rows_they_name(
    tmp_path: Path, written: bool
) -> None:
    sheets = {"Activity": numbered_rows(6), "Overview": SHARED_DOWN}
    path = hand_made_xlsx(tmp_path / "o.xlsx", sheets)
    updates = [CellUpdate("Overview", 6, "note", "checked")] if written else []

    XlsxBackend(path).write(ChangeSet(cell_updates=updates, deleted_rows={"Activity": [3]}))

    overview = openpyxl.load_workbook(path)["Overview"]
    assert [overview[f"A{r}"].value for r in range(1, 5)] == [
        "=Activity!D2",
        "=#REF!",
        "=Activity!D3",
        "=Activity!D4",
    ]


def test_a_tables_sort_ranges_close_up_with_it(tmp_path: Path) -> None:
    path = hand_made_xlsx(tmp_path / "t.xlsx", {"Activity": numbered_rows(9)})
    table = (
        f'<table xmlns="{MAIN_NS}" id="1" name="Log" displayName="Log" ref="B1:D9">'
        '<autoFilter ref="B1:D9"/><sortState ref="B2:D9"><sortCondition descending="1" '
        'ref="D2:D9"/></sortState><tableColumns count="3"><tableColumn id="1" name="member_id"/>'
        '<tableColumn id="2" name="Column1"/><tableColumn id="3" name="Column2"/></tableColumns>'
        '<tableStyleInfo name="TableStyleMedium9" showRowStripes="1"/></table>'
    )
    with_tail(path, '<tableParts count="1"><tablePart r:id="rIdT"/></tableParts>')
    with_extra_parts(
        path,
        {
            "xl/tables/table1.xml": table,
            "xl/worksheets/_rels/sheet1.xml.rels": f'<Relationships xmlns="{PACKAGE_REL_NS}">'
            + relationship("rIdT", "table", "../tables/table1.xml").decode()
            + "</Relationships>",
        },
    )

    XlsxBackend(path).write(ChangeSet(deleted_rows={"Activity": [3, 4]}))

    moved = zipfile.ZipFile(path).read("xl/tables/table1.xml")
    assert re.findall(rb'\sref="([^"]*)"', moved) == [b"B1:D7", b"B1:D7", b"B2:D7", b"D2:D7"]
    assert openpyxl.load_workbook(path)["Activity"].tables["Log"].ref == "B1:D7"


def test_relative_formulas_of_formats_and_validation_follow_their_range(tmp_path: Path) -> None:
    tail = (
        '<conditionalFormatting sqref="D5:D9"><cfRule type="expression" priority="1">'
        "<formula>D5&gt;$D$9</formula></cfRule></conditionalFormatting>"
        '<conditionalFormatting sqref="E5:E9"><cfRule type="colorScale" priority="2">'
        '<colorScale><cfvo type="min"/><cfvo type="formula" val="$D$9"/><color rgb="FFFF0000"/>'
        '<color rgb="FF00FF00"/></colorScale></cfRule></conditionalFormatting>'
        '<dataValidations count="2"><dataValidation type="custom" sqref="D5:D9">'
        "<formula1>D5&lt;=$D$9+C5</formula1></dataValidation>"
        '<dataValidation type="list" sqref="C5:C9"><formula1>Lists!A1:A3</formula1>'
        "</dataValidation></dataValidations>"
    )
    sheets = {"Activity": numbered_rows(9), "Lists": numbered_rows(3)}
    path = with_tail(hand_made_xlsx(tmp_path / "r.xlsx", sheets), tail)

    XlsxBackend(path).write(ChangeSet(deleted_rows={"Activity": [2, 3]}))

    activity = openpyxl.load_workbook(path)["Activity"]
    rules = activity.conditional_formatting
    assert [str(rule.sqref) for rule in rules] == ["D3:D7", "E3:E7"]
    assert [r.formula for rule in rules for r in rule.rules] == [["D3>$D$7"], []]
    scale = next(r.colorScale for rule in rules for r in rule.rules if r.colorScale)
    assert [cfvo.val for cfvo in scale.cfvo] == [None, "$D$7"]
    custom, listed = activity.data_validations.dataValidation
    assert str(custom.sqref) == "D3:D7" and custom.formula1 == "D3<=$D$7+C3"
    assert str(listed.sqref) == "C3:C7" and listed.formula1 == "Lists!A1:A3"  # another tab's


@pytest.mark.parametrize(
    "reference",
    ["B2:B1048576", "$B$3:$B$4", "B3:B4", "B4", "B5", "$B$1:$C$9", "3:5", "$2:$9", "A:C", "B9:B2"],
)
def test_formulas_and_ranges_close_up_alike(reference: str) -> None:
    """One rule for both: a range reaching the last row keeps reaching it, as in Excel."""
    ranges = closed_up_ranges(reference, [3, 4])
    formula = closed_up_formula(f"=COUNTA(Activity!{reference})", "Activity", [3, 4])

    assert formula == f"=COUNTA({'Activity!' + ranges if ranges else '#REF!'})"


def test_a_range_to_the_last_row_stays_pinned_there() -> None:
    assert closed_up_ranges("B2:B1048576 $A$5:$C$1048576", [3, 4]) == "B2:B1048576 $A$3:$C$1048576"
    assert closed_up_ranges("B1048576", [3, 4]) == "B1048574"  # a cell moves up


# A shape sized with cells over rows 3 to 7 (0-based 2 to 6).
SIZED_BOX = (
    "<twoCellAnchor><from><col>8</col><colOff>0</colOff><row>2</row><rowOff>5000</rowOff>"
    "</from><to><col>10</col><colOff>0</colOff><row>6</row><rowOff>7000</rowOff></to>"
    '<sp><nvSpPr><cNvPr id="3" name="Box"/><cNvSpPr/></nvSpPr><spPr/></sp><clientData/>'
    "</twoCellAnchor>"
)


def placed_things_workbook(path: Path) -> Path:
    """An Activity tab with two comments, a chart and a shape placed on its rows."""
    workbook = openpyxl.Workbook()
    activity = workbook.active
    activity.title = "Activity"
    activity.append(["date", "member_id", "messages"])
    for number in range(2, 12):
        activity.append([f"2026-01-{number:02d}", f"m{number}", number])
    activity["B3"].comment = Comment("removed with its row", "Ada")
    activity["B6"].comment = Comment("check this one", "Ada")
    chart = BarChart()
    chart.add_data(Reference(activity, min_col=3, min_row=1, max_row=11), titles_from_data=True)
    activity.add_chart(chart, "E8")  # a one-cell anchor at row 8
    workbook.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts["xl/drawings/drawing1.xml"] = parts["xl/drawings/drawing1.xml"].replace(
        b"</wsDr>", SIZED_BOX.encode() + b"</wsDr>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def drawing_rows(path: Path) -> list[list[int]]:
    """The 0-based (row, rowOff) of each `xdr:from` and `xdr:to` of the first drawing, in order."""
    xml = zipfile.ZipFile(path).read("xl/drawings/drawing1.xml").decode()
    return [
        [int(row), int(offset)]
        for row, offset in re.findall(r"<row>(\d+)</row><rowOff>(-?\d+)<", xml)
    ]


def test_comments_charts_and_shapes_follow_their_rows_when_rows_close_up(
    tmp_path: Path,
) -> None:
    path = placed_things_workbook(tmp_path / "c.xlsx")
    assert drawing_rows(path) == [[7, 0], [2, 5000], [6, 7000]]

    XlsxBackend(path).write(ChangeSet(deleted_rows={"Activity": [2, 3, 9]}))

    workbook = openpyxl.load_workbook(path)
    activity = workbook["Activity"]
    assert activity["B4"].value == "m6"
    comments = {
        c.coordinate: c.comment.text for row in activity.iter_rows() for c in row if c.comment
    }
    assert comments == {"B4": "check this one"}  # B3's went with its row
    vml = zipfile.ZipFile(path).read("xl/drawings/commentsDrawing1.vml").decode()
    assert re.findall(r"Row>(\d+)</", vml) == ["3"]  # 0-based row of B4
    # The chart moved up two rows; the box, whose top row went, moved to the first
    # row left below and kept its height.
    assert drawing_rows(path) == [[5, 0], [1, 0], [5, 7000]]
    assert len(activity._charts) == 1
    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Activity")
    assert [row[1] for row in rows.to_python()[1:]] == [f"m{n}" for n in (4, 5, 6, 7, 8, 10, 11)]


def with_pivot_table_on(path: Path, sheet_part: str) -> None:
    """Place the hand-written pivot table on worksheet `sheet_part` of the package at `path`."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    with_pivot_table_parts(parts, sheet_part)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_a_pivot_table_on_activity_is_refused_alike_by_check_and_by_run(
    sheet: SheetBuilder, tmp_path: Path
) -> None:
    sheet.active_member("General")
    path = tmp_path / "p.xlsx"
    backend = save(sheet, path)
    with zipfile.ZipFile(path) as archive:
        part = sheet_parts(archive)["Activity"][1]
    with_pivot_table_on(path, part)
    before = path.read_bytes()

    with pytest.raises(WorkbookError) as checked:
        check(backend, TODAY, clock=clock)
    with pytest.raises(WorkbookError) as ran:
        run(backend, RunOptions(today=TODAY), clock=clock)
    with pytest.raises(WorkbookError) as written:
        backend.write(ChangeSet(deleted_rows={"Activity": [2]}))

    assert str(checked.value) == str(ran.value) == str(written.value)
    assert "the tab Activity holds a pivot table at D1:E5" in str(checked.value)
    assert "move the pivot table to a tab of its own" in str(checked.value)
    assert path.read_bytes() == before


def test_a_chart_tab_named_like_a_tool_tab_is_refused_alike_by_check_and_by_run(
    sheet: SheetBuilder, tmp_path: Path
) -> None:
    sheet.active_member("General")
    path = tmp_path / "c.xlsx"
    backend = save(sheet, path)
    workbook = openpyxl.load_workbook(path)
    workbook.remove(workbook["Runs"])
    chart = BarChart()
    chart.add_data(Reference(workbook["Groups"], min_col=2, min_row=1, max_row=3))
    workbook.create_chartsheet("Runs").add_chart(chart)
    workbook.save(path)
    before = path.read_bytes()

    with pytest.raises(WorkbookError) as checked:
        check(backend, TODAY, clock=clock)
    with pytest.raises(WorkbookError) as ran:
        run(backend, RunOptions(today=TODAY), clock=clock)

    assert str(checked.value) == str(ran.value)
    assert 'the tab "Runs" is a chart tab, so rows cannot be written there' in str(ran.value)
    assert path.read_bytes() == before


def test_array_formulas_and_tab_names_needing_escapes_close_up(tmp_path: Path) -> None:
    """A tab named R&D <'s> (escaped in workbook.xml, quoted in formulas) loses row 2."""
    body = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>member_id</t></is></c></row>'
        + "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(2, 6))
        + '<row r="6"><c r="A6"><v>6</v></c><c r="B6"><f t="array" ref="B6:B7">A2:A3*2</f>'
        '<v>4</v></c></row><row r="7"><c r="B7"><v>6</v></c></row>'
    )
    others = (
        "<row r=\"1\"><c r=\"A1\"><f>SUM('R&amp;D &lt;''s&gt;'!A3:A5)</f><v>12</v></c>"
        "<c r=\"B1\"><f>'R&amp;D &lt;''s&gt;'!A2</f><v>2</v></c></row>"
    )
    path = hand_made_xlsx(tmp_path / "e.xlsx", {"R&amp;D &lt;'s&gt;": body, "Notes": others})
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"</sheets>",
        b"</sheets><definedNames><definedName name=\"Top\">'R&amp;D &lt;''s&gt;'!$A$4"
        b"</definedName></definedNames>",
    )
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)

    XlsxBackend(path).write(ChangeSet(deleted_rows={"R&D <'s>": [2]}))

    workbook = openpyxl.load_workbook(path)
    tab = workbook["R&D <'s>"]
    assert [tab[f"A{r}"].value for r in range(2, 6)] == [3, 4, 5, 6]
    array = tab["B5"].value
    assert array.ref == "B5:B6" and array.text == "=A2:A2*2"  # the range lost its row 2
    assert workbook["Notes"]["A1"].value == "=SUM('R&D <''s>'!A2:A4)"
    assert workbook["Notes"]["B1"].value == "=#REF!"
    assert workbook.defined_names["Top"].attr_text == "'R&D <''s>'!$A$3"
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["R&D <'s>", "Notes"]


def test_shared_string_count_follows_removed_cells(tmp_path: Path) -> None:
    body = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>'
        '<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" t="s"><v>3</v></c></row>'
    )
    path = with_shared_strings(
        hand_made_xlsx(tmp_path / "s.xlsx", {"Activity": body}),
        f'<sst xmlns="{MAIN_NS}" count="6" uniqueCount="4"><si><t>member_id</t></si>'
        "<si><t>group</t></si><si><t>+1</t></si><si><t>Core</t></si></sst>",
    )

    XlsxBackend(path).write(
        ChangeSet(
            cell_updates=[CellUpdate("Activity", 3, "group", "General")],
            deleted_rows={"Activity": [2]},
        )
    )

    shared = zipfile.ZipFile(path).read("xl/sharedStrings.xml")
    assert b'count="3" uniqueCount="4"' in shared  # two cells removed, one overwritten
    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Activity")
    assert rows.to_python() == [["member_id", "group"], ["+1", "General"]]


ODD_PART = (
    b'<?xml version="1.0"?><x:worksheet xmlns:x="%s"><x:dimension ref="A1:B5"/><x:sheetData>'
    b'<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>member_id</x:t></x:is></x:c></x:row>'
    b'<x:row r="2"/><x:row r="3"><x:c r="A3"><x:v>3</x:v></x:c></x:row>'
    b'<x:row r="5" spans="1:2"><x:c r="B5" t="s"><x:v>0</x:v></x:c></x:row></x:sheetData>'
    b'<x:mergeCells count="1"><x:mergeCell ref="A5:B5"/></x:mergeCells></x:worksheet>'
) % MAIN_NS.encode()


@pytest.mark.parametrize("size", [1, 2, 7, 64, len(ODD_PART)])
def test_a_part_streamed_in_pieces_of_any_size_is_rebuilt_alike(size: int) -> None:
    def pieces() -> list[bytes]:
        return [ODD_PART[at : at + size] for at in range(0, len(ODD_PART), size)]

    sheet = Worksheet(pieces)
    rebuilt = b"".join(
        sheet.rebuilt(
            clear=False,
            gone=[3],
            puts={4: lambda cells: {1: cell_xml(4, 1, "new", None)}},
            tail=lambda tail: closed_up_after_rows(tail, "Activity", [3]),
        )
    )

    assert sheet.cells(5)[2].kind == b"s" and sheet.last_content_row(lambda n: n) == 5
    assert sheet.last_content_row(lambda n: None if n == 5 else n) == 3  # row 2 is empty
    assert sheet.cells(1)[1].xml.endswith(b"member_id</x:t></x:is></x:c>")
    assert sheet.dropped_shared == 0  # row 3 held a number
    assert rebuilt == (
        ODD_PART.replace(b'<x:row r="3"><x:c r="A3"><x:v>3</x:v></x:c></x:row>', b"")
        .replace(
            b'<x:row r="5" spans="1:2"><x:c r="B5"',
            b'<x:row r="4"><x:c r="A4" t="inlineStr"><x:is><x:t xml:space="preserve">new'
            b'</x:t></x:is></x:c><x:c r="B4"',
        )
        .replace(b'ref="A1:B5"', b'ref="A1:B4"')
        .replace(b'ref="A5:B5"', b'ref="A4:B4"')
    )


# --- new tabs -------------------------------------------------------------------------


def test_a_new_first_tab_keeps_the_selected_tab_and_tab_local_names(tmp_path: Path) -> None:
    path = hand_made_xlsx(tmp_path / "n.xlsx", {"Members": "", "Notes": ""})
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/workbook.xml"] = (
        parts["xl/workbook.xml"]
        .replace(b"<sheets>", b'<bookViews><workbookView activeTab="1"/></bookViews><sheets>')
        .replace(
            b"</sheets>",
            b'</sheets><definedNames><definedName name="Here" localSheetId="1">'
            b"Notes!$A$1</definedName></definedNames>",
        )
    )
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)

    XlsxBackend(path).write(ChangeSet(replacements={"Status": [{"status": "done"}]}))

    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Status", "Members", "Notes"]
    assert workbook.active.title == "Notes"
    assert workbook["Notes"].defined_names["Here"].attr_text == "Notes!$A$1"
    assert workbook["Status"].freeze_panes == "A2"
    assert workbook["Status"]["A1"].font.bold


def test_dates_take_a_date_format_and_numbers_under_a_date_do_not(tmp_path: Path) -> None:
    path = tmp_path / "d.xlsx"
    workbook = openpyxl.Workbook()
    activity = workbook.active
    activity.title = "Activity"
    activity.append(["date", "member_id", "messages"])
    activity.append([TODAY, "a", 3])
    activity["C2"].number_format = "yyyy-mm-dd"  # a manager's slip: a date format on a count
    workbook.save(path)

    XlsxBackend(path).write(
        ChangeSet(
            cell_updates=[CellUpdate("Activity", 2, "member_id", TODAY + timedelta(days=1))],
            appends={"Activity": [{"date": TODAY, "member_id": "b", "messages": 4}]},
        )
    )

    activity = openpyxl.load_workbook(path)["Activity"]
    assert activity["B2"].is_date and activity["A3"].is_date
    assert activity["C3"].value == 4 and not activity["C3"].is_date
    assert activity["B3"].number_format == "@"  # an identifier column: text


# --- crash safety ----------------------------------------------------------------------

WRITE_FOREVER = """
import sys
from grouptier.backends.base import ChangeSet
from grouptier.backends.xlsx import XlsxBackend

backend = XlsxBackend(sys.argv[1])
print("writing", flush=True)
for number in range(10_000):
    rows = [{"run_id": f"r{number}-{i}", "status": "done"} for i in range(200)]
    backend.write(ChangeSet(appends={"Runs": rows}, deleted_rows={"Runs": [2]}))
"""


@pytest.mark.parametrize("delay", [0.01, 0.05, 0.1, 0.2, 0.35, 0.7])
def test_a_write_killed_at_any_moment_leaves_a_whole_workbook(
    sheet: SheetBuilder, tmp_path: Path, delay: float
) -> None:
    sheet.active_member("General")
    path = tmp_path / "book.xlsx"
    save(sheet, path)
    root = Path(__file__).resolve().parent.parent
    with subprocess.Popen(
        [sys.executable, "-c", WRITE_FOREVER, str(path)],
        stdout=subprocess.PIPE,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    ) as child:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"writing"
        time.sleep(delay)
        child.kill()  # SIGKILL: no cleanup runs

    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
    runs = XlsxBackend(path).read().tabs["Runs"].rows
    ids = [row[0] for row in runs[1:]]
    # Exactly what some number of whole writes leaves: each adds 200 rows and removes the
    # first (none yet for the first write).
    done = (len(ids) - 1) // 199 if ids else 0
    written = [f"r{number}-{i}" for number in range(done) for i in range(200)]
    assert ids == written[max(done - 1, 0) :]
    assert openpyxl.load_workbook(path)["Members"]["A1"].value == "member_id"


def test_text_that_looks_like_a_cell_reference_survives_rows_closing_up(tmp_path: Path) -> None:
    body = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>member_id</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>gone</t></is></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><t>say r="B3" &amp; "A3"</t></is></c></row>'
    )
    path = hand_made_xlsx(tmp_path / "t.xlsx", {"Activity": body})

    XlsxBackend(path).write(ChangeSet(deleted_rows={"Activity": [2]}))

    assert openpyxl.load_workbook(path)["Activity"]["A2"].value == 'say r="B3" & "A3"'


def with_shared_strings(path: Path, shared: str) -> Path:
    """The package at `path` given the shared strings part `shared`."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/sharedStrings.xml"] = shared.encode()
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        relationship("rId99", "sharedStrings", "sharedStrings.xml") + b"</Relationships>",
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CONTENT}.sharedStrings'
        '+xml"/></Types>'.encode(),
    )
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_headers_held_as_shared_strings_are_found(tmp_path: Path) -> None:
    """Excel and LibreOffice keep text in a shared table (openpyxl writes it inline)."""
    body = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>4</v></c>'
        '<c r="C2" t="s"><v>5</v></c></row>'
    )
    path = hand_made_xlsx(tmp_path / "s.xlsx", {"Members": body})
    shared = (
        f'<sst xmlns="{MAIN_NS}" count="6" uniqueCount="6">'
        '<si><r><t>Member</t></r><r><rPr><b/></rPr><t xml:space="preserve"> ID</t></r></si>'
        "<si><t>name</t></si><si><t>Group</t></si>"
        "<si><t>+447911000001</t></si><si><t>Ada &amp; Bo</t></si><si><t>General</t></si></sst>"
    )
    with_shared_strings(path, shared)

    XlsxBackend(path).write(
        ChangeSet(
            cell_updates=[CellUpdate("Members", 2, "group", "Core")],
            appends={"Members": [{"member_id": "+2", "name": "Cy", "group": "Retention"}]},
        )
    )

    members = openpyxl.load_workbook(path)["Members"]
    assert [[cell.value for cell in row] for row in members.iter_rows()] == [
        ["Member ID", "name", "Group"],
        ["+447911000001", "Ada & Bo", "Core"],
        ["+2", "Cy", "Retention"],
    ]
