"""The spreadsheet contract: which tabs and columns exist, and reading a tab by its headers.

Backends deliver a `RawWorkbook` (cells as the spreadsheet holds them); this
module finds each tab's columns by header name, ignoring case, spaces, `_`
and `-`, so "Member ID" is `member_id` and column order is free. Manager
columns the contract does not know are left alone. `sheet_template.md` is
the same contract written for managers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from grouptier.cells import CellValue, column_letter, is_blank, normalise
from grouptier.errors import Problem
from grouptier.table_columns import (
    CellColumn,
    blank_column,
    column_of,
    object_array,
    sheet_columns,
)

ROLES = ("assistant", "activity officer", "record officer", "designer", "diplomat", "executive")
MOTIVATIONS = ("dedicated", "grateful", "self-driven", "resource")
STATUSES = ("active", "left")
MOVE_KINDS = ("promote", "demote", "return", "reward", "suggest_kol")
WHATSAPP_GROUP_LIMIT = 1024


@dataclass(frozen=True)
class Column:
    """One column of a tab: its canonical name, whether it must exist, what it holds."""

    name: str
    required: bool = False
    kind: str = "text"  # text | id | date | count | number | yesno | choice | group | list
    choices: tuple[str, ...] = ()
    width: int = 14


@dataclass(frozen=True)
class TabSpec:
    """One tab of the contract."""

    name: str
    columns: tuple[Column, ...]
    tool_owned: bool = False
    required: bool = True

    @property
    def headers(self) -> list[str]:
        """The header row the tool writes when it creates the tab."""
        return [column.name for column in self.columns]


def _columns(*names_and_widths: tuple[str, int]) -> tuple[Column, ...]:
    """Plain text columns of a tool-owned tab, each with its width."""
    return tuple(Column(name, width=width) for name, width in names_and_widths)


SETTINGS = TabSpec(
    "Settings",
    (Column("setting", True, width=26), Column("value", True, width=18), Column("notes", width=60)),
)
GROUPS = TabSpec(
    "Groups",
    (
        Column("name", True, width=20),
        Column("level", True, "number", width=8),
        Column("capacity", kind="count", width=10),
        Column("promote_top", kind="count"),
        Column("promote_min_score", kind="number", width=18),
        Column("demote_bottom", kind="count"),
        Column("demote_max_score", kind="number", width=18),
        Column("min_size", kind="count", width=10),
        Column("invite_link", width=40),
        Column("language", width=10),
    ),
)
MEMBERS = TabSpec(
    "Members",
    (
        Column("member_id", True, "id", width=18),
        Column("name", True, width=22),
        Column("group", True, "group", width=16),
        Column("role", kind="choice", choices=ROLES, width=16),
        Column("joined_on", kind="date", width=12),
        Column("motivation", kind="choice", choices=MOTIVATIONS),
        Column("kol", kind="yesno", width=6),
        Column("locked", kind="yesno", width=8),
        Column("extra_groups", kind="list", width=20),
        Column("status", kind="choice", choices=STATUSES, width=9),
        Column("notes", width=30),
        Column("aliases", kind="list", width=24),
        Column("paused_until", kind="date", width=12),
    ),
)
ACTIVITY = TabSpec(
    "Activity",
    (
        Column("date", True, "date", width=12),
        Column("member_id", True, "id", width=18),
        Column("group", kind="group", width=16),
        Column("messages", True, "count", width=10),
        Column("active_days", kind="count", width=11),
        Column("content", kind="count", width=9),
        Column("invites", kind="count", width=9),
        Column("source", width=24),
    ),
)
TOPICS = TabSpec(
    "Topics",
    (
        Column("week_of", True, "date", width=12),
        Column("group", kind="group", width=16),
        Column("title", True, width=30),
        Column("prompt", width=50),
        Column("host", width=18),
    ),
)
TEMPLATES = TabSpec(
    "Templates",
    (
        Column("name", True, width=18),
        Column("group", kind="group", width=16),
        Column("text", True, width=80),
    ),
    required=False,
)
MOVES = TabSpec(
    "Moves",
    _columns(
        ("cycle", 7),
        ("run_at", 20),
        ("member_id", 18),
        ("name", 22),
        ("from_group", 16),
        ("to_group", 16),
        ("kind", 12),
        ("score", 8),
        ("rank", 7),
        ("reason", 80),
        ("done", 7),
    ),
    tool_owned=True,
)
LEADERBOARD = TabSpec(
    "Leaderboard",
    _columns(
        ("cycle", 7),
        ("group", 16),
        ("rank", 7),
        ("member_id", 18),
        ("name", 22),
        ("score", 8),
        ("messages", 10),
        ("messages_counted", 10),
        ("active_days", 11),
        ("content", 9),
        ("invites", 9),
        ("outcome", 14),
        ("note", 60),
    ),
    tool_owned=True,
)
MESSAGES = TabSpec(
    "Messages",
    _columns(
        ("date", 12),
        ("group", 16),
        ("to", 30),
        ("kind", 14),
        ("member_id", 18),
        ("text", 80),
        ("posted", 8),
        ("cycle", 7),
    ),
    tool_owned=True,
)
RUNS = TabSpec(
    "Runs",
    _columns(
        ("run_id", 14),
        ("cycle", 7),
        ("started_at", 20),
        ("finished_at", 20),
        ("trigger", 10),
        ("status", 10),
        ("summary", 60),
        ("error", 80),
        ("window_start", 12),
        ("window_end", 12),
    ),
    tool_owned=True,
)
# Which days each group's activity covers: one row per chat import, and rows managers add
# with source "manual" for activity typed by hand (see coverage.py). Typed like a manager
# tab, unlike the other tool tabs, so that the backends give it date formats and the groups
# dropdown.
IMPORTS = TabSpec(
    "Imports",
    (
        Column("imported_at", width=20),
        Column("group", True, "group", width=16),
        Column("first_day", True, "date", width=12),
        Column("last_day", True, "date", width=12),
        Column("source", width=36),
        Column("messages", kind="count", width=10),
        Column("senders", kind="count", width=9),
        Column("unmatched", kind="count", width=10),
    ),
    tool_owned=True,
)
HISTORY = TabSpec(
    "History",
    _columns(
        ("cycle", 7),
        ("window_start", 12),
        ("window_end", 12),
        ("member_id", 18),
        ("group", 16),
        ("messages", 10),
        ("messages_counted", 10),
        ("active_days", 11),
        ("content", 9),
        ("invites", 9),
        ("rows", 7),
    ),
    tool_owned=True,
)

STATUS = TabSpec(
    "Status",
    _columns(
        ("updated_at", 20),
        ("status", 10),
        ("cycle", 7),
        ("summary", 70),
        ("what_to_do", 80),
    ),
    tool_owned=True,
)

# One row per processed cycle, rewritten whole by each (`dashboard.py`). These fixed columns
# come first, so charts can point at them; a column per group, named after it, follows,
# added by the backends as a header the first time a cycle writes it.
DASHBOARD = TabSpec(
    "Dashboard",
    _columns(
        ("cycle", 7),
        ("window_start", 12),
        ("window_end", 12),
        ("promote", 9),
        ("demote", 9),
        ("return", 8),
        ("reward", 8),
        ("top20_share", 12),
        ("returned_within_2", 17),
    ),
    tool_owned=True,
)

MANAGER_TABS = (SETTINGS, GROUPS, MEMBERS, ACTIVITY, TOPICS, TEMPLATES)
TOOL_TABS = (STATUS, MOVES, LEADERBOARD, MESSAGES, RUNS, HISTORY, IMPORTS, DASHBOARD)
# Tabs that lead the workbook, in this order: where managers look first when they open it.
FIRST_TABS = (STATUS,)
ALL_TABS = FIRST_TABS + MANAGER_TABS + tuple(spec for spec in TOOL_TABS if spec not in FIRST_TABS)


def position_of(name: str) -> int | None:
    """The index a missing tab `name` is created at: its place in FIRST_TABS, else None (last)."""
    wanted = normalise(name)
    return next((i for i, spec in enumerate(FIRST_TABS) if normalise(spec.name) == wanted), None)


@dataclass
class RawTab:
    """A tab's cells as the spreadsheet holds them; `rows[0]` is sheet row 1.

    `columns`, when given, is the sheet column (zero-based) of each position in a row:
    a backend that reads only some columns of a tab keeps its rows narrow this way.
    Empty means position i is column i.
    """

    name: str
    rows: list[list[CellValue]]
    columns: tuple[int, ...] = ()

    def letter(self, position: int) -> str:
        """The column letters of `position` in a row: "A" for 0 unless `columns` says else."""
        return column_letter(self.columns[position] if self.columns else position)


@dataclass
class RawWorkbook:
    """Every tab a backend read, by the tab's own name."""

    tabs: dict[str, RawTab] = field(default_factory=dict)

    def find(self, name: str) -> RawTab | None:
        """The tab called `name`, matched ignoring case and spacing; the first if several match.

        `read_table` reports several matches as a problem, so no run goes ahead on one.
        """
        found = self.find_all(name)
        return found[0] if found else None

    def find_all(self, name: str) -> list[RawTab]:
        """Every tab whose name matches `name` ignoring case and spacing, in workbook order."""
        wanted = normalise(name)
        return [tab for tab_name, tab in self.tabs.items() if normalise(tab_name) == wanted]


