"""`grouptier init-registry`: the admin sheet's `Communities` tab as a one-tab .xlsx to upload.

The deployer opens it in Google Sheets (File > Import, or upload and open),
adds one row per community and passes the sheet's URL to
`deploy.sh --registry`. The header is bold and frozen; `run_hour` accepts
whole numbers 0-23 and `enabled` offers yes/no, so most typing mistakes are
stopped where they are made. No example row: a row is a community to run.
"""

from __future__ import annotations

from pathlib import Path

from grouptier.errors import WorkbookError
from grouptier.registry import COMMUNITIES, MAX_ROWS

__all__ = ["write_registry_template"]

_NOTES = "notes"  # a column of the manager's own: the registry ignores it
_WIDTH_FACTOR = 1.2


def write_registry_template(path: Path) -> None:
    """Create the template at `path`; refuse to replace an existing file."""
    if path.exists():
        raise WorkbookError(str(path), "already exists; choose another name or delete it first")
    # Lazy: openpyxl takes a tenth of a second to import, and only this command needs it.
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook()
    tab = book.active
    assert tab is not None
    tab.title = COMMUNITIES.name
    tab.append([*COMMUNITIES.headers, _NOTES])
    for index, column in enumerate([*COMMUNITIES.columns], start=1):
        tab.cell(1, index).font = Font(bold=True)
        tab.column_dimensions[tab.cell(1, index).column_letter].width = column.width * _WIDTH_FACTOR
    tab.cell(1, len(COMMUNITIES.columns) + 1).font = Font(bold=True)
    tab.column_dimensions["E"].width = 40
    tab.freeze_panes = "A2"
    last = MAX_ROWS + 1
    hours = DataValidation(type="whole", operator="between", formula1="0", formula2="23")
    hours.error = "A whole hour from 0 to 23, in the community's time zone."
    hours.showErrorMessage = True
    hours.add(f"C2:C{last}")
    enabled = DataValidation(type="list", formula1='"yes,no"', allow_blank=True)
    enabled.add(f"D2:D{last}")
    tab.add_data_validation(hours)
    tab.add_data_validation(enabled)
    try:
        book.save(path)
    except OSError as exc:
        raise WorkbookError(str(path), f"cannot be written ({exc.strerror})") from exc
