"""How long reading and writing a big community workbook takes with the xlsx backend.

Builds a seeded synthetic workbook (10,000 members, 200,000 Activity rows) in a
temporary folder, then prints the wall time and the peak resident memory of
each step, each run in a fresh process:

- `XlsxBackend.read()` (python-calamine plus the formula scan),
- pandas.read_excel with openpyxl on the Members and Activity tabs (the baseline),
- pandas.read_excel with calamine on the same tabs (the floor a due run is held to),
- `XlsxBackend.write()` of a small change set (20 cell updates, 50 Moves rows),
- the same change set made the old writer's way, the named baseline: openpyxl loads
  every cell of every tab, changes them and saves the whole workbook again,
- a due run end to end (`cycle.run` on a copy of the file: read, validate, decide,
  write the Leaderboard, Moves, Messages, History and the Activity roll-up),
- the same due run as a user starts it, `grouptier run` in a fresh process, its
  peak memory measured by `/usr/bin/time -v` (where that exists).

The targets (issue 16) are printed beside the figures: a due run within 3x the
pandas + calamine read, at most 400 MB. Figures only; it never passes or fails on
time. Run:

    PYTHONPATH=. python benchmarks/bench_workbook_io.py [--members N] [--activity N]
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import shutil
import subprocess
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
from grouptier.cycle import RunOptions, run

GROUPS = ("Core", "General A", "General B", "Retention")
ANCHOR = date(2026, 1, 1)
RUN_DAY = date(2026, 4, 1)  # cycle 6 (2026-03-17 .. 03-31) is due; older activity rolls up


def build_workbook(path: Path, members: int, activity: int, seed: int = 7) -> None:
    """Write a synthetic workbook with the contract's tabs (write-only mode: fast, small memory)."""
    rng = random.Random(seed)
    workbook = openpyxl.Workbook(write_only=True)
    settings = workbook.create_sheet(sheet.SETTINGS.name)
    settings.append(sheet.SETTINGS.headers)
    settings.append(["cycle_days", 15, ""])
    settings.append(["cycle_anchor", ANCHOR, ""])
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
    workbook.create_sheet(sheet.TOPICS.name).append(sheet.TOPICS.headers)
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


def openpyxl_write(path: Path, changes: ChangeSet) -> None:
    """The old writer's way: load every cell with openpyxl, change some, save it all."""
    workbook = openpyxl.load_workbook(path, rich_text=True)
    for update in changes.cell_updates:
        tab = workbook[update.tab]
        headers = [str(cell.value).lower() for cell in tab[1]]
        tab.cell(update.row, headers.index(update.column) + 1, update.value)
    for name, records in changes.appends.items():
        tab = workbook[name]
        headers = [str(cell.value) for cell in tab[1]]
        for record in records:
            tab.append([record.get(header) for header in headers])
    workbook.save(path)


def due_run(path: Path) -> None:
    """A due run end to end on a copy of the workbook (the original stays for other steps)."""
    copy = path.with_name("due-run.xlsx")
    shutil.copyfile(path, copy)
    run(XlsxBackend(copy), RunOptions(today=RUN_DAY))


def cli_run(path: Path) -> tuple[float, float] | None:
    """`grouptier run` on a copy of the workbook under /usr/bin/time -v: seconds, peak MiB."""
    timer = shutil.which("time", path="/usr/bin")
    if timer is None:
        return None
    copy = path.with_name("cli-run.xlsx")
    shutil.copyfile(path, copy)
    command = [timer, "-v", sys.executable, "-m", "grouptier", "run", str(copy)]
    started = time.perf_counter()
    done = subprocess.run(
        [*command, "--date", RUN_DAY.isoformat()], capture_output=True, text=True, check=True
    )
    elapsed = time.perf_counter() - started
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return (elapsed, int(peak.group(1)) / 1024) if peak else None


def run_step(step: str, path: Path, members: int) -> tuple[float, float]:
    """Run one step in this (fresh) process: its wall time in seconds and the peak RSS in MiB."""
    tabs = [sheet.MEMBERS.name, sheet.ACTIVITY.name]
    scratch = path.with_name(f"{step}.xlsx")
    if step.startswith("write"):
        shutil.copyfile(path, scratch)  # every write step starts from the same file
    actions: dict[str, Callable[[], object]] = {
        "idle": lambda: None,
        "read": XlsxBackend(path).read,
        "pandas-openpyxl": lambda: pd.read_excel(path, tabs, engine="openpyxl"),
        "pandas-calamine": lambda: pd.read_excel(path, tabs, engine="calamine"),
        "write": lambda: XlsxBackend(scratch).write(small_change_set(members)),
        "write-openpyxl": lambda: openpyxl_write(scratch, small_change_set(members)),
        "run": lambda: due_run(path),
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
    "write-openpyxl": "baseline: openpyxl load+change+save (same)",
    "run": "due run end to end (cycle.run)",
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
        figures = {}
        with ProcessPoolExecutor(1, mp_context=get_context("spawn"), max_tasks_per_child=1) as pool:
            for step, label in STEPS.items():
                seconds, peak = pool.submit(run_step, step, path, options.members).result()
                figures[step] = seconds, peak
                print(f"{label:<44} {seconds:8.2f} s {peak:8.0f} MiB")
        cli = cli_run(path)
        if cli is not None:
            figures["cli"] = cli
            label = "grouptier run, fresh process (time -v)"
            print(f"{label:<44} {cli[0]:8.2f} s {cli[1]:8.0f} MiB")
        (run_time, run_peak), floor = (
            figures.get("cli", figures["run"]),
            figures["pandas-calamine"][0],
        )
        write, baseline = figures["write"][0], figures["write-openpyxl"][0]
        print(f"\nwrite vs the openpyxl baseline: {baseline / write:.0f}x faster")
        print(f"due run: {run_time / floor:.1f}x the pandas + calamine read (target <= 3x)")
        if "cli" in figures:
            inside = figures["run"][0] / floor
            print(f"  (cycle.run alone, without start-up and output: {inside:.1f}x)")
        megabytes = run_peak * 2**20 / 1e6
        print(f"due run peak memory: {run_peak:.0f} MiB = {megabytes:.0f} MB (target <= 400 MB)")


if __name__ == "__main__":
    main()
