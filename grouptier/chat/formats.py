"""What WhatsApp chat exports look like: the line pattern and the phone-language tables.

One pattern reads the header of a message line from every phone: Android
(`12/31/24, 9:05 PM - Name: text`) and iOS (`[31/12/2024, 21:05:07] Name:
text`), `/`, `.` or `-` between the parts of the date, 2- or 4-digit years,
year-first dates (`2024-12-31`, `R6/12/31`), 12- or 24-hour clocks with the
AM/PM word after or before the time (`9:05 p. m.`, `午後9:05`), and the
invisible marks phones insert (direction marks, narrow no-break spaces, a
byte-order mark). Python's `\\d` also matches Arabic-Indic digits and `int()`
reads them, so right-to-left exports need no translation.

The tables below are matched only against the rare lines that need them
(system lines, attachments, deleted messages), so they cost nothing on the
millions of ordinary messages.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import NamedTuple

from babel import Locale, UnknownLocaleError

from grouptier.chat.languages import all_languages
from grouptier.chat.marks import INVISIBLE
from grouptier.chat.phrases import PARTED_LATER, SystemMatcher, language_templates, tree_pattern

# Possessive: a run of marks is never given back. No part that follows a run can
# start with a mark, so no match is lost; without it, a line of 20,000 marks cost
# the header patterns 20,000 ways to split the marks between two runs (12 s).
_M = f"[{INVISIBLE}]*+"
_SPACES = INVISIBLE + " \u00a0\u202f"
# Era years: the era's year 1 is offset + 1. Japanese eras come before the year
# (`R6/3/18`, `令和6/3/18`, `3/18/R6`) or after it (`3/18/6 R`, as iOS writes the
# Japanese calendar); the Buddhist era after it (`18/3/2565 BE`, `18/3/2565 พ.ศ.`)
# or before it (`18/3/พ.ศ. 2565`).
ERA_OFFSETS = {
    "R": 2018,
    "令和": 2018,
    "H": 1988,
    "平成": 1988,
    "S": 1925,
    "昭和": 1925,
    "BE": -543,
    "B.E.": -543,
    "พ.ศ.": -543,
}
BUDDHIST_ERAS = frozenset({"BE", "B.E.", "พ.ศ."})
BUDDHIST_ERA_OFFSET = 543  # Thai phones write 2567 for 2024
BUDDHIST_ERA_FROM = 2400
_JAPANESE_ERA = r"(?:R|H|S|令和|平成|昭和)"
_LAST_ERA = r"(?:R|H|S|令和|平成|昭和|พ\.ศ\.\s?)"  # written before the year, in the last part
_ERA_AFTER = r"(?:\s?(?:BE|B\.E\.|พ\.ศ\.|R|H|S|令和|平成|昭和)(?![^\W\d_]))"


def _date(m: str) -> str:
    """A date as written, era marks and all, allowing the marks `m` between its parts."""
    return (
        rf"{_JAPANESE_ERA}?\d{{1,4}}{m}(?P<sep>[/.\-])\s?{m}\d{{1,2}}{m}(?P=sep)\s?{m}"
        rf"{_LAST_ERA}?\d{{1,4}}{_ERA_AFTER}?"
    )


def _header(m: str) -> re.Pattern[str]:
    """The header pattern, allowing the invisible marks `m` between its parts."""
    return re.compile(
        rf"{m}(?P<bracket>\[)?{m}"  # the bracket of an iOS line
        rf"(?P<date>{_date(m)})"  # the date as written, with its separator `sep`
        rf"\.?{m}[,،]?{m}\s{m}"  # Persian: "،" and a right-to-left mark before the time
        r"(?:(?P<before>[^\W\d_]{1,4})\s?)?"  # an AM/PM word written before the time (오후, 午後)
        rf"\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?{m}"
        # an AM/PM word after the time, with spaces and marks; or English's part of the day
        # (CLDR's "in the afternoon", as some Android phones write it)
        r"(?P<after> in the (?:morning|afternoon|evening)|[^\]\-\d:\n]{0,12}?)"
        r"\s?(?:\]\s?|-\s)"  # `] ` (iOS) or ` - ` (Android)
        r"(?P<rest>.*)"  # `Name: text`, or a system line's text
    )


def _time_first_header(m: str) -> re.Pattern[str]:
    """The header of phones that write the time before the date (Vietnamese iOS)."""
    return re.compile(
        rf"{m}(?P<bracket>\[)?{m}"
        r"(?:(?P<before>[^\W\d_]{1,4})\s?)?"
        rf"\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?{m}"
        r"(?P<after>[^\]\-\d:,\n]{0,12}?)"
        rf"[,،]?\s{m}"
        rf"(?P<date>{_date(m)})\.?{m}"
        r"\s?(?:\]\s?|-\s)"
        r"(?P<rest>.*)"
    )


HEADER = _header(_M)
"""Groups: bracket, date as written, sep, AM/PM before, AM/PM after, rest (named so)."""
TIME_FIRST_HEADER = _time_first_header(_M)
"""HEADER's groups, for a header that gives the time first: `[21:05:07, 31/12/2024] `."""
FAST_HEADER = re.compile(
    r"(?P<bracket>\[)?(?P<date>\d{1,4}(?P<sep>[/.\-])\d{1,2}(?P=sep)\d{1,4}),?\s"
    r"\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?\s?[Mm]\.?)?\s?(?:\]\s|-\s)"
    r"(?P<rest>.*)"
)
"""The most common headers only, without marks: tried first, as it is about twice as fast.
Groups: bracket, date as written, sep, rest."""
DATE_PARTS = re.compile(
    rf"(?P<lead>{_JAPANESE_ERA})?(\d{{1,4}}){_M}[/.\-]\s?{_M}(\d{{1,2}}){_M}[/.\-]\s?{_M}"
    rf"(?P<era>{_LAST_ERA})?(\d{{1,4}})\s?(?P<tail>BE|B\.E\.|พ\.ศ\.|R|H|S|令和|平成|昭和)?"
)
"""Era before the date, first, second and last part, era of the last part as HEADER found it."""

