"""The bad-input corpus: every broken workbook is reported at its exact cell, and nothing changes.

Each entry of `bad_inputs.CORPUS` is checked three ways: in memory through
`load_community`; as a real .xlsx file through `grouptier check`, which must
leave the file byte-for-byte as it was; and through `grouptier run`, after
which the workbook reads back the same in every tab but `Runs`, which has
gained exactly one row with status `invalid` naming the cell.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
from bad_inputs import CORPUS, RUN_DATE, BadInput, CachedFormula, as_read, valid_sheet
from click.testing import CliRunner

from grouptier.backends.xlsx import XlsxBackend
from grouptier.cells import FormulaWithoutValue
from grouptier.cli import main
from grouptier.community import load_community
from grouptier.errors import InvalidSheetError
from grouptier.sheet import RawWorkbook

IDS = [entry.name for entry in CORPUS]

# Entries that show a bug outside the validation itself; strict, so a fix makes them fail
# until the mark is removed.
MARKUP_BUG = (
    "grouptier/display.py show_problems prints a manager's text as rich markup: "
    '"[red]General[/]" is shown as "General", and "[/]" alone crashes with MarkupError'
)
KNOWN_BUGS: dict[tuple[str, str], str] = {}


def corpus_for(command: str) -> list[object]:
    """The corpus as parameters, with a strict xfail on entries that hit a known bug."""
    return [
        pytest.param(
            entry,
            marks=pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[command, entry.name])
            if (command, entry.name) in KNOWN_BUGS
            else (),
        )
        for entry in CORPUS
    ]


def test_the_corpus_is_large_and_its_names_are_unique() -> None:
    assert len(CORPUS) >= 30
    assert len(set(IDS)) == len(IDS)


def test_the_base_of_every_entry_is_valid() -> None:
    community = load_community(valid_sheet().workbook())
    assert len(community.members) == 4
    assert len(community.activity) == 4


@pytest.mark.parametrize("entry", CORPUS, ids=IDS)
def test_every_problem_is_reported_at_its_cell(entry: BadInput) -> None:
    with pytest.raises(InvalidSheetError) as caught:
        load_community(as_read(entry.build()))
    problems = {problem.where: problem.message for problem in caught.value.problems}
    assert set(problems) == {where for where, _ in entry.expected}
    for where, fragment in entry.expected:
        assert fragment in problems[where]
        assert f"{where}: " in str(caught.value)


# --- the same corpus as .xlsx files --------------------------------------------------


def write_xlsx(workbook: RawWorkbook, path: Path) -> Path:
    """Save `workbook` as an .xlsx the way a spreadsheet program would have saved it.

    Text stays text (never a formula), dates are date cells, a `FormulaWithoutValue`
    is a formula saved without its result, and a `CachedFormula` is a formula saved
    with its result (openpyxl cannot write results, so they are patched into the XML).
    """
    book = openpyxl.Workbook()
    book.remove(book.active)
    cached: dict[str, dict[str, CachedFormula]] = {}
    for name, tab in workbook.tabs.items():
        sheet = book.create_sheet(name)
        for row_number, row in enumerate(tab.rows, start=1):
            for column, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = sheet.cell(row_number, column)
                if isinstance(value, FormulaWithoutValue | CachedFormula):
                    cell.value = value.formula
                    if isinstance(value, CachedFormula):
                        cached.setdefault(name, {})[cell.coordinate] = value
                else:
                    cell.value = value
                    if isinstance(value, str):
                        cell.data_type = "s"
                    elif isinstance(value, datetime | date):
                        cell.number_format = "yyyy-mm-dd"
    book.save(path)
    if cached:
        _patch_cached_values(path, [ws.title for ws in book.worksheets], cached)
    return path


def _patch_cached_values(
    path: Path, titles: list[str], cached: dict[str, dict[str, CachedFormula]]
) -> None:
    # openpyxl names worksheet parts sheet1.xml, sheet2.xml, ... in tab order.
    parts = {
        f"xl/worksheets/sheet{titles.index(name) + 1}.xml": cells for name, cells in cached.items()
    }
    with zipfile.ZipFile(path) as source:
        contents = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in contents:
            target.writestr(info, _with_values(data, parts.get(info.filename, {})))


def _with_values(xml: bytes, cells: dict[str, CachedFormula]) -> bytes:
    """`<c r="D2"><f>1-4</f><v /></c>` becomes `<c r="D2" t="n"><f>1-4</f><v>-3</v></c>`."""
    for reference, formula in cells.items():
        kind = "e" if formula.error else "str" if isinstance(formula.value, str) else "n"
        value = escape(str(formula.value))
        xml, count = re.subn(
            rf'<c r="{reference}"([^>]*?)(?: t="[^"]*")?><f>(.*?)</f><v\s*/>'.encode(),
            rf'<c r="{reference}"\1 t="{kind}"><f>\2</f><v>{value}</v>'.encode(),
            xml,
        )
        assert count == 1, f"no formula cell {reference} to give a value"
    return xml


@pytest.fixture
def runner() -> CliRunner:
    """A CLI runner wide enough that rich does not wrap a problem's line."""
    return CliRunner(env={"COLUMNS": "1000"})


