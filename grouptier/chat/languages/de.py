"""German: Android and iOS (sources: tests/data/chats/README.md).

"Du hast ..." is the exporting phone's own action: every such line has its
own template with its verb (hinzugefügt, entfernt, erstellt, ...), so a
removal or a new subject is never read as an add.
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
        ),
        "you_were_added": ("Du wurdest hinzugefügt",),
        "joined_by_link": (
            "{actor} ist dieser Gruppe über den Einladungslink beigetreten",
            "{actor} ist über den Einladungslink beigetreten",
            "{actor} ist über einen Einladungslink beigetreten",
        ),
        "joined": ("{actor} ist beigetreten",),
        "left": ("{actor} hat die Gruppe verlassen", "Du hast die Gruppe verlassen"),
        "removed": ("{actor} hat {target} entfernt", "Du hast {target} entfernt"),
        "subject": (
            "{actor} hat den Betreff{any}",
            "Du hast den Betreff{any}",
            "{actor} hat den Gruppennamen{any}",
            "Du hast den Gruppennamen{any}",
        ),
        "icon": (
            "{actor} hat das Gruppenbild{any}",
            "Du hast das Gruppenbild{any}",
        ),
        "description": (
            "{actor} hat die Gruppenbeschreibung{any}",
            "Du hast die Gruppenbeschreibung{any}",
        ),
        "settings": (
            "{actor} hat die Gruppeneinstellungen{any}",
            "Du hast die Gruppeneinstellungen{any}",
        ),
        "encryption": (
            "{any}Ende-zu-Ende-verschlüsselt{any}",
            "{any}Ende-zu-Ende-Verschlüsselung{any}",
        ),
        "security_code": ("{any}Sicherheitsnummer{any}", "{any}Sicherheitscode{any}"),
        "number_changed": (
            "{actor} hat seine Telefonnummer{any}",
            "{actor} hat ihre Telefonnummer{any}",
        ),
        "admin": ("{any}ist jetzt Admin{any}",),
        "disappearing": (
            "{any}selbstlöschende Nachrichten{any}",
            "{any}verschwindende Nachrichten{any}",
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
    ),
    documents=("Dokument weggelassen",),
    attached=("Datei angehängt",),
    ios_attached=("angehängt",),
    deleted=("Diese Nachricht wurde gelöscht", "Du hast diese Nachricht gelöscht"),
    conjunctions=("und",),
)
