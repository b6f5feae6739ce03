"""A column kept as distinct cells and codes gives back every cell, of its own type."""

from __future__ import annotations

import math
from datetime import date, datetime

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from grouptier.cells import CellErrorValue, CellValue, FormulaWithoutValue
from grouptier.sheet import ACTIVITY, RawTab, RawWorkbook, read_table
from grouptier.table_columns import column_of

# Cells that compare equal across types (True == 1 == 1.0, False == 0) or that pandas
# takes for one missing value (None, NaN), beside ordinary ones.
CELLS: list[object] = [
    1,
    True,
    1.0,
    0,
    False,
    0.0,
    None,
    float("nan"),
    "1",
    " ",
    "",
    2**70,
    date(2026, 1, 1),
    datetime(2026, 1, 1),
    FormulaWithoutValue("=A1"),
    CellErrorValue("#REF!"),
]


def same_cell(a: object, b: object) -> bool:
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return type(a) is type(b) and a == b


@given(st.lists(st.sampled_from(CELLS), max_size=40))
def test_every_cell_comes_back_with_its_type(cells: list[object]) -> None:
    values = np.empty(len(cells), dtype=object)
    values[:] = cells
    column = column_of(values)

    back = column.values().tolist()

    assert len(back) == len(cells)
    assert all(same_cell(a, b) for a, b in zip(cells, back, strict=True))


@given(st.lists(st.sampled_from([1, 2, 3, 2**40]), min_size=1, max_size=40))
def test_whole_numbers_come_back_as_python_ints(cells: list[int]) -> None:
    column = column_of(np.array(cells, dtype=object))

    assert column.values().tolist() == cells
    assert all(type(value) is int for value in column.distinct)


def test_a_table_skips_blank_and_unticked_rows_and_keeps_its_records() -> None:
    header: list[CellValue] = ["date", "member_id", "messages"]
    rows: list[list[CellValue]] = [
        header,
        [date(2026, 1, 1), "a", 1],
        [None, " ", False],
        [None],
        [None, None, 0],
        [None, "b", True],
    ]
    table = read_table(RawWorkbook({"Activity": RawTab("Activity", rows)}), ACTIVITY, [])

    assert table is not None
    assert table.rows.tolist() == [2, 5, 6]
    assert list(table) == [
        (2, {"date": date(2026, 1, 1), "member_id": "a", "messages": 1}),
        (5, {"date": None, "member_id": None, "messages": 0}),
        (6, {"date": None, "member_id": "b", "messages": True}),
    ]
    assert type(table.records[2]["messages"]) is bool