HEADER_FIRST_CHARS = frozenset("[RHS令平昭" + INVISIBLE)
"""How a line read by HEADER or LOOKS_LIKE_HEADER starts, unless it starts with a digit."""
# A line that starts like a message header but did not match HEADER: reported, not guessed.
LOOKS_LIKE_HEADER = re.compile(
    rf"{_M}\[?{_M}\d{{1,4}}[/.\-]\s?\d{{1,2}}[/.\-]\s?\d{{1,4}}\S*\s+"
    r"(?:[^\W\d_][^\s\d]{0,11}\s+)?\S*\d"  # a word after the date: an era, maybe
)
_UNREAD_DATE = re.compile(
    rf"{_M}\[?{_M}(\d{{1,4}}[/.\-]\s?\d{{1,2}}[/.\-]\s?\d{{1,4}})\.?"
    r"(?:\s?([^\W\d_][^\s,\]]{0,11}))?"  # a word after the date: an era the reader does not know
    r"[,،]?\s*(\S*)"
)
_TIME = re.compile(r"(?:[^\W\d_]{1,4}\s?)?\d{1,2}[:.]\d{2}")


def unreadable_header_why(line: str) -> str:
    """Why a line that LOOKS_LIKE_HEADER did not read as one, naming what was expected."""
    found = _UNREAD_DATE.match(line)
    if found is None:  # LOOKS_LIKE_HEADER matched: this is for safety only
        return "starts like a message but cannot be read"
    written, word, after = found.groups()
    if word and meridiem(word) is None and not _TIME.match(line, found.start(2)):
        return (
            f"the date '{written} {word}' uses a calendar the reader does not know "
            "(it reads Gregorian, Buddhist and Japanese era years)"
        )
    if not _TIME.match(after):
        return f"expected a time (as 21:05 or 9:05 PM) after the date '{written}'"
    return (
        f"expected ' - ' (Android) or '] ' (iOS) and a name after the date '{written}' and its time"
    )


