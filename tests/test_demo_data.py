"""The demo community (examples/make_demo.py) tells the story its docstring promises.

Cycle 3 is scored here from the Activity rows with SCENARIOS.md's own arithmetic,
not with the script's helpers, so the checks fail if either side drifts.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import sys
import unicodedata
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from grouptier.community import load_community
from grouptier.cycle import plan_cycles
from grouptier.schedule import cycle_window
from grouptier.sheet import ALL_TABS, MOTIVATIONS, ROLES, RawTab, RawWorkbook

SCRIPT = Path(__file__).resolve().parents[1] / "examples" / "make_demo.py"
START, END = date(2026, 10, 1), date(2026, 10, 15)
TODAY = date(2026, 10, 16)
Row = dict[str, Any]


def load_script() -> ModuleType:
    """examples/make_demo.py as a module (examples/ is not a package)."""
    spec = importlib.util.spec_from_file_location("make_demo", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


@pytest.fixture(scope="module")
def demo() -> ModuleType:
    return load_script()


@pytest.fixture(scope="module")
def rows(demo: ModuleType) -> dict[str, list[Row]]:
    return demo.build_starter_rows()


@pytest.fixture(scope="module")
def members(rows: dict[str, list[Row]]) -> list[Row]:
    return rows["Members"]


@pytest.fixture(scope="module")
def cycle_three(rows: dict[str, list[Row]]) -> dict[str, dict[str, int]]:
    """Figures and score of every member over 1-15 October (zero when they did nothing)."""
    return figures_between(rows, START, END)


def figures_between(
    rows: dict[str, list[Row]], start: date, end: date
) -> dict[str, dict[str, int]]:
    """Per member: rows, messages, counted (cap 50 a day), days, content, invites, score."""
    figures: dict[str, dict[str, int]] = {m["member_id"]: defaultdict(int) for m in rows["Members"]}
    per_day: dict[tuple[str, date], int] = defaultdict(int)
    for row in rows["Activity"]:
        if start <= row["date"] <= end:
            per_day[row["member_id"], row["date"]] += row["messages"]
            mine = figures[row["member_id"]]
            mine["rows"] += 1
            mine["content"] += row["content"]
            mine["invites"] += row["invites"]
    for (member_id, _), messages in per_day.items():
        mine = figures[member_id]
        mine["messages"] += messages
        mine["counted"] += min(messages, 50)
        mine["days"] += 1
    for mine in figures.values():
        mine["score"] = (
            mine["counted"] + 2 * mine["days"] + 5 * mine["content"] + 3 * mine["invites"]
        )
    return figures


def is_protected(member: Row) -> bool:
    """Staff, KOL, locked, left, or joined within 15 days of the window's end."""
    newcomer = (END - member["joined_on"]).days < 15
    special = member["role"] or member["kol"] == "yes" or member["locked"] == "yes"
    return bool(special) or member["status"] == "left" or newcomer


def in_group(members: list[Row], group: str) -> list[Row]:
    """The members of `group` who have not left."""
    return [m for m in members if m["group"] == group and m["status"] != "left"]


def ranked(members: list[Row], figures: dict[str, dict[str, int]]) -> list[Row]:
    """Best first: score, active days, content, earlier join date, member id."""

    def key(member: Row) -> tuple[int, int, int, date, str]:
        mine = figures[member["member_id"]]
        return (
            -mine["score"],
            -mine["days"],
            -mine["content"],
            member["joined_on"],
            member["member_id"],
        )

    return sorted(members, key=key)


# --- the tabs -----------------------------------------------------------------------------


def test_rows_use_only_contract_tabs_and_columns(rows: dict[str, list[Row]]) -> None:
    specs = {spec.name: spec for spec in ALL_TABS}
    assert set(rows) <= set(specs)
    for tab, records in rows.items():
        for record in records:
            assert set(record) <= set(specs[tab].headers), (tab, record)


def test_rows_are_the_same_on_every_build(demo: ModuleType, rows: dict[str, list[Row]]) -> None:
    assert demo.build_starter_rows() == rows


