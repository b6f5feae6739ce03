"""Italian: Android and iOS (sources: tests/data/chats/README.md)."""

from grouptier.chat.languages import Language

LANGUAGE = Language(
    code="it",
    name="Italiano",
    system={
        "created": ("{actor} ha creato il gruppo {any}", "{actor} ha creato questo gruppo"),
        "added": ("{actor} ha aggiunto {target}", "Hai aggiunto {target}"),
        "you_were_added": ("Sei stato aggiunto", "Sei stata aggiunta"),
        "joined_by_link": (
            "{actor} si è unito/a tramite il link d'invito",
            "{actor} si è unito tramite il link di invito",
            "{actor} è entrato usando il link di invito di questo gruppo",
        ),
        "joined": ("{actor} si è unito/a",),
        "left": ("{actor} ha abbandonato", "{actor} ha abbandonato il gruppo", "Hai abbandonato"),
        "removed": ("{actor} ha rimosso {target}", "Hai rimosso {target}"),
        "subject": ("{actor} ha cambiato l'oggetto{any}", "{actor} ha modificato l'oggetto{any}"),
        "icon": ("{actor} ha cambiato l'immagine{any}",),
        "description": ("{actor} ha cambiato la descrizione{any}",),
        "settings": ("{actor} ha modificato le impostazioni{any}",),
        "encryption": ("{any}crittografia end-to-end{any}", "{any}crittografati end-to-end{any}"),
        "security_code": ("{any}codice di sicurezza{any}",),
        "number_changed": ("{actor} ha cambiato il suo numero{any}",),
        "admin": ("{any}ora è amministratore{any}",),
        "disappearing": ("{any}messaggi effimeri{any}",),
    },
    media=("<Media omessi>",),
    ios_media=(
        "immagine omessa",
        "video omesso",
        "audio omesso",
        "sticker omesso",
        "adesivo omesso",
        "GIF omessa",
        "scheda contatto omessa",
    ),
    documents=("documento omesso",),
    attached=("file allegato",),
    ios_attached=("allegato",),
    deleted=("Questo messaggio è stato eliminato", "Hai eliminato questo messaggio"),
    conjunctions=("e",),
)
