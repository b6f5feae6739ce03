"""`grouptier member`: one member found however named, their standing so far, their past cycles."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY, SheetBuilder
from test_cycle import save

from grouptier.backends.xlsx import XlsxBackend
from grouptier.cli import main
from grouptier.cycle import RunOptions, run
from grouptier.errors import UsageError
from grouptier.member_card import MemberCard, member_card

FIXED = datetime(2026, 10, 16, 6, 0, tzinfo=UTC)
LATER = TODAY + timedelta(days=4)  # day 5 of cycle 4 (2026-10-16 to 2026-10-30)


@pytest.fixture
def community(sheet: SheetBuilder, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """Cycle 3 processed (Dani moved up); in cycle 4 so far, Bea leads General, Caio is silent."""
    sheet.active_member("Core", score_days=3)
    sheet.member("Core")
    people = {
        "bea": sheet.member("General", name="Bea Ramos", aliases="Bea 🌸, B. Ramos"),
        "caio": sheet.member("General", name="Caio Lima"),
        "dani": sheet.member("General", name="Dani Souza"),
        "twin1": sheet.member("General", name="Ana Lima"),
        "twin2": sheet.member("General", name="Ana Lima"),
    }
    for person, member_id in people.items():  # cycle 3: all post; Dani, the most, moves up
        sheet.post(member_id, messages=3 if person == "dani" else 1)
    general = next(group for group in sheet.groups if group["name"] == "General")
    general["promote_top"] = 1
    sheet.post(people["bea"], TODAY, messages=9, content=2)  # cycle 4, so far
    path = tmp_path / "community.xlsx"
    run(save(sheet, path), RunOptions(today=TODAY), clock=lambda: FIXED)
    return path, people


def card(path: Path, who: str) -> MemberCard:
    return member_card(XlsxBackend(path), who, LATER, clock=lambda: FIXED)


@pytest.mark.parametrize(
    "who", ["+447000000003", "+44 7000 000003", "0044-7000-000003", "bea ramos", "Bea 🌸"]
)
def test_a_member_is_found_by_id_phone_name_or_alias(
    community: tuple[Path, dict[str, str]], who: str
) -> None:
    path, people = community
    assert card(path, who).member_id == people["bea"] == "+447000000003"


def test_a_name_of_two_members_or_of_nobody_is_refused_with_candidates(
    community: tuple[Path, dict[str, str]],
) -> None:
    path, people = community
    with pytest.raises(
        UsageError, match=re.escape(f"names 2 members: Ana Lima ({people['twin1']})")
    ):
        card(path, "ana lima")
    with pytest.raises(UsageError, match=r'no member is "Bea Ramoz" \(closest: Bea Ramos'):
        card(path, "Bea Ramoz")


def test_the_standing_so_far_gives_rank_lines_and_days_left(
    community: tuple[Path, dict[str, str]],
) -> None:
    path, _ = community
    bea = card(path, "Bea Ramos").standing
    assert bea is not None
    assert (bea.group, bea.rank, bea.days_left) == ("General", 1, 10)  # Oct 20 to Oct 30
    assert bea.outcome == "promote" and bea.to_promotion == 0
    caio = card(path, "Caio Lima").standing
    assert caio is not None and caio.score == 0
    assert caio.to_promotion == bea.score  # the line is Bea's score, the only one moving up
    assert caio.outcome == "demote" and caio.above_relegation == 0  # silent so far
    assert caio.note  # what kept them, in words
    dani = card(path, "Dani Souza")
    assert dani.group == "Core" and dani.standing is not None and dani.standing.group == "Core"


def test_past_cycles_come_from_the_sheet_newest_first(
    community: tuple[Path, dict[str, str]],
) -> None:
    path, _ = community
    history = card(path, "Bea Ramos").history
    assert [entry["cycle"] for entry in history] == ["3"]
    assert history[0]["group"] == "General" and history[0]["outcome"] == "stays"  # 1 point
    assert history[0]["note"]
    dani = card(path, "Dani Souza").history
    assert dani[0]["outcome"] == "promote" and "Core" in dani[0]["note"]


def test_the_member_command_prints_plain_text_when_piped(
    community: tuple[Path, dict[str, str]],
) -> None:
    path, _ = community
    result = CliRunner().invoke(main, ["member", str(path), "bea ramos", "--date", str(LATER)])
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.output  # no colours or styles outside a terminal
    assert "1st of 5 in General with" in result.output and "at the promotion line" in result.output
    assert "days left" in result.output and "cycle 3: General" in result.output
