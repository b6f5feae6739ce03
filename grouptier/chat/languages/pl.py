# ruff: noqa: E501 - WhatsApp's wordings, quoted whole in their own scripts
"""Polish (pl): Android and iOS.

WhatsApp's own wording, from its Android strings.xml and iOS Localizable.strings
(sources: tests/data/chats/README.md).
"""

from grouptier.chat.languages import Language

LANGUAGE = Language(
    code="pl",
    name="Polski",
    system={
        "created": (
            "{actor} utworzył(a) grupę {any}",
            "Utworzyłeś(aś) grupę {any}",
            "{actor} utworzył(a) tę grupę",
            "Utworzyłeś(-aś) grupę {any}",
            "Utworzyłeś(-aś) tę grupę",
        ),
        "added": (
            "{actor} dodał(a) {target}",
            "Dodałeś(aś) {target}",
            "{actor} dodał(a) Cię",
            "{actor} dodał(a) użytkowników {target}",
            "Dodałeś(-aś): {target}",
        ),
        "you_were_added": (
            "Zostałeś(aś) dodany(a)",
            "Dodano Cię",
        ),
        "joined_by_link": (
            "{actor} dołączył(a) do grupy używając linku z zaproszeniem",
            "Dołączyłeś(aś) używając linku z zaproszeniem do grupy",
            "{actor} dołączył(a) do grupy, używając linku z zaproszeniem",
            "Dołączyłeś(-aś) do grupy, używając linku z zaproszeniem",
        ),
        # export; "Dodano: Ana" ("added: Ana") beside it names nobody who added her
        "joined": ("{actor} dołączył(a) ze społeczności", "Dodano: {actor}"),
        "left": (
            "{actor} opuścił(a)",
            "Opuściłeś(aś)",
            "{actor} opuścił(a) grupę",
        ),
        "removed": (
            "{actor} usunął(ęła) {target}",
            "Usunąłeś(ęłaś) {target}",
            "{actor} usunął(ęła) Cię",
            "{actor} usunął(-ęła) {target}",
            "Usunąłeś(-ęłaś): {target}",
            "{actor} usunął(-ęła) Cię",
        ),
        "subject": (
            "{actor} zmienił(a) temat na {any}",
            "Zmieniłeś(aś) temat na {any}",
            "Zmieniłeś(-aś) temat na {any}",
        ),
        "icon": (
            "{actor} zmienił(a) ikonę tej grupy",
            "Zmieniłeś(aś) ikonę tej grupy",
            "{actor} usunął(ęła) ikonę tej grupy",
            "Usunąłeś(ęłaś) ikonę tej grupy",
            "Zmieniłeś(-aś) ikonę grupy",
        ),
        "description": (
            "{actor} zmienił(a) opis grupy",
            "Zmieniłeś(aś) opis grupy",
            "Zmieniono opis grupy",
            "{actor} usunął(-ęła) opis grupy",
            "Usunąłeś(-ęłaś) opis grupy",
        ),
        "admin": (
            "Jesteś teraz administratorem",
            "Jesteś teraz administratorem grupy",
        ),
        "encryption": (
            "Wiadomości do tej grupy są zabezpieczone przez pełne szyfrowanie{any}",
            "Wiadomości do tej grupy są teraz zabezpieczone przez pełne szyfrowanie{any}",
            "Wiadomości oraz połączenia w tym czacie są teraz zabezpieczone przez pełne szyfrowanie{any}",
            "Wiadomości i połączenia są w pełni zaszyfrowane{any}",
        ),
        "security_code": (
            "Kod zabezpieczenia {actor} uległ zmianie{any}",
            "Twój kod zabezpieczeń z użytkownikiem {actor} zmienił się{any}",
        ),
        "number_changed": ("{actor} zmienił(a) numer telefonu{any}",),
        "disappearing": (
            "{actor} włączył(a) znikające wiadomości{any}",
            "{actor} wyłączył(a) znikające wiadomości{any}",
            "{actor} uaktualnił(a) czas do zniknięcia wiadomości{any}",
            "Uaktualniłeś(-aś) czas do zniknięcia wiadomości{any}",
            "Włączyłeś(-aś) znikające wiadomości{any}",
            "Wyłączyłeś(-aś) znikające wiadomości{any}",
        ),
        "settings": ("{actor} zresetował(a) link z zaproszeniem do grupy{any}",),
        # WhatsApp's strings (Android, iOS): a call written as the caller's message
        "call": (
            "Nieodebrane poł. głosowe",
            "Nieodebrane grup. poł. głosowe",
            "Nieodebrane poł. wideo",
            "Nieodebrane grupowe poł. wideo",
            "Nieodebrane połączenie",
        ),
    },
    media=("<pliki pominięto>", "<pominięto multimedia>"),
    ios_media=(
        "obraz pominięty",
        "wideo pominięte",
        "audio pominięte",
        "pominięto naklejkę",
        "Plik GIF pominięty",
        "Pominięta wizytówka kontaktu",
    ),
    documents=("dokument pominięty",),
    attached=("załączony plik",),
    ios_attached=("załączono",),
    deleted=(
        "Ta wiadomość została usunięta",
        "Usunąłeś(aś) tę wiadomość",
        "Usunąłeś(-ęłaś) tę wiadomość",
    ),
    edited=("<Ta wiadomość była edytowana>",),  # export
    conjunctions=("i",),
)
