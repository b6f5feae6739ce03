"""Read and check a whole workbook into typed tables, reporting every problem at once.

`load_community` is the only way from raw cells to the data the rules use:
either every tab is valid and a `Community` comes back, or an
`InvalidSheetError` lists each problem with its tab and A1 cell.

Phone-number ids are compared in E.164 form (`grouptier.phones`): two
Members rows with one number are a problem, and an Activity or History id
that is the number of a member written another way is given that member's
id as typed in Members.

Dates typed as text (`22/11/2026`, `1.11.2026`) are read in the community's
date order, `date_format` else its language's (`settings.date_order_of`),
read before everything else; `YYYY-MM-DD` is always accepted.

Typed tables (pandas DataFrames, one row per sheet row, `sheet_row` giving
the row number):

- groups:   name, level, capacity, promote_top, promote_min_score,
            demote_bottom, demote_max_score, min_size, invite_link, language
            (blank counts are None: no limit; capacity blank is 1024;
            language blank is '': the Settings one)
- members:  member_id, name, group, role, joined_on, motivation, kol, locked,
            extra_groups (tuple of names), status, aliases (tuple of the names
            the member shows under in chat exports)
- activity, history: read by `activity_tables`, whose docstring lists their columns
- topics:   week_of, group, title, prompt, host
- runs:     run_id, cycle, status, started_at, finished_at, window_start, window_end
            (read leniently by `tool_logs`, like moves)
- imports:  group, first_day, last_day (dates), source, messages, senders, unmatched
            (blank counts are None), imported_at: the days each group's activity
            covers, one row per chat import or per `manual` row a manager added
- moves:    cycle, member_id, kind, from_group, to_group
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import partial

import pandas as pd

from grouptier.activity_tables import read_activity, read_history
from grouptier.cells import (
    CellError,
    CellValue,
    did_you_mean,
    is_blank,
    parse_choice,
    parse_count,
    parse_date,
    parse_member_id,
    parse_number,
    parse_optional_count,
    parse_text,
    parse_yes_no,
    shown_number,
)
from grouptier.columns import parse_table, table_frame
from grouptier.errors import InvalidSheetError, Problem
from grouptier.messages import parse_language
from grouptier.phones import member_forms, phone_key
from grouptier.settings import Settings, date_order_of, read_settings
from grouptier.sheet import (
    ACTIVITY,
    GROUPS,
    HISTORY,
    IMPORTS,
    MEMBERS,
    MOTIVATIONS,
    MOVES,
    ROLES,
    RUNS,
    SETTINGS,
    STATUSES,
    TEMPLATES,
    TOPICS,
    WHATSAPP_GROUP_LIMIT,
    RawWorkbook,
    Table,
    TabSpec,
    read_table,
)
from grouptier.tool_logs import MOVE_LOG_COLUMNS, read_moves, read_runs

IMPORT_COLUMNS = (
    "group",
    "first_day",
    "last_day",
    "source",
    "messages",
    "senders",
    "unmatched",
    "imported_at",
    "sheet_row",
)
_IMPORT_COUNTS = ("messages", "senders", "unmatched")
MAX_LEVEL = 100  # a WhatsApp community holds at most 100 groups, so at most 100 rungs


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series([], dtype=object) for name in columns})


@dataclass(frozen=True)
class Community:
    """Everything the rules need, checked and typed."""

    settings: Settings
    groups: pd.DataFrame
    members: pd.DataFrame
    activity: pd.DataFrame
    history: pd.DataFrame
    topics: pd.DataFrame
    templates: pd.DataFrame
    runs: pd.DataFrame
    # Defaults keep callers that build a Community by hand (benchmarks) working.
    imports: pd.DataFrame = field(default_factory=lambda: _empty(IMPORT_COLUMNS))
    moves: pd.DataFrame = field(default_factory=lambda: _empty(MOVE_LOG_COLUMNS))


def load_community(workbook: RawWorkbook) -> Community:
    """Check every tab and return the typed community, or raise with all problems."""
    with python_text():
        return _load(workbook)


def python_text() -> AbstractContextManager[None]:
    """Store the text columns of new tables as Python strings, with or without pyarrow.

    pandas keeps text in pyarrow when it happens to be installed, and the
    rules' lookups of a million member ids then cost several times more;
    one storage keeps their speed the same on every machine.
    """
    return pd.option_context("mode.string_storage", "python")  # type: ignore[no-any-return]


def _load(workbook: RawWorkbook) -> Community:
    problems: list[Problem] = []
    tables = {spec.name: read_table(workbook, spec, problems) for spec in _TABS}
    settings = read_settings(tables["Settings"], problems) if tables["Settings"] else None
    order = date_order_of(tables["Settings"])  # text dates are read in the community's order
    groups = _read_groups(tables["Groups"], problems)
    # With no usable group names, every member's group would be "unknown": report Groups alone.
    named = tuple(name for name in groups["name"] if name) if groups is not None else ()
    group_names = named or None
    region = settings.phone_region if settings is not None else ""
    members = _read_members(tables["Members"], group_names, region, order, problems)
    forms = member_forms(members["member_id"], region) if members is not None else None
    parse_group = _group_parser(group_names)
    activity = read_activity(tables["Activity"], parse_group, forms, region, problems, order=order)
    topic_parsers = _topic_parsers(group_names, order)
    topics = _read_tab(tables["Topics"], topic_parsers, problems, ("week_of",))
    templates = _read_tab(tables["Templates"], _template_parsers(group_names), problems)
    history = read_history(tables["History"], forms, region, order, problems)
    runs = read_runs(tables["Runs"])
    imports = _read_imports(tables["Imports"], group_names, order, problems)
    moves = read_moves(tables["Moves"])
    if problems:
        raise InvalidSheetError(problems)
    assert settings is not None and groups is not None and members is not None
    assert activity is not None and topics is not None and templates is not None
    assert history is not None and imports is not None
    return Community(
        settings, groups, members, activity, history, topics, templates, runs, imports, moves
    )


_TABS: tuple[TabSpec, ...] = (
    SETTINGS,
    GROUPS,
    MEMBERS,
    ACTIVITY,
    TOPICS,
    TEMPLATES,
    HISTORY,
    RUNS,
    IMPORTS,
    MOVES,
)

Parser = Callable[[CellValue], object]


def _read_tab(
    table: Table | None,
    parsers: dict[str, Parser],
    problems: list[Problem],
    required: tuple[str, ...] = (),
) -> pd.DataFrame | None:
    """Parse each column of `table` with its parser; every failing cell becomes a problem."""
    if table is None:
        return None
    return table_frame(table, parse_table(table, parsers, problems, required))


def _group_parser(group_names: tuple[str, ...] | None) -> Parser:
    def parse_group(value: CellValue) -> str:
        text = parse_text(value)
        if not text or group_names is None:
            return text
        for name in group_names:
            if name.casefold() == text.casefold():
                return name
        raise CellError(f'group "{text}" is not in Groups{did_you_mean(text, group_names)}')

    return parse_group


def _group_list_parser(group_names: tuple[str, ...] | None) -> Parser:
    parse_group = _group_parser(group_names)

    def parse_groups(value: CellValue) -> tuple[str, ...]:
        names = [part.strip() for part in parse_text(value).split(",")]
        return tuple(str(parse_group(name)) for name in names if name)

    return parse_groups


def _read_groups(table: Table | None, problems: list[Problem]) -> pd.DataFrame | None:
    parsers: dict[str, Parser] = {
        "name": parse_text,
        "level": _parse_level,
        "capacity": _parse_capacity,
        "promote_top": parse_optional_count,
        "promote_min_score": parse_number,
        "demote_bottom": parse_optional_count,
        "demote_max_score": parse_number,
        "min_size": parse_count,
        "invite_link": parse_text,
        "language": _parse_group_language,
    }
    before = len(problems)
    groups = _read_tab(table, parsers, problems, required=("name", "level"))
    if groups is None or table is None:
        return None
    _keep_blank_counts(groups, ("promote_top", "demote_bottom"))  # blank: no limit
    _check_group_names(groups, table, problems)
    if len(problems) == before:
        _check_levels(groups, table, problems)
        _check_group_counts(groups, table, problems)
    # Returned even with problems: Members and Activity are still checked against its names.
    return groups


def _parse_group_language(value: CellValue) -> str:
    """A group's own `language` (blank: the Settings one), a bundled language like it."""
    if is_blank(value):
        return ""
    try:
        return parse_language(value)
    except CellError as error:
        raise CellError(f"language: {error}") from error


