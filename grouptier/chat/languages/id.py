"""Indonesian: Android and iOS (sources: tests/data/chats/README.md)."""

from grouptier.chat.languages import Language

LANGUAGE = Language(
    code="id",
    name="Bahasa Indonesia",
    system={
        "created": ("{actor} membuat grup {any}", "Anda yang membuat grup{any}"),
        "added": ("{actor} menambahkan {target}",),
        "joined_by_link": (
            "{actor} bergabung menggunakan tautan undangan grup ini",
            "{actor} bergabung menggunakan tautan undangan",
        ),
        "joined": ("{actor} telah bergabung",),
        "left": ("{actor} keluar", "{actor} telah keluar"),
        "removed": ("{actor} mengeluarkan {target}",),
        "subject": ("{actor} mengubah subjek{any}",),
        "icon": ("{actor} mengubah ikon{any}",),
        "description": ("{actor} mengubah deskripsi{any}",),
        "settings": ("{actor} mengubah setelan{any}",),
        "encryption": (
            "{any}terenkripsi secara end-to-end{any}",
            "{any}terenkripsi end-to-end{any}",
        ),
        "security_code": ("{any}kode keamanan{any}",),
        "number_changed": ("{actor} mengubah nomor{any}",),
    },
    media=("<Media tidak disertakan>",),
    ios_media=(
        "gambar tidak disertakan",
        "video tidak disertakan",
        "audio tidak disertakan",
        "stiker tidak disertakan",
    ),
    documents=("dokumen tidak disertakan",),
    deleted=("Pesan ini telah dihapus", "Anda menghapus pesan ini"),
    conjunctions=("dan",),
)
