# ruff: noqa: E501 - WhatsApp's wordings, quoted whole in their own scripts
"""German: Android and iOS (sources: tests/data/chats/README.md).

"Du hast ..." is the exporting phone's own action: every such line has its
own template with its verb (hinzugefügt, entfernt, erstellt, ...), so a
removal or a new subject is never read as an add.

Each kind lists the wordings seen in exports first, then WhatsApp's own strings
(its Android strings.xml and iOS Localizable.strings) for the lines no export
we had showed.
"""

from grouptier.chat.languages import Language

LANGUAGE = Language(
    code="de",
    name="Deutsch",
    system={
        "created": (
            "{actor} hat die Gruppe {any} erstellt",
            "{actor} hat die Gruppe erstellt",
            "{actor} hat diese Gruppe erstellt",
            "Du hast die Gruppe {any} erstellt",
            "Du hast die Gruppe erstellt",
            "Du hast diese Gruppe erstellt",
        ),
        "added": (
            "{actor} hat {target} hinzugefügt",
            "Du hast {target} hinzugefügt",
            "{actor} hat dich hinzugefügt",
        ),
        "you_were_added": ("Du wurdest hinzugefügt",),
        "joined_by_link": (
            "{actor} ist dieser Gruppe über den Einladungslink beigetreten",
            "{actor} ist über den Einladungslink beigetreten",
            "{actor} ist über einen Einladungslink beigetreten",
            "{actor} ist dieser Gruppe mit dem Einladungslink beigetreten",
            "Du bist dieser Gruppe mit dem Einladungslink beigetreten",
            "{actor} ist der Gruppe mit dem Einladungslink beigetreten",
            "Du bist der Gruppe mit dem Einladungslink beigetreten",
        ),
        "joined": ("{actor} ist beigetreten",),
        "left": (
            "{actor} hat die Gruppe verlassen",
            "Du hast die Gruppe verlassen",
        ),
        "removed": (
            "{actor} hat {target} entfernt",
            "Du hast {target} entfernt",
            "{actor} hat dich entfernt",
        ),
        "subject": (
            "{actor} hat den Betreff{any}",
            "Du hast den Betreff{any}",
            "{actor} hat den Gruppennamen{any}",
            "Du hast den Gruppennamen{any}",
            "{actor} hat den Betreff zu {any} geändert",
            "Du hast den Betreff zu {any} geändert",
        ),
        "icon": (
            "{actor} hat das Gruppenbild{any}",
            "Du hast das Gruppenbild{any}",
            "{actor} hat das Gruppenbild geändert",
            "Du hast das Gruppenbild geändert",
            "{actor} hat das Gruppenbild gelöscht",
            "Du hast das Gruppenbild gelöscht",
        ),
        "description": (
            "{actor} hat die Gruppenbeschreibung{any}",
            "Du hast die Gruppenbeschreibung{any}",
            "{actor} hat die Gruppenbeschreibung geändert",
            "Du hast die Gruppenbeschreibung geändert",
            "{actor} hat die Gruppenbeschreibung gelöscht",
            "Du hast die Gruppenbeschreibung gelöscht",
        ),
        "settings": (
            "{actor} hat die Gruppeneinstellungen{any}",
            "Du hast die Gruppeneinstellungen{any}",
            "{actor} hat diesen Gruppen-Einladungslink zurückgesetzt{any}",
        ),
        "encryption": (
            "{any}Ende-zu-Ende-verschlüsselt{any}",
            "{any}Ende-zu-Ende-Verschlüsselung{any}",
            "Nachrichten an diese Gruppe sind mit Ende-zu-Ende-Verschlüsselung geschützt{any}",
            "Nachrichten an diese Gruppe sind jetzt mit Ende-zu-Ende-Verschlüsselung geschützt{any}",
            "Nachrichten in diesem Chat sowie Anrufe sind jetzt mit Ende-zu-Ende-Verschlüsselung geschützt{any}",
            "Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt{any}",
        ),
        "security_code": (
            "{any}Sicherheitsnummer{any}",
            "{any}Sicherheitscode{any}",
            "Die Sicherheitsnummer von {actor} hat sich geändert{any}",
            "Deine Sicherheitsnummer für {actor} hat sich geändert{any}",
        ),
        "number_changed": (
            "{actor} hat seine Telefonnummer{any}",
            "{actor} hat ihre Telefonnummer{any}",
            "{actor} hat die Telefonnummer geändert{any}",
        ),
        "admin": (
            "{any}ist jetzt Admin{any}",
            "Du bist jetzt ein Admin",
            "Du bist jetzt ein*e Admin",
        ),
        "disappearing": (
            "{any}selbstlöschende Nachrichten{any}",
            "{any}verschwindende Nachrichten{any}",
            "{actor} hat selbstlöschende Nachrichten aktiviert{any}",
            "{actor} hat selbstlöschende Nachrichten deaktiviert{any}",
            "{actor} hat die Nachrichtendauer aktualisiert{any}",
            "Du hast die Nachrichtendauer aktualisiert{any}",
            "Du hast selbstlöschende Nachrichten aktiviert{any}",
            "Du hast selbstlöschende Nachrichten deaktiviert{any}",
        ),
        # WhatsApp's strings (Android, iOS): a call written as the caller's message
        "call": (
            "Verpasster Sprachanruf",
            "Verpasster Gruppen-Sprachanruf",
            "Verpasster Videoanruf",
            "Verpasster Gruppen-Videoanruf",
        ),
    },
    media=("<Medien ausgeschlossen>", "<Medien weggelassen>"),
    ios_media=(
        "Bild weggelassen",
        "Video weggelassen",
        "Audio weggelassen",
        "Sticker weggelassen",
        "GIF weggelassen",
        "Kontaktkarte weggelassen",
        "Kontaktkarte ausgelassen",
    ),
    documents=("Dokument weggelassen",),
    attached=("Datei angehängt",),
    ios_attached=("angehängt", "Anhang"),
    deleted=("Diese Nachricht wurde gelöscht", "Du hast diese Nachricht gelöscht"),
    conjunctions=("und",),
)
