"""Wording rules every bundled language keeps, each rule checked in every language in templates/.

The rules (issue 18): one short welcome post per group and day naming every
newcomer; one post per group for the members who return; a name said once;
never a phone number as a name; a seat given away only when the group was
full; no internal words (cycle, score, level) in what members read; the quiet
bottom group greeted as regulars who read, not as newcomers; the digest
thanking real effort. A language added to templates/ is checked as soon as it
lands; its word lists go in tests/wording_rules.py.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pandas as pd
import pytest
from babel.dates import get_day_names
from conftest import TODAY, WINDOW, SheetBuilder
from wording_rules import INTERNAL_WORDS, NEWCOMER_PHRASES, WEEKDAY_FORMS, WEEKEND_WORDS

from grouptier.locales import babel_locale, weekday_name
from grouptier.message_samples import LADDER, SAMPLE_DAY, sample_contexts
from grouptier.messages import Override, Renderer, languages
from grouptier.outbox import compose_outbox, read_messages
from grouptier.phones import shown_phone
from grouptier.planning import plan_cycles

BUNDLED = languages()
MEMBER_FACING: tuple[str, ...] = ("welcome", "good_morning", "weekly_topic", "promotion")
MEMBER_FACING += ("retention_notice", "return", "reward", "nudge")
ABOUT_ONE = ("retention_notice", "reward", "nudge")  # private notes to one member
GROUP_POSTS = ("welcome", "promotion", "return")  # naming everyone they are about
TWENTY = "Kristine Santos-Vill"  # a 20-character name
NAMES = ("Amira Haddad", "Zeca García", "刘强")
PHONE = re.compile(r"\+?\d[\d\s().-]{6,}\d")
DANGLING = re.compile(r",\s*[,!?.*]|\s{2}|\(\s*\)|,\s*$|^\s*[,!]")


def rendered(language: str, kind: str, names: tuple[str, ...] = NAMES[:1]) -> list[str]:
    """The bundled `kind` in `language`, once per sample context."""
    renderer = Renderer(language)
    return [
        renderer.render(kind, context["group"]["name"], context, language)
        for context in sample_contexts(kind, language, names)
    ]


def good_mornings(language: str, group: dict[str, Any]) -> list[str]:
    """The 31 good mornings of `group`, its name taken out (to compare groups' lists)."""
    renderer = Renderer(language)
    (context,) = [c for c in sample_contexts("good_morning", language) if c["group"] == group]
    texts = []
    for day in range(31):
        text = renderer.render("good_morning", group["name"], {**context, "day_index": day})
        texts.append(text.replace(group["name"], "{group}"))
    return texts


@pytest.mark.parametrize("language", BUNDLED)
def test_every_language_has_its_word_lists(language: str) -> None:
    for rules, what in (
        (INTERNAL_WORDS, "INTERNAL_WORDS"),
        (NEWCOMER_PHRASES, "NEWCOMER_PHRASES"),
        (WEEKEND_WORDS, "WEEKEND_WORDS"),
    ):
        assert rules.get(language), (
            f"templates/{language} has no {what} entry: add how the language says them to "
            "tests/wording_rules.py"
        )


@pytest.mark.parametrize("language", BUNDLED)
@pytest.mark.parametrize("kind", MEMBER_FACING)
def test_member_facing_texts_use_no_internal_words(language: str, kind: str) -> None:
    words = INTERNAL_WORDS.get(language)
    assert words, f"add {language} to INTERNAL_WORDS in tests/wording_rules.py"
    internal = re.compile(rf"\b({'|'.join(map(re.escape, words))})\b", re.IGNORECASE)
    texts = [
        text for names in (NAMES[:1], NAMES, ("",)) for text in rendered(language, kind, names)
    ]
    if kind == "good_morning":
        texts += [text for group in LADDER for text in good_mornings(language, group)]
    for text in texts:
        assert not internal.search(text), (language, kind, internal.findall(text), text)


@pytest.mark.parametrize("language", BUNDLED)
def test_internal_words_are_fine_in_a_managers_override(language: str) -> None:
    words = INTERNAL_WORDS.get(language) or ("cycle",)
    override = Override("welcome", "", f"{words[0]} {{{{ cycle }}}}: {{{{ names }}}}", "C2")
    (context, *_) = sample_contexts("welcome", language)
    text = Renderer(language, [override]).render("welcome", "General", context)
    assert text == f"{words[0]} 5: Amira Haddad"


@pytest.mark.parametrize("language", BUNDLED)
def test_a_welcome_fits_a_phone_and_names_the_newcomer_once(language: str) -> None:
    for text in rendered(language, "welcome", (TWENTY,)):
        assert len(text) <= 400, (language, len(text), text)
        assert text.count(TWENTY) == 1, (language, text)


@pytest.mark.parametrize("language", BUNDLED)
@pytest.mark.parametrize("kind", [*GROUP_POSTS, *ABOUT_ONE])
def test_each_name_is_said_once(language: str, kind: str) -> None:
    names = NAMES[:1] if kind in ABOUT_ONE else NAMES
    for text in rendered(language, kind, names):
        for name in names:
            assert text.count(name) == 1, (language, kind, name, text)


@pytest.mark.parametrize("language", BUNDLED)
@pytest.mark.parametrize("kind", [*GROUP_POSTS, *ABOUT_ONE])
def test_a_member_with_no_name_is_greeted_neutrally(language: str, kind: str) -> None:
    for text in rendered(language, kind, ("",)):
        first = text.splitlines()[0]
        assert not DANGLING.search(first), (language, kind, first)


@pytest.mark.parametrize("language", BUNDLED)
def test_a_seat_is_said_to_be_given_away_only_when_it_was(language: str) -> None:
    contexts = sample_contexts("retention_notice", language)
    renderer = Renderer(language)
    for context in contexts:
        if context["to_group"]["is_bottom"]:
            continue
        given = renderer.render("retention_notice", "Core", {**context, "seat_given": True})
        kept = renderer.render("retention_notice", "Core", {**context, "seat_given": False})
        assert len(given) > len(kept), (language, given, kept)  # the claim is only in `given`


@pytest.mark.parametrize("language", BUNDLED)
def test_the_quiet_group_has_its_own_good_mornings_none_for_newcomers(language: str) -> None:
    phrases = NEWCOMER_PHRASES.get(language)
    assert phrases, f"add {language} to NEWCOMER_PHRASES in tests/wording_rules.py"
    core, general, retention = (good_mornings(language, group) for group in LADDER)
    assert len(set(retention)) == 31, language  # a different greeting every day of a month
    assert not set(retention) & (set(general) | set(core)), language
    for text in retention + core:
        lowered = text.casefold()
        assert not any(phrase.casefold() in lowered for phrase in phrases), (language, text)


def weekday_words(language: str) -> dict[int, list[str]]:
    """Each weekday's names (0 Monday): babel's, capitalised too, and `WEEKDAY_FORMS`."""
    names = get_day_names("wide", locale=babel_locale(language))
    extra = WEEKDAY_FORMS.get(language, {})
    words = {}
    for number, name in names.items():
        forms = [name, *extra.get(number, ())]
        words[number] = sorted({*forms, *(form[:1].upper() + form[1:] for form in forms)}, key=len)
    return words


def names_another_day(text: str, day: int, words: dict[int, list[str]]) -> list[str]:
    """The weekdays other than `day` that `text` names (a word starting with a name)."""
    for form in reversed(words[day]):  # "Cumartesi" is Saturday, not Friday ("Cuma")
        text = text.replace(form, " ")
    found = []
    for number, forms in words.items():
        if number != day:
            found += [form for form in forms if re.search(rf"(?<!\w){re.escape(form)}", text)]
    return found


@pytest.mark.parametrize("language", BUNDLED)
def test_good_mornings_are_true_on_any_day_of_the_week(language: str) -> None:
    """Good mornings rotate by day, not weekday: none names another day or the weekend."""
    weekend = WEEKEND_WORDS.get(language)
    assert weekend, f"add {language} to WEEKEND_WORDS in tests/wording_rules.py"
    words = weekday_words(language)
    renderer = Renderer(language)
    for context in sample_contexts("good_morning", language):
        for offset in range(31):
            day = SAMPLE_DAY + timedelta(days=offset)
            weekday = weekday_name(day, language)
            said = {**context, "day_index": offset, "weekday": weekday}
            text = renderer.render("good_morning", context["group"]["name"], said)
            wrong = names_another_day(text, day.weekday(), words)
            assert not wrong, (language, day.isoformat(), weekday, wrong, text)
            lowered = text.casefold()
            assert not [w for w in weekend if w.casefold() in lowered], (language, text)


@pytest.mark.parametrize("language", BUNDLED)
def test_the_digest_thanks_effort_without_counting_one_message(language: str) -> None:
    (context, _) = sample_contexts("staff_digest", language)
    host = context["recognised"][0]
    assert host["hosting"] and not host["steady"] and not host["creator"]
    host = {**host, "messages": 7, "active_days": 1, "content": 1}
    text = Renderer(language).render("staff_digest", "staff", {**context, "recognised": [host]})
    (line,) = [line for line in text.splitlines() if host["name"] in line]
    assert "Poster day" in line and "7" not in line and "1" not in line, (language, line)


# -- the rules that come from what a run composes, in every language -------------------------------


def community_in(language: str, sheet: SheetBuilder) -> SheetBuilder:
    """Newcomers with and without names, a member named by number, a staff member or four."""
    sheet.settings["language"] = language
    sheet.active_member("Core", score_days=3, name="Rafa ⚽", role="executive")
    sheet.active_member("Core", score_days=4, name="Steady Sam", role="assistant")
    sheet.active_member("Core", score_days=1, name="Once Olu", role="designer")
    sheet.member("General", name="+55 31 98888-7777")  # quiet: moved down, named by number
    top = sheet.member("General", name="Amira Haddad")
    sheet.post(top, messages=30, content=6, invites=5)
    for name in ("New Nadia", "(11) 90014-2542", "31 98888 1234"):
        sheet.member("General", name=name, joined_on=TODAY)
    return sheet


def composed(language: str, sheet: SheetBuilder, renderer: Renderer | None = None) -> list[Any]:
    community = community_in(language, sheet).community()
    plans, _ = plan_cycles(community, [WINDOW])
    renderer = renderer or Renderer(language)
    return compose_outbox(community, read_messages(None), plans, TODAY, renderer).rows


@pytest.mark.parametrize("language", BUNDLED)
def test_one_welcome_per_group_never_greets_by_number(language: str, sheet: SheetBuilder) -> None:
    rows = composed(language, sheet)
    (welcome,) = [row for row in rows if row["kind"] == "welcome"]
    assert len(str(welcome["member_id"]).split(", ")) == 3
    assert str(welcome["text"]).count("New Nadia") == 1
    for row in rows:
        if row["kind"] in MEMBER_FACING:
            assert not PHONE.search(str(row["text"])), (language, row["kind"], row["text"])
    by_number = next(m["member_id"] for m in sheet.members if m["name"] == "+55 31 98888-7777")
    (notice,) = [row for row in rows if row["member_id"] == by_number]
    assert notice["kind"] == "retention_notice"
    assert notice["to"] == shown_phone(by_number, "")  # staff still see whom to send it to


def recognised_by(sheet: SheetBuilder) -> list[str]:
    """Whom the digest thanks, read through an override that lists them."""
    listing = Override("staff_digest", "", "{{ recognised|map(attribute='name')|join(',') }}", "C2")
    (digest,) = [
        r for r in composed("en", sheet, Renderer(overrides=[listing])) if r["group"] == "staff"
    ]
    return str(digest["text"]).split(",")


def test_the_digest_recognises_real_effort_only(sheet: SheetBuilder) -> None:
    poster = sheet.member("Core", name="Poster Pat", role="record officer")
    sheet.post(poster, content=3)  # three content posts on one day
    sheet.member("Core", name="Host Hana", role="activity officer")
    sheet.post(sheet.members[-1]["member_id"])  # one message, but hosting this cycle's topic
    sheet.topics.append(
        {"week_of": TODAY + timedelta(days=2), "title": "Wins", "host": "Host Hana"}
    )
    # Rafa: 3 of 15 days, under a quarter; Olu: one message on one day.
    assert sorted(recognised_by(sheet)) == ["Host Hana", "Poster Pat", "Steady Sam"]


def test_a_seat_is_given_away_only_when_the_group_was_full(sheet: SheetBuilder) -> None:
    said = Override("retention_notice", "", "{{ from_group.name }}: {{ seat_given }}", "C2")
    rows = composed("en", sheet, Renderer(overrides=[said]))
    assert {r["text"] for r in rows if r["kind"] == "retention_notice"} == {"General: False"}
    full = SheetBuilder()
    # General: 5 members at the cycle's end, before its moves, as many as it holds.
    full.groups[1].update(capacity=5, demote_bottom=3)
    rows = composed("en", full, Renderer(overrides=[said]))
    assert {r["text"] for r in rows if r["kind"] == "retention_notice"} == {"General: True"}


def test_a_newcomer_is_welcomed_once_across_runs_and_old_single_id_rows(
    sheet: SheetBuilder,
) -> None:
    community = community_in("en", sheet).community()
    first = compose_outbox(community, read_messages(None), [], TODAY, Renderer()).rows
    (welcome,) = first
    ids = str(welcome["member_id"]).split(", ")
    old = {**welcome, "member_id": ids[0], "date": TODAY - timedelta(days=1)}  # an older row
    existing = pd.DataFrame(
        [{**row, "sheet_row": n} for n, row in enumerate([old, welcome], start=2)]
    )
    later = sheet.member("General", name="Late Lu", joined_on=TODAY)
    again = compose_outbox(sheet.community(), existing, [], TODAY, Renderer()).rows
    assert [row["member_id"] for row in again] == [later]
    only_old = pd.DataFrame(
        [{**welcome, "member_id": member_id, "sheet_row": n} for n, member_id in enumerate(ids)]
    )
    assert [
        r["member_id"]
        for r in compose_outbox(sheet.community(), only_old, [], TODAY, Renderer()).rows
    ] == [later]