class Table:
    """A tab read through its header row: the contract's columns of its non-blank data rows.

    `columns` holds each contract column the tab has, by canonical name, as a
    `CellColumn` of raw cell values; `rows` gives each data row's sheet row
    number and `letters` each column's letter, so any value can be traced
    back to its A1 cell. Column-oriented, so that a tab of a million rows is
    never a million Python objects; `records` (one dict per row) is built
    only when asked for, for small tabs read row by row.
    """

    def __init__(
        self,
        spec: TabSpec,
        name: str,
        records: Sequence[Mapping[str, CellValue]],
        rows: Sequence[int],
        letters: Mapping[str, str],
    ) -> None:
        """A table of `records`, one dict per row keyed by column name (small tabs, tests)."""
        columns = {
            column: column_of(object_array([record.get(column) for record in records]))
            for column in letters
        }
        self._set(spec, name, columns, np.asarray(rows, dtype=np.int64), dict(letters))

    @classmethod
    def of_columns(
        cls,
        spec: TabSpec,
        name: str,
        columns: dict[str, CellColumn],
        rows: np.ndarray,
        letters: dict[str, str],
    ) -> Table:
        """A table of ready-made `columns`, one `CellColumn` per present column."""
        table = cls.__new__(cls)
        table._set(spec, name, columns, rows, letters)
        return table

    def _set(
        self,
        spec: TabSpec,
        name: str,
        columns: dict[str, CellColumn],
        rows: np.ndarray,
        letters: dict[str, str],
    ) -> None:
        self.spec = spec
        self.name = name
        self.columns = columns
        self.rows = rows
        self.letters = letters

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> CellColumn:
        """The cells of column `name`; all blank when the tab has no such column."""
        found = self.columns.get(name)
        return found if found is not None else blank_column(len(self.rows))

    def cell(self, column: str, row: int) -> str:
        """The A1 reference of `column` in sheet row `row`."""
        return f"{self.letters[column]}{row}"

    @cached_property
    def records(self) -> list[dict[str, CellValue]]:
        """One dict per row, keyed by the names of the columns the tab has."""
        names = list(self.columns)
        if not names:
            return [{} for _ in self.rows]
        cells = [self.columns[name].values().tolist() for name in names]
        return [dict(zip(names, row, strict=True)) for row in zip(*cells, strict=True)]

    def __iter__(self) -> Iterator[tuple[int, dict[str, CellValue]]]:
        return iter(zip(self.rows.tolist(), self.records, strict=True))


