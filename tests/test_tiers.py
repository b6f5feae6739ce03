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


def notes_of(result: CyclePlan) -> pd.Series:
    """Each member's Leaderboard note, by member id."""
    return result.leaderboard.set_index("member_id")["note"]


TO_CORE = "the top 3 move up to Core each cycle"
TEN_DOWN = "10 move down to Retention each cycle"


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
    assert list(promoted["reason"]) == [
        f"1st in General with 90 points (86 messages on 2 days); {TO_CORE}",
        f"2nd in General with 85 points (81 messages on 2 days); {TO_CORE}",
        f"3rd in General with 70 points (66 messages on 2 days); {TO_CORE}",
    ]
    assert notes_of(result)[top[3]] == (
        f"4th in General with 60 points; {TO_CORE}; 10 points behind Member 3 (3rd)"
    )


def test_reason_reads_like_the_design_example(sheet: SheetBuilder) -> None:
    member_id = sheet.member("General")
    give_score(sheet, member_id, 40, days=9, content=1, invites=2)
    sheet.active_member("Core")
    promoted = moves_of(plan(sheet), "promote")
    assert promoted.iloc[0]["reason"] == (
        "1st in General with 69 points (40 messages on 9 days, 1 content post, 2 invites); "
        f"{TO_CORE}"
    )