def test_settings_pin_the_demo_cycle(rows: dict[str, list[Row]]) -> None:
    settings = {row["setting"]: row["value"] for row in rows["Settings"]}
    assert len(settings) == len(rows["Settings"])
    assert settings["cycle_anchor"] == date(2026, 9, 1)
    assert settings["cycle_days"] == 15
    assert settings["demo_today"] == TODAY
    assert settings["time_zone"] == "Europe/London"
    rules = ("weight_messages", "weight_active_days", "weight_content", "weight_invites")
    assert [settings[key] for key in rules] == [1, 2, 5, 3]
    assert settings["daily_message_cap"] == 50
    assert settings["newcomer_grace_days"] == 15
    assert settings["reward_count"] == 2
    assert (settings["kol_min_content"], settings["kol_min_invites"]) == (5, 3)


def test_groups_follow_the_playbook(rows: dict[str, list[Row]]) -> None:
    groups = {row["name"]: row for row in rows["Groups"]}
    assert list(groups) == ["Core", "General", "Retention"]
    core, general, retention = groups.values()
    assert (core["level"], core["capacity"], core["min_size"]) == (1, 60, 10)
    assert core.get("demote_bottom") is None and core["demote_max_score"] == 0
    assert core.get("promote_top") is None and core.get("promote_min_score") is None
    assert (general["level"], general["capacity"], general["min_size"]) == (2, 1024, 20)
    assert (general["promote_top"], general["promote_min_score"]) == (3, 0)
    assert (general["demote_bottom"], general["demote_max_score"]) == (10, 0)
    assert (retention["level"], retention["capacity"], retention["promote_min_score"]) == (
        3,
        1024,
        0,
    )
    assert retention.get("promote_top") is None and retention.get("demote_bottom") is None
    for group in groups.values():
        assert group["invite_link"].startswith(f"https://chat.whatsapp.com/Demo{group['name']}")


def test_member_ids_are_unique_phone_numbers_as_text(members: list[Row]) -> None:
    ids = [m["member_id"] for m in members]
    assert all(isinstance(member_id, str) for member_id in ids)
    assert all(re.fullmatch(r"\+[1-9]\d{7,14}", member_id) for member_id in ids)
    assert len(set(ids)) == len(ids) == 300
    assert len({member_id[:4] for member_id in ids}) >= 15  # many country codes


def test_names_are_unique_and_written_in_many_scripts(members: list[Row]) -> None:
    names = [m["name"] for m in members]
    assert len(set(names)) == len(names)
    scripts = {
        unicodedata.name(char).split()[0] for name in names for char in name if char.isalpha()
    }
    assert {"ARABIC", "DEVANAGARI", "CJK", "HANGUL", "CYRILLIC", "GREEK"} <= scripts
    assert any(name[0] in "=+-@" for name in names), "a name that looks like a formula"


def test_group_sizes_are_those_of_a_real_community(members: list[Row]) -> None:
    sizes = {group: len(in_group(members, group)) for group in ("Core", "General", "Retention")}
    assert 36 <= sizes["Core"] <= 45
    assert 180 <= sizes["General"] <= 220
    assert 50 <= sizes["Retention"] <= 70


def test_every_staff_role_is_held_mostly_in_core(members: list[Row]) -> None:
    staff = [m for m in members if m["role"]]
    assert {m["role"] for m in staff} == set(ROLES)
    in_core = sum(m["group"] == "Core" for m in staff)
    assert in_core > len(staff) - in_core


def test_members_include_kols_locked_leavers_and_newcomers(members: list[Row]) -> None:
    assert sum(m["kol"] == "yes" for m in members) >= 3
    assert sum(m["locked"] == "yes" for m in members) >= 2
    assert sum(m["status"] == "left" for m in members) == 2
    assert sum((TODAY - m["joined_on"]).days <= 15 for m in members) >= 3
    motivations = [m["motivation"] for m in members if m["motivation"]]
    assert set(motivations) <= set(MOTIVATIONS)
    assert len(motivations) >= 0.7 * len(members)
    assert 0 < sum(bool(m["extra_groups"]) for m in members) <= 15


