"""A tab's column of raw cells, held as its distinct cells and one code per row.

A 1,000,000-row Activity tab holds a few dozen distinct dates and small
counts. Keeping each distinct cell once lets validation parse it once and find
every row holding a bad one with numpy, instead of a Python step per row.

Distinct means equal *and* of one Python type: `True == 1 == 1.0` in Python,
but a ticked checkbox is not the number 1, and a blank cell (None) is not NaN.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from grouptier.cells import CellValue, is_blank

# What `infer_dtype` calls a column of one Python type (blanks aside), in which no two
# distinct cells can compare equal; any other answer may mix True with 1, or 1 with 1.0.
_ONE_TYPE = frozenset(("string", "empty", "integer", "floating", "boolean", "date", "datetime"))


@dataclass(frozen=True)
class CellColumn:
    """The cells of one column: `distinct[codes[i]]` is row i's cell, as the sheet holds it."""

    codes: np.ndarray  # one index into `distinct` per row
    distinct: tuple[CellValue, ...]

    def __len__(self) -> int:
        return len(self.codes)

    def values(self) -> np.ndarray:
        """Every row's cell, as an object array."""
        by_row: np.ndarray = object_array(self.distinct)[self.codes]
        return by_row

    def take(self, positions: np.ndarray) -> CellColumn:
        """The column with only the rows at `positions`."""
        return CellColumn(self.codes[positions], self.distinct)

    def unfilled(self) -> np.ndarray:
        """True for each row whose cell is blank or an unticked checkbox (FALSE)."""
        empty = [is_blank(value) or value is False for value in self.distinct]
        by_row: np.ndarray = np.array(empty, dtype=bool)[self.codes]
        return by_row


def column_of(values: np.ndarray) -> CellColumn:
    """The `CellColumn` of an object array of cells."""
    if not len(values):
        return CellColumn(np.zeros(0, dtype=np.intp), ())
    kind = infer_dtype(values, skipna=True)
    if kind == "integer":
        whole = _as_int64(values)
        if whole is not None:  # no blanks, none too large: hashed as numbers, far faster
            codes, uniques = pd.factorize(whole)
            return CellColumn(codes, tuple(uniques.tolist()))
    codes, uniques = pd.factorize(values)  # None, NaN and the like all get code -1
    blank = codes < 0
    if kind not in _ONE_TYPE or not _only_none(values[blank]):
        return _by_type(values, codes)
    distinct = uniques.tolist()
    if blank.any():
        codes = np.where(blank, len(distinct), codes)
        distinct.append(None)
    return CellColumn(codes, tuple(distinct))


def blank_column(length: int) -> CellColumn:
    """A column of `length` blank cells: a column the tab does not have."""
    return CellColumn(np.zeros(length, dtype=np.intp), (None,))


def sheet_columns(rows: list[list[CellValue]], positions: dict[str, int]) -> dict[str, np.ndarray]:
    """Each named cell position of `rows` as an object array; None where a row is shorter."""
    count = len(rows)
    shortest = min(map(len, rows), default=0)
    columns: dict[str, np.ndarray] = {}
    for name, at in positions.items():
        cells: Iterable[CellValue]
        if at < shortest:
            cells = map(itemgetter(at), rows)
        else:
            cells = (row[at] if len(row) > at else None for row in rows)
        columns[name] = np.fromiter(cells, dtype=object, count=count)
    return columns


def _as_int64(values: np.ndarray) -> np.ndarray | None:
    """Python ints as int64, or None when a blank or a number beyond int64 is among them."""
    try:
        return values.astype(np.int64)
    except (TypeError, ValueError, OverflowError):  # None, NaN, 2**64
        return None


def _only_none(blanks: np.ndarray) -> bool:
    """True when every cell pandas took as missing is None (not NaN)."""
    nones: int = blanks.tolist().count(None)
    return nones == len(blanks)


def _by_type(values: np.ndarray, codes: np.ndarray) -> CellColumn:
    """Distinct cells told apart by type as well as value: slower, for mixed columns."""
    kinds, _ = pd.factorize(np.fromiter(map(type, values), dtype=object, count=len(values)))
    keys = (codes.astype(np.int64) + 1) * (int(kinds.max()) + 1) + kinds
    key_codes, _ = pd.factorize(keys)
    _, first = np.unique(key_codes, return_index=True)
    return CellColumn(key_codes, tuple(values[first].tolist()))


def object_array(items: tuple[Any, ...] | list[Any]) -> np.ndarray:
    """`items` as a 1-d object array, tuples kept whole rather than spread into a second axis."""
    array = np.empty(len(items), dtype=object)
    for index, item in enumerate(items):
        array[index] = item
    return array
