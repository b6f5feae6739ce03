"""Phone numbers compared in one form, E.164 (`+5511900142542`), however they were typed.

Managers type one number many ways (`0055-11-900142542`, `+55 11 90014-2542`,
`(11) 90014-2542`) and chat exports add their own spacing and invisible
marks; `phone_key` gives each the same key, so two Members rows for one
person are caught and Activity, History and chat senders find their member.

Digits of any script count (Arabic-Indic, Persian, Devanagari, full-width):
phones and keyboards set to Arabic, Persian or Hindi write numbers that way.

The `phone_region` setting says which country a number written without `+`
or `00` belongs to (`BR`). Blank: every number must carry its country code to
be recognised; one written without it is compared as written.

A sheet may hold a million Activity rows but only a few thousand distinct
ids, so callers key distinct values, never rows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import phonenumbers

from grouptier.chat.marks import INVISIBLE

MIN_PHONE_DIGITS = 7
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
# An optional +, then digits and separators: \s also takes the no-break spaces, and
# \u2010-\u2015 the no-break hyphens and dashes, that phones put in numbers.
_PHONE_LIKE = re.compile(r"\+?[0-9\s().\-\u2010-\u2015]+")
_NOT_DIGIT = re.compile(r"[^0-9]")
_NO_MARKS = str.maketrans("", "", INVISIBLE)


def phone_key(text: str, region: str) -> str:
    """`text` as an E.164 number ("+5511900142542"), or '' when it is not a phone number.

    Phone-like: an optional `+`, digits and separators (spaces, dots, dashes,
    brackets, invisible marks), at least 7 digits. `+…` and `00…` are
    international; other numbers are read as numbers of `region` (an ISO
    code such as "BR") and are not phone numbers when `region` is blank or
    they cannot be a number of that country.
    """
    if _E164.fullmatch(text):
        return text  # already the key: most ids are, and parsing costs ~10 µs each
    clean = _ascii_digits(text.translate(_NO_MARKS).strip())
    if not _PHONE_LIKE.fullmatch(clean):
        return ""
    if len(_NOT_DIGIT.sub("", clean)) < MIN_PHONE_DIGITS:
        return ""
    # Rewritten here, not left to the library: with region BR it reads "0055…" as a
    # Brazilian international prefix with a carrier code and drops the country (+11…).
    if clean.startswith("00"):
        return _international("+" + clean[2:])
    if clean.startswith("+"):
        return _international(clean)
    return _national(clean, region) if region else ""


def looks_like_phone(text: str) -> bool:
    """Whether `text` is written like a phone number (digits of any script and separators, 7+)."""
    clean = _ascii_digits(text.translate(_NO_MARKS).strip())
    digits = len(_NOT_DIGIT.sub("", clean))
    return bool(_PHONE_LIKE.fullmatch(clean)) and digits >= MIN_PHONE_DIGITS


def shown_phone(member_id: str, region: str) -> str:
    """A member id as a person reads a number (`+55 11 90040-3869`); any other id as written."""
    key = phone_key(member_id, region)
    if not key:
        return member_id
    try:
        number = phonenumbers.parse(key, None)
    except phonenumbers.NumberParseException:
        return key
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _ascii_digits(text: str) -> str:
    """`text` with digits of other scripts (Arabic-Indic ٣, Persian ۳, Devanagari ३) as 0-9."""
    if text.isascii():
        return text  # nearly every id: no per-character work
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def _international(text: str) -> str:
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return "+" + _NOT_DIGIT.sub("", text)  # an unknown country code: still one key per number
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _national(text: str, region: str) -> str:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return ""
    # A length no number of the country has is some other kind of id: compare it as written.
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def member_forms(member_ids: Iterable[str], region: str) -> dict[str, str]:
    """Each member id to itself, and each phone key to the first member id that has it."""
    forms: dict[str, str] = {}
    for member_id in member_ids:
        if isinstance(member_id, str) and member_id:  # NaN: a cell already reported
            forms.setdefault(member_id, member_id)
            key = phone_key(member_id, region)
            if key:
                forms.setdefault(key, member_id)
    return forms


def as_member_ids(ids: pd.Series, forms: Mapping[str, str], region: str) -> pd.Series:
    """`ids` with each other way of writing a member's number replaced by the member's id.

    `forms` comes from `member_forms`. Ids typed as in Members are not keyed
    at all (nearly every row of a big Activity tab); ids that are no form of a
    member's number are left as they are, for the caller to report.
    """
    typed = (ids.isin(set(forms.values())) | ids.isna()).to_numpy()
    if typed.all():
        return ids
    positions = np.flatnonzero(~typed)
    values = ids.to_numpy(dtype=object, copy=True)
    rewrite: dict[str, str] = {}
    for text in pd.unique(values[positions]):
        member_id = forms.get(text) or forms.get(phone_key(text, region))
        if member_id is not None:
            rewrite[text] = member_id
    if not rewrite:
        return ids
    values[positions] = [rewrite.get(text, text) for text in values[positions]]
    return pd.Series(values, index=ids.index, dtype=ids.dtype, name=ids.name)
