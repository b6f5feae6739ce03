# ruff: noqa: E501 - WhatsApp's wordings, quoted whole in their own scripts
"""Malay (ms): Android and iOS.

WhatsApp's own wording, from its Android strings.xml and iOS Localizable.strings
(sources: tests/data/chats/README.md).
"""

from grouptier.chat.languages import Language

LANGUAGE = Language(
    code="ms",
    name="Bahasa Melayu",
    system={
        "created": (
            "{actor} telah mencipta grup {any}",
            "Anda telah mencipta grup {any}",
            "{actor} mencipta grup ini",
            "Anda mencipta grup ini",
        ),
        "added": (
            "{actor} telah menambah {target}",
            "Anda telah menambah {target}",
            "{actor} telah menambah anda",
            "{actor} memasukkan {target}",
            "Anda memasukkan {target}",
            "{actor} menambah anda",
        ),
        "you_were_added": (
            "Anda telah ditambah",
            "Anda telah ditambahkan",
        ),
        "joined_by_link": (
            "{actor} telah menyertai menggunakan pautan jemputan grup ini",
            "Anda telah menyertai menggunakan pautan jemputan grup ini",
            "{actor} menyertai menggunakan pautan undangan grup ini",
            "Anda menyertai menggunakan pautan undangan grup ini",
        ),
        "left": (
            "{actor} keluar",
            "Anda telah keluar",
        ),
        "removed": (
            "{actor} telah mengeluarkan {target}",
            "Anda telah mengeluarkan {target}",
            "{actor} telah mengeluarkan anda",
            "{actor} mengeluarkan {target}",
            "Anda mengeluarkan {target}",
            "{actor} mengeluarkan anda",
        ),
        "subject": (
            "{actor} mengubah subjek grup ke {any}",
            "Anda telah mengubah subjek ke {any}",
            "{actor} mengubah subjek kepada {any}",
            "Anda mengubah subjek kepada {any}",
        ),
        "icon": (
            "{actor} telah menukar ikon grup",
            "Anda telah mengubah ikon grup ini",
            "{actor} telah memadam ikon grup ini",
            "Anda telah memadam ikon grup ini",
            "{actor} mengubah ikon grup ini",
        ),
        "description": (
            "{actor} telah mengubah deskripsi grup",
            "Anda telah mengubah deskripsi grup",
            "{actor} telah menukar deskripsi kumpulan",
            "Anda telah menukar deskripsi kumpulan",
            "{actor} telah memadamkan deskripsi kumpulan",
            "Anda telah memadamkan deskripsi kumpulan",
        ),
        "admin": ("Anda kini adalah pentadbir",),
        "encryption": (
            "Mesej-mesej ke grup ini kini selamat dengan penyulitan hujung ke hujung{any}",
            "Mesej-mesej ke sembang ini dan panggilan kini selamat dengan penyulitan hujung ke hujung{any}",
            "Mesej dan panggilan disulitkan hujung ke hujung{any}",
        ),
        "security_code": (
            "Kod keselamatan {actor} telah ditukar{any}",
            "Kod keselamatan anda dengan {actor} telah berubah{any}",
        ),
        "number_changed": ("{actor} telah mengubah nombor telefon mereka{any}",),
        "disappearing": (
            "{actor} telah menghidupkan ciri mesej menghilang{any}",
            "{actor} telah mematikan ciri mesej menghilang{any}",
            "{actor} telah mengemas kini pemasa mesej{any}",
            "Anda telah mengemas kini pemasa mesej{any}",
            "Anda telah menghidupkan ciri mesej menghilang{any}",
            "Anda telah mematikan mesej menghilang{any}",
        ),
        "settings": ("{actor} telah mengeset pautan jemputan grup ini semula{any}",),
        # WhatsApp's strings (Android, iOS): a call written as the caller's message
        "call": (
            "Panggila suara terlepas",
            "Panggilan suara grup terlepas",
            "Panggilan video terlepas",
            "Panggilan video grup terlepas",
            "Panggilan suara terlepas",
        ),
    },
    media=("<Media disingkirkan>", "<media dikecualikan>"),
    ios_media=(
        "imej tidak dimasukkan",
        "video tidak dimasukkan",
        "audio tidak dimasukkan",
        "pelekat tidak disertakan",
        "GIF tidak dimasukkan",
        "Kad kenalan tidak dimasukkan",
    ),
    documents=("dokumen tidak dimasukkan",),
    attached=("fail dilampirkan",),
    ios_attached=("dilampir",),
    deleted=("Mesej ini telah dipadam", "Anda telah memadamkan mesej ini"),
    conjunctions=("dan",),
)
