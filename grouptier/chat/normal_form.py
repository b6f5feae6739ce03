"""One Unicode spelling for every text the reader matches: NFC.

Unicode writes "é" as one code point or as "e" and an accent; Korean as
syllables or as jamo. A Mac, a Korean or a Vietnamese phone may write a chat
in the decomposed form (NFD), and the language tables are written composed:
unless both are in one form, no system line, media label or deleted message
of such a file is recognised, and one name counts as two senders.

The reader turns to NFC only what is not NFC already, and checks as little
as it can (`BlockNormaliser.in_nfc`): `str.isascii` answers at once for a block of
ASCII; `unicodedata.is_normalized` scans about 1 ns a character, 0.12 s on
the benchmark's 1,000,000-line iOS export, whose every line holds direction
marks, where checking each line's sender and text costs a quarter of that.

CPython sorts a run of combining marks by insertion, in time that grows
with the square of its length: 80,000 marks typed into one message cost it
3 s. Before normalising, a run longer than `LONGEST_MARK_RUN` is cut with
a combining grapheme joiner every `LONGEST_MARK_RUN` marks, as Unicode's
Stream-Safe Text Format (UAX #15) does; no real word has such a run.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache

LONGEST_MARK_RUN = 30  # the Stream-Safe Text Format's bound
_JOINER = "\u034f"  # COMBINING GRAPHEME JOINER: a starter, so the sort stops there
_SAMPLE_CHARS = 1024  # of a block (about 10 lines), to tell if its texts are mostly ASCII
_HEADER_MARKS = ("\u200e", "\u200f", "\u202f", "\u00a0")  # in headers: direction, spaces


class BlockNormaliser:
    """Which blocks of one file the reader turns to NFC, and which it checks line by line."""

    def __init__(self) -> None:
        self.decomposed = False  # whether the last block held a line not in NFC

    def in_nfc(self, block: str) -> tuple[str, bool]:
        """`block` in NFC if need be, and whether its lines are still to be checked.

        The language tables are NFC (`languages`). A block of ASCII is NFC.
        A block whose texts are mostly ASCII (an iOS export's lines hold
        direction marks, but only in their headers) has its lines checked one
        by one, their sender and text only: the header is NFC whatever the
        phone, and nothing composes across the ": " between them. Another block
        is checked whole, in one scan, which costs less than checking most of
        its lines; and after a block not in NFC (a file written on a Mac), the
        next is normalised whole without checking.
        """
        if block.isascii():
            return block, False
        if not self.decomposed and _mostly_ascii(block):
            return block, True
        checked = not self.decomposed and unicodedata.is_normalized("NFC", block)
        normal = block if checked else to_nfc(block)
        self.decomposed = normal != block
        return normal, False

    def line_in_nfc(self, rest: str) -> str:
        """The sender and text of a line found not NFC, in NFC; the next block is then
        normalised whole, as a file with one such line likely has more."""
        self.decomposed = True
        return nfc(rest)


def _mostly_ascii(block: str) -> bool:
    """Whether most lines of the start of `block` are ASCII but for the marks of headers."""
    sample = block[:_SAMPLE_CHARS]
    for mark in _HEADER_MARKS:
        sample = sample.replace(mark, "")
    lines = sample.split("\n")
    return sum(map(str.isascii, lines)) * 2 > len(lines)


def nfc(text: str) -> str:
    """`text` in NFC; the same object when it is NFC already (the common case, fast)."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return to_nfc(text)


def to_nfc(text: str) -> str:
    """`text` in NFC, for a text that is likely not: `nfc`'s check would normalise it twice
    (`is_normalized` normalises a decomposed text to compare)."""
    # Every run of marks is in a run of other characters than ASCII: only those long
    # enough are searched for marks, whose list takes a regular expression 10x longer.
    return unicodedata.normalize("NFC", _LONG_RUN.sub(_cut_marks, text))


_LONG_RUN = re.compile(f"[^\\x00-\\x7f]{{{LONGEST_MARK_RUN + 1},}}")


def _cut_marks(run: re.Match[str]) -> str:
    return _long_mark_runs().sub(_cut, run[0])


def _cut(run: re.Match[str]) -> str:
    return run[0] + _JOINER


@cache
def _long_mark_runs() -> re.Pattern[str]:
    """LONGEST_MARK_RUN marks followed by another, marks being the characters whose
    decomposition starts with a combining mark (0.14 s to list, once, when needed)."""
    marks = [code for code in range(sys.maxunicode + 1) if _starts_with_mark(chr(code))]
    spans: list[list[int]] = []
    for code in marks:
        if spans and spans[-1][1] == code - 1:
            spans[-1][1] = code
        else:
            spans.append([code, code])
    members = "".join(
        re.escape(chr(first)) + ("-" + re.escape(chr(last)) if last > first else "")
        for first, last in spans
    )
    return re.compile(f"[{members}]{{{LONGEST_MARK_RUN}}}(?=[{members}])")


def _starts_with_mark(char: str) -> bool:
    if unicodedata.combining(char):
        return True
    decomposition = unicodedata.decomposition(char)
    return (
        bool(decomposition)
        and not decomposition.startswith("<")
        and bool(unicodedata.combining(unicodedata.normalize("NFD", char)[0]))
    )
