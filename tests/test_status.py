"""The Status tab: the first tab of the sheet, one row saying how the latest run went.

Every scenario runs on both backends, starting from a workbook or sheet that
does not have the tab yet (as one made before it existed), and looks at the
first tab afterwards: in the .xlsx file as openpyxl sees it, in the Sheets
API fake in the order its metadata lists the tabs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import ANCHOR, TODAY, SheetBuilder
from sheets_fake import SheetsFake
from sheets_support import SHEET_ID, load_workbook, open_sheet
from test_cycle import save

from grouptier.backends.base import Backend
from grouptier.backends.xlsx import XlsxBackend
from grouptier.cycle import RunOptions, run
from grouptier.errors import GrouptierError, InvalidSheetError, Problem, TemplateError
from grouptier.sheet import ALL_TABS, FIRST_TABS, STATUS, position_of
from grouptier.status import invalid_status

FIXED = datetime(2026, 10, 16, 6, 0, tzinfo=UTC)
BACKENDS = ("xlsx", "sheets")


class Community:
    """One community on one backend, made without a Status tab."""

    def __init__(self, kind: str, sheet: SheetBuilder, tmp_path: Path, fake: SheetsFake) -> None:
        self.kind, self.fake = kind, fake
        self.path = tmp_path / "c.xlsx"
        if kind == "xlsx":
            save(sheet, self.path)
            workbook = openpyxl.load_workbook(self.path)
            workbook.remove(workbook[STATUS.name])
            workbook.save(self.path)
        else:
            load_workbook(self.fake, sheet.workbook())
            book = self.fake.books[SHEET_ID]
            book.tabs = [tab for tab in book.tabs if tab.title != STATUS.name]
            for index, tab in enumerate(book.tabs):
                tab.index = index

    def backend(self) -> Backend:
        return XlsxBackend(self.path) if self.kind == "xlsx" else open_sheet(self.fake)

    def titles(self) -> list[str]:
        """The tabs in the order a manager sees them."""
        if self.kind == "xlsx":
            return list(openpyxl.load_workbook(self.path).sheetnames)
        tabs = self.fake.books[SHEET_ID].tabs
        assert [tab.index for tab in tabs] == list(range(len(tabs)))
        return [tab.title for tab in tabs]

    def status(self) -> dict[str, Any]:
        """The Status tab's one data row, by header."""
        tab = self.backend().read().find(STATUS.name)
        assert tab is not None
        header, *rows = tab.rows
        assert header == STATUS.headers
        assert len(rows) == 1, rows
        return dict(zip(header, rows[0], strict=False))

    def run(self, **options: Any) -> str:
        try:
            return run(self.backend(), RunOptions(**options), clock=lambda: FIXED).status
        except GrouptierError as error:
            return type(error).__name__


@pytest.fixture(params=BACKENDS)
def community(
    request: pytest.FixtureRequest, tmp_path: Path, fake: SheetsFake
) -> Callable[[SheetBuilder], Community]:
    return lambda sheet: Community(request.param, sheet, tmp_path, fake)


def _ladder(sheet: SheetBuilder) -> SheetBuilder:
    sheet.active_member("Core", score_days=3)
    sheet.member("Core")
    top = sheet.member("General")
    sheet.post(top, messages=30, content=6, invites=5)
    sheet.active_member("General", score_days=2)
    for _ in range(3):
        sheet.member("General")
    sheet.active_member("Retention", score_days=1)
    return sheet


def test_the_status_tab_leads_the_contract() -> None:
    assert ALL_TABS[0] is STATUS and FIRST_TABS == (STATUS,)
    assert STATUS.tool_owned
    assert STATUS.headers == ["updated_at", "status", "cycle", "summary", "what_to_do"]
    assert position_of("status") == 0 and position_of("Runs") is None


def test_a_done_cycle_puts_status_first_with_the_moves_to_make(
    community: Callable[[SheetBuilder], Community], sheet: SheetBuilder
) -> None:
    target = community(_ladder(sheet))
    assert STATUS.name not in target.titles()

    assert target.run(today=TODAY) == "done"

    assert target.titles()[0] == STATUS.name
    row = target.status()
    assert row["status"] == "done" and row["cycle"] == 3
    assert row["updated_at"] == "2026-10-16 06:00:00"
    assert str(row["summary"]).startswith("cycle 3: ") and "promote" in str(row["summary"])
    assert str(row["what_to_do"]).startswith("Carry out the ")
    assert "in the Moves tab and tick done" in str(row["what_to_do"])


def test_an_invalid_sheet_puts_status_first_with_the_cells_to_fix(
    community: Callable[[SheetBuilder], Community], sheet: SheetBuilder
) -> None:
    _ladder(sheet)
    sheet.member("Genral")
    sheet.post(sheet.members[0]["member_id"], messages=-3)
    target = community(sheet)
    runs_before = len(target.backend().read().find("Runs").rows)  # type: ignore[union-attr]

    assert target.run(today=TODAY) == "InvalidSheetError"

    assert target.titles()[0] == STATUS.name
    row = target.status()
    assert row["status"] == "invalid" and row["cycle"] is None
    assert row["summary"] == (
        f"The sheet has 2 problems; see Runs row {runs_before + 1}. Nothing else was written."
    )
    assert row["what_to_do"] == (
        "Fix the cells listed in Runs (Activity!D9, Members!C10), then run again."
    )
    assert "Genral" not in str(row)  # cell references only, never what is in them


def test_a_run_with_nothing_due_leaves_status_alone(
    community: Callable[[SheetBuilder], Community], sheet: SheetBuilder
) -> None:
    target = community(_ladder(sheet))
    assert target.run(today=TODAY) == "done"
    before = target.status()

    assert target.run(today=TODAY) == "nothing_due"
    assert target.run(today=ANCHOR + timedelta(days=3)) == "nothing_due"

    assert target.status() == before


