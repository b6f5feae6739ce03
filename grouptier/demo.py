"""The bundled demo community: copy it somewhere writable and run its cycle."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from grouptier.backends.base import CellUpdate, ChangeSet
from grouptier.backends.xlsx import XlsxBackend
from grouptier.community import load_community
from grouptier.cycle import RunOptions, RunReport, run
from grouptier.errors import WorkbookError
from grouptier.messages import parse_language
from grouptier.sheet import SETTINGS, read_table

DEMO_NAME = "demo-community.xlsx"


def demo_workbook() -> Path:
    """The shipped demo workbook: package data when installed, `examples/` in a checkout."""
    packaged = Path(str(resources.files("grouptier"))) / "_data" / DEMO_NAME
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "examples" / DEMO_NAME


def run_demo(copy_to: Path, language: str | None = None) -> RunReport:
    """Copy the demo workbook to `copy_to` (replacing an earlier copy) and run its cycle.

    The demo pins its own "today" (the `demo_today` setting), so it shows the
    same full cycle on any date. `language` (a bundled one) is written into
    the copy's Settings first, so every message is written in it.
    """
    source = demo_workbook()
    if not source.is_file():
        raise WorkbookError(str(source), "the demo workbook is missing from this installation")
    shutil.copyfile(source, copy_to)
    backend = XlsxBackend(copy_to)
    if language is not None:
        set_language(backend, parse_language(language))
    today = load_community(backend.read()).settings.demo_today
    return run(backend, RunOptions(today=today, trigger="demo"))


def set_language(backend: XlsxBackend, language: str) -> None:
    """Write `language` as the value of the Settings row `language` (added when missing)."""
    settings = read_table(backend.read(), SETTINGS, [])
    rows = [row for row, record in settings or [] if record.get("setting") == "language"]
    if rows:
        changes = ChangeSet(cell_updates=[CellUpdate(SETTINGS.name, rows[0], "value", language)])
    else:
        changes = ChangeSet(appends={SETTINGS.name: [{"setting": "language", "value": language}]})
    with backend.lock():
        backend.write(changes)
