"""What WhatsApp chat exports look like: the line pattern and the phone-language tables.

One pattern reads the header of a message line from every phone: Android
(`12/31/24, 9:05 PM - Name: text`) and iOS (`[31/12/2024, 21:05:07] Name:
text`), `/`, `.` or `-` between the parts of the date, 2- or 4-digit years,
year-first dates (`2024-12-31`, `R6/12/31`), 12- or 24-hour clocks with the
AM/PM word after or before the time (`9:05 p. m.`, `午後9:05`), and the
invisible marks phones insert (direction marks, narrow no-break spaces, a
byte-order mark). Python's `\\d` also matches Arabic-Indic digits and `int()`
reads them, so right-to-left exports need no translation.

The tables below are matched only against the rare lines that need them
(system lines, attachments, deleted messages), so they cost nothing on the
millions of ordinary messages.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

# Direction marks, Arabic letter mark, embedding/isolate controls, byte-order mark.
INVISIBLE = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
# Possessive: a run of marks is never given back. No part that follows a run can
# start with a mark, so no match is lost; without it, a line of 20,000 marks cost
# the header patterns 20,000 ways to split the marks between two runs (12 s).
_M = f"[{INVISIBLE}]*+"
_SPACES = INVISIBLE + " \u00a0\u202f"
# Japanese era prefixes of year-first dates: the era's year 1 is offset + 1.
ERA_OFFSETS = {"R": 2018, "令和": 2018, "H": 1988, "平成": 1988}
BUDDHIST_ERA_OFFSET = 543  # Thai phones write 2567 for 2024
BUDDHIST_ERA_FROM = 2400


def _header(m: str) -> re.Pattern[str]:
    """The header pattern, allowing the invisible marks `m` between its parts."""
    return re.compile(
        rf"{m}(\[)?{m}"  # 1: the bracket of an iOS line
        r"((?:R|H|令和|平成)?"  # 2: the date as written, from a Japanese era...
        rf"\d{{1,4}}{m}([/.\-])\s?{m}\d{{1,2}}{m}\3\s?{m}\d{{1,4}})"  # 3: separator
        rf"\.?{m}[,،]?\s{m}"
        r"(?:([^\W\d_]{1,4})\s?)?"  # 4: an AM/PM word written before the time (오후, 午後)
        rf"\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?{m}"
        r"([^\]\-\d:\n]{0,12}?)"  # 5: an AM/PM word after the time, with spaces and marks
        r"\s?(?:\]\s?|-\s)"  # `] ` (iOS) or ` - ` (Android)
        r"(.*)"  # 6: `Name: text`, or a system line's text
    )


HEADER = _header(_M)
"""Groups: bracket, date as written, its separator, AM/PM before, AM/PM after, the rest."""
FAST_HEADER = re.compile(
    r"(\[)?(\d{1,4}([/.\-])\d{1,2}\3\d{1,4}),?\s"  # 1: bracket, 2: the date, 3: separator
    r"\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?\s?[Mm]\.?)?\s?(?:\]\s|-\s)"
    r"(.*)"  # 4: the rest
)
"""The most common headers only, without marks: tried first, as it is about twice as fast.
Groups: bracket, date as written, its separator, the rest."""
DATE_PARTS = re.compile(
    rf"(R|H|令和|平成)?(\d{{1,4}}){_M}[/.\-]\s?{_M}(\d{{1,2}}){_M}[/.\-]\s?{_M}(\d{{1,4}})"
)
"""Era, first, second and last part of a date as HEADER found it."""

HEADER_FIRST_CHARS = frozenset("[RH令平" + INVISIBLE)
"""How a line read by HEADER or LOOKS_LIKE_HEADER starts, unless it starts with a digit."""
# A line that starts like a message header but did not match HEADER: reported, not guessed.
LOOKS_LIKE_HEADER = re.compile(
    rf"{_M}\[?{_M}\d{{1,4}}[/.\-]\s?\d{{1,2}}[/.\-]\s?\d{{1,4}}\S*\s+\S*\d"
)

_AM = ("am", "a", "vorm", "午前", "上午", "오전", "ص", "πμ", "sa", "dp")
_PM = ("pm", "p", "nachm", "午後", "下午", "오후", "م", "μμ", "ch", "ip")


def meridiem(word: str) -> str | None:
    """ "am", "pm" or "" (none written) for an AM/PM word in any spelling; None if unknown."""
    key = "".join(char for char in word.casefold() if char.isalpha())
    if not key:
        return ""
    if key in _AM or key.startswith("am"):
        return "am"
    if key in _PM or key.startswith("pm"):
        return "pm"
    return None


# --- message contents -----------------------------------------------------------------

MEDIA_OMITTED = frozenset(
    text.casefold()
    for text in (
        "<Media omitted>",
        "<Multimedia omitido>",
        "<Multimedia omitidos>",
        "<Mídia oculta>",
        "<Arquivo de mídia oculto>",
        "<Médias omis>",
        "<Medien ausgeschlossen>",
        "<Media omessi>",
        "<Media weggelaten>",
        "<Medya dahil edilmedi>",
        "<Медиафайл отсутствует>",
        "<Без медиафайлов>",
        "<تم استبعاد الوسائط>",
        "<Media tidak disertakan>",
        "<मीडिया के बिना>",
    )
)
# iOS: "‎image omitted", "‎Bild weggelassen", "‎imagen omitida", ...
_IOS_OMITTED = re.compile(
    r"^(?:image|video|audio|sticker|gif|contact card|"
    r"imagen|vídeo|sticker|tarjeta de contacto|"
    r"imagem|figurinha|cartão de contato|"
    r"bild|sticker|kontaktkarte|"
    r"image|vidéo|autocollant|fiche contact|"
    r"immagine|adesivo|scheda contatto|"
    r"صورة|فيديو|ملصق|صوت)\s+"
    r"(?:omitted|omitida|omitido|ocultad[oa]|ocultada|weggelassen|absente|omis|omessa|omesso|"
    r"محذوف|محذوفة|تم استبعاد)$",
    re.IGNORECASE,
)
_DOCUMENT_OMITTED = re.compile(
    r"(?:document omitted|documento omitido|documento ocultado|dokument weggelassen|"
    r"document omis|documento omesso|تم استبعاد المستند)$",
    re.IGNORECASE,
)
_ATTACHED = re.compile(
    r"^<(?:attached|adjunto|anexado|angehängt|pièce jointe|allegato|مرفق): .*>$|"
    r"\((?:file attached|archivo adjunto|arquivo anexado|Datei angehängt|fichier joint|"
    r"file allegato|ملف مرفق)\)$",
    re.IGNORECASE,
)
DOCUMENT_EXTENSIONS = (
    ".pdf",
    ".doc",
    ".docx",
    ".ppt",
    ".pptx",
    ".xls",
    ".xlsx",
    ".odt",
    ".ods",
    ".odp",
    ".csv",
    ".epub",
    ".key",
    ".pages",
    ".numbers",
)
DELETED_TEXTS = (
    "This message was deleted",
    "This message was deleted.",
    "You deleted this message",
    "You deleted this message.",
    "Se eliminó este mensaje.",
    "Se eliminó este mensaje",
    "Eliminaste este mensaje.",
    "Eliminaste este mensaje",
    "Esta mensagem foi apagada",
    "Mensagem apagada",
    "Você apagou esta mensagem",
    "Você apagou esta mensagem.",
    "Ce message a été supprimé",
    "Ce message a été supprimé.",
    "Vous avez supprimé ce message",
    "Vous avez supprimé ce message.",
    "Diese Nachricht wurde gelöscht.",
    "Diese Nachricht wurde gelöscht",
    "Du hast diese Nachricht gelöscht.",
    "Du hast diese Nachricht gelöscht",
    "Questo messaggio è stato eliminato",
    "Hai eliminato questo messaggio",
    "تم حذف هذه الرسالة",
    "لقد حذفت هذه الرسالة",
)
"""'This message was deleted' as phones write it, in several languages."""
DELETED = frozenset(text.casefold() for text in DELETED_TEXTS)

_CLOCK_WORD = r"[ \u00a0\u202f][AaPp]\.?[ \u00a0\u202f]?[Mm]\.?"  # AM, p.m., ...
_SENDER_AND_TEXT = (
    r"([^:\n]{0,40}): "  # 2: a sender without a colon (the first ": " ends it)
    r"(?:(?![<\u200e\u200f]|"
    + "(?=["  # the first letters: most texts fail here, before the list
    + "".join(sorted({re.escape(text[0]) for text in DELETED_TEXTS}))
    + "])(?:"
    + "|".join(map(re.escape, DELETED_TEXTS))
    + r")(?:\n|\Z))"
    r"([^\n]*+)(?<!\))"  # 3: a plain text: no attachment, no deleted message
    r"|([^\n]*))"  # 4: any other text, to be classified
)


def _message_line(date: str, clock: str, closer: str, comma: str = ",?") -> re.Pattern[str]:
    return re.compile(rf"\n(?:({date}){comma} {clock}{closer} " + _SENDER_AND_TEXT + r"|(.*))")


MESSAGE_LINE = _message_line(
    r"\[?(?:\d{1,4}/\d{1,2}/|\d{1,4}\.\d{1,2}\.|\d{1,4}-\d{1,2}-)\d{1,4}",  # 1: [ and date
    rf"\d{{1,2}}:\d\d(?::\d\d|)(?:{_CLOCK_WORD}|)",
    r"(?:\]| -)",
)
"""One match for every line of a block of text in which each line follows a "\n".

