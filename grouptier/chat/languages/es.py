"""Spanish: Android and iOS (sources: tests/data/chats/README.md)."""

from grouptier.chat.languages import Language

LANGUAGE = Language(
    code="es",
    name="Español",
    system={
        "created": ("{actor} creó el grupo {any}", "{actor} creó este grupo"),
        "added": (
            "{actor} añadió a {target}",
            "{actor} agregó a {target}",
            "Añadiste a {target}",
            "Agregaste a {target}",
            "Tú añadiste a {target}",
        ),
        "you_were_added": ("Te añadieron", "Te agregaron"),
        "joined_by_link": (
            "{actor} se unió usando el enlace de invitación de este grupo",
            "{actor} se unió con el enlace de invitación",
            "{actor} se unió usando un enlace de invitación",
        ),
        "joined": ("{actor} se unió",),
        "left": ("{actor} salió", "{actor} salió del grupo", "Saliste del grupo"),
        "removed": ("{actor} eliminó a {target}", "Eliminaste a {target}"),
        "subject": ("{actor} cambió el asunto{any}", "{actor} cambió el nombre{any}"),
        "icon": ("{actor} cambió el ícono{any}", "{actor} cambió la imagen{any}"),
        "description": ("{actor} cambió la descripción{any}",),
        "settings": ("{actor} cambió la configuración{any}",),
        "encryption": (
            "{any}cifrado de extremo a extremo{any}",
            "{any}cifrados de extremo a extremo{any}",
        ),
        "security_code": ("{any}código de seguridad{any}",),
        "number_changed": ("{actor} cambió su número{any}",),
        "admin": ("{any}ahora es admin{any}",),
        "disappearing": ("{any}mensajes temporales{any}",),
        "pinned": ("{actor} fijó un mensaje",),
    },
    media=("<Multimedia omitido>", "<Multimedia omitidos>"),
    ios_media=(
        "imagen omitida",
        "video omitido",
        "vídeo omitido",
        "audio omitido",
        "sticker omitido",
        "GIF omitido",
        "tarjeta de contacto omitida",
    ),
    documents=("documento omitido",),
    attached=("archivo adjunto",),
    ios_attached=("adjunto",),
    deleted=("Se eliminó este mensaje", "Eliminaste este mensaje"),
    conjunctions=("y",),
)
