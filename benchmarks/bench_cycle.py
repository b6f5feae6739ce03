"""Time one cycle on a large synthetic community against a bare pandas floor.

The community: 50,000 members in parallel groups of at most 1,024 (several
Core groups at level 1, about 30 General groups at level 2, Retention groups
at level 3, with the playbook's counts) and 1,000,000 long-tailed activity
rows spread over the scored cycle and the one before it. Everything is built
in memory from a seeded RNG, as the typed tables `load_community` returns, so
no file I/O is measured.

Printed, in one run:

- validation: `load_community` on the same cells as a `RawWorkbook` (not
  file I/O, not the core either: its own line; `--skip-load` leaves it out);
- core: `plan_cycles(community, [cycle])` (scoring and tier rules), every run
  and the best of them, and its peak traced memory in one more run; then the
  best times of its two parts, `score_members` and `plan_cycle`, and the rest;
- floor: `activity.groupby("member_id")[["messages", "content", "invites"]].sum()`
  on the same rows, every run and the best;
- the core's ratio to the floor and a verdict against the targets
  (core <= 1 s and <= 3x the floor). Like every benchmark here it never fails
  on time.

    python benchmarks/bench_cycle.py                    # 50,000 members, 1,000,000 rows
    python benchmarks/bench_cycle.py --members 5000 --rows 100000
"""

from __future__ import annotations

import argparse
import gc
import math
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from grouptier.columns import day_column
from grouptier.community import Community, load_community, python_text
from grouptier.cycle import plan_cycles
from grouptier.schedule import cycle_window
from grouptier.scoring import score_members
from grouptier.settings import starter_settings
from grouptier.sheet import (
    ACTIVITY,
    GROUPS,
    MEMBERS,
    MOTIVATIONS,
    ROLES,
    RUNS,
    SETTINGS,
    TOPICS,
    RawTab,
    RawWorkbook,
)
from grouptier.tiers import plan_cycle

TARGET_SECONDS = 1.0
TARGET_RATIO = 3.0
ANCHOR = date(2026, 1, 1)
CYCLE_DAYS = 15
CYCLE = 20  # the scored cycle; the rows also cover the cycle before it
LEVELS = (  # name, share of members, members per group, capacity, Groups-tab counts
    ("Core", 0.03, 500, 600, {"demote_max_score": 0}),
    (
        "General",
        0.60,
        1000,
        1024,
        {"promote_top": 3, "promote_min_score": 0, "demote_bottom": 10, "demote_max_score": 0},
    ),
    ("Retention", 0.37, 1000, 1024, {"promote_min_score": 0}),
)
ACTIVITY_BY_LEVEL = (6.0, 1.0, 0.02)  # relative activity of a Core, General, Retention member
IDLE_SHARE = (0.02, 0.15, 0.90)  # members with no rows at all, by level
_MEMBER_COLUMNS = [name for name in MEMBERS.headers if name != "notes"]  # what the loader keeps


@dataclass(frozen=True)
class Synthetic:
    """The community as the loader types it, and the same cells as a workbook."""

    community: Community
    workbook: RawWorkbook


# -- the synthetic community -------------------------------------------------------------------


def build(members: int, rows: int, seed: int) -> Synthetic:
    """A seeded community of `members` members and `rows` activity rows."""
    rng = np.random.default_rng(seed)
    groups, member_groups, level_of = _groups_and_seats(members)
    member_cells = _member_records(member_groups, level_of, groups, rng)
    activity_cells = _activity_records(member_cells, level_of, rows, rng)
    workbook = _workbook(groups, member_cells, activity_cells)
    # The small tabs go through the real loader so their types are the loader's own;
    # Members and Activity are typed here exactly as `_read_tab` types them.
    small = load_community(_workbook(groups, [], []))
    with python_text():
        community = replace(
            small,
            members=_typed(member_cells, _MEMBER_COLUMNS, status_default="active"),
            activity=_typed(activity_cells, ACTIVITY.headers),
        )
    return Synthetic(community, workbook)


def _groups_and_seats(members: int) -> tuple[list[dict[str, Any]], list[str], dict[str, int]]:
    groups: list[dict[str, Any]] = []
    seats: list[str] = []
    level_of: dict[str, int] = {}
    left = members
    for level, (label, share, per_group, capacity, counts) in enumerate(LEVELS, start=1):
        count = left if level == len(LEVELS) else round(members * share)
        left -= count
        number = max(1, math.ceil(count / per_group))
        for index in range(number):
            name = f"{label}-{index + 1:02d}"
            size = count // number + (1 if index < count % number else 0)
            link = f"https://chat.whatsapp.com/{label}{index + 1:02d}"
            groups.append(
                {"name": name, "level": level, "capacity": capacity, "invite_link": link, **counts}
            )
            seats += [name] * size
            level_of[name] = level
    return groups, seats, level_of


