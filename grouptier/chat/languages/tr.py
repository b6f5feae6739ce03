# ruff: noqa: E501, RUF001 - WhatsApp's wordings, quoted whole in their own scripts
"""Turkish: Android and iOS (sources: tests/data/chats/README.md).

Each kind lists the wordings seen in exports first, then WhatsApp's own strings
(its Android strings.xml and iOS Localizable.strings) for the lines no export
we had showed.
"""

from grouptier.chat.languages import Language

LANGUAGE = Language(
    code="tr",
    name="Türkçe",
    system={
        "created": (
            "{actor}, {any} grubunu oluşturdu",
            "{actor} bu grubu oluşturdu",
            "Bu grubu siz oluşturdunuz",
            "{actor} , {any} grubunu oluşturdu",
            "{any} grubunu oluşturdunuz",
            "{any} grubunu oluşturdu",
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
            "{actor} bu grubun davet bağlantısını kullanarak katıldı",
            "Bu grubun davet bağlantısını kullanarak katıldınız",
            "Grubun davet bağlantısıyla katıldınız",
        ),
        "joined": ("{actor} gruba katıldı",),
        "left": (
            "{actor} gruptan ayrıldı",
            "{actor} ayrıldı",
            "Ayrıldınız",
        ),
        "removed": (
            "{actor}, {target} kişisini çıkardı",
            "{actor} sizi çıkardı",
            "{target} kişisini çıkardınız",
        ),
        "subject": (
            "{actor} grubun konusunu{any}",
            "{actor} grup adını{any}",
            "{actor} grup konusunu {any} olarak değiştirdi",
            "Konuyu {any} olarak değiştirdiniz",
            "{actor} konuyu {any} olarak değiştirdi",
            "Grup konusunu {any} olarak değiştirdiniz",
        ),
        "icon": (
            "{actor} grubun simgesini{any}",
            "{actor} grup simgesini{any}",
            "{actor} bu grubun simgesini değiştirdi",
            "Grubun simgesini değiştirdiniz",
            "{actor} bu grubun simgesini sildi",
            "Grubun simgesini sildiniz",
            "Bu grubun simgesini değiştirdiniz",
        ),
        "description": (
            "{actor} grup açıklamasını{any}",
            "{actor} grup açıklamasını değiştirdi",
            "Grup açıklamasını değiştirdiniz",
            "{actor} grup açıklamasını sildi",
            "Grup açıklamasını sildiniz",
        ),
        "settings": (
            "{actor} bu grubun ayarlarını{any}",
            "{actor} bu grubun davet bağlantısını sıfırladı{any}",
        ),
        "encryption": (
            "{any}uçtan uca şifreli{any}",
            "Bu gruba gönderdiğiniz mesajlar artık uçtan uca şifreleme ile korunmaktadır{any}",
            "Bu sohbete gönderdiğiniz mesajlar ve yaptığınız aramalar artık uçtan uca şifreleme ile korunmaktadır{any}",
            "Mesajlar ve aramalar uçtan uca şifrelidir{any}",
        ),
        "security_code": (
            "{any}güvenlik kodu{any}",
            "{actor} kişisinin güvenlik kodu değişti{any}",
            "{actor} ile aranızdaki güvenlik kodu değişti{any}",
        ),
        "number_changed": ("{actor} telefon numarasını değiştirdi{any}",),
        "admin": (
            "{any}artık yönetici",
            "{any}artık yönetici değil",
            "Artık yöneticisiniz",
        ),
        "disappearing": (
            "{any}kaybolan mesajları{any}",
            "{actor} süreli mesajları etkinleştirdi{any}",
            "{actor} süreli mesajları devre dışı bıraktı{any}",
            "{actor} mesaj süresini güncelledi{any}",
            "Mesaj süresini güncellediniz{any}",
            "Süreli mesajları etkinleştirdiniz{any}",
            "Süreli mesajları devre dışı bıraktınız{any}",
        ),
        "you_were_added": ("Eklendiniz",),
        # WhatsApp's strings (Android, iOS): a call written as the caller's message
        "call": (
            "Cevapsız sesli arama",
            "Cevapsız sesli grup araması",
            "Cevapsız görüntülü arama",
            "Cevapsız görüntülü grup araması",
        ),
    },
    media=("<Medya dahil edilmedi>", "<Medya atlanmış>"),
    ios_media=(
        "görüntü dahil edilmedi",
        "video dahil edilmedi",
        "ses dahil edilmedi",
        "çıkartma dahil edilmedi",
        "GIF dahil edilmedi",
        "Kişi kartı dahil edilmedi",
    ),
    documents=("belge dahil edilmedi",),
    attached=("dosya ekli",),
    ios_attached=(),
    deleted=("Bu mesaj silindi", "Bu mesajı sildiniz"),
    conjunctions=("ve",),
)
