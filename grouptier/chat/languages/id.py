# ruff: noqa: E501 - WhatsApp's wordings, quoted whole in their own scripts
"""Indonesian: Android and iOS (sources: tests/data/chats/README.md).

Each kind lists the wordings seen in exports first, then WhatsApp's own strings
(its Android strings.xml and iOS Localizable.strings) for the lines no export
we had showed.
"""

from grouptier.chat.languages import Language

LANGUAGE = Language(
    code="id",
    name="Bahasa Indonesia",
    system={
        "created": (
            "{actor} membuat grup {any}",
            "Anda yang membuat grup{any}",
            "Anda membuat grup {any}",
            "{actor} membuat grup ini",
            "Anda membuat grup ini",
        ),
        "added": (
            "{actor} menambahkan {target}",
            "Anda menambahkan {target}",
            "{actor} telah menambahkan Anda",
            "{actor} menambahkan Anda",
        ),
        "joined_by_link": (
            "{actor} bergabung menggunakan tautan undangan grup ini",
            "{actor} bergabung menggunakan tautan undangan",
            "{actor} telah bergabung menggunakan tautan undangan grup ini",
            "Anda telah bergabung menggunakan tautan undangan grup ini",
            "Anda bergabung menggunakan tautan undangan grup ini",
        ),
        "joined": ("{actor} telah bergabung",),
        "left": (
            "{actor} keluar",
            "{actor} telah keluar",
            "Anda keluar",
        ),
        "removed": (
            "{actor} mengeluarkan {target}",
            "Anda mengeluarkan {target}",
            "{actor} telah mengeluarkan Anda",
            "{actor} mengeluarkan Anda",
        ),
        "subject": (
            "{actor} mengubah subjek{any}",
            "{actor} mengubah subjek menjadi {any}",
            "Anda telah mengubah subjek menjadi {any}",
            "{actor} telah mengubah subjek menjadi {any}",
            "Anda mengubah subjek menjadi {any}",
        ),
        "icon": (
            "{actor} mengubah ikon{any}",
            "{actor} telah mengubah ikon grup ini",
            "Anda mengubah ikon grup ini",
            "{actor} telah menghapus ikon grup ini",
            "Anda menghapus ikon grup ini",
            "{actor} mengubah ikon grup ini",
        ),
        "description": (
            "{actor} mengubah deskripsi{any}",
            "{actor} telah mengubah deskripsi grup",
            "Anda telah mengubah deskripsi grup",
            "{actor} mengubah deskripsi grup",
            "Anda mengubah deskripsi grup",
            "{actor} telah menghapus deskripsi grup",
            "Anda telah menghapus deskripsi grup",
        ),
        "settings": (
            "{actor} mengubah setelan{any}",
            "{actor} telah mengatur ulang tautan undangan grup ini{any}",
        ),
        "encryption": (
            "{any}terenkripsi secara end-to-end{any}",
            "{any}terenkripsi end-to-end{any}",
            "Pesan-pesan yang dikirimkan ke grup ini diamankan dengan enkripsi end-to-end{any}",
            "Pesan-pesan yang dikirimkan ke grup ini kini diamankan dengan enkripsi end-to-end{any}",
            "Pesan-pesan yang dikirimkan ke chat ini dan panggilan kini diamankan dengan enkripsi end-to-end{any}",
            "Pesan dan panggilan terenkripsi secara end-to-end{any}",
        ),
        "security_code": (
            "{any}kode keamanan{any}",
            "Kode keamanan {actor} berubah{any}",
            "Kode keamanan Anda dengan {actor} telah berubah{any}",
        ),
        "number_changed": (
            "{actor} mengubah nomor{any}",
            "{actor} telah mengganti nomor telepon{any}",
        ),
        "you_were_added": (
            "Anda telah ditambahkan",
            "Anda ditambahkan",
        ),
        "admin": (
            "Anda sekarang adalah admin",
            "Anda sekarang admin",
        ),
        "disappearing": (
            "{actor} menyalakan pesan sementara{any}",
            "{actor} mematikan pesan sementara{any}",
            "{actor} memperbarui timer pesan{any}",
            "Anda memperbarui timer pesan{any}",
            "Anda menyalakan pesan sementara{any}",
            "Anda mematikan pesan sementara{any}",
        ),
        # WhatsApp's strings (Android, iOS): a call written as the caller's message
        "call": (
            "Panggilan suara tak terjawab",
            "Panggilan suara grup tak terjawab",
            "Panggilan video tak terjawab",
            "Panggilan video grup tak terjawab",
        ),
    },
    media=("<Media tidak disertakan>",),
    ios_media=(
        "gambar tidak disertakan",
        "video tidak disertakan",
        "audio tidak disertakan",
        "stiker tidak disertakan",
        "GIF tidak disertakan",
        "Kartu kontak tidak disertakan",
    ),
    documents=("dokumen tidak disertakan",),
    attached=("file terlampir",),
    ios_attached=("terlampir",),
    deleted=(
        "Pesan ini telah dihapus",
        "Anda menghapus pesan ini",
        "Anda telah menghapus pesan ini",
        "Pesan ini dihapus",
    ),
    conjunctions=("dan",),
)