def _member_records(
    seats: list[str],
    level_of: dict[str, int],
    groups: list[dict[str, Any]],
    rng: np.random.Generator,
) -> list[dict[str, Any]]:
    n = len(seats)
    window_end = cycle_window(ANCHOR, CYCLE_DAYS, CYCLE).end
    joined_days = rng.integers(0, 730, n)
    newcomer = rng.random(n) < 0.02
    joined_days[newcomer] = rng.integers(0, 14, int(newcomer.sum()))
    core_names = [g["name"] for g in groups if g["level"] == 1]
    draw = rng.random((6, n))
    records = []
    for i, group in enumerate(seats):
        extra = ""
        if level_of[group] == 2 and draw[0, i] < 0.002:
            extra = core_names[i % len(core_names)]
        records.append(
            {
                "member_id": f"+44{7_000_000_000 + i * 7:d}",
                "name": f"Member {i + 1}",
                "group": group,
                "role": ROLES[i % len(ROLES)] if draw[1, i] < 0.002 else "",
                "joined_on": None
                if draw[2, i] < 0.01
                else window_end - timedelta(days=int(joined_days[i])),
                "motivation": MOTIVATIONS[i % len(MOTIVATIONS)] if draw[3, i] < 0.3 else "",
                "kol": draw[4, i] < 0.005,
                "locked": draw[4, i] >= 0.995,
                "extra_groups": extra,
                "status": "left" if draw[5, i] < 0.02 else "",
            }
        )
    return records


def _activity_records(
    members: list[dict[str, Any]], level_of: dict[str, int], rows: int, rng: np.random.Generator
) -> list[dict[str, Any]]:
    """Long-tailed rows: a Pareto weight per member, most rows from a few members."""
    levels = np.array([level_of[m["group"]] for m in members])
    weight = (rng.pareto(1.2, len(members)) + 0.05) * np.take(ACTIVITY_BY_LEVEL, levels - 1)
    weight[rng.random(len(members)) < np.take(IDLE_SHARE, levels - 1)] = 0
    who = rng.choice(len(members), size=rows, p=weight / weight.sum())
    first = cycle_window(ANCHOR, CYCLE_DAYS, CYCLE - 1).start
    days = [first + timedelta(days=d) for d in range(2 * CYCLE_DAYS)]
    day = rng.integers(0, len(days), rows)
    messages = rng.geometric(0.25, rows)
    flood = rng.random(rows) < 0.01
    messages[flood] = rng.integers(60, 400, int(flood.sum()))
    content = (rng.random(rows) < 0.02).astype(int)
    invites = np.where(rng.random(rows) < 0.005, rng.integers(1, 3, rows), 0)
    summary = rng.random(rows) < 0.005  # hand-entered rows covering several days
    summary_days = rng.integers(1, 6, rows)
    exported = rng.random(rows) < 0.9
    records = []
    for r in range(rows):
        member = members[int(who[r])]
        records.append(
            {
                "date": days[int(day[r])],
                "member_id": member["member_id"],
                "group": member["group"] if exported[r] else "",
                "messages": int(messages[r]),
                "active_days": int(summary_days[r]) if summary[r] else None,
                "content": int(content[r]),
                "invites": int(invites[r]),
                "source": f"export {member['group']}" if exported[r] else "",
            }
        )
    return records


def _typed(
    records: list[dict[str, Any]], columns: list[str], status_default: str = ""
) -> pd.DataFrame:
    """The frame `community._read_tab` builds: one list per column, then `sheet_row`."""
    data: dict[str, list[Any]] = {name: [r.get(name) for r in records] for name in columns}
    if "date" in data:
        data["date"] = day_column(data["date"])
    if "kol" in data:
        for name in ("extra_groups", "aliases"):
            data[name] = [tuple(filter(None, [text])) for text in data[name]]
        data["status"] = [status or status_default for status in data["status"]]
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(records)))
    frame["sheet_row"] = list(range(2, len(records) + 2))
    return frame


def _workbook(
    groups: list[dict[str, Any]],
    members: list[dict[str, Any]],
    activity: list[dict[str, Any]],
) -> RawWorkbook:
    settings = {row["setting"]: row["value"] for row in starter_settings(ANCHOR)}
    setting_rows = [{"setting": key, "value": value} for key, value in settings.items()]
    member_cells = [{**m, "kol": "yes" if m["kol"] else "", "locked": m["locked"]} for m in members]
    tabs = {
        "Settings": _cells(SETTINGS.headers, setting_rows),
        "Groups": _cells(GROUPS.headers, groups),
        "Members": _cells(MEMBERS.headers, member_cells),
        "Activity": _cells(ACTIVITY.headers, activity),
        "Topics": _cells(TOPICS.headers, []),
        "Runs": _cells(RUNS.headers, []),
    }
    return RawWorkbook({name: RawTab(name, rows) for name, rows in tabs.items()})


