"""Workbooks an unlucky manager or a careful attacker hands over: each is read right or refused.

Error values, a stray cell at the far corner of a tab, links to the workbook file,
two tabs of one name, and saves killed half-way. Every case asserts its bound: the
problem naming the cell, the memory of a child process, the file the link names,
the temporary files left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import SheetBuilder
from sheets_fake import SheetsFake
from sheets_fake_grid import ErrorCell
from sheets_support import SHEET_ID, load_workbook, open_sheet
from test_cycle import save
from test_xlsx import hand_made_xlsx

from grouptier.backends import xlsx_files
from grouptier.backends.base import ChangeSet
from grouptier.backends.xlsx import XlsxBackend
from grouptier.backends.xlsx_package import Package
from grouptier.cells import CellErrorValue
from grouptier.cli import main
from grouptier.community import load_community
from grouptier.errors import InvalidSheetError, Problem, WorkbookError
from grouptier.sheet import GROUPS, RawTab, RawWorkbook, read_table

ROOT = Path(__file__).resolve().parent.parent
# Excel's seven classic error values.
ERROR_VALUES = ["#REF!", "#N/A", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"]


def problems_of(workbook: RawWorkbook) -> list[str]:
    """Every problem as the CLI lists it (`Tab!Cell: message`)."""
    with pytest.raises(InvalidSheetError) as caught:
        load_community(workbook)
    return [str(problem) for problem in caught.value.problems]


def error_problem(where: str, code: str) -> str:
    return f"{where}: holds the error {code} instead of a value; fix the formula or type the value"


def community(sheet: SheetBuilder, path: Path) -> Path:
    """A valid community of two members with a day of activity each, saved at `path`."""
    for _ in range(2):
        sheet.active_member("General")
    save(sheet, path)
    return path


def edit(path: Path, tab: str, **cells: object) -> None:
    """Set cells (by A1 reference) of `tab`; a value starting with "#" is stored as an error."""
    workbook = openpyxl.load_workbook(path)
    for reference, value in cells.items():
        cell = workbook[tab][reference]
        cell.value = value
        if isinstance(value, str) and value.startswith("#"):
            cell.data_type = "e"
    workbook.save(path)


def with_tab_named(path: Path, tab: str, twin: str) -> None:
    """Add a copy of `tab` called `twin`, even a name Excel would refuse (another case)."""
    workbook = openpyxl.load_workbook(path)
    workbook.copy_worksheet(workbook[tab]).title = "Twin"
    workbook.save(path)
    with zipfile.ZipFile(path) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b'name="Twin"', f'name="{twin}"'.encode()
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)


def temp_files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


# --- error values ---------------------------------------------------------------------


@pytest.mark.parametrize("code", ERROR_VALUES, ids=ERROR_VALUES)
def test_an_error_pasted_as_a_value_is_a_problem_naming_the_cell(
    sheet: SheetBuilder, tmp_path: Path, code: str
) -> None:
    path = community(sheet, tmp_path / "book.xlsx")
    edit(path, "Activity", D3=code)

    assert problems_of(XlsxBackend(path).read()) == [error_problem("Activity!D3", code)]


@pytest.mark.parametrize("code", ["#SPILL!", "#CALC!"], ids=["spill", "calc"])
def test_an_error_newer_than_calamine_knows_is_a_problem_not_a_damaged_file(
    sheet: SheetBuilder, tmp_path: Path, code: str
) -> None:
    path = community(sheet, tmp_path / "book.xlsx")
    edit(path, "Activity", E2=code)

    assert problems_of(XlsxBackend(path).read()) == [error_problem("Activity!E2", code)]


def test_an_error_is_refused_on_every_tab_the_tool_reads(
    sheet: SheetBuilder, tmp_path: Path
) -> None:
    path = community(sheet, tmp_path / "book.xlsx")
    edit(path, "Members", E2="#N/A")
    edit(path, "Groups", B2="#REF!")

    assert problems_of(XlsxBackend(path).read()) == [
        error_problem("Groups!B2", "#REF!"),
        error_problem("Members!E2", "#N/A"),
    ]


def test_check_fails_on_an_error_cell_with_exit_code_1(sheet: SheetBuilder, tmp_path: Path) -> None:
    path = community(sheet, tmp_path / "book.xlsx")
    edit(path, "Activity", D2="#REF!")

    result = CliRunner().invoke(main, ["check", str(path)])

    assert result.exit_code == 1, result.output
    assert "  " + error_problem("Activity!D2", "#REF!") in result.output.splitlines()


def test_text_spelling_an_error_is_refused_in_value_columns_only(
    sheet: SheetBuilder, tmp_path: Path
) -> None:
    sheet.active_member("General", notes="#REF!")
    member_id = sheet.member("General")
    sheet.post(member_id, messages="#N/A")
    path = tmp_path / "book.xlsx"
    save(sheet, path)

    assert problems_of(XlsxBackend(path).read()) == [error_problem("Activity!D3", "#N/A")]


def test_the_google_backend_reads_an_error_cell_as_a_problem(
    fake: SheetsFake, sheet: SheetBuilder
) -> None:
    for _ in range(2):
        sheet.active_member("General")
    load_workbook(fake, sheet.workbook())
    tab = fake.books[SHEET_ID].tab("Activity")
    tab.rows[2] = [*tab.rows[2][:3], ErrorCell("#DIV/0!"), *tab.rows[2][4:]]

    assert problems_of(open_sheet(fake).read()) == [error_problem("Activity!D3", "#DIV/0!")]


# --- a stray cell far away --------------------------------------------------------------

READ_IN_CHILD = """
import resource, sys, time
from grouptier.backends.xlsx import XlsxBackend
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
workbook = XlsxBackend(sys.argv[1]).read()
seconds = time.perf_counter() - start
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
width = max(len(row) for tab in workbook.tabs.values() for row in tab.rows)
print(grown // 1024, width, round(seconds, 2))
"""


def read_in_child(path: Path) -> tuple[int, int, float]:
    """(MB the read grew the process by, widest row, seconds) of reading `path` in a child."""
    done = subprocess.run(
        [sys.executable, "-c", READ_IN_CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    grown, width, seconds = done.stdout.split()
    return int(grown), int(width), float(seconds)


@pytest.mark.parametrize("stray", ["XFD1048576", "XFD5", "XFD1", "J1048576"])
def test_a_stray_value_far_away_is_read_in_bounded_memory(
    sheet: SheetBuilder, tmp_path: Path, stray: str
) -> None:
    path = community(sheet, tmp_path / "book.xlsx")
    workbook = openpyxl.load_workbook(path)
    for day in range(2000):
        workbook["Activity"].append(["2026-10-01", "+447000000001", day % 7])
    workbook["Activity"][stray] = "stray"
    workbook.save(path)

    grown, width, seconds = read_in_child(path)

    assert grown < 150, f"{grown} MB"
    assert width <= 26, width
    assert seconds < 10
    activity = XlsxBackend(path).read().tabs["Activity"]
    assert len(activity.rows) == 2003 and activity.rows[-1][:4] == [
        "2026-10-01",
        "+447000000001",
        1999 % 7,
        None,
    ]


def test_a_tab_reaching_far_still_reads_its_contract_columns_and_errors(
    sheet: SheetBuilder, tmp_path: Path
) -> None:
    path = community(sheet, tmp_path / "book.xlsx")
    edit(path, "Activity", AB1="notes", AB2="far", XFD3="#REF!", D3="#N/A")

    assert problems_of(XlsxBackend(path).read()) == [error_problem("Activity!D3", "#N/A")]


def test_a_tab_reaching_far_keeps_its_contract_columns_side_by_side(tmp_path: Path) -> None:
    body = (
        '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>name</x:t></x:is></x:c>'
        '<x:c r="C1" t="inlineStr"><x:is><x:t>level</x:t></x:is></x:c>'
        '<x:c r="XFD1" t="inlineStr"><x:is><x:t>Name</x:t></x:is></x:c></x:row>'
        '<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>Core</x:t></x:is></x:c>'
        '<x:c r="B2" t="e"><x:v>#REF!</x:v></x:c><x:c s="1" r="C2" t="e"><x:v>#N/A</x:v></x:c>'
        '<x:c r="AA2"/><x:c r="XFD2" t="e"><x:v>#REF!</x:v></x:c></x:row>'
        '<x:row r="3"><x:c r="AA3"><x:v>1</x:v></x:c></x:row>'
    )
    path = hand_made_xlsx(tmp_path / "far.xlsx", {"Groups": body}, prefix="x")

    tab = XlsxBackend(path).read().tabs["Groups"]
    problems: list[Problem] = []
    table = read_table(RawWorkbook({"Groups": tab}), GROUPS, problems)

    assert tab.columns == (0, 2, 16383)
    assert tab.rows == [
        ["name", "level", "Name"],
        ["Core", CellErrorValue("#N/A"), CellErrorValue("#REF!")],
    ]
    assert [str(problem) for problem in problems] == [
        'Groups!XFD1: the column "name" appears twice (also in A1)'
    ]
    assert table is not None and table.letters == {"name": "A", "level": "C"}


# --- links to the workbook ---------------------------------------------------------------


def test_a_symlinked_workbook_is_written_through_and_its_target_locked(
    sheet: SheetBuilder, tmp_path: Path
) -> None:
    target = community(sheet, tmp_path / "real.xlsx")
    link = tmp_path / "link.xlsx"
    link.symlink_to(target)
    backend = XlsxBackend(link)

    with backend.lock():
        assert (tmp_path / "real.xlsx.lock").exists()
        backend.write(ChangeSet(appends={"Runs": [{"run_id": "r1", "status": "done"}]}))

    assert link.is_symlink()
    runs = XlsxBackend(target).read().tabs["Runs"].rows
    assert runs[-1][:1] == ["r1"]
    assert temp_files(tmp_path) == []


def test_a_hard_linked_workbook_is_refused_for_writing_and_left_alone(
    sheet: SheetBuilder, tmp_path: Path
) -> None:
    path = community(sheet, tmp_path / "book.xlsx")
    other = tmp_path / "other-name.xlsx"
    os.link(path, other)
    before = path.read_bytes()

    with pytest.raises(WorkbookError, match="hard link") as caught:
        XlsxBackend(path).write(ChangeSet(appends={"Runs": [{"run_id": "r1"}]}))

    assert "It is unchanged" in str(caught.value)
    assert path.read_bytes() == before and other.read_bytes() == before
    assert path.stat().st_ino == other.stat().st_ino


# --- two tabs of one name ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"), [("Members", "Members "), ("Groups", "groups")], ids=["space", "case"]
)
def test_two_tabs_matching_one_contract_tab_are_a_problem(
    sheet: SheetBuilder, tmp_path: Path, first: str, second: str
) -> None:
    path = community(sheet, tmp_path / "book.xlsx")
    with_tab_named(path, first, second)

    assert problems_of(XlsxBackend(path).read()) == [
        f'{first}: the tabs "{first}" and "{second}" are both the "{first.strip()}" tab '
        "(names are matched ignoring case and spaces); rename or delete all but one"
    ]


def test_the_google_backend_reports_two_tabs_of_one_name(
    fake: SheetsFake, sheet: SheetBuilder
) -> None:
    sheet.active_member("General")
    raw = sheet.workbook()
    raw.tabs["members"] = RawTab("members", raw.tabs["Members"].rows)
    load_workbook(fake, raw)

    assert problems_of(open_sheet(fake).read()) == [
        'Members: the tabs "Members" and "members" are both the "Members" tab '
        "(names are matched ignoring case and spaces); rename or delete all but one"
    ]


# --- temporary files ----------------------------------------------------------------------

KILLED_DURING_SAVE = """
import sys, time
from grouptier.backends.base import ChangeSet
from grouptier.backends.xlsx import XlsxBackend
from grouptier.backends.xlsx_package import Package

def slow_save(self, handle):
    handle.write(b"PK" + b"0" * 100_000)
    handle.flush()
    print("saving", flush=True)
    time.sleep(30)

Package.save = slow_save
XlsxBackend(sys.argv[1]).write(ChangeSet(appends={"Runs": [{"run_id": "r1"}]}))
"""


def test_sigterm_during_a_save_removes_the_temporary_file(
    sheet: SheetBuilder, tmp_path: Path
) -> None:
    path = community(sheet, tmp_path / "book.xlsx")
    before = path.read_bytes()
    with subprocess.Popen(
        [sys.executable, "-c", KILLED_DURING_SAVE, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ) as child:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "saving"
        assert len(temp_files(tmp_path)) == 1
        child.send_signal(signal.SIGTERM)
        child.communicate(timeout=20)

    assert child.returncode == -signal.SIGTERM
    assert temp_files(tmp_path) == []
    assert path.read_bytes() == before


def test_leftovers_of_killed_saves_are_removed_by_the_next_run(
    sheet: SheetBuilder, tmp_path: Path
) -> None:
    path = community(sheet, tmp_path / "book.xlsx")
    old = time.time() - 2 * xlsx_files.LEFTOVER_AGE
    gone_writer = tmp_path / ".book.xlsx.999999999.0badf00d.tmp"
    older_version = tmp_path / ".book.xlsx.deadbeef.tmp"
    live_writer = tmp_path / f".book.xlsx.{os.getpid()}.00c0ffee.tmp"
    fresh = tmp_path / ".book.xlsx.999999998.0000abcd.tmp"
    other_file = tmp_path / ".other.xlsx.999999999.0badf00d.tmp"
    for leftover in (gone_writer, older_version, live_writer, fresh, other_file):
        leftover.write_bytes(b"PK" + b"0" * 1000)
        if leftover is not fresh:
            os.utime(leftover, (old, old))

    with XlsxBackend(path).lock():
        pass

    assert temp_files(tmp_path) == sorted(p.name for p in (live_writer, fresh, other_file))


def test_a_failed_save_leaves_no_temporary_file(
    sheet: SheetBuilder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = community(sheet, tmp_path / "book.xlsx")

    def broken(*args: object, **kwargs: object) -> None:
        raise zipfile.BadZipFile("disk trouble")

    monkeypatch.setattr(Package, "save", broken)
    with pytest.raises(WorkbookError, match="damaged"):
        XlsxBackend(path).write(ChangeSet(appends={"Runs": [{"run_id": "r1"}]}))

    assert temp_files(tmp_path) == []
