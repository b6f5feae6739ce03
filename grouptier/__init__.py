"""grouptier: run a WhatsApp community's ladder of groups from a spreadsheet."""

from grouptier.community import Community, load_community
from grouptier.cycle import CheckReport, RunOptions, RunReport, check, run
from grouptier.errors import (
    GrouptierError,
    InvalidSheetError,
    Problem,
    UnsafeWriteError,
    UsageError,
    WorkbookBusyError,
    WorkbookError,
)
from grouptier.settings import Settings
from grouptier.tiers import CyclePlan, plan_cycle

__all__ = [
    "CheckReport",
    "Community",
    "CyclePlan",
    "GrouptierError",
    "InvalidSheetError",
    "Problem",
    "RunOptions",
    "RunReport",
    "Settings",
    "UnsafeWriteError",
    "UsageError",
    "WorkbookBusyError",
    "WorkbookError",
    "check",
    "load_community",
    "plan_cycle",
    "run",
]
