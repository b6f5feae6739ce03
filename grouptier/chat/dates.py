"""The calendar dates of a chat export, from dates as the phone wrote them.

Whether `03/04/24` is the 3rd of April or the 4th of March is decided once
for a whole file, from the evidence in it: a day above 12, else the order
the days follow each other; a file whose every date reads the same both ways
(`1/1/21`) needs no decision. A 2-digit year may also come first in the Korean
shape (`24. 12. 31.`): the sequence of the dates tells that too. Years may be
2-digit, Buddhist-era (`2567`, `2567 BE`, `พ.ศ. 2567`) or Japanese era (`R6`,
`令和6`, `6 R`), the era written before the date or in its last part.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from itertools import pairwise

from grouptier.chat.formats import (
    BUDDHIST_ERA_FROM,
    BUDDHIST_ERA_OFFSET,
    BUDDHIST_ERAS,
    DATE_PARTS,
    ERA_OFFSETS,
)

DayKey = tuple[str | None, str, str, str, str | None]
"""A date as written: the era before it, its first, second and last part, the last part's era."""


def date_key(written: str) -> DayKey:
    """The parts of a date as HEADER found it."""
    found = DATE_PARTS.match(written)
    if found is None:  # HEADER and DATE_PARTS read dates alike; kept total for safety
        return (None, "0", "0", "0", None)
    lead, first, second, era, last, tail = found.groups()
    last_era = (era or tail or "").strip() or None
    return (lead, first, second, last, last_era)


Decision = tuple[str, str, tuple[str, ...]]
"""The order read, the evidence for it, and the orders the dates could be in when it cannot
tell (none when it can)."""
_DAY_OR_MONTH = ("day-first", "month-first")


def decide_order(dates: Mapping[str, DayKey], forced: str | None) -> Decision:
    """The order of the dates of one file (each as written, with its parts), in file order;
    `forced` is the order asked for, if any."""
    keys = list(dates.values())
    if keys and all(_year_first(key) for key in keys):
        return "year-first", "the dates start with the year", ()
    if forced is not None:
        return forced, "as asked", ()
    short_year = _short_year_first(dates)
    if short_year is not None:
        return short_year
    days_above = [key for key in keys if not _year_first(key) and int(key[1]) > 12]
    months_above = [key for key in keys if not _year_first(key) and int(key[2]) > 12]
    if days_above and not months_above:
        return "day-first", f"{_shown(days_above[0])} can only be day-first", ()
    if months_above and not days_above:
        return "month-first", f"{_shown(months_above[0])} can only be month-first", ()
    if days_above and months_above:
        order = "day-first" if len(days_above) >= len(months_above) else "month-first"
        reason = (
            f"the dates disagree ({_shown(days_above[0])} and {_shown(months_above[0])}); "
            f"most read {order}"
        )
        return order, reason, _DAY_OR_MONTH
    if all(_year_first(key) or int(key[1]) == int(key[2]) for key in keys):
        return "day-first", "every date reads the same day-first and month-first", ()
    in_order = {o: _chronological(keys, o) for o in _DAY_OR_MONTH}
    if in_order["day-first"] != in_order["month-first"]:
        order = "day-first" if in_order["day-first"] else "month-first"
        return order, "only this order keeps the days in sequence", ()
    return "day-first", "no day above 12 settles it", _DAY_OR_MONTH


def _short_year_first(dates: Mapping[str, DayKey]) -> Decision | None:
    """The order of dates written the Korean way, a 2-digit year first (`24. 12. 31.`, CLDR's
    Korean short date), when the file says so; None to leave it to the other rules.

    Only dates written with a full stop and a space between 2-digit parts are
    considered: in other shapes no phone is known to write the year first, and
    `15.03.23` is the 15th of March. Such a date also reads day first (24
    December 2031). Year first wins when it alone keeps the dates in sequence,
    or, when both or neither do, when the first part changes less often than
    the last from one date to the next, as a year does against a day. A reading
    with a year before WhatsApp's first (2009) is no reading. A file where
    nothing tells them apart is ambiguous, unless both readings give the same
    days (`24. 12. 24.`).
    """
    if not dates or not all(_KOREAN_SHAPE.fullmatch(written) for written in dates):
        return None
    keys = list(dates.values())
    first = next(iter(dates))
    year_first = _chronological(keys, "year-first", since=_FIRST_YEAR)
    others = any(_chronological(keys, order, since=_FIRST_YEAR) for order in _DAY_OR_MONTH)
    if year_first and not others:
        return "year-first", f"only year first keeps the days in sequence ({first})", ()
    if others and not year_first:
        return None
    first_changes, last_changes = _changes(keys, 1), _changes(keys, 3)
    if first_changes < last_changes:
        reason = "the first part of the dates changes less often than the last, as a year does"
        return "year-first", reason, ()
    if first_changes > last_changes:
        return None
    if all(to_date(key, "year-first") == to_date(key, "day-first") for key in keys):
        return None
    return "day-first", f"{first} reads year first or day first", ("year-first", "day-first")


_KOREAN_SHAPE = re.compile(r"\d{1,2}\. \d{1,2}\. \d{1,2}")
_FIRST_YEAR = 2009  # WhatsApp's first: no export holds an earlier date


def _changes(keys: list[DayKey], part: int) -> int:
    """How often one part of the dates changes from one date to the next."""
    return sum(a[part] != b[part] for a, b in pairwise(keys))


def _year_first(key: DayKey) -> bool:
    return key[0] is not None or len(key[1]) == 4 or int(key[1]) > 31


def _shown(key: DayKey) -> str:
    return "/".join(key[1:4])


def _chronological(keys: list[DayKey], order: str, since: int = 1) -> bool:
    """Whether reading `keys` in `order` gives real dates in sequence, none before `since`."""
    dates = [to_date(key, order) for key in keys]
    known = [day for day in dates if day is not None and day.year >= since]
    return len(known) == len(dates) and all(a <= b for a, b in pairwise(known))


def to_date(key: DayKey, order: str) -> date | None:
    """The calendar date of a date as written, or None if it does not exist."""
    lead, first, second, last, last_era = key
    if _year_first(key):
        year, month, day, era = int(first), int(second), int(last), lead
    elif order == "year-first":  # a 2-digit year first: the day has no era and 2 digits at most
        if last_era or len(last) > 2:
            return None
        year, month, day, era = int(first), int(second), int(last), None
    elif order == "month-first":
        month, day, year, era = int(first), int(second), int(last), last_era
    else:
        day, month, year, era = int(first), int(second), int(last), last_era
    try:
        return date(gregorian(year, era), month, day)
    except ValueError:
        return None


def gregorian(year: int, era: str | None) -> int:
    """The Gregorian year of a year as written, with the era written beside it, if any."""
    if era in BUDDHIST_ERAS:
        return (2500 + year if year < 100 else year) - BUDDHIST_ERA_OFFSET
    if era is not None:
        return ERA_OFFSETS[era] + year
    if year < 100:
        return 2000 + year
    if year >= BUDDHIST_ERA_FROM:
        return year - BUDDHIST_ERA_OFFSET
    return year
