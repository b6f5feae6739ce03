"""grouptier: run a WhatsApp community's ladder of groups from a spreadsheet."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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
from grouptier.settings import Settings
from grouptier.tiers import CyclePlan, plan_cycle

if TYPE_CHECKING:
    from grouptier.importing import ImportOptions, ImportReport, import_chat

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

# Chat import is loaded on first use: the Cloud Function never needs it at start.
_LAZY = {
    "ImportOptions": "grouptier.importing",
    "ImportReport": "grouptier.importing",
    "import_chat": "grouptier.importing",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
