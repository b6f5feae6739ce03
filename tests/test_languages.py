"""Every bundled language renders every message kind from the demo community, in that language."""

from __future__ import annotations

import re
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from test_messages import DEMO_TODAY, messages_in

from grouptier.backends.xlsx import XlsxBackend
from grouptier.community import load_community
from grouptier.cycle import RunOptions, run
from grouptier.demo import demo_workbook
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
}
ENGLISH = ("the", "you", "your", "and", "with", "this", "we", "welcome", "morning", "cycle")
ENGLISH += ("member", "members", "message", "messages", "day", "days")
SHARED = {"fr": {"cycle", "message", "messages"}}  # English words that are French words too
TEMPLATE_SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|\{group\}|\{weekday\}")


def set_cell(book: Any, key: str, value: object) -> None:
    (row,) = [row for row in book["Settings"].iter_rows() if row[0].value == key]
    row[1].value = value


@pytest.fixture(scope="module", params=BUNDLED)
def demo_in(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The demo community run in one language, then again on a nudge day."""
    language = str(request.param)
    path = tmp_path_factory.mktemp(language) / "demo.xlsx"
    shutil.copyfile(demo_workbook(), path)
    book = openpyxl.load_workbook(path)
    set_cell(book, "language", language)
    book.save(path)
    run(XlsxBackend(path), RunOptions(today=DEMO_TODAY))
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
    return language, path


def sheet_words(path: Path) -> list[str]:
    """Text that comes from the sheet (names, groups, topics, links, tab names), longest first."""
    community = load_community(XlsxBackend(path).read())
    values = [*community.members["name"], *community.groups["name"], "Messages", "Moves"]
    values += [*community.groups["invite_link"]]
    for column in ("title", "prompt", "host"):
        values += [str(value) for value in community.topics[column]]
    return sorted({str(value) for value in values if str(value).strip()}, key=len, reverse=True)


def test_every_kind_renders_in_the_language_with_no_template_syntax_left(demo_in: Any) -> None:
    language, path = demo_in
    rows = messages_in(path)
    assert {row["kind"] for row in rows} == set(TEMPLATE_NAMES)
    for row in rows:
        text = str(row["text"])
        assert not TEMPLATE_SYNTAX.search(text), (row["kind"], text)
        assert ITS_OWN[language].search(text), (language, row["kind"], text)


def test_no_english_template_text_leaks_into_another_language(demo_in: Any) -> None:
    language, path = demo_in
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
    assert (
        text.startswith(
            ("Hi Zeca", "Oi, Zeca", "¡Hola, Zeca!", "Bonjour Zeca", "Hallo Zeca", "Ciao Zeca")
        )
        and "30" in text
    )
    assert ITS_OWN[language].search(text) and not TEMPLATE_SYNTAX.search(text)


def test_the_language_setting_note_names_every_bundled_language() -> None:
    (row,) = [row for row in SETTING_ROWS if row.key == "language"]
    assert all(f"{language} (" in row.note for language in BUNDLED)
