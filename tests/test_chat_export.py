"""Reading WhatsApp chat exports: hand-written exports of every format, round trips, bad files."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grouptier.chat import dates as chat_dates
from grouptier.chat import tally as chat_tally
from grouptier.chat.export import (
    ChatExport,
    ContentRule,
    open_export,
    read_chat,
    summarise,
    tally_lines,
)
from grouptier.chat.formats import CALL_TEXTS
from grouptier.chat.tally import Tally
from grouptier.errors import ChatExportError

CHATS = Path(__file__).resolve().parent / "data" / "chats"


@dataclass(frozen=True)
class Expected:
    """What a hand-written export holds, counted by hand."""

    platform: str
    order: str
    first: date
    last: date
    # sender -> (messages, content, media, documents, deleted)
    senders: dict[str, tuple[int, int, int, int, int]]
    events: dict[str, int] = field(default_factory=dict)
    skipped: int = 0
    ambiguous: bool = False


EXPECTED = {
    "android_en_us_12h.txt": Expected(
        "android",
        "month-first",
        date(2024, 12, 28),
        date(2025, 1, 13),
        {
            "Amira Haddad": (2, 1, 0, 0, 0),  # the year's last message is long: content
            "Ben Okafor": (5, 1, 1, 0, 1),  # the deck with a link on its second line: content
            "Chen Wei": (1, 0, 0, 0, 1),
            "+44 7700 900123": (1, 0, 0, 0, 0),
        },
        {
            "encryption": 1,
            "created": 1,
            "added": 2,
            "joined_by_link": 1,
            "subject": 1,
            "icon": 1,
            "left": 1,
            "removed": 1,
            "security_code": 1,
            "number_changed": 1,
        },
        skipped=1,  # "12/31/24, 25 PM - ..." has no minutes
    ),
    "android_en_gb_24h_crlf.txt": Expected(
        "android",
        "day-first",
        date(2024, 12, 31),
        date(2025, 1, 2),
        {
            "Amira Haddad": (2, 0, 1, 0, 0),
            "Ben Okafor": (3, 1, 1, 1, 0),  # Report.pdf is a document: content
            "Chen Wei": (1, 1, 0, 0, 0),  # www. link
        },
        {"encryption": 1},
    ),
    "ios_24h.zip": Expected(
        "ios",
        "day-first",
        date(2024, 12, 31),
        date(2025, 1, 13),
        {
            "Amira Haddad": (2, 0, 0, 0, 0),
            "Ben Okafor": (4, 1, 2, 1, 1),
            "+1 (415) 555-0134": (1, 0, 0, 0, 0),
        },
        {"encryption": 1, "created": 1, "added": 1, "left": 1},
    ),
    "ios_en_us_12h.txt": Expected(
        "ios",
        "month-first",
        date(2024, 12, 30),
        date(2025, 1, 2),
        {"Amira Haddad": (2, 0, 0, 0, 0), "Ben Okafor": (2, 0, 1, 0, 0)},
    ),
    "android_de.txt": Expected(
        "android",
        "day-first",
        date(2024, 12, 31),
        date(2025, 1, 1),
        {"Amira Haddad": (1, 0, 0, 0, 0), "Ben Okafor": (2, 0, 1, 0, 1)},
        {"encryption": 1, "added": 1, "joined_by_link": 1, "left": 1},
    ),
    "android_es_ampm.txt": Expected(
        "android",
        "day-first",
        date(2024, 12, 31),
        date(2025, 1, 1),
        {"Amira Haddad": (1, 0, 0, 0, 0), "Ben Okafor": (3, 0, 1, 0, 1)},
        {"added": 1},
    ),
    "android_ar.txt": Expected(
        "android",
        "day-first",
        date(2024, 12, 31),
        date(2025, 1, 1),
        {"أحمد علي": (2, 0, 0, 0, 0), "سارة": (1, 0, 0, 0, 0)},
    ),
    "android_th_buddhist.txt": Expected(
        "android",
        "day-first",
        date(2024, 12, 31),
        date(2025, 1, 1),
        {"สมชาย": (1, 0, 0, 0, 0), "สมหญิง": (1, 0, 0, 0, 0)},
    ),
    "android_ja_ko.txt": Expected(
        "android",
        "year-first",
        date(2024, 12, 31),
        date(2025, 1, 2),
        {"太郎": (1, 0, 0, 0, 0), "花子": (1, 0, 0, 0, 0), "민수": (1, 0, 0, 0, 0)},
    ),
    "android_nl_dashes.txt": Expected(
        "android",
        "day-first",
        date(2024, 11, 12),
        date(2024, 12, 2),
        {"Amira Haddad": (1, 0, 0, 0, 0), "Ben Okafor": (2, 0, 0, 0, 0)},
    ),
    "android_ambiguous.txt": Expected(
        "android",
        "day-first",
        date(2024, 4, 3),
        date(2024, 4, 3),
        {"Amira Haddad": (1, 0, 0, 0, 0), "Ben Okafor": (1, 0, 0, 0, 0)},
        ambiguous=True,
    ),
}


def per_sender(export: ChatExport) -> dict[str, tuple[int, ...]]:
    totals: dict[str, list[int]] = {}
    for day in export.sender_days:
        total = totals.setdefault(day.sender, [0] * 5)
        figures = (day.messages, day.content, day.media, day.documents, day.deleted)
        for index, value in enumerate(figures):
            total[index] += value
    return {sender: tuple(values) for sender, values in totals.items()}


@pytest.mark.parametrize("name", sorted(EXPECTED), ids=sorted(EXPECTED))
def test_hand_written_exports_give_their_counts(name: str) -> None:
    expected = EXPECTED[name]
    export = read_chat(CHATS / name)
    assert (export.platform, export.order, export.ambiguous) == (
        expected.platform,
        expected.order,
        expected.ambiguous,
    )
    assert (export.days[0], export.days[-1]) == (expected.first, expected.last)
    assert per_sender(export) == expected.senders
    assert dict(Counter(event.kind for event in export.events)) == expected.events
    assert export.skipped == expected.skipped, export.skipped_sample


def test_invites_name_who_added_whom() -> None:
    export = read_chat(CHATS / "android_en_us_12h.txt")
    added = [(e.actor, e.target) for e in export.events if e.kind == "added"]
    assert added == [
        ("Amira Haddad", "Ben Okafor"),
        ("Amira Haddad", "Chen Wei, Dara Singh and Eli Cohen"),
    ]
    joined = [e.actor for e in export.events if e.kind == "joined_by_link"]
    assert joined == ["+44 7700 900123"]  # the direction marks around the number are gone


def test_a_damaged_line_is_counted_and_shown() -> None:
    export = read_chat(CHATS / "android_en_us_12h.txt")
    (sample,) = export.skipped_sample
    assert sample.line == 21 and "25 PM" in sample.text
    assert sample.why == "expected a time (as 21:05 or 9:05 PM) after the date '12/31/24'"


def test_the_date_order_can_be_forced() -> None:
    export = read_chat(CHATS / "android_ambiguous.txt", date_order="month-first")
    assert export.order == "month-first" and not export.ambiguous
    assert export.days == (date(2024, 3, 4),)


def test_forcing_an_impossible_order_skips_those_dates_and_says_so() -> None:
    export = read_chat(CHATS / "android_de.txt", date_order="month-first")
    assert export.skipped == 1 and "not a real date" in export.skipped_sample[0].why
    assert export.days == (date(2025, 1, 1),)


def test_the_content_rule_is_the_callers() -> None:
    everything = ContentRule(min_chars=1, links=True, documents=True, media=True)
    export = read_chat(CHATS / "android_en_gb_24h_crlf.txt", everything)
    assert sum(day.content for day in export.sender_days) == 6  # every message, once
    nothing = ContentRule(min_chars=0, links=False, documents=False, media=False)
    export = read_chat(CHATS / "android_en_gb_24h_crlf.txt", nothing)
    assert sum(day.content for day in export.sender_days) == 0


def test_an_unknown_system_line_is_reported_not_counted() -> None:
    export = tally_lines(["1/13/24, 9:00 AM - Amira Haddad did something new\n"])
    assert export.messages == 0 and export.skipped == 1
    assert export.skipped_sample[0].why == "a system line grouptier does not know"


def test_lines_before_the_first_message_are_reported() -> None:
    export = tally_lines(["garbage\n", "13/1/24, 09:00 - Amira: hi\n"])
    assert export.messages == 1 and export.skipped == 1


def test_a_file_that_is_not_a_chat_is_refused(tmp_path: Path) -> None:
    with pytest.raises(
        ChatExportError,
        match=r'no line looks like a WhatsApp message \(it starts "Shopping list"\)',
    ):
        read_chat(CHATS / "not_a_chat.txt")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(ChatExportError, match=r"\(it is empty\)"):
        read_chat(empty)
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(ChatExportError, match="no line looks like a WhatsApp message"):
        read_chat(binary)


def test_a_damaged_zip_is_refused(tmp_path: Path) -> None:
    whole = (CHATS / "ios_24h.zip").read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ChatExportError):
        read_chat(cut)
    scrambled = tmp_path / "scrambled.zip"
    start = whole.index(b"_chat.txt") + len(b"_chat.txt")
    scrambled.write_bytes(whole[:start] + bytes(60) + whole[start + 60 :])
    with pytest.raises(ChatExportError, match="zip file is damaged"):
        read_chat(scrambled)


def test_a_zip_without_a_chat_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("IMG-0001.jpg", b"\xff\xd8")
    with pytest.raises(ChatExportError, match=r"holds no chat \(\.txt\) file, only: IMG-0001.jpg"):
        read_chat(path)


def test_progress_is_reported_to_the_end(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    read_chat(CHATS / "ios_24h.zip", progress=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] > 0


def test_utf16_exports_are_read(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes("13/01/2024, 09:00 - Amira: hi\n".encode("utf-16"))
    assert read_chat(path).messages == 1


# --- round trips: exports written by a small writer of our own --------------------------


@dataclass(frozen=True)
class Style:
    """How one phone writes a message line (the test's own writer, not the parser's table)."""

    ios: bool
    order: str  # day-first, month-first, or year-first as Korean phones write it: `24. 12. 31.`
    four_digit_year: bool
    separator: str
    twelve_hour: str  # "" for a 24-hour clock, else the PM word ("PM", "p. m.")
    space: str  # before the AM/PM word


def write_line(style: Style, moment: datetime, sender: str, text: str) -> str:
    year = f"{moment.year}" if style.four_digit_year else f"{moment.year % 100:02d}"
    first, second = (
        (moment.day, moment.month)
        if style.order == "day-first"
        else (
            moment.month,
            moment.day,
        )
    )
    stamp = f"{first}{style.separator}{second}{style.separator}{year}"
    if style.order == "year-first":  # CLDR's Korean short date: a 2-digit year first
        stamp = f"{moment.year % 100:02d}. {moment.month}. {moment.day}."
    seconds = f":{moment:%S}" if style.ios else ""
    if style.twelve_hour:
        hour = moment.hour % 12 or 12
        pm = style.twelve_hour
        word = pm if moment.hour >= 12 else pm.replace("p", "a").replace("P", "A")
        clock = f"{hour}:{moment:%M}{seconds}{style.space}{word}"
    else:
        clock = f"{moment:%H:%M}{seconds}"
    if style.ios:
        return f"[{stamp}, {clock}] {sender}: {text}\n"
    return f"{stamp}, {clock} - {sender}: {text}\n"


styles = st.builds(
    Style,
    ios=st.booleans(),
    order=st.sampled_from(["day-first", "month-first", "year-first"]),
    four_digit_year=st.booleans(),
    separator=st.sampled_from(["/", ".", "-"]),
    twelve_hour=st.sampled_from(["", "PM", "pm", "p. m.", "p.m."]),
    space=st.sampled_from([" ", "\u202f", "\u00a0"]),
)
names = st.sampled_from(["Amira Haddad", "Ben", "Chen Wei", "+44 7700 900123", "Dara-Jane O'Neil"])
words = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\u200e\u200f\u061c"
    ),
    min_size=1,
    max_size=40,
).filter(
    # A call ("부재중 전화") is no message; hypothesis tries the texts it finds in the code.
    # The direction marks left out above start iOS's notices.
    lambda text: text.strip() and ": " not in text and text not in CALL_TEXTS
)
messages = st.lists(
    st.tuples(st.integers(min_value=0, max_value=60 * 24 * 40), names, words, st.integers(0, 2)),
    min_size=1,
    max_size=40,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(style=styles, items=messages)
def test_generated_exports_round_trip(style: Style, items: list[tuple[int, str, str, int]]) -> None:
    start = datetime(2024, 12, 20, 0, 0)
    lines: list[str] = []
    expected: Counter[tuple[date, str]] = Counter()
    for minutes, sender, text, extra_lines in sorted(items):
        moment = start + timedelta(minutes=minutes)
        lines.append(write_line(style, moment, sender, text))
        lines += [f"more text {n}\n" for n in range(extra_lines)]
        expected[(moment.date(), sender)] += 1
    export = tally_lines(lines, date_order=style.order)
    got = Counter({(day.day, day.sender): day.messages for day in export.sender_days})
    assert got == expected
    assert export.skipped == 0 and export.lines == len(lines)


@settings(max_examples=60, deadline=None)
@given(style=styles, items=messages)
def test_the_order_found_never_contradicts_the_file(
    style: Style, items: list[tuple[int, str, str, int]]
) -> None:
    """Unless it says it cannot tell, the reader finds the file's days. (The order it names may
    differ where the dates read the same both ways: `1/1/25`, `25. 1. 25.`.)"""
    start = datetime(2024, 12, 20, 0, 0)
    moments = [start + timedelta(minutes=minutes) for minutes, _, _, _ in sorted(items)]
    lines = [
        write_line(style, moment, sender, text)
        for moment, (_, sender, text, _) in zip(moments, sorted(items), strict=True)
    ]
    export = tally_lines(lines)
    if not export.ambiguous:
        assert export.days == tuple(sorted({moment.date() for moment in moments}))
    assert export.messages == len(lines)


def test_a_million_lines_are_not_kept_in_memory() -> None:
    """Counts only: the result holds one entry per sender and day, not per message."""
    line = "1/13/24, 9:00 AM - Amira Haddad: hello\n"
    export = tally_lines(io.StringIO(line * 200_000))
    assert export.messages == 200_000 and len(export.sender_days) == 1


header_like = st.sampled_from(
    [
        "12/31/24, 9:05 PM - ",
        "[31.12.24, 21:05:07] ",
        "\u0663\u0661/\u0661\u0662/\u0662\u0660\u0662\u0664\u060c \u0669:\u0660\u0665 \u0645 - ",
        "R6/12/31 ",
        "99/99/99, 99:99 - ",
        "\u200e[31.12.24, 21:05:07] ",
        "\u200e[12/31/24, 9:05:07\u202fPM] ",
        "[21:05:07, 31.12.24] ",
        "[3/18/2565 BE, 9:05:07 PM] ",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(header_like, st.text(max_size=60)), max_size=30))
def test_no_line_ever_stops_the_reading(pieces: list[tuple[str, str]]) -> None:
    lines = [head + tail + "\n" for head, tail in pieces]
    export = tally_lines(lines)
    assert export.lines == len(lines)
    assert export.messages + len(export.events) + export.skipped <= 2 * len(lines) + len(
        export.days
    )


# --- blocks: the fast path reads blocks of lines, the general path one line at a time ----


def line_by_line(lines: Iterable[str], rule: ContentRule, name: str = "chat") -> ChatExport:
    """The general path alone, one line at a time: what the block reader must agree with."""
    tally = Tally(rule)
    for number, line in enumerate(lines, 1):
        tally.read_line(number, line)
        tally.lines = number
    return summarise(tally, name, None)


def read_line_by_line(path: Path, rule: ContentRule) -> ChatExport:
    with open_export(path) as (text, _, _):
        return line_by_line(text, rule, path.name)


@pytest.mark.parametrize("block", [1, 2, 7, 64, 4096], ids=lambda size: f"{size} chars")
@pytest.mark.parametrize("name", sorted(EXPECTED), ids=sorted(EXPECTED))
def test_any_block_size_reads_as_line_by_line(
    name: str, block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Headers, CRLF and multi-line messages cut between blocks read as if never cut."""
    monkeypatch.setattr(chat_tally, "BLOCK_CHARS", block)
    rule = ContentRule(min_chars=30)
    assert read_chat(CHATS / name, rule) == read_line_by_line(CHATS / name, rule)