def _keep_blank_counts(table: pd.DataFrame, names: tuple[str, ...]) -> None:
    """Optional count columns as whole numbers and None, not the NaN pandas would put in."""
    for name in names:
        table[name] = pd.Series([None if pd.isna(n) else int(n) for n in table[name]], dtype=object)


def _parse_level(value: CellValue) -> int:
    number = parse_number(value, default=0)
    if not float(number).is_integer():
        raise CellError(f"level {parse_text(value)} must be a whole number: 1 for core, 2, 3, ...")
    if number < 1:
        raise CellError(f"level {parse_text(value)} must be 1 or more: 1 for core, 2, 3, ...")
    if number > MAX_LEVEL:
        raise CellError(
            f"level {shown_number(number)} is more than {MAX_LEVEL}: levels run 1, 2, 3, ... "
            "one per rung of the ladder, and a WhatsApp community has at most 100 groups"
        )
    return int(number)


def _parse_capacity(value: CellValue) -> int:
    capacity = parse_count(value, default=WHATSAPP_GROUP_LIMIT)
    if capacity > WHATSAPP_GROUP_LIMIT:
        raise CellError(
            f"capacity {capacity} is above WhatsApp's limit of {WHATSAPP_GROUP_LIMIT} members "
            "per group; split the group into two groups of the same level"
        )
    if capacity < 1:
        raise CellError("capacity must be at least 1 (leave it blank for WhatsApp's 1024)")
    return capacity