# Malay PG/PTG, Persian ق.ظ./ب.ظ. (and spelled out), Thai ก่อนเที่ยง/หลังเที่ยง: the words of
# each locale's 12-hour clock (CLDR), as `meridiem` keys them (letters and marks only).
_AM = (
    *("am", "a", "vorm", "午前", "上午", "오전", "ص", "πμ", "sa", "dp"),
    *("pg", "قظ", "قبلازظهر", "ก่อนเที่ยง"),
)
# Words beside a 24-hour time, no AM/PM: "31/12/2024 à 21:05" (French Android), "21:05 น."
# (Thai, CLDR's "o'clock").
_CONNECTORS = ("à", "น")
_PM = (
    *("pm", "p", "nachm", "午後", "下午", "오후", "م", "μμ", "ch", "ip"),
    *("ptg", "بظ", "بعدازظهر", "หลังเที่ยง"),
)


def _is_mark(char: str) -> bool:
    """A vowel or tone mark, part of a word in Thai (ก่อนเที่ยง), though not a letter."""
    return unicodedata.category(char) == "Mn" and char not in INVISIBLE


def meridiem(word: str) -> str | None:
    """ "am", "pm" or "" (none written) for an AM/PM word in any spelling, "period" for a
    word of a part of the day (晚上, "evening"); None if unknown."""
    key = _meridiem_key(word)
    if not key or key in _CONNECTORS:
        return ""
    if key in _AM or key.startswith("am"):
        return "am"
    if key in _PM or key.startswith("pm"):
        return "pm"
    if key in _day_periods():
        return "period"
    return None


def _meridiem_key(word: str) -> str:
    return "".join(char for char in word.casefold() if char.isalpha() or _is_mark(char))


@cache
def _day_periods() -> frozenset[str]:
    """The words of the parts of the day (CLDR, through babel) in the languages of the tables.

    A phone may write one in place of AM/PM: a Taiwanese iPhone writes
    `[2024/3/5 晚上9:05:07]` ("evening"), as CLDR's `Bh:mm` clock does. Such a
    word does not say AM or PM alone (Japanese 夜中 runs from 23:00 to 4:00);
    the reader needs only the date. A word of one letter (Czech "r.") is
    left out: it would pass for an era or calendar mark.
    """
    words: set[str] = set()
    for lang in LANGUAGES:
        try:
            periods = Locale.parse(lang.code, sep="-").day_periods
        except (ValueError, UnknownLocaleError):  # pragma: no cover - every table's code is known
            continue
        for context in periods.values():
            for width in context.values():
                words.update(_meridiem_key(word) for word in width.values())
    return frozenset(word for word in words if len(word) > 1)


# --- message contents: compiled from the language tables (grouptier/chat/languages) ---