def test_a_text_going_on_in_the_next_block_is_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "chat.txt"
    path.write_text(
        "1/13/24, 9:00 AM - Amira: the start\n"
        + "and more of it\n" * 20
        + "1/13/24, 9:05 AM - Ben: ok\n"
    )
    monkeypatch.setattr(chat_tally, "BLOCK_CHARS", 16)
    content = {day.sender: day.content for day in read_chat(path).sender_days}
    assert content == {"Amira": 1, "Ben": 0}


def test_lines_of_another_shape_than_the_first_read_the_same(tmp_path: Path) -> None:
    """The pattern made for the first line's shape leaves other shapes to the general path."""
    path = tmp_path / "chat.txt"
    path.write_text(
        "1/13/24, 9:00 AM - Amira: hi\n"
        "1/13/24, 9:01\u202fpm - Ben: hello\n"
        "[1/13/2024, 21:02:03] Chen: hey\n"
        "1.13.24, 21:03 - Amira: ok\n"
        "1/13/2024 9:04 PM - Ben: fine\n"
        "1/13/24, 9:05 AM - Amira: <Media omitted>\n",
        encoding="utf-8",
    )
    rule = ContentRule(min_chars=30, media=True)
    export = read_chat(path, rule)
    assert export == read_line_by_line(path, rule)
    assert export.messages == 6


