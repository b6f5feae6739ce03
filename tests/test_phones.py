"""phone_key: one number typed many ways gives one E.164 key; anything else is no phone number."""

from __future__ import annotations

import pandas as pd
import phonenumbers
import pytest

from grouptier.phones import as_member_ids, looks_like_phone, member_forms, phone_key

SOFIA = "+5511900142542"


@pytest.mark.parametrize(
    ("text", "region", "key"),
    [
        (SOFIA, "", SOFIA),
        ("0055-11-900142542", "BR", SOFIA),
        ("0055 11 900142542", "", SOFIA),
        ("+55 11 90014-2542", "", SOFIA),
        ("+55.11.90014.2542", "GB", SOFIA),
        ("(11) 90014-2542", "BR", SOFIA),
        ("011 90014-2542", "BR", SOFIA),
        ("\u202a+55 11 90014\u20112542\u202c", "", SOFIA),
        ("+44\u00a07700\u202f900123", "", "+447700900123"),
        ("+44 (0)7911 123-456", "", "+447911123456"),
        ("07911 123456", "GB", "+447911123456"),
        ("+1 (415) 555-0134", "BR", "+14155550134"),
        ("+999 1234 5678", "", "+99912345678"),
        ("(11) 90014-2542", "", ""),
        ("1234567", "BR", ""),
        ("12345", "BR", ""),
        ("+44 7700 abc", "", ""),
        ("Amira", "BR", ""),
        ("", "BR", ""),
    ],
    ids=[
        "e164",
        "00-with-brazil-region",
        "00-without-region",
        "plus-spaced",
        "plus-dotted-other-region",
        "national-with-region",
        "national-trunk-prefix",
        "invisible-marks-and-no-break-hyphen",
        "no-break-spaces",
        "trunk-zero-in-brackets",
        "uk-national",
        "another-country-than-the-region",
        "unknown-country-code",
        "national-without-region",
        "impossible-for-the-region",
        "too-short",
        "letters",
        "a-name",
        "blank",
    ],
)
def test_phone_key(text: str, region: str, key: str) -> None:
    assert phone_key(text, region) == key


def test_an_e164_id_is_its_own_key_without_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parse(*args: object) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(phonenumbers, "parse", no_parse)
    assert phone_key(SOFIA, "BR") == SOFIA


def test_member_ids_replace_other_forms_of_a_members_number() -> None:
    forms = member_forms(["0055 11 900142542", "amira", "+447700900123"], "BR")
    ids = pd.Series(["+55 11 90014-2542", "amira", "(11) 90014-2542", "+5511900142543", None])

    member_ids = as_member_ids(ids, forms, "BR")

    assert member_ids[:4].tolist() == [
        "0055 11 900142542",
        "amira",
        "0055 11 900142542",
        "+5511900142543",
    ]
    assert pd.isna(member_ids[4])


def test_ids_all_typed_as_in_members_are_returned_as_they_are() -> None:
    forms = member_forms(["+447700900123", "amira"], "")
    ids = pd.Series(["amira", "+447700900123"] * 3)

    assert as_member_ids(ids, forms, "") is ids


def in_script(text: str, zero: str) -> str:
    """`text` with its digits 0-9 written in the script whose zero is `zero`."""
    return text.translate({ord("0") + n: chr(ord(zero) + n) for n in range(10)})


ARABIC_INDIC, PERSIAN, DEVANAGARI, FULLWIDTH = "\u0660", "\u06f0", "\u0966", "\uff10"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (in_script("+971 50 123 4567", ARABIC_INDIC), "+971501234567"),
        ("\u200f" + in_script("+98 912 345 6789", PERSIAN), "+989123456789"),
        (in_script("+91 98765-43210", DEVANAGARI), "+919876543210"),
        (in_script("0055 11 900142542", FULLWIDTH), SOFIA),
    ],
    ids=["arabic-indic", "persian-with-rtl-mark", "devanagari", "fullwidth"],
)
def test_digits_of_other_scripts_are_a_phone_number(text: str, key: str) -> None:
    assert looks_like_phone(text)
    assert phone_key(text, "") == key


@pytest.mark.parametrize(
    "text",
    [
        in_script("345", ARABIC_INDIC),
        "Ana " + in_script("50 123 4567", ARABIC_INDIC),
        "\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079",  # superscripts: no digits
    ],
    ids=["too-few", "a-name-too", "superscripts"],
)
def test_too_few_digits_letters_or_superscripts_are_no_phone_number(text: str) -> None:
    assert not looks_like_phone(text)
    assert phone_key(text, "BR") == ""
