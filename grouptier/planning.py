"""Plan cycles in order: each from the members the one before left (pure).

The runner (`cycle.run`), the look at the cycle in progress (`progress`) and
the replay of a lost Leaderboard all plan the same way, so the one way lives
here: score the window, gather the evidence the fairness rules need, let the
tier rules decide, apply the moves for the next window.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from grouptier.community import Community
from grouptier.health import idle_staff_warning
from grouptier.schedule import Window
from grouptier.scoring import score_members
from grouptier.standing import gather_evidence
from grouptier.tiers import CyclePlan, plan_cycle

__all__ = ["apply_moves", "plan_cycles"]


def plan_cycles(
    community: Community, windows: Sequence[Window]
) -> tuple[list[CyclePlan], list[str]]:
    """Plan the cycles of `windows` in order, each from the members the previous one left."""
    settings = community.settings
    members, moves = community.members, community.moves
    plans, warnings = [], []
    for window in windows:
        number = window.cycle
        scores = score_members(members, community.activity, community.history, window, settings)
        evidence = gather_evidence(
            window,
            settings,
            members=members,
            activity=community.activity,
            history=community.history,
            moves=moves,
            imports=community.imports,
        )
        plan = plan_cycle(members, community.groups, scores, window, settings, evidence=evidence)
        plans.append(plan)
        warnings += [f"cycle {number}: {text}" for text in plan.warnings]
        warnings += [f"cycle {number}: {text}" for text in idle_staff_warning(members, scores)]
        if settings.apply_moves:
            members = apply_moves(members, plan.moves)
        moves = pd.concat([moves, plan.moves[moves.columns]], ignore_index=True)
    return plans, warnings


def apply_moves(members: pd.DataFrame, moves: pd.DataFrame) -> pd.DataFrame:
    """Members after a cycle's moves: new groups, rewarded extra groups."""
    groups = members["group"].to_numpy(dtype=object, copy=True)
    extras = members["extra_groups"].to_numpy(dtype=object, copy=True)
    positions = pd.Index(members["member_id"]).get_indexer(moves["member_id"])
    if (positions < 0).any():  # -1 would quietly change the last member instead
        raise ValueError("a move names a member who is not in the members table")
    for at, kind, to_group in zip(positions, moves["kind"], moves["to_group"], strict=True):
        if kind in {"promote", "demote", "return"}:
            groups[at] = to_group
            extras[at] = tuple(name for name in extras[at] if name != to_group)
        elif kind == "reward":
            extras[at] = (*extras[at], to_group)
    return members.assign(
        group=pd.Series(groups, members.index, members["group"].dtype), extra_groups=extras
    )
