"""Every bundled language renders every message kind from the demo community, in that language."""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from test_messages import DEMO_TODAY, messages_in

from grouptier.backends.xlsx import XlsxBackend
from grouptier.cli import main
from grouptier.community import load_community
from grouptier.cycle import RunOptions, run
from grouptier.locales import count_text, number_text
from grouptier.message_samples import sample_contexts
from grouptier.messages import TEMPLATE_NAMES, Renderer, languages, templates_root
from grouptier.settings import SETTING_ROWS

BUNDLED = languages()
# A word or letter each language has and the others do not.
ITS_OWN = {
    "en": re.compile(r"\b(the|you|your|and|we|our|good|hi|is|what|who)\b", re.IGNORECASE),
    "pt-BR": re.compile(
        r"[ãõçê]|\b(você|não|um|uma|é|seu|sua|bom|dia|hoje|aqui|alguém)\b", re.IGNORECASE
    ),
    "es": re.compile(r"[¡¿ñ]|\b(usted|tú|está|el|la|los|las|una|y)\b", re.IGNORECASE),
    "de": re.compile(
        r"[äöüß]|\b(du|ihr|euch|der|die|das|und|ist|nicht|guten|moin|hallo)\b", re.IGNORECASE
    ),
    "it": re.compile(
        r"[àèéìòù]|\b(ciao|buongiorno|il|gli|della|che|sei|per|questa|questo|tuo)\b", re.IGNORECASE
    ),
    "fr": re.compile(r"[àâçèêëîôûœ]|\b(bonjour|tu|vous|le|les|des|est|une)\b", re.IGNORECASE),
    "id": re.compile(
        r"\b(kamu|kalian|dan|yang|di|ini|selamat|pagi|untuk|ada|teman|halo)\b", re.IGNORECASE
    ),
    "ru": re.compile(r"[\u0430-\u044f\u0451]", re.IGNORECASE),  # Cyrillic
    "tr": re.compile(
        r"[çğ\u0131şöü]|\b(bir|ve|bu|için|merhaba|günayd\u0131n|grubu)\b", re.IGNORECASE
    ),
    "hi": re.compile(r"[\u0900-\u097f]"),  # Devanagari
    "ar": re.compile(r"[\u0600-\u06ff]"),  # Arabic
}
FSI, PDI, RLM = "\u2068", "\u2069", "\u200f"  # first-strong isolate, pop isolate, RTL mark
ENGLISH: tuple[str, ...] = (
    "the",
    "you",
    "your",
    "and",
    "with",
    "this",
    "we",
    "welcome",
    "morning",
    "cycle",
)
ENGLISH += ("member", "members", "message", "messages", "day", "days")
SHARED = {"fr": {"cycle", "message", "messages"}}  # English words that are French words too
TEMPLATE_SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|\{group\}|\{weekday\}")


def set_cell(book: Any, key: str, value: object) -> None:
    (row,) = [row for row in book["Settings"].iter_rows() if row[0].value == key]
    row[1].value = value


def demo_with_nudges(path: Path, language: str) -> set[str]:
    """`grouptier demo --language` into `path`, then a run on a nudge day.

    Returns the kinds the demo command itself wrote (all but the nudge).
    """
    result = CliRunner().invoke(main, ["demo", "--out", str(path), "--language", language])
    assert result.exit_code == 0, result.output
    demo_kinds = {str(row["kind"]) for row in messages_in(path)}
    book = openpyxl.load_workbook(path)
    set_cell(book, "nudge_day", 5)
    header = [cell.value for cell in book["Activity"][1]]
    members = load_community(XlsxBackend(path).read()).members
    general = members.loc[members["group"] == "General", "member_id"].tolist()
    for count, member_id in enumerate(general[:8], start=1):
        row = {"date": DEMO_TODAY + timedelta(days=1), "member_id": member_id, "messages": count}
        book["Activity"].append([row.get(str(name)) for name in header])
    book.save(path)
    run(XlsxBackend(path), RunOptions(today=DEMO_TODAY + timedelta(days=4)))
    return demo_kinds


@pytest.fixture(scope="module", params=BUNDLED)
def demo_in(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path, set[str]]:
    """The demo in one language, its nudge day too, and the kinds the demo itself wrote."""
    language = str(request.param)
    path = tmp_path_factory.mktemp(language) / "demo.xlsx"
    return language, path, demo_with_nudges(path, language)


def sheet_words(path: Path) -> list[str]:
    """Text that comes from the sheet (names, groups, topics, links, tab names), longest first."""
    community = load_community(XlsxBackend(path).read())
    values = [*community.members["name"], *community.groups["name"], "Messages", "Moves"]
    values += [*community.groups["invite_link"]]
    for column in ("title", "prompt", "host"):
        values += [str(value) for value in community.topics[column]]
    return sorted({str(value) for value in values if str(value).strip()}, key=len, reverse=True)


