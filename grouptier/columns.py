"""Parse a whole column of cells at once, each distinct cell once.

A 1,000,000-row Activity tab holds a few dozen distinct dates and small
counts: the rules of `cells` run once per distinct cell of a `CellColumn`,
and numpy spreads the results, and the failures, over the rows. There is no
second, vectorised set of rules beside the ones in `cells`. `parse_table`
does this for each column of a tab, each failing cell a problem at its A1
cell, and `table_frame` makes the results a DataFrame.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from grouptier.cells import CellError, CellValue, is_blank
from grouptier.errors import Problem
from grouptier.sheet import Table
from grouptier.table_columns import CellColumn, object_array


@dataclass(frozen=True)
class ParsedColumn:
    """A column's parsed values: `results[codes[i]]` is row i's value, None where it failed."""

    codes: np.ndarray
    results: tuple[object, ...]
    messages: tuple[str | None, ...]  # why each distinct cell failed; None where it did not

    def series(self) -> pd.Series:
        """The values by row, in the dtype pandas gives a list of them (int64, str, object...)."""
        # A list of tuples would become a second axis: those stay an object array of tuples.
        values = object_array(self.results) if _has_tuples(self.results) else list(self.results)
        distinct = pd.Series(values)
        return pd.Series(distinct.array.take(self.codes), copy=False)

    def days(self) -> np.ndarray:
        """The values by row as a `datetime64[D]` array (NaT where none): for a column of dates."""
        by_row: np.ndarray = day_column(self.results)[self.codes]
        return by_row

    def where(self, chosen: Sequence[bool]) -> list[int]:
        """The row positions whose value is one of the `chosen` (a flag per distinct value)."""
        positions: list[int] = np.flatnonzero(np.asarray(chosen, dtype=bool)[self.codes]).tolist()
        return positions

    def errors(self) -> dict[int, str]:
        """The failure message by row position."""
        positions = self.where([message is not None for message in self.messages])
        codes = self.codes[np.asarray(positions, dtype=np.intp)].tolist()
        return {
            position: str(self.messages[code])
            for position, code in zip(positions, codes, strict=True)
        }


def parse_column(column: CellColumn, parse: Callable[[CellValue], object]) -> ParsedColumn:
    """Parse each distinct cell of `column` that some row holds, once."""
    used = np.flatnonzero(np.bincount(column.codes, minlength=len(column.distinct)))
    codes = column.codes
    if len(used) < len(column.distinct):
        # A cell only skipped rows held must not change the values' dtype: parse only the rest.
        renumber = np.zeros(len(column.distinct), dtype=np.intp)
        renumber[used] = np.arange(len(used))
        codes = renumber[codes]
    results: list[object] = []
    messages: list[str | None] = []
    for code in used.tolist():
        try:
            results.append(parse(column.distinct[code]))
            messages.append(None)
        except CellError as error:
            results.append(None)
            messages.append(str(error))
    return ParsedColumn(codes, tuple(results), tuple(messages))


def parse_table(
    table: Table,
    parsers: dict[str, Callable[[CellValue], object]],
    problems: list[Problem],
    required: tuple[str, ...] = (),
) -> dict[str, ParsedColumn]:
    """Each column of `table` parsed, each distinct cell once; failing cells become problems.

    A blank cell in a `required` column is a problem of its own ("date is blank").
    """
    columns: dict[str, ParsedColumn] = {}
    for name, parse in parsers.items():
        cells = table.column(name)
        columns[name] = parsed = parse_column(cells, parse)
        errors = parsed.errors()
        if name in required:
            errors.update(_blank_cells(cells, name))
        for position, message in errors.items():
            problems.append(Problem(table.name, table.cell(name, table.rows[position]), message))
    return columns


def table_frame(
    table: Table, columns: dict[str, ParsedColumn], days: tuple[str, ...] = ()
) -> pd.DataFrame:
    """The parsed columns as a DataFrame with `sheet_row`; the `days` ones as `datetime64`."""
    values = {
        name: column.days() if name in days else column.series() for name, column in columns.items()
    }
    frame = pd.DataFrame(values, index=pd.RangeIndex(len(table)))
    frame["sheet_row"] = table.rows
    return frame


def _blank_cells(cells: CellColumn, name: str) -> dict[int, str]:
    blank = np.array([is_blank(value) for value in cells.distinct], dtype=bool)
    message = f"{name.replace('_', ' ')} is blank"
    return dict.fromkeys(np.flatnonzero(blank[cells.codes]).tolist(), message)


def _has_tuples(values: Sequence[object]) -> bool:
    return any(isinstance(value, tuple) for value in values)


def day_column(days: Sequence[object]) -> np.ndarray:
    """Calendar days as a `datetime64[D]` array, NaT where there is none.

    The rules compare and subtract a million Activity dates per cycle; as
    `datetime64` that is one vectorised step instead of a Python call per row.
    """
    # numpy converts date objects one slow call at a time: convert each distinct day once.
    codes, distinct = pd.factorize(pd.Series(days, dtype=object))
    stamps = np.array([*distinct, None], dtype="datetime64[D]")  # code -1 (no day): NaT
    by_row: np.ndarray = stamps[codes]
    return by_row
