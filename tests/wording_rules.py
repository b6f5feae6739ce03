# ruff: noqa: RUF001 - each language's words in its own letters (Turkish has a dotless i)
"""Per-language word lists for tests/test_wording.py, one entry per bundled language.

Whoever adds a language to `templates/` adds its entries here (the wording
tests fail, naming this file, until they do):

- `INTERNAL_WORDS`: how the tool's own words (cycle, score, level) are said in
  the language; member-facing messages must not use them. Matched as whole
  words, ignoring case.
- `NEWCOMER_PHRASES`: phrases that greet people as new to the community
  ("New here? Say hello!"), which the quiet bottom group's good mornings and
  the top group's must not use. Matched as text, ignoring case.
"""

from __future__ import annotations

INTERNAL_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("cycle", "cycles", "score", "scores", "level", "levels"),
    "de": ("Zyklus", "Zyklen", "Runde", "Punktzahl", "Punktestand", "Score", "Stufe", "Level"),
    "es": ("ciclo", "ciclos", "puntuación", "puntuaciones", "puntaje", "nivel", "niveles"),
    "fr": ("cycle", "cycles", "score", "scores", "niveau", "niveaux"),
    "it": ("ciclo", "cicli", "punteggio", "punteggi", "livello", "livelli"),
    "pt-BR": ("ciclo", "ciclos", "pontuação", "pontuações", "nível", "níveis"),
    "id": ("siklus", "skor", "poin", "level", "tingkat", "tingkatan"),
    "hi": ("चक्र", "स्कोर", "अंक", "स्तर", "लेवल"),
    "ar": ("دورة", "الدورة", "نقاط", "النقاط", "مستوى", "المستوى"),
    "ru": (
        "цикл",
        "цикла",
        "цикле",
        "циклы",
        "циклов",
        "балл",
        "баллы",
        "баллов",
        "очки",
        "очков",
        "уровень",
        "уровня",
        "уровне",
    ),
    "tr": ("döngü", "döngüsü", "puan", "puanı", "puanınız", "skor", "seviye", "seviyesi", "düzey"),
}

NEWCOMER_PHRASES: dict[str, tuple[str, ...]] = {
    "en": ("new here", "welcome someone new", "just joined"),
    "de": ("neu hier", "neu dabei", "begrüßt die neuen"),
    "es": ("nuevo aquí", "nueva aquí", "recién llegad"),
    "fr": ("nouveau ici", "nouvelle ici", "qui vient d'arriver", "nouveaux venus"),
    "it": ("nuovo qui", "nuova qui", "appena arrivat"),
    "pt-BR": ("novo aqui", "nova aqui", "acabou de chegar"),
    "id": ("baru di sini", "baru bergabung", "anggota baru"),
    "hi": ("नए हैं", "नया सदस्य", "नए सदस्य", "अभी जुड़े"),
    "ar": ("جديد هنا", "جدد هنا", "انضم حديثا", "انضممت للتو", "الأعضاء الجدد"),
    "ru": ("новенький", "новенькие", "новичок", "новички", "только что присоедин"),
    "tr": ("yeni misin", "yeni katılan", "aramıza yeni"),
}

# Good mornings rotate by day, not by weekday, so none may assume the day of the week
# (or that Saturday and Sunday are the weekend: in most Arabic-speaking countries it
# is Friday and Saturday).
# - `WEEKEND_WORDS`: how the language says "the weekend". Matched as text, ignoring case.
# - `WEEKDAY_FORMS`: forms of a weekday's name that babel's wide names (which the test
#   takes as they are) do not spell out, by babel's day number (0 Monday ... 6 Sunday):
#   a case ending ("в пятницу") or the greeting form ("جمعة مباركة").
WEEKEND_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("weekend", "week-end"),
    "de": ("Wochenende",),
    "es": ("fin de semana", "finde"),
    "fr": ("week-end", "weekend", "fin de semaine"),
    "it": ("fine settimana", "weekend", "week-end"),
    "pt-BR": ("fim de semana", "final de semana", "fds"),
    "id": ("akhir pekan", "akhir minggu", "weekend"),
    "hi": ("सप्ताहांत", "वीकेंड", "वीकएंड", "हफ़्ते के अंत", "हफ्ते के अंत", "छुट्टी के दिन"),
    "ar": ("نهاية الأسبوع", "العطلة الأسبوعية", "الويكند", "عطلة الأسبوع"),
    "ru": ("выходн", "уикенд", "уик-энд", "конец недели", "конца недели"),
    "tr": ("hafta sonu", "haftasonu"),
}

WEEKDAY_FORMS: dict[str, dict[int, tuple[str, ...]]] = {
    "ru": {
        2: ("среду", "среды"),
        4: ("пятницу", "пятницы"),
        5: ("субботу", "субботы"),
        0: ("понедельника",),
        1: ("вторника",),
        3: ("четверга",),
        6: ("воскресенья",),
    },
    "ar": {4: ("جمعة",), 5: ("سبت",)},  # not أحد: it is also "anyone"
    "pt-BR": {4: ("sexta",)},  # not segunda, quinta...: also "second", "fifth"
}
