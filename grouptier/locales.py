"""Dates, weekday names, numbers and plurals in the language of a message, through babel.

A language is the name of a bundled template folder (`en`, `pt-BR`, `ar`, `ru`, ...);
babel knows it as a locale (`pt_BR`). Nothing here is a hand table of month
or weekday names: babel's CLDR data writes "terça-feira, 15 de dezembro de
2026" and chooses "1 post" or "2 posts" by the language's plural rules.

Dates in figures follow the `date_format` setting (`DATE_ORDERS`); blank
takes the order of the language's own short date (`language_date_order`).
Dates in words ("15 de dezembro") are unambiguous and keep the language's
own order.

`LANGUAGE_FILTERS` are the two filters templates (bundled and overrides) may
use for counts: `{{ n | plural("post", "posts") }}` ("1 post", "1,234
posts", "1.234 publicações") and `{{ n | number }}`. A language with more
plural forms passes them by name: `plural(one="день", few="дня",
many="дней", other="дня")`. Where the number does not simply go first (Arabic
says "يومان", two days, with no figure), the forms mark its place with `{n}`:
`plural(one="يوم واحد", two="يومان", few="{n} أيام", many="{n} يومًا", other="{n} يوم")`.
The marker is `{n}`, not a lone sign, so a manager's "#tips" in a form stays "#tips".
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any

import jinja2
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, get_date_format
from babel.numbers import format_decimal

from grouptier.cells import CellError, CellValue, did_you_mean, normalise, parse_text

DATE_ORDERS = ("day-first", "month-first", "year-first")
_FIGURES = {"day-first": "%d/%m/%Y", "month-first": "%m/%d/%Y", "year-first": "%Y-%m-%d"}
MAX_WORD = 200  # characters of one plural form a template may pass to `plural`
NUMBER_MARK = "{n}"  # where a plural form puts the number; nobody types it by accident
MAX_COUNT = 10**15  # larger numbers are not counts of anything in a community


# Bundled English is world English: most communities writing it (India, Nigeria, the UK,
# Kenya…) put the day first, where babel's plain `en` is the United States' month-first.
_LOCALES = {"en": "en_001"}


@cache
def babel_locale(language: str) -> Locale:
    """The babel locale of a bundled language (`pt-BR` is `pt_BR`); English if babel lacks it."""
    try:
        return Locale.parse(_LOCALES.get(language, language.replace("-", "_")))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


@cache
def language_date_order(language: str) -> str:
    """`day-first`, `month-first` or `year-first`: the order of the language's short date."""
    pattern = get_date_format("short", locale=babel_locale(language)).pattern.lower()
    letters = zip(DATE_ORDERS, "dmy", strict=True)
    found = [(pattern.find(letter), order) for order, letter in letters if letter in pattern]
    return min(found)[1]


def parse_date_format(value: CellValue) -> str:
    """The `date_format` setting: day-first, month-first or year-first."""
    text = parse_text(value)
    by_key = {normalise(order): order for order in DATE_ORDERS}
    order = by_key.get(normalise(text))
    if order is None:
        raise CellError(
            f'"{text}" is not a date format; use day-first (15/12/2026), month-first '
            f"(12/15/2026) or year-first (2026-12-15), or leave it blank for the language's own"
            f"{did_you_mean(text, DATE_ORDERS)}"
        )
    return order


@cache
def language_date_separator(language: str) -> str:
    """What the language's short date puts between day and month: `/`, or `.` in German."""
    pattern = get_date_format("short", locale=babel_locale(language)).pattern
    found = re.search(r"[^A-Za-z']", pattern)
    return found.group() if found and found.group() in "/.-" else "/"


def figures_date(day: date, order: str, separator: str = "/") -> str:
    """`15/12/2026` (`15.12.2026` with `.`), `12/15/2026` or always `2026-12-15`, in `order`."""
    written = day.strftime(_FIGURES[order])
    return written if order == "year-first" else written.replace("/", separator)


@cache  # a run writes thousands of messages on a few days
def words_date(day: date, language: str) -> str:
    """`15 de dezembro`, `December 15`: day and month in words, in the language's order."""
    return format_skeleton("MMMMd", day, locale=babel_locale(language))


@cache  # a run writes thousands of messages on a few days
def full_date(day: date, language: str) -> str:
    """`terça-feira, 15 de dezembro de 2026`: weekday, day, month and year in words."""
    return format_date(day, format="full", locale=babel_locale(language))


@cache  # a run writes thousands of messages on a few days
def weekday_name(day: date, language: str) -> str:
    """`Tuesday`, `terça-feira`, `martes`."""
    return format_date(day, format="EEEE", locale=babel_locale(language))


def number_text(value: object, language: str) -> str:
    """`1,234` in English, `1.234` in Portuguese; anything not a number as it is."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if not math.isfinite(value) or abs(value) > MAX_COUNT:
        return str(value)
    return format_decimal(value, locale=babel_locale(language))


def count_text(value: object, language: str, forms: dict[str, str]) -> str:
    """`3 posts`: the number and the form the language's plural rules pick for it.

    `forms` maps babel's plural categories (`zero`, `one`, `two`, `few`, `many`,
    `other`) to words; a missing category falls back to `other`, then to `one`.
    When any form holds `{n}`, every form is written as given with `{n}` as the number
    (so "يومان" needs no figure); otherwise the number goes first. Other text, a
    hashtag included, is kept as written.
    """
    for word in forms.values():
        if not isinstance(word, str) or len(word) > MAX_WORD:
            raise ValueError(f"plural: each form must be a text of at most {MAX_WORD} characters")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"plural: {value!r} is not a number")
    countable = math.isfinite(value) and abs(value) <= MAX_COUNT
    category = babel_locale(language).plural_form(abs(value)) if countable else "other"
    number = number_text(value, language)
    word = forms.get(category) or forms.get("other") or forms.get("one", "")
    if any(NUMBER_MARK in form for form in forms.values()):
        return word.replace(NUMBER_MARK, number).strip()
    return f"{number} {word}".strip()


def _context_language(context: Any) -> str:
    language = context.get("language") if context is not None else None
    return str(language) if language else "en"


@jinja2.pass_context
def _plural_filter(
    context: Any, value: object, one: str = "", other: str = "", **forms: str
) -> str:
    named = {"one": one, "other": other or one, **forms}
    return count_text(value, _context_language(context), {k: v for k, v in named.items() if v})


@jinja2.pass_context
def _number_filter(context: Any, value: object) -> str:
    return number_text(value, _context_language(context))


LANGUAGE_FILTERS: dict[str, Callable[..., str]] = {
    "plural": _plural_filter,
    "number": _number_filter,
}
