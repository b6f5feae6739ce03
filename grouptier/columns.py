"""Parse a whole column of cells at once, remembering each distinct value's result.

A 1,000,000-row Activity tab holds a few dozen distinct dates and small
counts, so parsing each distinct cell once keeps validation fast without a
second, vectorised set of rules beside the ones in `cells`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

import numpy as np
import pandas as pd

from grouptier.cells import CellError, CellValue

T = TypeVar("T")


def parse_column(
    values: Sequence[CellValue], parse: Callable[[CellValue], T]
) -> tuple[list[T | None], dict[int, str]]:
    """Parsed values (None where a cell failed) and the failure message by position."""
    # Keyed by type too: True == 1 in Python, but a ticked box is not the number 1.
    results: dict[tuple[type, CellValue], T | CellError] = {}
    parsed: list[T | None] = []
    errors: dict[int, str] = {}
    for position, value in enumerate(values):
        key = (value.__class__, value)
        result = results.get(key)
        if result is None and key not in results:
            result = _attempt(parse, value)
            results[key] = result
        if isinstance(result, CellError):
            errors[position] = str(result)
            parsed.append(None)
        else:
            parsed.append(result)
    return parsed, errors


def _attempt(parse: Callable[[CellValue], T], value: CellValue) -> T | CellError:
    try:
        return parse(value)
    except CellError as error:
        return error


def day_column(days: Sequence[date | None]) -> np.ndarray:
    """Calendar days as a `datetime64[D]` array, NaT where there is none.

    The rules compare and subtract a million Activity dates per cycle; as
    `datetime64` that is one vectorised step instead of a Python call per row.
    """
    # numpy converts date objects one slow call at a time: convert each distinct day once.
    codes, distinct = pd.factorize(pd.Series(days, dtype=object))
    stamps = np.array([*distinct, None], dtype="datetime64[D]")  # code -1 (no day): NaT
    by_row: np.ndarray = stamps[codes]
    return by_row