@pytest.mark.parametrize(("links", "content"), [(True, 1), (False, 0)])
def test_a_link_on_a_later_line_counts_only_when_links_do(
    tmp_path: Path, links: bool, content: int
) -> None:
    path = tmp_path / "chat.txt"
    path.write_text("1/13/24, 9:00 AM - Amira: the deck\nat https://x.org/deck\n")
    rule = ContentRule(min_chars=0, links=links)
    (day,) = read_chat(path, rule).sender_days
    assert (day.messages, day.content) == (1, content)
    assert read_line_by_line(path, rule).sender_days == (day,)


@pytest.mark.parametrize(("end", "content"), [("", 0), ("\n", 1), ("\r\n", 1)])
def test_the_last_line_end_counts_in_a_text_length(tmp_path: Path, end: str, content: int) -> None:
    """Line ends of a text's later lines count as characters; a missing last one does not."""
    path = tmp_path / "chat.txt"
    path.write_bytes(f"1/13/24, 9:00 AM - Amira: {'x' * 9}\n{'y' * 9}{end}".encode())
    (day,) = read_chat(path, ContentRule(min_chars=19, links=False)).sender_days
    assert (day.messages, day.content) == (1, content)


@pytest.mark.parametrize("min_chars", [1, 2, 19, 200, 0])
def test_a_text_as_long_as_the_content_rule_is_content_on_the_quick_path(min_chars: int) -> None:
    """The quick pattern gives as plain only texts shorter than min_chars: the rest still count."""
    size = max(min_chars, 1)
    lines = [
        f"1/13/24, 9:00 AM - Amira: {'a' * (size - 1)}\n",  # one short: not content
        f"1/13/24, 9:01 AM - Ben: {'b' * size}\n",  # as long: content
        f"1/13/24, 9:02 AM - Chen: {'c' * (size - 1)}\n",  # one short, then a line more
        "c\n",
        "1/13/24, 9:03 AM - Dara: ok\n",
    ]
    rule = ContentRule(min_chars=min_chars, links=False)
    export = tally_lines(lines, rule)
    assert export == line_by_line(lines, rule)
    content = {day.sender: day.content for day in export.sender_days}
    on = int(min_chars > 0)
    assert content == {"Amira": 0, "Ben": on, "Chen": on, "Dara": int(min_chars in (1, 2))}


