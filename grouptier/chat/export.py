"""Read a WhatsApp chat export (`.txt` or the exported `.zip`) into per-sender daily counts.

The file is read as a stream, in blocks of lines, and only counts are kept
(one entry per sender and day, one per system event), so memory does not
grow with the number of messages; `tally` holds that counting pass. A
big export is counted in ranges on all the machine's cores (`ranges`),
with the same result.

Dates stay as written until the end, when `dates` decides once for the
whole file whether `03/04/24` is the 3rd of April or the 4th of March, unless
the caller says which.

Nothing in an export stops the reading: lines that look like a message but
cannot be read, system lines in an unknown language and dates that do not
exist are counted and sampled in the result, and no line costs more than
its length (`tally` keeps a line's first `LONGEST_LINE` characters). A
file that is not a chat at all, or not a regular file, and a zip that is
damaged, cut short, locked or unpacks to more than its limit (`chat_files`)
raise `ChatExportError`.
"""

from __future__ import annotations

import errno
import io
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import IO, NamedTuple

from grouptier import chat_files
from grouptier.chat import ranges
from grouptier.chat.dates import date_key, decide_order, to_date
from grouptier.chat.formats import split_names
from grouptier.chat.marks import INVISIBLE
from grouptier.chat.phrases import PARTED_LATER, part_names
from grouptier.chat.tally import SAMPLE_SIZE, ContentRule, Skipped, Tally, text_blocks
from grouptier.errors import ChatExportError
from grouptier.gc_pause import gc_paused

__all__ = [
    "SAMPLE_SIZE",
    "ChatEvent",
    "ChatExport",
    "ContentRule",
    "Progress",
    "SenderDay",
    "Skipped",
    "open_export",
    "read_chat",
    "summarise",
    "tally_lines",
]

Progress = Callable[[int, int], None]
"""Called now and then with (bytes read, total bytes) while a file is read."""

_NO_MARKS = str.maketrans("", "", INVISIBLE)


class SenderDay(NamedTuple):
    """What one sender did on one day of the export (a tuple: there may be 100,000 of them)."""

    day: date
    sender: str
    messages: int
    content: int
    media: int
    documents: int
    deleted: int


class ChatEvent(NamedTuple):
    """A system line: `kind` is added, left, joined_by_link, ...; names as written.

    A tuple, like SenderDay: a big export has tens of thousands of them.
    """

    day: date
    kind: str
    actor: str
    target: str


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
    first_unreadable: Skipped | None = None  # the first line like a header that was not read
    readings: tuple[str, ...] = ()  # when `ambiguous`: the orders its dates could be in

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
    date_order: str | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> ChatExport:
    """Count a `.txt` or `.zip` export; `date_order` ("day-first", "month-first" or
    "year-first") forces the order of its dates.

    A big export is counted on up to `workers` processes (by default every
    core this process may use; 1 counts it here alone). While it is read,
    SIGTERM raises `chat_files.Terminated`, so that temporary files and
    worker processes go with it.
    """
    rule = rule or ContentRule()
    _check_file(path)
    with chat_files.terminate_raises(), gc_paused():
        tally = _count_in_ranges(path, rule, workers, progress) or _count(path, rule, progress)
        # Still paused: the entries summarise makes (100,000 of them) would start passes
        # over the tally's own, again and again, to find nothing to free.
        export = summarise(tally, path.name, date_order)
    if not export.sender_days and not export.events:
        raise ChatExportError(path, _not_a_chat(export))
    return export


def _check_file(path: Path) -> None:
    """Refuse, before reading, what is not a file or is a zip cut short."""
    chat_files.check_regular(path)
    if chat_files.is_cut_zip(path):
        raise ChatExportError(
            path,
            "this zip file is cut short (its end is missing), as when a download or a copy "
            "stops early; copy or download the export again",
        )


def _count(path: Path, rule: ContentRule, progress: Progress | None) -> Tally:
    """One pass over the export, in this process."""
    tally = Tally(rule)
    with open_export(path) as (text, binary, total):
        for block, ended in text_blocks(text):
            tally.read_block(block, ended)
            if progress is not None:
                progress(binary.tell(), total)
    if progress is not None:
        progress(total, total)
    return tally


