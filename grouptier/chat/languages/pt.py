"""Portuguese (Brazil and Portugal): Android and iOS (sources: tests/data/chats/README.md)."""

from grouptier.chat.languages import Language

LANGUAGE = Language(
    code="pt",
    name="Português",
    system={
        "created": ("{actor} criou o grupo {any}", "{actor} criou este grupo"),
        "added": ("{actor} adicionou {target}",),
        "you_were_added": ("Você foi adicionado", "Você foi adicionada"),
        "joined_by_link": (
            "{actor} entrou usando o link de convite deste grupo",
            "{actor} entrou usando o link de convite",
            "{actor} aderiu através do link de convite deste grupo",
        ),
        "joined": ("{actor} entrou", "{actor} entrou no grupo"),
        "left": ("{actor} saiu", "{actor} saiu do grupo"),
        "removed": ("{actor} removeu {target}",),
        "subject": ("{actor} mudou o assunto{any}", "{actor} mudou o nome{any}"),
        "icon": ("{actor} mudou a imagem{any}", "{actor} mudou o ícone{any}"),
        "description": ("{actor} mudou a descrição{any}",),
        "settings": ("{actor} mudou as configurações{any}",),
        "encryption": (
            "{any}criptografia de ponta a ponta{any}",
            "{any}encriptação de ponta a ponta{any}",
        ),
        "security_code": ("{any}código de segurança{any}",),
        "number_changed": ("{actor} mudou seu número{any}",),
        "admin": ("{any}agora é admin{any}",),
        "disappearing": ("{any}mensagens temporárias{any}",),
        "pinned": ("{actor} fixou uma mensagem",),
    },
    media=("<Mídia oculta>", "<Arquivo de mídia oculto>", "<Multimédia omitido>"),
    ios_media=(
        "imagem ocultada",
        "imagem oculta",
        "imagem omitida",
        "vídeo omitido",
        "áudio ocultado",
        "áudio omitido",
        "figurinha omitida",
        "figurinha não incluída",
        "GIF omitido",
        "cartão de contato omitido",
    ),
    documents=("documento omitido", "documento ocultado"),
    attached=("arquivo anexado",),
    ios_attached=("anexado",),
    deleted=(
        "Esta mensagem foi apagada",
        "Esta mensagem foi eliminada",
        "Mensagem apagada",
        "Você apagou esta mensagem",
        "Você eliminou esta mensagem",
    ),
    conjunctions=("e",),
)
