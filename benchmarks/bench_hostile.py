"""Hostile input against ordinary input of the same size: time and peak memory, per class.

Issue 13's classes, each with its worst case and an ordinary input of the
same size as the baseline. Each input is written first (not timed), then read
in a fresh child process so that its peak memory is its own (VmHWM: the
whole process, about 60 MiB of it Python, pandas and grouptier themselves):

- templates: a `Templates` override that tries to build 300 MB, rendered for
  200 newcomers, against an ordinary override of the same length;
- chat exports: three lines of 100,000 invisible marks, one 10^8-byte line
  without a line end, and a zip that would unpack to 20 times the cap, each
  against an ordinary export (or zip) of the same size;
- workbooks: a 2,100-row Activity tab with a stray value at XFD1048576,
  against the same tab without it;
- numbers: a sheet with 2,050 bad cells (weights of 1e18, counts of 10^12),
  read and reported, against the same sheet valid.

A refused input is a good outcome: the figure says how quickly and cheaply
it was refused. Like every benchmark here it never fails on its figures.

    python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import multiprocessing
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # the hostile export generators the tests use

import hostile_exports as exports  # noqa: E402

from grouptier.backends.xlsx import XlsxBackend, create_workbook  # noqa: E402
from grouptier.chat.export import read_chat  # noqa: E402
from grouptier.community import load_community  # noqa: E402
from grouptier.errors import GrouptierError, InvalidSheetError  # noqa: E402
from grouptier.messages import Override, Renderer  # noqa: E402
from grouptier.settings import starter_settings  # noqa: E402
from grouptier.starter import starter_groups  # noqa: E402

ANCHOR = date(2026, 9, 1)
NEWCOMERS = 200
ROWS = 2_100
BAD_CELLS = 2_050
HUGE_OVERRIDE = "{% set s = 'x' * 100000 %}{% for i in range(3000) %}{{ s }}{% endfor %}"

Build = Callable[[Path], Path]  # writes a case's input in a folder (not timed)
Run = Callable[[Path], str]  # reads that input as grouptier does, says how it ended


def _peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _child(run: Run, path: Path, answer: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    start = time.perf_counter()
    try:
        outcome = run(path)
    except GrouptierError as error:
        outcome = f"refused: {str(error).splitlines()[0][:70]}"
    answer.put((time.perf_counter() - start, _peak_mib(), outcome))


def measure(build: Build, run: Run) -> tuple[float, float, str]:
    """Seconds, peak MiB and outcome of `run` on what `build` wrote, in a fresh process."""
    context = multiprocessing.get_context("fork")
    answer = context.Queue()
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as folder:
        path = build(Path(folder))
        process = context.Process(target=_child, args=(run, path, answer))
        process.start()
        result = answer.get()
        process.join()
    return result  # type: ignore[no-any-return]


# --- templates --------------------------------------------------------------------------


def _override(text: str) -> Build:
    def build(folder: Path) -> Path:
        path = folder / "override.j2"
        path.write_text(text, encoding="utf-8")
        return path

    return build


def render_welcomes(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    renderer = Renderer("en", [Override("welcome", "", text, "Templates!C2")])
    for _ in range(NEWCOMERS):
        renderer.render("welcome", "General", {})
    return f"{NEWCOMERS} welcomes rendered"


# --- chat exports -----------------------------------------------------------------------


def read_export(path: Path) -> str:
    export = read_chat(path, workers=1)
    return f"{export.messages:,} messages read"


def marks(folder: Path) -> Path:
    return exports.invisible_mark_lines(folder / "marks.txt", 100_000, lines=3)


def long_line(folder: Path) -> Path:
    return exports.one_long_line(folder / "line.txt", 10**8)


def bomb(folder: Path) -> Path:
    return exports.zip_bomb(folder / "bomb.zip", 2_500_000_000)


def ordinary_like(build: Build) -> Build:
    """An ordinary export as big as what `build` writes (a stored zip for a zip)."""

    def ordinary(folder: Path) -> Path:
        hostile = build(folder)
        size = hostile.stat().st_size
        hostile.unlink()
        if hostile.suffix == ".zip":
            return exports.stored_export_zip(folder / "ordinary.zip", size)
        return exports.ordinary_export(folder / "ordinary.txt", size)

    return ordinary


# --- workbooks and numbers --------------------------------------------------------------


def workbook(folder: Path, bad: bool = False) -> Path:
    """A 2,100-row Activity tab; `bad`: 2,048 counts of 10^12 and two weights of 1e18."""
    members = [
        {"member_id": f"+4470000{n:05d}", "name": f"Member {n}", "group": "General"}
        for n in range(ROWS // 10)
    ]
    activity = [
        {
            "date": ANCHOR + timedelta(days=n % 15),
            "member_id": members[n % len(members)]["member_id"],
            "messages": 10**12 if bad and n < BAD_CELLS - 2 else 3,
        }
        for n in range(ROWS)
    ]
    settings = starter_settings(ANCHOR)
    for row in settings:
        if bad and row["setting"] in {"weight_messages", "weight_content"}:
            row["value"] = 1e18
    path = folder / "community.xlsx"
    create_workbook(path, {"Settings": settings, "Groups": starter_groups(),
                           "Members": members, "Activity": activity})  # fmt: skip
    return path


def stray_cell(folder: Path) -> Path:
    import openpyxl

    path = workbook(folder)
    book = openpyxl.load_workbook(path)
    book["Activity"]["XFD1048576"] = "stray"
    book.save(path)
    return path


def load(path: Path) -> str:
    try:
        community = load_community(XlsxBackend(path).read())
    except InvalidSheetError as error:
        return f"refused: {len(error.problems):,} problems listed, each with its cell"
    return f"{len(community.activity):,} activity rows read"


CLASSES: tuple[tuple[str, str, Build, Build, Run], ...] = (
    ("templates", "300 MB override x 200 welcomes", _override(HUGE_OVERRIDE),
     _override("Welcome! " + "x" * (len(HUGE_OVERRIDE) - 9)), render_welcomes),
    ("chat", "3 lines of 100,000 marks", marks, ordinary_like(marks), read_export),
    ("chat", "one 10^8-byte line", long_line, ordinary_like(long_line), read_export),
    ("chat", "zip of 2.5 GB unpacked", bomb, ordinary_like(bomb), read_export),
    ("workbooks", "stray value at XFD1048576", stray_cell, workbook, load),
    ("numbers", f"{BAD_CELLS:,} bad cells (1e18, 10^12)",
     lambda folder: workbook(folder, bad=True), workbook, load),
)  # fmt: skip


def main() -> None:
    """Run every class's worst case and its ordinary baseline; print the table."""
    print(f"{'class':<10} {'input':<34} {'time':>8} {'peak':>9}   outcome")
    for name, label, worst, ordinary, run in CLASSES:
        rows = ((name, label, worst), ("", "  ordinary input, same size", ordinary))
        for shown_class, shown, build in rows:
            seconds, peak, outcome = measure(build, run)
            print(f"{shown_class:<10} {shown:<34} {seconds:7.2f}s {peak:6.0f}MiB   {outcome}")


if __name__ == "__main__":
    main()