def test_lines_given_without_line_ends_are_read_as_given() -> None:
    lines = ["1/13/24, 9:00 AM - Amira: " + "x" * 9, "y" * 9]
    export = tally_lines(lines, ContentRule(min_chars=19, links=False))
    assert export.lines == 2 and export.sender_days[0].content == 0
    with_ends = tally_lines([line + "\n" for line in lines], ContentRule(min_chars=19))
    assert with_ends.sender_days[0].content == 1


export_lines = st.lists(
    st.one_of(
        st.builds(
            lambda head, sender, text: f"{head}{sender}: {text}",
            header_like,
            st.sampled_from(["Amira", "\u202aBen\u202c", "Dr:X", "", "A" * 45]),
            st.sampled_from(
                [
                    "hi",
                    "<Media omitted>",
                    "This message was deleted",
                    "\u200eimage omitted",
                    "Report.pdf (file attached)",
                    "see https://x.org",
                    "x" * 40,
                    "",
                    "ok)",
                ]
            ),
        ),
        st.builds(lambda head, text: head + text, header_like, st.text(max_size=40)),
        st.sampled_from(["more text", "", "www.x.org", "12/31/24 is a date", "[1/2/24 x 3"]),
        st.text(max_size=30),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=export_lines, end=st.sampled_from(["", "\n", "\r\n"]), block=st.integers(1, 300))
def test_blocks_and_the_general_path_agree(lines: list[str], end: str, block: int) -> None:
    text = "\n".join(lines) + end
    rule = ContentRule(min_chars=30, media=True)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "chat.txt")
        path.write_bytes(text.encode())
        expected = read_line_by_line(path, rule)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(chat_tally, "BLOCK_CHARS", block)
            assert _read_or_none(path, rule) == (
                expected if expected.sender_days or expected.events else None
            )
    given = text.splitlines(keepends=True)
    assert tally_lines(given, rule) == line_by_line(given, rule)


