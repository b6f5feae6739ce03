"""Read a WhatsApp chat export (`.txt` or the exported `.zip`) into per-sender daily counts.

The file is read as a stream, in blocks of lines, and only counts are kept
(one entry per sender and day, one per system event), so memory does not
grow with the number of messages. One regular expression cuts a whole block
into lines, and the common message lines into date, sender and text; every
other line is read on its own, in its place, the general way.

Dates stay as written until the end, when `chat_dates` decides once for the
whole file whether `03/04/24` is the 3rd of April or the 4th of March, unless
the caller says which.

Nothing in an export stops the reading: lines that look like a message but
cannot be read, system lines in an unknown language and dates that do not
exist are counted and sampled in the result. A file that is not a chat at all,
or a damaged zip, raises `ChatExportError`.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, NamedTuple

from grouptier.chat_dates import date_key, decide_order, to_date
from grouptier.chat_formats import (
    DELETED_TEXTS,
    FAST_HEADER,
    HEADER,
    HEADER_FIRST_CHARS,
    INVISIBLE,
    LOOKS_LIKE_HEADER,
    MESSAGE_LINE,
    attachment_kind,
    is_deleted,
    meridiem,
    system_event,
)
from grouptier.errors import ChatExportError

Progress = Callable[[int, int], None]
"""Called now and then with (bytes read, total bytes) while a file is read."""

SAMPLE_SIZE = 5
_LONGEST_NAME = 40  # characters of a sender name before a "Name: " looks like a system line
_MARKS = INVISIBLE + " \u00a0\u202f"
_DELETED_EXACT = frozenset(variant for text in DELETED_TEXTS for variant in (text, "\u200e" + text))


@dataclass(frozen=True)
class ContentRule:
    """Which messages count as content posts (each message counts once at most)."""

    min_chars: int = 200  # a text of at least this many characters; 0 turns it off
    links: bool = True
    documents: bool = True
    media: bool = False


class SenderDay(NamedTuple):
    """What one sender did on one day of the export (a tuple: there may be 100,000 of them)."""

    day: date
    sender: str
    messages: int
    content: int
    media: int
    documents: int
    deleted: int


@dataclass(frozen=True)
class ChatEvent:
    """A system line: `kind` is added, left, joined_by_link, ...; names as written."""

    day: date
    kind: str
    actor: str
    target: str


@dataclass(frozen=True)
class Skipped:
    """A line that was not counted, with its line number and why."""

    line: int
    text: str
    why: str


@dataclass(frozen=True)
class ChatExport:
    """The counts read from one export."""

    name: str
    platform: str  # android | ios | android and ios
    order: str  # day-first | month-first | year-first
    order_reason: str
    ambiguous: bool
    lines: int
    sender_days: tuple[SenderDay, ...]
    events: tuple[ChatEvent, ...]
    skipped: int
    skipped_sample: tuple[Skipped, ...]

    @property
    def messages(self) -> int:
        """Messages counted (system lines excluded)."""
        return sum(day.messages for day in self.sender_days)

    @property
    def days(self) -> tuple[date, ...]:
        """The days the export covers, first to last, in order."""
        found = {day.day for day in self.sender_days} | {event.day for event in self.events}
        return tuple(sorted(found))


def read_chat(
    path: Path,
    rule: ContentRule | None = None,
    day_first: bool | None = None,
    progress: Progress | None = None,
) -> ChatExport:
    """Count a `.txt` or `.zip` export; `day_first` forces the date order."""
    tally = _Tally(rule or ContentRule())
    with open_export(path) as (text, binary, total):
        try:
            for block, ended in _text_blocks(text):
                tally.read_block(block, ended)
                if progress is not None:
                    progress(binary.tell(), total)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise ChatExportError(path, "the zip file is damaged and cannot be read") from exc
    if progress is not None:
        progress(total, total)
    export = tally.result(path.name, day_first)
    if not export.sender_days and not export.events:
        raise ChatExportError(path, _not_a_chat(export))
    return export


def _not_a_chat(export: ChatExport) -> str:
    first = export.skipped_sample[0].text[:60] if export.skipped_sample else ""
    seen = f' (it starts "{first}")' if first else " (it is empty)"
    return (
        f"no line looks like a WhatsApp message{seen}; export the chat from WhatsApp "
        "(More > Export chat > Without media) and give the .zip or .txt it makes"
    )


@contextmanager
def open_export(path: Path) -> Iterator[tuple[IO[str], IO[bytes], int]]:
    """The export's text, the bytes under it and their size; a zip's chat file is chosen."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                member = _chat_member(archive, path)
                with archive.open(member) as binary:
                    yield _text(binary), binary, member.file_size
        else:
            with path.open("rb") as raw:
                yield _text(raw), raw, path.stat().st_size
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise ChatExportError(path, "the zip file is damaged and cannot be read") from exc
    except OSError as exc:
        raise ChatExportError(path, f"cannot be read ({exc})") from exc


