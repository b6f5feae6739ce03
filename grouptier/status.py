"""The Status tab's one row: the latest run's outcome and what to do next, for managers.

Nobody reads logs or the Runs tab unprompted, so every run that writes
anything rewrites this row on the first tab of the sheet: a done cycle, a
sheet found invalid, new messages between cycles. Only cell references go
here, never cell values (the Runs row has the details).
"""

from __future__ import annotations

from collections.abc import Sequence

from grouptier.backends.base import Record
from grouptier.cell_text import fit_items, fit_lines
from grouptier.errors import GrouptierError, InvalidSheetError
from grouptier.tiers import CyclePlan

__all__ = ["done_status", "error_text", "invalid_status", "messages_status"]

CELLS_SHOWN = 5


def done_status(
    plans: Sequence[CyclePlan], finished_at: str, messages: int, warnings: int
) -> Record:
    """The row after cycles `plans` were processed and written."""
    summary = "; ".join(f"cycle {plan.window.cycle}: {_counts(plan)}" for plan in plans)
    moves = sum(len(plan.moves) for plan in plans)
    # Missing data first: it is what a manager can still fix before the next cycle.
    steps = [str(gap) for plan in plans for gap in plan.gaps]
    steps.append(
        f"Carry out the {_plural(moves, 'move')} in the Moves tab and tick done"
        if moves
        else "No moves to carry out"
    )
    if messages:
        steps.append(f"post the {_plural(messages, 'new message')} in the Messages tab")
    if warnings:
        summary += f"; {_plural(warnings, 'warning')}"
        steps.append("read the warnings in the Runs tab")
    return _row(finished_at, "done", plans[-1].window.cycle, summary, "; ".join(steps) + ".")


def invalid_status(error: GrouptierError, stamp: str, runs_row: int) -> Record:
    """The row after a run found the sheet invalid; `runs_row` is the Runs row explaining it."""
    if not isinstance(error, InvalidSheetError):
        return _row(
            stamp,
            "invalid",
            "",
            f"A message template cannot be used; see Runs row {runs_row}.",
            "Ask whoever runs grouptier to fix the template named in Runs, then run again.",
        )
    cells = list(dict.fromkeys(problem.where for problem in error.problems))
    listed = ", ".join(cells[:CELLS_SHOWN])
    if len(cells) > CELLS_SHOWN:
        listed += f" and {len(cells) - CELLS_SHOWN} more"
    return _row(
        stamp,
        "invalid",
        "",
        f"The sheet has {_plural(len(error.problems), 'problem')}; see Runs row {runs_row}. "
        "Nothing else was written.",
        f"Fix the cells listed in Runs ({listed}), then run again.",
    )


def error_text(error: GrouptierError, limit: int) -> str:
    """The Runs `error` cell of a failed run, at most `limit` characters.

    A sheet with thousands of problems lists the first ones, whole, and says
    how many more there are, rather than stopping mid-problem.
    """
    if not isinstance(error, InvalidSheetError):
        return fit_lines(str(error), limit)
    count = _plural(len(error.problems), "problem")
    head = f"The sheet has {count}; nothing was changed:"
    lines = [f"  {problem}" for problem in error.problems]
    return fit_items(head, lines, limit, noun="problem", hint="fix these first")


def messages_status(updated_at: str, messages: int, note: str) -> Record:
    """The row after a run between cycles that only added messages (welcomes)."""
    return _row(
        updated_at,
        "messages",
        "",
        f"{_plural(messages, 'new message')} in the Messages tab. {note}".strip(),
        "Post the new messages in the Messages tab and tick posted.",
    )


def _row(updated_at: str, status: str, cycle: int | str, summary: str, what: str) -> Record:
    return {
        "updated_at": updated_at,
        "status": status,
        "cycle": cycle,
        "summary": summary,
        "what_to_do": what,
    }


def _counts(plan: CyclePlan) -> str:
    counts = plan.moves["kind"].value_counts()
    return ", ".join(f"{count} {kind}" for kind, count in counts.items()) or "no moves"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
