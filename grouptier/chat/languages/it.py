# ruff: noqa: E501 - WhatsApp's wordings, quoted whole in their own scripts
"""Italian: Android and iOS (sources: tests/data/chats/README.md).

Each kind lists the wordings seen in exports first, then WhatsApp's own strings
(its Android strings.xml and iOS Localizable.strings) for the lines no export
we had showed.
"""

from grouptier.chat.languages import Language

LANGUAGE = Language(
    code="it",
    name="Italiano",
    system={
        "created": (
            "{actor} ha creato il gruppo {any}",
            "{actor} ha creato questo gruppo",
            "Hai creato il gruppo {any}",
            "Hai creato questo gruppo",
        ),
        "added": (
            "{actor} ha aggiunto {target}",
            "Hai aggiunto {target}",
            "{actor} ti ha aggiunto",
        ),
        "you_were_added": (
            "Sei stato aggiunto",
            "Sei stata aggiunta",
            "Ora fai parte del gruppo",
        ),
        "joined_by_link": (
            "{actor} si è unito/a tramite il link d'invito",
            "{actor} si è unito tramite il link di invito",
            "{actor} è entrato usando il link di invito di questo gruppo",
            '"{actor} è entrato usando il link d\'invito al gruppo"',
            '"Sei entrato usando il link d\'invito al gruppo"',
            "{actor} ha usato il link d'invito per entrare nel gruppo",
            "Hai usato il link d'invito per entrare nel gruppo",
        ),
        "joined": ("{actor} si è unito/a",),
        "left": (
            "{actor} ha abbandonato",
            "{actor} ha abbandonato il gruppo",
            "Hai abbandonato",
        ),
        "removed": (
            "{actor} ha rimosso {target}",
            "Hai rimosso {target}",
            "{actor} ti ha rimosso",
        ),
        "subject": (
            "{actor} ha cambiato l'oggetto{any}",
            "{actor} ha modificato l'oggetto{any}",
            "\"{actor} ha cambiato l'oggetto in {any}",
            "\"Hai cambiato l'oggetto in {any}",
            "{actor} ha cambiato l'oggetto in {any}",
            "Hai cambiato l'oggetto in {any}",
        ),
        "icon": (
            "{actor} ha cambiato l'immagine{any}",
            '"{actor} ha cambiato l\'immagine del gruppo"',
            '"Hai cambiato l\'immagine del gruppo"',
            '"{actor} ha eliminato l\'immagine del gruppo"',
            '"Hai eliminato l\'immagine del gruppo"',
            "{actor} ha cambiato l'immagine di questo gruppo",
            "Hai cambiato l'immagine del gruppo",
        ),
        "description": (
            "{actor} ha cambiato la descrizione{any}",
            "{actor} ha cambiato la descrizione del gruppo",
            "Hai cambiato la descrizione del gruppo",
            "{actor} ha eliminato la descrizione del gruppo",
            "Hai eliminato la descrizione del gruppo",
        ),
        "settings": (
            "{actor} ha modificato le impostazioni{any}",
            "{actor} ha reimpostato il link d'invito al gruppo{any}",
        ),
        "encryption": (
            "{any}crittografia end-to-end{any}",
            "{any}crittografati end-to-end{any}",
            "I messaggi inviati a questo gruppo sono protetti con la crittografia end-to-end{any}",
            "I messaggi inviati a questo gruppo sono ora protetti con la crittografia end-to-end{any}",
            "I messaggi inviati a questa chat sono ora protetti con la crittografia end-to-end{any}",
            "I messaggi e le chiamate sono crittografati end-to-end{any}",
        ),
        "security_code": (
            "{any}codice di sicurezza{any}",
            "Il codice sicurezza di {actor} è cambiato{any}",
            "Il tuo codice di sicurezza con {actor} è cambiato{any}",
        ),
        "number_changed": (
            "{actor} ha cambiato il suo numero{any}",
            "{actor} ha cambiato numero{any}",
        ),
        "admin": (
            "{any}ora è amministratore{any}",
            "Ora sei un amministratore",
        ),
        "disappearing": (
            "{any}messaggi effimeri{any}",
            "{actor} ha attivato i messaggi effimeri{any}",
            "{actor} ha disattivato i messaggi effimeri{any}",
            "{actor} ha aggiornato il timer messaggi{any}",
            "Hai aggiornato il timer messaggi{any}",
            "Hai attivato i messaggi effimeri{any}",
            "Hai disattivato i messaggi effimeri{any}",
        ),
        # WhatsApp's strings (Android, iOS): a call written as the caller's message
        "call": (
            "Chiamata vocale persa",
            "Chiamata vocale di gruppo persa",
            "Videochiamata persa",
            "Videochiamata di gruppo persa",
        ),
    },
    media=("<Media omessi>", "<Media omesso>"),
    ios_media=(
        "immagine omessa",
        "video omesso",
        "audio omesso",
        "sticker omesso",
        "adesivo omesso",
        "GIF omessa",
        "scheda contatto omessa",
        "sticker non incluso",
        "GIF esclusa",
    ),
    documents=("documento omesso",),
    attached=("file allegato",),
    ios_attached=("allegato",),
    deleted=("Questo messaggio è stato eliminato", "Hai eliminato questo messaggio"),
    conjunctions=("e",),
)