def _count_in_ranges(
    path: Path, rule: ContentRule, workers: int | None, progress: Progress | None
) -> Tally | None:
    """The counts of a big UTF-8 export, made on several processes; else None."""
    workers = workers or ranges.available_cores()
    if workers < 2:
        return None
    try:
        with _as_text_file(path) as text_path:
            size = 0 if text_path is None else text_path.stat().st_size
            if text_path is None or size < ranges.PARALLEL_FROM or not _utf8(text_path):
                return None
            step = ranges.range_step(size, workers)
            starts = ranges.message_starts(text_path, size, step)
            if len(starts) < 3:
                return None
            shown = None if progress is None else (lambda done: progress(done, size))
            return ranges.count_in_ranges(text_path, starts, rule, workers, shown)
    except (OSError, RuntimeError, NotImplementedError, zipfile.BadZipFile, zlib.error, EOFError):
        # No processes here (a sandbox without semaphores, a broken pool), a damaged
        # zip or a file that moved: the single pass reads it, or says clearly why not.
        return None


@contextmanager
def _as_text_file(path: Path) -> Iterator[Path | None]:
    """The export as a text file of its own: `path`, or a big zip's chat extracted.

    A zip's chat cannot be read from the middle, so one big enough to share
    out is first copied, unpacked, to a temporary folder (about 0.3 s for
    100 MB), within the zip's unpacked limit. None for a zip whose chat is
    too small to share out, or too big for the free space there: it is read
    from the zip in one pass, and the disk is never filled.
    """
    if not zipfile.is_zipfile(path):
        yield path
        return
    with chat_files.open_zip(path) as archive:
        member = _chat_member(archive, path)
        chat_files.check_member(path, member, chat_files.unpacked_limit(path))
        room = chat_files.free_bytes(tempfile.gettempdir()) - chat_files.UNPACKED_FLOOR
        if member.file_size < ranges.PARALLEL_FROM or member.file_size > room:
            yield None
            return
        with chat_files.temp_folder() as folder:
            unpacked = folder / "chat.txt"
            _unpack(archive, member, path, unpacked)
            yield unpacked


def _unpack(archive: zipfile.ZipFile, member: zipfile.ZipInfo, path: Path, to: Path) -> None:
    """Copy the chat out of the zip; a disk that fills up meanwhile stops the import."""
    try:
        with chat_files.open_member(archive, member, path) as source, to.open("wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        raise ChatExportError(
            path,
            f"the temporary folder ({to.parent.parent}) filled up while the chat was unpacked; "
            "nothing was imported. Free some space there and run the import again",
        ) from exc


def _utf8(path: Path) -> bool:
    """Only UTF-8 can be cut at a byte that is a line end: other texts are read in one pass."""
    with path.open("rb") as raw:
        return chat_files.text_encoding(raw.read(512)) == "utf-8-sig"


def _not_a_chat(export: ChatExport) -> str:
    """Why nothing was read: the first line with a date and time that could not be placed,
    or, when no line has one, that this is not a chat."""
    unread = export.first_unreadable
    if unread is not None:
        return (
            f'line {unread.line}: {unread.why} ("{unread.text[:60]}"); no message could be '
            "read, so nothing was imported"
        )
    first = export.skipped_sample[0].text[:60] if export.skipped_sample else ""
    seen = f' (it starts "{first}")' if first else " (it is empty)"
    return (
        f"not a WhatsApp chat: no line looks like a WhatsApp message{seen}; export the chat "
        "from WhatsApp (More > Export chat > Without media) and give the .zip or .txt it makes"
    )


@contextmanager
def open_export(path: Path) -> Iterator[tuple[IO[str], IO[bytes], int]]:
    """The export's text, the bytes under it and their size; a zip's chat file is chosen.

    Only a regular file is opened; a zip's chat stops with a `ChatExportError`
    past the zip's unpacked limit (`chat_files`).
    """
    _check_file(path)
    try:
        if zipfile.is_zipfile(path):
            with chat_files.open_zip(path) as archive:
                member = _chat_member(archive, path)
                chat_files.check_member(path, member, chat_files.unpacked_limit(path))
                with chat_files.open_member(archive, member, path) as binary:
                    yield _text(binary), binary, member.file_size
        else:
            with path.open("rb") as raw:
                yield _text(raw), raw, path.stat().st_size
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise ChatExportError(path, "the zip file is damaged and cannot be read") from exc
    except NotImplementedError as exc:
        raise ChatExportError(
            path,
            "the chat in this zip is compressed in a way grouptier cannot read; unzip "
            "it yourself and give grouptier the .txt file inside",
        ) from exc
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
    """The text of an export in UTF-8, UTF-16 or UTF-32, with or without a byte-order mark."""
    start = binary.peek(512)[:512] if hasattr(binary, "peek") else b""
    encoding = chat_files.text_encoding(start)
    return io.TextIOWrapper(binary, encoding=encoding, errors="replace", newline=None)


def tally_lines(
    lines: Iterable[str],
    rule: ContentRule | None = None,
    date_order: str | None = None,
    name: str = "chat",
    progress: Callable[[int], None] | None = None,
) -> ChatExport:
    """Count an export given as lines (with or without their line ends)."""
    tally = Tally(rule or ContentRule())
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
    return summarise(tally, name, date_order)


