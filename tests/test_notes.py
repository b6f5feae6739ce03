"""Every decision explained: reasons and notes a member would accept, on one line each."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest
from conftest import WINDOW, SheetBuilder
from hypothesis import given
from test_properties import common, communities_with_history, decide
from test_tiers import give_score, notes_of, plan, score_exactly

from grouptier.reasons import LIMIT, down_rule, name_of, points, up_rule
from grouptier.sheet import ROLES
from grouptier.tiers import CyclePlan

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# What may stand before a date, so that every date says whose or what it is.
DATE_WORDS = (
    *("since ", "joining on ", "joined on ", "joined ", "until ", "after ", "before "),
    *("from ", "to ", "this member (", "covers "),
)
COUNTER = re.compile(r"\b\d+ of \d+\b")  # `1 of 71`: a tally, not a reason


def texts_of(result: CyclePlan) -> list[str]:
    """Every reason of the Moves and every note of the Leaderboard."""
    return [*result.moves["reason"], *result.leaderboard["note"]]


def assert_readable(text: str) -> None:
    assert text.strip(), "an empty reason or note"
    assert len(text) <= LIMIT, f"{len(text)} characters: {text}"
    assert not COUNTER.search(text), text
    for found in DATE.finditer(text):
        assert text[: found.start()].endswith(DATE_WORDS), f"whose date? {text}"


@common
@given(communities_with_history())
def test_every_leaderboard_row_has_a_readable_note(sheet: SheetBuilder) -> None:
    result = decide(sheet.community())
    assert all(str(note).strip() for note in result.leaderboard["note"])
    for text in texts_of(result):
        assert_readable(text)


NAMES = ["Ana Lima", "Isabel Costa", "Nguyễn Thị Minh Khai", "محمد عبد الرحمن", "李小龙"]
NAMES += ["Maria das Graças Foster Silveira de Albuquerque", "O'Brien", "  spaced   name  "]


def large_community(seed: int) -> SheetBuilder:
    """Thousands of members of every kind over parallel groups, with long names and links."""
    rng = random.Random(seed)
    sheet = SheetBuilder()
    sheet.groups = []
    for level, names in enumerate(
        (["Founders Circle"], ["General Lisbon", "General Porto"], ["Retention", "Retention 2"]),
        start=1,
    ):
        for name in names:
            sheet.groups.append(
                {
                    "name": name,
                    "level": level,
                    "capacity": 1024 if level == 1 else rng.choice([700, 1024]),
                    "promote_top": None if level == 3 else rng.choice([None, 1, 3, 10]),
                    "promote_min_score": rng.choice([0, 0, 12.5]),
                    "demote_bottom": None if level == 1 else rng.choice([None, 1, 10]),
                    "demote_max_score": rng.choice([0, 0, 4]),
                    "invite_link": "https://chat.whatsapp.com/" + "K" * 22,
                }
            )
    sheet.settings.update(reward_count=3)
    groups = [group["name"] for group in sheet.groups]
    for number in range(2500):
        member_id = sheet.member(
            rng.choice(groups),
            name=rng.choice([*NAMES, f"Member {number}"]),
            role=rng.choice(["", "", "", "", *ROLES]),
            kol=rng.choice(["", "", "", "yes"]),
            locked=rng.choice(["", "", "", "yes"]),
            joined_on=rng.choice([None, WINDOW.end - timedelta(days=rng.randint(0, 900))]),
            paused_until=rng.choice([None, None, None, WINDOW.end + timedelta(days=3)]),
        )
        for _ in range(rng.choice([0, 0, 1, 3])):
            sheet.post(
                member_id,
                WINDOW.start + timedelta(days=rng.randint(-200, 14)),
                messages=rng.choice([0, 1, 5, 80, 400]),
                content=rng.choice([0, 0, 1, 12]),
                invites=rng.choice([0, 0, 3, 30]),
            )
    return sheet


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_reasons_and_notes_of_a_large_community_fit_on_one_line(seed: int) -> None:
    result = plan(large_community(seed))
    assert len(result.leaderboard) > 2000
    assert set(result.moves["kind"]) >= {"promote", "demote", "return", "reward"}
    for text in texts_of(result):
        assert_readable(text)


# -- the wording, piece by piece ----------------------------------------------------------------


def test_points_are_plural_when_they_should_be() -> None:
    assert [points(n) for n in (0, 1, 2, 2.5, 61)] == [
        "0 points", "1 point", "2 points", "2.5 points", "61 points",
    ]  # fmt: skip


GROUP = {"name": "General", "promote_top": 3, "promote_min_score": 0, "demote_bottom": 10}
UP = {
    "top": ({}, "promote", "the top 3 move up to Core each cycle"),
    "one": ({"promote_top": 1}, "promote", "the top member moves up to Core each cycle"),
    "bar": (
        {"promote_min_score": 5},
        "promote",
        "the top 3 above 5 points move up to Core each cycle",
    ),
    "no-limit": ({"promote_top": None}, "promote", "members with any points move up to Core"),
    "return": (
        {"promote_top": None, "promote_min_score": 1},
        "return",
        "members above 1 point come back to Core",
    ),
    "none": ({"promote_top": 0}, "promote", "nobody moves up from General (promote_top is 0)"),
}
DOWN = {
    "count": ({"demote_max_score": 0}, "10 move down to Retention each cycle"),
    "one": ({"demote_max_score": 0, "demote_bottom": 1}, "1 moves down to Retention each cycle"),
    "bar": (
        {"demote_max_score": 4},
        "the lowest 10 at or below 4 points move down to Retention each cycle",
    ),
    "one-bar": (
        {"demote_max_score": 4, "demote_bottom": 1},
        "the lowest member at or below 4 points moves down to Retention each cycle",
    ),
    "no-limit": (
        {"demote_max_score": 0, "demote_bottom": None},
        "members at 0 points move down to Retention",
    ),
    "no-limit-bar": (
        {"demote_max_score": 1, "demote_bottom": None},
        "members at or below 1 point move down to Retention",
    ),
    "none": (
        {"demote_max_score": 0, "demote_bottom": 0},
        "nobody moves down from General (demote_bottom is 0)",
    ),
}


@pytest.mark.parametrize(("changes", "kind", "rule"), UP.values(), ids=UP.keys())
def test_the_rule_up_in_words(changes: dict[str, object], kind: str, rule: str) -> None:
    assert up_rule({**GROUP, **changes}, "Core", kind) == rule


@pytest.mark.parametrize(("changes", "rule"), DOWN.values(), ids=DOWN.keys())
def test_the_rule_down_in_words(changes: dict[str, object], rule: str) -> None:
    assert down_rule({**GROUP, **changes}, "Retention") == rule


def test_another_member_is_named_by_a_short_name() -> None:
    assert name_of({"name": "  Ana   Lima ", "member_id": "+351"}) == "Ana Lima"
    assert name_of({"name": "", "member_id": "+351912"}) == "member +351912"
    long = name_of({"name": "Maria das Graças Foster Silveira", "member_id": "+1"})
    assert long == "Maria das Graças Foster…" and len(long) <= 24


# -- notes of members who stay ------------------------------------------------------------------


def test_the_core_stays_while_active_and_knows_the_bar(sheet: SheetBuilder) -> None:
    active = sheet.active_member("Core", score_days=2)
    assert notes_of(plan(sheet))[active] == (
        "1st in Core with 6 points; members at 0 points move down to General"
    )


def test_a_bar_above_zero_counts_the_lowest_and_the_tie_on_score_and_silence(
    sheet: SheetBuilder,
) -> None:
    sheet.groups[1].update(demote_max_score=4, demote_bottom=2, promote_min_score=50)
    sheet.groups[1]["promote_top"] = None
    sheet.active_member("Core")
    ids = []
    for score in (60, 40, 4, 3, 3):
        ids.append(sheet.member("General"))
        score_exactly(sheet, ids[-1], score)
    quiet = sheet.member("General")
    sheet.post(quiet, WINDOW.start - timedelta(days=30))
    result = plan(sheet)
    demoted = result.moves.query("kind == 'demote'").set_index("member_id")["reason"]
    rule = "the lowest 2 at or below 4 points move down to Retention each cycle"
    assert demoted.to_dict() == {
        quiet: f"no activity in General this cycle and silent since 2026-09-01, the only quiet "
        f"member; {rule}",
        ids[
            3
        ]: f"4th in General with 3 points, the 2nd lowest of the 4 at or below the bar; {rule}",
    }
    notes = notes_of(result)
    assert notes[ids[0]] == (
        "1st in General with 60 points (56 messages on 2 days); members above 50 points move up "
        "to Core"
    )
    assert notes[ids[1]] == "2nd in General with 40 points; members above 50 points move up to Core"
    assert notes[ids[4]] == (
        f"5th in General with 3 points; {rule}; same score and silence as Member 5: member id "
        "decides"
    )
    assert notes[ids[2]] == (
        f"3rd in General with 4 points; {rule}, and 3 others scored lower or were silent longer"
    )


def test_a_group_that_moves_nobody_down_says_so(sheet: SheetBuilder) -> None:
    sheet.groups[1]["demote_bottom"] = 0
    sheet.active_member("Core")
    sheet.active_member("General")
    idle = sheet.member("General", joined_on=date(2026, 3, 21))
    assert notes_of(plan(sheet))[idle] == (
        "no activity in General this cycle and silent since joining on 2026-03-21; nobody moves "
        "down from General (demote_bottom is 0)"
    )


def test_a_long_name_is_shortened_in_another_member_s_note(sheet: SheetBuilder) -> None:
    sheet.active_member("Core")
    ahead = sheet.member("General", name="Maria das Graças Foster Silveira de Albuquerque")
    give_score(sheet, ahead, 40, days=2)
    behind = sheet.member("General")
    give_score(sheet, behind, 19)
    sheet.groups[1]["promote_top"] = 1
    assert notes_of(plan(sheet))[behind] == (
        "2nd in General with 21 points; the top member moves up to Core each cycle; 23 points "
        "behind Maria das Graças Foster… (1st)"
    )


def test_next_in_line_names_every_full_group_of_the_level(sheet: SheetBuilder) -> None:
    sheet.groups.insert(1, {**sheet.groups[0], "name": "Core B", "capacity": 1})
    sheet.groups[0]["capacity"] = 1
    sheet.groups[2]["promote_top"] = 1
    sheet.active_member("Core")
    sheet.active_member("Core B")
    waiting = sheet.member("General")
    score_exactly(sheet, waiting, 90)
    assert notes_of(plan(sheet))[waiting] == (
        "1st in General with 90 points; next in line to move up, but no level-1 group has room "
        "(Core 1/1, Core B 1/1)"
    )


def test_several_gaps_in_the_data_keep_the_note_short(sheet: SheetBuilder) -> None:
    sheet.active_member("Core")
    quiet = sheet.member("General")
    for first, last in ((0, 2), (5, 7), (10, 14)):
        days = {
            "first_day": WINDOW.start + timedelta(first),
            "last_day": WINDOW.start + timedelta(last),
        }
        sheet.imports.append({"group": "General", "source": "export", **days})
    assert notes_of(plan(sheet))[quiet] == (
        "protected: General's activity is incomplete this cycle (4 days of it not covered by an "
        "import); no activity in General this cycle"
    )


def test_one_member_silent_longer_is_counted_in_the_singular(sheet: SheetBuilder) -> None:
    sheet.groups[1]["demote_bottom"] = 1
    sheet.active_member("Core")
    sheet.active_member("General")
    earlier, later = sheet.member("General"), sheet.member("General")
    sheet.post(earlier, WINDOW.start - timedelta(days=20))
    sheet.post(later, WINDOW.start - timedelta(days=10))
    result = plan(sheet)
    assert result.moves.query("kind == 'demote'")["member_id"].tolist() == [earlier]
    assert notes_of(result)[later] == (
        "no activity in General this cycle and silent since 2026-09-21; 1 moves down to "
        "Retention each cycle, and 1 quiet member was silent longer"
    )