def test_activity_is_one_row_per_member_and_day_while_a_member(
    rows: dict[str, list[Row]], members: list[Row]
) -> None:
    by_id = {m["member_id"]: m for m in members}
    activity = rows["Activity"]
    assert len({(row["member_id"], row["date"]) for row in activity}) == len(activity)
    for row in activity:
        member = by_id[row["member_id"]]
        assert date(2026, 9, 1) <= row["date"] <= END
        assert row["date"] >= member["joined_on"]
        assert row["active_days"] == 1 and row["messages"] >= 1
        assert re.fullmatch(r"demo export (Core|General|Retention) 2026-\d\d-\d\d", row["source"])
        if row["date"] >= START:
            assert row["group"] == member["group"]


def test_runs_show_cycles_one_and_two_done(rows: dict[str, list[Row]]) -> None:
    runs = rows["Runs"]
    assert [run["cycle"] for run in runs] == [1, 2]
    assert {(run["status"], run["trigger"]) for run in runs} == {("done", "schedule")}
    assert [run["started_at"] for run in runs] == ["2026-09-16 06:00:00", "2026-10-01 06:00:00"]
    assert [run["run_id"] for run in runs] == ["demo-0001", "demo-0002"]


def test_past_moves_leave_members_where_the_members_tab_says(
    rows: dict[str, list[Row]], members: list[Row]
) -> None:
    last_group = {}
    for move in rows["Moves"]:
        assert move["cycle"] in (1, 2)
        if move["kind"] in ("promote", "demote", "return"):
            last_group[move["member_id"]] = move["to_group"]
    by_id = {m["member_id"]: m for m in members}
    assert last_group
    for member_id, group in last_group.items():
        assert by_id[member_id]["group"] == group


def test_topics_cover_the_coming_weeks_with_staff_hosts(
    rows: dict[str, list[Row]], members: list[Row]
) -> None:
    staff_names = {m["name"] for m in members if m["role"]}
    weeks = {topic["week_of"] for topic in rows["Topics"]}
    assert weeks == {date(2026, 10, 12) + timedelta(weeks=n) for n in range(6)}
    assert {topic["group"] for topic in rows["Topics"]} == {"Core", "General"}
    assert all(topic["host"] in staff_names and topic["title"] for topic in rows["Topics"])


# --- cycle 3, scored by the rules of SCENARIOS.md ----------------------------------------


def test_three_promotions_with_a_tie_at_the_cut(
    members: list[Row], cycle_three: dict[str, dict[str, int]]
) -> None:
    general = ranked(in_group(members, "General"), cycle_three)
    third, fourth, fifth = (cycle_three[m["member_id"]] for m in general[2:5])
    assert (
        cycle_three[general[0]["member_id"]]["score"]
        > cycle_three[general[1]["member_id"]]["score"]
    )
    assert third["score"] == fourth["score"] > fifth["score"] > 0
    assert third["days"] > fourth["days"]  # the tie is decided by active days


def test_core_has_room_after_two_idle_members_move_down(
    members: list[Row], cycle_three: dict[str, dict[str, int]]
) -> None:
    core = in_group(members, "Core")
    idle = [m for m in core if cycle_three[m["member_id"]]["score"] == 0 and not is_protected(m)]
    assert len(idle) == 2
    assert len(core) - len(idle) + 3 <= 60


def test_at_least_ten_unprotected_general_members_did_nothing(
    members: list[Row], cycle_three: dict[str, dict[str, int]]
) -> None:
    general = in_group(members, "General")
    idle = [m for m in general if cycle_three[m["member_id"]]["score"] == 0]
    assert sum(not is_protected(m) for m in idle) >= 10


@pytest.mark.parametrize(
    "protection",
    [
        lambda m: m["role"] == "designer",
        lambda m: m["kol"] == "yes",
        lambda m: m["locked"] == "yes",
        lambda m: (END - m["joined_on"]).days == 9,
    ],
    ids=["designer", "kol", "locked", "newcomer"],
)
def test_protected_members_in_general_have_no_rows_in_cycle_three(
    members: list[Row], cycle_three: dict[str, dict[str, int]], protection: Any
) -> None:
    idle = [
        m
        for m in in_group(members, "General")
        if protection(m) and cycle_three[m["member_id"]]["rows"] == 0
    ]
    assert idle


