"""load_community: headers found by name, blank rows skipped, every problem reported at its cell."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from conftest import ANCHOR, LONG_AGO, TODAY, WINDOW, SheetBuilder
from test_cycle import save

from grouptier.cells import FormulaWithoutValue
from grouptier.community import load_community
from grouptier.cycle import check
from grouptier.errors import InvalidSheetError
from grouptier.health import same_name_warning
from grouptier.scoring import score_members
from grouptier.sheet import HISTORY, MEMBERS, RawTab, RawWorkbook


def problems_of(workbook: RawWorkbook) -> list[str]:
    """Every problem as the CLI lists it (`Tab!Cell: message`), in sheet order."""
    with pytest.raises(InvalidSheetError) as caught:
        load_community(workbook)
    return [str(problem) for problem in caught.value.problems]


def rename_headers(workbook: RawWorkbook, tab: str, headers: dict[str, str]) -> RawWorkbook:
    """Give columns of `tab` the header a manager typed instead of the canonical name."""
    row = workbook.tabs[tab].rows[0]
    workbook.tabs[tab].rows[0] = [headers.get(str(name), name) for name in row]
    return workbook


def rearrange(workbook: RawWorkbook, tab: str, layout: list[tuple[str, str | None]]) -> None:
    """Rebuild `tab` with `layout`'s (header, source column) order; None is a manager's column."""
    old = workbook.tabs[tab].rows
    position = {str(name): index for index, name in enumerate(old[0])}
    rows = [[header for header, _ in layout]]
    for number, row in enumerate(old[1:], start=2):
        rows.append(
            [f"note {number}" if source is None else row[position[source]] for _, source in layout]
        )
    workbook.tabs[tab] = RawTab(workbook.tabs[tab].name, rows)


def two_members(sheet: SheetBuilder) -> SheetBuilder:
    sheet.active_member("Core")
    sheet.active_member("General")
    return sheet


# --- headers, column order, tab names ------------------------------------------------


@pytest.mark.parametrize(
    "header",
    ["member_id", "Member ID", "member-id", "MEMBER_ID", "  Member  Id ", "memberid"],
    ids=["canonical", "title-case", "dash", "upper", "spaced", "joined"],
)
def test_member_id_header_is_matched_ignoring_case_spaces_underscores_and_dashes(
    sheet: SheetBuilder, header: str
) -> None:
    two_members(sheet)
    workbook = rename_headers(sheet.workbook(), "Members", {"member_id": header})
    workbook = rename_headers(workbook, "Activity", {"member_id": header})

    community = load_community(workbook)

    assert list(community.members["member_id"]) == ["+447000000001", "+447000000002"]
    assert list(community.activity["member_id"]) == ["+447000000001", "+447000000002"]


def test_every_header_in_a_managers_spelling(sheet: SheetBuilder) -> None:
    sheet.member("General", role="designer", motivation="grateful", kol="yes")
    workbook = sheet.workbook()
    for tab in workbook.tabs.values():
        tab.rows[0] = [str(name).replace("_", " ").title() for name in tab.rows[0]]

    community = load_community(workbook)

    member = community.members.iloc[0]
    assert (member["role"], member["motivation"], member["kol"]) == ("designer", "grateful", True)
    assert community.settings.cycle_anchor == ANCHOR


def test_columns_in_any_order_with_manager_columns_between(sheet: SheetBuilder) -> None:
    sheet.member("Core", role="executive")
    sheet.member("General", kol="yes")
    workbook = sheet.workbook()
    rearrange(
        workbook,
        "Members",
        [
            ("Phone notes", None),
            ("Group", "group"),
            ("Referred by", None),
            ("KOL", "kol"),
            ("Name", "name"),
            ("Role", "role"),
            ("Member ID", "member_id"),
        ],
    )

    members = load_community(workbook).members

    assert members[["member_id", "group", "role", "kol"]].to_dict("records") == [
        {"member_id": "+447000000001", "group": "Core", "role": "executive", "kol": False},
        {"member_id": "+447000000002", "group": "General", "role": "", "kol": True},
    ]
    assert "Phone notes" not in members.columns
    assert "Referred by" not in members.columns


def test_problems_name_the_column_where_it_really_is(sheet: SheetBuilder) -> None:
    sheet.member("Core")
    sheet.member("Genral", role="boss")
    workbook = sheet.workbook()
    rearrange(
        workbook,
        "Members",
        [
            ("notes to self", None),
            ("Name", "name"),
            ("Member ID", "member_id"),
            ("Role", "role"),
            ("GROUP", "group"),
        ],
    )

    assert problems_of(workbook) == [
        'Members!D3: role "boss" is not one of assistant, activity officer, record officer, '
        "designer, diplomat, executive",
        'Members!E3: group "Genral" is not in Groups (did you mean "General"?)',
    ]


def test_manager_columns_are_never_read(sheet: SheetBuilder) -> None:
    sheet.member("General")
    workbook = sheet.workbook()
    members = workbook.tabs["Members"].rows
    members[0] += ["=total", "Scratch"]
    members[1] += [FormulaWithoutValue("=SUM(A1:A9)"), "#REF!"]

    assert len(load_community(workbook).members) == 1


def test_tab_names_are_matched_ignoring_case_and_spaces(sheet: SheetBuilder) -> None:
    sheet.member("General")
    workbook = sheet.workbook()
    workbook.tabs = {
        f" {name.upper()} ": RawTab(f" {name.upper()} ", tab.rows)
        for name, tab in workbook.tabs.items()
    }

    assert len(load_community(workbook).members) == 1


def test_a_problem_names_the_tab_as_the_manager_spelt_it(sheet: SheetBuilder) -> None:
    sheet.member("Genral")
    workbook = sheet.workbook()
    workbook.tabs["Members"] = RawTab("members", workbook.tabs["Members"].rows)

    assert problems_of(workbook) == [
        'members!C2: group "Genral" is not in Groups (did you mean "General"?)'
    ]


def test_optional_columns_may_be_left_out(sheet: SheetBuilder) -> None:
    workbook = sheet.workbook()
    workbook.tabs["Members"] = RawTab(
        "Members", [["member_id", "name", "group"], ["+447000000001", "Ada", "General"]]
    )
    workbook.tabs["Activity"] = RawTab(
        "Activity",
        [["date", "member_id", "messages"], [WINDOW.start, "+447000000001", 4]],
    )

    community = load_community(workbook)

    member = community.members.iloc[0]
    assert (member["role"], member["kol"], member["extra_groups"], member["status"]) == (
        "",
        False,
        (),
        "active",
    )
    assert community.activity[["messages", "content", "invites"]].iloc[0].tolist() == [4, 0, 0]


# --- blank rows ------------------------------------------------------------------------


def test_blank_rows_are_skipped_and_later_rows_keep_their_sheet_row(sheet: SheetBuilder) -> None:
    sheet.member("Core")
    sheet.member("General")
    workbook = sheet.workbook()
    rows = workbook.tabs["Members"].rows
    rows[2:2] = [[], [None] * 11, ["", "   ", None]]  # sheet rows 3, 4 and 5

    members = load_community(workbook).members

    assert list(members["sheet_row"]) == [2, 6]
    assert list(members["member_id"]) == ["+447000000001", "+447000000002"]


def test_a_problem_below_blank_rows_names_its_real_row(sheet: SheetBuilder) -> None:
    sheet.member("Core")
    sheet.member("Genral")
    workbook = sheet.workbook()
    workbook.tabs["Members"].rows[2:2] = [[None] * 11] * 10

    assert problems_of(workbook) == [
        'Members!C13: group "Genral" is not in Groups (did you mean "General"?)'
    ]


def test_a_row_with_only_a_manager_column_filled_is_blank(sheet: SheetBuilder) -> None:
    sheet.member("General")
    workbook = sheet.workbook()
    rows = workbook.tabs["Members"].rows
    rows[0].append("follow-up")
    rows.append([None] * len(MEMBERS.headers) + ["call back on Monday"])

    assert len(load_community(workbook).members) == 1


def test_a_row_of_unticked_checkboxes_is_blank(sheet: SheetBuilder) -> None:
    sheet.member("General")
    workbook = sheet.workbook()
    workbook.tabs["Members"].rows.append([None] * 6 + [False, False, None, None, None])

    assert len(load_community(workbook).members) == 1


# --- all problems at once ------------------------------------------------------------------


def test_scenario_14_both_problems_are_reported_at_once(sheet: SheetBuilder) -> None:
    for _ in range(12):
        sheet.member("General")
    sheet.member("Genral")  # Members row 14
    for _ in range(198):
        sheet.post("+447000000001")
    sheet.post("+447000000002", messages=-3)  # Activity row 200

    with pytest.raises(InvalidSheetError) as caught:
        load_community(sheet.workbook())

    assert str(caught.value) == (
        "The sheet has 2 problems; nothing was changed:\n"
        "  Activity!D200: -3 cannot be negative\n"
        '  Members!C14: group "Genral" is not in Groups (did you mean "General"?)'
    )


def test_problems_come_in_sheet_order_across_every_tab(sheet: SheetBuilder) -> None:
    sheet.settings["weight_content"] = "lots"
    sheet.groups[1]["capacity"] = 2000
    sheet.member("General", kol="maybe", joined_on="2026-02-30")
    sheet.member("General", role="boss")
    sheet.post("+447000000001", messages=1.5, invites="two")
    sheet.post("+447000000099")
    sheet.topics.append({"week_of": "soon", "title": "Hello"})

    assert problems_of(sheet.workbook()) == [
        "Activity!D2: 1.5 must be a whole number",
        'Activity!G2: "two" is not a number',
        'Activity!B3: member id "+447000000099" is not in Members',
        "Groups!C3: capacity 2000 is above WhatsApp's limit of 1024 members per group; "
        "split the group into two groups of the same level",
        'Members!E2: "2026-02-30" is not a real date (there is no day 30 in that month)',
        'Members!G2: "maybe" must be yes or no',
        'Members!D3: role "boss" is not one of assistant, activity officer, record officer, '
        "designer, diplomat, executive",
        'Settings!B8: weight_content: "lots" is not a number',
        'Topics!A2: "soon" is not a date; write it as YYYY-MM-DD, e.g. 2026-11-05',
    ]


def test_a_bad_capacity_does_not_hide_an_unknown_group(sheet: SheetBuilder) -> None:
    sheet.groups[1]["capacity"] = 2000
    sheet.member("Genral")

    assert problems_of(sheet.workbook()) == [
        "Groups!C3: capacity 2000 is above WhatsApp's limit of 1024 members per group; "
        "split the group into two groups of the same level",
        'Members!C2: group "Genral" is not in Groups (did you mean "General"?)',
    ]


# --- one rule at a time ------------------------------------------------------------------

Breakage = Callable[[SheetBuilder], RawWorkbook]


def edited(change: Callable[[SheetBuilder], object]) -> Breakage:
    """The workbook of a sheet after `change`."""

    def breakage(sheet: SheetBuilder) -> RawWorkbook:
        change(sheet)
        return sheet.workbook()

    return breakage


def drop_tab(name: str) -> Breakage:
    def breakage(sheet: SheetBuilder) -> RawWorkbook:
        workbook = sheet.workbook()
        del workbook.tabs[name]
        return workbook

    return breakage


def set_member(index: int, **fields: object) -> Breakage:
    return edited(lambda sheet: sheet.members[index].update(fields))


def set_activity(index: int, **fields: object) -> Breakage:
    return edited(lambda sheet: sheet.activity[index].update(fields))


def set_group(index: int, **fields: object) -> Breakage:
    return edited(lambda sheet: sheet.groups[index].update(fields))


def add_member(**fields: object) -> Breakage:
    row = {"member_id": "+447000000099", "name": "New", "group": "General", **fields}
    return edited(lambda sheet: sheet.members.append(row))


RULES: list[tuple[str, Breakage, list[str]]] = [
    ("missing-members-tab", drop_tab("Members"), ['Members: the tab "Members" is missing']),
    ("missing-activity-tab", drop_tab("Activity"), ['Activity: the tab "Activity" is missing']),
    ("missing-topics-tab", drop_tab("Topics"), ['Topics: the tab "Topics" is missing']),
    ("missing-runs-tab-is-fine", drop_tab("Runs"), []),
    (
        "duplicate-member-id",
        edited(
            lambda sheet: sheet.members.extend(
                [{"member_id": "M-7", "name": "A", "group": "Core"}] * 2
            )
        ),
        ['Members!A5: member id "M-7" is used twice (first in row 4)'],
    ),
    (
        "duplicate-phone-number",
        add_member(member_id="+447000000002"),
        ["Members!A4: the same phone number as Members!A3 (Member 2)"],
    ),
    ("blank-member-id", add_member(member_id=" "), ["Members!A4: member id is blank"]),
    ("blank-group", set_member(0, group=None), ["Members!C2: group is blank"]),
    (
        "unknown-group",
        set_member(1, group="Genral"),
        ['Members!C3: group "Genral" is not in Groups (did you mean "General"?)'],
    ),
    ("group-in-other-case", set_member(1, group="GENERAL"), []),
    (
        "unknown-extra-group",
        set_member(1, extra_groups="Core, VIP"),
        ['Members!I3: group "VIP" is not in Groups'],
    ),
    (
        "unknown-role",
        set_member(1, role="Desinger"),
        [
            'Members!D3: role "Desinger" is not one of assistant, activity officer, '
            'record officer, designer, diplomat, executive (did you mean "designer"?)'
        ],
    ),
    (
        "unknown-motivation",
        set_member(0, motivation="selfdriven!"),
        [
            'Members!F2: motivation "selfdriven!" is not one of dedicated, grateful, '
            'self-driven, resource (did you mean "self-driven"?)'
        ],
    ),
    (
        "unknown-status",
        set_member(0, status="paused"),
        ['Members!J2: status "paused" is not one of active, left'],
    ),
    ("locked-not-yes-no", set_member(0, locked="soon"), ['Members!H2: "soon" must be yes or no']),
    (
        "impossible-joined-on",
        set_member(1, joined_on="2026-02-30"),
        ['Members!E3: "2026-02-30" is not a real date (there is no day 30 in that month)'],
    ),
    (
        "paused-until-not-a-date",
        set_member(1, paused_until="after exams"),
        ['Members!M3: "after exams" is not a date; write it as YYYY-MM-DD, e.g. 2026-11-05'],
    ),
    (
        "phone-as-number",
        add_member(member_id=447911123456),
        [
            "Members!A4: 447911123456 looks like a phone number the spreadsheet turned into a "
            "number, which drops the leading + or 0; format the column as text and type it in "
            "international form, e.g. +447911123456"
        ],
    ),
    (
        "phone-in-scientific-notation",
        add_member(member_id="4.47911E+11"),
        [
            'Members!A4: "4.47911E+11" is a phone number the spreadsheet turned into scientific '
            "notation, which loses digits; format the column as text and type the full number, "
            "e.g. +447911123456"
        ],
    ),
    (
        "bad-activity-date",
        set_activity(0, date="2026-02-30"),
        ['Activity!A2: "2026-02-30" is not a real date (there is no day 30 in that month)'],
    ),
    ("blank-activity-date", set_activity(1, date=None), ["Activity!A3: date is blank"]),
    ("negative-count", set_activity(0, messages=-1), ["Activity!D2: -1 cannot be negative"]),
    ("fractional-count", set_activity(1, content=0.5), ["Activity!F3: 0.5 must be a whole number"]),
    ("non-numeric-count", set_activity(0, invites="lots"), ['Activity!G2: "lots" is not a number']),
    ("count-as-text", set_activity(0, messages=" 7 ", active_days="2"), []),
    (
        "activity-for-unknown-member",
        set_activity(1, member_id="+447000000050"),
        ['Activity!B3: member id "+447000000050" is not in Members'],
    ),
    (
        "activity-in-unknown-group",
        set_activity(0, group="Retension"),
        ['Activity!C2: group "Retension" is not in Groups (did you mean "Retention"?)'],
    ),
    (
        "formula-without-value",
        set_activity(1, messages=FormulaWithoutValue("=B2*2")),
        [
            "Activity!D3: holds the formula =B2*2 but no calculated value was saved with it; "
            "open the file in Excel, LibreOffice or Google Sheets and save it again so the "
            "value is calculated, or type the value itself"
        ],
    ),
    (
        "level-gap",
        set_group(2, level=5),
        ["Groups!B: levels must run 1, 2, 3, ... without gaps; no group has level 3, 4"],
    ),
    ("no-level-1", set_group(0, level=3), ["Groups!B: no group has level 1 (the core group)"]),
    (
        "fractional-level",
        set_group(1, level=2.5),
        ["Groups!B3: level 2.5 must be a whole number: 1 for core, 2, 3, ..."],
    ),
    (
        "level-as-text",
        set_group(1, level="second"),
        ['Groups!B3: "second" is not a number'],
    ),
    ("capacity-1024-is-the-limit", set_group(1, capacity=1024), []),
    (
        "capacity-above-1024",
        set_group(1, capacity=1025),
        [
            "Groups!C3: capacity 1025 is above WhatsApp's limit of 1024 members per group; "
            "split the group into two groups of the same level"
        ],
    ),
    ("promote-top-equal-to-room-above", set_group(1, promote_top=200), []),
    (
        "promote-top-above-room-above",
        set_group(1, promote_top=201),
        [
            "Groups!D3: promote_top 201 is more than the groups above can hold (200); "
            "lower it or leave it blank"
        ],
    ),
    (
        "min-size-above-capacity",
        set_group(0, min_size=201),
        ["Groups!H2: min_size 201 is above the capacity 200"],
    ),
    (
        "demote-bottom-above-capacity",
        set_group(2, capacity=50, demote_bottom=51),
        ["Groups!F4: demote_bottom 51 is above the capacity 50"],
    ),
    (
        "group-listed-twice",
        edited(lambda sheet: sheet.groups.append({"name": "CORE", "level": 1})),
        ['Groups!A5: the group "CORE" is listed twice (also in row 2)'],
    ),
    (
        "no-groups",
        edited(lambda sheet: sheet.groups.clear()),
        ["Groups: there are no groups; add at least one row"],
    ),
]


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [(breakage, expected) for _, breakage, expected in RULES],
    ids=[name for name, _, _ in RULES],
)
def test_each_rule_names_its_cell(
    sheet: SheetBuilder, breakage: Breakage, expected: list[str]
) -> None:
    two_members(sheet)
    workbook = breakage(sheet)

    if expected:
        assert problems_of(workbook) == expected
    else:
        load_community(workbook)


def test_a_missing_required_column_is_named_on_the_header_row(sheet: SheetBuilder) -> None:
    two_members(sheet)
    workbook = rename_headers(sheet.workbook(), "Members", {"name": "full name", "group": ""})

    assert problems_of(workbook) == [
        'Members!1:1: the header row has no "group" column',
        'Members!1:1: the header row has no "name" column',
    ]


def test_a_column_twice_names_both_cells(sheet: SheetBuilder) -> None:
    two_members(sheet)
    workbook = sheet.workbook()
    workbook.tabs["Activity"].rows[0].append("Messages")

    assert problems_of(workbook) == [
        'Activity!I1: the column "messages" appears twice (also in D1)'
    ]


def test_an_empty_tab_lacks_every_required_column(sheet: SheetBuilder) -> None:
    workbook = sheet.workbook()
    workbook.tabs["Topics"] = RawTab("Topics", [])

    assert problems_of(workbook) == [
        'Topics!1:1: the header row has no "title" column',
        'Topics!1:1: the header row has no "week_of" column',
    ]


def test_a_topic_without_its_week_says_so(sheet: SheetBuilder) -> None:
    sheet.topics.append({"title": "Share a win"})

    assert problems_of(sheet.workbook()) == ["Topics!A2: week of is blank"]


def test_a_template_for_an_unknown_group(sheet: SheetBuilder) -> None:
    workbook = sheet.workbook()
    workbook.tabs["Templates"] = RawTab(
        "Templates", [["name", "group", "text"], ["promote", "Genral", "Welcome!"]]
    )

    assert problems_of(workbook) == [
        'Templates!B2: group "Genral" is not in Groups (did you mean "General"?)'
    ]


def test_parallel_groups_may_share_a_level(sheet: SheetBuilder) -> None:
    sheet.groups[1]["name"] = "General A"
    sheet.groups.insert(2, {"name": "General B", "level": 2, "capacity": 600})
    sheet.member("General B")
    sheet.member("general a")

    community = load_community(sheet.workbook())

    assert list(community.members["group"]) == ["General B", "General A"]
    assert list(community.groups["level"]) == [1, 2, 2, 3]


# --- typed results -------------------------------------------------------------------------


def test_groups_are_typed_with_blank_limits_as_none(sheet: SheetBuilder) -> None:
    sheet.groups[2]["capacity"] = None

    groups = load_community(sheet.workbook()).groups

    assert groups[["name", "capacity", "promote_top", "demote_bottom"]].to_dict("records") == [
        {"name": "Core", "capacity": 200, "promote_top": None, "demote_bottom": None},
        {"name": "General", "capacity": 1024, "promote_top": 3, "demote_bottom": 10},
        {"name": "Retention", "capacity": 1024, "promote_top": None, "demote_bottom": None},
    ]
    assert type(groups.loc[1, "promote_top"]) is int
    assert type(groups.loc[1, "demote_bottom"]) is int


def test_members_are_typed(sheet: SheetBuilder) -> None:
    sheet.member(
        "General",
        member_id=12345,
        role="Record Officer",
        joined_on=46000,
        kol="✓",
        locked="no",
        extra_groups="core , Retention,",
        status="LEFT",
    )

    member = load_community(sheet.workbook()).members.iloc[0].to_dict()

    assert member == {
        "member_id": "12345",
        "name": "Member 1",
        "group": "General",
        "role": "record officer",
        "joined_on": date(2025, 12, 9),
        "motivation": "",
        "kol": True,
        "locked": False,
        "extra_groups": ("Core", "Retention"),
        "status": "left",
        "aliases": (),
        "paused_until": None,
        "sheet_row": 2,
    }


def test_activity_ids_match_members_typed_either_way(sheet: SheetBuilder) -> None:
    sheet.member("General", member_id=12345)
    sheet.post("12345", messages="3")
    sheet.post(12345.0)  # type: ignore[arg-type]

    activity = load_community(sheet.workbook()).activity

    assert list(activity["member_id"]) == ["12345", "12345"]
    assert list(activity["messages"]) == [3, 1]


# --- one person, one row -----------------------------------------------------------------

SOFIA = "0055-11-900142542"
SAME_NUMBER = "Members!A3: the same phone number as Members!A2 (Member 1)"


def test_scenario_20_one_number_typed_twice_is_one_problem(sheet: SheetBuilder) -> None:
    sheet.settings["phone_region"] = "BR"
    for _ in range(18):  # Members rows 2 to 19
        sheet.active_member("General")
    sheet.member("General", member_id=SOFIA, name="Sofia Oliveira")  # row 20
    for _ in range(101):  # rows 21 to 121
        sheet.active_member("General")
    sheet.member("Retention", member_id="0055 11 900142542", name="Sofia O.")  # row 122

    assert problems_of(sheet.workbook()) == [
        "Members!A122: the same phone number as Members!A20 (Sofia Oliveira)"
    ]


@pytest.mark.parametrize(
    ("first", "second", "region", "expected"),
    [
        ("+55 11 90014-2542", SOFIA, "", [SAME_NUMBER]),
        ("+5511900142542", "+5511900142542", "", [SAME_NUMBER]),
        ("(11) 90014-2542", "11 90014-2542", "", []),
        ("(11) 90014-2542", "11 90014-2542", "BR", [SAME_NUMBER]),
        ("+5511900142542", "011 90014-2542", "BR", [SAME_NUMBER]),
        ("+5511900142542", "+5511900142543", "BR", []),
    ],
    ids=[
        "plus-and-00-without-region",
        "same-text",
        "no-country-code-without-region-compared-as-written",
        "no-country-code-with-region",
        "trunk-prefix-with-region",
        "different-numbers",
    ],
)
def test_two_rows_with_one_number_are_a_problem(
    sheet: SheetBuilder, first: str, second: str, region: str, expected: list[str]
) -> None:
    sheet.settings["phone_region"] = region
    sheet.member("General", member_id=first)
    sheet.member("General", member_id=second)

    if expected:
        assert problems_of(sheet.workbook()) == expected
    else:
        load_community(sheet.workbook())


def test_activity_in_another_form_of_a_members_number_counts_for_the_member(
    sheet: SheetBuilder,
) -> None:
    sheet.settings["phone_region"] = "BR"
    sofia = sheet.member("General", member_id=SOFIA, name="Sofia Oliveira")
    for written in ("+55 11 90014-2542", "0055 11 900142542", "(11) 90014-2542", SOFIA):
        sheet.post(written, messages=2)
    workbook = sheet.workbook()
    history = [list(HISTORY.headers), [2, None, None, "+5511900142542", "General", 5, 5, 2]]
    workbook.tabs["History"] = RawTab("History", history)

    community = load_community(workbook)

    assert list(community.activity["member_id"]) == [sofia] * 4
    assert list(community.history["member_id"]) == [sofia]
    scores = score_members(
        community.members, community.activity, community.history, WINDOW, community.settings
    )
    assert scores.set_index("member_id").loc[sofia, "messages"] == 8


def test_another_number_is_still_not_in_members(sheet: SheetBuilder) -> None:
    sheet.settings["phone_region"] = "BR"
    sheet.member("General", member_id=SOFIA)
    sheet.post("+55 11 90014-9999")

    assert problems_of(sheet.workbook()) == [
        'Activity!B2: member id "+55 11 90014-9999" is not in Members'
    ]


def test_ids_that_are_not_phone_numbers_are_compared_as_written(sheet: SheetBuilder) -> None:
    sheet.settings["phone_region"] = "BR"
    amira = sheet.member("General", member_id="amira-1234567")
    sheet.member("General", member_id="Amira-1234567")
    sheet.post(amira)
    sheet.post("amira 1234567")

    assert problems_of(sheet.workbook()) == [
        'Activity!B3: member id "amira 1234567" is not in Members'
    ]


def test_a_shared_name_is_a_warning_naming_the_rows_not_the_name(sheet: SheetBuilder) -> None:
    sheet.member("General", name="Sofia Oliveira")  # row 2
    sheet.member("General", name="Ana Souza")
    sheet.member("Core", name=" sofia  OLIVEIRA ")  # row 4: the same name, typed differently
    sheet.member("General", name="Sofia Oliveira", status="left")  # gone: not a second row
    sheet.member("General", name="Ana Souza")  # row 6

    warnings = same_name_warning(sheet.community())

    assert warnings == [
        "Members rows 2 and 4 have the same name; if they are one person keep one row, "
        "else add an alias to tell them apart in chat imports",
        "Members rows 3 and 6 have the same name; if they are one person keep one row, "
        "else add an alias to tell them apart in chat imports",
    ]


def test_many_shared_names_are_listed_ten_at_a_time(sheet: SheetBuilder) -> None:
    for number in range(12):
        sheet.member("General", name=f"Twin {number}")
        sheet.member("General", name=f"Twin {number}")

    warnings = same_name_warning(sheet.community())

    assert len(warnings) == 11 and warnings[0].startswith("Members rows 2 and 3 have")
    assert warnings[-1] == (
        "Another 2 names are each on several Members rows; "
        "they are listed once those above are sorted out"
    )


def test_check_shows_the_shared_name_warning(sheet: SheetBuilder, tmp_path: Path) -> None:
    sheet.active_member("General", name="Sofia Oliveira")
    sheet.active_member("General", name="Sofia Oliveira")

    report = check(save(sheet, tmp_path / "c.xlsx"), today=TODAY)

    shared = [warning for warning in report.warnings if "the same name" in warning]
    assert shared == [
        "Members rows 2 and 3 have the same name; if they are one person keep one row, "
        "else add an alias to tell them apart in chat imports"
    ]
    assert not any("Sofia" in warning for warning in report.warnings)


def test_the_run_log_is_read_leniently(sheet: SheetBuilder) -> None:
    sheet.runs += [
        {"run_id": "a1", "cycle": 2, "status": "Done", "started_at": "2026-09-31 06:00"},
        {"run_id": "b2", "cycle": "oops", "status": "done"},
        {"run_id": "c3", "cycle": "", "status": "invalid", "error": "Members!C14: ..."},
    ]

    runs = load_community(sheet.workbook()).runs

    assert runs[["run_id", "cycle", "status"]].to_dict("records") == [
        {"run_id": "a1", "cycle": 2, "status": "done"},
        {"run_id": "c3", "cycle": 0, "status": "invalid"},
    ]


def imported(
    group: str, first_day: object, last_day: object, **fields: object
) -> dict[str, object]:
    """An Imports row as `import-chat` writes it, or as a manager types one."""
    return {"group": group, "first_day": first_day, "last_day": last_day, **fields}


def test_imports_are_typed_with_blank_counts_as_none(sheet: SheetBuilder) -> None:
    two_members(sheet)
    sheet.imports += [
        imported(
            "general",
            "2026-11-20",
            date(2026, 12, 5),
            source="chat export WhatsApp Chat with General.zip",
            messages=812,
            senders="41",
            unmatched=3,
            imported_at="2026-12-06 10:15:00",
        ),
        imported("Core", 46356, 46357.0, source="manual"),  # serials, as the Sheets API sends
    ]

    imports = load_community(sheet.workbook()).imports

    assert imports.to_dict("records") == [
        {
            "group": "General",
            "first_day": date(2026, 11, 20),
            "last_day": date(2026, 12, 5),
            "source": "chat export WhatsApp Chat with General.zip",
            "messages": 812,
            "senders": 41,
            "unmatched": 3,
            "imported_at": "2026-12-06 10:15:00",
            "sheet_row": 2,
        },
        {
            "group": "Core",
            "first_day": date(2026, 11, 30),
            "last_day": date(2026, 12, 1),
            "source": "manual",
            "messages": None,
            "senders": None,
            "unmatched": None,
            "imported_at": "",
            "sheet_row": 3,
        },
    ]


def test_every_bad_imports_row_is_reported_at_once_with_its_cell(sheet: SheetBuilder) -> None:
    two_members(sheet)
    sheet.member("Genral")  # a problem in another tab, reported with them
    sheet.imports += [
        imported("General", "2026-11-20", "2026-12-05", source="manual"),  # fine
        imported("Genral", "2026-11-20", "2026-12-05", source="manual"),
        imported("", "2026-11-20", "2026-12-05", source="manual"),
        imported("General", "soon", "", source="manual"),
        imported("General", "2026-11-05", "2026-11-02", source="manual"),
        imported("Core", "2026-11-01", "2026-11-15", source="manual", messages=-4),
    ]

    assert problems_of(sheet.workbook()) == [
        'Imports!B3: group "Genral" is not in Groups (did you mean "General"?)',
        "Imports!B4: group is blank",
        'Imports!C5: "soon" is not a date; write it as YYYY-MM-DD, e.g. 2026-11-05',
        "Imports!D5: last day is blank",
        "Imports!D6: the last day 2026-11-02 is before the first day 2026-11-05",
        "Imports!F7: -4 cannot be negative",
        'Members!C4: group "Genral" is not in Groups (did you mean "General"?)',
    ]


def test_an_imports_tab_without_its_days_says_so_on_the_header(sheet: SheetBuilder) -> None:
    two_members(sheet)
    workbook = sheet.workbook()
    workbook.tabs["Imports"] = RawTab("Imports", [["group", "first_day"], ["General", 46356]])

    assert problems_of(workbook) == ['Imports!1:1: the header row has no "last_day" column']


def test_a_sheet_without_imports_or_moves_has_empty_tables(sheet: SheetBuilder) -> None:
    two_members(sheet)

    community = load_community(sheet.workbook())

    assert community.imports.empty and community.moves.empty
    assert list(community.imports.columns) == [
        "group",
        "first_day",
        "last_day",
        "source",
        "messages",
        "senders",
        "unmatched",
        "imported_at",
        "sheet_row",
    ]
    assert list(community.moves.columns) == ["cycle", "member_id", "kind", "from_group", "to_group"]


def test_the_moves_log_is_read_leniently(sheet: SheetBuilder) -> None:
    two_members(sheet)
    move = {"member_id": "+447000000001", "from_group": "General", "to_group": "Core"}
    sheet.moves += [
        {**move, "cycle": 4, "kind": "Promote", "reason": "1st of 2 in General"},
        {**move, "cycle": "oops", "kind": "promote"},  # no usable cycle
        {**move, "cycle": "", "kind": "promote"},
        {**move, "cycle": 5, "member_id": "", "kind": "demote"},  # no member id
        {**move, "cycle": 5, "member_id": 4.4e11, "kind": "demote"},  # a mangled phone number
        {**move, "cycle": 5.0, "member_id": "+44 unknown", "kind": "return", "to_group": ""},
    ]

    moves = load_community(sheet.workbook()).moves

    assert moves.to_dict("records") == [
        {
            "cycle": 4,
            "member_id": "+447000000001",
            "kind": "promote",
            "from_group": "General",
            "to_group": "Core",
        },
        {
            "cycle": 5,
            "member_id": "+44 unknown",
            "kind": "return",
            "from_group": "General",
            "to_group": "",
        },
    ]
    assert moves["cycle"].dtype == "int64"


# --- settings ------------------------------------------------------------------------------


def test_settings_are_typed_from_text_and_numbers(sheet: SheetBuilder) -> None:
    sheet.settings.update(
        {
            "cycle_anchor": "2026-09-01",
            "cycle_days": "14",
            "time_zone": "Asia/Kolkata",
            "weight_content": "2,5",
            "apply_moves": "No",
            "daily_message_cap": None,
        }
    )

    settings = load_community(sheet.workbook()).settings

    assert settings.cycle_anchor == date(2026, 9, 1)
    assert settings.cycle_days == 14
    assert settings.time_zone == "Asia/Kolkata"
    assert settings.weight_content == 2.5
    assert settings.apply_moves is False
    assert settings.daily_message_cap == 50


def test_setting_names_are_matched_like_headers(sheet: SheetBuilder) -> None:
    workbook = sheet.workbook()
    rows = workbook.tabs["Settings"].rows
    rows[:] = [rows[0], ["Cycle Anchor", ANCHOR], ["cycle-days", 10], ["TIME ZONE", "UTC"]]

    settings = load_community(workbook).settings

    assert (settings.cycle_anchor, settings.cycle_days) == (ANCHOR, 10)


def replace_settings(sheet: SheetBuilder, rows: list[list[object]]) -> RawWorkbook:
    workbook = sheet.workbook()
    workbook.tabs["Settings"] = RawTab("Settings", [["setting", "value", "notes"], *rows])
    return workbook


SETTING_PROBLEMS: list[tuple[str, list[list[object]], list[str]]] = [
    (
        "unknown-with-suggestion",
        [["cycle_anchor", ANCHOR], ["weight_mesages", 2]],
        [
            'Settings!A3: "weight_mesages" is not a setting grouptier knows '
            '(did you mean "weight_messages"?)'
        ],
    ),
    (
        "unknown-without-suggestion",
        [["cycle_anchor", ANCHOR], ["colour", "blue"]],
        ['Settings!A3: "colour" is not a setting grouptier knows'],
    ),
    (
        "set-twice",
        [["cycle_anchor", ANCHOR], ["cycle_days", 15], ["Cycle Days", 14]],
        ['Settings!A4: "cycle_days" is set twice (also in row 3)'],
    ),
    (
        "anchor-row-missing",
        [["cycle_days", 15]],
        [
            'Settings: the setting "cycle_anchor" (the first day of cycle 1) is missing; '
            "add a row with a date"
        ],
    ),
    (
        "anchor-blank",
        [["cycle_anchor", "  "]],
        [
            'Settings: the setting "cycle_anchor" (the first day of cycle 1) is missing; '
            "add a row with a date"
        ],
    ),
    (
        "anchor-impossible",
        [["cycle_anchor", "2026-09-31"]],
        [
            'Settings!B2: cycle_anchor: "2026-09-31" is not a real date '
            "(there is no day 31 in that month)"
        ],
    ),
    (
        "bad-time-zone",
        [["cycle_anchor", ANCHOR], ["time_zone", "London"]],
        [
            'Settings!B3: time_zone: "London" is not a time zone; use a name such as '
            'Europe/London or Asia/Kolkata (did you mean "Europe/London"?)'
        ],
    ),
    (
        "time-zone-folder",
        [["cycle_anchor", ANCHOR], ["time_zone", "America"]],
        [
            'Settings!B3: time_zone: "America" is not a time zone; use a name such as '
            "Europe/London or Asia/Kolkata"
        ],
    ),
    (
        "weight-not-a-number",
        [["cycle_anchor", ANCHOR], ["weight_invites", "high"]],
        ['Settings!B3: weight_invites: "high" is not a number'],
    ),
    (
        "weight-negative",
        [["cycle_anchor", ANCHOR], ["weight_messages", -0.5]],
        ["Settings!B3: weight_messages: -0.5 cannot be negative"],
    ),
    (
        "cycle-days-zero",
        [["cycle_anchor", ANCHOR], ["cycle_days", 0]],
        ["Settings!B3: cycle_days: must be at least 1"],
    ),
    (
        "cap-fractional",
        [["cycle_anchor", ANCHOR], ["daily_message_cap", 12.5]],
        ["Settings!B3: daily_message_cap: 12.5 must be a whole number"],
    ),
    (
        "apply-moves-unclear",
        [["cycle_anchor", ANCHOR], ["apply_moves", "sometimes"]],
        ['Settings!B3: apply_moves: "sometimes" must be yes or no'],
    ),
    (
        "several-at-once",
        [["cycle_days", "two weeks"], ["timezone", "Mars/Base"], ["cycle_days", 15]],
        [
            'Settings: the setting "cycle_anchor" (the first day of cycle 1) is missing; '
            "add a row with a date",
            'Settings!B2: cycle_days: "two weeks" is not a number',
            'Settings!B3: time_zone: "Mars/Base" is not a time zone; use a name such as '
            "Europe/London or Asia/Kolkata",
            'Settings!A4: "cycle_days" is set twice (also in row 2)',
        ],
    ),
]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [(rows, expected) for _, rows, expected in SETTING_PROBLEMS],
    ids=[name for name, _, _ in SETTING_PROBLEMS],
)
def test_settings_problems(
    sheet: SheetBuilder, rows: list[list[object]], expected: list[str]
) -> None:
    assert problems_of(replace_settings(sheet, rows)) == expected


def test_a_settings_row_with_only_a_note_is_ignored(sheet: SheetBuilder) -> None:
    workbook = replace_settings(sheet, [["cycle_anchor", ANCHOR], [None, None, "Scoring:"]])

    assert load_community(workbook).settings.cycle_anchor == ANCHOR


def test_a_settings_problem_does_not_hide_other_tabs(sheet: SheetBuilder) -> None:
    sheet.member("Genral", joined_on=LONG_AGO)
    workbook = replace_settings(sheet, [["cycle_anchor", "soon"]])

    assert problems_of(workbook) == [
        'Members!C2: group "Genral" is not in Groups (did you mean "General"?)',
        'Settings!B2: cycle_anchor: "soon" is not a date; write it as YYYY-MM-DD, e.g. 2026-11-05',
    ]


def test_activity_dates_are_datetime64_days_and_text_is_python_strings(
    sheet: SheetBuilder,
) -> None:
    two_members(sheet)
    sheet.activity[0]["date"] = "2026-10-03"

    community = load_community(sheet.workbook())

    dates = community.activity["date"]
    assert str(dates.dtype).startswith("datetime64")
    assert dates.iloc[0] == np.datetime64("2026-10-03")
    # Python strings whether or not pyarrow is installed: the rules' speed depends on it.
    assert getattr(community.activity["member_id"].dtype, "storage", "python") == "python"


# --- text dates in the community's date order ----------------------------------------


@pytest.mark.parametrize(
    ("settings", "written", "day"),
    [
        ({}, "01/10/2026", "2026-10-01"),  # English is written day first
        ({"date_format": "month-first"}, "10/01/2026", "2026-10-01"),
        ({"date_format": "day-first", "language": "en"}, "1.10.2026", "2026-10-01"),
        ({"language": "de"}, "01.10.2026", "2026-10-01"),
        ({"date_format": "year-first"}, "2026-10-01", "2026-10-01"),
        ({"date_format": "month-first"}, "13/10/2026", "2026-10-13"),
    ],
    ids=["language-day-first", "month-first", "day-first", "german", "year-first", "unambiguous"],
)
def test_text_dates_are_read_in_the_settings_order(
    sheet: SheetBuilder, settings: dict[str, str], written: str, day: str
) -> None:
    two_members(sheet)
    sheet.settings.update(settings)
    sheet.activity[0]["date"] = written
    sheet.members[0]["joined_on"] = written
    sheet.topics.append({"week_of": written, "title": "Introductions"})

    community = load_community(sheet.workbook())

    assert community.activity["date"].iloc[0] == np.datetime64(day)
    assert community.members["joined_on"].iloc[0] == date.fromisoformat(day)
    assert community.topics["week_of"].iloc[0] == date.fromisoformat(day)


def test_the_settings_own_dates_follow_the_date_format_below_them(sheet: SheetBuilder) -> None:
    two_members(sheet)
    sheet.settings["cycle_anchor"] = "09/01/2026"  # a row above date_format's
    sheet.settings["date_format"] = "month-first"

    assert load_community(sheet.workbook()).settings.cycle_anchor == date(2026, 9, 1)


def test_a_date_impossible_in_the_order_names_its_cell_and_the_order(sheet: SheetBuilder) -> None:
    two_members(sheet)
    sheet.settings["date_format"] = "month-first"
    sheet.activity[1]["date"] = "02/30/2026"
    sheet.members[1]["paused_until"] = "31/02/2026"

    assert problems_of(sheet.workbook()) == [
        'Activity!A3: "02/30/2026" is not a date: write it month first, like 11/22/2026',
        'Members!M3: "31/02/2026" is not a date: write it month first, like 11/22/2026',
    ]


def test_an_ambiguous_date_in_a_year_first_community_is_refused(sheet: SheetBuilder) -> None:
    two_members(sheet)
    sheet.settings["date_format"] = "year-first"
    sheet.activity[0]["date"] = "01/10/2026"
    sheet.activity[1]["date"] = "22/10/2026"  # reads one way only: accepted

    assert problems_of(sheet.workbook()) == [
        'Activity!A2: "01/10/2026" could be 2026-10-01 or 2026-01-10: '
        "write it year first, like 2026-11-22"
    ]


def test_a_bad_date_format_still_reads_dates_in_the_languages_order(sheet: SheetBuilder) -> None:
    two_members(sheet)
    sheet.settings["date_format"] = "sideways"
    sheet.activity[0]["date"] = "01/10/2026"

    problems = problems_of(sheet.workbook())

    assert len(problems) == 1 and problems[0].startswith("Settings!B")
    assert '"sideways" is not a date format' in problems[0]


# --- columns read at array speed keep every cell's own type ---------------------------


def test_a_ticked_box_is_not_the_number_one(sheet: SheetBuilder) -> None:
    for _ in range(4):
        sheet.active_member("General")
    for record, value in zip(sheet.activity, (1, True, 1.0, 1), strict=True):
        record["messages"] = value

    assert problems_of(sheet.workbook()) == ["Activity!D3: True is not a number"]


def test_an_unticked_box_is_not_the_number_zero(sheet: SheetBuilder) -> None:
    for _ in range(3):
        sheet.active_member("General")
    for record, value in zip(sheet.activity, (0, False, 0.0), strict=True):
        record["content"] = value

    assert problems_of(sheet.workbook()) == ["Activity!F3: False is not a number"]


def test_a_blank_cell_and_nan_are_told_apart(sheet: SheetBuilder) -> None:
    for _ in range(3):
        sheet.active_member("General")
    sheet.activity[0]["content"] = None
    sheet.activity[1]["content"] = float("nan")

    assert problems_of(sheet.workbook()) == ["Activity!F3: nan is not a number"]


def test_rows_of_blanks_and_unticked_boxes_are_skipped_wherever_they_are(
    sheet: SheetBuilder,
) -> None:
    two_members(sheet)
    workbook = sheet.workbook()
    rows = workbook.tabs["Activity"].rows
    width = len(rows[0])
    rows.insert(2, [False] * width)
    rows.insert(3, [None, " ", False])  # a short row: the rest is blank
    rows.append([0] + [None] * (width - 1))  # 0 is content: a row, reported

    problems = problems_of(workbook)

    assert problems == [
        "Activity!A6: 0 is a number, not a date; write it as YYYY-MM-DD",
        "Activity!B6: member id is blank",
    ]
