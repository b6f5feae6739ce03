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