def test_the_demo_command_writes_every_kind_in_the_language(demo_in: Any) -> None:
    language, path, demo_kinds = demo_in
    assert demo_kinds == set(TEMPLATE_NAMES) - {"nudge"}  # nudges come on nudge_day only
    settings = load_community(XlsxBackend(path).read()).settings
    assert settings.language == language


def test_every_kind_renders_in_the_language_with_no_template_syntax_left(demo_in: Any) -> None:
    language, path, _ = demo_in
    rows = messages_in(path)
    assert {row["kind"] for row in rows} == set(TEMPLATE_NAMES)
    for row in rows:
        text = str(row["text"])
        assert not TEMPLATE_SYNTAX.search(text), (row["kind"], text)
        assert ITS_OWN[language].search(text), (language, row["kind"], text)


def test_no_english_template_text_leaks_into_another_language(demo_in: Any) -> None:
    language, path, _ = demo_in
    if language == "en":
        pytest.skip("English is what the others must not contain")
    words = sheet_words(path)
    english = [word for word in ENGLISH if word not in SHARED.get(language, set())]
    leaks = re.compile(rf"\b({'|'.join(english)})\b", re.IGNORECASE)
    for row in messages_in(path):
        text = str(row["text"])
        for value in words:
            text = text.replace(value, "")
        assert not leaks.search(text), (language, row["kind"], leaks.findall(text), text)


@pytest.mark.parametrize("language", BUNDLED)
def test_every_language_has_every_kind_as_its_own_file(language: str) -> None:
    folder = templates_root() / language
    assert sorted(path.stem for path in folder.glob("*.j2")) == sorted(TEMPLATE_NAMES)


@pytest.mark.parametrize("language", BUNDLED)
@pytest.mark.parametrize("quiet", [True, False], ids=["quiet", "a-little-active"])
def test_the_nudge_down_is_worded_in_the_language(language: str, quiet: bool) -> None:
    context = {
        "member": {"name": "Zeca"},
        "group": {"name": "General", "up": "Core"},
        "direction": "down",
        "quiet": quiet,
        "keep_with": "one message" if quiet else "a few more messages",
        "days_left": "10 days",
        "days_left_count": 10,
        "cycle_end": "2026-10-30",
        "cycle_end_text": "30",
    }
    text = Renderer(language).render("nudge", "General", context)
    assert text.count("Zeca") == 1 and "30" in text.split("Zeca", 1)[1]
    assert ITS_OWN[language].search(text) and not TEMPLATE_SYNTAX.search(text)


def test_the_language_setting_note_names_every_bundled_language() -> None:
    (row,) = [row for row in SETTING_ROWS if row.key == "language"]
    assert all(f"{language} (" in row.note for language in BUNDLED)


# -- Arabic: right to left, with names from the sheet kept whole -----------------------------------


def outside_isolates(line: str) -> str:
    """`line` without what sits between FSI and PDI (which takes its own direction)."""
    depth, kept = 0, []
    for char in line:
        if char == FSI:
            depth += 1
        elif char == PDI:
            depth = max(depth - 1, 0)
        elif depth == 0:
            kept.append(char)
    return "".join(kept)


