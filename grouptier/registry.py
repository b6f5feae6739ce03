"""The registry of communities one deployment runs: the admin sheet's `Communities` tab.

One row per community: `sheet` (its URL or ID), `time_zone` (IANA, e.g.
Africa/Lagos), `run_hour` (0-23, local) and `enabled` (yes/no; blank is yes,
since a row is added to be run). Columns are found by header, as in every
other tab.

Pure: `read_registry` turns the tab's cells into entries and problems,
`due_communities` picks the entries whose local hour has come at a given
instant (a parameter: no clock here). A bad row is a `Problem` naming its
cell and is left out; it never stops the good rows, because one manager's
typo must not stop every other community. A sheet listed twice is run
once, from its first row. At most `MAX_ROWS` communities are read: more
than one deployment should serve (see README, "Many communities").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

from grouptier.backends.sheet_urls import sheet_id_of
from grouptier.cells import CellError, CellValue, did_you_mean, normalise, parse_text, parse_yes_no
from grouptier.errors import InvalidSheetError, Problem
from grouptier.sheet import Column, RawWorkbook, TabSpec, read_table

__all__ = [
    "COMMUNITIES",
    "MAX_ROWS",
    "Registry",
    "RegistryEntry",
    "due_communities",
    "read_registry",
    "slot_of",
]

COMMUNITIES = TabSpec(
    "Communities",
    (
        Column("sheet", True, width=60),
        Column("time_zone", True, width=20),
        Column("run_hour", True, "count", width=9),
        Column("enabled", kind="yesno", width=9),
    ),
)
# Beyond this a deployment's hourly fan-out and the Sheets quota arithmetic stop holding.
MAX_ROWS = 10_000
_HOUR_TEXT = re.compile(r"^(\d{1,2})(?::(\d{2}))?$")


@dataclass(frozen=True)
class RegistryEntry:
    """One community of the registry, validated; `row` is its sheet row (for messages)."""

    sheet_id: str
    time_zone: str
    run_hour: int
    enabled: bool
    row: int


@dataclass(frozen=True)
class Registry:
    """The usable entries (disabled ones included) and the problems of the rows left out."""

    entries: tuple[RegistryEntry, ...]
    problems: tuple[Problem, ...]

    @property
    def enabled(self) -> tuple[RegistryEntry, ...]:
        """The entries that may be dispatched."""
        return tuple(entry for entry in self.entries if entry.enabled)


def read_registry(workbook: RawWorkbook) -> Registry:
    """The `Communities` tab of `workbook` as entries; raise only when no row can be read.

    A missing tab, a missing column or two tabs of that name raise
    `InvalidSheetError`; everything wrong inside a row is a problem of that row.
    """
    problems: list[Problem] = []
    table = read_table(workbook, COMMUNITIES, problems)
    if table is None:
        raise InvalidSheetError(problems)
    entries: list[RegistryEntry] = []
    first_row: dict[str, int] = {}
    for count, (row, record) in enumerate(table, start=1):
        if count > MAX_ROWS:
            problems.append(_too_many(table.name, row))
            break
        entry = _entry(table.name, row, record, table.letters, problems)
        if entry is None:
            continue
        if entry.sheet_id in first_row:
            problems.append(_duplicate(table.name, table.cell("sheet", row), first_row, entry))
            continue
        first_row[entry.sheet_id] = row
        entries.append(entry)
    return Registry(tuple(entries), tuple(problems))


def due_communities(entries: Iterable[RegistryEntry], now: datetime) -> list[RegistryEntry]:
    """The enabled entries whose local `run_hour` is the hour `now` falls in (DST-correct).

    `now` must be timezone-aware. When a clock change skips the run hour
    (02:00 on a spring-forward night), the community is due in the first
    hour after the gap instead of missing its day; when a clock change
    repeats an hour, only its first occurrence counts.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return [entry for entry in entries if entry.enabled and _is_due(entry, now)]


def slot_of(now: datetime) -> str:
    """The UTC hour `now` falls in, as `2026-12-07T06Z`: names one dispatch."""
    return now.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%HZ")


def _is_due(entry: RegistryEntry, now: datetime) -> bool:
    zone = ZoneInfo(entry.time_zone)
    local = now.astimezone(zone)
    if local.hour == entry.run_hour:
        return local.fold == 0
    # Did the clock jump over run_hour since the last dispatch (a spring-forward gap)? Without
    # a gap, an hour's open interval of wall time holds no o'clock that is not this hour's own.
    before = (now - timedelta(hours=1)).astimezone(zone).replace(tzinfo=None)
    after = local.replace(tzinfo=None)
    days = {before.date(), after.date()}
    return any(before < datetime.combine(day, time(entry.run_hour)) < after for day in days)


