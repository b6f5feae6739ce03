"""What must hold for any community: hypothesis builds them, the rules must keep these promises."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
from conftest import WINDOW, SheetBuilder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grouptier.community import Community
from grouptier.cycle import apply_moves, plan_cycles
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
