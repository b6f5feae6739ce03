"""How long reading and writing a big community workbook takes with the xlsx backend.

Builds a seeded synthetic workbook (10,000 members, 200,000 Activity rows) in a
temporary folder, then prints the wall time and the peak resident memory of
each step, each run in a fresh process:

- `XlsxBackend.read()` (python-calamine plus the formula scan),
- pandas.read_excel with openpyxl on the Members and Activity tabs (the baseline),
- pandas.read_excel with calamine on the same tabs,
- `XlsxBackend.write()` of a small change set (20 cell updates, 50 Moves rows).

Figures only; it never passes or fails on time. Run:

    PYTHONPATH=. python benchmarks/bench_workbook_io.py [--members N] [--activity N]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, timedelta
from multiprocessing import get_context
from pathlib import Path

import openpyxl
import pandas as pd

from grouptier import sheet
from grouptier.backends.base import CellUpdate, ChangeSet
from grouptier.backends.xlsx import XlsxBackend
from grouptier.cells import CellValue

GROUPS = ("Core", "General A", "General B", "Retention")


def build_workbook(path: Path, members: int, activity: int, seed: int = 7) -> None:
    """Write a synthetic workbook with the contract's tabs (write-only mode: fast, small memory)."""
    rng = random.Random(seed)
    workbook = openpyxl.Workbook(write_only=True)
    settings = workbook.create_sheet(sheet.SETTINGS.name)
    settings.append(sheet.SETTINGS.headers)
    settings.append(["cycle_days", 15, ""])
    groups = workbook.create_sheet(sheet.GROUPS.name)
    groups.append(sheet.GROUPS.headers)
    for level, name in enumerate(GROUPS, start=1):
        groups.append([name, min(level, 3), 1024, 3, 10, 10, 2, 0, ""])
    ids = [f"+44791{index:07d}" for index in range(members)]
    member_tab = workbook.create_sheet(sheet.MEMBERS.name)
    member_tab.append(sheet.MEMBERS.headers)
    for member_id in ids:
        member_tab.append(_member_row(rng, member_id))
    activity_tab = workbook.create_sheet(sheet.ACTIVITY.name)
    activity_tab.append(sheet.ACTIVITY.headers)
    start = date(2026, 1, 1)
    for _ in range(activity):
        activity_tab.append(_activity_row(rng, rng.choice(ids), start))
    for spec in sheet.TOOL_TABS:
        workbook.create_sheet(spec.name).append(spec.headers)
    workbook.save(path)


def _member_row(rng: random.Random, member_id: str) -> list[CellValue]:
    return [
        member_id,
        f"Member {member_id[-4:]}",
        rng.choice(GROUPS),
        rng.choice(("", "", "", *sheet.ROLES)),
        date(2025, 1, 1) + timedelta(days=rng.randrange(400)),
        rng.choice(sheet.MOTIVATIONS),
        rng.choice(("yes", "no", "")),
        rng.choice(("", "", "yes")),
        "",
        rng.choice(sheet.STATUSES),
        "",
    ]


def _activity_row(rng: random.Random, member_id: str, start: date) -> list[CellValue]:
    return [
        start + timedelta(days=rng.randrange(90)),
        member_id,
        rng.choice(GROUPS),
        rng.randrange(60),
        rng.randrange(1, 8),
        rng.randrange(3),
        rng.randrange(2),
        "chat export 2026-03",
    ]


def small_change_set(members: int) -> ChangeSet:
    """20 group changes on Members and 50 appended Moves rows."""
    updates = [
        CellUpdate("Members", 2 + index * 37 % members, "group", "Core") for index in range(20)
    ]
    run_at = datetime(2026, 4, 1, 6, 0)
    moves: list[dict[str, CellValue]] = [
        {
            "cycle": 6,
            "run_at": run_at,
            "member_id": f"+44791{index:07d}",
            "name": f"Member {index:04d}",
            "from_group": "General A",
            "to_group": "Core",
            "kind": "promote",
            "score": 50 - index,
            "rank": index + 1,
            "reason": f"{index + 1} of 2500 in General A",
            "done": "",
        }
        for index in range(50)
    ]
    return ChangeSet(cell_updates=updates, appends={"Moves": moves})


def run_step(step: str, path: Path, members: int) -> tuple[float, float]:
    """Run one step in this (fresh) process: its wall time in seconds and the peak RSS in MiB."""
    tabs = [sheet.MEMBERS.name, sheet.ACTIVITY.name]
    actions: dict[str, Callable[[], object]] = {
        "idle": lambda: None,
        "read": XlsxBackend(path).read,
        "pandas-openpyxl": lambda: pd.read_excel(path, tabs, engine="openpyxl"),
        "pandas-calamine": lambda: pd.read_excel(path, tabs, engine="calamine"),
        "write": lambda: XlsxBackend(path).write(small_change_set(members)),
    }
    started = time.perf_counter()
    actions[step]()
    elapsed = time.perf_counter() - started
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    return elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


STEPS = {
    "idle": "python with grouptier, pandas imported",
    "read": "XlsxBackend.read()",
    "pandas-openpyxl": "pandas.read_excel(engine='openpyxl')",
    "pandas-calamine": "pandas.read_excel(engine='calamine')",
    "write": "XlsxBackend.write(20 updates + 50 moves)",
}


def main() -> None:
    """Build the workbook, run each step in its own process, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--activity", type=int, default=200_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "community.xlsx"
        started = time.perf_counter()
        build_workbook(path, options.members, options.activity)
        size = path.stat().st_size / 2**20
        versions = f"pandas {pd.__version__}, openpyxl {openpyxl.__version__}"
        print(f"python {sys.version.split()[0]}, {versions}")
        print(
            f"built {options.members:,} members + {options.activity:,} activity rows "
            f"({size:.1f} MiB) in {time.perf_counter() - started:.1f} s\n"
        )
        print(f"{'step':<44} {'time':>9}   {'peak RSS':>10}")
        # A fresh process per step, so each peak memory figure is that step's own.
        with ProcessPoolExecutor(1, mp_context=get_context("spawn"), max_tasks_per_child=1) as pool:
            for step, label in STEPS.items():
                seconds, peak = pool.submit(run_step, step, path, options.members).result()
                print(f"{label:<44} {seconds:8.2f} s {peak:8.0f} MiB")


if __name__ == "__main__":
    main()
