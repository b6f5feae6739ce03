"""grouptier: run a WhatsApp community's ladder of groups from a spreadsheet."""

from grouptier.community import Community, load_community
from grouptier.cycle import CheckReport, RunOptions, RunReport, check, run
from grouptier.errors import (
    ChatExportError,
    GrouptierError,
    InvalidSheetError,
    Problem,
    SheetAccessError,
    SheetBusyError,
    SheetError,
    SheetLimitError,
    SheetUnavailableError,
    TemplateError,
    UnsafeWriteError,
    UsageError,
    WorkbookBusyError,
    WorkbookError,
)
from grouptier.importing import ImportOptions, ImportReport, import_chat
from grouptier.settings import Settings
from grouptier.tiers import CyclePlan, plan_cycle

__all__ = [
    "ChatExportError",
    "CheckReport",
    "Community",
    "CyclePlan",
    "GrouptierError",
    "ImportOptions",
    "ImportReport",
    "InvalidSheetError",
    "Problem",
    "RunOptions",
    "RunReport",
    "Settings",
    "SheetAccessError",
    "SheetBusyError",
    "SheetError",
    "SheetLimitError",
    "SheetUnavailableError",
    "TemplateError",
    "UnsafeWriteError",
    "UsageError",
    "WorkbookBusyError",
    "WorkbookError",
    "check",
    "import_chat",
    "load_community",
    "plan_cycle",
    "run",
]
