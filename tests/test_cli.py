"""The `grouptier` command through click's runner: output, exit codes, help, README."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY, SheetBuilder
from test_cycle import save, set_setting

import grouptier
from grouptier.cli import main

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("COLUMNS", "250")  # rich wraps tables to this width
    return CliRunner()


@pytest.fixture
def community_file(sheet: SheetBuilder, tmp_path: Path) -> Path:
    sheet.active_member("Core")
    for days in (5, 4, 3, 2):
        sheet.active_member("General", score_days=days)
    sheet.member("General")
    path = tmp_path / "community.xlsx"
    save(sheet, path)
    return path


def test_every_command_has_help_with_an_example(runner: CliRunner) -> None:
    for name in main.commands:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.output, name


def test_every_command_is_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    for name in main.commands:
        assert re.search(rf"`grouptier {name}\b", readme), name


def test_public_names_are_exported() -> None:
    for name in grouptier.__all__:
        assert hasattr(grouptier, name), name
    assert sorted(grouptier.__all__) == grouptier.__all__


def test_run_prints_the_moves_and_writes_them(runner: CliRunner, community_file: Path) -> None:
    result = runner.invoke(main, ["run", str(community_file), "--date", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert "1st in General with 15 points" in result.output
    assert "Done" in result.output and "1 demote, 3 promote" in result.output
    again = runner.invoke(main, ["run", str(community_file), "--date", TODAY.isoformat()])
    assert again.exit_code == 0 and "Nothing to do: cycle 3" in again.output


def test_dry_run_says_so_and_leaves_the_file(runner: CliRunner, community_file: Path) -> None:
    before = community_file.read_bytes()
    result = runner.invoke(
        main, ["run", str(community_file), "--date", TODAY.isoformat(), "--dry-run"]
    )
    assert result.exit_code == 0 and "Dry run" in result.output
    assert community_file.read_bytes() == before


def test_check_lists_every_problem_with_its_cell(
    runner: CliRunner, sheet: SheetBuilder, tmp_path: Path
) -> None:
    sheet.member("Genral")
    member_id = sheet.member("General")
    sheet.post(member_id, messages=-3)
    path = tmp_path / "bad.xlsx"
    save(sheet, path)
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "The sheet has 2 problems; nothing was changed."
    assert '  Members!C2: group "Genral" is not in Groups (did you mean "General"?)' in lines
    assert "  Activity!D2: -3 cannot be negative" in lines


def test_check_reports_a_valid_sheet(runner: CliRunner, community_file: Path) -> None:
    result = runner.invoke(main, ["check", str(community_file), "--date", TODAY.isoformat()])
    assert result.exit_code == 0
    assert "Valid" in result.output and "6 members, 3 groups, 15 activity rows" in result.output


def test_check_says_which_cycle_was_done_last_and_when_the_next_is_processed(
    runner: CliRunner, community_file: Path
) -> None:
    date = ["--date", TODAY.isoformat()]
    before = runner.invoke(main, ["check", str(community_file), *date])
    assert before.output.splitlines()[-1] == (
        "No cycle done yet. "
        "Next: cycle 3 (2026-10-01 to 2026-10-15), due now: the next run does it."
    )
    assert runner.invoke(main, ["run", str(community_file), *date]).exit_code == 0
    after = runner.invoke(main, ["check", str(community_file), *date])
    assert after.exit_code == 0, after.output
    assert after.output.splitlines()[-1] == (
        "Last cycle done: cycle 3 (2026-10-01 to 2026-10-15). "
        "Next: cycle 4 (2026-10-16 to 2026-10-30), processed on 2026-10-31."
    )


def test_check_counts_the_cycles_a_run_would_catch_up(
    runner: CliRunner, sheet: SheetBuilder, tmp_path: Path
) -> None:
    sheet.runs.append(
        {"run_id": "a", "cycle": 1, "status": "done", "finished_at": "2026-09-16 06:00:00"}
    )
    path = tmp_path / "community.xlsx"
    save(sheet, path)
    result = runner.invoke(main, ["check", str(path), "--date", TODAY.isoformat()])
    assert result.output.splitlines()[-1] == (
        "Last cycle done: cycle 1 (2026-09-01 to 2026-09-15). "
        "Next: cycle 2 (2026-09-16 to 2026-09-30) and 1 more, due now: the next run does them."
    )


def test_scenario_21_check_shows_the_next_cycle_after_a_length_change(
    runner: CliRunner, sheet: SheetBuilder, tmp_path: Path
) -> None:
    sheet.settings["cycle_anchor"] = "2026-11-01"
    path = tmp_path / "community.xlsx"
    save(sheet, path)
    for day in ("2026-11-16", "2026-12-01"):
        assert runner.invoke(main, ["run", str(path), "--date", day]).exit_code == 0
    set_setting(path, "cycle_days", 30)
    result = runner.invoke(main, ["check", str(path), "--date", "2026-12-06"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        "Last cycle done: cycle 2 (2026-11-16 to 2026-11-30). "
        "Next: cycle 3 (2026-12-01 to 2026-12-30), processed on 2026-12-31."
    )


@pytest.mark.parametrize("command", ["run", "check"])
def test_a_date_more_than_one_cycle_ahead_is_refused(
    runner: CliRunner, community_file: Path, command: str
) -> None:
    before = community_file.read_bytes()
    result = runner.invoke(main, [command, str(community_file), "--date", "2099-01-01"])
    today = datetime.now(UTC).date()  # the sheet's time zone is UTC
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        f"Error: --date 2099-01-01 is more than one cycle (15 days) after today ({today} in UTC); "
        f"use a date up to {today + timedelta(days=15)}, or leave --date out"
    )
    assert community_file.read_bytes() == before


def test_a_runaway_catch_up_is_refused_naming_the_cell(
    runner: CliRunner, sheet: SheetBuilder, tmp_path: Path
) -> None:
    sheet.settings["cycle_anchor"] = "1900-01-01"
    path = tmp_path / "community.xlsx"
    save(sheet, path)
    result = runner.invoke(main, ["run", str(path), "--date", TODAY.isoformat()])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "The sheet has 1 problem; nothing was changed.",
        "  Settings!B2: cycle_anchor 1900-01-01 is more than a year before 2026-10-16 and no "
        "cycle has run yet: is it a typo? Set it to the first day of cycle 1, within the last year",
    ]


def test_a_missing_file_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["run", str(tmp_path / "nope.xlsx")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_init_creates_a_workbook_that_checks_clean(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "new.xlsx"
    result = runner.invoke(main, ["init", str(path), "--anchor", "2026-12-01"])
    assert result.exit_code == 0 and path.exists()
    checked = runner.invoke(main, ["check", str(path), "--date", "2026-12-02"])
    assert checked.exit_code == 0, checked.output
    assert "0 members, 3 groups" in checked.output
    again = runner.invoke(main, ["init", str(path)])
    assert again.exit_code == 1 and "already exists" in again.output


def test_a_new_workbook_runs_its_first_closed_cycle(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "new.xlsx"
    assert runner.invoke(main, ["init", str(path), "--anchor", "2026-12-01"]).exit_code == 0
    after_first_cycle = ["--date", "2026-12-16"]
    checked = runner.invoke(main, ["check", str(path), *after_first_cycle])
    assert checked.exit_code == 0, checked.output
    assert "Core is below its minimum size (0/10)" in checked.output
    ran = runner.invoke(main, ["run", str(path), *after_first_cycle])
    assert ran.exit_code == 0, ran.output
    assert "Cycle 1: no moves." in ran.output


def test_demo_runs_a_full_cycle(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "demo.xlsx"
    result = runner.invoke(main, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    for kind in ("promote", "demote", "return", "reward", "suggest_kol"):
        assert f"│ {kind}" in result.output, kind
    assert "today 2026-10-16" in result.output
    rerun = runner.invoke(main, ["demo", "--out", str(out)])
    assert rerun.exit_code == 0 and "│ promote" in rerun.output  # a fresh copy each time


def test_the_command_loads_a_backend_s_libraries_only_once_it_is_used(tmp_path: Path) -> None:
    url = "https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWxYz/edit"
    # Not "google" alone: a .pth file of the Google packages imports it at start.
    heavy = ("gspread", "google.auth", "google_auth", "openpyxl", "python_calamine")
    code = (
        "import sys, grouptier.cli\n"
        "from grouptier.backends import open_backend\n"
        f"loaded = lambda: sorted(m for m in sys.modules if m.startswith({heavy!r}))\n"
        f"print(loaded()); open_backend({str(tmp_path / 'local.xlsx')!r}); print(loaded())\n"
        f"open_backend({url!r}); print(loaded())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    at_start, after_local, after_sheet = done.stdout.splitlines()
    assert at_start == after_local == "[]"
    assert "'gspread'" in after_sheet


def test_reading_and_checking_a_workbook_loads_neither_openpyxl_nor_the_chat_reader(
    tmp_path: Path,
) -> None:
    """openpyxl (a tenth of a second) is the writer's; the chat reader compiles every language's
    tables, which only `import-chat` needs."""
    workbook = tmp_path / "demo.xlsx"
    shutil.copy(Path(__file__).resolve().parents[1] / "examples" / "demo-community.xlsx", workbook)
    heavy = ("openpyxl", "grouptier.chat.formats", "grouptier.chat.export")
    code = (
        "import sys\n"
        "from grouptier.cli import main\n"
        f"try:\n    main([{'check'!r}, {str(workbook)!r}])\n"
        "except SystemExit as done:\n    assert done.code == 0, done.code\n"
        f"print(sorted(m for m in sys.modules if m.startswith({heavy!r})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[]"
