"""A corpus of broken community workbooks, each with the exact cell and words of its problem.

Every entry starts from `valid_sheet()` (a small community that passes `check`
and `run`), breaks one thing the way a manager or a spreadsheet program would,
and names where the problem must be reported (`Tab!Cell`, or `Tab` alone when
the problem concerns the whole tab) and a fragment of the message.

The layout of `valid_sheet()` that the expected cells rely on:

- Settings: the starter settings in `SETTING_ROWS` order, `cycle_anchor` on
  row 2 ... `demo_today` on row 18; a setting added by a test lands on row 19.
  Columns: A setting, B value, C notes.
- Groups: Core (row 2), General (row 3), Retention (row 4). Columns: A name,
  B level, C capacity, D promote_top, E promote_min_score, F demote_bottom,
  G demote_max_score, H min_size, I invite_link.
- Members: +447000000001 in Core (row 2), ...02 and ...03 in General (rows 3, 4),
  ...04 in Retention (row 5); a member added by a test lands on row 6.
  Columns: A member_id, B name, C group, D role, E joined_on, F motivation,
  G kol, H locked, I extra_groups, J status, K notes.
- Activity: one row per member in the same order (rows 2-5); a row added by a
  test lands on row 6. Columns: A date, B member_id, C group, D messages,
  E active_days, F content, G invites, H source.
- Topics: one topic on row 2. Columns: A week_of, B group, C title.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from conftest import WINDOW, SheetBuilder

from grouptier.cells import CellValue, FormulaWithoutValue
from grouptier.settings import SETTING_ROWS
from grouptier.sheet import TEMPLATES, RawTab, RawWorkbook

# The row under the starter settings (header, then one row per known setting).
FIRST_ROW_AFTER_SETTINGS = f"Settings!A{len(SETTING_ROWS) + 2}"

RUN_DATE = "2026-10-16"  # the day after conftest's WINDOW closes: cycle 3 is due


@dataclass(frozen=True)
class CachedFormula:
    """A formula saved together with the value a spreadsheet program calculated for it.

    `error` marks an error value such as `#DIV/0!`. Backends hand the value over,
    so `as_read` replaces these cells with `value`; the xlsx writer in
    `test_bad_input` writes the formula and patches the value into the file.
    """

    formula: str
    value: CellValue
    error: bool = False


@dataclass(frozen=True)
class BadInput:
    """One broken workbook and the problem it must be reported with."""

    build: Callable[[], RawWorkbook]
    where: str
    fragment: str
    also: tuple[tuple[str, str], ...] = ()  # further (where, fragment) pairs expected at once

    @property
    def name(self) -> str:
        return self.build.__name__

    @property
    def expected(self) -> tuple[tuple[str, str], ...]:
        """Every (where, fragment) the workbook must be reported with, and nothing else."""
        return ((self.where, self.fragment), *self.also)


def valid_sheet() -> SheetBuilder:
    """A small community that passes `check` and `run` on RUN_DATE; see the module docstring."""
    sheet = SheetBuilder()
    sheet.member("Core", role="executive")
    sheet.member("General", motivation="dedicated")
    sheet.member("General", kol="yes")
    sheet.member("Retention", status="active")
    for member in sheet.members:
        sheet.post(str(member["member_id"]), messages=3)
    sheet.topics.append({"week_of": WINDOW.start, "group": "General", "title": "Introductions"})
    return sheet


def as_read(workbook: RawWorkbook) -> RawWorkbook:
    """The workbook as a backend hands it over: computed formulas become their values."""
    tabs = {
        name: RawTab(
            tab.name,
            [
                [cell.value if isinstance(cell, CachedFormula) else cell for cell in row]
                for row in tab.rows
            ],
        )
        for name, tab in workbook.tabs.items()
    }
    return RawWorkbook(tabs)


def set_cell(workbook: RawWorkbook, tab: str, cell: str, value: Any) -> RawWorkbook:
    """Put `value` in the A1 `cell` of `tab`, growing the rows as needed."""
    letters = cell.rstrip("0123456789")
    row = int(cell[len(letters) :]) - 1
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    rows = workbook.tabs[tab].rows
    while len(rows) <= row:
        rows.append([])
    while len(rows[row]) < column:
        rows[row].append(None)
    rows[row][column - 1] = value
    return workbook


def with_members(sheet: SheetBuilder, **fields: Any) -> RawWorkbook:
    """`sheet` with one more member carrying `fields` (Members row 6 on `valid_sheet()`)."""
    sheet.member("General", **fields)
    return sheet.workbook()


# --- tabs and columns ----------------------------------------------------------


def members_tab_missing() -> RawWorkbook:
    workbook = valid_sheet().workbook()
    del workbook.tabs["Members"]
    return workbook


def settings_tab_missing() -> RawWorkbook:
    workbook = valid_sheet().workbook()
    del workbook.tabs["Settings"]
    return workbook


def groups_tab_missing() -> RawWorkbook:
    workbook = valid_sheet().workbook()
    del workbook.tabs["Groups"]
    return workbook


def members_without_group_column() -> RawWorkbook:
    return set_cell(valid_sheet().workbook(), "Members", "C1", "team")


def activity_without_messages_column() -> RawWorkbook:
    return set_cell(valid_sheet().workbook(), "Activity", "D1", "msgs")


def member_id_column_twice() -> RawWorkbook:
    return set_cell(valid_sheet().workbook(), "Members", "L1", "Member-ID")


def columns_reordered_and_renamed() -> RawWorkbook:
    """Headers in a manager's spelling and order, a manager column first, a bad group."""
    sheet = valid_sheet()
    sheet.members[1]["group"] = "Genral"
    workbook = sheet.workbook()
    layout = [
        ("Notes for us", None),
        ("Name", "name"),
        ("Member ID", "member_id"),
        ("GROUP", "group"),
        ("joined-on", "joined_on"),
        ("Role", "role"),
    ]
    old = workbook.tabs["Members"].rows
    position = {str(name): index for index, name in enumerate(old[0])}
    rows: list[list[CellValue]] = [[header for header, _ in layout]]
    for row in old[1:]:
        rows.append(["kept" if source is None else row[position[source]] for _, source in layout])
    workbook.tabs["Members"] = RawTab("Members", rows)
    return workbook