def first_strong(text: str) -> str | None:
    """The bidi class of the first strong character (UAX #9, rule P2): L, R or AL."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("L", "R", "AL"):
            return kind
    return None


@pytest.fixture(scope="module")
def arabic_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ar") / "demo.xlsx"
    demo_with_nudges(path, "ar")
    return path


def test_arabic_isolates_every_name_and_group_from_the_sheet(arabic_demo: Path) -> None:
    links = set(load_community(XlsxBackend(arabic_demo).read()).groups["invite_link"])
    words = [word for word in sheet_words(arabic_demo) if word not in links]
    rows = messages_in(arabic_demo)
    isolated = 0
    for row in rows:
        text = str(row["text"])
        for value in words:
            isolated += text.count(FSI + value + PDI)
            text = text.replace(FSI + value + PDI, "")
        # Latin text left outside an isolate could only be one of ours (e.g. KOL), never a name
        left = [value for value in words if re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text)]
        assert not left, (row["kind"], left, row["text"])
    assert isolated > len(rows)  # names and groups are there, each wrapped
    assert "nudge" in {row["kind"] for row in rows}


def test_every_arabic_line_reads_right_to_left(arabic_demo: Path) -> None:
    for row in messages_in(arabic_demo):
        for line in str(row["text"]).splitlines():
            if first_strong(line) is None:
                continue  # emoji, figures, punctuation: no direction of their own
            # Rule P2 skips isolates: Arabic (or an RLM) must come first outside them.
            assert first_strong(outside_isolates(line)) in ("R", "AL"), (row["kind"], line)


def test_arabic_digest_points_its_arrows_right_to_left(arabic_demo: Path) -> None:
    (digest,) = [row for row in messages_in(arabic_demo) if row["kind"] == "staff_digest"]
    text = str(digest["text"])
    assert "←" in text and "→" not in text
    assert all(line.startswith(RLM) for line in text.splitlines() if "←" in line)


# -- plurals with more than two forms --------------------------------------------------------------

RU_DAYS = {"one": "день", "few": "дня", "many": "дней", "other": "дня"}
AR_DAYS = {
    "zero": "{n} يوم",
    "one": "يوم واحد",
    "two": "يومان",
    "few": "{n} أيام",
    "many": "{n} يومًا",
    "other": "{n} يوم",
}


@pytest.mark.parametrize(
    ("language", "forms", "count", "text"),
    [
        ("ru", RU_DAYS, 1, "1 день"),
        ("ru", RU_DAYS, 3, "3 дня"),
        ("ru", RU_DAYS, 5, "5 дней"),
        ("ru", RU_DAYS, 11, "11 дней"),
        ("ru", RU_DAYS, 21, "21 день"),
        ("ru", RU_DAYS, 1.5, "1,5 дня"),
        ("ar", AR_DAYS, 1, "يوم واحد"),
        ("ar", AR_DAYS, 2, "يومان"),
        ("ar", AR_DAYS, 3, "3 أيام"),
        ("ar", AR_DAYS, 11, "11 يومًا"),
        ("ar", AR_DAYS, 100, "100 يوم"),
    ],
    ids=lambda value: str(value) if isinstance(value, (int, float)) else None,
)
def test_languages_with_many_plural_forms_get_the_right_one(
    language: str, forms: dict[str, str], count: float, text: str
) -> None:
    assert count_text(count, language, forms) == text


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (1, "1 активный день"),
        (3, "3 активных дня"),
        (5, "5 активных дней"),
        (22, "22 активных дня"),
    ],
)
def test_a_russian_template_picks_the_form_for_each_count(days: int, expected: str) -> None:
    member = {"name": "Зоя", "from_group": "General", "active_days": days, "content": 0}
    context = {"group": {"name": "Core"}, "members": [member], "count": 1, "cycle_days": 15}
    assert expected in Renderer("ru").render("promotion", "Core", context)


# "…and N more" in the staff digest, when a kind lists more people than it shows.
DIGEST_MORE = {
    "ar": {1: "…وشخص آخر:", 2: "…وشخصان آخران:", 3: "…و3 أشخاص آخرين:", 11: "…و11 شخصًا آخر:"},
    "hi": {1: "…और 1 व्यक्ति:", 2: "…और 2 लोग:", 11: "…और 11 लोग:"},
    "ru": {1: "…и ещё 1 человек:", 3: "…и ещё 3 человека:", 11: "…и ещё 11 человек:"},
    "de": {1: "…und 1 weitere Person:", 2: "…und 2 weitere Personen:"},
    "it": {1: "…e un'altra persona:", 2: "…e altre 2 persone:"},
    "en": {1234: "…and 1,234 more:"},
    "pt-BR": {1: "…e mais uma pessoa:", 1234: "…e mais 1.234 pessoas:"},
}


@pytest.mark.parametrize("language", BUNDLED)
@pytest.mark.parametrize("count", [1, 2, 3, 11, 1234])
def test_the_digest_says_how_many_more_in_the_right_number(language: str, count: int) -> None:
    (context, _quiet) = sample_contexts("staff_digest", language)
    context["more"] = dict.fromkeys(context["more"], count)
    text = Renderer(language).render("staff_digest", "staff", context)
    lines = [line for line in text.splitlines() if "Moves" in line and line.startswith("•")]
    assert len(lines) == len(context["more"])
    written = number_text(count, language)  # "1,234", "1.234": grouped the language's way
    assert count < 3 or all(written in line for line in lines), lines[0]
    expected = DIGEST_MORE.get(language, {}).get(count)
    assert expected is None or all(expected in line for line in lines), lines[0]


# "Ana, and one more who just joined": one member with no name in the sheet, said in the singular.
WELCOME_ONE_MORE = {
    "en": "Ana, and one more person who just joined",
    "hi": "Ana, साथ ही एक और नया साथी",
    "ar": "ومعهم عضو جديد آخر",
    "ru": "также ещё 1 новичок",
    "de": "Ana sowie eine weitere neue Person",
    "fr": "Ana, et une autre personne arrivée aujourd'hui",
    "es": "Ana, y otra persona recién llegada",
    "pt-BR": "Ana, e mais uma pessoa que acabou de chegar",
}


@pytest.mark.parametrize("language", BUNDLED)
def test_a_welcome_counts_the_newcomers_with_no_name_in_the_right_number(language: str) -> None:
    renderer = Renderer(language)
    (one, *_) = sample_contexts("welcome", language, ("Ana", ""))
    text = renderer.render("welcome", "General", one)
    assert WELCOME_ONE_MORE.get(language, "Ana") in text.replace(FSI, "").replace(PDI, "")
    (many, *_) = sample_contexts("welcome", language, ("Ana",) + ("",) * 1234)
    text = renderer.render("welcome", "General", many)
    assert "1234" not in text  # a count is written the language's way: 1,234 or 1.234
    says_a_number = language not in {"en", "de", "fr", "es", "it", "pt-BR"}  # those say "everyone"
    assert not says_a_number or number_text(1234, language) in text


# -- the wording rules, in every bundled language --------------------------------------------------

GROUPS = {
    "core": {"name": "Core", "up": "", "is_core": True, "is_bottom": False, "invite_link": ""},
    "middle": {"name": "General", "up": "Core", "is_core": False, "is_bottom": False},
    "bottom": {"name": "Retention", "up": "General", "is_core": False, "is_bottom": True},
}


def person(name: str) -> dict[str, Any]:
    figures = {"active_days": 9, "content": 3, "messages": 40, "invites": 1}
    return {"name": name, "from_group": "General", "to_group": "Core", **figures}


def group_post(name: str, key: str = "newcomers") -> dict[str, Any]:
    people = [person(name)]
    names = {"names": name, "unnamed": 0 if name else 1, "count": 1}
    return {key: people, "members": people, "member": people[0], **names, "cycle_days": 15}


@pytest.mark.parametrize("language", BUNDLED)
@pytest.mark.parametrize("where", GROUPS)
def test_a_welcome_fits_a_phone_and_says_the_name_once(language: str, where: str) -> None:
    name = "Kristine Santos-Villanueva"
    text = Renderer(language).render("welcome", where, {**group_post(name), "group": GROUPS[where]})
    assert len(text) <= 400 and text.count(name) == 1, (len(text), text)


# A gap where the name would be: "Hi , !", "Hi  👋", "()" or an empty isolate (French puts a
# space before "!", so that alone is no gap).
DANGLING = re.compile(rf"\s[,،]|[,،]\s*[!👋*]|\S\s{{2}}|\(\s*\)|{FSI}{PDI}")


@pytest.mark.parametrize("language", BUNDLED)
def test_a_member_with_no_known_name_is_greeted_neutrally(language: str) -> None:
    renderer = Renderer(language)
    move = {
        "member": person(""),
        "from_group": GROUPS["middle"],
        "to_group": {**GROUPS["core"], "invite_link": "https://chat.whatsapp.com/X"},
        "group": GROUPS["middle"],
        "seat_given": False,
        "next_review_text": "30",
        "cycle_days": 15,
    }
    texts = [
        renderer.render("welcome", "General", {**group_post(""), "group": GROUPS["middle"]}),
        renderer.render(
            "return", "General", {**group_post("", "members"), "group": GROUPS["middle"]}
        ),
        renderer.render("reward", "General", move),
        renderer.render("retention_notice", "General", move),
    ]
    for text in texts:
        first = text.splitlines()[0]
        assert not DANGLING.search(first), (language, first)


@pytest.mark.parametrize("language", BUNDLED)
def test_a_seat_is_said_to_be_given_away_only_when_the_group_was_full(language: str) -> None:
    context = {
        "member": person("Zeca"),
        "from_group": GROUPS["core"],
        "to_group": GROUPS["middle"],
        "group": GROUPS["core"],
        "next_review_text": "30",
        "cycle_days": 15,
    }
    renderer = Renderer(language)
    full = renderer.render("retention_notice", "Core", {**context, "seat_given": True})
    room = renderer.render("retention_notice", "Core", {**context, "seat_given": False})
    assert full != room
    said_only_when_full = set(full.split()) - set(room.split())
    assert said_only_when_full, language


# -- the demo command's --language -----------------------------------------------------------------


def test_demo_language_takes_a_language_alone_for_its_one_bundled_variant(tmp_path: Path) -> None:
    path = tmp_path / "demo.xlsx"
    result = CliRunner().invoke(main, ["demo", "--out", str(path), "--language", "pt"])
    assert result.exit_code == 0, result.output
    assert load_community(XlsxBackend(path).read()).settings.language == "pt-BR"


def test_demo_language_refuses_a_language_that_is_not_bundled(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["demo", "--out", str(tmp_path / "d.xlsx"), "--language", "xx"]
    )
    assert result.exit_code == 2
    assert "'xx' is not one of" in result.output and "'pt-BR'" in result.output
    assert not (tmp_path / "d.xlsx").exists()
