"""Claims in the `Runs` tab: how runs on one Google Sheet keep out of each other's way.

Pure functions over `Runs` rows; `gsheets` sends and reads them. A claim is a
`Runs` row with status `claimed` whose `finished_at` holds the end of its lease
in UTC (`2026-10-16T06:10:00Z`). After appending its claim and reading `Runs`
again, a run goes on only when no live claim of another run stands above its
own and no run has changed the sheet (a `done` or `written` row) since its
first read. The claim row then becomes the run's record: `done` for a processed
cycle, `written` for any other change, `skipped` when it gave way, `failed`
when Google could not be reached to finish. `Guard`s re-read, in the same
request, the key column of tabs whose rows the write addresses by number, so
rows inserted or deleted by hand since the read make the run give way too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from grouptier.backends.base import ChangeSet, Record
from grouptier.backends.sheets_requests import TabInfo
from grouptier.cells import CellValue, column_letter, normalise
from grouptier.sheet import STATUS

__all__ = [
    "CHANGED",
    "LEASE",
    "Guard",
    "claim_record",
    "guards_for",
    "judge_claim",
    "key_column",
    "log_only",
    "recorded",
    "runs_rows",
]

LEASE = timedelta(minutes=10)
CHANGED = frozenset({"done", "written"})  # statuses of runs that changed the sheet
LEASE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

RunRow = tuple[str, str, str]  # run_id, status (lower case), finished_at


def claim_record(token: str, trigger: str, now: datetime, lease: timedelta) -> Record:
    """The `Runs` row that claims the sheet for `lease` from `now`."""
    now = now.astimezone(UTC)
    expiry = now + lease
    return {
        "run_id": token,
        "started_at": now.strftime(TIME_FORMAT),
        "finished_at": expiry.strftime(LEASE_FORMAT),
        "trigger": trigger,
        "status": "claimed",
        "summary": f"working on the sheet; other runs wait until {expiry:%Y-%m-%d %H:%M} UTC",
    }


def judge_claim(
    rows: list[list[CellValue]], token: str, seen: set[str], now: datetime
) -> tuple[int, str]:
    """(sheet row of claim `token`, what it must give way to, or '').

    `seen` holds the run ids that had changed the sheet when this run first
    read it; row 0 means the claim is not there at all.
    """
    mine, rival = 0, ""
    for row, (run_id, status, finished) in runs_rows(rows):
        if run_id == token and status == "claimed":
            mine = mine or row
        elif status == "claimed" and not mine and _live(finished, now):
            rival = rival or f"run {run_id}, claimed until {finished}"
        elif status in CHANGED and run_id not in seen and run_id != token:
            rival = rival or f"run {run_id}, which has just changed the sheet"
    return mine, rival


def runs_rows(rows: list[list[CellValue]]) -> Iterator[tuple[int, RunRow]]:
    """(sheet row, (run_id, status, finished_at)) for each data row of a `Runs` tab."""
    if not rows:
        return
    header = {normalise(str(v)): i for i, v in enumerate(rows[0]) if isinstance(v, str)}
    columns = [header.get(name) for name in ("runid", "status", "finishedat")]
    for number, row in enumerate(rows[1:], start=2):
        values = [
            str(row[c]).strip() if c is not None and c < len(row) and row[c] is not None else ""
            for c in columns
        ]
        yield number, (values[0], values[1].lower(), values[2])


def log_only(changes: ChangeSet) -> bool:
    """Only `Runs` rows (none a processed cycle) and the Status row: a run that changed nothing."""
    runs = changes.appends.get("Runs", [])
    others = any(records for name, records in changes.appends.items() if name != "Runs")
    replaced = any(normalise(name) != normalise(STATUS.name) for name in changes.replacements)
    touches = changes.cell_updates or replaced or any(changes.deleted_rows.values())
    return (
        bool(runs) and not others and not touches and all(r.get("status") != "done" for r in runs)
    )


def recorded(changes: ChangeSet, token: str, now: datetime) -> ChangeSet:
    """`changes` with a `written` row in Runs saying what changed (the claim row becomes it)."""
    counts = [f"{len(rows)} rows added to {name}" for name, rows in changes.appends.items() if rows]
    counts += [
        f"{len(rows)} rows removed from {name}"
        for name, rows in changes.deleted_rows.items()
        if rows
    ]
    counts += [f"{len(changes.cell_updates)} cells changed"] if changes.cell_updates else []
    stamp = now.astimezone(UTC).strftime(TIME_FORMAT)
    record: Record = {
        "run_id": token,
        "started_at": stamp,
        "finished_at": stamp,
        "status": "written",
        "summary": "; ".join(counts) or "no rows",
        "error": "",
    }
    return replace(changes, appends={**changes.appends, "Runs": [record]})


def _live(finished: str, now: datetime) -> bool:
    try:
        expiry = datetime.strptime(finished, LEASE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return False  # not a lease end: a claim row someone edited counts as expired
    return expiry > now


@dataclass(frozen=True)
class Guard:
    """A key column's cells as read (`before`), re-read at verify time as A1 `cells`."""

    title: str
    cells: str
    before: list[CellValue]


def guards_for(
    tabs: Mapping[str, TabInfo], rows: Mapping[str, list[list[CellValue]]], changes: ChangeSet
) -> list[Guard]:
    """Guards for the tabs whose rows `changes` addresses by number."""
    last: dict[str, int] = {}
    for update in changes.cell_updates:
        last[normalise(update.tab)] = max(last.get(normalise(update.tab), 0), update.row)
    for name, gone in changes.deleted_rows.items():
        if gone:
            last[normalise(name)] = max(last.get(normalise(name), 0), *gone)
    guards = []
    for key, row in last.items():
        info, cells = tabs.get(key), rows.get(key)
        if info is None or cells is None:
            continue
        index = info.headers.get("memberid", 0)
        letter = column_letter(index)
        before = [line[index] if index < len(line) else None for line in cells[:row]]
        guards.append(Guard(info.title, f"{letter}1:{letter}{row}", key_column(before)))
    return guards


def key_column(values: list[Any]) -> list[CellValue]:
    """One column's cells, however they came (rows of one cell, or cells), trailing blanks cut."""
    cells = [
        (value[0] if value else None) if isinstance(value, list) else value for value in values
    ]
    while cells and cells[-1] is None:
        cells.pop()
    return cells