def _cells(headers: list[str], records: list[dict[str, Any]]) -> list[list[Any]]:
    return [list(headers)] + [[record.get(name) for name in headers] for record in records]


# -- measuring ---------------------------------------------------------------------------------


def timed(function: Callable[[], object]) -> float:
    """Wall-clock seconds of one call, after a full garbage collection."""
    gc.collect()
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def best_of(functions: dict[str, Callable[[], object]], runs: int) -> dict[str, list[float]]:
    """Seconds of each run of each function, the functions taking turns so drift hits all."""
    seconds: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(runs):
        for name, function in functions.items():
            seconds[name].append(timed(function))
    return seconds


def peak_bytes(function: Callable[[], object]) -> int:
    """Peak memory traced by tracemalloc (Python and numpy allocations) during one call."""
    gc.collect()
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def floor(activity: pd.DataFrame) -> pd.DataFrame:
    """The baseline: a bare groupby-sum of the same rows."""
    return activity.groupby("member_id")[["messages", "content", "invites"]].sum()


def _runs_text(seconds: list[float]) -> str:
    shown = ", ".join(f"{s:.3f}" for s in seconds)
    return f"best {min(seconds):.3f} s  (runs: {shown})"


def _time_validation(synthetic: Synthetic) -> None:
    seconds = timed(lambda: load_community(synthetic.workbook))
    loaded = load_community(synthetic.workbook)
    for name in ("members", "activity", "groups"):
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(synthetic.community, name))
    print(f"validation  load_community: {seconds:.3f} s (one run; not part of the core)")
    print("            its members, activity and groups equal the synthetic tables")


def _time_core(community: Community, runs: int) -> None:
    settings = community.settings
    window = cycle_window(settings.cycle_anchor, settings.cycle_days, CYCLE)
    scores = score_members(
        community.members, community.activity, community.history, window, settings
    )
    seconds = best_of(
        {
            "core": lambda: plan_cycles(community, [cycle_window(ANCHOR, CYCLE_DAYS, CYCLE)]),
            "floor": lambda: floor(community.activity),
            "scoring": lambda: score_members(
                community.members, community.activity, community.history, window, settings
            ),
            "tiers": lambda: plan_cycle(
                community.members, community.groups, scores, window, settings
            ),
        },
        runs,
    )
    core_peak = peak_bytes(
        lambda: plan_cycles(community, [cycle_window(ANCHOR, CYCLE_DAYS, CYCLE)])
    )
    floor_peak = peak_bytes(lambda: floor(community.activity))
    core, bare = min(seconds["core"]), min(seconds["floor"])
    scoring, tiers = min(seconds["scoring"]), min(seconds["tiers"])
    print(f"core   plan_cycles: {_runs_text(seconds['core'])}; peak {core_peak / 2**20:.0f} MiB")
    print(
        f"       of which score_members {scoring:.3f} s, plan_cycle {tiers:.3f} s, "
        f"the rest (warnings, applying moves) {max(core - scoring - tiers, 0):.3f} s"
    )
    print(f"floor  groupby-sum: {_runs_text(seconds['floor'])}; peak {floor_peak / 2**20:.0f} MiB")
    _print_verdict(core, core / bare)


def _print_verdict(core: float, ratio: float) -> None:
    fast, close = core <= TARGET_SECONDS, ratio <= TARGET_RATIO
    print(f"ratio  core / floor: {ratio:.1f}x")
    print(
        f"verdict: targets {'MET' if fast and close else 'NOT MET'} "
        f"(core {core:.3f} s {'<=' if fast else '>'} {TARGET_SECONDS:g} s; "
        f"{ratio:.1f}x {'<=' if close else '>'} {TARGET_RATIO:g}x the floor)"
    )


def main(argv: list[str] | None = None) -> None:
    """Build the community, time validation, core and floor, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="timed runs of core and floor")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--skip-load", action="store_true", help="do not time load_community")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    synthetic = build(args.members, args.rows, args.seed)
    community = synthetic.community
    print(
        f"community: {len(community.members):,} members in {len(community.groups)} groups "
        f"(largest {community.members['group'].value_counts().max():,}), "
        f"{len(community.activity):,} activity rows; built in {time.perf_counter() - start:.1f} s"
    )
    if not args.skip_load:
        _time_validation(synthetic)
    del synthetic  # the raw cells: keep them out of the heap the timed runs use
    plans, warnings = plan_cycles(community, [cycle_window(ANCHOR, CYCLE_DAYS, CYCLE)])
    kinds = plans[0].moves["kind"].value_counts().to_dict()
    print(f"cycle {CYCLE}: moves {kinds}, {len(warnings)} warnings")
    _time_core(community, args.runs)


if __name__ == "__main__":
    main()
