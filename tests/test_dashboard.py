"""The Dashboard's figures on a small community counted by hand, and the tab a run writes.

The community (Core, General, Retention) after four processed cycles of 15
days from ANCHOR; members A..G, G marked `left`, F joined during cycle 3:

    now (after cycle 4)  A Core, B Core, C General, D General, E Retention, F General
    cycle 1 moves        C and E demoted General -> Retention
    cycle 2 moves        C returns Retention -> General; D promoted General -> Core but
                         moved back by hand since (so the move is not undone); D rewarded
    cycle 3 moves        B promoted General -> Core; a suggest_kol (not a move)
    cycle 4              no moves, no messages

Replayed backwards, the groups after each cycle are

    cycle 1  Core A; General B, D; Retention C, E         -> 1, 2, 2
    cycle 2  Core A; General B, C, D; Retention E         -> 1, 3, 1 (F not joined yet)
    cycle 3  Core A, B; General C, D, F; Retention E      -> 2, 3, 1
    cycle 4  the same                                     -> 2, 3, 1
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import ANCHOR, SheetBuilder
from test_cycle import save

from grouptier.community import Community
from grouptier.cycle import RunOptions, run
from grouptier.dashboard import FIXED_COLUMNS, dashboard_table, group_columns
from grouptier.schedule import Window, cycle_window

WINDOWS = [cycle_window(ANCHOR, 15, number) for number in (1, 2, 3, 4)]


def table_of(
    community: Community,
    windows: list[Window] = WINDOWS,
    *,
    moves: pd.DataFrame | None = None,
    history: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The Dashboard of `community` over `windows`; its own moves and History unless given."""
    return dashboard_table(
        community.members,
        community.groups,
        community.moves if moves is None else moves,
        activity=community.activity,
        history=community.history if history is None else history,
        windows=windows,
        settings=community.settings,
    )


GROUPS = ["Core", "General", "Retention"]


def _move(cycle: int, member_id: str, kind: str, from_group: str, to_group: str) -> dict[str, Any]:
    return {
        "cycle": cycle,
        "member_id": member_id,
        "kind": kind,
        "from_group": from_group,
        "to_group": to_group,
    }


def _community(sheet: SheetBuilder) -> tuple[Community, dict[str, str]]:
    ids = {
        "A": sheet.member("Core"),
        "B": sheet.member("Core"),
        "C": sheet.member("General"),
        "D": sheet.member("General"),
        "E": sheet.member("Retention"),
        "F": sheet.member("General", joined_on=date(2026, 10, 5)),
        "G": sheet.member("General", status="left"),
    }
    one, two, three = (window.start for window in WINDOWS[:3])
    # Cycle 1, in Activity: 10 + 5 + (3 + 3) + 1, and 4 by G, who has left since.
    for who, day, messages in (
        ("A", one, 10),
        ("B", one, 5),
        ("C", one, 3),
        ("C", one + timedelta(days=1), 3),
        ("E", one, 1),
        ("G", one, 4),
    ):
        sheet.post(ids[who], day, messages=messages)
    # Cycle 3: A writes 60 + 20 on one day (capped at 50), B 50, F 25.
    for who, messages in (("A", 60), ("A", 20), ("B", 50), ("F", 25)):
        sheet.post(ids[who], three, messages=messages)
    sheet.moves += [
        _move(1, ids["C"], "demote", "General", "Retention"),
        _move(1, ids["E"], "demote", "General", "Retention"),
        _move(2, ids["C"], "return", "Retention", "General"),
        _move(2, ids["D"], "promote", "General", "Core"),
        _move(2, ids["D"], "reward", "General", "Core"),
        _move(3, ids["B"], "promote", "General", "Core"),
        _move(3, ids["D"], "suggest_kol", "General", "General"),
    ]
    assert two == WINDOWS[1].start
    return sheet.community(), ids


def _history(ids: dict[str, str]) -> pd.DataFrame:
    """Cycle 2 rolled up into History: A 40 counted messages, D 10."""
    return pd.DataFrame(
        {
            "cycle": [2, 2],
            "member_id": [ids["A"], ids["D"]],
            "messages": [45, 10],
            "messages_counted": [40, 10],
        }
    )


@pytest.fixture
def table(sheet: SheetBuilder) -> pd.DataFrame:
    community, ids = _community(sheet)
    return table_of(community, history=_history(ids))


