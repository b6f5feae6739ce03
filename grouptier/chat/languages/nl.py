"""Dutch: Android and iOS (sources: tests/data/chats/README.md).

Each kind lists the wordings seen in exports first, then WhatsApp's own strings
(its Android strings.xml and iOS Localizable.strings) for the lines no export
we had showed.
"""

from grouptier.chat.languages import Language

LANGUAGE = Language(
    code="nl",
    name="Nederlands",
    system={
        "created": (
            "{actor} heeft groep {any} aangemaakt",
            "{actor} heeft de groep aangemaakt",
            "{actor} heeft deze groep aangemaakt",
            "{actor} heeft groep {any} gemaakt",
            "\"{actor} heeft de groep '{any}' aangemaakt\"",
            "\"U hebt de groep '{any}' gemaakt\"",
            "{actor} heeft de groep {any} gemaakt",
            "U hebt de groep {any} gemaakt",
            "U hebt deze groep aangemaakt",
        ),
        "added": (
            "{actor} heeft {target} toegevoegd",
            "Je hebt {target} toegevoegd",
            "U hebt {target} toegevoegd",
            "{actor} heeft u toegevoegd",
        ),
        "you_were_added": (
            "Je bent toegevoegd",
            "U bent toegevoegd",
        ),
        "joined_by_link": (
            "{actor} neemt deel via de uitnodigingslink van deze groep",
            "{actor} is toegetreden via de uitnodigingslink",
            "{actor} heeft deelgenomen via uitnodigingslink",
            "{actor} is deelnemer geworden via de uitnodigingslink van deze groep",
            "U bent deelnemer geworden via de uitnodigingslink van deze groep",
        ),
        "left": (
            "{actor} heeft de groep verlaten",
            "Je hebt de groep verlaten",
            "U hebt de groep verlaten",
        ),
        "removed": (
            "{actor} heeft {target} verwijderd",
            "Je hebt {target} verwijderd",
            "U hebt {target} verwijderd",
            "{actor} heeft u verwijderd",
        ),
        "subject": (
            "{actor} heeft het onderwerp{any}",
            "{actor} heeft de groepsnaam{any}",
            "Je hebt het onderwerp{any}",
            "\"{actor} heeft het onderwerp gewijzigd naar '{any}'\"",
            "\"U hebt het onderwerp gewijzigd naar '{any}'\"",
            "{actor} heeft het onderwerp gewijzigd naar {any}",
            "U hebt het onderwerp gewijzigd naar {any}",
        ),
        "icon": (
            "{actor} heeft de groepsafbeelding{any}",
            "{actor} heeft de groepsafbeelding verwijderd",
            "{actor} heeft de groepsfoto{any}",
            "{actor} heeft het groepspictogram{any}",
            "{actor} heeft de groepsafbeelding gewijzigd",
            "U hebt de groepsafbeelding gewijzigd",
            "U hebt de groepsafbeelding verwijderd",
        ),
        "description": (
            "{actor} heeft de groepsbeschrijving{any}",
            "{actor} heeft de groepsbeschrijving verwijderd",
            "{actor} heeft het groepsonderwerp gewijzigd",
            "U hebt het groepsonderwerp gewijzigd",
            "{actor} heeft de groepsomschrijving verwijderd",
            "U hebt de groepsomschrijving verwijderd",
        ),
        "settings": (
            "{actor} heeft de groepsinstellingen{any}",
            "{actor} heeft de uitnodigingslink van deze groep opnieuw ingesteld{any}",
        ),
        "encryption": (
            "{any}end-to-end versleuteld{any}",
            "{any}end-to-end-encryptie{any}",
            "Berichten die naar deze groep worden verzonden{any}",
            "Berichten en oproepen in deze chat zijn nu beveiligd met end-to-end encryptie{any}",
            "Berichten en gesprekken worden end-to-end versleuteld{any}",
        ),
        "security_code": (
            "{any}beveiligingscode{any}",
            "\"{actor}'s beveiligingscode is gewijzigd{any}",
            "Uw beveiligingscode voor {actor} is gewijzigd{any}",
        ),
        "disappearing": (
            "{any}verdwijnende berichten{any}",
            "{actor} heeft berichten met vervaldatum uitgeschakeld{any}",
            "{actor} heeft de timer voor berichten bijgewerkt{any}",
            "U hebt de timer voor berichten bijgewerkt{any}",
            "U hebt berichten met vervaldatum ingeschakeld{any}",
            "U hebt berichten met vervaldatum uitgeschakeld{any}",
        ),
        "admin": (
            "U bent nu beheerder",
            "U bent nu een beheerder",
        ),
        "number_changed": ("{actor} heeft een nieuw telefoonnummer{any}",),
        # WhatsApp's strings (Android, iOS): a call written as the caller's message
        "call": (
            "Gemist spraakgesprek",
            "Gemist groepsgesprek",
            "Gemist videogesprek",
            "Gemist groepsvideogesprek",
            "Gemiste video-oproep",
            "Gemiste spraakoproep",
        ),
    },
    media=("<Media weggelaten>",),
    ios_media=(
        "afbeelding weggelaten",
        "video weggelaten",
        "audio weggelaten",
        "sticker weggelaten",
        "GIF weggelaten",
        "Visitekaartje weggelaten",
    ),
    documents=("document weggelaten",),
    attached=("bestand bijgevoegd",),
    ios_attached=("bijgevoegd",),
    deleted=(
        "Dit bericht is verwijderd",
        "Je hebt dit bericht verwijderd",
        "U hebt dit bericht verwijderd",
    ),
    conjunctions=("en",),
)
