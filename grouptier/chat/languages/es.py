# ruff: noqa: E501 - WhatsApp's wordings, quoted whole in their own scripts
"""Spanish: Android and iOS (sources: tests/data/chats/README.md).

Each kind lists the wordings seen in exports first, then WhatsApp's own strings
(its Android strings.xml and iOS Localizable.strings) for the lines no export
we had showed.
"""

from grouptier.chat.languages import Language

LANGUAGE = Language(
    code="es",
    name="Español",
    system={
        "created": (
            "{actor} creó el grupo {any}",
            "{actor} creó este grupo",
            "Creaste el grupo {any}",
            "Creaste este grupo",
        ),
        "added": (
            "{actor} añadió a {target}",
            "{actor} agregó a {target}",
            "Añadiste a {target}",
            "Agregaste a {target}",
            "Tú añadiste a {target}",
            "{actor} te añadió",
        ),
        "you_were_added": (
            "Te añadieron",
            "Te agregaron",
            "Se te añadió al grupo",
            "Te añadieron al grupo",
        ),
        "joined_by_link": (
            "{actor} se unió usando el enlace de invitación de este grupo",
            "{actor} se unió con el enlace de invitación",
            "{actor} se unió usando un enlace de invitación",
            "Te uniste usando el enlace de invitación de este grupo",
            "Te uniste mediante el enlace de invitación de este grupo",
        ),
        "joined": ("{actor} se unió",),
        "left": (
            "{actor} salió",
            "{actor} salió del grupo",
            "Saliste del grupo",
            "Saliste",
        ),
        "removed": (
            "{actor} eliminó a {target}",
            "Eliminaste a {target}",
            "{actor} te eliminó",
        ),
        "subject": (
            "{actor} cambió el asunto{any}",
            "{actor} cambió el nombre{any}",
            "{actor} cambió el asunto a {any}",
            "Cambiaste el asunto a {any}",
        ),
        "icon": (
            "{actor} cambió el ícono{any}",
            "{actor} cambió la imagen{any}",
            "{actor} cambió el icono de este grupo",
            "Cambiaste el icono del grupo",
            "{actor} eliminó el icono del grupo",
            "Eliminaste el icono de este grupo",
            "{actor} cambió el ícono de este grupo",
            "Cambiaste el ícono de este grupo",
        ),
        "description": (
            "{actor} cambió la descripción{any}",
            "{actor} cambió la descripción del grupo",
            "Cambiaste la descripción del grupo",
            "{actor} borró la descripción del grupo",
            "Borraste la descripción del grupo",
        ),
        "settings": (
            "{actor} cambió la configuración{any}",
            "{actor} restableció el enlace de invitación de este grupo{any}",
        ),
        "encryption": (
            "{any}cifrado de extremo a extremo{any}",
            "{any}cifrados de extremo a extremo{any}",
            "Los mensajes en este grupo ahora están protegidos con cifrado de extremo a extremo{any}",
            "Los mensajes y llamadas en este chat ahora están protegidos con cifrado de extremo a extremo{any}",
            "Los mensajes y las llamadas están cifrados de extremo a extremo{any}",
        ),
        "security_code": (
            "{any}código de seguridad{any}",
            "El código de seguridad de {actor} cambió{any}",
            "Cambió tu código de seguridad con {any}",
        ),
        "number_changed": (
            "{actor} cambió su número{any}",
            "{actor} cambió su número de teléfono{any}",
        ),
        "admin": (
            "{any}ahora es admin{any}",
            "Ahora eres un administrador",
            "Ahora eres admin. del grupo",
        ),
        "disappearing": (
            "{any}mensajes temporales{any}",
            "{actor} activó los mensajes temporales{any}",
            "{actor} desactivó los mensajes temporales{any}",
            "{actor} actualizó la duración de los mensajes{any}",
            "Actualizaste la duración de los mensajes{any}",
            "Activaste los mensajes temporales{any}",
            "Desactivaste los mensajes temporales{any}",
        ),
        "pinned": ("{actor} fijó un mensaje",),
        # WhatsApp's strings (Android, iOS): a call written as the caller's message
        "call": (
            "Llamada perdida",
            "Llamada grupal perdida",
            "Videollamada perdida",
            "Videollamada grupal perdida",
            "Llamada de voz perdida",
        ),
    },
    media=("<Multimedia omitido>", "<Multimedia omitidos>", "<Archivo omitido>"),
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
    attached=("archivo adjunto", "archivo adjuntado"),
    ios_attached=("adjunto",),
    deleted=("Se eliminó este mensaje", "Eliminaste este mensaje", "Este mensaje fue eliminado"),
    conjunctions=("y",),
)
