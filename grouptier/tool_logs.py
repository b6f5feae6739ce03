"""The tool's own logs, `Runs` and `Moves`, read leniently.

grouptier writes these tabs itself; a row a manager mangled only loses a
little history, so it is skipped (or its unreadable cell left blank) rather
than stopping the run the way a bad manager-owned cell does.

- runs:  run_id, cycle, status, started_at, finished_at, window_start, window_end
         (dates, None when blank or unreadable)
- moves: cycle, member_id, kind, from_group, to_group
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from grouptier.cells import (
    CellError,
    CellValue,
    is_blank,
    parse_count,
    parse_date,
    parse_member_id,
    parse_text,
)
from grouptier.sheet import Table

MOVE_LOG_COLUMNS = ("cycle", "member_id", "kind", "from_group", "to_group")


def read_runs(table: Table | None) -> pd.DataFrame:
    """The run log, read leniently: it is the tool's own, and a bad row only loses history.

    A window date that cannot be read is None, like the blank ones of rows
    written before windows were recorded.
    """
    rows = []
    for _, record in table or []:
        try:
            cycle = parse_count(record.get("cycle"))
        except CellError:
            continue
        rows.append(
            {
                "run_id": parse_text(record.get("run_id")),
                "cycle": cycle,
                "status": parse_text(record.get("status")).lower(),
                "started_at": parse_text(record.get("started_at")),
                "finished_at": parse_text(record.get("finished_at")),
                "window_start": lenient_date(record.get("window_start")),
                "window_end": lenient_date(record.get("window_end")),
            }
        )
    columns = ["run_id", "cycle", "status", "started_at", "finished_at"]
    return pd.DataFrame(rows, columns=[*columns, "window_start", "window_end"])


def lenient_text(value: object) -> str:
    """A tool tab's cell as text; '' for one that cannot be text (an error value)."""
    try:
        return parse_text(value)
    except CellError:
        return ""


def lenient_count(value: object) -> int:
    """A tool tab's cell as a whole number; 0 for a blank or unreadable one."""
    try:
        return parse_count(value)
    except CellError:
        return 0


def lenient_date(value: CellValue) -> date | None:
    try:
        return None if is_blank(value) else parse_date(value)
    except CellError:
        return None


def read_moves(table: Table | None) -> pd.DataFrame:
    """The moves log, read leniently like Runs: it is the tool's own; a bad row is skipped."""
    rows = []
    for _, record in table or []:
        try:
            cycle = parse_count(record.get("cycle"))
            member_id = parse_member_id(record.get("member_id"))
            texts = [parse_text(record.get(name)) for name in ("kind", "from_group", "to_group")]
        except CellError:
            continue
        if cycle >= 1 and member_id:
            rows.append((cycle, member_id, texts[0].lower(), texts[1], texts[2]))
    return pd.DataFrame(rows, columns=list(MOVE_LOG_COLUMNS)).astype({"cycle": "int64"})