def _chat_member(archive: zipfile.ZipFile, path: Path) -> zipfile.ZipInfo:
    texts = [info for info in archive.infolist() if info.filename.lower().endswith(".txt")]
    if not texts:
        names = ", ".join(info.filename for info in archive.infolist()[:5]) or "nothing"
        raise ChatExportError(path, f"the zip holds no chat (.txt) file, only: {names}")
    preferred = [
        info
        for info in texts
        if Path(info.filename).name == "_chat.txt" or "whatsapp" in info.filename.lower()
    ]
    return max(preferred or texts, key=lambda info: info.file_size)


def _text(binary: IO[bytes]) -> IO[str]:
    start = binary.peek(4)[:4] if hasattr(binary, "peek") else b""
    encoding = "utf-16" if start[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    return io.TextIOWrapper(binary, encoding=encoding, errors="replace", newline=None)


def tally_lines(
    lines: Iterable[str],
    rule: ContentRule | None = None,
    day_first: bool | None = None,
    name: str = "chat",
    progress: Callable[[int], None] | None = None,
) -> ChatExport:
    """Count an export given as lines (with or without their line ends)."""
    tally = _Tally(rule or ContentRule())
    batch: list[str] = []
    for line in lines:
        whole = line.find("\n") == len(line) - 1 >= 0  # one line with its line end
        if whole:
            batch.append(line)
        if batch and (not whole or len(batch) == _BLOCK_LINES):
            tally.read_block("\n" + "".join(batch)[:-1], ended=True)
            batch = []
            if progress is not None:
                progress(tally.lines)
        if not whole:  # read as given, one line, the way the general path reads any line
            tally.read_line(tally.lines + 1, line)
            tally.lines += 1
    if batch:
        tally.read_block("\n" + "".join(batch)[:-1], ended=True)
    return tally.result(name, day_first)


_BLOCK_CHARS = 1 << 18  # big enough that the work per block vanishes, small enough to stay flat
_BLOCK_LINES = 2_500


def _text_blocks(text: IO[str]) -> Iterator[tuple[str, bool]]:
    """Blocks of whole lines, each after a "\n", and whether the last one had a line end.

    A block is cut after its last line end; the rest waits for the next block.
    """
    carry = "\n"
    while chunk := text.read(_BLOCK_CHARS):
        joined = carry + chunk
        cut = joined.rfind("\n")
        if cut > 0:
            yield joined[:cut], True
        carry = joined[cut:]
    if len(carry) > 1:
        yield carry, False


class _Tally:
    """The counting pass, one block of lines at a time.

    MESSAGE_LINE cuts every line of a block in one call. The common message
    lines come out cut into date, sender and text, and a plain text message
    is counted right in `read_block`'s loop. Every other line goes to
    `read_line`, the general path, in its place; so the result is the one a
    line-by-line reading with FAST_HEADER and HEADER gives.
    """

    def __init__(self, rule: ContentRule) -> None:
        self.rule = rule
        self.min_chars = rule.min_chars if rule.min_chars > 0 else 1 << 62
        # date as written -> sender as written -> [messages, content, media, documents, deleted]
        self.days: dict[str, dict[str, list[int]]] = {}
        self.senders: dict[str, list[int]] = {}  # the day of the last message line
        self.last = ""  # its date as written
        self.names: dict[str, str] = {}
        self.meridiems: dict[str, str | None] = {"": ""}
        self.events: list[tuple[str, tuple[str, str, str]]] = []  # date as written, event
        self.skipped: list[Skipped] = []
        self.skipped_count = 0
        self.lines = 0
        self.ios = 0
        self.runs = 0
        self.pending: list[int] | None = None  # the counts of a text message that may go on
        self.length = 0
        self.linked = False

    def read_block(self, block: str, ended: bool) -> None:
        """Count a block: a "\n" before each line, `ended` if its last line had a line end.

        The loop is one method, with the state in local variables, so that it stays tight.
        """
        min_chars, links = self.min_chars, self.rule.links
        senders, pending, length, linked = self.senders, self.pending, self.length, self.linked
        entered: str | None = None  # the date (with its "[") of the last common line
        number = self.lines
        unended = -1 if ended else number + block.count("\n")
        for head, sender, text, line in MESSAGE_LINE.findall(block):
            number += 1
            if head != entered:
                if not head:  # any other line: the general path
                    self.pending, self.length, self.linked = pending, length, linked
                    self.read_line(number, line if number == unended else line + "\n")
                    pending, length, linked = self.pending, self.length, self.linked
                    senders, entered = self.senders, None
                    continue
                self.enter_day(head.removeprefix("["), ios=head[0] == "[")
                senders, entered = self.senders, head
            if text in _DELETED_EXACT or text[:1] in "<\u200e\u200f" or text[-1:] == ")":
                self.message(number, head.removeprefix("["), sender, text, ios=head[0] == "[")
                pending, length, linked = self.pending, self.length, self.linked
                continue
            counts = senders.get(sender)
            if counts is None:
                counts = self.counts(senders, sender)
            counts[0] += 1
            size = len(text)
            if size >= min_chars or (links and ("://" in text or "www." in text)):
                counts[1] += 1
                pending = None
            else:
                pending, length, linked = counts, size, False
        self.pending, self.length, self.linked = pending, length, linked
        self.lines = number

    def is_content(self, text: str) -> bool:
        return len(text) >= self.min_chars or (
            self.rule.links and ("://" in text or "www." in text)
        )

    def counts(self, senders: dict[str, list[int]], sender: str) -> list[int]:
        counts = senders.get(sender)
        if counts is None:  # one copy of each name for all days: memory stays small
            sender = self.names.setdefault(sender, sender)
            counts = senders[sender] = [0, 0, 0, 0, 0]
        return counts

    def enter_day(self, written: str, ios: bool) -> None:
        if written != self.last:
            self.last = written
            self.senders = self.days.setdefault(written, {})
            self.runs += 1  # runs of lines with one date: counted for the platform
            self.ios += ios

    def skip(self, line: int, text: str, why: str) -> None:
        self.skipped_count += 1
        if len(self.skipped) < SAMPLE_SIZE:
            self.skipped.append(Skipped(line, text.strip()[:120], why))

    def read_line(self, number: int, line: str) -> None:
        """The general path: one line with its line end, read the way every line once was."""
        first = line[:1]
        if first.isdecimal() or first in HEADER_FIRST_CHARS:  # else it cannot be a header
            if (found := FAST_HEADER.match(line)) is not None:
                bracket, written, _, rest = found.groups()
                self.header(number, written, rest, ios=bracket is not None)
                return
            if (found := HEADER.match(line)) is not None:
                bracket, written, _, before, after, rest = found.groups()
                word = before or after
                if word not in self.meridiems:
                    self.meridiems[word] = meridiem(word)
                    if self.meridiems[word] is None:
                        self.skip(number, line, f'unknown AM/PM word "{word.strip()}" (counted)')
                self.header(number, written, rest, ios=bracket is not None)
                return
            if LOOKS_LIKE_HEADER.match(line):
                self.skip(number, line, "starts like a message but cannot be read")
                return
        if self.pending is not None:
            self.length += len(line)
            self.linked = self.linked or "://" in line or "www." in line
            if self.length >= self.min_chars or self.linked:
                self.pending[1] += 1
                self.pending = None
        elif not self.last and line.strip():
            self.skip(number, line, "not a message line")

    def header(self, number: int, written: str, rest: str, ios: bool) -> None:
        """A message or system line: `rest` is what follows its date and time."""
        self.pending = None
        self.enter_day(written, ios)
        split = rest.find(": ")
        # A long "sender" on Android is a system line quoting a colon (a new subject).
        if split < 0 or (split > _LONGEST_NAME and not ios and self.is_system(rest)):
            self.system(written, number, rest)
            return
        self.message(number, written, rest[:split], rest[split + 2 :], ios)

    def message(self, number: int, written: str, sender: str, text: str, ios: bool) -> None:
        """A message line of the day `written`, already entered."""
        self.pending = None
        kind = 0
        if text in _DELETED_EXACT:
            kind = 4
        elif text[:1] in "<\u200e\u200f" or text.endswith(")"):
            kind = self.classify(text, ios)
            if kind < 0:
                self.system(written, number, text)
                return
        counts = self.counts(self.senders, sender)
        counts[0] += 1
        if kind:
            counts[kind] += 1
            counts[1] += (kind == 2 and self.rule.media) or (kind == 3 and self.rule.documents)
        elif self.is_content(text):
            counts[1] += 1
        else:
            self.pending, self.length, self.linked = counts, len(text), False

    def classify(self, text: str, ios: bool) -> int:
        """0 text, 2 media, 3 document, 4 deleted, -1 a system line (iOS writes them so)."""
        clean = text.strip(_MARKS)
        kind = attachment_kind(clean)
        if kind:
            return 2 if kind == "media" else 3
        if is_deleted(clean):
            return 4
        if ios and text.startswith("\u200e") and system_event(clean)[0]:
            return -1
        return 0

    def is_system(self, text: str) -> bool:
        return bool(system_event(text.strip(_MARKS))[0])

    def system(self, written: str, number: int, text: str) -> None:
        event = system_event(text.strip(_MARKS))
        if event[0]:
            self.events.append((written, event))
        else:
            self.skip(number, text, "a system line grouptier does not know")

    def result(self, name: str, day_first: bool | None) -> ChatExport:
        keys = {written: date_key(written) for written in self.days}
        keys.update((written, date_key(written)) for written, _ in self.events)
        order, reason, ambiguous = decide_order(list(keys.values()), day_first)
        dates: dict[str, date | None] = {}
        for written, key in keys.items():
            dates[written] = to_date(key, order)
            if dates[written] is None:
                self.skip(0, written, f"not a real date ({order})")
        events = [
            ChatEvent(day, *event)
            for written, event in self.events
            if (day := dates[written]) is not None
        ]
        return ChatExport(
            name=name,
            platform=_platform(self.ios, self.runs),
            order=order,
            order_reason=reason,
            ambiguous=ambiguous,
            lines=self.lines,
            sender_days=_sender_days(self.days, dates),
            events=tuple(events),
            skipped=self.skipped_count,
            skipped_sample=tuple(self.skipped),
        )


def _sender_days(
    days: dict[str, dict[str, list[int]]], dates: dict[str, date | None]
) -> tuple[SenderDay, ...]:
    """One entry a day and sender, in order; a day written twice and a name's marks merged."""
    by_day: dict[date, dict[str, list[int]]] = {}
    shown: dict[str, str] = {}
    for written, senders in days.items():
        day = dates[written]
        if day is None:
            continue
        merged = by_day.setdefault(day, {})
        for sender, counts in senders.items():
            name = shown.get(sender)
            if name is None:
                name = shown[sender] = " ".join(sender.strip(_MARKS).split())
            total = merged.get(name)
            merged[name] = (
                counts if total is None else [a + b for a, b in zip(total, counts, strict=True)]
            )
    return tuple(
        SenderDay._make((day, sender, *counts))
        for day in sorted(by_day)
        for sender, counts in sorted(by_day[day].items())
    )


def _platform(ios: int, runs: int) -> str:
    if not ios:
        return "android"
    return "ios" if ios >= runs else "android and ios"