def _entry(
    tab: str,
    row: int,
    record: dict[str, CellValue],
    letters: dict[str, str],
    problems: list[Problem],
) -> RegistryEntry | None:
    """The row as an entry, or None after recording every problem it has."""
    parsers = {
        "sheet": _sheet,
        "time_zone": _time_zone,
        "run_hour": _run_hour,
        "enabled": _enabled,
    }
    values: dict[str, object] = {}
    for name, parse in parsers.items():
        if name not in letters:  # an optional column the tab does not have
            values[name] = True
            continue
        try:
            values[name] = parse(record.get(name))
        except CellError as error:
            problems.append(Problem(tab, f"{letters[name]}{row}", str(error)))
    if len(values) < len(parsers):
        return None
    return RegistryEntry(
        str(values["sheet"]),
        str(values["time_zone"]),
        int(str(values["run_hour"])),
        bool(values["enabled"]),
        row,
    )


def _sheet(value: CellValue) -> str:
    text = parse_text(value)
    if not text:
        raise CellError("is empty; paste the community sheet's URL (or its ID)")
    found = sheet_id_of(text)
    if found is None:
        raise CellError(
            f'"{text}" is not a Google Sheets URL or ID; copy the address of the open sheet, '
            "e.g. https://docs.google.com/spreadsheets/d/1AbC.../edit"
        )
    return found


def _time_zone(value: CellValue) -> str:
    name = parse_text(value)
    if not name:
        raise CellError("is empty; give the community's time zone, e.g. Africa/Lagos")
    zones = _zones()
    if name.casefold() in zones:
        return zones[name.casefold()]
    raise CellError(
        f'"{name}" is not a time zone; use a name such as Europe/London or Asia/Kolkata'
        f"{_zone_hint(name, zones)}"
    )


@functools.cache
def _zones() -> dict[str, str]:
    """Every IANA zone this system knows, by its case-folded name (read once per process)."""
    return {zone.casefold(): zone for zone in available_timezones()}


def _zone_hint(name: str, zones: dict[str, str]) -> str:
    """` (did you mean "Europe/London"?)` for a city ("London") or a near-miss spelling."""
    city = normalise(name)
    matches = sorted(z for z in zones.values() if normalise(z.rsplit("/", 1)[-1]) == city)
    if matches:
        return f' (did you mean "{matches[0]}"?)'
    return did_you_mean(name, sorted(zones.values()))


def _enabled(value: CellValue) -> bool:
    """yes/no; blank is yes, since a row is added to be run."""
    return parse_yes_no(value, default=True)


def _run_hour(value: CellValue) -> int:
    """0-23: a number, `6`/`06:00` typed as text, or a time cell holding a whole hour."""
    if isinstance(value, bool):
        raise CellError(f"{value} is not an hour; use a whole hour from 0 to 23")
    if isinstance(value, int | float):
        # A cell formatted as a time holds a fraction of a day: 06:00 is 0.25.
        hours = value * 24 if 0 < value < 1 else value
        return _whole_hour(hours, parse_text(value))
    text = parse_text(value)
    match = _HOUR_TEXT.match(text)
    if not match or (match.group(2) not in (None, "00")):
        raise CellError(
            f'"{text}" is not an hour; use a whole hour from 0 to 23 (runs start on the hour)'
        )
    return _whole_hour(float(match.group(1)), text)


def _whole_hour(hours: float, shown: str) -> int:
    rounded = round(hours)
    if abs(hours - rounded) > 1e-6 or not 0 <= rounded <= 23:
        raise CellError(f'"{shown}" is not an hour; use a whole hour from 0 to 23')
    return int(rounded)


def _duplicate(tab: str, cell: str, first_row: dict[str, int], entry: RegistryEntry) -> Problem:
    first = first_row[entry.sheet_id]
    return Problem(
        tab,
        cell,
        f"the same sheet as row {first}; it is run once, as row {first} says. "
        "Delete this row (or the other one)",
    )


def _too_many(tab: str, row: int) -> Problem:
    return Problem(
        tab,
        f"A{row}",
        f"the registry holds more than {MAX_ROWS:,} communities; this row and the ones "
        "below it are not run. Move some communities to a second deployment",
    )
