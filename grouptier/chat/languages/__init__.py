"""What WhatsApp writes in each phone language: one small table a language, as data.

Each module of this folder (`en.py`, `de.py`, ...) holds one `Language`:
the system lines as templates, the labels phones put in place of media,
documents and deleted messages, and the word that joins the last two names
of a list. A template is the line as WhatsApp writes it, with `{actor}`
(who did it), `{target}` (to whom) and `{any}` (a subject, a number, any
text) where the line varies:

    "added": ("{actor} added {target}", "You added {target}"),

Every template must keep a word of its own (its verb), so that a phrase
of one language never reads a line of another. To add a language, copy a
module, translate its texts (from a real export, or from WhatsApp's own
strings as `tests/data/chats/README.md` describes: say where each wording
came from there), and add a fixture for it; the modules are found and
compiled at import (`grouptier.chat.phrases`). A module's name is its code
where that is a valid name (`zh_hans.py` holds "zh-Hans").
"""

from __future__ import annotations

import importlib
import pkgutil
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache

SYSTEM_KINDS = (
    "created",
    "added",
    "you_were_added",
    "joined_by_link",
    "joined",
    "left",
    "removed",
    "subject",
    "icon",
    "description",
    "settings",
    "encryption",
    "security_code",
    "number_changed",
    "admin",
    "disappearing",
    "pinned",
    "community",
    "call",
)
"""The kinds of system line; `added` credits its actor with an invite per name. A `call`
("Missed voice call", written as the caller's message) is no message."""


@dataclass(frozen=True)
class Language:
    """The wordings of one phone language, on Android and iOS."""

    code: str
    name: str
    system: Mapping[str, tuple[str, ...]]
    media: tuple[str, ...] = ()  # Android: the whole text, as "<Media omitted>"
    ios_media: tuple[str, ...] = ()  # iOS: the whole text, as "image omitted"
    documents: tuple[str, ...] = ()  # iOS: how a document's text ends, as "document omitted"
    attached: tuple[str, ...] = ()  # Android: "name (file attached)" gives "file attached"
    attached_first: tuple[str, ...] = ()  # Android, label first: "file attached name"
    ios_attached: tuple[str, ...] = ()  # iOS: "<attached: name>" gives "attached"
    deleted: tuple[str, ...] = ()  # "This message was deleted", with or without its full stop
    deleted_first: tuple[str, ...] = ()  # "This message was deleted by admin", a name after it
    edited: tuple[str, ...] = ()  # "<This message was edited>", after an edited message's text
    conjunctions: tuple[str, ...] = field(default=())  # "and" in "Ana, Bob and Chen"


@cache
def all_languages() -> tuple[Language, ...]:
    """Every language table of this folder, in the order of their codes."""
    found: list[Language] = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        loaded = importlib.import_module(f"{__name__}.{module.name}")
        language = getattr(loaded, "LANGUAGE", None)
        if not isinstance(language, Language):
            raise TypeError(f"{loaded.__name__} has no LANGUAGE = Language(...)")
        found.append(_in_nfc(language))
    return tuple(found)


def _in_nfc(language: Language) -> Language:
    """The table with every text in NFC, the form the reader gives every line (`normal_form`).

    WhatsApp's own strings mix the two ways Unicode writes some letters (Hindi's
    "ड़" as one code point in one string, as "ड" and a nukta in the next).
    """

    def texts(values: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(unicodedata.normalize("NFC", value) for value in values))

    return replace(
        language,
        system={kind: texts(values) for kind, values in language.system.items()},
        media=texts(language.media),
        ios_media=texts(language.ios_media),
        documents=texts(language.documents),
        attached=texts(language.attached),
        attached_first=texts(language.attached_first),
        ios_attached=texts(language.ios_attached),
        deleted=texts(language.deleted),
        deleted_first=texts(language.deleted_first),
        edited=texts(language.edited),
        conjunctions=texts(language.conjunctions),
    )
