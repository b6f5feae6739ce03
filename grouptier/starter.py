"""What a new community sheet starts with: default settings and the playbook's three groups."""

from __future__ import annotations

from datetime import date

from grouptier.cells import CellValue
from grouptier.settings import starter_settings

Rows = dict[str, list[dict[str, CellValue]]]


def starter_groups() -> list[dict[str, CellValue]]:
    """Core, General and Retention with the playbook's rules."""
    return [
        {"name": "Core", "level": 1, "capacity": 200, "demote_max_score": 0, "min_size": 10},
        {
            "name": "General",
            "level": 2,
            "capacity": 1024,
            "promote_top": 3,
            "promote_min_score": 0,
            "demote_bottom": 10,
            "demote_max_score": 0,
            "min_size": 20,
        },
        {"name": "Retention", "level": 3, "capacity": 1024, "promote_min_score": 0},
    ]


def starter_rows(anchor: date) -> Rows:
    """The rows `grouptier init` writes: settings with cycle 1 starting on `anchor`, the groups."""
    return {"Settings": starter_settings(anchor), "Groups": starter_groups()}