@pytest.mark.parametrize(
    ("winner", "loser", "of_loser", "of_winner"),
    [
        (
            {"days": 3},
            {"days": 2},
            "who was active on fewer days (2 vs 3)",
            "who was active on more days (3 vs 2)",
        ),
        (
            {"content": 1},
            {"content": 0},
            "who posted less content (0 vs 1)",
            "who posted more content (1 vs 0)",
        ),
        (
            {"joined_on": "2024-01-01"},
            {"joined_on": "2024-06-01"},
            "who joined on 2024-06-01, after this member (2024-01-01)",
            "who joined on 2024-01-01, before this member (2024-06-01)",
        ),
        (
            {"joined_on": "2024-01-01"},
            {"joined_on": None},
            "who has no join date",
            "who joined on 2024-01-01; this member has no join date",
        ),
        (
            {},
            {},
            "whose member id comes after (all else equal)",
            "whose member id comes first (all else equal)",
        ),
    ],
    ids=["active-days", "content", "join-date", "no-join-date", "member-id"],
)
def test_tie_at_the_promotion_cut_names_the_rule(
    sheet: SheetBuilder,
    winner: dict[str, object],
    loser: dict[str, object],
    of_loser: str,
    of_winner: str,
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
    result = plan(sheet)
    promoted = moves_of(result, "promote")
    assert tied[0] in set(promoted["member_id"]) and tied[1] not in set(promoted["member_id"])
    # The winner's own figures are shown when the reason still fits in one line.
    figures = " (38 messages on 1 day)" if of_loser == "who has no join date" else ""
    assert promoted.set_index("member_id").loc[tied[0], "reason"] == (
        f"3rd in General with 40 points{figures}; {TO_CORE}; same 40 points as Member 5 (4th), "
        f"{of_loser}"
    )
    assert notes_of(result)[tied[1]] == (
        f"4th in General with 40 points; {TO_CORE}; same 40 points as Member 4 (3rd), {of_winner}"
    )


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
    assert list(next_in_line["note"]) == [
        f"{place} in General with {score} points; next in line to move up, but Core is full (50/50)"
        for place, score in (("1st", 90), ("2nd", 85), ("3rd", 70))
    ]


def test_inactive_core_members_make_room_first(sheet: SheetBuilder) -> None:
    sheet.groups[0]["capacity"] = 50
    for _ in range(48):
        sheet.active_member("Core")
    idle_core = [sheet.member("Core"), sheet.member("Core")]
    general_with_scores(sheet, [90, 85, 70], idle=0, core=False)
    result = plan(sheet)
    down = moves_of(result, "demote").query("from_group == 'Core'")
    assert set(down["member_id"]) == set(idle_core)
    assert set(down["reason"]) == {
        "no activity in Core from 2026-10-01 to 2026-10-15 and silent since joining on "
        "2025-01-01; members at 0 points move down to General"
    }
    assert len(moves_of(result, "promote")) == 2
    notes = notes_of(result)
    assert notes[down.iloc[0]["member_id"]] == down.iloc[0]["reason"]
    assert notes.iloc[0] == "1st in Core with 3 points; members at 0 points move down to General"


def test_only_the_inactive_are_relegated(sheet: SheetBuilder) -> None:
    active = general_with_scores(sheet, [5] * 208, idle=6)
    result = plan(sheet)
    demoted = moves_of(result, "demote")
    assert len(demoted) == 6
    assert set(demoted["to_group"]) == {"Retention"}
    assert set(demoted["reason"]) == {  # all six move: the order among them decided nothing
        "no activity in General from 2026-10-01 to 2026-10-15 and silent since joining on "
        f"2025-01-01; {TEN_DOWN}"
    }
    assert notes_of(result)[active[3]] == (
        f"4th in General with 5 points; {TO_CORE}; same 5 points as Member 3 (3rd), "
        "whose member id comes first (all else equal)"
    )


def test_at_most_ten_relegated_the_longest_silent_first(sheet: SheetBuilder) -> None:
    general_with_scores(sheet, [5] * 10, idle=0)
    idle = [sheet.member("General", joined_on=f"2024-{month:02d}-01") for month in range(1, 13)]
    idle += [sheet.member("General", joined_on="2025-01-01") for _ in range(28)]
    result = plan(sheet)
    demoted = moves_of(result, "demote")
    assert len(demoted) == 10
    assert list(demoted["member_id"]) == idle[:10]  # never active: the earliest joiners first
    assert demoted.iloc[0]["reason"] == (
        "no activity in General this cycle and silent since joining on 2024-01-01, the longest "
        f"of the 40 quiet members; {TEN_DOWN}"
    )
    assert demoted.iloc[1]["reason"] == (
        "no activity in General this cycle and silent since joining on 2024-02-01, the 2nd "
        f"longest of the 40 quiet members; {TEN_DOWN}"
    )
    notes = notes_of(result)
    assert notes[idle[10]] == (
        "no activity in General this cycle and silent since joining on 2024-11-01; "
        f"{TEN_DOWN}, and 10 quiet members were silent longer"
    )
    assert notes[idle[39]] == (
        "no activity in General this cycle and silent since joining on 2025-01-01; "
        f"{TEN_DOWN}, and 39 quiet members were silent longer"
    )


def test_protected_members_stay_and_do_not_count_toward_the_ten(sheet: SheetBuilder) -> None:
    general_with_scores(sheet, [5] * 5, idle=0)
    protected = {
        sheet.member("General", role="designer"): "staff (designer)",
        sheet.member("General", kol="yes"): "KOL",
        sheet.member("General", locked="yes"): "locked by a manager",
        sheet.member(
            "General", joined_on=WINDOW.end - timedelta(days=9)
        ): "newcomer until 2026-10-20 (joined 2026-10-06)",
    }
    left = sheet.member("General", status="left")
    plain = [sheet.member("General") for _ in range(12)]
    result = plan(sheet)
    demoted = set(moves_of(result, "demote")["member_id"])
    assert len(demoted) == 10 and demoted <= set(plain)
    board = result.leaderboard.set_index("member_id")
    for member_id, why in protected.items():
        assert board.loc[member_id, "note"] == (
            f"protected: {why}; no activity in General this cycle"
        )
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
    result = plan(sheet)
    returned = moves_of(result, "return")
    assert set(returned["member_id"]) == set(back)
    assert set(returned["to_group"]) == {"General"}
    assert returned.iloc[0]["reason"] == (
        "active again: 13 points in Retention this cycle (7 messages on 3 days); members with "
        "any points come back to General"
    )
    assert set(result.leaderboard.query("outcome == 'stays' and group == 'Retention'")["note"]) == {
        "no activity in Retention this cycle; members with any points come back to General"
    }


def test_flooding_counts_only_the_daily_cap(sheet: SheetBuilder) -> None:
    flooder = sheet.member("General")
    sheet.post(flooder, messages=300)
    sheet.post(flooder, messages=100)  # a second row of the same day
    sheet.active_member("Core")
    promoted = moves_of(plan(sheet), "promote").set_index("member_id")
    assert promoted.loc[flooder, "score"] == 52
    assert promoted.loc[flooder, "reason"] == (
        f"1st in General with 52 points (400 messages (50 counted) on 1 day); {TO_CORE}"
    )


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
    assert promoted.iloc[1]["reason"] == (
        f"1st in General B with 95 points (91 messages on 2 days); {TO_CORE}"
    )
    waiting = result.leaderboard.query("outcome == 'next in line'")
    assert list(waiting["note"]) == [
        f"3rd in {group} with {score} points; next in line to move up, but Core is full (5/5)"
        for group, score in (("General A", 80), ("General B", 75))
    ]
    assert notes_of(result)[list(ids)[3]] == (
        f"4th in General A with 10 points; {TO_CORE}; 70 points behind Member 4 (3rd)"
    )


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
    assert returned.iloc[0]["reason"] == (
        "active again: 5 points in Retention this cycle (3 messages on 1 day); members with any "
        "points come back to level 2; to General A (most room)"
    )


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
    assert list(rewards["reason"]) == [
        "most content posts this cycle (3); the top 2 get access to Core and keep General; "
        "invite link https://chat.whatsapp.com/core",
        "2nd most content posts this cycle (2); the top 2 get access to Core and keep General; "
        "invite link https://chat.whatsapp.com/core",
    ]
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
    assert suggested.iloc[0]["reason"] == (
        "6 content posts and 5 invites this cycle, at or above the KOL thresholds (5 and 3); "
        "not yet a KOL: managers decide"
    )


def test_missing_import_means_no_demotions_and_a_warning(sheet: SheetBuilder) -> None:
    sheet.groups.insert(2, {**sheet.groups[1], "name": "General B"})
    sheet.active_member("Core")
    sheet.active_member("General")
    idle_a = [sheet.member("General") for _ in range(3)]
    idle_b = [sheet.member("General B") for _ in range(5)]
    result = plan(sheet)
    assert set(moves_of(result, "demote")["member_id"]) == set(idle_a)
    assert notes_of(result)[idle_b[0]] == (
        "no activity in General B this cycle; not moved down: no activity at all was recorded "
        "in General B (was its export imported?)"
    )
    assert any(
        "General B: no activity recorded this cycle — was its export imported?" in w
        for w in result.warnings
    )


def test_locked_members_are_not_promoted_either(sheet: SheetBuilder) -> None:
    sheet.active_member("Core")
    locked = sheet.member("General", locked="yes")
    give_score(sheet, locked, 50)
    result = plan(sheet)
    assert moves_of(result, "promote").empty
    assert notes_of(result)[locked] == (
        "locked by a manager: not moved up or down; 1st in General with 52 points"
    )


def test_capacity_of_the_group_below_limits_demotions(sheet: SheetBuilder) -> None:
    sheet.groups[2]["capacity"] = 2
    sheet.active_member("General")
    idle = [sheet.member("General") for _ in range(5)]
    sheet.active_member("Core")
    result = plan(sheet)
    assert len(moves_of(result, "demote")) == 2
    assert notes_of(result)[idle[4]] == (
        "no activity in General this cycle and silent since joining on 2025-01-01; would move "
        "down, but Retention is full (2/2)"
    )
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
        "protected: General's activity is incomplete this cycle (no activity after 2026-10-05); "
        "no activity in Core this cycle"
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
        "protected: newcomer: joined 2026-10-13, after this cycle began; no activity in General "
        "this cycle"
    )