def _check_group_names(groups: pd.DataFrame, table: Table, problems: list[Problem]) -> None:
    seen: dict[str, int] = {}
    for name, row in zip(groups["name"], groups["sheet_row"], strict=True):
        key = str(name).casefold()
        if key and key in seen:
            message = f'the group "{name}" is listed twice (also in row {seen[key]})'
            problems.append(Problem(table.name, table.cell("name", row), message))
        seen.setdefault(key, row)
    if groups.empty:
        problems.append(Problem(table.name, "", "there are no groups; add at least one row"))


def _check_levels(groups: pd.DataFrame, table: Table, problems: list[Problem]) -> None:
    levels = sorted(set(groups["level"]))
    missing = sorted(set(range(1, levels[-1] + 1)) - set(levels))
    if missing:
        listed = ", ".join(str(level) for level in missing)
        message = (
            f"levels must run 1, 2, 3, ... without gaps; no group has level {listed}"
            if len(missing) > 1 or missing[0] != 1
            else "no group has level 1 (the core group)"
        )
        problems.append(Problem(table.name, f"{table.letters['level']}", message))


def _check_group_counts(groups: pd.DataFrame, table: Table, problems: list[Problem]) -> None:
    room_by_level = groups.groupby("level")["capacity"].sum()
    for group in groups.itertuples():
        row = int(group.sheet_row)
        above = room_by_level.get(int(group.level) - 1)
        if group.promote_top is not None and above is not None and group.promote_top > above:
            message = (
                f"promote_top {group.promote_top} is more than the groups above can hold "
                f"({above}); lower it or leave it blank"
            )
            problems.append(Problem(table.name, table.cell("promote_top", row), message))
        if group.min_size > group.capacity:
            message = f"min_size {group.min_size} is above the capacity {group.capacity}"
            problems.append(Problem(table.name, table.cell("min_size", row), message))
        if group.demote_bottom is not None and group.demote_bottom > group.capacity:
            message = f"demote_bottom {group.demote_bottom} is above the capacity {group.capacity}"
            problems.append(Problem(table.name, table.cell("demote_bottom", row), message))


