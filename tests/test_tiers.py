"""The worked examples of SCENARIOS.md, one test each, plus the rules' finer points."""

from __future__ import annotations

from datetime import date, timedelta

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


def test_at_most_ten_relegated_the_longest_silent_first(sheet: SheetBuilder) -> None:
    general_with_scores(sheet, [5] * 10, idle=0)
    idle = [sheet.member("General", joined_on=f"2024-{month:02d}-01") for month in range(1, 13)]
    idle += [sheet.member("General", joined_on="2025-01-01") for _ in range(28)]
    demoted = moves_of(plan(sheet), "demote")
    assert len(demoted) == 10
    assert list(demoted["member_id"]) == idle[:10]  # never active: the earliest joiners first
    assert demoted.iloc[0]["reason"] == (
        "score 0: no activity this cycle; silent since joining on 2024-01-01, the longest of "
        "the 40 quiet members of General; 10 move down each cycle; to Retention"
    )
    assert "the 2nd longest of the 40 quiet members" in demoted.iloc[1]["reason"]


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


# -- fairness (SCENARIOS.md 15-22) ------------------------------------------------------------


def imported(sheet: SheetBuilder, group: str, first: date, last: date) -> None:
    """An Imports row saying `group`'s export covered `first` to `last`."""
    sheet.imports.append(
        {"imported_at": "2026-10-16 09:00:00", "group": group, "first_day": first,
         "last_day": last, "source": "chat export General.zip"}
    )  # fmt: skip


def test_stale_export_moves_nobody_down_but_still_promotes(sheet: SheetBuilder) -> None:
    top = general_with_scores(sheet, [90, 85, 70, 60], idle=12)
    idle_core = sheet.member("Core")
    sheet.post(idle_core, WINDOW.start - timedelta(days=3), group="General")  # counted in General
    imported(sheet, "General", WINDOW.start - timedelta(days=10), WINDOW.end - timedelta(days=10))
    result = plan(sheet)
    assert moves_of(result, "demote").empty
    assert list(moves_of(result, "promote")["member_id"]) == top[:3]
    warning = (
        "General: no activity after 2026-10-05; import an export covering 2026-10-06 to "
        "2026-10-15 — nobody in General was moved down this cycle"
    )
    assert warning in result.warnings
    assert [gap.group for gap in result.gaps] == ["General"]
    board = result.leaderboard.set_index("member_id")
    assert board.loc[idle_core, "note"] == (
        "not moved down: General's activity is incomplete this cycle (no activity after 2026-10-05)"
    )


def test_an_export_within_the_slack_runs_the_cycle_as_usual(sheet: SheetBuilder) -> None:
    general_with_scores(sheet, [90], idle=3)
    imported(sheet, "General", WINDOW.start - timedelta(days=5), WINDOW.end - timedelta(days=1))
    imported(sheet, "Core", WINDOW.start, WINDOW.end)
    result = plan(sheet)
    assert len(moves_of(result, "demote")) == 3
    assert not result.gaps


def test_a_gap_inside_the_window_counts_too(sheet: SheetBuilder) -> None:
    general_with_scores(sheet, [90], idle=3)
    imported(sheet, "General", WINDOW.start, WINDOW.start + timedelta(days=4))
    imported(sheet, "General", WINDOW.start + timedelta(days=8), WINDOW.end)
    result = plan(sheet)
    assert moves_of(result, "demote").empty
    assert str(result.gaps[0]).startswith(
        "General: no activity from 2026-10-06 to 2026-10-08; import an export covering "
        "2026-10-06 to 2026-10-08"
    )


def test_joined_mid_cycle_is_never_moved_down_in_that_cycle(sheet: SheetBuilder) -> None:
    sheet.settings["newcomer_grace_days"] = 0
    sheet.active_member("Core")
    sheet.active_member("General")
    zeca = sheet.member("General", joined_on=WINDOW.start + timedelta(days=12))
    earlier = sheet.member("General", joined_on=WINDOW.start)
    result = plan(sheet)
    assert set(moves_of(result, "demote")["member_id"]) == {earlier}
    assert result.leaderboard.set_index("member_id").loc[zeca, "note"] == (
        "not moved down: newcomer (joined 2026-10-13)"
    )