def read_table(workbook: RawWorkbook, spec: TabSpec, problems: list[Problem]) -> Table | None:
    """Read `spec`'s tab by its headers; record a missing or doubled tab or column in `problems`."""
    found = workbook.find_all(spec.name)
    if len(found) > 1:
        problems.append(_same_name(spec, found))
        return None
    raw = found[0] if found else None
    if raw is None:
        if spec.required and not spec.tool_owned:
            problems.append(Problem(spec.name, "", f'the tab "{spec.name}" is missing'))
        return None if spec.required and not spec.tool_owned else _empty_table(spec)
    positions = _header_positions(raw, spec, problems)
    if positions is None:
        return None
    letters = {name: raw.letter(at) for name, at in positions.items()}
    cells = sheet_columns(raw.rows[1:], positions)
    columns = {name: column_of(values) for name, values in cells.items()}
    del cells  # the raw object arrays: a million rows hold 8 MB each
    # An unticked checkbox (FALSE) fills every row of its column; it is not content.
    unfilled = [column.unfilled() for column in columns.values()]
    kept = np.flatnonzero(~np.logical_and.reduce(unfilled)) if unfilled else np.zeros(0, np.intp)
    columns = {name: column.take(kept) for name, column in columns.items()}
    return Table.of_columns(spec, raw.name, columns, kept.astype(np.int64) + 2, letters)


def _same_name(spec: TabSpec, tabs: list[RawTab]) -> Problem:
    # Names differing only in case or spacing look alike on screen: quote them exactly.
    names = " and ".join(f'"{tab.name}"' for tab in tabs)
    return Problem(
        tabs[0].name,
        "",
        f'the tabs {names} are both the "{spec.name}" tab (names are matched ignoring '
        "case and spaces); rename or delete all but one",
    )


def _empty_table(spec: TabSpec) -> Table:
    letters = {column.name: column_letter(i) for i, column in enumerate(spec.columns)}
    return Table(spec, spec.name, [], [], letters)


def _header_positions(raw: RawTab, spec: TabSpec, problems: list[Problem]) -> dict[str, int] | None:
    """Each contract column's position in the rows, by its header; None if one is missing."""
    header = raw.rows[0] if raw.rows else []
    known = {normalise(column.name): column.name for column in spec.columns}
    positions: dict[str, int] = {}
    for index, value in enumerate(header):
        name = known.get(normalise(str(value))) if not is_blank(value) else None
        if name is None:
            continue
        if name in positions:
            problems.append(
                Problem(
                    raw.name,
                    f"{raw.letter(index)}1",
                    f'the column "{name}" appears twice (also in {raw.letter(positions[name])}1)',
                )
            )
            continue
        positions[name] = index
    missing = [
        column.name for column in spec.columns if column.required and column.name not in positions
    ]
    for name in missing:
        problems.append(Problem(raw.name, "1:1", f'the header row has no "{name}" column'))
    if missing:
        return None
    return positions
