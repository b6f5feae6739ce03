"""The calendar dates of a chat export, from dates as the phone wrote them.

Whether `03/04/24` is the 3rd of April or the 4th of March is decided once
for a whole file, from the evidence in it: a day above 12, else the order
the days follow each other. Years may be 2-digit, Buddhist-era or Japanese
era (`R6`, `令和6`).
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from grouptier.chat_formats import BUDDHIST_ERA_FROM, BUDDHIST_ERA_OFFSET, DATE_PARTS, ERA_OFFSETS

DayKey = tuple[str | None, str, str, str]
"""A date as written, cut into era, first, second and last part."""


def date_key(written: str) -> DayKey:
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
