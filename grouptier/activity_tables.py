"""The Activity and History tabs read into typed tables, each id given as typed in Members.

Both tabs say what members did: Activity one row per member, group and day
(a million rows in a big community), History one rolled-up row per member
and past cycle. An id that is a member's phone number written another way
(`+55 11 90014-2542` for `+5511900142542`) is given that member's id, so the
rules find one member under one id; an Activity id that is no member's is a
problem naming its cell.

- activity: date, member_id, group, messages, active_days, content, invites, source
            (date as datetime64: the rules work on a million of them at once)
- history:  cycle, window_end, member_id, group, messages, messages_counted,
            active_days, content, invites, rows
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import partial

import numpy as np
import pandas as pd

from grouptier.cells import (
    CellValue,
    is_blank,
    parse_count,
    parse_date,
    parse_member_id,
    parse_number,
    parse_optional_count,
    parse_text,
)
from grouptier.columns import ParsedColumn, parse_table, table_frame
from grouptier.errors import Problem
from grouptier.phones import as_member_ids
from grouptier.sheet import Table

Parser = Callable[[CellValue], object]


def read_activity(
    table: Table | None,
    parse_group: Parser,
    forms: dict[str, str] | None,
    region: str,
    problems: list[Problem],
    *,
    order: str,
) -> pd.DataFrame | None:
    """Activity rows; a member's number written another way counts for that member.

    `forms` comes from `phones.member_forms` (None when Members could not be
    read: ids are then not checked); `parse_group` checks the group cell.
    """
    parsers: dict[str, Parser] = {
        "date": partial(parse_date, order=order),
        "member_id": parse_member_id,
        "group": parse_group,
        "messages": parse_count,
        "active_days": parse_optional_count,
        "content": parse_count,
        "invites": parse_count,
        "source": parse_text,
    }
    if table is None:
        return None
    columns = parse_table(table, parsers, problems, ("date", "member_id"))
    if forms is not None:
        columns["member_id"] = _members_ids(columns["member_id"], forms, region)
        for position, member_id in _unknown_ids(columns["member_id"], set(forms.values())):
            message = f'member id "{member_id}" is not in Members'
            where = table.cell("member_id", table.rows[position])
            problems.append(Problem(table.name, where, message))
    return table_frame(table, columns, days=("date",))


def read_history(
    table: Table | None,
    forms: dict[str, str] | None,
    region: str,
    order: str,
    problems: list[Problem],
) -> pd.DataFrame | None:
    """History rows, a member's number written another way counting for that member."""
    if table is None:
        return None
    columns = parse_table(table, _history_parsers(order), problems, ())
    if forms is not None:
        columns["member_id"] = _members_ids(columns["member_id"], forms, region)
    return table_frame(table, columns)


def _history_parsers(order: str) -> dict[str, Parser]:
    return {
        "cycle": partial(parse_number, default=0),
        "window_end": partial(_window_end, order=order),
        "member_id": parse_member_id,
        "group": parse_text,
        **dict.fromkeys(
            ("messages", "messages_counted", "active_days", "content", "invites", "rows"),
            parse_count,
        ),
    }


def _window_end(value: CellValue, order: str) -> date | None:
    """The last day a rolled-up member could have been active; blank in older rows."""
    return None if is_blank(value) else parse_date(value, order)


def _members_ids(ids: ParsedColumn, forms: dict[str, str], region: str) -> ParsedColumn:
    """`ids` with a member's number written another way as the member's id (distinct ids)."""
    mapped = as_member_ids(pd.Series(list(ids.results), dtype=object), forms, region)
    return replace(ids, results=tuple(mapped.tolist()))


def _unknown_ids(ids: ParsedColumn, known: set[str]) -> list[tuple[int, str]]:
    """Each row position whose id is not blank and not in `known`, with that id."""
    unknown = [isinstance(text, str) and bool(text) and text not in known for text in ids.results]
    positions = ids.where(unknown)
    codes = ids.codes[np.asarray(positions, dtype=np.intp)].tolist()
    return [
        (position, str(ids.results[code])) for position, code in zip(positions, codes, strict=True)
    ]