def test_nothing_due_on_a_sheet_without_status_does_not_create_it(
    community: Callable[[SheetBuilder], Community], sheet: SheetBuilder
) -> None:
    target = community(_ladder(sheet))
    titles = target.titles()

    assert target.run(today=ANCHOR + timedelta(days=3)) == "nothing_due"

    assert target.titles() == titles


def test_new_messages_between_cycles_say_so(
    community: Callable[[SheetBuilder], Community], sheet: SheetBuilder
) -> None:
    _ladder(sheet).member("General", joined_on=TODAY - timedelta(days=1), name="New Joiner")
    sheet.runs.append(
        {"run_id": "old", "cycle": 3, "status": "done", "finished_at": "2026-10-16 06:00:00"}
    )
    target = community(sheet)

    assert target.run(today=TODAY + timedelta(days=1)) == "nothing_due"

    assert target.titles()[0] == STATUS.name
    row = target.status()
    assert row["status"] == "messages" and row["cycle"] is None
    assert str(row["summary"]).startswith("1 new message in the Messages tab.")
    assert row["what_to_do"] == "Post the new messages in the Messages tab and tick posted."


def test_a_status_tab_elsewhere_is_rewritten_where_it_is(
    sheet: SheetBuilder, fake: SheetsFake
) -> None:
    load_workbook(fake, _ladder(sheet).workbook())  # every tool tab at the end, Status too
    titles = [tab.title for tab in fake.books[SHEET_ID].tabs]

    run(open_sheet(fake), RunOptions(today=TODAY), clock=lambda: FIXED)

    assert [tab.title for tab in fake.books[SHEET_ID].tabs] == titles
    assert fake.values(SHEET_ID, STATUS.name)[1][1] == "done"


def test_an_invalid_run_on_a_sheet_writes_runs_and_status_in_one_request(
    sheet: SheetBuilder, fake: SheetsFake
) -> None:
    sheet.member("Genral")
    load_workbook(fake, _ladder(sheet).workbook())
    start = len(fake.log)

    with pytest.raises(GrouptierError):
        run(open_sheet(fake), RunOptions(today=TODAY), clock=lambda: FIXED)

    kinds = [e.kind for e in fake.log[start:] if e.kind != "token"]
    assert kinds == ["metadata", "values:batchGet", "batchUpdate"]
    assert fake.values(SHEET_ID, STATUS.name)[1][1] == "invalid"
    assert fake.values(SHEET_ID, "Runs")[-1][5] == "invalid"


def test_the_cells_to_fix_are_the_first_few_in_sheet_order() -> None:
    problems = [Problem("Members", f"C{row}", "an unknown group") for row in range(2, 10)]
    problems.append(Problem("Members", "C2", "also this"))  # one cell, listed once
    row = invalid_status(InvalidSheetError(problems), "2026-10-16 06:00:00", 7)
    assert row["summary"] == "The sheet has 9 problems; see Runs row 7. Nothing else was written."
    assert row["what_to_do"] == (
        "Fix the cells listed in Runs "
        "(Members!C2, Members!C3, Members!C4, Members!C5, Members!C6 and 3 more), then run again."
    )


def test_a_broken_bundled_template_points_at_whoever_runs_grouptier() -> None:
    row = invalid_status(TemplateError("welcome.md.j2", 3, "unexpected end"), "t", 4)
    assert row["status"] == "invalid" and "see Runs row 4" in str(row["summary"])
    assert str(row["what_to_do"]).startswith("Ask whoever runs grouptier")


def test_missing_data_leads_what_to_do_and_the_staff_digest(
    community: Callable[[SheetBuilder], Community], sheet: SheetBuilder
) -> None:
    _ladder(sheet)
    sheet.member("General", name="Bruno Lima", paused_until=date(2027, 1, 10))
    sheet.imports.append(
        {"group": "General", "first_day": date(2026, 9, 20), "last_day": date(2026, 10, 5)}
    )
    target = community(sheet)

    assert target.run(today=TODAY) == "done"

    gap = (
        "General: no activity after 2026-10-05; import an export covering 2026-10-06 to "
        "2026-10-15 — nobody in General was moved down this cycle"
    )
    assert str(target.status()["what_to_do"]).startswith(f"{gap}; Carry out the ")
    messages = target.backend().read().find("Messages")
    assert messages is not None
    header = messages.rows[0]
    texts = [row[header.index("text")] for row in messages.rows[1:]]
    (digest,) = [text for text in texts if "Staff digest" in str(text)]
    assert f"⚠️ *Data missing* — {gap}" in str(digest)
    assert "• Bruno Lima (General): paused until 10/01/2027" in str(digest)  # en: day-first


def test_every_warning_the_status_row_counts_can_be_read_in_runs(
    sheet: SheetBuilder, tmp_path: Path
) -> None:
    """Warnings of the sheet (two members of one name) and of the cycle, on the cycle's row."""
    sheet.active_member("Core", score_days=2)
    sheet.member("General", name="Ana Lima")
    sheet.member("General", name="Ana Lima")
    sheet.active_member("General", score_days=1, staff_role="assistant")
    backend = save(sheet, tmp_path / "c.xlsx")
    report = run(backend, RunOptions(today=TODAY), clock=lambda: FIXED)
    assert len(report.warnings) >= 2
    raw = backend.read()
    status = raw.find("Status")
    runs = raw.find("Runs")
    assert status is not None and runs is not None
    summary = str(status.rows[1][3])
    assert f"{len(report.warnings)} warning" in summary
    written = " | ".join(str(row[6]) for row in runs.rows[1:])
    for warning in report.warnings:
        assert warning.split(": ", 1)[-1] in written, warning
