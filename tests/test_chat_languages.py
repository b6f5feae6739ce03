"""Every language fixture, read with every figure compared; the language tables themselves."""

from __future__ import annotations

import re
import time
import tomllib
import unicodedata
from collections import Counter
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import pytest

from grouptier.chat import ranges
from grouptier.chat import tally as chat_tally
from grouptier.chat.export import ChatExport, read_chat, tally_lines, without_push_mark
from grouptier.chat.formats import (
    DELETED_TEXTS,
    edit_mark_length,
    meridiem,
    split_names,
    system_event,
)
from grouptier.chat.importing import SenderIndex
from grouptier.chat.languages import SYSTEM_KINDS, all_languages
from grouptier.chat.phrases import (
    SystemMatcher,
    compile_template,
    language_templates,
    part_names,
    parted_later,
    tree_pattern,
)

FIXTURES = Path(__file__).resolve().parent / "data" / "chats" / "languages"
EXPECTED: dict[str, dict[str, Any]] = tomllib.loads((FIXTURES / "expected.toml").read_text())
NAMES = sorted(path.name for path in FIXTURES.glob("*.txt"))


def per_sender(export: ChatExport) -> dict[str, list[int]]:
    totals: dict[str, list[int]] = {}
    for day in export.sender_days:
        total = totals.setdefault(day.sender, [0] * 5)
        figures = (day.messages, day.content, day.media, day.documents, day.deleted)
        totals[day.sender] = [a + b for a, b in zip(total, figures, strict=True)]
    return totals


def test_every_fixture_has_its_figures() -> None:
    assert NAMES and sorted(EXPECTED) == NAMES


@pytest.mark.parametrize("name", NAMES, ids=NAMES)
def test_a_language_fixture_gives_every_figure(name: str) -> None:
    expected = EXPECTED[name]
    export = read_chat(FIXTURES / name)
    assert (export.platform, export.order, export.ambiguous) == (
        expected["platform"],
        expected["order"],
        False,
    )
    assert (export.days[0], export.days[-1]) == (expected["first"], expected["last"])
    assert per_sender(export) == expected["senders"]
    assert dict(Counter(event.kind for event in export.events)) == expected.get("events", {})
    assert export.skipped == expected.get("skipped", 0), export.skipped_sample
    for kind, credited in expected.get("credits", {}).items():
        found = [[event.actor, event.target] for event in export.events if event.kind == kind]
        assert found == credited, kind