LANGUAGES = all_languages()
# Every text of the tables is NFC, as every line the reader matches (`normal_form`).
MEDIA_OMITTED = frozenset(text.casefold() for lang in LANGUAGES for text in lang.media)
"""Android's whole-text media labels ("<Media omitted>"), case-folded."""
IOS_MEDIA_OMITTED = frozenset(text.casefold() for lang in LANGUAGES for text in lang.ios_media)
"""iOS's whole-text media labels ("image omitted"), case-folded."""
_DOCUMENT_OMITTED = tuple({text.casefold() for lang in LANGUAGES for text in lang.documents})
_IOS_ATTACHED = re.compile(
    # "<attached: 00000002-RS.pdf>", alone or after a caption or a document's title and pages
    r"(?:^|(?<=[\s\u200e\u200f\u061c]))<(?:"
    + "|".join(sorted({re.escape(w) for lang in LANGUAGES for w in lang.ios_attached}))
    + r"): ([^<>]*)>$",
    re.IGNORECASE,
)
_ANDROID_ATTACHED = re.compile(  # "IMG-20250304-WA0003.jpg (file attached)": the name before it
    r"\((?:"
    + "|".join(sorted({re.escape(w) for lang in LANGUAGES for w in lang.attached}))
    + r")\)$",
    re.IGNORECASE,
)
ATTACHED_FIRST = tuple(sorted({text + " " for lang in LANGUAGES for text in lang.attached_first}))
"""Android labels written before the file's name ("فایل پیوست شد Report.pdf"), with their space."""
DOCUMENT_EXTENSIONS = (
    ".pdf",
    ".doc",
    ".docx",
    ".ppt",
    ".pptx",
    ".xls",
    ".xlsx",
    ".odt",
    ".ods",
    ".odp",
    ".csv",
    ".epub",
    ".key",
    ".pages",
    ".numbers",
)
DELETED_TEXTS = tuple(
    dict.fromkeys(
        variant
        for lang in LANGUAGES
        for text in lang.deleted
        for variant in (text.rstrip("."), text.rstrip(".") + ".")
    )
)
"""'This message was deleted' as phones write it, with and without a full stop."""
DELETED = frozenset(text.casefold() for text in DELETED_TEXTS)
DELETED_FIRST = tuple(sorted({text + " " for lang in LANGUAGES for text in lang.deleted_first}))
"""How a deleted message's text starts when a name follows ("This message was deleted by
admin ~Ana."), with its space."""
_DELETED_FIRST_FOLDED = tuple(text.casefold() for text in DELETED_FIRST)
CALL_TEXTS = tuple(
    dict.fromkeys(
        text for lang in LANGUAGES for text in lang.system.get("call", ()) if "{" not in text
    )
)
"""A call written as the caller's message ("Missed voice call"): no message, a call."""
EDIT_MARKS = tuple(
    sorted(
        {
            lead + variant
            for lang in LANGUAGES
            for mark in lang.edited
            for variant in (mark, mark[:-1].rstrip(".") + ".>")  # iOS ends it with a full stop
            for lead in (" ", " \u200e", "\u200e")  # iOS puts a left-to-right mark before it
        },
        key=len,
        reverse=True,
    )
)
"""What WhatsApp writes after an edited message's text (" <This message was edited>"), longest
first: not the member's words, so not counted towards a long message."""


def edit_mark_length(text: str) -> int:
    """The characters of the mark an edited message's text ends with; 0 if it has none."""
    if text.endswith(">") and text.endswith(EDIT_MARKS):
        return next(len(mark) for mark in EDIT_MARKS if text.endswith(mark))
    return 0


SYSTEM_SENDERS = frozenset(
    text.split(": ", 1)[0]
    for lang in LANGUAGES
    for texts in lang.system.values()
    for text in texts
    if ": " in text and "{" not in text.split(": ", 1)[0]
)
"""What comes before the ": " of the system lines written like a message ("Dodano: Ana",
Polish Android): a line "sent" by one of these is read as a system line."""

_CLOCK_WORD = r"[ \u00a0\u202f][AaPp]\.?[ \u00a0\u202f]?[Mm]\.?"  # AM, p.m., ...
# Texts that are a label whole, and labels a name follows: not plain texts (see `_SENDER_AND_TEXT`).
_WHOLE_LABELS = DELETED_TEXTS + CALL_TEXTS
_FIRST_LABELS = ATTACHED_FIRST + DELETED_FIRST
_SENDER_AND_TEXT = (
    r"([^:\n]{0,40}): "  # 2: a sender without a colon (the first ": " ends it)
    r"(?:(?![<\u200e\u200f\u061c]|"
    + "(?=["  # the first letters: most texts fail here, before the lists
    + "".join(sorted({re.escape(text[0]) for text in _WHOLE_LABELS + _FIRST_LABELS}))
    + "])(?:"
    + tree_pattern(_WHOLE_LABELS)
    + r"(?:\n|\Z)"
    + (f"|{tree_pattern(_FIRST_LABELS)}" if _FIRST_LABELS else "")
    + "))"
    r"("
)
_AFTER_PLAIN = (
    r")(?<![)>])"  # 3: a plain text: no attachment, deleted message or call; short
    r"|([^\n]*))"  # 4: any other text, to be classified
)
_UNBOUNDED = 1 << 31  # characters: no text is as long (the bound of a repeat must be lower)


