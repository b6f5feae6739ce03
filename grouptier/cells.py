"""Turn one spreadsheet cell into a typed value, or say in a manager's words why not.

Every parser returns the value, or raises `CellError` whose message completes
the sentence "Members!C14: ...". Backends hand cells over as the spreadsheet
holds them: str, int, float, bool, date/datetime, None for blank, a
`FormulaWithoutValue` for a formula saved without its computed result, or a
`CellErrorValue` for a cell holding an error such as #REF!. Every parser
refuses the last two, and the value parsers (ids, dates, numbers, yes/no,
choices) also refuse text that spells an error, since a pasted error reads
back as text from the Sheets API. Dates
may also arrive as spreadsheet serial numbers (days since 1899-12-30), which is
how the Sheets API and some xlsx writers return them.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

CellValue = str | int | float | bool | date | datetime | None

SERIAL_EPOCH = date(1899, 12, 30)
LAST_SERIAL = 2_958_465  # 9999-12-31, the last date a spreadsheet can hold
FIRST_PLAUSIBLE_SERIAL = 25_569  # 1970-01-01: no WhatsApp community is older
# The dates a cell may hold: from the first day a spreadsheet shows as a date (Excel's
# 1900-01-01) to 2199-12-31, a year past which is a typo. Keeping dates inside keeps every
# date sum (cycles of up to a year, up to 1,000 cycles back or ahead) far from Python's
# year 1 and 9999 limits; the settings then say more about a date that is in range but
# unlikely (a `cycle_anchor` years back).
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2199, 12, 31)
# The largest count a cell may hold. Counts are summed over at most ~1.3 million rows (a
# sheet's size limit), so every sum stays below 2**53, where float64 sums are exact, and a
# score (4 weights of at most 1,000 times such sums) stays far from float64's limit.
MAX_COUNT = 1_000_000_000
PHONE_DIGITS = 7  # fewer digits than any real phone number: a plain numeric id
_ISO_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
# Day, month and year in figures, year last: 22/11/2026, 1.11.2026, 11-22-2026.
_FIGURES_DATE = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$")
_ORDER_EXAMPLES = {
    "day-first": "22/11/2026",
    "month-first": "11/22/2026",
    "year-first": "2026-11-22",
}
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+$")
_YES = {"yes", "y", "true", "1", "x", "✓", "✔"}
_NO = {"no", "n", "false", "0", ""}


@dataclass(frozen=True)
class FormulaWithoutValue:
    """A cell holding a formula whose result was never calculated and saved."""

    formula: str


# Excel's and Google Sheets' error values; a cell holding one has no usable value.
ERROR_CODES = frozenset(
    (
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#UNKNOWN!",
        "#BUSY!",
        "#ERROR!",
    )
)


@dataclass(frozen=True)
class CellErrorValue:
    """A cell holding an error value such as #REF! instead of a value."""

    code: str


def error_code(value: object) -> str | None:
    """The error a cell holds: a `CellErrorValue`'s code, or text spelling one; else None."""
    if isinstance(value, CellErrorValue):
        return value.code
    if isinstance(value, str) and value.strip().upper() in ERROR_CODES:
        return value.strip().upper()
    return None


class CellError(ValueError):
    """A cell's content cannot be used; the message is written for a manager."""


