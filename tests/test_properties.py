"""What must hold for any community: hypothesis builds them, the rules must keep these promises."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
from conftest import WINDOW, SheetBuilder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_cycle import at, run_windows, save, set_setting

from grouptier.community import Community
from grouptier.cycle import RunOptions, apply_moves, plan_cycles, run
from grouptier.sheet import ROLES
from grouptier.tiers import CyclePlan

MOVING = ["promote", "demote", "return"]


@st.composite
def communities(draw: st.DrawFn) -> SheetBuilder:
    """Three levels, one or two groups on each, small capacities, members of every kind."""
    sheet = SheetBuilder()
    sheet.groups = []
    for level in (1, 2, 3):
        for suffix in "AB"[: draw(st.integers(1, 2))]:
            sheet.groups.append(
                {
                    "name": f"Level {level}{suffix}",
                    "level": level,
                    "capacity": draw(st.integers(10, 25)),
                    "promote_top": draw(st.one_of(st.none(), st.integers(0, 4))),
                    "promote_min_score": draw(st.sampled_from([0, 5])),
                    "demote_bottom": draw(st.one_of(st.none(), st.integers(0, 10))),
                    "demote_max_score": draw(st.sampled_from([0, 0, 4])),
                }
            )
    names = [group["name"] for group in sheet.groups]
    for _ in range(draw(st.integers(0, 45))):
        member_id = sheet.member(
            draw(st.sampled_from(names)),
            role=draw(st.sampled_from(["", "", "", *ROLES])),
            kol=draw(st.sampled_from(["", "", "yes"])),
            locked=draw(st.sampled_from(["", "", "yes"])),
            status=draw(st.sampled_from(["active", "active", "active", "left"])),
            joined_on=WINDOW.end - timedelta(days=draw(st.integers(0, 400))),
        )
        for _ in range(draw(st.integers(0, 3))):
            sheet.post(
                member_id,
                WINDOW.start + timedelta(days=draw(st.integers(0, 14))),
                messages=draw(st.integers(0, 80)),
                content=draw(st.integers(0, 7)),
                invites=draw(st.integers(0, 4)),
            )
    return sheet


def decide(community: Community) -> CyclePlan:
    return plan_cycles(community, [WINDOW])[0][0]


def seats(members: pd.DataFrame) -> pd.Series:
    present = members[members["status"] != "left"]
    extra = present["extra_groups"].explode().dropna()
    return pd.concat([present["group"], extra]).value_counts()


common = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@common
@given(communities())
def test_nobody_protected_is_moved_down(sheet: SheetBuilder) -> None:
    community = sheet.community()
    demoted = decide(community).moves.query("kind == 'demote'")
    members = community.members.set_index("member_id").loc[demoted["member_id"]]
    joined_recently = [(WINDOW.end - day).days < 15 for day in members["joined_on"]]
    assert not (members["role"] != "").any()
    assert not members["kol"].any() and not members["locked"].any()
    assert not any(joined_recently)
    assert not (members["status"] == "left").any()


@common
@given(communities())
def test_moves_never_overfill_a_group(sheet: SheetBuilder) -> None:
    community = sheet.community()
    plan = decide(community)
    before, after = seats(community.members), seats(apply_moves(community.members, plan.moves))
    for group in community.groups.itertuples():
        grew = after.get(group.name, 0) > before.get(group.name, 0)
        assert not grew or after.get(group.name, 0) <= group.capacity


@common
@given(communities())
def test_moves_go_one_level_and_stay_within_the_counts(sheet: SheetBuilder) -> None:
    community = sheet.community()
    groups = community.groups.set_index("name")
    moves = decide(community).moves
    moving = moves[moves["kind"].isin(MOVING)]
    steps = (
        groups.loc[moving["to_group"], "level"].to_numpy()
        - groups.loc[moving["from_group"], "level"].to_numpy()
    )
    assert all(
        step == (1 if kind == "demote" else -1)
        for step, kind in zip(steps, moving["kind"], strict=True)
    )
    assert moves["member_id"][moves["kind"].isin(MOVING)].is_unique
    for name, group in groups.iterrows():
        ups = ((moving["from_group"] == name) & (moving["kind"] != "demote")).sum()
        downs = ((moving["from_group"] == name) & (moving["kind"] == "demote")).sum()
        assert group["promote_top"] is None or ups <= group["promote_top"]
        assert group["demote_bottom"] is None or downs <= group["demote_bottom"]
    rewards = moves[moves["kind"] == "reward"]
    assert len(rewards) <= community.settings.reward_count
    assert not set(rewards["member_id"]) & set(moving["member_id"])


@common
@given(communities(), st.randoms(use_true_random=False))
def test_decisions_do_not_depend_on_row_order(sheet: SheetBuilder, random: object) -> None:
    first = decide(sheet.community()).moves
    random.shuffle(sheet.members)  # type: ignore[attr-defined]
    random.shuffle(sheet.activity)  # type: ignore[attr-defined]
    second = decide(sheet.community()).moves
    columns = ["member_id", "from_group", "to_group", "kind", "reason"]
    key = ["kind", "member_id"]
    pd.testing.assert_frame_equal(
        first[columns].sort_values(key).reset_index(drop=True),
        second[columns].sort_values(key).reset_index(drop=True),
    )


@st.composite
def communities_with_history(draw: st.DrawFn) -> SheetBuilder:
    """Communities whose groups have imports of any coverage and whose members moved lately."""
    sheet = draw(communities())
    for group in sheet.groups:
        for _ in range(draw(st.integers(0, 2))):
            first = WINDOW.start + timedelta(days=draw(st.integers(-20, 14)))
            last = first + timedelta(days=draw(st.integers(0, 30)))
            sheet.imports.append({"group": group["name"], "first_day": first, "last_day": last})
    for member in sheet.members:
        if draw(st.booleans()):
            sheet.moves.append(
                {
                    "cycle": WINDOW.cycle - draw(st.integers(1, 3)),
                    "member_id": member["member_id"],
                    "kind": draw(st.sampled_from(["promote", "return", "demote", "reward"])),
                    "to_group": member["group"],
                }
            )
    sheet.settings["settle_cycles"] = draw(st.integers(0, 2))
    return sheet


@common
@given(communities_with_history())
def test_nobody_is_moved_down_from_a_group_whose_window_is_not_covered(sheet: SheetBuilder) -> None:
    community = sheet.community()
    plan = decide(community)
    uncovered = {gap.group for gap in plan.gaps}
    demoted = plan.moves.query("kind == 'demote'")
    assert not set(demoted["from_group"]) & uncovered
    for group in {row["group"] for row in sheet.imports}:
        covered = [
            (row["first_day"], row["last_day"]) for row in sheet.imports if row["group"] == group
        ]
        days = {
            WINDOW.start + timedelta(days=n) for n in range((WINDOW.end - WINDOW.start).days + 1)
        }
        missing = {day for day in days if not any(a <= day <= b for a, b in covered)}
        assert (group in uncovered) == (len(missing) > community.settings.coverage_slack_days)


@common
@given(communities_with_history())
def test_nobody_is_moved_down_within_settle_cycles_of_a_move_up(sheet: SheetBuilder) -> None:
    community = sheet.community()
    settle = community.settings.settle_cycles
    demoted = set(decide(community).moves.query("kind == 'demote'")["member_id"])
    for move in sheet.moves:
        if move["kind"] in {"promote", "return"} and WINDOW.cycle - move["cycle"] <= settle:
            assert move["member_id"] not in demoted


# Days to the next run, then the new cycle_days and the anchor (days from that run's date), if
# the manager changed them before it.
setting_changes = st.lists(
    st.tuples(st.integers(1, 50), st.none() | st.integers(1, 30), st.none() | st.integers(-80, 40)),
    min_size=1,
    max_size=5,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 30), setting_changes)
def test_processed_windows_are_contiguous_whatever_settings_change_between_runs(
    first_days: int, changes: list[tuple[int, int | None, int | None]]
) -> None:
    today = anchor = date(2026, 3, 1)
    days = first_days
    sheet = SheetBuilder()
    sheet.settings.update(cycle_anchor=anchor, cycle_days=days, max_catch_up_cycles=1000)
    sheet.post(sheet.member("General"), anchor + timedelta(days=3))
    runs = []  # each run's date, anchor and cycle_days, and the windows it processed
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.xlsx"
        backend = save(sheet, path)
        for advance, new_days, anchor_shift in changes:
            today += timedelta(days=advance)
            if new_days is not None:
                days = new_days
                set_setting(path, "cycle_days", days)
            if anchor_shift is not None:
                anchor = today + timedelta(days=anchor_shift)
                set_setting(path, "cycle_anchor", anchor)
            before = len(run_windows(backend))
            run(backend, RunOptions(), clock=at(today))
            runs.append((today, anchor, days, run_windows(backend)[before:]))
        windows = run_windows(backend)

    assert [window.cycle for window in windows] == list(
        range(windows[0].cycle, windows[0].cycle + len(windows)) if windows else []
    )
    previous = None
    for today, anchor, days, processed in runs:
        for window in processed:
            assert window.days == days and window.end < today
            if previous is not None:
                follows = window.start == previous.end + timedelta(days=1)
                skipped_to_anchor = window.start == anchor > previous.end + timedelta(days=1)
                assert follows or skipped_to_anchor, (previous, window)
            previous = window
        if previous is not None:  # every cycle closed by this run's date was processed
            upcoming = max(previous.end + timedelta(days=1), anchor)
            assert upcoming + timedelta(days=days - 1) >= today