The most common message lines give the date with its `[` (iOS), the sender
and the text, each as FAST_HEADER and the first ": " would cut them: they
are a subset of FAST_HEADER's lines, with no marks, the usual clocks and a
sender of up to 40 characters without a colon. A text that `message` would
read as plain text (it does not start with "<" or a mark, does not end
with ")" and is not a deleted message) comes in group 3; any other text, an
attachment, a deleted message or an iOS system line, in group 4. Any other
line gives only itself (group 5), to be read the general way, with
FAST_HEADER, HEADER and LOOKS_LIKE_HEADER.
"""

_SHAPE = re.compile(
    r"\n(\[?)(\d{1,4})([/.\-])\d{1,2}\3(\d{1,4})(,?) \d{1,2}:\d\d(:\d\d)?(" + _CLOCK_WORD + r")?"
    r"(\]| -) [^:\n]{0,40}: "
)


class Shape(NamedTuple):
    """How one phone writes the header of a message line."""

    bracket: str  # "[" on iOS
    first_digits: int  # of the date's first part: 4 when the year comes first
    separator: str
    last_digits: int
    comma: str
    seconds: bool
    clock_word: str  # " PM", "\u202fp.m.", or "" for a 24-hour clock
    closer: str  # "]" on iOS, " -" on Android


def message_line_for(block: str) -> re.Pattern[str] | None:
    """MESSAGE_LINE for the header shape of the first common message line of `block`, if any.

    A file is written by one phone, so its lines share one shape: one date
    separator, 2- or 4-digit years, seconds or not, one spelling of AM/PM or
    none, iOS or Android. The pattern for that shape alone runs about a
    fifth faster. It matches a subset of MESSAGE_LINE's message lines, with
    the same groups; a line of another shape falls to group 5 and is read
    the general way, so the counts are the same whichever pattern reads a
    block.
    """
    found = _SHAPE.search(block)
    if found is None:
        return None
    bracket, first, separator, last, comma, seconds, clock_word, closer = found.groups()
    shape = Shape(
        bracket, len(first), separator, len(last), comma, bool(seconds), clock_word or "", closer
    )
    return _shaped(shape)


@lru_cache(maxsize=32)
def _shaped(shape: Shape) -> re.Pattern[str]:
    between = re.escape(shape.separator)
    return _message_line(
        re.escape(shape.bracket)
        + _digits(shape.first_digits)
        + rf"{between}\d{{1,2}}{between}"
        + _digits(shape.last_digits),
        r"\d{1,2}:\d\d" + (r":\d\d" if shape.seconds else "") + _clock_word_like(shape.clock_word),
        re.escape(shape.closer),
        comma=re.escape(shape.comma),
    )


def _digits(count: int) -> str:
    """Days and months have 1 or 2 digits; a part of 3 or 4 is a year, always written so."""
    return r"\d{1,2}" if count <= 2 else rf"\d{{{count}}}"


def _clock_word_like(word: str) -> str:
    """`word` as written, with either of A and P in the case it has (" PM" gives " [AP]M")."""
    if not word:
        return ""
    letter = next(index for index, char in enumerate(word) if char in "AaPp")
    either = "[AP]" if word[letter].isupper() else "[ap]"
    return re.escape(word[:letter]) + either + re.escape(word[letter + 1 :])


def attachment_kind(text: str) -> str:
    """ "media", "document" or "" for a message text whose marks are already stripped."""
    folded = text.casefold()
    if folded in MEDIA_OMITTED:
        return "media"
    if _DOCUMENT_OMITTED.search(text):
        return "document"
    if _IOS_OMITTED.match(text):
        return "media"
    if _ATTACHED.search(text):
        name = text.rsplit("(", 1)[0].rstrip(" >").casefold()
        return "document" if name.endswith(DOCUMENT_EXTENSIONS) else "media"
    return ""


def is_deleted(text: str) -> bool:
    """True for "This message was deleted" and its translations."""
    return text.casefold() in DELETED


# --- system lines ------------------------------------------------------------------------


def _after_first(start: str, end: str) -> str:
    """`start.*end` anywhere in a line, in one pass over it.

    Searched as it is, `start.*end` scans to the end of the line from every
    place `start` is written: a line of thousands of them took seconds. If
    `end` follows any `start`, it follows the first, so only the first is tried.
    """
    return rf"|\A(?>.*?{re.escape(start)}).*{re.escape(end)}"


# A whole-line pattern whose name and target are both open (`N hat T entfernt`)
# first checks the line's end, so that each " hat " is not tried against the whole line.
_N = r"(?P<actor>.+?)"
_T = r"(?P<target>.+?)"
_SYSTEM_SOURCES: tuple[tuple[str, str], ...] = (
    (
        "encryption",
        r"(?:end-to-end encrypted|cifrado de extremo a extremo|"
        r"criptografia de ponta a ponta|chiffrés de bout en bout|Ende-zu-Ende-verschlüsselt|"
        r"crittografia end-to-end|مشفرة تمامًا|مشفّرة|uçtan uca şifreli)",
    ),
    (
        "joined_by_link",
        r"^" + _N + r" (?:joined using this group's invite link|"
        r"joined using an invite link|se unió usando el enlace de invitación de este grupo|"
        r"se unió con el enlace de invitación|entrou usando o link de convite deste grupo|"
        r"entrou usando o link de convite|a rejoint ce groupe via le lien d'invitation|"
        r"a rejoint le groupe via un lien d'invitation|"
        r"ist dieser Gruppe über den Einladungslink beigetreten|"
        r"ist über den Einladungslink beigetreten|"
        r"si è unito/a tramite il link d'invito|انضم باستخدام رابط الدعوة)\.?$",
    ),
    (
        "joined",
        r"^" + _N + r" (?:joined|se unió|entrou|a rejoint le groupe|"
        r"ist beigetreten|si è unito/a|انضم)\.?$",
    ),
    (
        "created",
        r"(?:created group|created this group|creó el grupo|criou o grupo|"
        r"a créé le groupe|hat die Gruppe erstellt|"
        r"ha creato il gruppo|أنشأ المجموعة|أنشأت المجموعة)"
        + _after_first("hat die Gruppe ", " erstellt"),
    ),
    (
        "added",
        r"^" + _N + r" (?:added|añadió a|agregó a|adicionou|a ajouté|ha aggiunto|"
        r"أضاف) " + _T + r"\.?$",
    ),
    ("added", r"^(?=.* hinzugefügt\.?$)" + _N + r" hat " + _T + r" hinzugefügt\.?$"),
    (
        "added",
        r"^(?P<actor>You|Du|Vous|Você|Tú) (?:added|hast|avez ajouté|adicionou|"
        r"añadiste a) " + _T + r"(?: hinzugefügt)?\.?$",
    ),
    ("added", r"^(?P<actor>)(?:Añadiste a|Agregaste a) " + _T + r"\.?$"),
    (
        "removed",
        r"^" + _N + r" (?:removed|eliminó a|removeu|a retiré|ha rimosso|أزال) " + _T + r"\.?$",
    ),
    ("removed", r"^(?=.* entfernt\.?$)" + _N + r" hat " + _T + r" entfernt\.?$"),
    (
        "left",
        r"^" + _N + r" (?:left|salió|saiu|est parti\(e\)|est parti|a quitté|"
        r"hat die Gruppe verlassen|ha abbandonato|غادر|غادرت)\.?$",
    ),
    (
        "subject",
        r"(?:changed the subject|changed the group name|cambió el asunto|"
        r"cambió el nombre|mudou o assunto|mudou o nome|a modifié le sujet|a changé le sujet|"
        r"hat den Betreff|ha cambiato l'oggetto|غيّر اسم المجموعة|غير الموضوع)",
    ),
    (
        "icon",
        r"(?:changed this group's icon|changed the group icon|deleted this group's icon|"
        r"cambió el ícono|cambió la imagen|mudou a imagem|a changé l'icône|"
        r"a modifié l'icône|hat das Gruppenbild|ha cambiato l'immagine|غيّر صورة المجموعة)",
    ),
    (
        "description",
        r"(?:changed the group description|deleted the group description|"
        r"cambió la descripción|mudou a descrição|a modifié la description|"
        r"hat die Gruppenbeschreibung|ha cambiato la descrizione|غيّر وصف المجموعة)",
    ),
    (
        "settings",
        r"(?:changed (?:this group's|the group) settings|changed the settings|"
        r"cambió la configuración|mudou as configurações|a modifié les paramètres|"
        r"hat die Gruppeneinstellungen|ha modificato le impostazioni)",
    ),
    (
        "security_code",
        r"(?:security code changed|código de seguridad|"
        r"código de segurança|code de sécurité|Sicherheitsnummer|codice di sicurezza|"
        r"رمز الأمان)" + _after_first("security code with ", " changed"),
    ),
    (
        "number_changed",
        r"(?:changed (?:their|his|her) phone number|changed to \+?\d|"
        r"changed their number|cambió su número|mudou seu número|a changé de numéro|"
        r"hat (?:seine|ihre) Telefonnummer|ha cambiato il suo numero|غيّر رقم هاتفه)",
    ),
    (
        "admin",
        r"(?:now an admin|no longer an admin|ahora es admin|agora é admin|"
        r"est maintenant admin|ist jetzt Admin|ora è amministratore)",
    ),
    (
        "disappearing",
        r"(?:disappearing messages|mensajes temporales|mensagens temporárias|"
        r"messages éphémères|selbstlöschende Nachrichten|messaggi effimeri)",
    ),
    ("pinned", r"(?:pinned a message|fijó un mensaje|fixou uma mensagem|a épinglé)"),
    (
        "community",
        r"(?:this group was added to the community|added this group to the community|"
        r"community)",
    ),
)

# The patterns of a whole line ("Ana added Bob", "Ana left") come first: they
# fail fast, at the spaces of a line, while a phrase to find anywhere in the line
# ("end-to-end encrypted") is tried at every character. Tried in the other order
# a line such as "Ana added Bob" cost more than twice as much. No line matches both
# kinds, short of a name or a subject that holds one of the phrases.
SYSTEM_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in sorted(_SYSTEM_SOURCES, key=lambda source: not source[1].startswith("^"))
)


def system_event(text: str) -> tuple[str, str, str]:
    """(kind, actor, target) of a system line's text (marks stripped); kind "" if unknown.

    "added" may name several people ("Ana, Bob and Chen"); `split_names` separates them.
    """
    if len(text) > _CACHED_UP_TO:  # a huge line would make the cache huge too
        return _system_event(text)
    return _cached_system_event(text)


_CACHED_UP_TO = 1_000  # characters: a real system line is shorter, bar long lists of names


@lru_cache(maxsize=4096)  # the same joins and leaves come back; the size keeps memory flat
def _cached_system_event(text: str) -> tuple[str, str, str]:
    return _system_event(text)


def _system_event(text: str) -> tuple[str, str, str]:
    for kind, pattern in SYSTEM_PATTERNS:
        match = pattern.search(text)
        if match:
            found = match.groupdict()
            actor, target = found.get("actor") or "", found.get("target") or ""
            return kind, actor.strip(_SPACES), target.strip(_SPACES)
    return "", "", ""


_NAME_LIST = re.compile(r",\s*|\s+(?:and|y|e|et|und|و)\s+")


def split_names(text: str) -> list[str]:
    """`Ana, Bob and Chen` as three names."""
    return [name.strip() for name in _NAME_LIST.split(text) if name.strip()]