def tab_rows(path: Path) -> dict[str, list[list[object]]]:
    return {name: tab.rows for name, tab in XlsxBackend(path).read().tabs.items()}


@pytest.mark.parametrize("entry", corpus_for("check"), ids=IDS)
def test_check_names_the_cell_and_leaves_the_file_unchanged(
    entry: BadInput, tmp_path: Path, runner: CliRunner
) -> None:
    path = write_xlsx(entry.build(), tmp_path / "community.xlsx")
    before = path.read_bytes()

    result = runner.invoke(main, ["check", str(path), "--date", RUN_DATE])

    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    for where, fragment in entry.expected:
        assert f"  {where}: " in result.output
        assert fragment in result.output
    assert path.read_bytes() == before
    assert sorted(tmp_path.iterdir()) == [path]


@pytest.mark.parametrize("entry", corpus_for("run"), ids=IDS)
def test_run_writes_one_failure_row_and_nothing_else(
    entry: BadInput, tmp_path: Path, runner: CliRunner
) -> None:
    path = write_xlsx(entry.build(), tmp_path / "community.xlsx")
    before = tab_rows(path)

    result = runner.invoke(main, ["run", str(path), "--date", RUN_DATE])

    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    after = tab_rows(path)
    logs = ("Runs", "Status")
    assert {name: rows for name, rows in after.items() if name not in logs} == {
        name: rows for name, rows in before.items() if name not in logs
    }
    runs = after["Runs"]
    assert runs[: len(before["Runs"])] == before["Runs"]
    assert len(runs) == len(before["Runs"]) + 1
    record = dict(zip(runs[0], runs[-1], strict=False))
    assert record["status"] == "invalid"
    for where, fragment in entry.expected:
        assert f"{where}: {fragment}" in str(record["error"])
    [header, status] = after["Status"]
    assert dict(zip(header, status, strict=False))["status"] == "invalid"
    assert f"see Runs row {len(runs)}" in str(status[3])
    assert sorted(tmp_path.iterdir()) == [path]


# --- the valid base and formulas with computed values, as files ------------------------


def test_the_valid_base_passes_check_and_run(tmp_path: Path, runner: CliRunner) -> None:
    path = write_xlsx(valid_sheet().workbook(), tmp_path / "community.xlsx")
    before = path.read_bytes()

    checked = runner.invoke(main, ["check", str(path), "--date", RUN_DATE])
    assert checked.exit_code == 0, checked.output
    assert "Valid" in checked.output
    assert path.read_bytes() == before

    ran = runner.invoke(main, ["run", str(path), "--date", RUN_DATE])
    assert ran.exit_code == 0, ran.output
    runs = tab_rows(path)["Runs"]
    assert [dict(zip(runs[0], row, strict=False))["status"] for row in runs[1:]] == ["done"]


def formula_sheet() -> RawWorkbook:
    """The valid base with two counts typed as formulas that were calculated and saved."""
    sheet = valid_sheet()
    sheet.activity[0]["messages"] = CachedFormula("=2+3", 5)
    sheet.members[1]["group"] = CachedFormula('="Gen"&"eral"', "General")
    return sheet.workbook()


def test_a_formula_with_a_computed_value_is_read_as_that_value(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = write_xlsx(formula_sheet(), tmp_path / "community.xlsx")

    community = load_community(XlsxBackend(path).read())

    assert community.activity.loc[0, "messages"] == 5
    assert community.members.loc[1, "group"] == "General"
    checked = runner.invoke(main, ["check", str(path), "--date", RUN_DATE])
    assert checked.exit_code == 0, checked.output


def test_the_file_writer_saves_formulas_as_a_spreadsheet_would(tmp_path: Path) -> None:
    sheet = valid_sheet()
    sheet.activity[0]["messages"] = CachedFormula("=2+3", 5)
    sheet.activity[1]["messages"] = FormulaWithoutValue("=SUM(1,2)")
    sheet.activity[2]["source"] = "=not a formula"
    path = write_xlsx(sheet.workbook(), tmp_path / "community.xlsx")

    rows = tab_rows(path)["Activity"]

    assert [row[3] for row in rows[1:4]] == [5, FormulaWithoutValue("=SUM(1,2)"), 3]
    assert rows[3][7] == "=not a formula"


def test_a_run_keeps_the_computed_values_of_formulas(tmp_path: Path, runner: CliRunner) -> None:
    path = write_xlsx(formula_sheet(), tmp_path / "community.xlsx")

    ran = runner.invoke(main, ["run", str(path), "--date", RUN_DATE])
    assert ran.exit_code == 0, ran.output

    checked = runner.invoke(main, ["check", str(path), "--date", RUN_DATE])
    assert checked.exit_code == 0, checked.output
