"""Arabic: Android and iOS (sources: tests/data/chats/README.md)."""

from grouptier.chat.languages import Language

LANGUAGE = Language(
    code="ar",
    name="العربية",
    system={
        "created": ("{any}أنشأ المجموعة{any}", "{any}أنشأت المجموعة{any}"),
        "added": ("{actor} أضاف {target}",),
        "joined_by_link": ("{actor} انضم باستخدام رابط الدعوة{any}",),
        "joined": ("{actor} انضم",),
        "left": ("{actor} غادر", "{actor} غادرت"),
        "removed": ("{actor} أزال {target}",),
        "subject": ("{any}غيّر اسم المجموعة{any}", "{any}غير الموضوع{any}"),
        "icon": ("{any}غيّر صورة المجموعة{any}",),
        "description": ("{any}غيّر وصف المجموعة{any}",),
        "encryption": ("{any}مشفرة تمامًا{any}", "{any}مشفّرة{any}"),
        "security_code": ("{any}رمز الأمان{any}",),
        "number_changed": ("{any}غيّر رقم هاتفه{any}",),
    },
    media=("<تم استبعاد الوسائط>",),
    ios_media=("صورة محذوفة", "فيديو محذوف", "ملصق محذوف", "صوت محذوف"),
    documents=("تم استبعاد المستند",),
    attached=("ملف مرفق",),
    ios_attached=("مرفق",),
    deleted=("تم حذف هذه الرسالة", "لقد حذفت هذه الرسالة"),
    conjunctions=("و",),
)
