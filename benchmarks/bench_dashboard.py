"""Time the Dashboard of a large community: 25,000 members over 50 processed cycles.

The community is generated from a seeded RNG: a Core group, 20 General
groups and 4 Retention groups (WhatsApp's 1,024 members per group), about
300 moves a cycle, 48 cycles rolled up into History (60% of members write
each cycle) and the last 2 cycles in Activity (a fifth of the members write
on any day, one row each). It times `dashboard_table` (the figures) and the
conversion into records, best of `--repeat` rounds. Like every benchmark
here it prints figures and never fails on time.

    python benchmarks/bench_dashboard.py
    python benchmarks/bench_dashboard.py --members 50000 --cycles 100
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from grouptier.dashboard import dashboard_table
from grouptier.schedule import cycle_window
from grouptier.settings import Settings

ANCHOR = date(2024, 1, 1)


def community(members: int, cycles: int, seed: int = 7) -> dict[str, Any]:
    """Frames shaped as `load_community` gives them."""
    rng = np.random.default_rng(seed)
    names = (
        ["Core"]
        + [f"General {i + 1}" for i in range(20)]
        + [f"Retention {i + 1}" for i in range(4)]
    )
    levels = [1] + [2] * 20 + [3] * 4
    groups = pd.DataFrame({"name": names, "level": levels})
    ids = np.array([f"+44700{n:07d}" for n in range(members)], dtype=object)
    people = pd.DataFrame(
        {
            "member_id": ids,
            "group": rng.choice(names, members),
            "status": np.where(rng.random(members) < 0.03, "left", "active"),
            "joined_on": [None] * members,
        }
    )
    kinds = rng.choice(["promote", "demote", "return", "reward"], size=(cycles, 300))
    moves = pd.DataFrame(
        {
            "cycle": np.repeat(np.arange(1, cycles + 1), 300),
            "member_id": rng.choice(ids, cycles * 300),
            "kind": kinds.ravel(),
            "from_group": rng.choice(names, cycles * 300),
            "to_group": rng.choice(names, cycles * 300),
        }
    )
    rolled = []
    for cycle in range(1, cycles - 1):
        writers = rng.choice(ids, int(members * 0.6), replace=False)
        counted = rng.integers(1, 400, len(writers))
        rolled.append(
            pd.DataFrame({"cycle": cycle, "member_id": writers, "messages_counted": counted})
        )
    history = pd.concat(rolled, ignore_index=True)
    history["messages"] = history["messages_counted"]
    days = []
    for cycle in (cycles - 1, cycles):
        window = cycle_window(ANCHOR, 15, cycle)
        for offset in range(15):
            writers = rng.choice(ids, members // 5, replace=False)
            day = np.datetime64(window.start) + np.timedelta64(offset, "D")
            days.append(
                pd.DataFrame(
                    {
                        "date": np.full(len(writers), day, dtype="datetime64[ns]"),
                        "member_id": writers,
                        "messages": rng.integers(1, 80, len(writers)),
                        "active_days": np.nan,
                        "content": 0,
                        "invites": 0,
                    }
                )
            )
    activity = pd.concat(days, ignore_index=True)
    windows = [cycle_window(ANCHOR, 15, cycle) for cycle in range(1, cycles + 1)]
    return {
        "members": people,
        "groups": groups,
        "moves": moves,
        "activity": activity,
        "history": history,
        "windows": windows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=25_000)
    parser.add_argument("--cycles", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    frames = community(options.members, options.cycles)
    settings = Settings(cycle_anchor=ANCHOR)
    best_table = best_rows = float("inf")
    for _ in range(options.repeat):
        start = time.perf_counter()
        table = dashboard_table(
            frames["members"],
            frames["groups"],
            frames["moves"],
            activity=frames["activity"],
            history=frames["history"],
            windows=frames["windows"],
            settings=settings,
        )
        middle = time.perf_counter()
        rows = table.to_dict("records")
        end = time.perf_counter()
        best_table, best_rows = min(best_table, middle - start), min(best_rows, end - middle)
    print(
        f"{options.members:,} members, {options.cycles} cycles, "
        f"{len(frames['moves']):,} moves, {len(frames['history']):,} History rows, "
        f"{len(frames['activity']):,} Activity rows"
    )
    print(f"dashboard_table: {best_table * 1000:.0f} ms; as records: {best_rows * 1000:.1f} ms")
    print(f"{len(rows)} rows x {len(rows[0])} columns")


if __name__ == "__main__":
    main()
