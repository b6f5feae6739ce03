"""grouptier: run a WhatsApp community's ladder of groups from a spreadsheet.

The errors are light and load at once; every other name loads on first
use, so importing one module of the package (`grouptier.chat.export` in a
chat-reading worker process, say) does not load pandas and the whole cycle
with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from grouptier.errors import (
    ChatExportError,
    GrouptierError,
    InvalidSheetError,
    Problem,
    PublishError,
    SheetAccessError,
    SheetBusyError,
    SheetError,
    SheetLimitError,
    SheetUnavailableError,
    SheetUnsureError,
    TemplateError,
    UsageError,
    WorkbookBusyError,
    WorkbookError,
)

if TYPE_CHECKING:
    from grouptier.chat.importing import ImportOptions, ImportReport, import_chat
    from grouptier.community import Community, load_community
    from grouptier.cycle import CheckReport, RunOptions, RunReport, check, run
    from grouptier.settings import Settings
    from grouptier.tiers import CyclePlan, plan_cycle

_HOMES = {
    "grouptier.community": ("Community", "load_community"),
    "grouptier.cycle": ("CheckReport", "RunOptions", "RunReport", "check", "run"),
    "grouptier.chat.importing": ("ImportOptions", "ImportReport", "import_chat"),
    "grouptier.settings": ("Settings",),
    "grouptier.tiers": ("CyclePlan", "plan_cycle"),
}
_LAZY = {name: module for module, names in _HOMES.items() for name in names}

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
    "PublishError",
    "RunOptions",
    "RunReport",
    "Settings",
    "SheetAccessError",
    "SheetBusyError",
    "SheetError",
    "SheetLimitError",
    "SheetUnavailableError",
    "SheetUnsureError",
    "TemplateError",
    "UsageError",
    "WorkbookBusyError",
    "WorkbookError",
    "check",
    "import_chat",
    "load_community",
    "plan_cycle",
    "run",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