def blank_rows_before_the_problem() -> RawWorkbook:
    """Three empty rows and a row with only a manager column filled sit above the bad row."""
    sheet = valid_sheet()
    sheet.members[1]["group"] = "Genral"
    workbook = sheet.workbook()
    rows = workbook.tabs["Members"].rows
    extra = [None] * len(rows[0])
    rows[1:1] = [list(extra), [None, "  ", None], list(extra)]
    rows[0].append("call notes")
    rows.insert(4, [*extra, "rang on Monday"])
    return workbook  # the member of row 3 is now on row 7


# --- Members -------------------------------------------------------------------


def duplicate_member_id() -> RawWorkbook:
    return with_members(valid_sheet(), member_id="+447000000002")


def member_in_unknown_group() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.members[1]["group"] = "Genral"
    return sheet.workbook()


def member_group_in_square_brackets() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.members[1]["group"] = "[red]General[/]"
    return sheet.workbook()


def extra_group_unknown() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.members[1]["extra_groups"] = "Core, Retenion"
    return sheet.workbook()


def unknown_role() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.members[2]["role"] = "desginer"
    return sheet.workbook()


def unknown_motivation() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.members[1]["motivation"] = "gratefull"
    return sheet.workbook()


def unknown_status() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.members[3]["status"] = "gone"
    return sheet.workbook()


def kol_neither_yes_nor_no() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.members[2]["kol"] = "maybe"
    return sheet.workbook()


def impossible_joined_on() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.members[1]["joined_on"] = "2026-02-30"
    return sheet.workbook()


def joined_on_ambiguous_year_first() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.settings["date_format"] = "year-first"
    sheet.members[2]["joined_on"] = "05/11/2025"
    return sheet.workbook()


def activity_date_impossible_day_first() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.activity[1]["date"] = "31/09/2026"
    return sheet.workbook()