_BLOCK_LINES = 2_500


def summarise(tally: Tally, name: str, date_order: str | None) -> ChatExport:
    """The export a tally of the whole file counted.

    The dates are read here, all at once; one that does not exist is a skipped line.
    """
    keys = {written: date_key(written) for written in tally.days}
    for written, _ in tally.events:
        if written not in keys:
            keys[written] = date_key(written)
    order, reason, readings = decide_order(keys, date_order)
    dates: dict[str, date | None] = {}
    for written, key in keys.items():
        dates[written] = to_date(key, order)
        if dates[written] is None:
            tally.skip(0, written, f"not a real date ({order})")
    new = tuple.__new__  # see _sender_days
    events = tuple(
        [
            new(ChatEvent, (day, kind, without_push_mark(actor), target))
            for written, (kind, actor, target) in _names_parted(tally)
            if (day := dates[written]) is not None
        ]
    )
    return ChatExport(
        name=name,
        platform=_platform(tally.ios, tally.runs),
        order=order,
        order_reason=reason,
        ambiguous=bool(readings),
        lines=tally.lines,
        sender_days=_sender_days(tally.days, dates),
        events=events,
        skipped=tally.skipped_count,
        skipped_sample=tuple(tally.skipped[:SAMPLE_SIZE]),
        first_unreadable=tally.first_unreadable,
        readings=readings,
    )


Event = tuple[str, tuple[str, str, str]]  # the date as written; kind, actor, target


def _names_parted(tally: Tally) -> list[Event]:
    """The tally's events, with two names written as one text parted (`phrases.part_names`).

    Where they part is told by the names the chat shows elsewhere: its senders
    and the people other system lines name.
    """
    if not tally.parted_later:
        return tally.events
    known = {_plain(sender) for senders in tally.days.values() for sender in senders}
    for _, (_, actor, target) in tally.events:
        if not target.startswith(PARTED_LATER):
            known.update(_plain(name) for name in (actor, *split_names(target)))
    known.discard("")

    # The same pairs come back line after line (one admin removing many), so a
    # try is cleaned once; the size keeps memory flat whatever the file holds.
    @lru_cache(maxsize=4096)
    def is_known(names: str) -> bool:
        parts = split_names(names)  # a removal may name several people
        return bool(parts) and all(_plain(name) in known for name in parts)

    return [
        (written, (kind, *part_names(actor, target, is_known)))
        if target.startswith(PARTED_LATER)
        else (written, (kind, actor, target))
        for written, (kind, actor, target) in tally.events
    ]


def _plain(name: str) -> str:
    """A name without its direction marks, its spaces as one: as two lines may write it."""
    return without_push_mark(" ".join(name.translate(_NO_MARKS).split()))


def without_push_mark(name: str) -> str:
    """`name` without the "~ " WhatsApp puts before the name a person gave themselves, when
    the exporting phone has no contact for them (`~ Dana`, `~ +1 555 0100`): it is not
    part of the name the Members tab knows."""
    if name.startswith("~") and name[1:2].isspace():
        return name[1:].lstrip()
    return name


def _sender_days(
    days: dict[str, dict[str, list[int]]], dates: dict[str, date | None]
) -> tuple[SenderDay, ...]:
    """One entry a day and sender, in order; a day written twice and a name's marks merged."""
    names = set().union(*days.values())
    shown = {sender: _plain(sender) for sender in names}
    renamed = any(sender != name for sender, name in shown.items())
    by_day: dict[date, dict[str, list[int]]] = {}
    for written, senders in days.items():
        day = dates[written]
        if day is None:
            continue
        if day in by_day or renamed:  # the rare case: counts to merge, in a copy
            merged = by_day[day] = dict(by_day.get(day, {}))
            for sender, counts in senders.items():
                total = merged.get(shown[sender])
                merged[shown[sender]] = (
                    counts if total is None else [a + b for a, b in zip(total, counts, strict=True)]
                )
        else:
            by_day[day] = senders
    # tuple.__new__ is a third quicker than SenderDay._make, and counts unpacked in the
    # loop's target twice as quick as `*counts`, on 100,000 entries.
    new = tuple.__new__
    return tuple(
        [
            new(SenderDay, (day, sender, messages, content, media, documents, deleted))
            for day in sorted(by_day)
            for sender, (messages, content, media, documents, deleted) in sorted(
                by_day[day].items()
            )
        ]
    )


def _platform(ios: int, runs: int) -> str:
    if not ios:
        return "android"
    return "ios" if ios >= runs else "android and ios"
