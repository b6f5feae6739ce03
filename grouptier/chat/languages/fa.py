# ruff: noqa: RUF001 - WhatsApp's wordings, quoted whole in their own scripts
"""Persian (fa): Android and iOS.

WhatsApp's own wording, from its Android strings.xml and iOS Localizable.strings
(sources: tests/data/chats/README.md). A removal writes the two names side by side
(actor, then whom, then the verb: `{actor} {target} را حذف کرد`); the reader parts
them where the chat's other names say (`grouptier.chat.phrases`). Android writes an
attachment's label before its name (`فایل پیوست شد Report.pdf`).
"""

from grouptier.chat.languages import Language

LANGUAGE = Language(
    code="fa",
    name="فارسی",
    system={
        "created": (
            "{actor} گروه {any} را به وجود آورد",
            "شما گروه {any} را ایجاد کردید",
            "{actor} گروه {any} را ایجاد کرد",
            "{actor} این گروه را ایجاد کرد",
            "شما این گروه را ایجاد کردید",
        ),
        "added": (
            "{target} توسط {actor} اضافه شد",
            "شما {target} را اضافه کردید",
            "{actor} شما را اضافه کرد",
        ),
        "you_were_added": (
            "شما اضافه شده اید",
            "اضافه شدید",
        ),
        "joined_by_link": (
            "{actor} با استفاده از لینک دعوت به گروه ملحق شد",
            "شما با استفاده از لینک دعوت به گروه ملحق شدید",
            "{actor} با لینک دعوت به گروه پیوست",
            "شما با استفاده از پیوند دعوت این گروه پیوستید",
        ),
        "left": (
            "{actor} ترک کرد",
            "شما از گروه رفتید",
            "{actor} گروه را ترک کرد",
        ),
        "removed": (
            "{actor} {target} را حذف کرد",
            "شما {target} را حذف کردید",
            "{actor} شما را حذف کرد",
            "{actor} شما را حذف كرد",
        ),
        "subject": (
            "{actor} موضوع را به {any} تغییر داد",
            "شما موضوع را به {any} تغییر داده اید",
            "شما موضوع را به {any} تغییر دادید",
        ),
        "icon": (
            "{actor} علامت گروه را تغییر داد",
            "شما آیکون گروه را تغییر دادید",
            "{actor} علامت گروه را حذف کرد",
            "شما آیکون گروه را حذف کردید",
            "{actor} علامت این گروه را تغییر داد",
            "شما علامت این گروه را تغییر دادید",
        ),
        "description": (
            "{actor} شرح گروه را تغییر داد",
            "شما شرح گروه را تغییر دادید",
            "شما شرح گروه را تغییردادید",
            "{actor} شرح گروه را حذف کرد",
            "شما شرح گروه را حذف کردید",
        ),
        "admin": (
            "اکنون شما مدیر هستید",
            "شما اکنون مدیر این گروه هستید",
        ),
        "encryption": (
            "پیام ها به این گروه با رمزگذاری سرتاسری محفوظ شده اند{any}",
            "پیام ها به این گروه هم اکنون با رمزگذاری سرتاسری محفوظ شده اند{any}",
            "پیام ها و تماس های این چت هم اکنون با رمزگذاری سرتاسری محفوظ شده اند{any}",
            "پیام\u200cها و تماس\u200cها سرتاسر رمزگذاری شده\u200cاند{any}",
        ),
        "security_code": (
            "کد رمز{actor} تغییر کرد{any}",
            "کد امنیتی شما با {actor} تغییر کرد{any}",
        ),
        "number_changed": ("{actor} شماره خود را تغییر داد{any}",),
        "disappearing": (
            "{actor} پیام\u200cهای مدت\u200cدار را فعال کرد{any}",
            "{actor} پیام\u200cهای مدت\u200cدار را غیرفعال کرد{any}",
            "{actor} زمان\u200cسنج پیام را به\u200cروز کرد{any}",
            "شما زمان\u200cسنج پیام را به\u200cروز کردید{any}",
            "شما پیام\u200cهای مدت\u200cدار را فعال کردید{any}",
            "شما پیام\u200cهای مدت\u200cدار را غیرفعال کردید{any}",
        ),
        "settings": ("{actor} پیوند دعوت این گروه را بازنشانی کرد{any}",),
        # WhatsApp's strings (Android, iOS): a call written as the caller's message
        "call": (
            "تماس صوتی پاسخ داده نشده",
            "تماس صوتی گروهی پاسخ داده نشده",
            "تماس تصویری بی‌پاسخ",
            "تماس تصویری گروهی پاسخ داده نشده",
            "تماس تصویری پاسخ داده نشده",
        ),
    },
    media=("< پيوست نما/آهنگ حذف شد >", "<رسانه حذف شد>"),
    ios_media=(
        "تصویر حذف شد",
        "ویدیو حذف شد",
        "صدا حذف شد",
        "استیکر حذف شد",
        "GIF حذف شد",
        "برگ مخاطب حذف شد.",
    ),
    documents=("سند حذف شد",),
    attached=(),
    attached_first=("فایل پیوست شد",),
    ios_attached=("پیوست",),
    deleted=("این پیام حذف شد", "شما این پیام را حذف کردید", "این پیام حذف شده است"),
    conjunctions=("و",),
)
