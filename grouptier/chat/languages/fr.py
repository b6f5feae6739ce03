"""French: Android and iOS (sources: tests/data/chats/README.md)."""

from grouptier.chat.languages import Language

LANGUAGE = Language(
    code="fr",
    name="Français",
    system={
        "created": ("{actor} a créé le groupe {any}", "{actor} a créé ce groupe"),
        "added": ("{actor} a ajouté {target}", "Vous avez ajouté {target}"),
        "joined_by_link": (
            "{actor} a rejoint ce groupe via le lien d'invitation",
            "{actor} a rejoint le groupe via un lien d'invitation",
        ),
        "joined": ("{actor} a rejoint le groupe",),
        "left": ("{actor} est parti(e)", "{actor} est parti", "{actor} a quitté{any}"),
        "removed": ("{actor} a retiré {target}", "Vous avez retiré {target}"),
        "subject": ("{actor} a modifié le sujet{any}", "{actor} a changé le sujet{any}"),
        "icon": ("{actor} a changé l'icône{any}", "{actor} a modifié l'icône{any}"),
        "description": ("{actor} a modifié la description{any}",),
        "settings": ("{actor} a modifié les paramètres{any}",),
        "encryption": (
            "{any}chiffrés de bout en bout{any}",
            "{any}chiffrement de bout en bout{any}",
        ),
        "security_code": ("{any}code de sécurité{any}",),
        "number_changed": ("{actor} a changé de numéro{any}",),
        "admin": ("{any}est maintenant admin{any}",),
        "disappearing": ("{any}messages éphémères{any}",),
        "pinned": ("{actor} a épinglé{any}",),
    },
    media=("<Médias omis>",),
    ios_media=(
        "image absente",
        "image omise",
        "vidéo absente",
        "vidéo omise",
        "audio omis",
        "autocollant omis",
        "GIF retiré",
        "fiche contact omise",
    ),
    documents=("document omis",),
    attached=("fichier joint",),
    ios_attached=("pièce jointe", "joint"),
    deleted=("Ce message a été supprimé", "Vous avez supprimé ce message"),
    conjunctions=("et",),
)
