"""The Cloud Function's cold start and one HTTP-triggered cycle, on the real functions-framework.

1. Import time (`python -X importtime`, median of several fresh interpreters):
   - floor: pandas, gspread, jinja2 and functions_framework imported alone;
   - `import main`, what the function server does when the instance starts;
   - `main` plus what the first run imports (the cycle, the Google backend);
   - everything eager: also the local-workbook backend and chat import, which
     `main` used to load through the package's `__init__`s.
2. One cycle for 10,000 members: the local Sheets API fake in this process, a
   `functions-framework --target run_http` server in a subprocess, one POST
   as Cloud Scheduler sends it; the time until the answer, first request of a
   fresh server (cold: imports included) and again on a second sheet (warm).

Figures only; never pass/fail. Run from the repository root:

    python benchmarks/bench_function.py [--members 10000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from bench_sheets import ANCHOR, community
from sheets_fake import SheetsFake
from sheets_support import write_service_account_key

ROOT = Path(__file__).resolve().parent.parent

IMPORTS = {
    "floor: pandas, gspread, jinja2, functions_framework": (
        "import pandas, gspread, jinja2, functions_framework"
    ),
    "import main (instance start)": "import main",
    "main + first run's imports": (
        "import main, grouptier.service, grouptier.cycle, grouptier.backends.gsheets"
    ),
    "everything eager (xlsx backend, chat import too)": (
        "import main, grouptier.service, grouptier.cycle, grouptier.backends.gsheets, "
        "grouptier.backends.choose, grouptier.chat.importing"
    ),
}
ACCOUNT = "bench@bench.iam.gserviceaccount.com"  # the function's service account, faked


def import_ms(code: str, repeat: int) -> float:
    """Median total import time of `code` in fresh interpreters, in ms."""
    totals = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code],
            cwd=ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
        total = 0
        for line in done.stderr.splitlines():
            parts = line.split("|")
            if len(parts) == 3 and parts[1].strip().isdigit() and not parts[2].startswith("  "):
                total += int(parts[1])
        totals.append(total / 1000)
    return statistics.median(totals)


def due_now(tabs: dict[str, list[list[Any]]]) -> dict[str, list[list[Any]]]:
    """The community moved in time by whole cycles so that its cycle 3 is the latest closed."""
    today = datetime.now(UTC).date()
    closed = (today - ANCHOR).days // 15  # the latest closed cycle of 15-day cycles
    shift = timedelta(days=15 * (closed - 3))
    return {
        name: [[c + shift if isinstance(c, date) else c for c in row] for row in rows]
        for name, rows in tabs.items()
    }


def start_server(fake: SheetsFake, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    binary = Path(sys.executable).parent / "functions-framework"
    env = {
        **os.environ,
        "GOOGLE_APPLICATION_CREDENTIALS": str(
            write_service_account_key(folder / "key.json", fake, ACCOUNT)
        ),
        "GROUPTIER_SHEETS_ENDPOINT": fake.url,
    }
    process = subprocess.Popen(
        [str(binary), "--target", "run_http", "--source", "main.py",
         "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(600):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError("functions-framework did not start")


def cycle_seconds(url: str, sheet_id: str) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    answer = requests.post(
        url,
        data=json.dumps({"sheet_id": sheet_id}).encode(),
        headers={"Content-Type": "application/octet-stream", "X-CloudScheduler": "true"},
        timeout=600,
    )
    return time.perf_counter() - started, answer.json()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()

    print(f"Import time, median of {options.repeat} fresh interpreters:")
    floor = None
    for label, code in IMPORTS.items():
        ms = import_ms(code, options.repeat)
        floor = floor or ms
        print(f"  {label:<52} {ms:8.1f} ms  {ms / floor:5.2f}x floor")

    tabs = due_now(community(options.members))
    fake = SheetsFake().start()
    sheets = ["1BenchFunctionSheetCold_0123456789abc", "1BenchFunctionSheetWarm_0123456789abc"]
    for sheet_id in sheets:
        fake.create(sheet_id, tabs=())
        for name, rows in tabs.items():
            fake.load(sheet_id, name, [list(row) for row in rows])
    with tempfile.TemporaryDirectory() as folder:
        process, url = start_server(fake, Path(folder))
        try:
            print(f"\nOne HTTP-triggered cycle, {options.members:,} members:")
            for label, sheet_id in zip(("cold (first request)", "warm"), sheets, strict=True):
                seconds, summary = cycle_seconds(url, sheet_id)
                moves = sum(summary.get("moves", {}).values())
                print(f"  {label:<22} {seconds:6.2f} s  {summary['status']}, {moves} moves")
        finally:
            process.terminate()
            process.wait(timeout=10)
            fake.stop()


if __name__ == "__main__":
    main()
