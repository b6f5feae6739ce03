"""The community's settings, read from the `Settings` tab (`setting | value | notes`).

Every setting has a default that follows the community playbook; a blank
value or a missing row keeps the default. `SETTING_ROWS` is the single list
of known settings: `grouptier init` writes it into a new sheet and
`sheet_template.md` documents it.

Every number has a range, refused outside it with the setting's cell, so that
no value can overflow a date or a score: a cycle is 1 to 366 days, the
weights 0 to 1,000 points, the day cap 1 to 100,000 messages, the cycle
counts (kept, settling, catch-up) at most 1,000, and dates lie from 1900 to
2199 (`cells.parse_date`). The ranges are far wider than any community needs;
they only stop typos such as 1e18 from turning into tracebacks or wrong scores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from functools import partial
from zoneinfo import available_timezones

import phonenumbers

from grouptier.cells import (
    CellError,
    CellValue,
    did_you_mean,
    is_blank,
    normalise,
    parse_date,
    parse_number,
    parse_text,
    parse_yes_no,
    shown_number,
)
from grouptier.errors import Problem
from grouptier.locales import language_date_order, parse_date_format
from grouptier.messages import languages_named, parse_language
from grouptier.sheet import SETTINGS, Table

MAX_WEIGHT = 1_000  # points per thing counted: far above any playbook, far below overflow


@dataclass(frozen=True)
class Settings:
    """Typed settings of one community."""

    cycle_anchor: date
    cycle_days: int = 15
    time_zone: str = "UTC"
    language: str = "en"
    date_format: str = ""  # day-first, month-first or year-first; blank: the language's own
    weight_messages: float = 1
    weight_active_days: float = 2
    weight_content: float = 5
    weight_invites: float = 3
    daily_message_cap: int = 50
    newcomer_grace_days: int = 15
    reward_count: int = 2
    reward_min_content: int = 1
    kol_min_content: int = 5
    kol_min_invites: int = 3
    apply_moves: bool = True
    activity_keep_cycles: int = 2
    demo_today: date | None = None
    content_min_chars: int = 200
    content_links: bool = True
    content_documents: bool = True
    content_media: bool = False
    coverage_slack_days: int = 2
    settle_cycles: int = 1
    max_catch_up_cycles: int = 6
    phone_region: str = ""
    leaderboard_keep_cycles: int = 6
    nudge_day: int | None = None
    # Each setting's value cell ("B2"), so that a rule finding a value wrong later, when the
    # table is gone, can still name its cell; a setting without a row has none.
    cells: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def where(self, key: str) -> str:
        """`Settings!B2`: the cell of setting `key`'s value (`Settings` when it has no row)."""
        return self.problem(key, "").where

    def date_order(self, language: str | None = None) -> str:
        """How dates in figures are written: `date_format`, else the order of `language`."""
        return self.date_format or language_date_order(language or self.language)

    def problem(self, key: str, message: str) -> Problem:
        """A problem with setting `key`, located at its value cell."""
        return Problem(SETTINGS.name, self.cells.get(key, ""), message)


@dataclass(frozen=True)
class SettingRow:
    """One known setting: its parser, the value a new sheet starts with, and the note beside it."""

    key: str
    parse: Callable[[CellValue], object]
    starter: CellValue
    note: str

    @property
    def allowed(self) -> str:
        """The range of a number setting (`1 to 366`), else ''."""
        return self.parse.allowed if isinstance(self.parse, Bounded) else ""


@dataclass(frozen=True)
class Bounded:
    """A parser of a number from `low` to `high`: whole unless `whole` is False (a float)."""

    low: int
    high: int
    whole: bool = True

    @property
    def allowed(self) -> str:
        """`1 to 366`: the range, as `sheet_template.md` and a new sheet's notes show it."""
        return f"{self.low:,} to {self.high:,}"

    def __call__(self, value: CellValue) -> float:
        number = _in_range(parse_number(value), self.low, self.high)
        if not self.whole:
            # A float even when the cell holds a whole number: scores are then computed in
            # float64, which cannot wrap round the way int64 does.
            return float(number)
        if not float(number).is_integer():
            raise CellError(f"{shown_number(number)} must be a whole number")
        return int(number)


def _in_range(number: float, low: float, high: float) -> float:
    """`number` when within `low`..`high`; below 0 or 1, the messages managers already know."""
    if number < 0 <= low:
        raise CellError(f"{shown_number(number)} cannot be negative")
    if number < low:
        raise CellError(f"must be at least {low:,}")
    if number > high:
        raise CellError(
            f"{shown_number(number)} is more than {high:,}, the most this setting allows; "
            f"use a number from {low:,} to {high:,}"
        )
    return number


def _time_zone(value: CellValue) -> str:
    name = parse_text(value)
    known = {zone.casefold(): zone for zone in available_timezones()}
    if name.casefold() not in known:
        raise CellError(
            f'"{name}" is not a time zone; use a name such as Europe/London or Asia/Kolkata'
            f"{_zone_hint(name, known.values())}"
        )
    return known[name.casefold()]


