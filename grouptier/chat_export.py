"""Read a WhatsApp chat export (`.txt` or the exported `.zip`) into per-sender daily counts.

The file is read as a stream, line by line, and only counts are kept (one
entry per sender and day, one per system event), so memory does not grow
with the number of messages. Dates stay as written until the end: whether
`03/04/24` is the 3rd of April or the 4th of March is decided once for the
whole file, from the evidence in it (a day above 12, else the order the days
follow each other), unless the caller says which.

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
from itertools import pairwise
from pathlib import Path
from typing import IO, NamedTuple

from grouptier.chat_formats import (
    BUDDHIST_ERA_FROM,
    BUDDHIST_ERA_OFFSET,
    DATE_PARTS,
    DELETED_TEXTS,
    ERA_OFFSETS,
    FAST_HEADER,
    HEADER,
    INVISIBLE,
    LOOKS_LIKE_HEADER,
    attachment_kind,
    is_deleted,
    meridiem,
    system_event,
)
from grouptier.errors import ChatExportError

Progress = Callable[[int, int], None]
"""Called now and then with (bytes read, total bytes) while a file is read."""

DayKey = tuple[str | None, str, str, str]  # era, first, second, last: as written
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
    with open_export(path) as (text, binary, total):

        def report(_line: int) -> None:
            if progress is not None:
                progress(binary.tell(), total)

        try:
            export = tally_lines(text, rule or ContentRule(), day_first, path.name, report)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise ChatExportError(path, "the zip file is damaged and cannot be read") from exc
    if progress is not None:
        progress(total, total)
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
    tally.run(lines, progress)
    return tally.result(name, day_first)


class _Tally:
    """The counting pass; the loop is one method so that it stays tight."""

    def __init__(self, rule: ContentRule) -> None:
        self.rule = rule
        # date as written -> sender as written -> [messages, content, media, documents, deleted]
        self.days: dict[str, dict[str, list[int]]] = {}
        self.events: list[tuple[str, tuple[str, str, str]]] = []  # date as written, event
        self.skipped: list[Skipped] = []
        self.skipped_count = 0
        self.lines = 0
        self.ios = 0
        self.runs = 0

    def skip(self, line: int, text: str, why: str) -> None:
        self.skipped_count += 1
        if len(self.skipped) < SAMPLE_SIZE:
            self.skipped.append(Skipped(line, text.strip()[:120], why))

    def run(self, lines: Iterable[str], progress: Callable[[int], None] | None) -> None:  # noqa: PLR0912, PLR0915
        fast, full = FAST_HEADER.match, HEADER.match
        days, rule = self.days, self.rule
        min_chars = rule.min_chars if rule.min_chars > 0 else 1 << 62
        links = rule.links
        meridiems: dict[str, str | None] = {"": ""}
        last = ""
        senders: dict[str, list[int]] = {}
        names: dict[str, str] = {}
        pending: list[int] | None = None  # the counts of the text message still open
        length, linked = 0, False
        number = 0
        for number, line in enumerate(lines, 1):
            found = fast(line)
            if found is not None:
                bracket, written, _, rest = found.groups()
            elif (found := full(line)) is not None:
                bracket, written, _, before, after, rest = found.groups()
                word = before or after
                if word not in meridiems:
                    meridiems[word] = meridiem(word)
                    if meridiems[word] is None:
                        self.skip(number, line, f'unknown AM/PM word "{word.strip()}" (counted)')
            else:
                if LOOKS_LIKE_HEADER.match(line):
                    self.skip(number, line, "starts like a message but cannot be read")
                elif pending is not None:
                    length += len(line)
                    linked = linked or "://" in line or "www." in line
                elif not last and line.strip():
                    self.skip(number, line, "not a message line")
                continue
            if pending is not None and (length >= min_chars or linked):
                pending[1] += 1
            pending = None
            if written != last:
                last = written
                senders = days.setdefault(written, {})
                self.runs += 1  # runs of lines with one date: counted for the platform
                self.ios += bracket is not None
                if progress is not None:
                    progress(number)
            split = rest.find(": ")
            # A long "sender" on Android is a system line quoting a colon (a new subject).
            if split < 0 or (split > _LONGEST_NAME and not bracket and self.is_system(rest)):
                self.system(written, number, rest)
                continue
            text = rest[split + 2 :]
            kind = 0
            if text in _DELETED_EXACT:
                kind = 4
            elif text[:1] in "<\u200e\u200f" or text.endswith(")"):
                kind = self.classify(text, bool(bracket))
                if kind < 0:
                    self.system(written, number, text)
                    continue
            sender = rest[:split]
            counts = senders.get(sender)
            if counts is None:  # one copy of each name for all days: memory stays small
                sender = names.setdefault(sender, sender)
                counts = senders[sender] = [0, 0, 0, 0, 0]
            counts[0] += 1
            if kind == 0:
                pending, length = counts, len(text)
                linked = links and ("://" in text or "www." in text)
            else:
                counts[kind] += 1
                if (kind == 2 and rule.media) or (kind == 3 and rule.documents):
                    counts[1] += 1
        if pending is not None and (length >= min_chars or linked):
            pending[1] += 1
        self.lines = number

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
        keys = {written: _date_key(written) for written in self.days}
        keys.update((written, _date_key(written)) for written, _ in self.events)
        order, reason, ambiguous = decide_order(list(keys.values()), day_first)
        dates: dict[str, date | None] = {}
        for written, key in keys.items():
            dates[written] = to_date(key, order)
            if dates[written] is None:
                self.skip(0, written, f"not a real date ({order})")
        merged: dict[tuple[date, str], list[int]] = {}
        names: dict[str, str] = {}
        for written, senders in self.days.items():
            day = dates[written]
            if day is None:
                continue
            for sender, counts in senders.items():
                if sender not in names:
                    names[sender] = " ".join(sender.strip(_MARKS).split())
                shown = names[sender]
                total = merged.get((day, shown))
                if total is None:
                    merged[(day, shown)] = counts
                else:  # the same day written twice ("1/2/24" and "01/02/24"), or a name's marks
                    total[:] = [a + b for a, b in zip(total, counts, strict=True)]
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
            sender_days=tuple(
                SenderDay(day, sender, *counts) for (day, sender), counts in sorted(merged.items())
            ),
            events=tuple(events),
            skipped=self.skipped_count,
            skipped_sample=tuple(self.skipped),
        )


def _platform(ios: int, runs: int) -> str:
    if not ios:
        return "android"
    return "ios" if ios >= runs else "android and ios"


def _date_key(written: str) -> DayKey:
    found = DATE_PARTS.match(written)
    if found is None:  # HEADER and DATE_PARTS read dates alike; kept total for safety
        return (None, "0", "0", "0")
    era, first, second, last = found.groups()
    return (era, first, second, last)


def decide_order(keys: list[DayKey], day_first: bool | None) -> tuple[str, str, bool]:
    """(order, the evidence for it, ambiguous?) for the dates of one file, in file order."""
    if keys and all(_year_first(key) for key in keys):
        return "year-first", "the dates start with the year", False
    if day_first is not None:
        order = "day-first" if day_first else "month-first"
        return order, "as asked", False
    days_above = [key for key in keys if not _year_first(key) and int(key[1]) > 12]
    months_above = [key for key in keys if not _year_first(key) and int(key[2]) > 12]
    if days_above and not months_above:
        return "day-first", f"{_shown(days_above[0])} can only be day-first", False
    if months_above and not days_above:
        return "month-first", f"{_shown(months_above[0])} can only be month-first", False
    if days_above and months_above:
        order = "day-first" if len(days_above) >= len(months_above) else "month-first"
        reason = (
            f"the dates disagree ({_shown(days_above[0])} and {_shown(months_above[0])}); "
            f"most read {order}"
        )
        return order, reason, True
    in_order = {o: _chronological(keys, o) for o in ("day-first", "month-first")}
    if in_order["day-first"] != in_order["month-first"]:
        order = "day-first" if in_order["day-first"] else "month-first"
        return order, "only this order keeps the days in sequence", False
    return "day-first", "no day above 12 settles it", True


def _year_first(key: DayKey) -> bool:
    return key[0] is not None or len(key[1]) == 4 or int(key[1]) > 31


def _shown(key: DayKey) -> str:
    return "/".join(part for part in key[1:])


def _chronological(keys: list[DayKey], order: str) -> bool:
    dates = [to_date(key, order) for key in keys]
    known = [day for day in dates if day is not None]
    return len(known) == len(dates) and all(a <= b for a, b in pairwise(known))


def to_date(key: DayKey, order: str) -> date | None:
    """The calendar date of a date as written, or None if it does not exist."""
    era, first, second, last = key
    if era is not None or _year_first(key):
        year, month, day = int(first), int(second), int(last)
    elif order == "month-first":
        month, day, year = int(first), int(second), int(last)
    else:
        day, month, year = int(first), int(second), int(last)
    year = _gregorian(year, era)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _gregorian(year: int, era: str | None) -> int:
    if era is not None:
        return ERA_OFFSETS[era] + year
    if year < 100:
        return 2000 + year
    if year >= BUDDHIST_ERA_FROM:
        return year - BUDDHIST_ERA_OFFSET
    return year