def _read_or_none(path: Path, rule: ContentRule) -> ChatExport | None:
    try:
        return read_chat(path, rule)
    except ChatExportError:  # not a chat at all: fine, as long as both say so
        return None


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (
            "[3/18/2565 AH, 9:05:07 PM] Ana: hi\n",
            "line 1: the date '3/18/2565 AH' uses a calendar the reader does not know",
        ),
        (
            "Exported by a tool\n12/31/24, 25 PM - Ana: hi\n",
            "line 2: expected a time (as 21:05 or 9:05 PM) after the date '12/31/24'",
        ),
        (
            "18/3/2024 21:05 Ana hi\n",
            "line 1: expected ' - ' (Android) or '] ' (iOS) and a name after the date '18/3/2024'",
        ),
    ],
    ids=["unknown calendar", "no time", "no separator"],
)
def test_a_chat_that_cannot_be_read_says_where_and_why(tmp_path: Path, text: str, why: str) -> None:
    path = tmp_path / "chat.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ChatExportError) as error:
        read_chat(path)
    assert why in str(error.value)
    assert "not a WhatsApp chat" not in str(error.value)


def test_only_a_file_without_timestamps_is_not_a_chat() -> None:
    with pytest.raises(ChatExportError, match="not a WhatsApp chat: no line looks like"):
        read_chat(CHATS / "not_a_chat.txt")


