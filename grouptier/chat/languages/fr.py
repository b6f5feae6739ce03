# ruff: noqa: E501 - WhatsApp's wordings, quoted whole in their own scripts
"""French: Android and iOS (sources: tests/data/chats/README.md).

Each kind lists the wordings seen in exports first, then WhatsApp's own strings
(its Android strings.xml and iOS Localizable.strings) for the lines no export
we had showed.
"""

from grouptier.chat.languages import Language

LANGUAGE = Language(
    code="fr",
    name="Français",
    system={
        "created": (
            "{actor} a créé le groupe {any}",
            "{actor} a créé ce groupe",
            "Vous avez créé le groupe {any}",
            "Vous avez créé ce groupe",
        ),
        "added": (
            "{actor} a ajouté {target}",
            "Vous avez ajouté {target}",
            "{actor} vous a ajouté",
            "{actor} vous a ajouté·e",
        ),
        "joined_by_link": (
            "{actor} a rejoint ce groupe via le lien d'invitation",
            "{actor} a rejoint le groupe via un lien d'invitation",
            '"{actor} a intégré ce groupe grâce au lien d\'invitation"',
            '"Vous avez intégré le groupe en utilisant le lien d\'invitation"',
            "{actor} a rejoint ce groupe grâce à son lien d'invitation",
            "Vous avez rejoint le groupe grâce à son lien d'invitation",
        ),
        "joined": ("{actor} a rejoint le groupe",),
        "left": (
            "{actor} est parti(e)",
            "{actor} est parti",
            "{actor} a quitté{any}",
            "Groupe quitté",
            "{actor} est parti·e",
        ),
        "removed": (
            "{actor} a retiré {target}",
            "Vous avez retiré {target}",
            "{actor} vous a retiré",
            "{actor} vous a retiré·e",
        ),
        "subject": (
            "{actor} a modifié le sujet{any}",
            "{actor} a changé le sujet{any}",
            "{actor} a modifié le sujet en {any}",
            "Vous avez changé le sujet en {any}",
            "{actor} a remplacé le sujet par {any}",
        ),
        "icon": (
            "{actor} a changé l'icône{any}",
            "{actor} a modifié l'icône{any}",
            '"{actor} a changé l\'icône de ce groupe"',
            '"Vous avez changé l\'icône de ce groupe"',
            '"{actor} a supprimé l\'icône de ce groupe"',
            '"Vous avez supprimé l\'icône de ce groupe"',
            "{actor} a changé l'icône de ce groupe",
            "Vous avez changé l'icône de ce groupe",
        ),
        "description": (
            "{actor} a modifié la description{any}",
            "{actor} a changé la description du groupe",
            "Vous avez changé la description du groupe",
            "{actor} a supprimé la description du groupe",
            "Vous avez supprimé la description du groupe",
        ),
        "settings": (
            "{actor} a modifié les paramètres{any}",
            "{actor} a réinitialisé le lien d'invitation à ce groupe{any}",
        ),
        "encryption": (
            "{any}chiffrés de bout en bout{any}",
            "{any}chiffrement de bout en bout{any}",
            '"Les messages envoyés dans ce groupe sont protégés avec le chiffrement de bout en bout{any}',
            '"Les messages envoyés dans ce groupe sont désormais protégés avec le chiffrement de bout en bout{any}',
            '"Les messages envoyés dans cette discussion et les appels sont désormais protégés avec le chiffrement de bout en bout{any}',
            "Les messages et les appels sont chiffrés de bout en bout{any}",
        ),
        "security_code": (
            "{any}code de sécurité{any}",
            '"Le code de sécurité de {actor} a changé{any}',
            "Votre code de sécurité avec {actor} a changé{any}",
        ),
        "number_changed": (
            "{actor} a changé de numéro{any}",
            "{actor} a changé de numéro de téléphone{any}",
        ),
        "admin": (
            "{any}est maintenant admin{any}",
            "Vous êtes maintenant un administrateur",
            "Vous êtes désormais admin",
        ),
        "disappearing": (
            "{any}messages éphémères{any}",
            "{actor} a activé les messages éphémères{any}",
            "{actor} a désactivé les messages éphémères{any}",
            "{actor} a mis à jour le délai avant disparition{any}",
            "Vous avez mis à jour le délai avant disparition{any}",
            "Vous avez activé les messages éphémères{any}",
            "Vous avez désactivé les messages éphémères{any}",
        ),
        "pinned": ("{actor} a épinglé{any}",),
        "you_were_added": (
            "Vous avez été ajouté(e)",
            "Vous avez été ajouté·e",
        ),
        # WhatsApp's strings (Android, iOS): a call written as the caller's message
        "call": (
            "Appel vocal manqué",
            "Appel vocal de groupe manqué",
            "Appel vidéo manqué",
            "Appel vidéo de groupe manqué",
        ),
    },
    media=("<Médias omis>", "<Fichier omis>"),
    ios_media=(
        "image absente",
        "image omise",
        "vidéo absente",
        "vidéo omise",
        "audio omis",
        "autocollant omis",
        "GIF retiré",
        "fiche contact omise",
        "sticker omis",
        "Fiche contact manquante",
    ),
    documents=("document omis", "document manquant"),
    attached=("fichier joint",),
    ios_attached=("pièce jointe", "joint"),
    deleted=("Ce message a été supprimé", "Vous avez supprimé ce message"),
    conjunctions=("et",),
)
