"""Czech (cs): Android and iOS.

WhatsApp's own wording, from its Android strings.xml and iOS Localizable.strings
(sources: tests/data/chats/README.md).
"""

from grouptier.chat.languages import Language

LANGUAGE = Language(
    code="cs",
    name="Čeština",
    system={
        "created": (
            "{actor} vytvořil/a skupinu {any}",
            "Vytvořil/a jste skupinu {any}",
            "Tuto skupinu vytvořil/a {actor}",
            "Tuto skupinu jste vytvořil/a vy",
        ),
        "added": (
            "{actor} přidal/a uživatele {target}",
            "Přidal/a jste uživatele {target}",
            "{actor} vás přidal/a",
            "{actor} vás přidal/a do skupiny",
        ),
        "you_were_added": ("Byl/a jste přidán/a",),
        "joined_by_link": (
            "{actor} se připojil/a k této skupině pomocí zvacího odkazu",
            "K této skupině jste se připojil/a pomocí zvacího odkazu",
        ),
        "left": (
            "{actor} opustil/a skupinu",
            "Opustil/a jste skupinu",
        ),
        "removed": (
            "{actor} odebral(a) uživatele {target}",
            "Odebrali jste uživatele {target}",
            "{actor} vás odebral(a)",
            "{actor} odebral/a uživatele {target}",
            "Odebral/a jste uživatele {target}",
            "{actor} vás odebral/a",
        ),
        "subject": (
            "{actor} změnil/a téma na {any}",
            "Změnil/a jste téma na {any}",
            "{actor} změnil/a téma skupiny na {any}",
            "Změnil/a jste téma skupiny na {any}",
        ),
        "icon": (
            "{actor} změnil/a ikonu této skupiny",
            "Ikona skupiny byla vámi změněna",
            "{actor} odstranil/a ikonu této skupiny",
            "Ikona této skupiny byla vámi odstraněna",
            "Změnil/a jste ikonu této skupiny",
        ),
        "description": (
            "{actor} změnil/a popis skupiny",
            "Popis skupiny byl změněn",
            "{actor} odstranil/a popis skupiny",
            "Odstranil/a jste popis skupiny",
        ),
        "admin": (
            "Nyní jste správcem",
            "Nyní jste správcem skupiny",
        ),
        "encryption": (
            "Zprávy pro tuto skupinu jsou zabezpečeny koncovým šifrováním{any}",
            "Zprávy pro tuto skupinu jsou teď zabezpečeny koncovým šifrováním{any}",
            "Hovory a zprávy v tomto chatu jsou teď zabezpečeny koncovým šifrováním{any}",
            "Zprávy a hovory jsou opatřeny koncovým šifrováním{any}",
            "Zprávy a hovory jsou zabezpečeny koncovým šifrováním{any}",
        ),
        "security_code": (
            "Bezpečnostní kód uživatele {actor} byl změněn{any}",
            "Bezpečnostní kód mezi vámi a\xa0uživatelem {actor} byl změněn{any}",
        ),
        "number_changed": ("{actor} změnil/a své telefonní číslo{any}",),
        "disappearing": (
            "{actor} zapnul/a automatické odstraňování zpráv{any}",
            "{actor} vypnul/a automatické odstraňování zpráv{any}",
            "{actor} upravil/a časový interval{any}",
            "Upravil/a jste časový interval{any}",
            "Zapnul/a jste automatické odstraňování zpráv{any}",
            "Vypnul/a jste automatické odstraňování zpráv{any}",
        ),
        "settings": ("{actor} obnovil/a zvací odkaz této skupiny{any}",),
        # WhatsApp's strings (Android, iOS): a call written as the caller's message
        "call": (
            "Zmeškaný hovor",
            "Zmeškaný skupinový hovor",
            "Zmeškaný videohovor",
            "Zmeškaný skupinový videohovor",
            "Zmeškaný hlasový hovor",
        ),
    },
    media=("< Média vynechána >", "<média vynechány>"),
    ios_media=(
        "obrázek vynechán",
        "video vynecháno",
        "zvukový soubor vynechán",
        "nálepka vynechána",
        "GIF vynechán",
        "Vizitka vynechána",
    ),
    documents=("dokument vynechán",),
    attached=("soubor byl přiložen",),
    ios_attached=("příloha",),
    deleted=(
        "Tato zpráva byla odstraněna",
        "Tuto zprávu jste odstranil/a",
        "Tato zpráva byla smazána",
        "Tuto zprávu jste smazal/a",
    ),
    conjunctions=("a",),
)
