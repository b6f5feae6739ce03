"""Undo a processed cycle on a sheet: read under the lock, plan (`grouptier.undo`), write once.

The write is one `ChangeSet`, applied all or nothing like a run's (an atomic
file replace on .xlsx; on Google Sheets a verified claim, then one atomic
batchUpdate), so a crash in the middle undoes nothing, and two runs cannot
interleave with an undo.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from grouptier.backends.base import Backend
from grouptier.community import load_community
from grouptier.cycle import Clock, utc_now
from grouptier.undo import UndoPlan, plan_undo

__all__ = ["UndoOptions", "undo"]

_TIME = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class UndoOptions:
    """How an undo was asked for."""

    cycle: int | None = None  # None: the latest processed cycle
    force: bool = False  # undo even when moves are ticked done
    dry_run: bool = False


def undo(backend: Backend, options: UndoOptions, clock: Clock = utc_now) -> UndoPlan:
    """Undo the latest processed cycle (or say why not); write nothing in a dry run."""
    with backend.lock():
        raw = backend.read()
        community = load_community(raw)
        stamp = clock().astimezone(ZoneInfo(community.settings.time_zone)).strftime(_TIME)
        plan = plan_undo(
            raw,
            community,
            cycle=options.cycle,
            force=options.force,
            stamp=stamp,
            run_id=uuid.uuid4().hex[:10],
            limit=backend.cell_text_limit,
        )
        if not options.dry_run:
            backend.write(plan.changes)
    return plan