def test_columns_are_the_fixed_ones_then_the_groups_in_ladder_order(table: pd.DataFrame) -> None:
    assert list(table.columns) == [*FIXED_COLUMNS, *GROUPS]
    assert table["cycle"].tolist() == [1, 2, 3, 4]  # oldest first: a time series
    assert table["window_start"].tolist() == [window.start for window in WINDOWS]
    assert table["window_end"].tolist() == [window.end for window in WINDOWS]


def test_group_sizes_replay_the_moves_backwards(table: pd.DataFrame) -> None:
    sizes = table[GROUPS].to_numpy().tolist()
    assert sizes == [[1, 2, 2], [1, 3, 1], [2, 3, 1], [2, 3, 1]]


def test_moves_are_counted_by_kind_without_suggestions(table: pd.DataFrame) -> None:
    moves = table[["promote", "demote", "return", "reward"]].to_numpy().tolist()
    assert moves == [[0, 2, 0, 0], [1, 0, 1, 1], [1, 0, 0, 0], [0, 0, 0, 0]]


def test_top20_share_counts_capped_messages_of_the_most_active_fifth(table: pd.DataFrame) -> None:
    shares = table["top20_share"].tolist()
    # Cycle 1: 6 members (A..E, and G who wrote), the top 2 (A, C) wrote 10 + 6 of 26.
    assert shares[0] == round(16 / 26, 4)
    # Cycle 2, from History: 5 members, the top 1 wrote 40 of 50.
    assert shares[1] == 0.8
    # Cycle 3: A's 80 capped to 50; 6 members, the top 2 wrote 50 + 50 of 125.
    assert shares[2] == 0.8
    assert pd.isna(shares[3])  # no messages: blank


def test_returns_within_two_cycles_are_blank_until_known(table: pd.DataFrame) -> None:
    returned = table["returned_within_2"].tolist()
    assert returned[:2] == [1, 0]  # of C and E, C came back in cycle 2; nobody went down in 2
    assert pd.isna(returned[2]) and pd.isna(returned[3])


def test_a_ladder_of_two_levels_has_no_returns(sheet: SheetBuilder) -> None:
    sheet.groups = sheet.groups[:2]
    sheet.member("General")
    community = sheet.community()
    table = table_of(community)
    assert table["returned_within_2"].isna().all()
    assert list(table.columns)[-2:] == ["Core", "General"]


def test_a_group_gone_from_groups_keeps_a_column_while_it_had_members(sheet: SheetBuilder) -> None:
    community, ids = _community(sheet)
    moves = pd.concat(
        [community.moves, pd.DataFrame([_move(2, ids["A"], "promote", "Lounge", "Core")])],
        ignore_index=True,
    )
    table = table_of(community, moves=moves)
    assert list(table.columns)[-4:] == [*GROUPS, "Lounge"]
    assert table["Lounge"].tolist() == [1, 0, 0, 0]
    assert table["Core"].tolist() == [0, 1, 2, 2]


def test_a_group_named_like_a_fixed_column_gets_a_distinct_column() -> None:
    groups = pd.DataFrame({"name": ["Return", "Core"], "level": [2, 1]})
    assert group_columns(groups) == ["Core", "Return (group)"]


# --- the tab a run writes ------------------------------------------------------------------


def test_each_processed_cycle_rewrites_the_dashboard_oldest_first(
    sheet: SheetBuilder, tmp_path: Path
) -> None:
    sheet.active_member("Core", score_days=3)
    sheet.active_member("General", score_days=2)
    sheet.member("General")
    backend = save(sheet, tmp_path / "c.xlsx")
    for cycle in (2, 3):
        day = WINDOWS[cycle - 1].end + timedelta(days=1)
        assert run(backend, RunOptions(today=day)).status == "done"
    tab = backend.read().find("Dashboard")
    assert tab is not None
    header, *rows = tab.rows
    assert header[: len(FIXED_COLUMNS)] == list(FIXED_COLUMNS)
    assert header[len(FIXED_COLUMNS) :] == GROUPS
    assert [row[0] for row in rows] == [2, 3]
    assert [sum(row[len(FIXED_COLUMNS) :]) for row in rows] == [3, 3]


def test_the_most_active_fifth_of_fifteen_members_is_three(sheet: SheetBuilder) -> None:
    for _ in range(15):  # one message each: the top 3 wrote 3 of 15 (15 * 0.2 is not 3 in floats)
        sheet.active_member("General")
    community = sheet.community()
    table = table_of(community, [WINDOWS[2]])
    assert table["top20_share"].tolist() == [0.2]