def test_joined_mid_cycle_can_be_moved_down_once_grace_is_over(sheet: SheetBuilder) -> None:
    sheet.active_member("Core")
    sheet.active_member("General")
    zeca = sheet.member("General", joined_on=WINDOW.start - timedelta(days=3))  # cycle 2
    demoted = moves_of(plan(sheet), "demote").set_index("member_id")
    assert zeca in demoted.index  # a member for the whole window, 17 days before it ended
    assert demoted.loc[zeca, "reason"] == (
        "no activity in General from 2026-10-01 to 2026-10-15 and silent since joining on "
        f"2026-09-28; {TEN_DOWN}"
    )


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
        "protected: returned last cycle; settles until the next one; no activity in General "
        "this cycle"
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
        "protected: promoted last cycle; settles until cycle 5; no activity in Core this cycle"
    )


def test_on_holiday_until_the_pause_has_passed(sheet: SheetBuilder) -> None:
    sheet.active_member("Core")
    sheet.active_member("General")
    bruno = sheet.member("General", paused_until=WINDOW.end)
    result = plan(sheet)
    assert moves_of(result, "demote").empty
    assert result.leaderboard.set_index("member_id").loc[bruno, "note"] == (
        "protected: paused until 2026-10-15; no activity in General this cycle"
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
    result = plan(sheet)
    demoted = moves_of(result, "demote")
    ids = list(silent_since)
    assert list(demoted["member_id"]) == [ids[2], ids[4], ids[0]]  # ties by member id
    down = "3 move down to Retention each cycle"
    assert list(demoted["reason"]) == [
        "no activity in General from 2026-10-01 to 2026-10-15 and silent since 2026-07-03, the "
        f"{place} of the 5 quiet members; {down}"
        for place in ("longest", "2nd longest")
    ] + [
        "no activity in General from 2026-10-01 to 2026-10-15 and silent since 2026-08-22, the "
        f"3rd longest of the 5 quiet members; {down}"
    ]
    assert notes_of(result)[ids[3]] == (
        f"no activity in General this cycle and silent since 2026-09-11; {down}, and 3 quiet "
        "members were silent longer"
    )
    sheet.groups[1]["demote_bottom"] = 1  # the two silent since 2026-07-03: member id decides
    assert notes_of(plan(sheet))[ids[4]] == (
        "no activity in General this cycle and silent since 2026-07-03; 1 moves down to "
        "Retention each cycle; same silence as Member 5: member id decides"
    )
