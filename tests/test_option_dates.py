"""`--date` and `--anchor`: YYYY-MM-DD always, other shapes in the workbook's date order."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from bad_inputs import valid_sheet
from click.testing import CliRunner
from test_bad_input import write_xlsx

from grouptier.backends.xlsx import XlsxBackend
from grouptier.cells import CellError, parse_date
from grouptier.cli import main
from grouptier.option_dates import option_date
from grouptier.settings import date_order_of
from grouptier.sheet import SETTINGS, read_table


def never_asked() -> str:
    raise AssertionError("the workbook was read for a date that reads one way only")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-10-16", date(2026, 10, 16)),
        ("16/10/2026", date(2026, 10, 16)),
        ("10/16/2026", date(2026, 10, 16)),
        ("16.10.2026", date(2026, 10, 16)),
    ],
    ids=["iso", "day-first", "month-first", "dots"],
)
def test_a_date_that_reads_one_way_needs_no_workbook(text: str, day: date) -> None:
    assert option_date(text) == day
    assert option_date(text, never_asked) == day


def test_an_ambiguous_date_without_a_workbook_asks_for_iso() -> None:
    with pytest.raises(CellError) as caught:
        option_date("01/12/2026")
    assert str(caught.value) == (
        '"01/12/2026" could be 2026-12-01 or 2026-01-12: write it as YYYY-MM-DD, e.g. 2026-11-05'
    )


@pytest.mark.parametrize(
    ("order", "day"),
    [("day-first", date(2026, 12, 1)), ("month-first", date(2026, 1, 12))],
    ids=["day-first", "month-first"],
)
def test_an_ambiguous_date_is_read_in_the_workbooks_order(order: str, day: date) -> None:
    assert option_date("01/12/2026", lambda: order) == day


def workbook(tmp_path: Path, **settings: str) -> Path:
    sheet = valid_sheet()
    sheet.settings.update(settings)
    return write_xlsx(sheet.workbook(), tmp_path / "community.xlsx")


@pytest.mark.parametrize(
    ("settings", "written"),
    [
        ({"date_format": "month-first"}, "10/12/2026"),
        ({}, "12/10/2026"),  # English: day first
        ({"language": "de"}, "12.10.2026"),
        ({"date_format": "year-first"}, "2026-10-12"),
    ],
    ids=["month-first", "language-day-first", "german", "year-first"],
)
def test_check_reads_date_in_the_workbooks_order(
    tmp_path: Path, settings: dict[str, str], written: str
) -> None:
    path = workbook(tmp_path, **settings)
    runner = CliRunner()

    iso = runner.invoke(main, ["check", str(path), "--date", "2026-10-12"])
    typed = runner.invoke(main, ["check", str(path), "--date", written])
    first = runner.invoke(main, ["check", "--date", written, str(path)])

    assert iso.exit_code == 0, iso.output
    assert "Next: cycle 2 (2026-09-16 to 2026-09-30)" in iso.output
    assert typed.output == iso.output
    assert first.output == iso.output


def test_an_ambiguous_date_in_a_year_first_workbook_is_a_bad_option(tmp_path: Path) -> None:
    path = workbook(tmp_path, date_format="year-first")

    result = CliRunner().invoke(main, ["run", str(path), "--date", "01/10/2026"])

    assert result.exit_code == 2
    assert (
        "Invalid value for '--date': \"01/10/2026\" could be 2026-10-01 or 2026-01-10: "
        "write it year first, like 2026-11-22"
    ) in " ".join(result.output.split())


def test_init_refuses_an_ambiguous_anchor_and_takes_an_unambiguous_one(tmp_path: Path) -> None:
    path = tmp_path / "new.xlsx"
    runner = CliRunner()

    refused = runner.invoke(main, ["init", str(path), "--anchor", "01/12/2026"])
    taken = runner.invoke(main, ["init", str(path), "--anchor", "22/12/2026"])

    assert refused.exit_code == 2
    assert "write it as YYYY-MM-DD" in refused.output
    assert taken.exit_code == 0, taken.output
    table = read_table(XlsxBackend(str(path)).read(), SETTINGS, [])
    assert table is not None and date_order_of(table) == "day-first"
    anchor = {record["setting"]: record["value"] for _, record in table}["cycle_anchor"]
    assert parse_date(anchor) == date(2026, 12, 22)
