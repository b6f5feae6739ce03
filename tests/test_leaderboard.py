"""The Leaderboard keeps the last `leaderboard_keep_cycles` cycles, newest first (both backends)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, SheetBuilder
from sheets_support import Opener, opener_for
from test_gsheets import build_ladder

from grouptier.backends.base import Backend
from grouptier.cycle import RunOptions, run
from grouptier.leaderboard import board_rows
from grouptier.undoing import UndoOptions, undo

FIXED = datetime(2026, 10, 16, 6, 0, tzinfo=UTC)


@pytest.fixture(params=["xlsx", "google"])
def opener(request: pytest.FixtureRequest, sheet: SheetBuilder, tmp_path: Path) -> Opener:
    """The ladder community, as a workbook or as a Google Sheet."""
    build_ladder(sheet)
    sheet.settings["leaderboard_keep_cycles"] = 2
    fake = request.getfixturevalue("fake") if request.param == "google" else None
    return opener_for(request.param, sheet.workbook(), tmp_path, fake)


def cycle_on(backend: Backend, later: int = 0) -> None:
    day = TODAY + timedelta(days=15 * later)
    run(backend, RunOptions(today=day), clock=lambda: FIXED + timedelta(days=15 * later))


def cycles_held(backend: Backend) -> list[int]:
    tab = backend.read().find("Leaderboard")
    assert tab is not None
    column = [str(v) for v in tab.rows[0]].index("cycle")
    return [int(row[column]) for row in tab.rows[1:]]


def test_the_leaderboard_keeps_the_newest_cycles_first(opener: Any) -> None:
    cycle_on(opener())
    first = cycles_held(opener())
    assert set(first) == {3}
    cycle_on(opener(), later=1)
    cycle_on(opener(), later=2)
    held = cycles_held(opener())
    assert held == sorted(held, reverse=True) and set(held) == {5, 4}  # keep 2: cycle 3 dropped
    assert held.count(5) == len(first)  # every member of the ladder ranked each cycle


def test_undo_removes_only_the_undone_cycle_and_a_rerun_writes_it_once(opener: Any) -> None:
    cycle_on(opener())
    cycle_on(opener(), later=1)
    before = cycles_held(opener())
    undo(opener(), UndoOptions())
    assert set(cycles_held(opener())) == {3}
    cycle_on(opener(), later=1)
    assert cycles_held(opener()) == before


def test_a_cycle_written_again_replaces_its_old_rows() -> None:
    old = [{"cycle": 4, "rank": 1}, {"cycle": 3, "rank": 1}, {"cycle": 3, "rank": 2}]
    new = [[{"cycle": 4, "rank": 9}], [{"cycle": 5, "rank": 1}]]
    rows = board_rows(new, old, keep=2)
    assert rows == [{"cycle": 5, "rank": 1}, {"cycle": 4, "rank": 9}]
    assert board_rows(new, old, keep=3)[-2:] == [{"cycle": 3, "rank": 1}, {"cycle": 3, "rank": 2}]