def _message_line(
    date: str, clock: str, closer: str, shorter_than: int, comma: str = ",?"
) -> re.Pattern[str]:
    # A plain text is shorter than `shorter_than`: the counting loop need not measure it.
    plain = r"[^\n]*+" if shorter_than > _UNBOUNDED else rf"[^\n]{{0,{shorter_than - 1}}}+(?![^\n])"
    return re.compile(
        rf"\n(?:({date}){comma} {clock}{closer} "
        + _SENDER_AND_TEXT
        + plain
        + _AFTER_PLAIN
        + r"|(.*))"
    )


@lru_cache(maxsize=8)
def message_line(shorter_than: int) -> re.Pattern[str]:
    """MESSAGE_LINE, with plain texts (group 3) shorter than `shorter_than` characters."""
    return _message_line(
        r"\u200e?\[?(?:\d{1,4}/\d{1,2}/|\d{1,4}\.\d{1,2}\.|\d{1,4}-\d{1,2}-)\d{1,4}",  # 1
        rf"\d{{1,2}}:\d\d(?::\d\d|)(?:{_CLOCK_WORD}|)",
        r"(?:\]| -)",
        shorter_than,
    )


MESSAGE_LINE = message_line(_UNBOUNDED + 1)
"""One match for every line of a block of text in which each line follows a "\n".

The most common message lines give the date with its `[` (iOS) and the
left-to-right mark iOS may put before it, the sender and the text, each as
HEADER and the first ": " would cut them: they are a subset of HEADER's
lines, with no other marks, the usual clocks and a sender of up to 40
characters without a colon (`dated` reads the date and the platform of
group 1). A text that `message` would read as plain text (it does not
start with "<" or a mark, does not end with ")" and is not a deleted
message; with `message_line`, it is also short) comes in group 3; any other text, an
attachment, a deleted message or an iOS system line, in group 4. Any other
line gives only itself (group 5), to be read the general way, with
FAST_HEADER, HEADER and LOOKS_LIKE_HEADER.
"""

_SHAPE = re.compile(
    r"\n\u200e?(\[?)(\d{1,4})([/.\-])\d{1,2}\3(\d{1,4})(,?) \d{1,2}:\d\d(:\d\d)?("
    + _CLOCK_WORD
    + r")?"
    r"(\]| -) [^:\n]{0,40}: "
)


class Shape(NamedTuple):
    """How one phone writes the header of a message line."""

    bracket: str  # "[" on iOS
    first_digits: int  # of the date's first part: 4 when the year comes first
    separator: str
    last_digits: int
    comma: str
    seconds: bool
    clock_word: str  # " PM", "\u202fp.m.", or "" for a 24-hour clock
    closer: str  # "]" on iOS, " -" on Android


def message_line_for(block: str, shorter_than: int = _UNBOUNDED + 1) -> re.Pattern[str] | None:
    """MESSAGE_LINE for the header shape of the first common message line of `block`, if any.

    A file is written by one phone, so its lines share one shape: one date
    separator, 2- or 4-digit years, seconds or not, one spelling of AM/PM or
    none, iOS or Android. The pattern for that shape alone runs about a
    fifth faster. It matches a subset of MESSAGE_LINE's message lines, with
    the same groups; a line of another shape falls to group 5 and is read
    the general way, so the counts are the same whichever pattern reads a
    block.
    """
    found = _SHAPE.search(block)
    if found is None:
        return None
    bracket, first, separator, last, comma, seconds, clock_word, closer = found.groups()
    shape = Shape(
        bracket, len(first), separator, len(last), comma, bool(seconds), clock_word or "", closer
    )
    return _shaped(shape, shorter_than)


@lru_cache(maxsize=32)
def _shaped(shape: Shape, shorter_than: int) -> re.Pattern[str]:
    between = re.escape(shape.separator)
    return _message_line(
        ("\u200e?\\[" if shape.bracket else "")  # iOS marks some lines, or all, this way
        + _digits(shape.first_digits)
        + rf"{between}\d{{1,2}}{between}"
        + _digits(shape.last_digits),
        r"\d{1,2}:\d\d" + (r":\d\d" if shape.seconds else "") + _clock_word_like(shape.clock_word),
        re.escape(shape.closer),
        shorter_than,
        comma=re.escape(shape.comma),
    )


