"""The ranking rule against a plain Python sort of the same members, ties and all."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from grouptier.ranking import rank_members
from grouptier.scoring import FIGURES

NO_DATE = date.max  # sorts after every join date, as the rule wants


@st.composite
def rosters(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Members with few distinct figures, so that most of them tie on everything but the id."""
    ids = draw(
        st.lists(
            # Any text a cell can hold (XML allows no NUL and no lone surrogate).
            st.text(
                st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="\0"),
                min_size=1,
            ),
            max_size=60,
            unique=True,
        )
    )
    small = st.integers(0, 2)
    members, scores = [], []
    for member_id in ids:
        joined = draw(st.one_of(st.none(), st.integers(0, 2)))
        members.append(
            {
                "member_id": member_id,
                "group": draw(st.sampled_from(["Core", "General", "General B", "Retention"])),
                "joined_on": None if joined is None else date(2026, 1, 1) + timedelta(joined),
                "status": draw(st.sampled_from(["active", "active", "left"])),
            }
        )
        figures = {name: draw(small) for name in FIGURES}
        scores.append(
            {"member_id": member_id, **figures, "score": draw(st.sampled_from([0, 1.5, 7]))}
        )
    columns = ["member_id", *FIGURES, "score"]
    return pd.DataFrame(members, columns=list(members[0]) if members else None), pd.DataFrame(
        scores, columns=columns
    )


def rule_key(member: dict[str, object], score: dict[str, object]) -> tuple[object, ...]:
    joined = member["joined_on"] or NO_DATE
    return (
        member["group"],
        -score["score"],  # type: ignore[operator]
        -score["active_days"],  # type: ignore[operator]
        -score["content"],  # type: ignore[operator]
        joined,
        member["member_id"],
    )


@settings(max_examples=200, deadline=None)
@given(rosters())
def test_the_ranking_is_the_rule_applied_by_a_plain_sort(
    roster: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    members, scores = roster
    if members.empty:
        return
    by_id = {row["member_id"]: row for row in scores.to_dict("records")}
    staying = [row for row in members.to_dict("records") if row["status"] != "left"]
    expected = sorted(staying, key=lambda row: rule_key(row, by_id[row["member_id"]]))

    ranked = rank_members(members, scores)

    assert ranked["member_id"].tolist() == [row["member_id"] for row in expected]
    for _, group in ranked.groupby("group", sort=False):
        assert group["rank"].tolist() == list(range(1, len(group) + 1))
        assert set(group["group_size"]) == {len(group)}


def test_members_without_scores_rank_with_zero() -> None:
    members = pd.DataFrame(
        {
            "member_id": ["b", "a"],
            "group": ["General", "General"],
            "joined_on": [None, None],
            "status": ["active", "active"],
        }
    )
    scores = pd.DataFrame({"member_id": ["b"], **{name: [3] for name in FIGURES}, "score": [9.0]})

    ranked = rank_members(members, scores)

    assert ranked["member_id"].tolist() == ["b", "a"]
    assert ranked.loc[1, ["score", "messages", "rows"]].tolist() == [0, 0, 0]