def member_id_blank() -> RawWorkbook:
    return with_members(valid_sheet(), member_id=None)


def member_name_blank() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.members[0]["name"] = "   "
    return sheet.workbook()


def phone_stored_as_number() -> RawWorkbook:
    return with_members(valid_sheet(), member_id=447911123456)


def phone_in_scientific_notation() -> RawWorkbook:
    return with_members(valid_sheet(), member_id="4.47911E+11")


def phone_rounded_by_scientific_format() -> RawWorkbook:
    return with_members(valid_sheet(), member_id=4.47911e11)


def member_id_with_decimals() -> RawWorkbook:
    return with_members(valid_sheet(), member_id=1234.5)


# --- Activity ------------------------------------------------------------------


def activity_date_impossible() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.activity[1]["date"] = "2026-10-32"
    return sheet.workbook()


def activity_date_month_13() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.activity[1]["date"] = "2026-13-01"
    return sheet.workbook()


def activity_date_blank() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.activity[2]["date"] = None
    return sheet.workbook()


def activity_date_serial_zero() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.activity[3]["date"] = 0
    return sheet.workbook()


def negative_messages() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.activity[0]["messages"] = -3
    return sheet.workbook()


def fractional_content() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.activity[1]["content"] = 1.5
    return sheet.workbook()


def invites_in_words() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.activity[2]["invites"] = "three"
    return sheet.workbook()


def active_days_negative_text() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.activity[3]["active_days"] = " -2 "
    return sheet.workbook()


def activity_for_unknown_member() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.post("+447000009999")
    return sheet.workbook()


def activity_in_unknown_group() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.activity[0]["group"] = "Cor"
    return sheet.workbook()


def activity_phone_stored_as_number() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.post(447000000001)
    return sheet.workbook()


# --- Groups --------------------------------------------------------------------


def gap_in_levels() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.groups[2]["level"] = 4
    return sheet.workbook()


def no_core_level() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.groups[0]["level"] = 4
    return sheet.workbook()


def level_not_whole() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.groups[1]["level"] = 1.5
    return sheet.workbook()


def level_zero() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.groups[0]["level"] = 0
    return sheet.workbook()


def level_blank() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.groups[2]["level"] = None
    return sheet.workbook()


def capacity_above_whatsapp_limit() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.groups[1]["capacity"] = 2000
    return sheet.workbook()


def capacity_zero() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.groups[2]["capacity"] = 0
    return sheet.workbook()


def promote_top_above_core_capacity() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.groups[0]["capacity"] = 2
    sheet.groups[1]["promote_top"] = 5
    return sheet.workbook()


def min_size_above_capacity() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.groups[0]["min_size"] = 500
    return sheet.workbook()


def demote_bottom_above_capacity() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.groups[1]["capacity"] = 100
    sheet.groups[1]["demote_bottom"] = 150
    return sheet.workbook()


def promote_top_fractional() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.groups[1]["promote_top"] = 2.5
    return sheet.workbook()


def group_listed_twice() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.groups.append({"name": "general", "level": 2})
    return sheet.workbook()


# --- Settings ------------------------------------------------------------------


def weight_not_a_number() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.settings["weight_content"] = "lots"
    return sheet.workbook()


def weight_negative() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.settings["weight_invites"] = -1
    return sheet.workbook()


def unknown_setting() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.settings["cycle_dayz"] = 10
    return sheet.workbook()


def setting_set_twice() -> RawWorkbook:
    workbook = valid_sheet().workbook()
    workbook.tabs["Settings"].rows.append(["Cycle Days", 10, None])
    return workbook


def cycle_anchor_missing() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.settings["cycle_anchor"] = None
    return sheet.workbook()


def cycle_anchor_impossible() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.settings["cycle_anchor"] = "2026-02-29"
    return sheet.workbook()


def time_zone_misspelt() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.settings["time_zone"] = "Europe/Londn"
    return sheet.workbook()


def time_zone_is_a_region() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.settings["time_zone"] = "Europe"
    return sheet.workbook()


def cycle_days_zero() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.settings["cycle_days"] = 0
    return sheet.workbook()


