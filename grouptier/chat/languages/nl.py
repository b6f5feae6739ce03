"""Dutch: Android and iOS (sources: tests/data/chats/README.md)."""

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
        ),
        "added": ("{actor} heeft {target} toegevoegd", "Je hebt {target} toegevoegd"),
        "you_were_added": ("Je bent toegevoegd",),
        "joined_by_link": (
            "{actor} neemt deel via de uitnodigingslink van deze groep",
            "{actor} is toegetreden via de uitnodigingslink",
            "{actor} heeft deelgenomen via uitnodigingslink",
        ),
        "left": ("{actor} heeft de groep verlaten", "Je hebt de groep verlaten"),
        "removed": ("{actor} heeft {target} verwijderd", "Je hebt {target} verwijderd"),
        "subject": (
            "{actor} heeft het onderwerp{any}",
            "{actor} heeft de groepsnaam{any}",
            "Je hebt het onderwerp{any}",
        ),
        "icon": (
            "{actor} heeft de groepsafbeelding{any}",
            "{actor} heeft de groepsafbeelding verwijderd",
            "{actor} heeft de groepsfoto{any}",
            "{actor} heeft het groepspictogram{any}",
        ),
        "description": (
            "{actor} heeft de groepsbeschrijving{any}",
            "{actor} heeft de groepsbeschrijving verwijderd",
        ),
        "settings": ("{actor} heeft de groepsinstellingen{any}",),
        "encryption": ("{any}end-to-end versleuteld{any}", "{any}end-to-end-encryptie{any}"),
        "security_code": ("{any}beveiligingscode{any}",),
        "disappearing": ("{any}verdwijnende berichten{any}",),
    },
    media=("<Media weggelaten>",),
    ios_media=(
        "afbeelding weggelaten",
        "video weggelaten",
        "audio weggelaten",
        "sticker weggelaten",
        "GIF weggelaten",
    ),
    documents=("document weggelaten",),
    attached=("bestand bijgevoegd",),
    ios_attached=("bijgevoegd",),
    deleted=("Dit bericht is verwijderd", "Je hebt dit bericht verwijderd"),
    conjunctions=("en",),
)