def _read_members(
    table: Table | None,
    group_names: tuple[str, ...] | None,
    region: str,
    order: str,
    problems: list[Problem],
) -> pd.DataFrame | None:
    optional_date = partial(_parse_optional_date, order=order)
    parsers: dict[str, Parser] = {
        "member_id": parse_member_id,
        "name": parse_text,
        "group": _group_parser(group_names),
        "role": partial(parse_choice, allowed=ROLES, what="role"),
        "joined_on": optional_date,
        "motivation": partial(parse_choice, allowed=MOTIVATIONS, what="motivation"),
        "kol": parse_yes_no,
        "locked": parse_yes_no,
        "extra_groups": _group_list_parser(group_names),
        "status": partial(parse_choice, allowed=STATUSES, what="status"),
        "aliases": _parse_aliases,
        "paused_until": optional_date,
    }
    members = _read_tab(table, parsers, problems, required=("member_id", "name", "group"))
    if members is None or table is None:
        return None
    members["status"] = members["status"].replace("", "active")
    _check_unique_ids(members, table, region, problems)
    return members


def _parse_aliases(value: CellValue) -> tuple[str, ...]:
    return tuple(part.strip() for part in parse_text(value).split(",") if part.strip())


def _parse_optional_date(value: CellValue, order: str) -> object:
    return None if is_blank(value) else parse_date(value, order)


def _check_unique_ids(
    members: pd.DataFrame, table: Table, region: str, problems: list[Problem]
) -> None:
    """One row per person: ids equal as text, or one phone number written two ways."""
    first: dict[str, tuple[int, str]] = {}  # phone key (else the id) -> first row, its name
    for member_id, name, row in zip(
        members["member_id"], members["name"], members["sheet_row"], strict=True
    ):
        if not isinstance(member_id, str) or not member_id:
            continue  # blank, or a cell already reported (pandas keeps it as NaN)
        key = phone_key(member_id, region)
        if (key or member_id) in first:
            message = _used_twice(member_id, bool(key), table, *first[key or member_id])
            problems.append(Problem(table.name, table.cell("member_id", row), message))
        else:
            first[key or member_id] = (row, name)


def _used_twice(member_id: str, phone: bool, table: Table, first_row: int, name: str) -> str:
    if not phone:
        return f'member id "{member_id}" is used twice (first in row {first_row})'
    named = f" ({name})" if name else ""
    return f"the same phone number as {table.name}!{table.cell('member_id', first_row)}{named}"


def _topic_parsers(group_names: tuple[str, ...] | None, order: str) -> dict[str, Parser]:
    return {
        "week_of": partial(parse_date, order=order),
        "group": _group_parser(group_names),
        "title": parse_text,
        "prompt": parse_text,
        "host": parse_text,
    }


def _template_parsers(group_names: tuple[str, ...] | None) -> dict[str, Parser]:
    return {"name": parse_text, "group": _group_parser(group_names), "text": parse_text}


def _read_imports(
    table: Table | None,
    group_names: tuple[str, ...] | None,
    order: str,
    problems: list[Problem],
) -> pd.DataFrame | None:
    """The days each group's activity covers; checked cell by cell, as managers add rows too."""
    in_order = partial(parse_date, order=order)
    parsers: dict[str, Parser] = {
        "group": _group_parser(group_names),
        "first_day": in_order,
        "last_day": in_order,
        "source": parse_text,
        **dict.fromkeys(_IMPORT_COUNTS, parse_optional_count),
        "imported_at": parse_text,
    }
    imports = _read_tab(table, parsers, problems, required=("group", "first_day", "last_day"))
    if imports is None or table is None:
        return None
    _keep_blank_counts(imports, _IMPORT_COUNTS)  # blank: not counted
    _check_day_order(imports, table, problems)
    return imports


def _check_day_order(imports: pd.DataFrame, table: Table, problems: list[Problem]) -> None:
    days = zip(imports["first_day"], imports["last_day"], imports["sheet_row"], strict=True)
    for first, last, row in days:
        if first is not None and last is not None and first > last:
            message = f"the last day {last:%Y-%m-%d} is before the first day {first:%Y-%m-%d}"
            problems.append(Problem(table.name, table.cell("last_day", row), message))
