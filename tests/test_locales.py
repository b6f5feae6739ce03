"""Dates, weekdays, numbers and plurals in a message's language; the `date_format` setting."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, WINDOW, SheetBuilder
from test_messages import small_community

from grouptier.errors import InvalidSheetError
from grouptier.locales import (
    count_text,
    figures_date,
    full_date,
    language_date_order,
    language_date_separator,
    number_text,
    weekday_name,
    words_date,
)
from grouptier.messages import Override, Renderer, templates_root
from grouptier.outbox import compose_outbox, read_messages
from grouptier.planning import plan_cycles

DAY = date(2026, 12, 15)
POSTS = {"one": "post", "other": "posts"}


@pytest.mark.parametrize(
    ("language", "order", "words", "full", "weekday"),
    [
        ("en", "day-first", "15 December", "Tuesday, 15 December 2026", "Tuesday"),
        (
            "pt-BR",
            "day-first",
            "15 de dezembro",
            "terça-feira, 15 de dezembro de 2026",
            "terça-feira",
        ),
        ("es", "day-first", "15 de diciembre", "martes, 15 de diciembre de 2026", "martes"),
    ],
    ids=["en", "pt-BR", "es"],
)
def test_dates_and_weekdays_are_written_in_the_language(
    language: str, order: str, words: str, full: str, weekday: str
) -> None:
    assert language_date_order(language) == order
    assert words_date(DAY, language) == words
    assert full_date(DAY, language) == full
    assert weekday_name(DAY, language) == weekday


@pytest.mark.parametrize(
    ("order", "written"),
    [("day-first", "15/12/2026"), ("month-first", "12/15/2026"), ("year-first", "2026-12-15")],
)
def test_a_date_in_figures_follows_the_date_format(order: str, written: str) -> None:
    assert figures_date(DAY, order) == written


@pytest.mark.parametrize(
    ("language", "separator"), [("en", "/"), ("pt-BR", "/"), ("es", "/"), ("de", ".")]
)
def test_a_date_in_figures_uses_the_language_separator(language: str, separator: str) -> None:
    assert language_date_separator(language) == separator
    written = figures_date(DAY, "day-first", separator)
    assert written == f"15{separator}12{separator}2026"
    assert figures_date(DAY, "year-first", separator) == "2026-12-15"


@pytest.mark.parametrize(
    ("language", "value", "forms", "text"),
    [
        ("en", 1, POSTS, "1 post"),
        ("en", 0, POSTS, "0 posts"),
        ("en", 1234, POSTS, "1,234 posts"),
        ("pt-BR", 1234, {"one": "publicação", "other": "publicações"}, "1.234 publicações"),
        (
            "pt-BR",
            1_000_000,
            {"one": "x", "other": "publicações", "many": "de posts"},
            "1.000.000 de posts",
        ),
        ("ru", 3, {"one": "день", "few": "дня", "many": "дней", "other": "дня"}, "3 дня"),
        ("ru", 5, {"one": "день", "few": "дня", "many": "дней", "other": "дня"}, "5 дней"),
        ("en", 2.5, POSTS, "2.5 posts"),
    ],
    ids=["one", "zero", "thousands", "pt-thousands", "pt-many", "ru-few", "ru-many", "fraction"],
)
def test_counts_take_the_plural_the_language_rules_pick(
    language: str, value: float, forms: dict[str, str], text: str
) -> None:
    assert count_text(value, language, forms) == text


def test_a_hashtag_in_a_form_is_kept_and_only_n_marks_the_number() -> None:
    tips = {"one": "post in #tips", "other": "posts in #tips"}
    assert count_text(3, "en", tips) == "3 posts in #tips"
    assert count_text(1, "en", tips) == "1 post in #tips"
    placed = {"one": "one post in #tips", "other": "{n} posts in #tips"}
    assert count_text(1234, "en", placed) == "1,234 posts in #tips"
    assert count_text(1, "en", placed) == "one post in #tips"
    assert count_text(2, "en", {"one": "# post", "other": "# posts"}) == "2 # posts"


def test_count_refuses_what_is_not_a_number_or_an_overlong_word() -> None:
    with pytest.raises(ValueError, match="is not a number"):
        count_text("many", "en", POSTS)
    with pytest.raises(ValueError, match="at most 200 characters"):
        count_text(2, "en", {"other": "x" * 201})
    assert number_text("n/a", "en") == "n/a" and number_text(float("nan"), "en") == "nan"


def test_templates_and_overrides_count_in_the_message_language(tmp_path: Any) -> None:
    text = '{{ n | plural("post", "posts") }}, {{ big | number }}'
    for language in ("en", "pt-BR"):
        (tmp_path / language).mkdir()
        (tmp_path / language / "reward.j2").write_text(text, encoding="utf-8")
    renderer = Renderer(root=tmp_path)
    context: dict[str, Any] = {"n": 1, "big": 12345}
    assert renderer.render("reward", "General", context) == "1 post, 12,345"
    assert renderer.render("reward", "General", context, "pt-BR") == "1 post, 12.345"
    text = '{{ member.content | plural("post", "posts") }}, {{ member.messages | number }}'
    override = Renderer(overrides=[Override("reward", "", text, "C2")])
    context = {"member": {"content": 3, "messages": 1}}
    assert override.render("reward", "General", context) == "3 posts, 1"


def test_a_language_given_per_message_is_still_only_a_bundled_folder() -> None:
    renderer = Renderer()
    with pytest.raises(InvalidSheetError, match=r'language: no messages are bundled in "\.\./en"'):
        renderer.render("reward", "General", {}, "../en")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("Day-First", ""),
        ("day first", ""),
        ("YEAR_FIRST", ""),
        (
            "dd/mm/yyyy",
            'date_format: "dd/mm/yyyy" is not a date format; use day-first (15/12/2026), '
            "month-first (12/15/2026) or year-first (2026-12-15), or leave it blank for the "
            "language's own",
        ),
        ("dayfirts", 'leave it blank for the language\'s own (did you mean "day-first"?)'),
    ],
    ids=["case", "space", "underscore", "pattern", "typo"],
)
def test_the_date_format_setting(sheet: SheetBuilder, value: str, problem: str) -> None:
    sheet.settings["date_format"] = value
    if not problem:
        assert sheet.community().settings.date_format in ("day-first", "year-first")
        return
    with pytest.raises(InvalidSheetError) as caught:
        sheet.community()
    (found,) = caught.value.problems
    assert found.where.startswith("Settings!B") and problem in found.message


@pytest.mark.parametrize(
    ("date_format", "window"),
    [("", "01/10/2026 to 15/10/2026"), ("month-first", "10/01/2026 to 10/15/2026")],
    ids=["language-default", "month-first"],
)
def test_messages_write_dates_the_community_way(
    sheet: SheetBuilder, date_format: str, window: str
) -> None:
    sheet.settings["date_format"] = date_format or None
    community = small_community(sheet).community()
    plans, _ = plan_cycles(community, [WINDOW])
    rows = compose_outbox(community, read_messages(None), plans, TODAY, Renderer()).rows
    (digest,) = [row for row in rows if row["kind"] == "staff_digest"]
    assert f"({window})" in str(digest["text"])
    (notice,) = [row for row in rows if row["kind"] == "retention_notice"]
    assert "Any activity up to 30 October" in str(notice["text"])  # words: never ambiguous
    mornings = [str(row["text"]) for row in rows if row["kind"] == "good_morning"]
    assert any(f"Happy {weekday_name(TODAY, 'en')}" in text for text in mornings)


# -- a group's own language -----------------------------------------------------------------------


def test_a_group_language_must_be_bundled_and_names_its_cell(sheet: SheetBuilder) -> None:
    sheet.groups[1]["language"] = "../en"
    sheet.groups[2]["language"] = "en"
    with pytest.raises(InvalidSheetError) as caught:
        sheet.community()
    (problem,) = caught.value.problems
    assert problem.where == "Groups!J3"
    assert problem.message.startswith('language: no messages are bundled in "../en" (bundled: ')


def test_a_group_language_overrides_the_settings_one_for_that_group(
    sheet: SheetBuilder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(templates_root() / "en", tmp_path / "en")
    (tmp_path / "pt-BR").mkdir()
    welcome = "Bem-vindo, {{ names }}! Hoje é {{ weekday }}, {{ 2 | plural('dia', 'dias') }}"
    (tmp_path / "pt-BR" / "welcome.j2").write_text(welcome, encoding="utf-8")
    monkeypatch.setattr("grouptier.messages.templates_root", lambda: tmp_path)
    sheet.groups[1]["language"] = "pt-BR"  # General
    sheet.member("General", name="Nina", joined_on=TODAY)
    sheet.member("Core", name="Cole", joined_on=TODAY)
    community = small_community(sheet).community()
    assert list(community.groups["language"]) == ["", "pt-BR", ""]
    plans, _ = plan_cycles(community, [WINDOW])
    renderer = Renderer(root=tmp_path)
    rows = compose_outbox(community, read_messages(None), plans, TODAY, renderer).rows
    welcomes = {row["group"]: str(row["text"]) for row in rows if row["kind"] == "welcome"}
    assert welcomes["General"] == "Bem-vindo, New Nadia e Nina! Hoje é sexta-feira, 2 dias"
    assert welcomes["Core"].startswith("👋 *Welcome to Core, Cole!*")
    (digest,) = [row for row in rows if row["kind"] == "staff_digest"]
    assert "(01/10/2026 to 15/10/2026)" in str(digest["text"])  # the Settings language
