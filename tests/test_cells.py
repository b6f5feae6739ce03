"""Every cell parser: the forms it accepts, and the exact words it refuses the rest with."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import partial

import pytest

from grouptier.cells import (
    ERROR_CODES,
    CellError,
    CellErrorValue,
    FormulaWithoutValue,
    column_letter,
    did_you_mean,
    error_code,
    is_blank,
    normalise,
    parse_choice,
    parse_count,
    parse_date,
    parse_member_id,
    parse_number,
    parse_optional_count,
    parse_text,
    parse_yes_no,
)
from grouptier.sheet import MOTIVATIONS, ROLES

FORMULA_MESSAGE = (
    "holds the formula =SUM(D2:D9) but no calculated value was saved with it; "
    "open the file in Excel, LibreOffice or Google Sheets and save it again "
    "so the value is calculated, or type the value itself"
)
parse_role = partial(parse_choice, allowed=ROLES, what="role")
parse_motivation = partial(parse_choice, allowed=MOTIVATIONS, what="motivation")


def refusal(parse: Callable[[object], object], value: object) -> str:
    with pytest.raises(CellError) as caught:
        parse(value)
    return str(caught.value)


# --- is_blank and parse_text ------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "blank"),
    [
        (None, True),
        ("", True),
        ("   ", True),
        ("\t\n", True),
        ("x", False),
        (0, False),
        (False, False),
        (date(2026, 1, 1), False),
    ],
    ids=["none", "empty", "spaces", "tab-newline", "text", "zero", "false", "date"],
)
def test_is_blank(value: object, blank: bool) -> None:
    assert is_blank(value) is blank


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  ", ""),
        ("  Ada Lovelace  ", "Ada Lovelace"),
        (42, "42"),
        (42.0, "42"),
        (2.5, "2.5"),
        (True, "True"),
        (date(2026, 11, 5), "2026-11-05"),
        (datetime(2026, 11, 5, 9, 30), "2026-11-05 09:30:00"),
    ],
    ids=["none", "spaces", "stripped", "int", "whole-float", "float", "bool", "date", "datetime"],
)
def test_parse_text(value: object, text: str) -> None:
    assert parse_text(value) == text


# --- member ids -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "member_id"),
    [
        ("+447911123456", "+447911123456"),
        ("  +447911123456 ", "+447911123456"),
        ("alice", "alice"),
        (123456, "123456"),
        (123456.0, "123456"),
        ("4.47911", "4.47911"),
        (None, ""),
    ],
    ids=["international", "padded", "name", "short-number", "short-float", "decimal-text", "blank"],
)
def test_parse_member_id_accepts(value: object, member_id: str) -> None:
    assert parse_member_id(value) == member_id


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "4.47911E+11",
            '"4.47911E+11" is a phone number the spreadsheet turned into scientific notation, '
            "which loses digits; format the column as text and type the full number, "
            "e.g. +447911123456",
        ),
        (
            "4,47911e11",
            '"4,47911e11" is a phone number the spreadsheet turned into scientific notation, '
            "which loses digits; format the column as text and type the full number, "
            "e.g. +447911123456",
        ),
        (
            447911123456,
            "447911123456 looks like a phone number the spreadsheet turned into a number, "
            "which drops the leading + or 0; format the column as text and type it "
            "in international form, e.g. +447911123456",
        ),
        (
            447911123456.0,
            "447911123456 looks like a phone number the spreadsheet turned into a number, "
            "which drops the leading + or 0; format the column as text and type it "
            "in international form, e.g. +447911123456",
        ),
        (
            1234567,
            "1234567 looks like a phone number the spreadsheet turned into a number, "
            "which drops the leading + or 0; format the column as text and type it "
            "in international form, e.g. +1234567",
        ),
        (
            12.5,
            "12.5 is not a member id: the spreadsheet stored it as a number with decimals; "
            "format the column as text and type the id again",
        ),
        (True, "True is not a member id"),
        (FormulaWithoutValue("=SUM(D2:D9)"), FORMULA_MESSAGE),
    ],
    ids=[
        "scientific-text",
        "scientific-decimal-comma",
        "phone-as-int",
        "phone-as-float",
        "seven-digits",
        "decimals",
        "checkbox",
        "formula-without-value",
    ],
)
def test_parse_member_id_refuses(value: object, message: str) -> None:
    assert refusal(parse_member_id, value) == message


def test_six_digits_are_a_plain_numeric_id_and_seven_a_phone_number() -> None:
    assert parse_member_id(999999) == "999999"
    with pytest.raises(CellError):
        parse_member_id(1000000)


# --- dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "day"),
    [
        (date(2026, 11, 5), date(2026, 11, 5)),
        (datetime(2026, 11, 5, 23, 59), date(2026, 11, 5)),
        (46331, date(2026, 11, 5)),
        (46331.75, date(2026, 11, 5)),
        (25_569, date(1970, 1, 1)),
        (109_574, date(2199, 12, 31)),
        ("2026-11-05", date(2026, 11, 5)),
        (" 2026-11-05 ", date(2026, 11, 5)),
        ("2026/11/05", date(2026, 11, 5)),
        ("2026.11.05", date(2026, 11, 5)),
        ("2026-1-5", date(2026, 1, 5)),
        ("2026-11-05 09:30", date(2026, 11, 5)),
        ("2026-11-05T09:30:15", date(2026, 11, 5)),
        ("2028-02-29", date(2028, 2, 29)),
    ],
    ids=[
        "date-cell",
        "datetime-cell",
        "serial",
        "serial-with-time",
        "first-serial",
        "last-serial",
        "iso-text",
        "padded-text",
        "slashes",
        "dots",
        "single-digits",
        "text-with-time",
        "text-iso-t",
        "leap-day",
    ],
)
def test_parse_date_accepts(value: object, day: date) -> None:
    assert parse_date(value) == day


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-02-30", '"2026-02-30" is not a real date (there is no day 30 in that month)'),
        ("2026-02-29", '"2026-02-29" is not a real date (there is no day 29 in that month)'),
        ("2026-04-31", '"2026-04-31" is not a real date (there is no day 31 in that month)'),
        ("2026-11-00", '"2026-11-00" is not a real date (there is no day 0 in that month)'),
        ("2026-13-01", '"2026-13-01" is not a real date (there is no month 13)'),
        ("2026-00-10", '"2026-00-10" is not a real date (there is no month 0)'),
        (
            "05/11/2026",
            '"05/11/2026" could be 2026-11-05 or 2026-05-11: '
            "write it as YYYY-MM-DD, e.g. 2026-11-05",
        ),
        ("next Monday", '"next Monday" is not a date; write it as YYYY-MM-DD, e.g. 2026-11-05'),
        (None, '"" is not a date; write it as YYYY-MM-DD, e.g. 2026-11-05'),
        (0, "0 is a number, not a date; write it as YYYY-MM-DD"),
        (-5, "-5 is a number, not a date; write it as YYYY-MM-DD"),
        (12, "12 is a number, not a date; write it as YYYY-MM-DD"),
        (2_958_466, "2.95847e+06 is a number, not a date; write it as YYYY-MM-DD"),
        (float("nan"), "nan is a number, not a date; write it as YYYY-MM-DD"),
        (True, "True is not a date"),
        (FormulaWithoutValue("=SUM(D2:D9)"), FORMULA_MESSAGE),
    ],
    ids=[
        "february-30",
        "february-29-not-leap",
        "april-31",
        "day-0",
        "month-13",
        "month-0",
        "day-first",
        "words",
        "blank",
        "serial-0",
        "negative-serial",
        "small-count",
        "after-9999",
        "nan",
        "checkbox",
        "formula-without-value",
    ],
)
def test_parse_date_refuses(value: object, message: str) -> None:
    assert refusal(parse_date, value) == message


# --- numbers and counts --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "count"),
    [
        (3, 3),
        (3.0, 3),
        ("3", 3),
        (" 12 ", 12),
        ("3.0", 3),
        ("1e3", 1000),
        (0, 0),
        (None, 0),
        ("  ", 0),
    ],
    ids=["int", "whole-float", "text", "padded-text", "text-point-zero", "text-exponent", "zero",
         "blank", "spaces"],
)  # fmt: skip
def test_parse_count_accepts(value: object, count: int) -> None:
    result = parse_count(value)
    assert result == count
    assert type(result) is int


def test_a_blank_count_takes_the_default() -> None:
    assert parse_count(None, default=1024) == 1024
    assert parse_count("", default=7) == 7


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-3, "-3 cannot be negative"),
        ("-3", "-3 cannot be negative"),
        (-0.5, "-0.5 cannot be negative"),
        (2.5, "2.5 must be a whole number"),
        ("2.5", "2.5 must be a whole number"),
        ("2,5", "2,5 must be a whole number"),
        ("three", '"three" is not a number'),
        ("12 messages", '"12 messages" is not a number'),
        (
            "#DIV/0!",
            "holds the error #DIV/0! instead of a value; fix the formula or type the value",
        ),
        (True, "True is not a number"),
        (date(2026, 11, 5), "2026-11-05 is not a number"),
        (float("inf"), "inf is not a number"),
        ("nan", "nan is not a number"),
        (FormulaWithoutValue("=SUM(D2:D9)"), FORMULA_MESSAGE),
    ],
    ids=[
        "negative",
        "negative-text",
        "negative-fraction",
        "fraction",
        "fraction-text",
        "fraction-decimal-comma",
        "words",
        "with-unit",
        "error-value",
        "checkbox",
        "date",
        "infinity",
        "nan-text",
        "formula-without-value",
    ],
)
def test_parse_count_refuses(value: object, message: str) -> None:
    assert refusal(parse_count, value) == message


@pytest.mark.parametrize(
    ("text", "number"),
    [("1,000", 1000), ("12,345,678", 12345678), ("1 000", 1000), ("2,5", 2.5), ("0,75", 0.75)],
    ids=["thousands", "millions", "space-thousands", "decimal-comma", "decimal-comma-small"],
)
def test_separators_are_read_as_a_manager_means_them(text: str, number: float) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize(
    ("value", "count"),
    [(None, None), ("", None), ("  ", None), (0, 0), ("3", 3), (10.0, 10)],
    ids=["none", "empty", "spaces", "zero", "text", "whole-float"],
)
def test_parse_optional_count(value: object, count: int | None) -> None:
    assert parse_optional_count(value) == count


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "-1 cannot be negative"),
        (1.5, "1.5 must be a whole number"),
        ("no limit", '"no limit" is not a number'),
        (FormulaWithoutValue("=SUM(D2:D9)"), FORMULA_MESSAGE),
    ],
    ids=["negative", "fraction", "words", "formula-without-value"],
)
def test_parse_optional_count_refuses(value: object, message: str) -> None:
    assert refusal(parse_optional_count, value) == message


@pytest.mark.parametrize(
    ("value", "number"),
    [
        (2, 2),
        (2.5, 2.5),
        ("2.5", 2.5),
        ("2,5", 2.5),
        (" -1.25 ", -1.25),
        ("1e-2", 0.01),
        (None, 0),
    ],
    ids=["int", "float", "text", "decimal-comma", "negative-text", "exponent", "blank"],
)
def test_parse_number_accepts(value: object, number: float) -> None:
    assert parse_number(value) == number


def test_parse_number_gives_whole_numbers_as_int() -> None:
    assert type(parse_number(4.0)) is int
    assert type(parse_number("4")) is int
    assert parse_number(None, default=1.5) == 1.5


# --- yes / no --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "answer"),
    [
        (True, True),
        (False, False),
        ("yes", True),
        ("Yes", True),
        (" YES ", True),
        ("y", True),
        ("true", True),
        ("TRUE", True),
        ("x", True),
        ("X", True),
        ("✓", True),
        ("✔", True),
        (1, True),
        (1.0, True),
        ("1", True),
        ("no", False),
        ("No", False),
        ("n", False),
        ("false", False),
        ("FALSE", False),
        (0, False),
        ("0", False),
        (None, False),
        ("  ", False),
    ],
    ids=repr,
)
def test_parse_yes_no_accepts(value: object, answer: bool) -> None:
    assert parse_yes_no(value) is answer


def test_a_blank_yes_no_takes_the_default() -> None:
    assert parse_yes_no(None, default=True) is True
    assert parse_yes_no("", default=True) is True
    assert parse_yes_no("no", default=True) is False


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("maybe", '"maybe" must be yes or no'),
        (" Maybe ", '"Maybe" must be yes or no'),
        ("ja", '"ja" must be yes or no'),
        (2, '"2" must be yes or no'),
        (0.5, '"0.5" must be yes or no'),
        (FormulaWithoutValue("=SUM(D2:D9)"), FORMULA_MESSAGE),
    ],
    ids=["maybe", "padded", "other-language", "two", "half", "formula-without-value"],
)
def test_parse_yes_no_refuses(value: object, message: str) -> None:
    assert refusal(parse_yes_no, value) == message


# --- choices, names and suggestions ------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "choice"),
    [
        ("designer", "designer"),
        ("Designer", "designer"),
        (" DESIGNER ", "designer"),
        ("Activity Officer", "activity officer"),
        ("activity_officer", "activity officer"),
        ("activity-officer", "activity officer"),
        ("RecordOfficer", "record officer"),
        (None, ""),
        ("  ", ""),
    ],
    ids=["exact", "capitalised", "shouting", "title-case", "underscore", "dash", "joined",
         "blank", "spaces"],
)  # fmt: skip
def test_parse_choice_matches_ignoring_case_and_spacing(value: object, choice: str) -> None:
    assert parse_role(value) == choice


@pytest.mark.parametrize(
    ("parse", "value", "message"),
    [
        (
            parse_role,
            "desginer",
            'role "desginer" is not one of assistant, activity officer, record officer, '
            'designer, diplomat, executive (did you mean "designer"?)',
        ),
        (
            parse_role,
            "boss",
            'role "boss" is not one of assistant, activity officer, record officer, '
            "designer, diplomat, executive",
        ),
        (
            parse_motivation,
            "Gratefull",
            'motivation "Gratefull" is not one of dedicated, grateful, self-driven, resource '
            '(did you mean "grateful"?)',
        ),
        (parse_role, FormulaWithoutValue("=SUM(D2:D9)"), FORMULA_MESSAGE),
    ],
    ids=["typo-with-suggestion", "nothing-close", "motivation-typo", "formula-without-value"],
)
def test_parse_choice_refuses(
    parse: Callable[[object], object], value: object, message: str
) -> None:
    assert refusal(parse, value) == message


@pytest.mark.parametrize(
    ("text", "choices", "suggestion"),
    [
        ("Genral", ("Core", "General", "Retention"), ' (did you mean "General"?)'),
        ("general b", ("General A", "General B"), ' (did you mean "General B"?)'),
        ("CORE", ("Core", "General"), ' (did you mean "Core"?)'),
        ("Retension", ["Core", "Retention"], ' (did you mean "Retention"?)'),
        ("cycle_dayz", ("cycle_anchor", "cycle_days"), ' (did you mean "cycle_days"?)'),
        ("VIP lounge", ("Core", "General", "Retention"), ""),
        ("Genral", (), ""),
    ],
    ids=["typo", "parallel-group", "case", "list-of-choices", "setting", "nothing-close", "none"],
)
def test_did_you_mean(text: str, choices: tuple[str, ...] | list[str], suggestion: str) -> None:
    assert did_you_mean(text, choices) == suggestion


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("member_id", "memberid"),
        ("Member ID", "memberid"),
        ("member-id", "memberid"),
        ("  MEMBER  ID ", "memberid"),
        ("Member__-ID", "memberid"),
        ("joined on", "joinedon"),
        ("Extra\tGroups", "extragroups"),
    ],
    ids=["canonical", "title-case", "dash", "spaces-and-case", "mixed-separators", "space", "tab"],
)
def test_normalise(name: str, form: str) -> None:
    assert normalise(name) == form


@pytest.mark.parametrize(
    ("index", "letters"),
    [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA")],
    ids=["A", "B", "Z", "AA", "AZ", "BA", "ZZ", "AAA"],
)
def test_column_letter(index: int, letters: str) -> None:
    assert column_letter(index) == letters


# --- formulas saved without a value --------------------------------------------------------


EVERY_PARSER = pytest.mark.parametrize(
    "parse",
    [
        parse_text,
        parse_member_id,
        parse_date,
        parse_count,
        parse_optional_count,
        parse_number,
        parse_yes_no,
        parse_role,
    ],
    ids=["text", "member_id", "date", "count", "optional_count", "number", "yes_no", "choice"],
)


@EVERY_PARSER
def test_every_parser_refuses_a_formula_without_value(parse: Callable[[object], object]) -> None:
    assert refusal(parse, FormulaWithoutValue("=SUM(D2:D9)")) == FORMULA_MESSAGE


# --- cells holding an error ------------------------------------------------------------

VALUE_PARSERS = pytest.mark.parametrize(
    "parse",
    [parse_member_id, parse_date, parse_count, parse_optional_count, parse_number, parse_yes_no],
    ids=["member_id", "date", "count", "optional_count", "number", "yes_no"],
)


def error_message(code: str) -> str:
    return f"holds the error {code} instead of a value; fix the formula or type the value"


@EVERY_PARSER
@pytest.mark.parametrize("code", sorted(ERROR_CODES))
def test_every_parser_refuses_a_cell_holding_an_error(
    parse: Callable[[object], object], code: str
) -> None:
    assert refusal(parse, CellErrorValue(code)) == error_message(code)


@VALUE_PARSERS
@pytest.mark.parametrize("text", ["#REF!", " #n/a ", "#NAME?"])
def test_value_columns_refuse_text_spelling_an_error(
    parse: Callable[[object], object], text: str
) -> None:
    assert refusal(parse, text) == error_message(text.strip().upper())


def test_a_choice_refuses_text_spelling_an_error() -> None:
    assert refusal(parse_role, "#N/A") == error_message("#N/A")


def test_free_text_may_spell_an_error() -> None:
    assert parse_text("#REF!") == "#REF!"


@pytest.mark.parametrize(
    ("value", "code"),
    [(CellErrorValue("#REF!"), "#REF!"), ("#div/0!", "#DIV/0!"), ("#REF", None), (3, None)],
    ids=["error-cell", "error-text", "not-an-error", "number"],
)
def test_error_code(value: object, code: str | None) -> None:
    assert error_code(value) == code


# --- bounds: dates, counts and invisible characters (issue 13) ------------------------

OUT_OF_RANGE = "is outside the dates grouptier accepts (1900-01-01 to 2199-12-31); check the year"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("0001-01-01", "0001-01-01"),
        ("9999-12-31", "9999-12-31"),
        (date(1899, 12, 31), "1899-12-31"),
        (datetime(2200, 1, 1, 9, 30), "2200-01-01"),
        (2_958_465, "9999-12-31"),
        (109_575, "2200-01-01"),
    ],
    ids=["text-year-1", "text-year-9999", "cell-1899", "cell-2200", "last-serial", "serial-2200"],
)
def test_parse_date_refuses_a_date_out_of_range(value: object, shown: str) -> None:
    assert refusal(parse_date, value) == f"{shown} {OUT_OF_RANGE}"


def test_parse_date_accepts_the_edges_of_its_range() -> None:
    assert parse_date("1900-01-01") == date(1900, 1, 1)
    assert parse_date(date(2199, 12, 31)) == date(2199, 12, 31)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(1_000_000_001, "1,000,000,001"), (1e18, "1e+18"), ("1e308", "1e+308")],
    ids=["just-above", "1e18", "1e308-text"],
)
def test_parse_count_refuses_a_count_above_a_billion(value: object, shown: str) -> None:
    assert refusal(parse_count, value) == (
        f"{shown} is more than 1,000,000,000, the largest count grouptier accepts; check the number"
    )
    assert parse_count(1_000_000_000) == 1_000_000_000


@pytest.mark.parametrize(
    ("text", "choices", "suggestion"),
    [
        (
            "General",
            ("Core", "General\u200b"),
            ' (did you mean "General[U+200B ZERO WIDTH SPACE]"? '
            "The part in brackets is an invisible character in that name)",
        ),
        (
            "\ufeffCore",
            ("Core", "General"),
            ' (did you mean "Core"? This value holds an invisible character: '
            '"[U+FEFF ZERO WIDTH NO-BREAK SPACE]Core"; delete it)',
        ),
        (
            "Core\x07",
            ("Core",),
            ' (did you mean "Core"? This value holds an invisible character: '
            '"Core[U+0007 CONTROL CHARACTER]"; delete it)',
        ),
    ],
    ids=["in-the-choice", "in-the-text", "control-character"],
)
def test_did_you_mean_names_invisible_characters(
    text: str, choices: tuple[str, ...], suggestion: str
) -> None:
    assert did_you_mean(text, choices) == suggestion


# --- dates written in figures, read in the community's date order ----------------------


@pytest.mark.parametrize(
    ("text", "order", "day"),
    [
        ("01/11/2026", "day-first", date(2026, 11, 1)),
        ("1.11.2026", "day-first", date(2026, 11, 1)),
        ("01-11-2026", "day-first", date(2026, 11, 1)),
        ("01/11/2026", "month-first", date(2026, 1, 11)),
        ("1.11.2026", "month-first", date(2026, 1, 11)),
        ("22/11/2026", "day-first", date(2026, 11, 22)),
        ("22/11/2026", "month-first", date(2026, 11, 22)),
        ("22/11/2026", "year-first", date(2026, 11, 22)),
        ("22/11/2026", "", date(2026, 11, 22)),
        ("11/22/2026", "day-first", date(2026, 11, 22)),
        ("11/22/2026", "", date(2026, 11, 22)),
        ("05/05/2026", "", date(2026, 5, 5)),
        ("2026-11-01", "day-first", date(2026, 11, 1)),
        ("2026-11-01", "month-first", date(2026, 11, 1)),
        ("2026-11-01", "year-first", date(2026, 11, 1)),
        ("2026/11/01", "month-first", date(2026, 11, 1)),
    ],
    ids=[
        "day-first",
        "day-first-dots",
        "day-first-dashes",
        "month-first",
        "month-first-dots",
        "unambiguous-day-first",
        "unambiguous-in-month-first",
        "unambiguous-in-year-first",
        "unambiguous-without-order",
        "unambiguous-month-first-in-day-first",
        "unambiguous-month-first-without-order",
        "same-day-and-month",
        "iso-day-first",
        "iso-month-first",
        "iso-year-first",
        "iso-slashes",
    ],
)
def test_a_text_date_is_read_in_the_communitys_order(text: str, order: str, day: date) -> None:
    assert parse_date(text, order) == day


@pytest.mark.parametrize(
    ("text", "order", "message"),
    [
        (
            "31/02/2026",
            "day-first",
            '"31/02/2026" is not a date: write it day first, like 22/11/2026',
        ),
        (
            "02/31/2026",
            "month-first",
            '"02/31/2026" is not a date: write it month first, like 11/22/2026',
        ),
        (
            "31/02/2026",
            "month-first",
            '"31/02/2026" is not a date: write it month first, like 11/22/2026',
        ),
        (
            "13/13/2026",
            "day-first",
            '"13/13/2026" is not a date: write it day first, like 22/11/2026',
        ),
        ("00/11/2026", "day-first", '"00/11/2026" is not a date: write it day first, like'),
        (
            "01/11/2026",
            "year-first",
            '"01/11/2026" could be 2026-11-01 or 2026-01-11: write it year first, like 2026-11-22',
        ),
        ("01/11/2026", "", "could be 2026-11-01 or 2026-01-11: write it as YYYY-MM-DD"),
        ("31/02/2026", "", '"31/02/2026" is not a date: write it as YYYY-MM-DD'),
        ("1/11/26", "day-first", '"1/11/26" is not a date; write it as YYYY-MM-DD'),
        ("1/11.2026", "day-first", '"1/11.2026" is not a date; write it as YYYY-MM-DD'),
        ("22/11/2300", "day-first", "2300-11-22 is outside the dates grouptier accepts"),
    ],
    ids=[
        "impossible-day-first",
        "impossible-month-first",
        "impossible-either-way",
        "no-month",
        "day-zero",
        "ambiguous-in-year-first",
        "ambiguous-without-order",
        "impossible-without-order",
        "two-digit-year",
        "mixed-separators",
        "out-of-range",
    ],
)
def test_a_text_date_that_is_no_date_in_the_order_says_how_to_write_it(
    text: str, order: str, message: str
) -> None:
    with pytest.raises(CellError) as caught:
        parse_date(text, order)
    assert message in str(caught.value)


def test_a_long_text_in_a_date_cell_is_refused_at_once() -> None:
    text = "1" * 50_000 + "/11/2026"
    with pytest.raises(CellError, match="is not a date; write it as YYYY-MM-DD"):
        parse_date(text, "day-first")
