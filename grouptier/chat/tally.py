"""The counting pass over the lines of a chat export, and the merging of passes.

A `Tally` reads blocks of lines in file order and keeps only counts: one
entry per sender and day as written, one per system event, and a sample of
the lines it could not count. One regular expression cuts a whole block
into lines, and the common message lines into date, sender and text; every
other line is read on its own, in its place, the general way (`read_line`).

A big file can be counted in ranges, each starting at a message line, by
separate tallies (in separate processes); `absorb` merges them, in file
order, into the tally one pass over the whole file gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import IO
from unicodedata import is_normalized

from grouptier.chat.formats import (
    ATTACHED_FIRST,
    CALL_TEXTS,
    DELETED_FIRST,
    DELETED_TEXTS,
    FAST_HEADER,
    HEADER,
    HEADER_FIRST_CHARS,
    LOOKS_LIKE_HEADER,
    SYSTEM_SENDERS,
    TIME_FIRST_HEADER,
    attachment_kind,
    dated,
    edit_mark_length,
    is_deleted,
    meridiem,
    message_line,
    message_line_for,
    system_event,
    unreadable_header_why,
)
from grouptier.chat.marks import INVISIBLE
from grouptier.chat.normal_form import BlockNormaliser, nfc
from grouptier.chat.phrases import PARTED_LATER

SAMPLE_SIZE = 5
BLOCK_CHARS = 1 << 16  # big enough that the work per block vanishes; its rows stay in cache
_LONGEST_NAME = 40  # characters of a sender name before a "Name: " looks like a system line
_MARKS = INVISIBLE + " \u00a0\u202f"
# iOS starts its notices with a direction mark: left-to-right, or right-to-left in Persian
# and Urdu (U+200F; U+061C, the Arabic letter mark, in others).
_NOTICE_MARKS = ("\u200e", "\u200f", "\u061c")
_DELETED_EXACT, _CALL_EXACT = (
    frozenset(variant for text in texts for variant in (text, *(m + text for m in _NOTICE_MARKS)))
    for texts in (DELETED_TEXTS, CALL_TEXTS)
)
# Texts that are classified: a label may follow a caption or a name ("… <attached: x.jpg>").
_LABEL_FIRST = ATTACHED_FIRST + DELETED_FIRST
_KINDS_KEPT = 256  # texts of attachments and deleted messages kept with their kind, at most
_KIND_TEXT = 120  # characters: longer texts (a document's name) are classified each time


@dataclass(frozen=True)
class ContentRule:
    """Which messages count as content posts (each message counts once at most)."""

    min_chars: int = 200  # a text of at least this many characters; 0 turns it off
    links: bool = True
    documents: bool = True
    media: bool = False


@dataclass(frozen=True)
class Skipped:
    """A line that was not counted, with its line number and why."""

    line: int
    text: str
    why: str


def has_link(text: str) -> bool:
    """Whether a text holds a link; `read_block` writes this test out in its loop.

    A search for one character is a `memchr`, several times quicker than one
    for "://": most texts hold no "/" and no ".", and are passed over at that.
    """
    return ("/" in text and "://" in text) or ("." in text and "www." in text)


def header_match(line: str) -> re.Match[str] | None:
    """The header of a message or system line (the named groups of HEADER), or None.

    FAST_HEADER has the groups `bracket`, `date`, `sep` and `rest` only.
    """
    first = line[:1]
    if not (first.isdecimal() or first in HEADER_FIRST_CHARS):
        return None  # it cannot be a header: the patterns need not look
    return FAST_HEADER.match(line) or HEADER.match(line) or TIME_FIRST_HEADER.match(line)


def shaped_pattern(block: str, shorter_than: int = 1 << 62) -> re.Pattern[str] | None:
    """`message_line_for(block, shorter_than)`, reading ASCII digits only if its first message
    line has no others.

    Python's `\\d` tests every digit against Unicode's; `[0-9]` is about a tenth
    quicker over a whole file. A line written with other digits (Arabic-Indic)
    is then not read by the pattern, and goes the general way: the counts stay
    the same whichever pattern reads a block (see `message_line_for`).
    """
    shaped = message_line_for(block, shorter_than)
    if shaped is None:
        return None
    first = next((found for found in shaped.finditer(block) if found[1]), None)
    header = "" if first is None else block[first.start() : first.start(2)]
    if not header or any(char.isdecimal() and not char.isascii() for char in header):
        return shaped
    return _ascii_digits(shaped)


@lru_cache(maxsize=32)
def _ascii_digits(pattern: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(pattern.pattern, pattern.flags & ~re.UNICODE | re.ASCII)


def text_blocks(text: IO[str]) -> Iterator[tuple[str, bool]]:
    """Blocks of whole lines, each after a "\\n", and whether the last one had a line end.

    A block is cut after its last line end; the rest of its last line waits,
    in pieces, for the block that ends it, and is joined once: a file without
    line ends is read in linear time. A line keeps its first `LONGEST_LINE`
    characters (see `_Line`).
    """
    line = _Line("\n")
    while chunk := text.read(BLOCK_CHARS):
        cut = chunk.rfind("\n")
        if cut < 0:
            line.add(chunk)
            continue
        first = chunk.find("\n")
        line.add(chunk[:first])
        yield line.text() + chunk[first:cut], True
        line = _Line(chunk[cut:])
    if line.size > 1:
        yield line.text(), False


LONGEST_LINE = 1 << 20
"""Characters kept of one line: WhatsApp's own limit is 65,536 a message."""


