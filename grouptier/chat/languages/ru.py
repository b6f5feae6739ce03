# ruff: noqa: RUF001, RUF002 - (the letters of other scripts are the point of this table)
"""Russian: Android and iOS (sources: tests/data/chats/README.md).

WhatsApp writes both genders in one word: "добавил(-а)"; the forms without
the hyphen ("добавил(а)") are kept too.
"""

from grouptier.chat.languages import Language

LANGUAGE = Language(
    code="ru",
    name="Русский",
    system={
        "created": (
            "{actor} создал(-а) группу {any}",
            "{actor} создал(а) группу {any}",
            "{actor} создал(-а) эту группу",
            "{actor} создал(а) эту группу",
            "Вы создали группу {any}",
        ),
        "added": (
            "{actor} добавил(-а) {target}",
            "{actor} добавил(а) {target}",
            "Вы добавили {target}",
        ),
        "joined_by_link": (
            "{actor} присоединился(-ась) к группе по ссылке-приглашению",
            "{actor} вступил(-а) в группу по ссылке-приглашению",
            "{actor} вступил(а) по ссылке",
        ),
        "left": ("{actor} вышел(-ла)", "{actor} вышел(а)", "Вы вышли"),
        "removed": (
            "{actor} удалил(-а) {target}",
            "{actor} удалил(а) {target}",
            "Вы удалили {target}",
        ),
        "subject": (
            "{actor} изменил(-а) тему{any}",
            "{actor} изменил(-а) название группы{any}",
            "{actor} изменил(а) название группы{any}",
        ),
        "icon": (
            "{actor} изменил(-а) изображение этой группы",
            "{actor} изменил(-а) значок группы",
            "{actor} изменил(а) значок группы",
        ),
        "description": (
            "{actor} изменил(-а) описание группы",
            "{actor} изменил(а) описание группы",
        ),
        "encryption": ("{any}сквозным шифрованием{any}",),
        "security_code": ("{any}код безопасности{any}",),
        "number_changed": ("{actor} изменил(а) номер телефона{any}",),
        "disappearing": ("{any}исчезающие сообщения{any}",),
    },
    media=("<Без медиафайлов>", "<Медиафайл отсутствует>"),
    deleted=(
        "Данное сообщение удалено",
        "Вы удалили данное сообщение",
        "Это сообщение удалено",
        "Вы удалили это сообщение",
    ),
    conjunctions=("и",),
)
