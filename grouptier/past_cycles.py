"""Processed cycles as the sheet recorded them: for looking back, never a replay.

A replay of a past cycle on today's groups shows other people moving than the
ones who really moved, so looking back reads what each cycle wrote: its
`Runs` row (window, when, how it was triggered, its summary and warnings),
its `Moves` rows with their reasons, and its `Leaderboard` rows while the
Leaderboard still keeps them. Tool tabs are read leniently, as the rules
read them: a mangled row is skipped rather than stopping the look.

Pure: raw tabs in, records out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from grouptier.cells import CellValue
from grouptier.errors import UsageError
from grouptier.sheet import LEADERBOARD, MOVES, RUNS, RawWorkbook, TabSpec, read_table
from grouptier.tool_logs import lenient_count, lenient_date, lenient_text

__all__ = ["CycleRecord", "CycleView", "member_history", "recorded_cycle", "recorded_cycles"]

SHOWN_STATUSES = ("done", "undone")


@dataclass(frozen=True)
class CycleRecord:
    """One processed (or undone) cycle, from its Runs row and its Moves rows."""

    cycle: int
    status: str  # done | undone
    window_start: date | None
    window_end: date | None
    finished_at: str
    trigger: str
    summary: str
    moves: dict[str, int] = field(default_factory=dict)  # by kind

    @property
    def window(self) -> str:
        if self.window_start is None or self.window_end is None:
            return "window not recorded"
        return f"{self.window_start:%Y-%m-%d} to {self.window_end:%Y-%m-%d}"


@dataclass(frozen=True)
class CycleView:
    """A cycle's record with its Moves and Leaderboard rows (column name → cell text)."""

    record: CycleRecord
    moves: list[dict[str, str]]
    leaderboard: list[dict[str, str]]


def recorded_cycles(raw: RawWorkbook) -> list[CycleRecord]:
    """Every cycle a Runs row says was processed or undone, oldest first (latest row wins)."""
    kinds: dict[int, Counter[str]] = {}
    for record in _rows_of(raw, MOVES):
        number = _cycle_of(record)
        if number:
            kinds.setdefault(number, Counter())[lenient_text(record.get("kind"))] += 1
    found: dict[tuple[int, str], CycleRecord] = {}
    for record in _rows_of(raw, RUNS):
        number, status = _cycle_of(record), lenient_text(record.get("status")).lower()
        if not number or status not in SHOWN_STATUSES:
            continue
        found[(number, status)] = CycleRecord(
            number,
            status,
            lenient_date(record.get("window_start")),
            lenient_date(record.get("window_end")),
            lenient_text(record.get("finished_at")),
            lenient_text(record.get("trigger")),
            lenient_text(record.get("summary")),
            dict(sorted(kinds.get(number, Counter()).items())) if status == "done" else {},
        )
    return sorted(found.values(), key=lambda r: (r.cycle, r.status != "undone"))


def recorded_cycle(raw: RawWorkbook, cycle: int) -> CycleView:
    """Cycle `cycle` as recorded: its Runs row, Moves rows and any Leaderboard rows kept."""
    records = [r for r in recorded_cycles(raw) if r.cycle == cycle]
    if not records:
        done = [r.cycle for r in recorded_cycles(raw) if r.status == "done"]
        known = f"processed cycles: {', '.join(map(str, done))}" if done else "none yet"
        raise UsageError(f"cycle {cycle} has not been processed on this sheet ({known})")
    moves = [_shown(r, MOVES) for r in _rows_of(raw, MOVES) if _cycle_of(r) == cycle]
    board = [_shown(r, LEADERBOARD) for r in _rows_of(raw, LEADERBOARD) if _cycle_of(r) == cycle]
    return CycleView(records[-1], moves, board)


def member_history(raw: RawWorkbook, member_id: str) -> list[dict[str, str]]:
    """The member's past cycles, newest first: their Leaderboard rows while kept, else moves.

    Each entry has `cycle, group, rank, score, outcome, note`; a cycle the
    Leaderboard no longer holds shows the member's move from Moves (rank and
    score as recorded there, `note` its reason).
    """
    entries = {
        _cycle_of(record): _shown(record, LEADERBOARD)
        for record in _rows_of(raw, LEADERBOARD)
        if lenient_text(record.get("member_id")) == member_id
    }
    for record in _rows_of(raw, MOVES):
        number, move = _cycle_of(record), _shown(record, MOVES)
        if move["member_id"] != member_id or not number or number in entries:
            continue
        entries[number] = {
            "cycle": str(number),
            "group": move["from_group"],
            "rank": move["rank"],
            "score": move["score"],
            "outcome": move["kind"],
            "note": move["reason"],
        }
    return [entries[number] for number in sorted(entries, reverse=True)]


def _rows_of(raw: RawWorkbook, spec: TabSpec) -> list[dict[str, CellValue]]:
    table = read_table(raw, spec, [])
    return table.records if table else []


def _cycle_of(record: dict[str, CellValue]) -> int:
    return lenient_count(record.get("cycle"))


def _shown(record: dict[str, CellValue], spec: TabSpec) -> dict[str, str]:
    return {column.name: lenient_text(record.get(column.name)) for column in spec.columns}