@pytest.mark.parametrize(
    ("written", "order", "day"),
    [
        ("18/3/2565 BE", "day-first", date(2022, 3, 18)),
        ("3/18/2565 B.E.", "month-first", date(2022, 3, 18)),
        ("18/3/2565 พ.ศ.", "day-first", date(2022, 3, 18)),
        ("18/3/พ.ศ. 2565", "day-first", date(2022, 3, 18)),
        ("18/3/65 BE", "day-first", date(2022, 3, 18)),
        ("R6/3/18", "day-first", date(2024, 3, 18)),
        ("令和1/5/1", "day-first", date(2019, 5, 1)),
        ("H1/1/8", "day-first", date(1989, 1, 8)),
        ("平成31/4/30", "day-first", date(2019, 4, 30)),
        ("3/18/R6", "month-first", date(2024, 3, 18)),
        ("18/3/令和6", "day-first", date(2024, 3, 18)),
        ("3/18/6 R", "month-first", date(2024, 3, 18)),
        ("31/12/2567", "day-first", date(2024, 12, 31)),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_era_years_are_gregorian(written: str, order: str, day: date) -> None:
    assert chat_dates.to_date(chat_dates.date_key(written), order) == day


def test_a_time_first_header_is_read() -> None:
    lines = ["[21:05:07, 18/03/2024] An: hi\n", "21:06, 18/03/2024 - Bình: chào\n"]
    export = tally_lines(lines)
    assert per_sender(export) == {"An": (1, 0, 0, 0, 0), "Bình": (1, 0, 0, 0, 0)}
    assert export.days == (date(2024, 3, 18),)


def test_ios_lines_after_a_direction_mark_read_as_without_it() -> None:
    plain = [
        "[12/31/24, 9:05:07\u202fPM] Amira: hi\n",
        "[12/31/24, 9:06:00\u202fPM] Ben: \u200eimage omitted\n",
        "[12/31/24, 9:07:00\u202fPM] Founders: \u200eAmira added Chen\n",
        "[1/1/25, 8:00:00\u202fAM] Chen: see https://x.org\n",
    ]
    marked = ["\u200e" + line for line in plain]
    mixed = [line if index % 2 else "\u200e" + line for index, line in enumerate(plain)]
    exports = [tally_lines(lines) for lines in (plain, marked, mixed)]
    assert all(export.platform == "ios" for export in exports)
    assert exports[0].sender_days == exports[1].sender_days == exports[2].sender_days
    assert exports[0].events == exports[1].events == exports[2].events


def test_lines_in_other_digits_than_the_first_line_read_the_same(tmp_path: Path) -> None:
    """The pattern made for ASCII digits leaves Arabic-Indic ones to the general path."""
    path = tmp_path / "chat.txt"
    path.write_text(
        "1/13/24, 9:00 AM - Amira: hi\n"
        + arabic_indic("1/13/24, 9:01 PM - Ben: see https://x.org\n")
        + "1/13/24, 9:02 PM - Chen: <Media omitted>\n"
        + arabic_indic("1/14/24, 9:03 AM - Amira: ok\n"),
        encoding="utf-8",
    )
    rule = ContentRule(min_chars=30, media=True)
    export = read_chat(path, rule)
    assert export == read_line_by_line(path, rule)
    assert per_sender(export) == {
        "Amira": (2, 0, 0, 0, 0),
        "Ben": (1, 1, 0, 0, 0),
        "Chen": (1, 1, 1, 0, 0),
    }
    assert export.days == (date(2024, 1, 13), date(2024, 1, 14))


def test_a_file_in_arabic_indic_digits_is_read_by_the_quick_pattern() -> None:
    """Its lines are not all sent the slow way because the quick pattern reads ASCII only."""
    block = arabic_indic("\n1/13/24, 21:01 - بن: مرحبا\n1/13/24, 21:02 - بن: أهلا")
    pattern = chat_tally.shaped_pattern(block)
    assert pattern is not None
    assert [found[:2] for found in pattern.findall(block)] == [(arabic_indic("1/13/24"), "بن")] * 2


def arabic_indic(text: str) -> str:
    """`text` with its digits written as Arabic phones write them (U+0660 to U+0669)."""
    return text.translate({ord("0") + digit: 0x660 + digit for digit in range(10)})


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("see https://x.org", True),
        ("www.x.org", True),
        ("ftp://x", True),
        ("1/2 done. See you", False),
        ("a:// b", True),
        ("www x.org", False),
        ("", False),
    ],
)
def test_a_link_is_a_scheme_or_www(text: str, link: bool) -> None:
    assert chat_tally.has_link(text) is link
    lines = [f"1/13/24, 9:00 AM - Amira: {text}\n"]
    (day,) = tally_lines(lines, ContentRule(min_chars=0, links=True)).sender_days
    assert day.content == link