class _Line:
    """A line read in pieces, kept to its first LONGEST_LINE characters.

    A longer line is a message (or a line of one) that a member made huge;
    it still counts once, and what is dropped can only matter to the content
    rule through a link, so a link in the dropped part is kept as a mark.
    """

    def __init__(self, start: str) -> None:
        self.pieces = [start]
        self.size = len(start)
        self.link = False  # a link in the dropped part
        self.tail = ""  # the last characters seen, so that a link cut in two is found

    def add(self, piece: str) -> None:
        room = max(LONGEST_LINE - self.size, 0)
        kept = piece[:room]
        if kept:
            self.pieces.append(kept)
            self.size += len(kept)
        if len(piece) > room:
            before = (self.tail + kept)[-3:]  # "ww" kept and "w." dropped is still a link
            self.link = self.link or has_link(before + piece[room:])
        self.tail = (self.tail + piece[-3:])[-3:]

    def text(self) -> str:
        joined = "".join(self.pieces)
        return joined + " www." if self.link and not has_link(joined) else joined


class Tally:
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
        self.first: tuple[str, bool] | None = None  # the first date as written, and if iOS
        self.last = ""  # the date as written of the last message line
        self.names: dict[str, str] = {}
        self.meridiems: dict[str, str | None] = {"": ""}
        self.events: list[tuple[str, tuple[str, str, str]]] = []  # date as written, event
        self.parted_later = False  # an event's two names are parted later (see `phrases`)
        self.skipped: list[Skipped] = []  # a sample, in line order; see `skip`
        self.skipped_count = 0
        self.sampled = 0  # samples taken, not counting unknown AM/PM words
        self.unknown_words: dict[str, Skipped] = {}  # each reported once, with its line
        self.first_unreadable: Skipped | None = None  # the first line like a header, unread
        self.lines = 0
        self.ios = 0
        self.runs = 0
        self.pending: list[int] | None = None  # the counts of a text message that may go on
        self.length = 0  # its characters so far
        self.lines_pattern = message_line(self.min_chars)  # until a block shows the shape
        self.shaped = False  # whether lines_pattern is the one for the file's shape of lines
        # An attachment's or a deleted message's text as written -> its kind (see `classify`):
        # "<Media omitted>" comes back thousands of times, and is classified once.
        self.kinds: dict[str, int] = {}
        self.normal = BlockNormaliser()  # which blocks and lines to turn to NFC
        self.credit = (0, 0, int(rule.media), int(rule.documents), 0)  # content, by kind

    def read_block(self, block: str, ended: bool) -> None:
        """Count a block: a "\n" before each line, `ended` if its last line had a line end.

        The loop is one method, with the state in local variables, so that it
        stays tight: plain text messages, attachments already classified and
        the lines that continue a text are counted right here, everything else
        by `message` and `read_line`.
        """
        block, check = self.normal.in_nfc(block)
        min_chars, kinds, credit = self.min_chars, self.kinds, self.credit
        is_nfc = is_normalized
        senders, pending, length = self.senders, self.pending, self.length
        # A plain message that may go on keeps its text, measured only if a line goes on
        # (the pattern gives as plain only texts shorter than min_chars: `message_line`);
        # its length is then len(start) + length. `entered` is the date (with its "[") of
        # the last common line ("\n" at first, as no date holds one); `written` that date
        # as written, `ios` whether the line is iOS's.
        start, entered, written, ios = "", "\n", "", False
        before, links = self.lines, self.rule.links
        found = self.pattern_for(block).findall(block)  # a tuple for every line
        unended = -1 if ended else before + len(found)
        for number, (head, sender, text, other_text, whole) in enumerate(found, before + 1):
            if head != entered:
                if not head:  # not a common message line
                    line = nfc(whole) if check else whole
                    first = line[:1]
                    if pending is not None and not (
                        first.isdecimal() or first in HEADER_FIRST_CHARS
                    ):  # a text going on, as `read_line` reads it
                        length += len(line) + (number != unended)
                        # is_long and has_link, written out: a call per line costs more here
                        if (
                            (total := len(start) + length) >= min_chars
                            and total - edit_mark_length(line) >= min_chars
                        ) or (
                            links
                            and (
                                ("/" in line and "://" in line) or ("." in line and "www." in line)
                            )
                        ):
                            pending[1] += 1
                            pending = None
                        continue
                    self.pending, self.length = pending, len(start) + length
                    if self.read_other(number, line if number == unended else line + "\n"):
                        entered = "\n"  # the line began another day
                    pending, length, senders, start = self.pending, self.length, self.senders, ""
                    continue
                written, ios = dated(head)
                self.enter_day(written, ios)
                senders, entered = self.senders, head
            if (
                check
                and not (sender.isascii() and (text or other_text).isascii())
                and not (is_nfc("NFC", sender) and is_nfc("NFC", text or other_text))
            ):
                self.header(
                    number, written, self.normal.line_in_nfc(f"{sender}: {text or other_text}"), ios
                )
                pending, length, start = self.pending, self.length, ""
                continue
            if other_text:
                kind = kinds.get(other_text)
                if kind is None or sender in SYSTEM_SENDERS:  # not seen yet: the general way
                    self.message(number, written, sender, other_text, ios)
                    pending, length, start = self.pending, self.length, ""
                    continue
                # an attachment, a deleted message
                self.counts(senders, sender, kind, credit[kind])
                pending = None
                continue
            counts = senders.get(sender) or self.first_of_day(
                senders, number, written, sender, text
            )
            counts[0] += 1
            if links and (
                ("/" in text and "://" in text) or ("." in text and "www." in text)
            ):  # has_link
                counts[1] += 1
                pending = None
            else:
                pending, start, length = counts, text, 0
        self.pending, self.length, self.lines = pending, len(start) + length, before + len(found)

    def pattern_for(self, block: str) -> re.Pattern[str]:
        """The pattern that cuts the lines of `block`: the file's shape's, once a block shows it."""
        if not self.shaped and (shaped := shaped_pattern(block, self.min_chars)):
            self.lines_pattern, self.shaped = shaped, True
        return self.lines_pattern

    def read_other(self, number: int, line: str) -> bool:
        """`read_line`, saying whether the line began another day."""
        day = self.last
        self.read_line(number, line)
        return self.last != day

    def is_content(self, text: str) -> bool:
        return self.is_long(len(text), text) or (self.rule.links and has_link(text))

    def is_long(self, length: int, last_line: str) -> bool:
        """Whether a text of `length` characters ending with `last_line` is long enough to be
        content, WhatsApp's mark of an edited message not counted (`edit_mark_length`)."""
        return length >= self.min_chars and length - edit_mark_length(last_line) >= self.min_chars

    def first_of_day(
        self, senders: dict[str, list[int]], number: int, written: str, sender: str, text: str
    ) -> list[int]:
        """The counts of a sender's first plain message of the day, new.

        A system line written like a message ("Dodano: Ana", Polish) is read as
        one, and gets counts no day holds: what `read_block` adds to them (the
        message, a link or a long text going on) counts nowhere.
        """
        if sender in SYSTEM_SENDERS:
            self.system(written, number, f"{sender}: {text}")
            return [0, 0, 0, 0, 0]
        # one copy of each name for all days: memory stays small
        counts = senders[self.names.setdefault(sender, sender)] = [0, 0, 0, 0, 0]
        return counts

    def counts(
        self, senders: dict[str, list[int]], sender: str, kind: int = 0, credit: int = 0
    ) -> list[int]:
        """The counts of `sender` that day, with a message of `kind` (attachments, deleted
        messages: 2 to 4) and its `credit` (content posts) added if one is given."""
        counts = senders.get(sender)
        if counts is None:  # one copy of each name for all days: memory stays small
            sender = self.names.setdefault(sender, sender)
            counts = senders[sender] = [0, 0, 0, 0, 0]
        if kind:
            counts[0] += 1
            counts[kind] += 1
            counts[1] += credit
        return counts

    def enter_day(self, written: str, ios: bool) -> None:
        if written != self.last:
            if self.first is None:
                self.first = (written, ios)
            self.last = written
            self.senders = self.days.setdefault(written, {})
            self.runs += 1  # runs of lines with one date: counted for the platform
            self.ios += ios

    def skip(self, line: int, text: str, why: str, word: str | None = None) -> None:
        """Count a line not counted; sample the first SAMPLE_SIZE, and every unknown AM/PM word.

        The words are all kept so that merged ranges can report each word once
        and still have the first SAMPLE_SIZE lines of the whole file.
        """
        self.skipped_count += 1
        if word is None and self.sampled == SAMPLE_SIZE:
            return
        sample = Skipped(line, text.strip()[:120], why)
        self.skipped.append(sample)
        if word is None:
            self.sampled += 1
        else:
            self.unknown_words[word] = sample

    def read_line(self, number: int, line: str) -> None:
        """The general path: one line with its line end, read the way every line once was
        (in NFC, as the language tables are written: see `normal_form`)."""
        line = nfc(line)
        found = header_match(line)
        if found is not None:
            if found.re is not FAST_HEADER:
                self.check_meridiem(number, line, found["before"] or found["after"])
            self.header(number, found["date"], found["rest"], ios=found["bracket"] is not None)
            return
        if LOOKS_LIKE_HEADER.match(line):
            why = unreadable_header_why(line)
            if self.first_unreadable is None:
                self.first_unreadable = Skipped(number, line.strip()[:120], why)
            self.skip(number, line, why)
        elif self.pending is not None:
            self.length += len(line)
            if self.is_long(self.length, line.rstrip("\n")) or (self.rule.links and has_link(line)):
                self.pending[1] += 1
                self.pending = None
        elif not self.last and line.strip():
            self.skip(number, line, "not a message line")

    def check_meridiem(self, number: int, line: str, word: str) -> None:
        """Read an AM/PM word once; an unknown one is reported once (its line still counts)."""
        if word not in self.meridiems:
            self.meridiems[word] = meridiem(word)
            if self.meridiems[word] is None:
                self.skip(number, line, f'unknown AM/PM word "{word.strip()}" (counted)', word)

    def header(self, number: int, written: str, rest: str, ios: bool) -> None:
        """A message or system line: `rest` is what follows its date and time."""
        self.pending = None
        self.enter_day(written, ios)
        split = rest.find(": ")
        if split < 0 and self.is_empty_message(rest):  # "Carol:", a self-deleting photo
            self.message(number, written, rest[:-1], "", ios)
            return
        # A long "sender" on Android is a system line quoting a colon (a new subject).
        if split < 0 or (split > _LONGEST_NAME and not ios and self.is_system(rest)):
            self.system(written, number, rest)
            return
        self.message(number, written, rest[:split], rest[split + 2 :], ios)

    def is_empty_message(self, rest: str) -> bool:
        """Whether a header's `rest` is a name and a colon alone: a message with no text, as
        Android writes a view-once photo ("Carol:")."""
        return 1 < len(rest) <= _LONGEST_NAME + 1 and rest[-1] == ":" and not self.is_system(rest)

    def message(self, number: int, written: str, sender: str, text: str, ios: bool) -> None:
        """A message line of the day `written`, already entered."""
        self.pending = None
        if sender in SYSTEM_SENDERS:  # "Dodano: Ana": a system line, not a message
            self.system(written, number, f"{sender}: {text}")
            return
        kind = self.kinds.get(text)
        if kind is None:
            kind = self.text_kind(text, ios)
            if kind < 0:
                self.system(written, number, text)
                return
            if kind and len(text) <= _KIND_TEXT and len(self.kinds) < _KINDS_KEPT:
                self.kinds[text] = kind  # the platform does not change it: see `classify`
        counts = self.counts(self.senders, sender)
        counts[0] += 1
        if kind:
            counts[kind] += 1
            counts[1] += self.credit[kind]
        elif self.is_content(text):
            counts[1] += 1
        else:
            self.pending, self.length = counts, len(text)

    def text_kind(self, text: str, ios: bool) -> int:
        """What a message's text is, as `classify` says; only texts that may not be plain
        text are classified."""
        if text in _DELETED_EXACT:
            return 4
        if text in _CALL_EXACT:  # "Missed voice call", written as the caller's message
            return -1
        if text[:1] in "<\u200e\u200f\u061c" or text[-1:] in ")>":
            return self.classify(text, ios)
        if text.startswith(_LABEL_FIRST):  # "فایل پیوست شد Report.pdf", "… deleted by admin …"
            return self.classify(text, ios)
        return 0

    def classify(self, text: str, ios: bool) -> int:
        """0 text, 2 media, 3 document, 4 deleted, -1 a system line (iOS writes them so)."""
        clean = text.strip(_MARKS)
        kind = attachment_kind(clean)
        if kind:
            return 2 if kind == "media" else 3
        if is_deleted(clean):
            return 4
        if ios and text.startswith(_NOTICE_MARKS) and system_event(clean)[0]:
            return -1
        return 0

    def is_system(self, text: str) -> bool:
        return bool(system_event(text.strip(_MARKS))[0])

    def system(self, written: str, number: int, text: str) -> None:
        event = system_event(text.strip(_MARKS))
        if event[0]:
            self.events.append((written, event))
            if event[2].startswith(PARTED_LATER):
                self.parted_later = True
        else:
            self.skip(number, text, "a system line grouptier does not know")

    def absorb(self, later: Tally) -> None:
        """Add the counts of the range of lines that follows this tally's, read on its own.

        `later` must start at a message line: the state a line carries to the
        next (a text that may go on, the day) starts afresh at a message line,
        so its counts are the ones a single pass would have made there.
        """
        self.merge_days(later.days)
        self.events.extend(later.events)
        self.parted_later = self.parted_later or later.parted_later
        self.merge_skipped(later)
        if self.first_unreadable is None and later.first_unreadable is not None:
            unread = later.first_unreadable
            self.first_unreadable = replace(unread, line=unread.line + self.lines)
        if later.first is not None:
            written, ios = later.first
            same_day = written == self.last  # the run of that day goes on over the cut
            self.runs += later.runs - same_day
            self.ios += later.ios - (same_day and ios)
            self.first = self.first or later.first
            self.last = later.last
        self.lines += later.lines
        self.pending = None

    def merge_days(self, days: dict[str, dict[str, list[int]]]) -> None:
        for written, senders in days.items():
            into = self.days.setdefault(written, {})
            for sender, counts in senders.items():
                total = into.get(sender)
                if total is None:
                    into[self.names.setdefault(sender, sender)] = counts
                else:
                    total[:] = map(sum, zip(total, counts, strict=True))

    def merge_skipped(self, later: Tally) -> None:
        """Line numbers move on by this tally's lines; an AM/PM word is reported once."""
        repeated = {
            id(sample)
            for word, sample in later.unknown_words.items()
            if self.meridiems.get(word, "") is None
        }
        for word, known in later.meridiems.items():
            self.meridiems.setdefault(word, known)
        self.skipped_count += later.skipped_count - len(repeated)
        for sample in later.skipped:
            if id(sample) not in repeated:
                self.skipped.append(replace(sample, line=sample.line + self.lines))
        del self.skipped[SAMPLE_SIZE:]
        self.sampled = min(self.sampled + later.sampled, SAMPLE_SIZE)