@pytest.mark.parametrize(
    ("line", "event"),
    [
        ("Du hast Ben Okafor hinzugefügt", ("added", "", "Ben Okafor")),
        ("Du hast Ben Okafor entfernt", ("removed", "", "Ben Okafor")),
        ("Du hast die Gruppe „Gründer“ erstellt", ("created", "", "")),
        ("Du hast den Betreff zu „Gründer“ geändert", ("subject", "", "")),
        ("Du hast das Gruppenbild geändert", ("icon", "", "")),
        ("Du hast die Gruppe verlassen", ("left", "", "")),
        ("Amira hat Ben und Chen hinzugefügt", ("added", "Amira", "Ben und Chen")),
        ("Ana heeft de groepsbeschrijving verwijderd", ("description", "Ana", "")),
        ("Ana heeft Bob verwijderd", ("removed", "Ana", "Bob")),
        ("You were added", ("you_were_added", "", "")),
        ("Ana added you", ("added", "Ana", "you")),
        ("Ana, Bob kişisini ekledi", ("added", "Ana", "Bob")),
        # No spaces between words (Japanese, Chinese, Thai, Korean): the verb still decides.
        ("花子が太郎を追加しました", ("added", "花子", "太郎")),
        ("花子が退出しました", ("left", "花子", "")),
        ("陳大文已新增李小明", ("added", "陳大文", "李小明")),
        ("张三 移除了 李四", ("removed", "张三", "李四")),
        ("สมชาย ได้เพิ่ม สมหญิง เข้ากลุ่ม", ("added", "สมชาย", "สมหญิง")),
        ("김철수님이 이영희님을 추가했습니다", ("added", "김철수", "이영희")),
        ("अमित ने सुनीता को शामिल किया", ("added", "अमित", "सुनीता")),
        ("Ana usunął(-ęła) Bob", ("removed", "Ana", "Bob")),
        ("Bob و Chen توسط Ana اضافه شد", ("added", "Ana", "Bob و Chen")),
        # Persian writes both names before its verb, side by side: the chat's names part them.
        ("Ana Bob را حذف کرد", ("removed", "Ana Bob", parted_later(" ", actor_first=True))),
        # The word between two names written again (in a name): the chat's names part them.
        (
            "ながのが田中を追加しました",
            ("added", "ながのが田中", parted_later("が", actor_first=True)),
        ),
        (
            "Bob توسط Ana توسط Chen اضافه شد",
            ("added", "Bob توسط Ana توسط Chen", parted_later(" توسط ", actor_first=False)),
        ),
        ("Ana added Bob", ("added", "Ana", "Bob")),
        ("Ana شما را حذف کرد", ("removed", "Ana", "")),
        ("Ana added \x00", ("added", "Ana", "")),  # a typed NUL is no pair of names
        # A no-break space inside the wording (Czech iOS) parts words as a space does.
        (
            "Bezpečnostní kód mezi vámi a\u00a0uživatelem Ana byl změněn. Další informace",
            ("security_code", "Ana", ""),
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_every_system_pattern_requires_its_verb(line: str, event: tuple[str, str, str]) -> None:
    assert system_event(line) == event


@pytest.mark.parametrize(
    "line",
    [
        *(
            "Du hast Ben Okafor",
            "Amira hat Ben",
            "Ana heeft",
            "Ana added",
            "hinzugefügt",
            "Du hast",
        ),
        *("追加しました", "添加了", "ได้เพิ่ม", "추가했습니다", "Ana 添加了", "ने छोड़ा", "花子が太郎"),
    ],
)
def test_a_line_without_a_verb_is_no_system_line(line: str) -> None:
    assert system_event(line)[0] == ""


def test_every_language_table_compiles_and_uses_known_kinds() -> None:
    languages = all_languages()
    assert {
        *("en", "de", "es", "pt", "fr", "it", "nl", "tr", "ru", "id", "ar", "hi", "pl", "uk"),
        *("vi", "ja", "ko", "zh-Hans", "zh-Hant", "th", "fa", "ur", "cs", "ms"),
    } <= {language.code for language in languages}
    for language in languages:
        assert set(language.system) <= set(SYSTEM_KINDS), language.code
    assert language_templates(languages)


@pytest.mark.parametrize(
    "template", ["{actor} {target}", "{actor}", "{actor} {any} x", "{actor} x {actor}"]
)
def test_a_template_without_a_verb_is_refused(template: str) -> None:
    with pytest.raises(ValueError, match=r"\{actor\}"):
        compile_template("added", template)


def test_the_most_specific_template_wins_whatever_the_order() -> None:
    general = compile_template("removed", "{actor} heeft {target} verwijderd")
    special = compile_template("description", "{actor} heeft de groepsbeschrijving{any}")
    for templates in ([general, special], [special, general]):
        found = SystemMatcher(templates).find("Ana heeft de groepsbeschrijving verwijderd")
        assert found == ("description", "Ana", "")


@pytest.mark.parametrize(
    ("both", "known", "parted"),
    [
        ("Amira Haddad Dara Singh", {"Amira Haddad"}, ("Amira Haddad", "Dara Singh")),
        ("Amira Haddad Dara Singh", {"Dara Singh"}, ("Amira Haddad", "Dara Singh")),
        ("Ana Bob و Chen", {"Ana", "Bob", "Chen"}, ("Ana", "Bob و Chen")),
        ("Amira Haddad Dara Singh", set(), ("", "")),  # no name known: nobody credited
        ("Ana Bo Chen", {"Ana", "Chen"}, ("", "")),  # "Ana|Bo Chen" or "Ana Bo|Chen": a tie
        ("Ana", {"Ana"}, ("", "")),
        ("A B C D E F G H Dara", {"A B C D E F G H", "Dara"}, ("A B C D E F G H", "Dara")),
        ("A B C D E F G H I Dara", {"A B C D E F G H I", "Dara"}, ("", "")),  # 9 words: no name
    ],
)
def test_two_names_side_by_side_are_parted_where_known_names_say(
    both: str, known: set[str], parted: tuple[str, str]
) -> None:
    target = parted_later(" ", actor_first=True)
    assert part_names(both, target, lambda names: set(split_names(names)) <= known) == parted


@pytest.mark.parametrize(
    ("both", "between", "actor_first", "known", "parted"),
    [
        ("ながのが田中", "が", True, {"ながの"}, ("ながの", "田中")),
        ("ながのが田中", "が", True, {"田中"}, ("ながの", "田中")),
        ("ながのが田中", "が", True, {"な"}, ("な", "のが田中")),  # the name the chat shows
        ("ながのが田中", "が", True, set(), ("", "")),  # no name known: nobody credited
        ("AがBがC", "が", True, {"A", "C"}, ("", "")),  # "A|BがC" or "AがB|C": a tie
        ("Bob توسط Ana", " توسط ", False, {"Bob"}, ("Ana", "Bob")),  # the target comes first
        ("Ana Added Bob added Chen", " added ", True, {"Ana"}, ("Ana", "Bob added Chen")),
    ],
)
def test_two_names_parted_by_a_word_a_name_holds_are_parted_where_known_names_say(
    both: str, between: str, actor_first: bool, known: set[str], parted: tuple[str, str]
) -> None:
    target = parted_later(between, actor_first)
    assert part_names(both, target, lambda names: names in known) == parted


def test_a_japanese_name_holding_the_word_between_two_names_is_credited() -> None:
    export = tally_lines(
        [
            "2025/01/01 10:00 - ながの: こんにちは\n",
            "2025/01/01 10:01 - ながのが田中を追加しました\n",
            "2025/01/01 10:02 - 花子が太郎を追加しました\n",  # said once: parted by the line
            "2025/01/01 10:03 - かがみががくを追加しました\n",  # no name known: counted only
        ]
    )
    added = [(event.actor, event.target) for event in export.events if event.kind == "added"]
    assert added == [("ながの", "田中"), ("花子", "太郎"), ("", "")]


def test_a_side_by_side_removal_credits_the_names_the_chat_shows() -> None:
    export = tally_lines(
        [
            "01/01/25، 10:00 - Dara Singh با استفاده از لینک دعوت به گروه ملحق شد\n",
            "01/01/25، 10:01 - Amira Haddad: سلام\n",
            "01/01/25، 10:02 - Amira Haddad Dara Singh را حذف کرد\n",
            "01/01/25، 10:03 - Ana Bob Chen را حذف کرد\n",  # no name known: counted only
        ]
    )
    removed = [(event.actor, event.target) for event in export.events if event.kind == "removed"]
    assert removed == [("Amira Haddad", "Dara Singh"), ("", "")]


def test_side_by_side_names_are_parted_after_counting_in_worker_processes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker's range may hold the removal and another the name that parts it."""
    monkeypatch.setattr(ranges, "PARALLEL_FROM", 0)
    monkeypatch.setattr(ranges, "RANGE_BYTES", 40)
    alone = read_chat(FIXTURES / "fa_android.txt", workers=1)
    shared = read_chat(FIXTURES / "fa_android.txt", workers=2)
    assert shared == alone
    assert [(event.actor, event.target) for event in shared.events if event.kind == "removed"] == [
        ("Amira Haddad", "Dara Singh")
    ]


@pytest.mark.parametrize("mark", ["\u200e", "\u200f", "\u061c"])
def test_an_ios_notice_after_any_direction_mark_is_a_system_line(mark: str) -> None:
    export = tally_lines(
        [
            f"[1/1/25, 10:00:00] Group: {mark}Amira Haddad نے Ben Okafor کو شامل کیا\n",
            f"[1/1/25, 10:01:00] Ben Okafor: {mark}Amira Haddad نے Ben Okafor کو شامل کیا\n",
            "[1/1/25, 10:02:00] Ben Okafor: Amira Haddad نے Ben Okafor کو شامل کیا\n",
        ]
    )
    assert [event.kind for event in export.events] == ["added", "added"]
    assert [(day.sender, day.messages) for day in export.sender_days] == [("Ben Okafor", 1)]


def test_a_system_line_of_forged_phrases_is_matched_in_one_pass_each() -> None:
    line = "a hat " * 20_000 + "b hinzugefügt"
    both = ("a hat " * 20_000 + "b").strip()
    # " hat " between the names is written again: the names are parted later, here by nobody
    assert system_event(line) == ("added", both, parted_later(" hat ", actor_first=True))
    assert part_names(both, parted_later(" hat ", actor_first=True), lambda _: True) == ("", "")


def test_a_wording_matches_in_either_unicode_spelling() -> None:
    # WhatsApp's Hindi strings write "छोड़ा" with one code point for "ड़"; NFC writes two.
    whatsapp = "Ana ने छो\u095c\u093e"
    assert unicodedata.normalize("NFC", whatsapp) != whatsapp
    for text in (whatsapp, unicodedata.normalize("NFC", whatsapp)):
        export = tally_lines([f"01/01/25, 10:00 - {text}\n"])
        assert [(event.kind, event.actor) for event in export.events] == [("left", "Ana")]


def _as_nfd(source: Path, folder: Path) -> Path:
    """`source` rewritten in NFD (as a Mac writes it), under its own name in `folder`."""
    text = source.read_bytes().decode("utf-8-sig")
    decomposed = folder / source.name
    decomposed.write_bytes(unicodedata.normalize("NFD", text).encode("utf-8"))
    return decomposed


@pytest.mark.parametrize("block", [chat_tally.BLOCK_CHARS, 64], ids=["one block", "blocks"])
@pytest.mark.parametrize("name", NAMES, ids=NAMES)
def test_a_fixture_written_decomposed_gives_the_figures_of_its_composed_original(
    name: str, block: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In small blocks, the blocks after the first are normalised whole (`BlockNormaliser`)."""
    decomposed = _as_nfd(FIXTURES / name, tmp_path)
    composed = read_chat(FIXTURES / name)
    monkeypatch.setattr(chat_tally, "BLOCK_CHARS", block)
    assert read_chat(decomposed) == composed


@pytest.mark.parametrize("name", ["vi_android.txt", "ko_android.txt", "fr_android.txt"])
def test_a_decomposed_fixture_counted_in_worker_processes_gives_the_same_figures(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ranges, "PARALLEL_FROM", 0)
    monkeypatch.setattr(ranges, "RANGE_BYTES", 64)
    decomposed = _as_nfd(FIXTURES / name, tmp_path)
    assert decomposed.read_bytes() != (FIXTURES / name).read_bytes()
    assert read_chat(decomposed, workers=2) == read_chat(FIXTURES / name, workers=1)


# Lines of ASCII around: the reader checks the lines of such a block one by one (`in_nfc`).
ASCII_LINES = [f"01/01/25, 09:{minute:02d} - Ben: hello\n" for minute in range(20)]


@pytest.mark.parametrize("around", [[], ASCII_LINES], ids=["alone", "among ASCII lines"])
def test_a_name_written_decomposed_is_the_same_sender(around: list[str]) -> None:
    composed = "Zoë Nguyễn"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    export = tally_lines(
        [
            *around,
            f"01/01/25, 10:00 - {composed}: hi\n",
            f"01/01/25, 10:01 - {decomposed}: hi again\n",
            f"01/01/25, 10:02 - {decomposed} left\n",
            f"01/01/25, 10:03 - Ben: {unicodedata.normalize('NFD', 'Tin nhắn này đã bị xóa')}\n",
        ],
    )
    found = [(day.sender, day.messages, day.deleted) for day in export.sender_days]
    assert found == [("Ben", len(around) + 1, 1), (composed, 2, 0)]
    assert [(event.kind, event.actor) for event in export.events] == [("left", composed)]
    alone = tally_lines([f"01/01/25, 10:03 - {decomposed}: one line, read alone"])
    assert [day.sender for day in alone.sender_days] == [composed]


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_every_attachment_word_is_read_in_either_unicode_form(form: Literal["NFC", "NFD"]) -> None:
    words = sorted({word for language in all_languages() for word in language.attached})
    ios_words = sorted({word for language in all_languages() for word in language.ios_attached})
    android = [f"01/01/25, 10:00 - Ana: IMG-1.jpg ({word})\n" for word in words]
    android += [f"01/01/25, 10:01 - Ana: Report.pdf ({word})\n" for word in words]
    ios = [f"[01/01/25, 10:00:00] Ana: \u200e<{word}: 01-PHOTO.jpg>\n" for word in ios_words]
    for lines, count in ((android, len(words)), (ios, len(ios_words))):
        export = tally_lines([unicodedata.normalize(form, line) for line in lines])
        [day] = export.sender_days
        assert (day.messages, day.media, day.documents) == (len(lines), count, len(lines) - count)


@pytest.mark.parametrize("around", [[], ASCII_LINES], ids=["alone", "among ASCII lines"])
@pytest.mark.parametrize("pair", ["\u0301\u0316", "\U0001d165\U0001d16d"], ids=["BMP", "astral"])
def test_a_run_of_combining_marks_is_normalised_in_linear_time(
    pair: str, around: list[str]
) -> None:
    # CPython sorts marks by insertion: 400,000 alternating marks would take minutes.
    marks = pair * 200_000
    lines = [f"01/01/25, 10:00 - Ana: a{marks}\n", f"01/01/25, 10:01 - Ana{marks}: hi\n"]
    started = time.process_time()
    export = tally_lines([*around, *lines])
    assert time.process_time() - started < 5
    assert export.messages == len(around) + 2


@pytest.mark.parametrize(
    ("word", "half"),
    [
        ("PG", "am"),
        ("PTG", "pm"),
        ("ق.ظ.", "am"),
        ("ب.ظ.", "pm"),
        ("ก่อนเที่ยง", "am"),
        ("หลังเที่ยง", "pm"),
        # parts of the day, written in place of AM/PM (Taiwan's iPhones): known, not a half
        *(("晚上", "period"), ("凌晨", "period"), ("中午", "period"), ("清晨", "period")),
        ("R", None),  # one letter: an era mark, not Czech's "r." (morning)
        ("BE", None),
    ],
)
def test_the_clock_words_of_the_new_languages_are_known(word: str, half: str | None) -> None:
    assert meridiem(word) == half


def test_names_listed_with_a_cjk_or_arabic_comma_are_apart() -> None:
    assert split_names("Ben、Chen") == split_names("Ben، Chen") == ["Ben", "Chen"]


def test_the_tree_of_texts_matches_its_texts_and_nothing_else() -> None:
    whole = re.compile(f"(?:{tree_pattern(DELETED_TEXTS)})\\Z")
    assert all(whole.match(text) for text in DELETED_TEXTS)
    others = [text[:-1] for text in DELETED_TEXTS] + [text + "!" for text in DELETED_TEXTS]
    assert not [text for text in others if text not in DELETED_TEXTS and whole.match(text)]


def test_uniform_dates_read_the_same_either_way() -> None:
    export = read_chat(FIXTURES / "en_android_same_both_ways.txt")
    assert export.order_reason == "every date reads the same day-first and month-first"
    assert export.days == (date(2021, 1, 1), date(2021, 2, 2))


def test_every_text_of_the_tables_is_in_nfc_as_the_lines_are() -> None:
    for language in all_languages():
        for item in fields(language):
            value = getattr(language, item.name)
            texts = [t for ts in value.values() for t in ts] if isinstance(value, dict) else value
            texts = [value] if isinstance(value, str) else texts
            assert all(unicodedata.is_normalized("NFC", text) for text in texts), item.name


def test_a_member_written_decomposed_matches_the_sender_written_composed() -> None:
    members = pd.DataFrame({"member_id": ["m1"], "name": [unicodedata.normalize("NFD", "Zoë")]})
    assert SenderIndex(members, "").find("Zoë") == ("m1", "")


@pytest.mark.parametrize("around", [[], ASCII_LINES], ids=["alone", "among ASCII lines"])
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_a_text_is_measured_in_nfc_for_the_content_rule(
    form: Literal["NFC", "NFD"], around: list[str]
) -> None:
    word = "Nguyễn "  # 7 characters in NFC, 9 in NFD
    short, goes_on = word * 27, word * 14  # 189 and 98 characters: no content post
    lines = [
        f"01/01/25, 10:00 - Ana: {short}\n",
        f"01/01/25, 10:01 - Ana: {goes_on}\n",
        f"{goes_on}\n",
        f"01/01/25, 10:02 - Ana: {short}{word * 2}\n",  # 203 characters: a content post
    ]
    export = tally_lines([*around, *(unicodedata.normalize(form, line) for line in lines)])
    found = [(day.sender, day.messages, day.content) for day in export.sender_days]
    assert found == [("Ana", 3, 1), *([("Ben", len(around), 0)] if around else [])]


@pytest.mark.parametrize(
    ("names", "shown"),
    [
        ("~\u202fDana", "Dana"),
        ("~ +1 555 0100", "+1 555 0100"),
        ("Mum ~ Home", "Mum ~ Home"),  # a tilde inside a name is the name's
        ("Ana~ Bob", "Ana~ Bob"),
        ("~Dana", "~Dana"),
    ],
)
def test_the_mark_of_a_name_a_person_gave_themselves_is_no_part_of_it(
    names: str, shown: str
) -> None:
    assert without_push_mark(names) == shown


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("see you there <This message was edited>", 26),
        ("see you there \u200e<This message was edited.>", 28),
        ("widzimy się <Ta wiadomość była edytowana>", 30),
        ("<This message was edited> is what it says", 0),
        ("see you there", 0),
    ],
)
def test_the_mark_of_an_edited_message_is_measured_at_its_end(text: str, mark: int) -> None:
    assert edit_mark_length(text) == mark


def test_a_system_line_written_like_a_message_is_read_alike_on_either_path() -> None:
    """The block's fast path and the general path, line by line (lines without line ends)."""
    lines = [
        "31.12.2024, 21:05 - Ana: <Pominięto multimedia>\n",
        "31.12.2024, 21:06 - Dodano: <Pominięto multimedia>\n",  # a name like a media label
        "31.12.2024, 21:07 - Dodano: Bob\n",
    ]
    for export in (tally_lines(lines), tally_lines([line.rstrip("\n") for line in lines])):
        assert [(day.sender, day.messages, day.media) for day in export.sender_days] == [
            ("Ana", 1, 1)
        ]
        assert [event.kind for event in export.events] == ["joined", "joined"]


def test_a_name_with_a_mark_inside_is_one_name_in_messages_and_system_lines() -> None:
    lines = [
        "28/04/2021, 17:50 - Mo\u200e Salah: hello\n",
        "28/04/2021, 17:51 - Mo\u200e Salah added Zed Quill\n",
        "28/04/2021, 17:52 - Zed Quill: hi\n",
    ]
    export = tally_lines(lines)
    assert [day.sender for day in export.sender_days] == ["Mo Salah", "Zed Quill"]
    assert [(event.actor, event.target) for event in export.events] == [("Mo Salah", "Zed Quill")]


@pytest.mark.parametrize("text", ["My sister was added", "I joined", "Ana added Bob"])
def test_a_long_senders_message_that_ends_like_a_system_line_is_a_message(text: str) -> None:
    """Android cuts a sender at the first ": " only within 40 characters; a name holds no ": "."""
    export = tally_lines([f"28/04/2021, 17:51 - {'A' * 41}: {text}\n"])
    assert export.messages == 1 and export.events == ()


def test_a_line_of_a_message_with_a_date_and_words_after_a_time_is_no_header() -> None:
    """Only English's parts of the day ("in the afternoon") may be longer than an AM/PM word."""
    lines = [
        "1/25/24, 9:05 PM - Ana: Christmas plans:\n",
        "25/12/2024, 18:00 at the town hall - bring food\n",
        "1/26/24, 9:05 PM - Bob: ok\n",
    ]
    export = tally_lines(lines)
    assert (export.order, export.ambiguous) == ("month-first", False)
    assert export.days == (date(2024, 1, 25), date(2024, 1, 26))