def apply_moves_unclear() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.settings["apply_moves"] = "perhaps"
    return sheet.workbook()


# --- Topics and Templates --------------------------------------------------------


def topic_week_of_impossible() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.topics[0]["week_of"] = "2026-09-31"
    return sheet.workbook()


def topic_week_of_blank() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.topics[0]["week_of"] = None
    return sheet.workbook()


def template_for_unknown_group() -> RawWorkbook:
    workbook = valid_sheet().workbook()
    rows: list[list[CellValue]] = [
        list(TEMPLATES.headers),
        ["promote", "Generl", "Welcome up, {{ name }}!"],
    ]
    workbook.tabs["Templates"] = RawTab("Templates", rows)
    return workbook


# --- formulas --------------------------------------------------------------------


def formula_without_value_in_messages() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.activity[1]["messages"] = FormulaWithoutValue("=SUM(1,2)")
    return sheet.workbook()


def formula_without_value_in_group() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.members[2]["group"] = FormulaWithoutValue("=Groups!A3")
    return sheet.workbook()


def formula_without_value_in_cycle_anchor() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.settings["cycle_anchor"] = FormulaWithoutValue("=DATE(2026,9,1)")
    return sheet.workbook()


def formula_computed_to_a_negative_count() -> RawWorkbook:
    """The computed value is what gets checked: -3, not the formula text."""
    sheet = valid_sheet()
    sheet.activity[0]["messages"] = CachedFormula("=1-4", -3)
    return sheet.workbook()


def formula_computed_to_an_error() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.activity[1]["content"] = CachedFormula("=1/0", "#DIV/0!", error=True)
    return sheet.workbook()


def formula_computed_to_an_unknown_group() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.members[1]["group"] = CachedFormula('="Gen"&"ral"', "Genral")
    return sheet.workbook()


# --- several problems at once ------------------------------------------------------


def scenario_14_two_tabs_at_once() -> RawWorkbook:
    """SCENARIOS.md example 14: Members!C14 says "Genral", Activity!D200 says -3."""
    sheet = valid_sheet()
    while len(sheet.members) < 12:
        sheet.member("General")
    sheet.member("Genral")  # Members row 14
    ids = [str(member["member_id"]) for member in sheet.members[:12]]
    while len(sheet.activity) < 198:
        sheet.post(ids[len(sheet.activity) % len(ids)], day=date(2026, 10, 2))
    sheet.post(ids[0], messages=-3)  # Activity row 200
    return sheet.workbook()


def one_problem_in_every_manager_tab() -> RawWorkbook:
    sheet = valid_sheet()
    sheet.settings["weight_messages"] = "one"
    sheet.groups[2]["capacity"] = 5000
    sheet.members[3]["role"] = "boss"
    sheet.activity[3]["invites"] = -1
    sheet.topics[0]["week_of"] = "next week"
    return sheet.workbook()