def dated(head: str) -> tuple[str, bool]:
    """The date as written and whether the line is iOS's, from MESSAGE_LINE's group 1."""
    bare = head.lstrip("\u200e")
    return bare.removeprefix("["), bare[:1] == "["


def _digits(count: int) -> str:
    """Days and months have 1 or 2 digits; a part of 3 or 4 is a year, always written so."""
    return r"\d{1,2}" if count <= 2 else rf"\d{{{count}}}"


def _clock_word_like(word: str) -> str:
    """`word` as written, with either of A and P in the case it has (" PM" gives " [AP]M")."""
    if not word:
        return ""
    letter = next(index for index, char in enumerate(word) if char in "AaPp")
    either = "[AP]" if word[letter].isupper() else "[ap]"
    return re.escape(word[:letter]) + either + re.escape(word[letter + 1 :])


def attachment_kind(text: str) -> str:
    """ "media", "document" or "" for a message text whose marks are already stripped."""
    folded = text.casefold()
    if folded in MEDIA_OMITTED or folded in IOS_MEDIA_OMITTED:
        return "media"
    if folded.endswith(_DOCUMENT_OMITTED):  # iOS: "Report.pdf • 3 pages document omitted"
        return "document"
    if folded[-1:] == ">":
        if folded[:1] == "<" and folded[1:-1].strip(_SPACES) in IOS_MEDIA_OMITTED:
            return "media"  # older iOS: "<\u200eimage omitted>"
        if found := _IOS_ATTACHED.search(text):
            return _by_extension(found[1])
    if folded[-1:] == ")" and (found := _ANDROID_ATTACHED.search(text)):
        return _by_extension(text[: found.start()])
    if text.startswith(ATTACHED_FIRST):
        return _by_extension(text)
    return ""


def _by_extension(name: str) -> str:
    """ "document" for a file name with a document's extension, else "media"."""
    return "document" if name.strip(_SPACES).casefold().endswith(DOCUMENT_EXTENSIONS) else "media"


def is_deleted(text: str) -> bool:
    """True for "This message was deleted" and its translations, and for "This message was
    deleted by admin ~Ana." (a name after the label)."""
    folded = text.casefold()
    return folded in DELETED or folded.startswith(_DELETED_FIRST_FOLDED)


# --- system lines ------------------------------------------------------------------------

SYSTEM = SystemMatcher(language_templates(LANGUAGES))
"""Every language's system-line templates, in one matcher (`grouptier.chat.phrases`)."""


def system_event(text: str) -> tuple[str, str, str]:
    """(kind, actor, target) of a system line's text (marks stripped); kind "" if unknown.

    "added" may name several people ("Ana, Bob and Chen"); `split_names` separates them.
    """
    if not text.isascii():  # marks inside it too: "\u202a+91 97360 22813\u202c changed to …"
        text = text.translate(_WITHOUT_MARKS)
    if len(text) > _CACHED_UP_TO:  # a huge line would make the cache huge too
        return _system_event(text)
    return _cached_system_event(text)


_WITHOUT_MARKS = str.maketrans("", "", INVISIBLE)


_CACHED_UP_TO = 1_000  # characters: a real system line is shorter, bar long lists of names


@lru_cache(maxsize=4096)  # the same joins and leaves come back; the size keeps memory flat
def _cached_system_event(text: str) -> tuple[str, str, str]:
    return _system_event(text)


def _system_event(text: str) -> tuple[str, str, str]:
    kind, actor, target = SYSTEM.find(text)
    if target.startswith(PARTED_LATER):  # its word between two names may be a space
        return kind, actor.strip(_SPACES), target
    return kind, actor.strip(_SPACES), target.strip(_SPACES)


_NAME_LIST = re.compile(
    "[,\u3001\uff0c\u060c]\\s*|\\s+(?:"  # Latin, Japanese, Chinese, Arabic-script commas
    + "|".join(sorted({re.escape(w) for lang in LANGUAGES for w in lang.conjunctions}))
    + r")\s+"
)


def split_names(text: str) -> list[str]:
    """`Ana, Bob and Chen` as three names."""
    return [name.strip() for name in _NAME_LIST.split(text) if name.strip()]