def test_an_attachment_label_counts_as_one_every_time() -> None:
    """Labels are classified once and remembered; the counts are those of each line read alone."""
    lines = [
        "[12/31/24, 9:05:07\u202fPM] Amira: \u200eimage omitted\n",
        "[12/31/24, 9:05:08\u202fPM] Ben: \u200eimage omitted\n",
        "[12/31/24, 9:05:09\u202fPM] Founders: \u200eAmira added Chen\n",
        "[12/31/24, 9:05:10\u202fPM] Chen: This message was deleted\n",
        "[12/31/24, 9:05:11\u202fPM] Amira: This message was deleted\n",
        "[12/31/24, 9:05:12\u202fPM] Ben: \u200eimage omitted\n",
    ]
    export = tally_lines(lines, ContentRule(media=True))
    assert export.sender_days == line_by_line(lines, ContentRule(media=True)).sender_days
    assert per_sender(export) == {
        "Amira": (2, 1, 1, 0, 1),
        "Ben": (2, 2, 2, 0, 0),
        "Chen": (1, 0, 0, 0, 1),
    }
    assert [event.kind for event in export.events] == ["added"]


def test_a_notice_after_a_system_line_is_dated_by_that_line() -> None:
    export = tally_lines(
        [
            "[31/12/24, 09:00:00] Founders: hi\n",
            "[1/1/25, 10:00:00] Ana added Bob\n",  # a system line without a sender
            "[1/1/25, 10:01:00] Founders: \u200eChen left\n",  # a notice, read the general way
        ]
    )
    assert [(event.day, event.kind) for event in export.events] == [
        (date(2025, 1, 1), "added"),
        (date(2025, 1, 1), "left"),
    ]


# --- dates written year first with a 2-digit year (CLDR's Korean short date) --------------------