def test_three_to_six_retention_members_come_back(
    members: list[Row], cycle_three: dict[str, dict[str, int]]
) -> None:
    retention = in_group(members, "Retention")
    assert 3 <= sum(cycle_three[m["member_id"]]["score"] > 0 for m in retention) <= 6


def test_rewards_go_to_two_general_content_producers_outside_the_top(
    members: list[Row], cycle_three: dict[str, dict[str, int]]
) -> None:
    below_core = [m for m in members if m["group"] != "Core" and m["status"] != "left"]
    producers = sorted(below_core, key=lambda m: -cycle_three[m["member_id"]]["content"])
    first, second, third = (cycle_three[m["member_id"]]["content"] for m in producers[:3])
    assert first > second > third
    top_three = ranked(in_group(members, "General"), cycle_three)[:3]
    for winner in producers[:2]:
        assert winner["group"] == "General" and not winner["extra_groups"]
        assert winner not in top_three


def test_exactly_one_general_member_is_suggested_as_kol(
    members: list[Row], cycle_three: dict[str, dict[str, int]]
) -> None:
    suggested = [
        m
        for m in members
        if m["kol"] != "yes"
        and m["status"] != "left"
        and cycle_three[m["member_id"]]["content"] >= 5
        and cycle_three[m["member_id"]]["invites"] >= 3
    ]
    assert len(suggested) == 1
    assert suggested[0]["group"] == "General"
    assert suggested[0] not in ranked(in_group(members, "General"), cycle_three)[:3]


def test_a_flooder_posts_400_messages_on_one_day_and_nothing_else(
    rows: dict[str, list[Row]], cycle_three: dict[str, dict[str, int]]
) -> None:
    floods = [r for r in rows["Activity"] if r["messages"] >= 400 and r["date"] >= START]
    assert len(floods) == 1 and floods[0]["group"] == "General"
    flooder = cycle_three[floods[0]["member_id"]]
    assert (flooder["rows"], flooder["counted"], flooder["score"]) == (1, 50, 52)


# --- through grouptier itself ------------------------------------------------------------


def raw_workbook(rows: dict[str, list[Row]]) -> RawWorkbook:
    """The rows as a backend would read them, every contract tab with its header row."""
    tabs = {}
    for spec in ALL_TABS:
        records = rows.get(spec.name, [])
        cells = [[record.get(name) for name in spec.headers] for record in records]
        tabs[spec.name] = RawTab(spec.name, [list(spec.headers), *cells])
    return RawWorkbook(tabs)


def test_grouptier_plays_cycle_three_as_cast(rows: dict[str, list[Row]]) -> None:
    community = load_community(raw_workbook(rows))
    [plan], _ = plan_cycles(
        community, [cycle_window(community.settings.cycle_anchor, community.settings.cycle_days, 3)]
    )
    moves = plan.moves
    kinds = moves.groupby(["kind", "from_group"]).size().to_dict()
    assert kinds == {
        ("demote", "Core"): 2,
        ("demote", "General"): 10,
        ("promote", "General"): 3,
        ("return", "Retention"): 4,
        ("reward", "General"): 2,
        ("suggest_kol", "General"): 1,
    }
    assert set(moves.loc[moves["kind"] == "reward", "to_group"]) == {"Core"}


@pytest.mark.slow
def test_the_written_workbook_is_byte_identical_and_loads(demo: ModuleType, tmp_path: Path) -> None:
    from grouptier.backends.xlsx import XlsxBackend

    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    demo.write_demo(first)
    demo.write_demo(second)
    digest = [hashlib.sha256(path.read_bytes()).hexdigest() for path in (first, second)]
    assert digest[0] == digest[1]
    community = load_community(XlsxBackend(first).read())
    assert community.settings.demo_today == TODAY
    assert len(community.members) == 300
