"""Chat exports into the Activity tab of a real workbook: matching, replacing, History, CLI."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SheetBuilder
from sheets_fake import SheetsFake
from sheets_support import load_workbook, open_sheet
from test_cycle import save

from grouptier.backends.base import Backend
from grouptier.backends.xlsx import XlsxBackend, create_workbook
from grouptier.chat.export import ChatExport, tally_lines
from grouptier.chat.importing import (
    ImportOptions,
    SenderIndex,
    activity_rows,
    import_chat,
    plan_import,
)
from grouptier.chat.suggestions import MemberSuggester, Suggestion
from grouptier.cli import main
from grouptier.community import load_community
from grouptier.errors import ChatExportError, UsageError

IMPORTED_AT = datetime(2026, 10, 14, 2, 30, tzinfo=UTC)

FIRST_EXPORT = """\
11/10/2026, 09:00 - Amira Haddad: Good morning General
11/10/2026, 09:01 - Amira Haddad added Ben Okafor and Chen Wei
11/10/2026, 09:05 - +44 7700 900123: Thanks for the add!
12/10/2026, 10:00 - Mira 🌸: Here is the reading list https://example.org/list
12/10/2026, 10:30 - Zoe Stranger: hi, who runs this group?
13/10/2026, 18:00 - Amira Haddad: <Media omitted>
"""
# Overlaps the first on the 2nd and 3rd, and goes on to the 5th.
SECOND_EXPORT = """\
12/10/2026, 10:00 - Mira 🌸: Here is the reading list https://example.org/list
12/10/2026, 10:30 - Zoe Stranger: hi, who runs this group?
13/10/2026, 18:00 - Amira Haddad: <Media omitted>
13/10/2026, 18:05 - Amira Haddad: and one more
15/10/2026, 08:00 - +44 7700 900123: Morning all
"""


@pytest.fixture
def community(sheet: SheetBuilder, tmp_path: Path) -> Path:
    sheet.member("General", name="Amira Haddad", aliases="Mira 🌸, Amira H")
    sheet.member("General", member_id="+447700900123", name="Ben Okafor")
    hand = sheet.member("General", name="Chen Wei")
    sheet.post(hand, date(2026, 10, 12), messages=4, group="General")  # typed by a manager
    path = tmp_path / "community.xlsx"
    save(sheet, path)
    return path


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def activity(path: Path) -> list[tuple[str, str, int, int, int, int, str]]:
    rows = load_community(XlsxBackend(path).read()).activity
    return sorted(
        (
            f"{row.date:%m-%d}",
            str(row.member_id),
            int(row.messages),
            int(row.active_days)
            if row.active_days == row.active_days and row.active_days is not None
            else -1,
            int(row.content),
            int(row.invites),
            str(row.source),
        )
        for row in rows.itertuples()
    )


def test_an_export_becomes_one_row_per_member_and_day(community: Path, tmp_path: Path) -> None:
    export = write(tmp_path, "General.txt", FIRST_EXPORT)
    report = import_chat(XlsxBackend(community), export, ImportOptions("general"))
    assert report.written and report.group == "General"
    source = "chat export General.txt"
    assert activity(community) == [
        ("10-11", "+447000000001", 1, 1, 0, 2, source),  # added two people: two invites
        ("10-11", "+447700900123", 1, 1, 0, 0, source),  # matched by phone number
        ("10-12", "+447000000001", 1, 1, 1, 0, source),  # by alias; a link is content
        ("10-12", "+447000000003", 4, -1, 0, 0, ""),  # the manager's row is kept
        ("10-13", "+447000000001", 1, 1, 0, 0, source),
    ]
    assert [(u.sender, u.messages, u.why) for u in report.unmatched] == [
        ("Zoe Stranger", 1, "no member has this name or alias")
    ]
    assert report.members_matched == 2 and report.invites == 2
    assert report.events == {"added": 1}


def test_importing_again_replaces_and_never_counts_twice(community: Path, tmp_path: Path) -> None:
    export = write(tmp_path, "General.txt", FIRST_EXPORT)
    import_chat(XlsxBackend(community), export, ImportOptions("General"))
    once = activity(community)
    again = import_chat(XlsxBackend(community), export, ImportOptions("General"))
    assert activity(community) == once
    assert again.rows_replaced == 4 and again.rows_added == 4


def test_an_overlapping_export_replaces_only_the_days_it_covers(
    community: Path, tmp_path: Path
) -> None:
    import_chat(
        XlsxBackend(community), write(tmp_path, "a.txt", FIRST_EXPORT), ImportOptions("General")
    )
    report = import_chat(
        XlsxBackend(community), write(tmp_path, "b.txt", SECOND_EXPORT), ImportOptions("General")
    )
    assert report.imported == (date(2026, 10, 12), date(2026, 10, 15))
    assert report.rows_replaced == 2
    rows = activity(community)
    assert ("10-11", "+447000000001", 1, 1, 0, 2, "chat export a.txt") in rows  # kept
    assert ("10-13", "+447000000001", 2, 1, 0, 0, "chat export b.txt") in rows  # replaced
    assert ("10-15", "+447700900123", 1, 1, 0, 0, "chat export b.txt") in rows  # added
    assert sum(1 for row in rows if row[0] == "10-13") == 1


def test_a_dry_run_writes_nothing(community: Path, tmp_path: Path) -> None:
    before = community.read_bytes()
    export = write(tmp_path, "General.txt", FIRST_EXPORT)
    report = import_chat(XlsxBackend(community), export, ImportOptions("General", dry_run=True))
    assert report.rows_added == 4 and not report.written
    assert community.read_bytes() == before


def imports(path: Path) -> list[dict[str, object]]:
    """The Imports rows of the workbook at `path`, as the cycle reads them."""
    rows = load_community(XlsxBackend(path).read()).imports
    return [
        {key: value for key, value in row.items() if key != "sheet_row"}
        for row in rows.to_dict("records")
    ]


def test_an_import_records_its_days_in_one_imports_row(community: Path, tmp_path: Path) -> None:
    export = write(tmp_path, "General.txt", FIRST_EXPORT)
    report = import_chat(
        XlsxBackend(community), export, ImportOptions("General"), clock=lambda: IMPORTED_AT
    )
    assert imports(community) == [
        {
            "group": "General",
            "first_day": date(2026, 10, 11),
            "last_day": date(2026, 10, 13),
            "source": "chat export General.txt",  # as on its Activity rows
            "messages": 5,
            "senders": 2,  # Amira Haddad (also as Mira 🌸) and Ben Okafor
            "unmatched": 1,  # Zoe Stranger
            "imported_at": "2026-10-14 02:30:00",
        }
    ]
    assert report.recorded == (date(2026, 10, 11), date(2026, 10, 13))


def test_the_imports_stamp_is_in_the_sheets_time_zone(sheet: SheetBuilder, tmp_path: Path) -> None:
    sheet.settings["time_zone"] = "America/Sao_Paulo"
    sheet.member("General", name="Amira Haddad")
    path = tmp_path / "c.xlsx"
    save(sheet, path)
    export = write(tmp_path, "General.txt", FIRST_EXPORT)
    import_chat(XlsxBackend(path), export, ImportOptions("General"), clock=lambda: IMPORTED_AT)
    assert [row["imported_at"] for row in imports(path)] == ["2026-10-13 23:30:00"]


def test_a_dry_run_records_nothing_in_imports(community: Path, tmp_path: Path) -> None:
    export = write(tmp_path, "General.txt", FIRST_EXPORT)
    options = ImportOptions("General", dry_run=True)
    report = import_chat(XlsxBackend(community), export, options, clock=lambda: IMPORTED_AT)
    assert report.recorded == (date(2026, 10, 11), date(2026, 10, 13)) and not report.written
    assert imports(community) == []


def test_a_reimport_adds_another_imports_row(community: Path, tmp_path: Path) -> None:
    backend = XlsxBackend(community)
    first = write(tmp_path, "a.txt", FIRST_EXPORT)
    import_chat(backend, first, ImportOptions("General"), clock=lambda: IMPORTED_AT)
    import_chat(backend, first, ImportOptions("General"), clock=lambda: IMPORTED_AT)
    second = write(tmp_path, "b.txt", SECOND_EXPORT)
    import_chat(backend, second, ImportOptions("General"), clock=lambda: IMPORTED_AT)
    assert [(row["source"], row["first_day"], row["last_day"]) for row in imports(community)] == [
        ("chat export a.txt", date(2026, 10, 11), date(2026, 10, 13)),
        ("chat export a.txt", date(2026, 10, 11), date(2026, 10, 13)),
        ("chat export b.txt", date(2026, 10, 12), date(2026, 10, 15)),
    ]


def test_an_export_without_days_records_nothing(sheet: SheetBuilder) -> None:
    sheet.member("General", name="Amira Haddad")
    empty = ChatExport("empty.txt", "android", "day-first", "", False, 0, (), (), 0, ())
    changes, report = plan_import(
        sheet.community(), empty, "General", ImportOptions("General"), IMPORTED_AT
    )
    assert "Imports" not in changes.appends and changes.is_empty()
    assert report.recorded is None


def test_newcomers_are_added_when_asked(community: Path, tmp_path: Path) -> None:
    export = write(tmp_path, "General.txt", FIRST_EXPORT)
    options = ImportOptions("General", add_newcomers=True)
    report = import_chat(XlsxBackend(community), export, options)
    assert report.newcomers == ("Zoe Stranger",) and report.unmatched == ()
    members = load_community(XlsxBackend(community).read()).members.set_index("member_id")
    zoe = members.loc["Zoe Stranger"]
    assert zoe["group"] == "General" and zoe["joined_on"] == date(2026, 10, 12)
    assert zoe["aliases"] == ("Zoe Stranger",)
    assert ("10-12", "Zoe Stranger", 1, 1, 0, 0, "chat export General.txt") in activity(community)


def test_days_already_in_history_are_not_imported_again(
    sheet: SheetBuilder, tmp_path: Path
) -> None:
    sheet.member("General", name="Amira Haddad")
    raw = sheet.workbook()
    rows = {}
    for name, tab in raw.tabs.items():
        header = [str(cell) for cell in tab.rows[0]]
        rows[name] = [dict(zip(header, row, strict=True)) for row in tab.rows[1:]]
    rows["History"] = [
        {
            "cycle": 2,
            "window_start": date(2026, 9, 16),
            "window_end": date(2026, 9, 30),
            "member_id": "+447000000001",
            "group": "General",
            "messages": 9,
            "messages_counted": 9,
            "active_days": 3,
            "content": 0,
            "invites": 0,
            "rows": 3,
        }
    ]
    path = tmp_path / "c.xlsx"
    create_workbook(path, rows)
    export = write(
        tmp_path,
        "late.txt",
        "29/09/2026, 09:00 - Amira Haddad: old news\n"
        "30/09/2026, 09:00 - Amira Haddad: old news\n"
        "01/10/2026, 09:00 - Amira Haddad: new\n",
    )
    report = import_chat(XlsxBackend(path), export, ImportOptions("General"))
    assert report.rolled_up_days == 2 and report.rolled_up_until == date(2026, 9, 30)
    assert [row[0] for row in activity(path)] == ["10-01"]


def test_an_unknown_group_is_a_usage_error(community: Path, tmp_path: Path) -> None:
    export = write(tmp_path, "General.txt", FIRST_EXPORT)
    with pytest.raises(
        UsageError, match='group "Genral" is not in Groups \\(did you mean "General"\\?\\)'
    ):
        import_chat(XlsxBackend(community), export, ImportOptions("Genral"))


def test_an_ambiguous_export_needs_an_order(community: Path, tmp_path: Path) -> None:
    export = write(tmp_path, "a.txt", "03/04/26, 21:05 - Amira Haddad: hi\n")
    with pytest.raises(ChatExportError, match=r"run again with --day-first or --month-first$"):
        import_chat(XlsxBackend(community), export, ImportOptions("General"))
    report = import_chat(
        XlsxBackend(community), export, ImportOptions("General", date_order="month-first")
    )
    assert report.imported == (date(2026, 3, 4), date(2026, 3, 4))


@pytest.mark.parametrize(
    "sender",
    [
        "+55 11 90014-2542",
        "\u202a+55 11 90014\u20112542\u202c",
        "+5511900142542",
        "(11) 90014-2542",
    ],
    ids=["spaced", "marks", "e164", "without-country-code"],
)
def test_a_sender_matches_a_member_whose_number_is_written_another_way(
    sheet: SheetBuilder, sender: str
) -> None:
    sheet.settings["phone_region"] = "BR"
    sheet.member("General", member_id="0055-11-900142542", name="Sofia Oliveira")
    index = SenderIndex(sheet.community().members, "BR")
    assert index.find(sender) == ("0055-11-900142542", "")


def test_without_a_region_a_number_without_country_code_matches_nobody(
    sheet: SheetBuilder,
) -> None:
    sheet.member("General", member_id="+5511900142542", name="Sofia Oliveira")
    index = SenderIndex(sheet.community().members, "")
    assert index.find("(11) 90014-2542") == (None, "no member has this name or alias")
    assert index.find("0055 11 90014-2542") == ("+5511900142542", "")


NEWCOMER_EXPORT = """\
13/10/2026, 09:00 - Amira Haddad: Welcome!
13/10/2026, 09:05 - +44 (0)7911 123-456: Thanks for the add!
"""


def test_a_newcomer_gets_their_number_in_e164_form(community: Path, tmp_path: Path) -> None:
    export = write(tmp_path, "General.txt", NEWCOMER_EXPORT)
    options = ImportOptions("General", add_newcomers=True)
    report = import_chat(XlsxBackend(community), export, options)
    assert report.newcomers == ("+44 (0)7911 123-456",)
    members = load_community(XlsxBackend(community).read()).members.set_index("member_id")
    assert members.loc["+447911123456", "aliases"] == ()
    assert ("10-13", "+447911123456", 1, 1, 0, 0, "chat export General.txt") in activity(community)


def test_a_name_two_members_share_matches_neither(sheet: SheetBuilder) -> None:
    sheet.member("General", name="Sam")
    sheet.member("Core", name="sam")
    index = SenderIndex(sheet.community().members, "")
    assert index.find("Sam") == (None, "2 members have this name; add an alias to one")
    assert index.find("You") == (None, "the phone that exported the chat")


# --- the command ----------------------------------------------------------------------


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("COLUMNS", "200")
    return CliRunner()


def test_the_command_imports_and_summarises(
    runner: CliRunner, community: Path, tmp_path: Path
) -> None:
    export = write(tmp_path, "General.txt", FIRST_EXPORT)
    args = ["import-chat", str(export), "--group", "General", str(community)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "2026-10-11 to 2026-10-13" in result.output
    assert "4 added, 0 replaced" in result.output
    assert "recorded in Imports" in result.output
    assert "Zoe Stranger" in result.output and "--add-newcomers adds them" in result.output
    assert "Imported" in result.output


def test_the_command_exit_codes(runner: CliRunner, community: Path, tmp_path: Path) -> None:
    export = write(tmp_path, "General.txt", FIRST_EXPORT)
    wrong_group = runner.invoke(
        main, ["import-chat", str(export), "--group", "Nope", str(community)]
    )
    assert wrong_group.exit_code == 2 and 'group "Nope" is not in Groups' in wrong_group.output
    not_chat = write(tmp_path, "notes.txt", "Shopping list\n- milk\n")
    bad = runner.invoke(main, ["import-chat", str(not_chat), "--group", "General", str(community)])
    assert bad.exit_code == 1 and "no line looks like a WhatsApp message" in bad.output
    missing = runner.invoke(
        main, ["import-chat", str(tmp_path / "x.zip"), "--group", "General", str(community)]
    )
    assert missing.exit_code == 2


def test_a_korean_export_of_one_ambiguous_day_names_the_orders_it_could_be_in(
    community: Path, tmp_path: Path
) -> None:
    export = write(tmp_path, "a.txt", "26. 10. 13. 오후 9:05 - Amira Haddad: 안녕\n")
    with pytest.raises(ChatExportError, match=r"run again with --year-first or --day-first$"):
        import_chat(XlsxBackend(community), export, ImportOptions("General"))
    options = ImportOptions("General", date_order="year-first")
    report = import_chat(XlsxBackend(community), export, options)
    assert report.imported == (date(2026, 10, 13), date(2026, 10, 13))


@pytest.mark.parametrize(
    ("flag", "day"),
    [
        ("--day-first", "2026-04-03"),
        ("--month-first", "2026-03-04"),
        ("--year-first", "2003-04-26"),
    ],
)
def test_the_command_reads_dates_in_the_order_asked(
    runner: CliRunner, community: Path, tmp_path: Path, flag: str, day: str
) -> None:
    export = write(tmp_path, "a.txt", "03/04/26, 21:05 - Amira Haddad: hi\n")
    args = ["import-chat", str(export), "--group", "General", str(community), "--dry-run", flag]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert day in result.output


def imported_rows(backend: Backend) -> list[tuple[object, ...]]:
    community = load_community(backend.read())
    rows = community.activity
    activity = sorted(
        (row.date, row.member_id, row.messages, row.content, row.invites, row.source)
        for row in rows.itertuples()
    )
    coverage = [
        (row.group, row.first_day, row.last_day, row.source, row.messages, row.senders)
        for row in community.imports.itertuples()
    ]
    return [*activity, *sorted(community.members["member_id"]), *coverage]


def test_a_google_sheet_gets_the_same_rows_as_a_workbook(
    sheet: SheetBuilder, tmp_path: Path, fake: SheetsFake
) -> None:
    sheet.member("General", name="Amira Haddad", aliases="Mira 🌸")
    sheet.member("General", member_id="+447700900123", name="Ben Okafor")
    workbook = tmp_path / "c.xlsx"
    save(sheet, workbook)
    load_workbook(fake, sheet.workbook())
    first = write(tmp_path, "a.txt", FIRST_EXPORT)
    second = write(tmp_path, "b.txt", SECOND_EXPORT)
    results = []
    for backend in (XlsxBackend(workbook), open_sheet(fake)):
        options = ImportOptions("General", add_newcomers=True)
        import_chat(backend, first, options)
        import_chat(backend, second, options)
        results.append(imported_rows(backend))
    assert results[0] == results[1]
    assert "Zoe Stranger" in results[0]


BEA_EXPORT = """\
13/10/2026, 09:00 - Bea 🌸: Hello from my phone
13/10/2026, 09:01 - Bea 🌸: and again
13/10/2026, 09:05 - 07700 900777: which number is this?
14/10/2026, 10:30 - Zoe Stranger: hi, who runs this group?
"""


@pytest.fixture
def bea_community(sheet: SheetBuilder, tmp_path: Path) -> Path:
    sheet.member("General", name="Amira Haddad")
    sheet.member("General", member_id="+447700900777", name="Ben Okafor")
    sheet.member("General", name="Bea Ramos", aliases="Beatriz")
    path = tmp_path / "community.xlsx"
    save(sheet, path)
    return path


def members_row(path: Path, name: str) -> tuple[int, str, tuple[str, ...]]:
    members = load_community(XlsxBackend(path).read()).members
    row = members[members["name"] == name].iloc[0]
    return int(row["sheet_row"]), str(row["member_id"]), tuple(row["aliases"])


def test_an_unmatched_sender_gets_the_likeliest_member(bea_community: Path, tmp_path: Path) -> None:
    export = write(tmp_path, "General.txt", BEA_EXPORT)
    report = import_chat(XlsxBackend(bea_community), export, ImportOptions("General", dry_run=True))
    suggested = {u.sender: u.suggestion for u in report.unmatched}
    bea_row, bea_id, _ = members_row(bea_community, "Bea Ramos")
    ben_row, ben_id, _ = members_row(bea_community, "Ben Okafor")
    assert suggested["Bea 🌸"] == Suggestion(bea_id, "Bea Ramos", bea_row, "name")
    assert suggested["07700 900777"] == Suggestion(ben_id, "Ben Okafor", ben_row, "phone")
    assert suggested["Zoe Stranger"] is None


def test_accepted_suggestions_become_aliases_in_the_same_write(
    bea_community: Path, tmp_path: Path
) -> None:
    export = write(tmp_path, "General.txt", BEA_EXPORT)
    options = ImportOptions("General", add_newcomers=True, accept_suggestions=True)
    report = import_chat(XlsxBackend(bea_community), export, options)
    assert [(sender, member.name) for sender, member in report.aliases_added] == [
        ("Bea 🌸", "Bea Ramos"),
        ("07700 900777", "Ben Okafor"),
    ]
    assert report.newcomers == ("Zoe Stranger",) and report.unmatched == ()
    _, bea_id, aliases = members_row(bea_community, "Bea Ramos")
    assert aliases == ("Beatriz", "Bea 🌸")
    assert ("10-13", bea_id, 2, 1, 0, 0, "chat export General.txt") in activity(bea_community)
    again = import_chat(XlsxBackend(bea_community), export, ImportOptions("General"))
    assert again.unmatched == () and again.aliases_added == ()


def test_newcomers_never_duplicate_a_likely_member(bea_community: Path, tmp_path: Path) -> None:
    export = write(tmp_path, "General.txt", BEA_EXPORT)
    options = ImportOptions("General", add_newcomers=True)
    report = import_chat(XlsxBackend(bea_community), export, options)
    assert report.newcomers == ("Zoe Stranger",)
    assert {u.sender for u in report.unmatched} == {"Bea 🌸", "07700 900777"}
    assert members_row(bea_community, "Bea Ramos")[2] == ("Beatriz",)


def test_two_equally_likely_members_give_no_suggestion(sheet: SheetBuilder) -> None:
    sheet.member("General", name="Bea Ramos")
    sheet.member("General", name="Bea Silva")
    members = load_community(sheet.workbook()).members
    assert MemberSuggester(members).suggest("Bea 🌸") is None


def test_the_command_shows_suggestions(
    runner: CliRunner, bea_community: Path, tmp_path: Path
) -> None:
    export = write(tmp_path, "General.txt", BEA_EXPORT)
    row = members_row(bea_community, "Bea Ramos")[0]
    args = ["import-chat", str(export), "--group", "General", str(bea_community), "--dry-run"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert f"Bea 🌸 → Bea Ramos (Members row {row})?" in result.output
    accepted = runner.invoke(main, [*args[:-1], "--accept-suggestions"])
    assert f"Alias added: Bea 🌸 → Bea Ramos (Members row {row})" in accepted.output


def test_invites_by_the_exporting_phone_are_listed_as_yours(sheet: SheetBuilder) -> None:
    sheet.member("General", name="Ana Lima")
    community = load_community(sheet.workbook())
    lines = [
        "13.10.26, 09:00 - Du hast Ana Lima hinzugefügt\n",
        "13.10.26, 09:01 - Du hast Ben entfernt\n",
        "13.10.26, 09:02 - Ana Lima: Hallo\n",
    ]
    export = tally_lines(lines)
    _, report = plan_import(community, export, "General", ImportOptions("General"), IMPORTED_AT)
    assert [(u.sender, u.invites, u.why) for u in report.unmatched] == [
        ("you", 1, "the phone that exported the chat")
    ]
    assert report.events == {"added": 1, "removed": 1}


def test_two_names_the_chat_cannot_part_credit_nobody_not_the_exporting_phone(
    sheet: SheetBuilder,
) -> None:
    """が parts かがみががく in three places, and no name the chat shows says which."""
    community = load_community(sheet.workbook())
    export = tally_lines(["2026/10/13 09:00 - かがみががくを追加しました\n"])
    _, report = plan_import(community, export, "General", ImportOptions("General"), IMPORTED_AT)
    assert report.unmatched == ()
    assert report.events == {"added": 1}


def test_a_turkish_add_of_several_people_credits_its_actor_with_each(sheet: SheetBuilder) -> None:
    """Its names are parted by ", " as its list is: no name is taken for the parting word."""
    ana = sheet.member("General", name="Ana")
    for name in ("Bob", "Chen"):
        sheet.member("General", name=name)
    community = load_community(sheet.workbook())
    lines = [
        "13.10.2026 09:00 - Ana: merhaba\n",
        "13.10.2026 09:01 - Ana, Bob, Chen kişisini ekledi\n",
        "13.10.2026 09:02 - Bob: selam\n",
    ]
    export = tally_lines(lines)
    assert [(e.actor, e.target) for e in export.events] == [("Ana", "Bob, Chen")]
    index = SenderIndex(community.members, "")
    rows = activity_rows(export, index, "General", "chat export", set(export.days))
    assert {row["member_id"]: row["invites"] for row in rows}[ana] == 2


@pytest.mark.parametrize(
    ("member", "sender"),
    [("~ Dana", "Dana"), ("Dana", "~\u202fDana"), ("Mo Salah", "Mo\u200e Salah")],
)
def test_a_name_with_whatsapps_mark_for_no_contact_matches_the_name_without(
    sheet: SheetBuilder, member: str, sender: str
) -> None:
    """Earlier imports added such people as "~ Dana"; a sender is now read as "Dana". A mark
    inside a name is no part of it either."""
    dana = sheet.member("General", name=member)
    index = SenderIndex(sheet.community().members, "")
    assert index.find(sender) == (dana, "")
