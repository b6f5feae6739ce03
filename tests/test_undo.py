"""Undoing a processed cycle, on a local workbook and on a Google Sheet (the local fake).

Each test runs the same small community through a cycle and undoes it: the
members go back, the cycle's records go, and the next run processes the
cycle again with the same result.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import TODAY, SheetBuilder
from sheets_fake import Fault, SheetsFake
from sheets_support import Opener, load_workbook, open_sheet, opener_for
from test_cycle import save
from test_gsheets import build_ladder

from grouptier.backends.base import Backend, CellUpdate, ChangeSet
from grouptier.backends.xlsx import XlsxBackend
from grouptier.cli import main
from grouptier.cycle import RunOptions, RunReport, run
from grouptier.errors import GrouptierError, UndoError
from grouptier.undo import CYCLE_MESSAGE_KINDS
from grouptier.undoing import UndoOptions, undo

FIXED = datetime(2026, 10, 16, 6, 0, tzinfo=UTC)


@pytest.fixture(params=["xlsx", "google"])
def opener(request: pytest.FixtureRequest, sheet: SheetBuilder, tmp_path: Path) -> Opener:
    """The ladder community, as a workbook or as a Google Sheet."""
    build_ladder(sheet)
    fake = request.getfixturevalue("fake") if request.param == "google" else None
    return opener_for(request.param, sheet.workbook(), tmp_path, fake)


def cycle(backend: Backend) -> RunReport:
    return run(backend, RunOptions(today=TODAY), clock=lambda: FIXED)


def tabs(backend: Backend, *names: str) -> dict[str, list[list[Any]]]:
    raw = backend.read()
    found = {name: raw.find(name) for name in names}
    return {name: [list(r) for r in (tab.rows if tab else [])] for name, tab in found.items()}


def column(rows: list[list[Any]], name: str) -> int:
    return [str(v) for v in rows[0]].index(name)


def without(rows: list[list[Any]], *names: str) -> list[list[Any]]:
    """Rows without the columns `names` (times and ids that differ between runs)."""
    drop = {column(rows, name) for name in names if name in [str(v) for v in rows[0]]}
    trimmed = [[v for i, v in enumerate(row) if i not in drop] for row in rows]
    return [row[: max((i + 1 for i, v in enumerate(row) if v not in (None, "")), default=0)]
            for row in trimmed]  # fmt: skip


def test_undo_puts_members_back_and_the_next_run_processes_the_cycle_again(
    opener: Opener,
) -> None:
    before = tabs(opener(), "Members", "Moves")
    first = cycle(opener())
    after_first = tabs(opener(), "Members", "Moves", "Messages")
    assert first.status == "done" and first.move_counts()

    plan = undo(opener(), UndoOptions())

    assert plan.cycle == 3 and plan.moved_back == sum(
        first.move_counts().get(kind, 0) for kind in ("promote", "demote", "return", "reward")
    )
    undone = tabs(
        opener(), "Members", "Moves", "Messages", "Runs", "Leaderboard", "Status", "Dashboard"
    )
    cycles = [row[column(undone["Dashboard"], "cycle")] for row in undone["Dashboard"][1:]]
    assert 3 not in cycles and "3" not in cycles  # the Dashboard no longer counts cycle 3
    assert without(undone["Members"]) == without(before["Members"])
    assert without(undone["Moves"]) == without(before["Moves"])
    kinds = {row[column(undone["Messages"], "kind")] for row in undone["Messages"][1:]}
    assert not kinds & CYCLE_MESSAGE_KINDS  # the daily messages stay; the cycle's are gone
    statuses = [row[column(undone["Runs"], "status")] for row in undone["Runs"][1:]]
    assert statuses[-2:] == ["undone", "written"]
    assert undone["Leaderboard"][1:] == []
    status_row = undone["Status"][1]
    assert status_row[1] == "undone" and "processes cycle 3 again" in status_row[4]

    again = cycle(opener())

    assert again.status == "done" and again.move_counts() == first.move_counts()
    redone = tabs(opener(), "Members", "Moves")
    assert without(redone["Members"]) == without(after_first["Members"])
    assert without(redone["Moves"], "run_at") == without(after_first["Moves"], "run_at")


def test_a_member_moved_by_hand_since_the_cycle_is_listed_and_left_alone(opener: Opener) -> None:
    cycle(opener())
    members = tabs(opener(), "Members")["Members"]
    moves = tabs(opener(), "Moves")["Moves"]
    demoted = next(row for row in moves[1:] if row[column(moves, "kind")] == "demote")
    member_id = demoted[column(moves, "member_id")]
    row = next(n for n, r in enumerate(members, start=1) if r[0] == member_id)
    backend = opener()
    with backend.lock():
        backend.read()
        backend.write(ChangeSet(cell_updates=[CellUpdate("Members", row, "group", "Core")]))

    plan = undo(opener(), UndoOptions())

    letter = "ABCDEFGHIJ"[column(members, "group")]
    assert any(line.startswith(f"Members!{letter}{row}: ") for line in plan.left_alone)
    assert "is now in Core, not Retention" in " ".join(plan.left_alone)
    members = tabs(opener(), "Members")["Members"]
    assert members[row - 1][column(members, "group")] == "Core"


def test_moves_ticked_done_stop_the_undo_unless_forced(opener: Opener) -> None:
    cycle(opener())
    moves = tabs(opener(), "Moves")["Moves"]
    backend = opener()
    with backend.lock():
        backend.read()
        backend.write(ChangeSet(cell_updates=[CellUpdate("Moves", 2, "done", "yes")]))
    letter = "ABCDEFGHIJKL"[column(moves, "done")]

    ticked = tabs(opener(), "Moves", "Members")

    with pytest.raises(UndoError, match=rf"1 move ticked done.*Moves!{letter}2 \("):
        undo(opener(), UndoOptions())
    assert tabs(opener(), "Moves", "Members") == ticked

    plan = undo(opener(), UndoOptions(force=True))
    assert len(plan.ticked) == 1 and plan.moves_removed == len(moves) - 1


def test_only_the_latest_processed_cycle_can_be_undone(opener: Opener) -> None:
    with pytest.raises(UndoError, match="no cycle has been processed yet"):
        undo(opener(), UndoOptions())
    cycle(opener())
    with pytest.raises(UndoError, match="cycle 2 has not been processed"):
        undo(opener(), UndoOptions(cycle=2))
    assert undo(opener(), UndoOptions(cycle=3, dry_run=True)).cycle == 3
    undo(opener(), UndoOptions(cycle=3))
    with pytest.raises(UndoError, match="no cycle has been processed yet"):
        undo(opener(), UndoOptions())


def test_a_dry_run_changes_nothing(opener: Opener) -> None:
    cycle(opener())
    before = tabs(opener(), "Members", "Moves", "Messages", "Runs")
    plan = undo(opener(), UndoOptions(dry_run=True))
    assert plan.moved_back > 0
    assert tabs(opener(), "Members", "Moves", "Messages", "Runs") == before


def test_an_undo_whose_write_fails_undoes_nothing_on_a_google_sheet(
    sheet: SheetBuilder, fake: SheetsFake
) -> None:
    build_ladder(sheet)
    load_workbook(fake, sheet.workbook())
    cycle(open_sheet(fake))
    before = tabs(open_sheet(fake), "Members", "Moves", "Messages")
    start = len(fake.log)
    fake.inject(Fault(status=400, at=start + 4))  # metadata, read, claim, verify, then the write
    with pytest.raises(GrouptierError, match="refused"):
        undo(open_sheet(fake), UndoOptions())
    assert tabs(open_sheet(fake), "Members", "Moves", "Messages") == before
    runs = fake.values("1CommunitySheetForTests_0123456789abcdef", "Runs")
    assert [row[5] for row in runs[1:]] == ["done", "failed"]


def test_an_undo_that_crashes_while_saving_a_workbook_undoes_nothing(
    sheet: SheetBuilder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_ladder(sheet)
    path = tmp_path / "community.xlsx"
    backend = save(sheet, path)
    cycle(backend)
    saved = path.read_bytes()

    def power_cut(*_: object) -> None:
        raise OSError("the disk went away")

    monkeypatch.setattr("os.replace", power_cut)
    with pytest.raises((OSError, GrouptierError)):
        undo(XlsxBackend(path), UndoOptions())
    monkeypatch.undo()
    assert path.read_bytes() == saved


def test_the_undo_command_says_what_it_did(sheet: SheetBuilder, tmp_path: Path) -> None:
    build_ladder(sheet)
    path = tmp_path / "community.xlsx"
    cycle(save(sheet, path))
    runner = CliRunner()
    dry = runner.invoke(main, ["undo", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would undo cycle 3:" in dry.output and "moved back" in dry.output
    done = runner.invoke(main, ["undo", str(path)])
    assert done.exit_code == 0 and "The next run processes cycle 3 again." in done.output
    again = runner.invoke(main, ["undo", str(path)])
    assert again.exit_code == 1 and "nothing to undo" in again.output
