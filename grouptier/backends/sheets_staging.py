"""Staged writes: bulk rows first, in requests of at most ~2 MB; then one small atomic batch.

Google recommends at most 2 MB per request and refuses requests over about
10 MB, so a due cycle of a large community (25,000 History rows, a long
Leaderboard) cannot go in the single batchUpdate that makes a cycle atomic.
When that batch would be too big, the bulk rows go first into a hidden
*staging* tab named after the run (`grouptier staging <run id>`), which no
reader looks at, a chunk per request. The commit is then one small batchUpdate
that the API applies whole or not at all: it inserts room under the last row
of each tab and `copyPaste`s the staged rows there (types and date formats
kept: text is never parsed), moves the members, marks the cycle done, and
deletes the staging tab. So a run that dies at any point leaves the sheet as
before (plus a hidden staging tab) or as after. The next run that writes
deletes the staging tabs of runs that died.

Pure request bodies; `gsheets` sends them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from grouptier.backends.sheets_requests import Request, TabInfo, cell_data, set_cells
from grouptier.cells import CellValue

__all__ = [
    "STAGING_PREFIX",
    "Block",
    "Stage",
    "commit_requests",
    "is_staging",
    "request_size",
    "stage_batches",
    "staging_title",
]

STAGING_PREFIX = "grouptier staging "


def staging_title(run_id: str) -> str:
    """The hidden tab holding run `run_id`'s rows until its commit."""
    return f"{STAGING_PREFIX}{run_id}"


def is_staging(title: str) -> bool:
    """Whether a tab is a staging tab (of this run or of one that died)."""
    return title.startswith(STAGING_PREFIX)


# Room left in each staging request for its wrapping and the request line.
MARGIN = 1_000


def request_size(requests: list[Request]) -> int:
    """Bytes of a batchUpdate body holding `requests`, serialised as `requests` sends JSON.

    That is ASCII with escapes (an emoji costs 12 bytes), so the figure is exact.
    """
    return len(json.dumps({"requests": requests}))


@dataclass
class Block:
    """Rows bound for one tab: appended under its last row, or written from `row` (0-based)."""

    tab: TabInfo
    rows: list[list[CellValue]]
    row: int | None = None  # None: inserted under the last row holding data
    staged_at: int = 0  # the block's first row in the staging tab


@dataclass
class Stage:
    """The staging tab of one run and the blocks it holds, one under the other."""

    sheet_id: int
    title: str
    blocks: list[Block]

    def __post_init__(self) -> None:
        offset = 0
        for block in self.blocks:
            block.staged_at = offset
            offset += len(block.rows)

    @property
    def row_count(self) -> int:
        return max(1, sum(len(block.rows) for block in self.blocks))

    @property
    def column_count(self) -> int:
        return max([len(row) for block in self.blocks for row in block.rows] + [1])


def stage_batches(stage: Stage, limit: int) -> Iterator[list[Request]]:
    """batchUpdate request lists filling the staging tab, each body under about `limit` bytes.

    The first adds the hidden tab (with the grid the rows need) and holds the
    first rows: if its answer is lost, the tab's presence tells whether it
    was applied. The others set fixed cells, so sending one twice is harmless.
    """
    properties = {
        "sheetId": stage.sheet_id,
        "title": stage.title,
        "hidden": True,
        "gridProperties": {"rowCount": stage.row_count, "columnCount": stage.column_count},
    }
    first: list[Request] = [{"addSheet": {"properties": properties}}]
    room = limit - request_size(first) - MARGIN
    batches = [
        [set_cells(stage.sheet_id, start, 0, rows)] for start, rows in _row_runs(stage.blocks, room)
    ]
    if batches:
        first += batches.pop(0)
    yield first
    yield from batches


def _row_runs(blocks: Iterable[Block], limit: int) -> Iterator[tuple[int, list[list[CellValue]]]]:
    """(first staging row, rows) runs whose cells serialise to under about `limit` bytes."""
    run: list[list[CellValue]] = []
    start, size, row_index = 0, 0, 0
    for block in blocks:
        for row in block.rows:
            cost = len(json.dumps({"values": [cell_data(v) for v in row]})) + 2  # and ", "
            if run and size + cost > limit:
                yield start, run
                start, run, size = row_index, [], 0
            run.append(row)
            size += cost
            row_index += 1
    if run:
        yield start, run


def commit_requests(stage: Stage, removed: dict[int, int]) -> list[Request]:
    """Requests that copy each staged block into place, then delete the staging tab.

    `removed` counts, by sheet id, the rows the same batch deletes earlier
    (all above the last row read), so appended rows go right under what
    is left. Room is made with insertDimension (rows a manager typed below
    since the read move down, never overwritten), or appendDimension at the
    grid's end.
    """
    requests: list[Request] = []
    for block in stage.blocks:
        count = len(block.rows)
        if not count:
            continue
        tab = block.tab
        row = block.row
        if row is None:
            row = max(0, tab.last_row - removed.get(tab.sheet_id, 0))
            requests.append(_room(tab, row, count))
        width = max(len(line) for line in block.rows)
        source = _grid(stage.sheet_id, block.staged_at, block.staged_at + count, width)
        requests.append(
            {
                "copyPaste": {
                    "source": source,
                    "destination": _grid(tab.sheet_id, row, row + count, width),
                    "pasteType": "PASTE_NORMAL",
                    "pasteOrientation": "NORMAL",
                }
            }
        )
    requests.append({"deleteSheet": {"sheetId": stage.sheet_id}})
    return requests


def _room(tab: TabInfo, row: int, count: int) -> Request:
    """Blank rows `row`..`row + count` (0-based) in `tab`, the grid grown by `count`."""
    if row < tab.row_count:
        request: Request = {
            "insertDimension": {
                "range": {
                    "sheetId": tab.sheet_id,
                    "dimension": "ROWS",
                    "startIndex": row,
                    "endIndex": row + count,
                },
                # The new rows look like the last data row, as rows typed under it would.
                "inheritFromBefore": row > 0,
            }
        }
    else:
        request = {
            "appendDimension": {"sheetId": tab.sheet_id, "dimension": "ROWS", "length": count}
        }
    tab.row_count += count
    return request


def _grid(sheet_id: int, row0: int, row1: int, width: int) -> dict[str, Any]:
    return {
        "sheetId": sheet_id,
        "startRowIndex": row0,
        "endRowIndex": row1,
        "startColumnIndex": 0,
        "endColumnIndex": width,
    }