def _zone_hint(name: str, zones: Iterable[str]) -> str:
    """` (did you mean "Europe/London"?)` when `name` is a zone's city, like "London"."""
    city = normalise(name)
    matches = sorted(zone for zone in zones if normalise(zone.rsplit("/", 1)[-1]) == city)
    return f' (did you mean "{matches[0]}"?)' if matches else ""


def _phone_region(value: CellValue) -> str:
    code = parse_text(value).upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise CellError(
            f'"{parse_text(value)}" is not a country code; use the two letters of the country '
            "whose numbers are written without +, e.g. BR, IN, GB (blank: every number has +)"
        )
    return code


_WEIGHT = Bounded(0, MAX_WEIGHT, whole=False)


SETTING_ROWS: tuple[SettingRow, ...] = (
    SettingRow(
        "cycle_anchor",
        parse_date,
        None,
        "First day of cycle 1 (YYYY-MM-DD); cycles follow back to back.",
    ),
    SettingRow(
        "cycle_days",
        Bounded(1, 366),
        15,
        "Length of a cycle in days (playbook: 15); a change applies from the next cycle on.",
    ),
    SettingRow(
        "time_zone",
        _time_zone,
        "UTC",
        "The community's time zone, e.g. Europe/London; decides when a day ends.",
    ),
    SettingRow(
        "language",
        parse_language,
        "en",
        f"Language of the messages: {languages_named()}.",
    ),
    SettingRow("weight_messages", _WEIGHT, 1, "Points per counted message."),
    SettingRow("weight_active_days", _WEIGHT, 2, "Points per day with at least one message."),
    SettingRow("weight_content", _WEIGHT, 5, "Points per high-quality content post."),
    SettingRow("weight_invites", _WEIGHT, 3, "Points per person invited."),
    SettingRow(
        "daily_message_cap",
        Bounded(1, 100_000),
        50,
        "At most this many messages a day count, so flooding buys nothing.",
    ),
    SettingRow(
        "newcomer_grace_days",
        Bounded(0, 3_660),
        15,
        "Members who joined this many days before a cycle ends are not moved down.",
    ),
    SettingRow(
        "reward_count",
        Bounded(0, 1_024),
        2,
        "How many top content producers gain access to the next group up each cycle.",
    ),
    SettingRow(
        "reward_min_content",
        Bounded(1, 1_000_000),
        1,
        "Content posts needed in the cycle to be rewarded.",
    ),
    SettingRow(
        "kol_min_content",
        Bounded(0, 1_000_000),
        5,
        "Content posts in a cycle to be suggested as a KOL.",
    ),
    SettingRow(
        "kol_min_invites",
        Bounded(0, 1_000_000),
        3,
        "Invites in a cycle to be suggested as a KOL.",
    ),
    SettingRow(
        "apply_moves",
        parse_yes_no,
        "yes",
        "yes: the tool updates each moved member's group; no: it only proposes.",
    ),
    SettingRow(
        "activity_keep_cycles",
        Bounded(1, 1_000),
        2,
        "Completed cycles kept in Activity; older rows are summed into History.",
    ),
    SettingRow(
        "demo_today",
        parse_date,
        None,
        "Leave blank. Only the demo workbook pins its own date here.",
    ),
    SettingRow(
        "content_min_chars",
        Bounded(0, 100_000),
        200,
        (
            "Chat imports: a message this long (characters; WhatsApp's English or Polish mark"
            " of an edited message not counted) is a content post; 0 turns it off."
        ),
    ),
    SettingRow(
        "content_links",
        parse_yes_no,
        "yes",
        "Chat imports: a message with a link is a content post.",
    ),
    SettingRow(
        "content_documents",
        parse_yes_no,
        "yes",
        "Chat imports: a shared document (PDF, slides, sheet) is a content post.",
    ),
    SettingRow(
        "content_media",
        parse_yes_no,
        "no",
        "Chat imports: a photo, video or voice note is a content post.",
    ),
    SettingRow(
        "coverage_slack_days",
        Bounded(0, 366),
        2,
        "A group whose imports leave more days of a cycle uncovered has nobody moved down.",
    ),
    SettingRow(
        "settle_cycles",
        Bounded(0, 100),
        1,
        "Cycles after a move up or a return in which a member is not moved down.",
    ),
    SettingRow(
        "max_catch_up_cycles",
        Bounded(1, 1_000),
        6,
        "At most this many overdue cycles are processed in one run; more are refused.",
    ),
    SettingRow(
        "phone_region",
        _phone_region,
        None,
        "Country of numbers written without +, e.g. BR; blank: every number carries its +.",
    ),
    SettingRow(
        "leaderboard_keep_cycles",
        Bounded(1, 100),
        6,
        "Cycles the Leaderboard keeps, newest first; older ones are removed.",
    ),
    SettingRow(
        "nudge_day",
        Bounded(2, 366),
        None,
        "Day of each cycle on which members close to moving up or down get a private nudge; "
        "blank: no nudges.",
    ),
    SettingRow(
        "date_format",
        parse_date_format,
        None,
        "How messages write dates in figures: day-first (15/12/2026), month-first "
        "(12/15/2026) or year-first (2026-12-15); blank: the language's own.",
    ),
)
_BY_KEY = {normalise(row.key): row for row in SETTING_ROWS}
_DEFAULTS = {item.name: item.default for item in fields(Settings) if item.default is not MISSING}