CORPUS: tuple[BadInput, ...] = (
    BadInput(members_tab_missing, "Members", 'the tab "Members" is missing'),
    BadInput(settings_tab_missing, "Settings", 'the tab "Settings" is missing'),
    BadInput(groups_tab_missing, "Groups", 'the tab "Groups" is missing'),
    BadInput(members_without_group_column, "Members!1:1", 'the header row has no "group" column'),
    BadInput(
        activity_without_messages_column, "Activity!1:1", 'the header row has no "messages" column'
    ),
    BadInput(
        member_id_column_twice, "Members!L1", 'the column "member_id" appears twice (also in A1)'
    ),
    BadInput(
        columns_reordered_and_renamed,
        "Members!D3",
        'group "Genral" is not in Groups (did you mean "General"?)',
    ),
    BadInput(
        blank_rows_before_the_problem,
        "Members!C7",
        'group "Genral" is not in Groups (did you mean "General"?)',
    ),
    BadInput(
        duplicate_member_id,
        "Members!A6",
        "the same phone number as Members!A3 (Member 2)",
    ),
    BadInput(
        member_in_unknown_group,
        "Members!C3",
        'group "Genral" is not in Groups (did you mean "General"?)',
    ),
    BadInput(
        member_group_in_square_brackets,
        "Members!C3",
        'group "[red]General[/]" is not in Groups',
    ),
    BadInput(
        extra_group_unknown,
        "Members!I3",
        'group "Retenion" is not in Groups (did you mean "Retention"?)',
    ),
    BadInput(
        unknown_role,
        "Members!D4",
        'role "desginer" is not one of assistant, activity officer, record officer, designer, '
        'diplomat, executive (did you mean "designer"?)',
    ),
    BadInput(
        unknown_motivation,
        "Members!F3",
        'motivation "gratefull" is not one of dedicated, grateful, self-driven, resource '
        '(did you mean "grateful"?)',
    ),
    BadInput(unknown_status, "Members!J5", 'status "gone" is not one of active, left'),
    BadInput(kol_neither_yes_nor_no, "Members!G4", '"maybe" must be yes or no'),
    BadInput(
        impossible_joined_on,
        "Members!E3",
        '"2026-02-30" is not a real date (there is no day 30 in that month)',
    ),
    BadInput(
        joined_on_ambiguous_year_first,
        "Members!E4",
        '"05/11/2025" could be 2025-11-05 or 2025-05-11: write it year first, like 2026-11-22',
    ),
    BadInput(
        activity_date_impossible_day_first,
        "Activity!A3",
        '"31/09/2026" is not a date: write it day first, like 22/11/2026',
    ),
    BadInput(member_id_blank, "Members!A6", "member id is blank"),
    BadInput(member_name_blank, "Members!B2", "name is blank"),
    BadInput(
        phone_stored_as_number,
        "Members!A6",
        "447911123456 looks like a phone number the spreadsheet turned into a number",
    ),
    BadInput(
        phone_in_scientific_notation,
        "Members!A6",
        '"4.47911E+11" is a phone number the spreadsheet turned into scientific notation',
    ),
    BadInput(
        phone_rounded_by_scientific_format,
        "Members!A6",
        "447911000000 looks like a phone number the spreadsheet turned into a number",
    ),
    BadInput(
        member_id_with_decimals,
        "Members!A6",
        "1234.5 is not a member id: the spreadsheet stored it as a number with decimals",
    ),
    BadInput(
        activity_date_impossible,
        "Activity!A3",
        '"2026-10-32" is not a real date (there is no day 32 in that month)',
    ),
    BadInput(
        activity_date_month_13,
        "Activity!A3",
        '"2026-13-01" is not a real date (there is no month 13)',
    ),
    BadInput(activity_date_blank, "Activity!A4", "date is blank"),
    BadInput(activity_date_serial_zero, "Activity!A5", "0 is a number, not a date"),
    BadInput(negative_messages, "Activity!D2", "-3 cannot be negative"),
    BadInput(fractional_content, "Activity!F3", "1.5 must be a whole number"),
    BadInput(invites_in_words, "Activity!G4", '"three" is not a number'),
    BadInput(active_days_negative_text, "Activity!E5", "-2 cannot be negative"),
    BadInput(
        activity_for_unknown_member, "Activity!B6", 'member id "+447000009999" is not in Members'
    ),
    BadInput(
        activity_in_unknown_group,
        "Activity!C2",
        'group "Cor" is not in Groups (did you mean "Core"?)',
    ),
    BadInput(
        activity_phone_stored_as_number,
        "Activity!B6",
        "447000000001 looks like a phone number the spreadsheet turned into a number",
    ),
    BadInput(
        gap_in_levels,
        "Groups!B",
        "levels must run 1, 2, 3, ... without gaps; no group has level 3",
    ),
    BadInput(no_core_level, "Groups!B", "no group has level 1 (the core group)"),
    BadInput(
        level_not_whole, "Groups!B3", "level 1.5 must be a whole number: 1 for core, 2, 3, ..."
    ),
    BadInput(level_zero, "Groups!B2", "level 0 must be 1 or more: 1 for core, 2, 3, ..."),
    BadInput(level_blank, "Groups!B4", "level is blank"),
    BadInput(
        capacity_above_whatsapp_limit,
        "Groups!C3",
        "capacity 2000 is above WhatsApp's limit of 1024 members per group",
    ),
    BadInput(
        capacity_zero, "Groups!C4", "capacity must be at least 1 (leave it blank for WhatsApp's"
    ),
    BadInput(
        promote_top_above_core_capacity,
        "Groups!D3",
        "promote_top 5 is more than the groups above can hold (2)",
    ),
    BadInput(min_size_above_capacity, "Groups!H2", "min_size 500 is above the capacity 200"),
    BadInput(
        demote_bottom_above_capacity, "Groups!F3", "demote_bottom 150 is above the capacity 100"
    ),
    BadInput(promote_top_fractional, "Groups!D3", "2.5 must be a whole number"),
    BadInput(
        group_listed_twice, "Groups!A5", 'the group "general" is listed twice (also in row 3)'
    ),
    BadInput(weight_not_a_number, "Settings!B8", 'weight_content: "lots" is not a number'),
    BadInput(weight_negative, "Settings!B9", "weight_invites: -1 cannot be negative"),
    BadInput(
        unknown_setting,
        FIRST_ROW_AFTER_SETTINGS,
        '"cycle_dayz" is not a setting grouptier knows (did you mean "cycle_days"?)',
    ),
    BadInput(
        setting_set_twice, FIRST_ROW_AFTER_SETTINGS, '"cycle_days" is set twice (also in row 3)'
    ),
    BadInput(
        cycle_anchor_missing,
        "Settings",
        'the setting "cycle_anchor" (the first day of cycle 1) is missing',
    ),
    BadInput(
        cycle_anchor_impossible,
        "Settings!B2",
        'cycle_anchor: "2026-02-29" is not a real date (there is no day 29 in that month)',
    ),
    BadInput(time_zone_misspelt, "Settings!B4", 'time_zone: "Europe/Londn" is not a time zone'),
    BadInput(time_zone_is_a_region, "Settings!B4", 'time_zone: "Europe" is not a time zone'),
    BadInput(cycle_days_zero, "Settings!B3", "cycle_days: must be at least 1"),
    BadInput(apply_moves_unclear, "Settings!B16", 'apply_moves: "perhaps" must be yes or no'),
    BadInput(
        topic_week_of_impossible,
        "Topics!A2",
        '"2026-09-31" is not a real date (there is no day 31 in that month)',
    ),
    BadInput(topic_week_of_blank, "Topics!A2", "week of is blank"),
    BadInput(
        template_for_unknown_group,
        "Templates!B2",
        'group "Generl" is not in Groups (did you mean "General"?)',
    ),
    BadInput(
        formula_without_value_in_messages,
        "Activity!D3",
        "holds the formula =SUM(1,2) but no calculated value was saved with it",
    ),
    BadInput(
        formula_without_value_in_group,
        "Members!C4",
        "holds the formula =Groups!A3 but no calculated value was saved with it",
    ),
    BadInput(
        formula_without_value_in_cycle_anchor,
        "Settings!B2",
        "cycle_anchor: holds the formula =DATE(2026,9,1) but no calculated value was saved",
    ),
    BadInput(formula_computed_to_a_negative_count, "Activity!D2", "-3 cannot be negative"),
    BadInput(
        formula_computed_to_an_error, "Activity!F3", "holds the error #DIV/0! instead of a value"
    ),
    BadInput(
        formula_computed_to_an_unknown_group,
        "Members!C3",
        'group "Genral" is not in Groups (did you mean "General"?)',
    ),
    BadInput(
        scenario_14_two_tabs_at_once,
        "Members!C14",
        'group "Genral" is not in Groups (did you mean "General"?)',
        also=(("Activity!D200", "-3 cannot be negative"),),
    ),
    BadInput(
        one_problem_in_every_manager_tab,
        "Settings!B6",
        'weight_messages: "one" is not a number',
        also=(
            ("Groups!C4", "capacity 5000 is above WhatsApp's limit"),
            ("Members!D5", 'role "boss" is not one of'),
            ("Activity!G5", "-1 cannot be negative"),
            ("Topics!A2", '"next week" is not a date'),
        ),
    ),
)
