"""How long validation (`load_community`) takes on a 1,000,000-row Activity tab, against HEAD.

Builds the seeded synthetic workbook of `bench_workbook_io.build_workbook`
(10,000 members, 1,000,000 Activity rows; about a minute) once and keeps it in
the temporary folder for the next run. Then prints, each step in a fresh
process:

- `XlsxBackend(path).read()` (python-calamine plus the formula scan);
- `load_community` on that `RawWorkbook`, by this tree's code (the best of
  three runs, each shown: the machine may be shared);
- the same `load_community` by the code at git HEAD, the named baseline, run
  from a worktree of HEAD in the temporary folder (`git worktree add`);
- `grouptier check` on the file, wall time and peak resident memory, by this
  tree and by HEAD (every step's peak includes the read's, about 1.3 GB:
  python-calamine's rows and their conversion).

The target (issue 16): `load_community` at most 2 s on 1,000,000 rows. Figures
only; it never passes or fails on time. Run:

    python benchmarks/bench_validation.py [--members N] [--activity N] [--baseline PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = Path(tempfile.gettempdir()) / "grouptier_bench_validation"


def cached_workbook(members: int, activity: int) -> Path:
    """The synthetic workbook, built on first use and kept in the temporary folder."""
    path = CACHE / f"workbook-{members}-{activity}.xlsx"
    if not path.exists():
        sys.path.insert(0, str(HERE))
        from bench_workbook_io import build_workbook

        CACHE.mkdir(exist_ok=True)
        partial = path.with_suffix(".part.xlsx")
        started = time.perf_counter()
        build_workbook(partial, members, activity)
        partial.rename(path)  # only a finished workbook is ever reused
        print(f"built {path} in {time.perf_counter() - started:.0f} s")
    return path


def baseline_tree(path: Path) -> Path:
    """A checkout of HEAD at `path` (a git worktree), made if it is not there yet."""
    if not (path / "grouptier").is_dir():
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(path), "HEAD"],
            check=True,
            capture_output=True,
        )
    return path


def step(name: str, path: Path, runs: int = 3) -> dict[str, Any]:
    """Run one step in this process: its best seconds, every run's, and the peak RSS in MiB."""
    from grouptier.backends.xlsx import XlsxBackend
    from grouptier.community import load_community

    started = time.perf_counter()
    workbook = XlsxBackend(str(path)).read()
    times = [time.perf_counter() - started]
    if name == "load":
        times = []
        for _ in range(runs):  # the machine may be shared: the best of a few runs
            started = time.perf_counter()
            community = load_community(workbook)
            times.append(time.perf_counter() - started)
            assert len(community.activity) > 0
            del community
    return {"seconds": min(times), "runs": times, "peak": _peak_mib()}


def check(path: Path) -> dict[str, Any]:
    """`grouptier check` on `path` in a child process: wall seconds and its peak RSS."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "grouptier", "check", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": seconds, "peak": peak, "exit": done.returncode}


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_fresh_process(what: str, path: Path, code: Path) -> dict[str, Any]:
    """Run step `what` of this script in a new interpreter importing grouptier from `code`."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run(
        [sys.executable, __file__, "--step", what, "--path", str(path)],
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"step {what} failed:\n{done.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    """Build or reuse the workbook, run each step in its own process, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--activity", type=int, default=1_000_000)
    parser.add_argument("--baseline", type=Path, default=CACHE / "baseline_head")
    parser.add_argument("--step", choices=("read", "load", "check"), help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.step:
        figures = (
            check(options.path) if options.step == "check" else step(options.step, options.path)
        )
        print(json.dumps(figures))
        return
    path = cached_workbook(options.members, options.activity)
    baseline = baseline_tree(options.baseline)
    print(f"{options.members:,} members, {options.activity:,} Activity rows: {path}")
    print(f"baseline: HEAD in {baseline}\n")
    print(f"{'step':<40} {'time':>9}   {'peak RSS':>10}")
    rows = (
        ("XlsxBackend(path).read()", "read", ROOT),
        ("load_community (this tree)", "load", ROOT),
        ("load_community (HEAD, baseline)", "load", baseline),
        ("grouptier check (this tree)", "check", ROOT),
        ("grouptier check (HEAD, baseline)", "check", baseline),
    )
    figures = {}
    for label, what, code in rows:
        figures[label] = in_fresh_process(what, path, code)
        found = figures[label]
        runs = ", ".join(f"{seconds:.2f}" for seconds in found.get("runs", ()))
        runs = f"   (runs: {runs})" if len(found.get("runs", ())) > 1 else ""
        print(f"{label:<40} {found['seconds']:8.2f} s {found['peak']:8.0f} MiB{runs}")
        if found.get("exit"):
            print(f"  (exit code {found['exit']}: the workbook did not pass the check)")
    new, old = (
        figures[f"load_community ({who})"]["seconds"] for who in ("this tree", "HEAD, baseline")
    )
    print(f"\nload_community: {old / new:.1f}x faster than HEAD (target <= 2 s: {new:.2f} s)")


if __name__ == "__main__":
    main()