def is_blank(value: object) -> bool:
    """True for an empty cell or one holding only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def _reject_formula(value: object) -> None:
    """Refuse a formula without a saved value and a cell holding an error."""
    if isinstance(value, CellErrorValue):
        raise CellError(_error_message(value.code))
    if isinstance(value, FormulaWithoutValue):
        raise CellError(
            f"holds the formula {value.formula} but no calculated value was saved with it; "
            "open the file in Excel, LibreOffice or Google Sheets and save it again "
            "so the value is calculated, or type the value itself"
        )


def _reject_error(value: object) -> None:
    """Refuse what `_reject_formula` does and text spelling an error: value columns only."""
    _reject_formula(value)
    code = error_code(value)
    if code is not None:
        raise CellError(_error_message(code))


def _error_message(code: str) -> str:
    return f"holds the error {code} instead of a value; fix the formula or type the value"


def parse_text(value: object) -> str:
    """Text as shown, numbers without a trailing `.0`; blank is ''."""
    _reject_formula(value)
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()


def parse_member_id(value: object) -> str:
    """A member id as text, refusing phone numbers a spreadsheet has mangled."""
    _reject_error(value)
    if isinstance(value, bool):
        raise CellError(f"{value} is not a member id")
    if isinstance(value, int | float):
        return _numeric_member_id(value)
    text = parse_text(value)
    if _SCIENTIFIC.match(text):
        raise CellError(
            f'"{text}" is a phone number the spreadsheet turned into scientific notation, '
            "which loses digits; format the column as text and type the full number, "
            "e.g. +447911123456"
        )
    return text


def _numeric_member_id(value: float) -> str:
    if not math.isfinite(value) or not float(value).is_integer():
        raise CellError(
            f"{value} is not a member id: the spreadsheet stored it as a number with decimals; "
            "format the column as text and type the id again"
        )
    digits = str(abs(int(value)))
    if len(digits) >= PHONE_DIGITS:
        raise CellError(
            f"{digits} looks like a phone number the spreadsheet turned into a number, "
            "which drops the leading + or 0; format the column as text and type it "
            f"in international form, e.g. +{digits}"
        )
    return digits


def parse_date(value: object, order: str = "") -> date:
    """A calendar date from 1900-01-01 to 2199-12-31: a date cell, a serial or a date as text.

    Text is `YYYY-MM-DD`, or day, month and year in figures (`22/11/2026`,
    `1.11.2026`) read in `order` (day-first or month-first, the community's
    `date_format`). A date that reads only one way (22 cannot be a month) is
    read that way in any order; one that reads two ways is refused when
    `order` does not decide (year-first, or '' where no order is known).
    """
    day = _any_date(value, order)
    if not FIRST_DATE <= day <= LAST_DATE:
        raise CellError(
            f"{day.isoformat()} is outside the dates grouptier accepts "
            f"({FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}); check the year"
        )
    return day


def _any_date(value: object, order: str = "") -> date:
    """A calendar date as the cell holds it, of any year."""
    _reject_error(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellError(f"{value} is not a date")
    if isinstance(value, int | float):
        return _date_from_serial(value)
    text = parse_text(value)
    figures = _FIGURES_DATE.match(text)
    if figures:
        first, second, year = (int(part) for part in figures.group(1, 3, 4))
        return _figures_date(text, first, second, year, order)
    match = _ISO_DATE.match(text)
    if not match:
        raise CellError(f'"{text}" is not a date; write it as YYYY-MM-DD, e.g. 2026-11-05')
    year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        missing = f"month {month}" if not 1 <= month <= 12 else f"day {day} in that month"
        message = f'"{text}" is not a real date (there is no {missing})'
        raise CellError(message) from None


class AmbiguousDateError(CellError):
    """A date in figures that reads as two dates, and no date order to choose between them."""


def _figures_date(text: str, first: int, second: int, year: int, order: str) -> date:
    """`22/11/2026` or `11/22/2026` (`first`, `second`, `year`), read in `order` if need be."""
    day_first, month_first = (second, first), (first, second)  # as (month, day)
    if first == second or not 1 <= first <= 12:
        month, day = day_first
    elif not 1 <= second <= 12:
        month, day = month_first
    elif order in ("day-first", "month-first"):
        month, day = day_first if order == "day-first" else month_first
    else:
        readings = " or ".join(_iso(year, *reading) for reading in (day_first, month_first))
        raise AmbiguousDateError(f'"{text}" could be {readings}: {_write_it(order)}')
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(f'"{text}" is not a date: {_write_it(order)}') from None


def _iso(year: int, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}"


def _write_it(order: str) -> str:
    """How to write a date in `order`: `write it day first, like 22/11/2026`."""
    example = _ORDER_EXAMPLES.get(order)
    if example is None:
        return "write it as YYYY-MM-DD, e.g. 2026-11-05"
    return f"write it {order.replace('-', ' ')}, like {example}"


def _date_from_serial(serial: float) -> date:
    # Real dates arrive as serials from the Sheets API; a small number is a count typed by mistake.
    if not math.isfinite(serial) or not FIRST_PLAUSIBLE_SERIAL <= serial <= LAST_SERIAL:
        raise CellError(f"{serial:g} is a number, not a date; write it as YYYY-MM-DD")
    return SERIAL_EPOCH + timedelta(days=int(serial))


def parse_count(value: object, default: int = 0) -> int:
    """A whole number of things, zero or more; blank gives `default`."""
    number = parse_number(value, default)
    if number < 0:
        raise CellError(f"{_shown(value)} cannot be negative")
    if number > MAX_COUNT:
        raise CellError(
            f"{shown_number(number)} is more than {MAX_COUNT:,}, the largest count grouptier "
            "accepts; check the number"
        )
    if not float(number).is_integer():
        raise CellError(f"{_shown(value)} must be a whole number")
    return int(number)


def parse_optional_count(value: object) -> int | None:
    """A count where blank means "no limit" (None)."""
    _reject_error(value)
    return None if is_blank(value) else parse_count(value)


def parse_number(value: object, default: float = 0) -> float:
    """Any finite number; blank gives `default`."""
    _reject_error(value)
    if is_blank(value):
        return default
    if isinstance(value, bool | date):
        raise CellError(f"{_shown(value)} is not a number")
    if isinstance(value, int | float):
        number = float(value)
    else:
        number = _number_from_text(str(value).strip())
    if not math.isfinite(number):
        raise CellError(f"{_shown(value)} is not a number")
    return int(number) if number.is_integer() else number


def _number_from_text(text: str) -> float:
    """`12`, `2.5`, `2,5` (decimal comma) and `1,000` or `1 000` (thousands)."""
    compact = text.replace(" ", "").replace("\u00a0", "")
    if _THOUSANDS.match(compact):
        compact = compact.replace(",", "")
    try:
        return float(compact.replace(",", "."))
    except ValueError:
        raise CellError(f'"{text}" is not a number') from None


def parse_yes_no(value: object, default: bool = False) -> bool:
    """yes/no, true/false, a ticked checkbox; blank gives `default`."""
    _reject_error(value)
    if isinstance(value, bool):
        return value
    if is_blank(value):
        return default
    text = parse_text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(f'"{parse_text(value)}" must be yes or no')


def parse_choice(value: object, allowed: tuple[str, ...], what: str) -> str:
    """One of `allowed` (matched ignoring case and spacing); blank is ''."""
    _reject_error(value)
    text = parse_text(value)
    if not text:
        return ""
    key = normalise(text)
    for choice in allowed:
        if normalise(choice) == key:
            return choice
    raise CellError(
        f'{what} "{text}" is not one of {", ".join(allowed)}{did_you_mean(text, allowed)}'
    )


def normalise(name: str) -> str:
    """The form names are compared in: lower case, no spaces, `_` or `-`."""
    return re.sub(r"[\s_\-]+", "", name).lower()


def did_you_mean(text: str, choices: tuple[str, ...] | list[str]) -> str:
    """` (did you mean "General"?)` when a choice is close to `text`, else ''.

    Invisible characters (a zero-width space pasted with a name) are named,
    in the suggestion and in `text`, since the two would otherwise look the same.
    """
    lowered = {choice.lower(): choice for choice in choices}
    close = difflib.get_close_matches(text.lower(), list(lowered), n=1, cutoff=0.6)
    if not close:
        return ""
    choice = lowered[close[0]]
    hint = f' (did you mean "{_marked(choice)}"?'
    if _invisible(choice):
        hint += " The part in brackets is an invisible character in that name"
    if _invisible(text):
        hint += f' This value holds an invisible character: "{_marked(text)}"; delete it'
    return hint + ")"


# Characters that show as nothing: format characters (zero-width space, joiners, marks of
# direction, the byte order mark), controls, unassigned and private-use code points, and
# the fillers that some fonts draw blank.
_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Cn", "Co", "Zl", "Zp"}
_BLANK_FILLERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}


def _is_invisible(character: str) -> bool:
    return unicodedata.category(character) in _INVISIBLE_CATEGORIES or character in _BLANK_FILLERS


def _invisible(text: str) -> bool:
    return any(_is_invisible(character) for character in text)


def _marked(text: str) -> str:
    """`text` with each invisible character named: `General[U+200B ZERO WIDTH SPACE]`."""
    return "".join(
        f"[U+{ord(character):04X} {_name(character)}]" if _is_invisible(character) else character
        for character in text
    )


def _name(character: str) -> str:
    """`ZERO WIDTH SPACE`; controls and unassigned code points have no name of their own."""
    fallback = "CONTROL CHARACTER" if unicodedata.category(character) == "Cc" else "CHARACTER"
    return unicodedata.name(character, fallback)


def shown_number(number: float) -> str:
    """`1,000,000` for a number a manager can read digit by digit, `1e+18` beyond that."""
    return f"{number:,}" if abs(number) < 10**15 else f"{number:.3g}"


def _shown(value: object) -> str:
    return parse_text(value) if not isinstance(value, FormulaWithoutValue) else value.formula


def column_letter(index: int) -> str:
    """Spreadsheet letters of a zero-based column index: 0 is A, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
