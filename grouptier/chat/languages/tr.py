# ruff: noqa: RUF001 - (the letters of other scripts are the point of this table)
"""Turkish: Android and iOS (sources: tests/data/chats/README.md)."""

from grouptier.chat.languages import Language

LANGUAGE = Language(
    code="tr",
    name="Türkçe",
    system={
        "created": (
            "{actor}, {any} grubunu oluşturdu",
            "{actor} bu grubu oluşturdu",
            "Bu grubu siz oluşturdunuz",
        ),
        "added": (
            "{actor}, {target} kişisini ekledi",
            "{target} kişisini eklediniz",
            "{actor} sizi ekledi",
        ),
        "joined_by_link": (
            "{actor} bu grubun davet bağlantısıyla katıldı",
            "{actor} davet bağlantısıyla katıldı",
            "{actor} bir grup bağlantısıyla katıldı",
            "{actor} grup bağlantısı kullanarak katıldı",
        ),
        "joined": ("{actor} gruba katıldı",),
        "left": ("{actor} gruptan ayrıldı", "{actor} ayrıldı"),
        "removed": ("{actor}, {target} kişisini çıkardı", "{actor} sizi çıkardı"),
        "subject": ("{actor} grubun konusunu{any}", "{actor} grup adını{any}"),
        "icon": ("{actor} grubun simgesini{any}", "{actor} grup simgesini{any}"),
        "description": ("{actor} grup açıklamasını{any}",),
        "settings": ("{actor} bu grubun ayarlarını{any}",),
        "encryption": ("{any}uçtan uca şifreli{any}",),
        "security_code": ("{any}güvenlik kodu{any}",),
        "number_changed": ("{actor} telefon numarasını değiştirdi{any}",),
        "admin": ("{any}artık yönetici", "{any}artık yönetici değil"),
        "disappearing": ("{any}kaybolan mesajları{any}",),
    },
    media=("<Medya dahil edilmedi>",),
    ios_media=(
        "görüntü dahil edilmedi",
        "video dahil edilmedi",
        "ses dahil edilmedi",
        "çıkartma dahil edilmedi",
        "GIF dahil edilmedi",
    ),
    documents=("belge dahil edilmedi",),
    deleted=("Bu mesaj silindi", "Bu mesajı sildiniz"),
    conjunctions=("ve",),
)
