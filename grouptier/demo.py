"""The bundled demo community: copy it somewhere writable and run its cycle."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from grouptier.backends.xlsx import XlsxBackend
from grouptier.community import load_community
from grouptier.cycle import RunOptions, RunReport, run
from grouptier.errors import WorkbookError

DEMO_NAME = "demo-community.xlsx"


def demo_workbook() -> Path:
    """The shipped demo workbook: package data when installed, `examples/` in a checkout."""
    packaged = Path(str(resources.files("grouptier"))) / "_data" / DEMO_NAME
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "examples" / DEMO_NAME


def run_demo(copy_to: Path) -> RunReport:
    """Copy the demo workbook to `copy_to` (replacing an earlier copy) and run its cycle.

    The demo pins its own "today" (the `demo_today` setting), so it shows the
    same full cycle on any date.
    """
    source = demo_workbook()
    if not source.is_file():
        raise WorkbookError(str(source), "the demo workbook is missing from this installation")
    shutil.copyfile(source, copy_to)
    backend = XlsxBackend(copy_to)
    today = load_community(backend.read()).settings.demo_today
    return run(backend, RunOptions(today=today, trigger="demo"))