def read_settings(table: Table, problems: list[Problem]) -> Settings | None:
    """Settings from the Settings tab, or None when a problem was recorded."""
    values: dict[str, object] = {}
    seen: dict[str, int] = {}
    cells: dict[str, str] = {}
    before = len(problems)
    order = date_order_of(table)
    for row, record in table:
        key_text = parse_text(record["setting"])
        if not key_text:
            if not is_blank(record["value"]):
                where = table.cell("setting", row)
                problems.append(
                    Problem(table.name, where, "this row has a value but no setting name")
                )
            continue
        setting = _BY_KEY.get(normalise(key_text))
        if setting is None:
            known = [row.key for row in SETTING_ROWS]
            problems.append(
                Problem(
                    table.name,
                    table.cell("setting", row),
                    f'"{key_text}" is not a setting grouptier knows{did_you_mean(key_text, known)}',
                )
            )
            continue
        if setting.key in seen:
            problems.append(
                Problem(
                    table.name,
                    table.cell("setting", row),
                    f'"{setting.key}" is set twice (also in row {seen[setting.key]})',
                )
            )
            continue
        seen[setting.key] = row
        cells[setting.key] = table.cell("value", row)
        if is_blank(record["value"]):
            continue
        try:
            values[setting.key] = _in_order(setting.parse, order)(record["value"])
        except CellError as error:
            problems.append(
                Problem(table.name, table.cell("value", row), f"{setting.key}: {error}")
            )
    if "cycle_anchor" not in seen or _blank_value(table, seen["cycle_anchor"]):
        problems.append(
            Problem(
                table.name,
                "",
                'the setting "cycle_anchor" (the first day of cycle 1) is missing; '
                "add a row with a date",
            )
        )
    _check_nudge_day(values, cells, table.name, problems)
    if len(problems) > before:
        return None
    return Settings(**{**_DEFAULTS, **values}, cells=cells)


def date_order_of(table: Table | None) -> str:
    """The order text dates are read in: `date_format`, else the order of `language`.

    Read leniently, before the other settings and whatever else is wrong in the
    tab, so that every date of the workbook (the settings' own too) is read in
    it; a bad `date_format` or `language` is reported by `read_settings`.
    """
    found: dict[str, str] = {}
    for _, record in table or []:
        try:
            key = normalise(parse_text(record.get("setting")))
            parse = _ORDER_PARSERS.get(key)
            if parse is not None and key not in found and not is_blank(record.get("value")):
                found[key] = parse(record.get("value"))
        except CellError:
            continue
    return found.get("dateformat") or language_date_order(found.get("language") or "en")


_ORDER_PARSERS: dict[str, Callable[[CellValue], str]] = {
    "dateformat": parse_date_format,
    "language": parse_language,
}


def _in_order(parse: Callable[[CellValue], object], order: str) -> Callable[[CellValue], object]:
    """`parse`, reading a date written as text in `order` (the settings' own dates)."""
    return partial(parse_date, order=order) if parse is parse_date else parse


def _check_nudge_day(
    values: dict[str, object], cells: dict[str, str], tab: str, problems: list[Problem]
) -> None:
    """A nudge day past the cycle's last day would never come: say so instead."""
    day, days = values.get("nudge_day"), values.get("cycle_days", _DEFAULTS["cycle_days"])
    if isinstance(day, int) and isinstance(days, int) and day > days:
        problems.append(
            Problem(
                tab,
                cells["nudge_day"],
                f"nudge_day: day {day} never comes in a cycle of {days} days; "
                f"use a day from 2 to {days}, or leave it blank for no nudges",
            )
        )


def _blank_value(table: Table, row: int) -> bool:
    return is_blank(dict(table)[row]["value"])


def starter_settings(anchor: date) -> list[dict[str, CellValue]]:
    """The Settings rows a new sheet starts with."""
    rows: list[dict[str, CellValue]] = []
    for setting in SETTING_ROWS:
        value = anchor if setting.key == "cycle_anchor" else setting.starter
        allowed = f" Allowed: {setting.allowed}." if setting.allowed else ""
        rows.append({"setting": setting.key, "value": value, "notes": setting.note + allowed})
    return rows
