"""The worked examples of SCENARIOS.md, one test each, plus the rules' finer points."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest
from conftest import WINDOW, SheetBuilder

from grouptier.cycle import plan_cycles
from grouptier.tiers import CyclePlan


def plan(sheet: SheetBuilder) -> CyclePlan:
    return plan_cycles(sheet.community(), [WINDOW])[0][0]


def moves_of(result: CyclePlan, kind: str) -> pd.DataFrame:
    return result.moves[result.moves["kind"] == kind]


def give_score(
    sheet: SheetBuilder, member_id: str, messages: int, days: int = 1, **extra: int
) -> None:
    """Spread `messages` evenly over `days` days of the window; extras land on the first day."""
    per_day, rest = divmod(messages, days)
    for offset in range(days):
        count = per_day + (1 if offset < rest else 0)
        sheet.post(
            member_id,
            WINDOW.start + timedelta(days=offset),
            messages=count,
            **(extra if offset == 0 else {}),
        )


def score_exactly(sheet: SheetBuilder, member_id: str, score: int) -> None:
    """Activity worth exactly `score` points with the default weights, under the daily cap."""
    days = -(-score // 52)
    give_score(sheet, member_id, score - 2 * days, days=days)


def general_with_scores(
    sheet: SheetBuilder, scores: list[int], idle: int, core: bool = True
) -> list[str]:
    """General members scoring exactly `scores`, `idle` silent ones, and one active core member."""
    ids = []
    for score in scores:
        member_id = sheet.member("General")
        score_exactly(sheet, member_id, score)
        ids.append(member_id)
    for _ in range(idle):
        sheet.member("General")
    if core:
        sheet.active_member("Core")
    return ids


def test_plain_promotion_moves_the_top_three_with_their_place(sheet: SheetBuilder) -> None:
    top = general_with_scores(sheet, [90, 85, 70, 60], idle=0)
    for _ in range(210):
        score_exactly(sheet, sheet.member("General"), 3)
    result = plan(sheet)
    promoted = moves_of(result, "promote")
    assert list(promoted["member_id"]) == top[:3]
    assert set(promoted["to_group"]) == {"Core"}
    assert promoted.iloc[0]["reason"].startswith(
        "1st of 214 in General: score 90 (86 messages on 2 days)"
    )
    assert promoted.iloc[1]["reason"].startswith("2nd of 214 in General: score 85")
    assert promoted.iloc[2]["reason"].startswith("3rd of 214 in General: score 70")


def test_reason_reads_like_the_design_example(sheet: SheetBuilder) -> None:
    member_id = sheet.member("General")
    give_score(sheet, member_id, 40, days=9, content=1, invites=2)
    sheet.active_member("Core")
    promoted = moves_of(plan(sheet), "promote")
    assert promoted.iloc[0]["reason"].startswith(
        "1st of 1 in General: score 69 (40 messages on 9 days, 1 content post, 2 invites)"
    )


@pytest.mark.parametrize(
    ("winner", "loser", "rule"),
    [
        ({"days": 3}, {"days": 2}, "decided by active days (3 vs 2)"),
        ({"content": 1}, {"content": 0}, "decided by content posts (1 vs 0)"),
        (
            {"joined_on": "2024-01-01"},
            {"joined_on": "2024-06-01"},
            "decided by join date (2024-01-01 vs 2024-06-01)",
        ),
        ({}, {}, "decided by member id"),
    ],
    ids=["active-days", "content", "join-date", "member-id"],
)
def test_tie_at_the_promotion_cut_names_the_rule(
    sheet: SheetBuilder, winner: dict[str, object], loser: dict[str, object], rule: str
) -> None:
    general_with_scores(sheet, [90, 85], idle=0)
    tied = []
    for spec in (winner, loser):
        days = int(spec.get("days", 1))  # type: ignore[call-overload]
        content = int(spec.get("content", 0))  # type: ignore[call-overload]
        joined = {"joined_on": spec["joined_on"]} if "joined_on" in spec else {}
        member_id = sheet.member("General", **joined)
        give_score(sheet, member_id, 40 - 2 * days - 5 * content, days=days, content=content)
        tied.append(member_id)
    promoted = moves_of(plan(sheet), "promote")
    assert tied[0] in set(promoted["member_id"]) and tied[1] not in set(promoted["member_id"])
    reason = promoted.set_index("member_id").loc[tied[0], "reason"]
    assert "tied at score 40" in reason and rule in reason


def test_full_core_blocks_promotion_and_lists_next_in_line(sheet: SheetBuilder) -> None:
    sheet.groups[0]["capacity"] = 50
    for _ in range(50):
        sheet.active_member("Core")
    general_with_scores(sheet, [90, 85, 70], idle=0, core=False)
    result = plan(sheet)
    assert moves_of(result, "promote").empty
    assert any(
        "Core is full (50/50): 3 promotions from level 2 were not made" in w
        for w in result.warnings
    )
    next_in_line = result.leaderboard[result.leaderboard["outcome"] == "next in line"]
    assert len(next_in_line) == 3


def test_inactive_core_members_make_room_first(sheet: SheetBuilder) -> None:
    sheet.groups[0]["capacity"] = 50
    for _ in range(48):
        sheet.active_member("Core")
    idle_core = [sheet.member("Core"), sheet.member("Core")]
    general_with_scores(sheet, [90, 85, 70], idle=0, core=False)
    result = plan(sheet)
    assert set(moves_of(result, "demote").query("from_group == 'Core'")["member_id"]) == set(
        idle_core
    )
    assert len(moves_of(result, "promote")) == 2


def test_only_the_inactive_are_relegated(sheet: SheetBuilder) -> None:
    general_with_scores(sheet, [5] * 208, idle=6)
    demoted = moves_of(plan(sheet), "demote")
    assert len(demoted) == 6
    assert set(demoted["to_group"]) == {"Retention"}


def test_at_most_ten_relegated_in_reverse_ranking_order(sheet: SheetBuilder) -> None:
    general_with_scores(sheet, [5] * 10, idle=0)
    idle = [sheet.member("General", joined_on=f"2024-{month:02d}-01") for month in range(1, 13)]
    idle += [sheet.member("General", joined_on="2023-01-01") for _ in range(28)]
    demoted = moves_of(plan(sheet), "demote")
    assert len(demoted) == 10
    assert list(demoted["member_id"]) == idle[:12][::-1][:10]  # latest joiners go first
    assert demoted.iloc[0]["reason"].startswith(
        "score 0, 1 of 40 members of General with no activity this cycle; moved by join date"
    )


def test_protected_members_stay_and_do_not_count_toward_the_ten(sheet: SheetBuilder) -> None:
    general_with_scores(sheet, [5] * 5, idle=0)
    protected = {
        sheet.member("General", role="designer"): "staff (designer)",
        sheet.member("General", kol="yes"): "KOL",
        sheet.member("General", locked="yes"): "locked",
        sheet.member("General", joined_on=WINDOW.end - timedelta(days=9)): "newcomer",
    }
    left = sheet.member("General", status="left")
    plain = [sheet.member("General") for _ in range(12)]
    result = plan(sheet)
    demoted = set(moves_of(result, "demote")["member_id"])
    assert len(demoted) == 10 and demoted <= set(plain)
    board = result.leaderboard.set_index("member_id")
    for member_id, why in protected.items():
        assert board.loc[member_id, "note"].startswith(f"not moved down: {why}")
    assert left not in board.index and left not in set(result.moves["member_id"])


def test_reactivated_retention_members_return(sheet: SheetBuilder) -> None:
    sheet.active_member("Core")
    back = []
    for _ in range(4):
        member_id = sheet.member("Retention")
        give_score(sheet, member_id, 7, days=3)
        back.append(member_id)
    for _ in range(26):
        sheet.member("Retention")
    returned = moves_of(plan(sheet), "return")
    assert set(returned["member_id"]) == set(back)
    assert set(returned["to_group"]) == {"General"}
    assert returned.iloc[0]["reason"] == "back in General: 7 messages on 3 days this cycle"


def test_flooding_counts_only_the_daily_cap(sheet: SheetBuilder) -> None:
    flooder = sheet.member("General")
    sheet.post(flooder, messages=300)
    sheet.post(flooder, messages=100)  # a second row of the same day
    sheet.active_member("Core")
    promoted = moves_of(plan(sheet), "promote").set_index("member_id")
    assert promoted.loc[flooder, "score"] == 52
    assert "400 messages (50 counted) on 1 day" in promoted.loc[flooder, "reason"]


def test_parallel_groups_rank_separately_and_compete_for_core_room(sheet: SheetBuilder) -> None:
    sheet.groups.insert(2, {**sheet.groups[1], "name": "General B"})
    sheet.groups[1]["name"] = "General A"
    sheet.groups[0]["capacity"] = 5
    sheet.active_member("Core")
    a_scores, b_scores = [100, 90, 80, 10], [95, 85, 75, 10]
    ids = {}
    for group, scores in (("General A", a_scores), ("General B", b_scores)):
        for score in scores:
            member_id = sheet.member(group)
            score_exactly(sheet, member_id, score)
            ids[member_id] = score
    result = plan(sheet)
    promoted = moves_of(result, "promote")
    assert sorted((ids[m] for m in promoted["member_id"]), reverse=True) == [100, 95, 90, 85]
    assert len(result.leaderboard.query("outcome == 'next in line'")) == 2


def test_returning_members_go_to_the_level_two_group_with_most_room(sheet: SheetBuilder) -> None:
    sheet.groups.insert(2, {**sheet.groups[1], "name": "General B", "capacity": 600})
    sheet.groups[1]["name"] = "General A"
    sheet.active_member("Core")
    for _ in range(3):
        sheet.active_member("General A")
    returner = sheet.member("Retention")
    give_score(sheet, returner, 3)
    returned = moves_of(plan(sheet), "return")
    assert list(returned["to_group"]) == ["General A"]  # 1021 seats free against 600
    assert "General A (the level-2 group with the most room)" in returned.iloc[0]["reason"]


def test_top_content_producers_are_rewarded_with_the_next_group_up(sheet: SheetBuilder) -> None:
    general_with_scores(sheet, [90, 85, 70], idle=0)
    producers = []
    for content in (3, 2, 1):
        member_id = sheet.member("General")
        sheet.post(member_id, content=content)
        producers.append(member_id)
    core_writer = sheet.member("Core")
    sheet.post(core_writer, content=9)
    sheet.groups[0]["invite_link"] = "https://chat.whatsapp.com/core"
    result = plan(sheet)
    rewards = moves_of(result, "reward")
    assert list(rewards["member_id"]) == producers[:2]  # the core writer has no group above
    assert set(rewards["to_group"]) == {"Core"}
    assert "https://chat.whatsapp.com/core" in rewards.iloc[0]["reason"]
    assert not set(rewards["member_id"]) & set(moves_of(result, "promote")["member_id"])


def test_kol_suggestion_changes_nothing_else(sheet: SheetBuilder) -> None:
    sheet.active_member("Core")
    candidate = sheet.member("General")
    sheet.post(candidate, content=6, invites=5)
    already = sheet.member("General", kol="yes")
    sheet.post(already, content=6, invites=5)
    result = plan(sheet)
    suggested = moves_of(result, "suggest_kol")
    assert list(suggested["member_id"]) == [candidate]
    assert suggested.iloc[0]["to_group"] == ""


def test_missing_import_means_no_demotions_and_a_warning(sheet: SheetBuilder) -> None:
    sheet.groups.insert(2, {**sheet.groups[1], "name": "General B"})
    sheet.active_member("Core")
    sheet.active_member("General")
    idle_a = [sheet.member("General") for _ in range(3)]
    for _ in range(5):
        sheet.member("General B")
    result = plan(sheet)
    assert set(moves_of(result, "demote")["member_id"]) == set(idle_a)
    assert any(
        "General B: no activity recorded this cycle — was its export imported?" in w
        for w in result.warnings
    )


def test_locked_members_are_not_promoted_either(sheet: SheetBuilder) -> None:
    sheet.active_member("Core")
    locked = sheet.member("General", locked="yes")
    give_score(sheet, locked, 50)
    assert moves_of(plan(sheet), "promote").empty


def test_capacity_of_the_group_below_limits_demotions(sheet: SheetBuilder) -> None:
    sheet.groups[2]["capacity"] = 2
    sheet.active_member("General")
    for _ in range(5):
        sheet.member("General")
    sheet.active_member("Core")
    result = plan(sheet)
    assert len(moves_of(result, "demote")) == 2
    assert any("3 demotions from General were not made" in w for w in result.warnings)