KOREAN = [
    "24. 12. 30. 오후 9:05 - 김민수: 안녕하세요\n",
    "24. 12. 31. 오전 9:06 - 이영희: 좋아요\n",
    "25. 1. 2. 오전 10:07 - 김민수: 새해 복 많이 받으세요\n",
]


def test_a_korean_short_date_is_read_year_first() -> None:
    export = tally_lines(KOREAN)
    assert (export.order, export.ambiguous) == ("year-first", False)
    assert export.days == (date(2024, 12, 30), date(2024, 12, 31), date(2025, 1, 2))


def test_dates_of_one_month_written_year_first_are_read_so() -> None:
    """Day first keeps them in sequence too (24 December 2030, 2031); the parts that change say
    which is the year."""
    export = tally_lines([f"24. 12. {day}. 오후 9:05 - 김민수: 안녕\n" for day in (29, 30, 31)])
    assert (export.order, export.ambiguous) == ("year-first", False)
    assert export.days == (date(2024, 12, 29), date(2024, 12, 30), date(2024, 12, 31))


def test_one_korean_date_is_ambiguous_and_can_be_read_as_asked() -> None:
    lines = ["24. 12. 30. 오후 9:05 - 김민수: 안녕하세요\n"]
    assert tally_lines(lines).ambiguous
    export = tally_lines(lines, date_order="year-first")
    assert export.days == (date(2024, 12, 30),) and not export.ambiguous


def test_korean_dates_out_of_order_are_read_year_first() -> None:
    days = (30, 29, 31)
    export = tally_lines([f"24. 12. {day}. 오후 9:05 - 김민수: 안녕\n" for day in days])
    assert (export.order, export.ambiguous) == ("year-first", False)


def test_a_korean_reading_before_whatsapp_began_is_no_reading() -> None:
    """Day first, 24. 3. 5. and 25. 3. 5. are consecutive days of 2005."""
    export = tally_lines(
        ["24. 3. 5. 오후 9:05 - 김민수: 안녕\n", "25. 3. 5. 오후 9:05 - 김민수: 네\n"]
    )
    assert export.days == (date(2024, 3, 5), date(2025, 3, 5))


def test_a_korean_date_that_reads_the_same_both_ways_is_not_ambiguous() -> None:
    export = tally_lines(["24. 12. 24. 오후 9:05 - 김민수: 메리 크리스마스\n"])
    assert export.days == (date(2024, 12, 24),) and not export.ambiguous


@pytest.mark.parametrize(
    ("lines", "order"),
    [
        (["31/12/2024, 21:05 - Ana: a\n"], "year-first"),
        (["18/3/令和6 21:05 - Ana: a\n"], "year-first"),
    ],
)
def test_dates_that_cannot_be_year_first_are_not_read_so_when_asked(
    lines: list[str], order: str
) -> None:
    export = tally_lines(lines, date_order=order)
    assert export.days == () and export.skipped == 1


@pytest.mark.parametrize(
    "lines",
    [
        ["25/03/24, 10:00 - Ana: hi\n"],  # one date, read day first as always
        ["15.03.23, 21:05 - Ana: a\n", "15.05.24, 21:05 - Ana: b\n"],  # a year apart
        ["01.01.25, 00:01 - Ana: a\n", "31.12.24, 23:59 - Bob: b\n"],  # out of order
        ["30.12.24, 10:00 - Ana: hi\n", "31.12.24, 10:00 - Ana: hi\n"],  # German, days changing
        [f"{day}.12.24, 10:00 - Ana: hi\n" for day in (20, 21, 22)],
    ],
)
def test_a_day_first_2_digit_year_is_not_read_year_first(lines: list[str]) -> None:
    export = tally_lines(lines)
    assert (export.order, export.ambiguous) == ("day-first", False)


def test_a_persian_header_with_a_right_to_left_mark_after_its_comma_is_read() -> None:
    """CLDR's Persian short date and time: `2024/12/30،\u200f 21:05`."""
    export = tally_lines(
        ["2024/12/30\u060c\u200f 21:05 - \u0633\u0627\u0631\u0627: \u0633\u0644\u0627\u0645\n"]
    )
    assert export.messages == 1 and export.skipped == 0


def test_the_thai_word_after_a_24_hour_time_is_no_unknown_am_pm_word() -> None:
    export = tally_lines(["30/12/24 21:05 น. - Somchai: สวัสดี\n"])
    assert export.messages == 1 and export.skipped == 0
