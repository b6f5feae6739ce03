"""Factories that build small communities the way the playbook describes them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from sheets_fake import SheetsFake

from grouptier.community import Community, load_community
from grouptier.schedule import Window, cycle_window
from grouptier.settings import starter_settings
from grouptier.sheet import (
    ACTIVITY,
    GROUPS,
    IMPORTS,
    MEMBERS,
    MOVES,
    RUNS,
    SETTINGS,
    TOPICS,
    RawTab,
    RawWorkbook,
)
from grouptier.starter import starter_groups

ANCHOR = date(2026, 9, 1)
CYCLE = 3
WINDOW: Window = cycle_window(ANCHOR, 15, CYCLE)  # 2026-10-01 .. 2026-10-15
TODAY = WINDOW.end + timedelta(days=1)
LONG_AGO = date(2025, 1, 1)


def playbook_groups() -> list[dict[str, Any]]:
    """The groups `grouptier init` starts with, minus minimum sizes (small test communities)."""
    return [{**group, "min_size": 0} for group in starter_groups()]


@dataclass
class SheetBuilder:
    """A community sheet built row by row, turned into a RawWorkbook on demand."""

    settings: dict[str, Any] = field(default_factory=dict)
    groups: list[dict[str, Any]] = field(default_factory=playbook_groups)
    members: list[dict[str, Any]] = field(default_factory=list)
    activity: list[dict[str, Any]] = field(default_factory=list)
    runs: list[dict[str, Any]] = field(default_factory=list)
    topics: list[dict[str, Any]] = field(default_factory=list)
    imports: list[dict[str, Any]] = field(default_factory=list)  # the tab only when rows exist
    moves: list[dict[str, Any]] = field(default_factory=list)  # likewise

    def member(self, group: str = "General", **fields: Any) -> str:
        """Add a member (long-standing, no role) and return their id."""
        number = len(self.members) + 1
        row = {
            "member_id": f"+4470000{number:05d}",
            "name": f"Member {number}",
            "group": group,
            "joined_on": LONG_AGO,
            **fields,
        }
        self.members.append(row)
        return str(row["member_id"])

    def post(self, member_id: str, day: date | None = None, **counts: Any) -> None:
        """Record a day of activity (one message on the window's first day by default)."""
        row = {"date": day or WINDOW.start, "member_id": member_id, "messages": 1, **counts}
        self.activity.append(row)

    def active_member(self, group: str = "General", score_days: int = 1, **fields: Any) -> str:
        """A member with `score_days` days of one message each in the window."""
        member_id = self.member(group, **fields)
        for offset in range(score_days):
            self.post(member_id, WINDOW.start + timedelta(days=offset))
        return member_id

    def workbook(self) -> RawWorkbook:
        settings = {row["setting"]: row["value"] for row in starter_settings(ANCHOR)}
        settings.update(self.settings)
        setting_rows = [{"setting": key, "value": value} for key, value in settings.items()]
        tabs = {
            "Settings": _tab(SETTINGS.headers, setting_rows),
            "Groups": _tab(GROUPS.headers, self.groups),
            "Members": _tab(MEMBERS.headers, self.members),
            "Activity": _tab(ACTIVITY.headers, self.activity),
            "Topics": _tab(TOPICS.headers, self.topics),
            "Runs": _tab(RUNS.headers, self.runs),
        }
        for spec, records in ((IMPORTS, self.imports), (MOVES, self.moves)):
            if records:
                tabs[spec.name] = _tab(spec.headers, records)
        return RawWorkbook({name: RawTab(name, rows) for name, rows in tabs.items()})

    def community(self) -> Community:
        return load_community(self.workbook())


def _tab(headers: list[str], records: list[dict[str, Any]]) -> list[list[Any]]:
    return [list(headers)] + [[record.get(name) for name in headers] for record in records]


@pytest.fixture
def sheet() -> SheetBuilder:
    """An empty community with the playbook's three groups and default settings."""
    return SheetBuilder()


@pytest.fixture
def fake() -> Iterator[SheetsFake]:
    """A fresh local Sheets API on 127.0.0.1 for one test."""
    service = SheetsFake().start()
    yield service
    service.stop()
