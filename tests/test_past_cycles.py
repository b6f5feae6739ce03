"""Looking back: processed cycles as the sheet recorded them, never a replay on today's groups."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY, SheetBuilder
from test_cycle import save
from test_gsheets import build_ladder

from grouptier.backends.base import CellUpdate, ChangeSet
from grouptier.backends.xlsx import XlsxBackend
from grouptier.cli import main
from grouptier.cycle import RunOptions, run
from grouptier.errors import UsageError
from grouptier.past_cycles import recorded_cycle, recorded_cycles
from grouptier.undoing import UndoOptions, undo

FIXED = datetime(2026, 10, 16, 6, 0, tzinfo=UTC)


@pytest.fixture
def processed(sheet: SheetBuilder, tmp_path: Path) -> Path:
    """The ladder community with cycle 3 processed."""
    path = tmp_path / "community.xlsx"
    run(save(build_ladder(sheet), path), RunOptions(today=TODAY), clock=lambda: FIXED)
    return path


def test_cycles_lists_each_processed_cycle_with_its_moves_by_kind(processed: Path) -> None:
    report_moves = XlsxBackend(processed).read().find("Moves")
    assert report_moves is not None
    (record,) = recorded_cycles(XlsxBackend(processed).read())
    assert (record.cycle, record.status, record.window) == (3, "done", "2026-10-01 to 2026-10-15")
    assert sum(record.moves.values()) == len(report_moves.rows) - 1
    assert record.trigger == "manual" and record.finished_at.startswith("2026-10-16")


def test_a_cycle_shows_what_was_recorded_even_after_the_groups_changed(processed: Path) -> None:
    backend = XlsxBackend(processed)
    before = recorded_cycle(backend.read(), 3)
    with backend.lock():
        backend.read()  # a manager moves everyone to Core afterwards: the record does not change
        rows = range(2, 2 + len(before.moves))
        backend.write(
            ChangeSet(cell_updates=[CellUpdate("Members", r, "group", "Core") for r in rows])
        )
    view = recorded_cycle(XlsxBackend(processed).read(), 3)
    assert view == before
    assert {move["kind"] for move in view.moves} >= {"promote", "demote"}
    assert all(move["reason"] for move in view.moves)
    assert view.leaderboard and {row["cycle"] for row in view.leaderboard} == {"3"}


def test_an_undone_cycle_is_listed_as_undone_and_unknown_cycles_are_named(processed: Path) -> None:
    undo(XlsxBackend(processed), UndoOptions())
    records = recorded_cycles(XlsxBackend(processed).read())
    assert [(r.cycle, r.status) for r in records] == [(3, "undone")]
    with pytest.raises(
        UsageError, match=r"cycle 2 has not been processed on this sheet \(none yet\)"
    ):
        recorded_cycle(XlsxBackend(processed).read(), 2)


def test_the_cycles_command_lists_and_shows(processed: Path) -> None:
    runner = CliRunner()
    listing = runner.invoke(main, ["cycles", str(processed)])
    assert listing.exit_code == 0, listing.output
    assert "2026-10-01 to 2026-10-15" in listing.output and "promote" in listing.output
    shown = runner.invoke(main, ["cycles", str(processed), "3"])
    assert shown.exit_code == 0, shown.output
    assert "Moves (" in shown.output and "Leaderboard (" in shown.output
    view = recorded_cycle(XlsxBackend(processed).read(), 3)
    assert all(move["reason"][:40] in shown.output for move in view.moves)
    missing = runner.invoke(main, ["cycles", str(processed), "9"])
    assert missing.exit_code == 2 and "cycle 9 has not been processed" in missing.output
    gone = runner.invoke(main, ["run", str(processed), "--cycle", "3", "--dry-run"])
    assert gone.exit_code == 2  # replays of past cycles are gone: `cycles` shows the record