def test_joined_mid_cycle_can_be_moved_down_once_grace_is_over(sheet: SheetBuilder) -> None:
    sheet.active_member("Core")
    sheet.active_member("General")
    zeca = sheet.member("General", joined_on=WINDOW.start - timedelta(days=3))  # cycle 2
    demoted = moves_of(plan(sheet), "demote").set_index("member_id")
    assert zeca in demoted.index  # a member for the whole window, 17 days before it ended
    assert "silent since joining on 2026-09-28" in demoted.loc[zeca, "reason"]


def test_back_and_straight_down_again_waits_settle_cycles(sheet: SheetBuilder) -> None:
    sheet.active_member("Core")
    sheet.active_member("General")
    marta = sheet.member("General")
    sheet.moves.append(
        {"cycle": WINDOW.cycle - 1, "member_id": marta, "from_group": "Retention",
         "to_group": "General", "kind": "return"}
    )  # fmt: skip
    result = plan(sheet)
    assert moves_of(result, "demote").empty
    assert result.leaderboard.set_index("member_id").loc[marta, "note"] == (
        "not moved down: returned last cycle; settles until the next one"
    )
    sheet.moves[0]["cycle"] = WINDOW.cycle - 2  # two cycles ago: settled
    assert list(moves_of(plan(sheet), "demote")["member_id"]) == [marta]


def test_settling_is_only_for_members_still_where_they_were_moved(sheet: SheetBuilder) -> None:
    sheet.settings["settle_cycles"] = 2
    sheet.active_member("Core")
    sheet.active_member("General")
    promoted = sheet.member("Core")
    moved_back_by_hand = sheet.member("Core")
    for member_id, to_group in ((promoted, "Core"), (moved_back_by_hand, "General")):
        sheet.moves.append(
            {"cycle": WINDOW.cycle - 1, "member_id": member_id, "from_group": "General",
             "to_group": to_group, "kind": "promote"}
        )  # fmt: skip
    result = plan(sheet)
    assert list(moves_of(result, "demote")["member_id"]) == [moved_back_by_hand]
    assert result.leaderboard.set_index("member_id").loc[promoted, "note"] == (
        "not moved down: promoted last cycle; settles until cycle 5"
    )


def test_on_holiday_until_the_pause_has_passed(sheet: SheetBuilder) -> None:
    sheet.active_member("Core")
    sheet.active_member("General")
    bruno = sheet.member("General", paused_until=WINDOW.end)
    result = plan(sheet)
    assert moves_of(result, "demote").empty
    assert result.leaderboard.set_index("member_id").loc[bruno, "note"] == (
        "not moved down: paused until 2026-10-15"
    )
    sheet.members[-1]["paused_until"] = WINDOW.end - timedelta(days=1)
    assert list(moves_of(plan(sheet), "demote")["member_id"]) == [bruno]


def test_who_goes_first_is_the_longest_silent(sheet: SheetBuilder) -> None:
    sheet.active_member("Core")
    sheet.active_member("General")
    silent_since = {}
    for days_before in (40, 5, 90, 20, 90):
        member_id = sheet.member("General")
        sheet.post(member_id, WINDOW.start - timedelta(days=days_before))
        silent_since[member_id] = days_before
    sheet.groups[1]["demote_bottom"] = 3
    demoted = moves_of(plan(sheet), "demote")
    ids = list(silent_since)
    assert list(demoted["member_id"]) == [ids[2], ids[4], ids[0]]  # ties by member id
    assert demoted.iloc[0]["reason"].startswith(
        "score 0: no activity this cycle; silent since 2026-07-03, the longest of the 5 quiet "
        "members of General; 3 move down each cycle"
    )
