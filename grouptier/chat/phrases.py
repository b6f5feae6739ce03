"""System-line templates (`languages`) compiled into one matcher that runs in linear time.

A template such as `{actor} hat {target} hinzugefügt` is cut into its
literal words and its slots. A line matches it when the first literal starts
the line, the last ends it (a full stop after it is allowed) and every other
literal follows in order, each found at its first place after the slot before
it: the slots take as little as they can, as a lazy regular expression would,
but every test is a `str.find`, so no line costs more than its length once
per template, whatever a member types into it.

Templates that end with a literal are filed under the last two characters of
that literal, so a line is only tried against the templates that can end it;
the others (they end with a name or a subject) are tried when their longest
literal is in the line. Among the templates a line matches, the one with the
most literal text wins.

Two names cannot always be parted by the line alone. Persian writes both
before its verb with only a space between them (`{actor} {target} را حذف کرد`);
and the word between two names may be in a name too: Japanese `{actor}が{target}`
with the actor `ながの`. The matcher then gives the two as one text, with the
word that parts them (`PARTED_LATER`), and `part_names` parts them where the
names the chat shows elsewhere say.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from grouptier.chat.languages import SYSTEM_KINDS, Language

SLOTS = ("actor", "target", "any")
_SLOT = re.compile(r"\{(actor|target|any|both)\}")
_KEY = 2  # characters of a line's end that file the templates that end it
_BOTH = "both"  # the slot of `{actor} {target}` written side by side
_PEOPLE = frozenset({"actor", "target"})
_LIST_COMMAS = frozenset({",", "\u3001", "\uff0c", "\u060c"})  # Latin, Japanese, Chinese, Arabic
PARTED_LATER = "\x00"
"""How the target `SystemMatcher.find` gives begins when the line's two names may be
parted more than one way: the actor then holds both names, for `part_names` to part
(a name holds no NUL). See `parted_later`."""
_ACTOR_FIRST, _TARGET_FIRST = ">", "<"
_LONGEST_PAIR = 400  # characters of two names side by side, at most, that are parted
# Words of one side, at most, where two names side by side are parted: a name
# (or a short list of them) is a few words, and the cap keeps a line to at most
# 8 tries of at most 8 words each, however many one-letter words a member types.
_SIDE_WORDS = 8
_MOST_CUTS = 2 * _SIDE_WORDS  # places, at most, where a word between two names is tried


@dataclass(frozen=True)
class Template:
    """One system line as WhatsApp writes it, cut into literals and the slots between them."""

    kind: str
    text: str
    literals: tuple[str, ...]  # lower case; one more than the slots; the first and last may be ""
    slots: tuple[str, ...]
    weight: int  # how much text the template fixes: the more, the more specific
    needle: str  # its longest literal, which every line it matches holds

    def match(self, line: str, lower: str) -> dict[str, str] | None:
        """The slots' texts in `line` (its lower case is `lower`), or None if it does not match."""
        literals, slots = self.literals, self.slots
        first = literals[0]
        if not slots:
            return {} if lower in (first, first + ".") else None
        if not lower.startswith(first):
            return None
        end = self.end_of_slots(lower)
        if end < 0:
            return None
        found: dict[str, str] = {}
        at = len(first)
        for index, slot in enumerate(slots):
            literal = literals[index + 1]
            least = 0 if slot == "any" else 1
            if index == len(slots) - 1:
                stop = end
            else:
                stop = lower.find(literal, at + least, end)
                if stop < 0:
                    return None
                if index == len(slots) - 2 and self.names_either_side_of(literal, lower, stop, end):
                    if ": " in lower[at:end]:
                        return None  # see below
                    found[_BOTH] = _cased(line, lower, at, end)
                    found[PARTED_LATER] = parted_later(literal, actor_first=slot == "actor")
                    return found
            if stop - at < least:
                return None
            if least and ": " in lower[at:stop]:
                # A name holds no ": ": "<a 41-character sender>: My sister was added" is
                # a message, not "{actor} was added" (`Tally.header` asks about long senders).
                return None
            found[slot] = _cased(line, lower, at, stop)
            at = stop + (len(literal) if index < len(slots) - 1 else 0)
        return found

    def end_of_slots(self, lower: str) -> int:
        """Where the last slot of `lower` ends, before the last literal; -1 if it is not there."""
        last, end = self.literals[-1], len(lower)
        if not last:  # a name or a subject at the end loses the line's full stop
            return end - lower.endswith(".")
        if lower.endswith(last):
            return end - len(last)
        if lower.endswith(last + "."):
            return end - len(last) - 1
        return -1

    def names_either_side_of(self, literal: str, lower: str, stop: int, end: int) -> bool:
        """Whether the word `literal` between the last two slots, the two names, is written
        again before `end` (a name may hold it): then where it parts them is not known."""
        if set(self.slots[-2:]) != _PEOPLE or literal.strip() in _LIST_COMMAS:
            return False  # a comma is written again in a list of names (Turkish "Ana, Bob, Chen")
        return lower.find(literal, stop + 1, end - 1) >= 0


def _cased(line: str, lower: str, start: int, stop: int) -> str:
    """`lower[start:stop]` as the line writes it, where lowering kept every length."""
    return line[start:stop] if len(line) == len(lower) else lower[start:stop]


def parted_later(between: str, actor_first: bool) -> str:
    """The target of an event whose two names, written as one text, are parted by `between`
    (" " when side by side), the actor's first if `actor_first`."""
    return PARTED_LATER + (_ACTOR_FIRST if actor_first else _TARGET_FIRST) + between


def _side_by_side(text: str) -> str:
    """`text` with "{actor} {target}" (a space between, nothing else) as one slot."""
    return re.sub(r"\{actor\}\s+\{target\}", "{" + _BOTH + "}", text)


def compile_template(kind: str, text: str) -> Template:
    """A template of a language table; a ValueError names what is wrong with it."""
    if kind not in SYSTEM_KINDS:
        raise ValueError(f"{text!r}: unknown kind {kind!r}; kinds are {', '.join(SYSTEM_KINDS)}")
    parts = _SLOT.split(_side_by_side(text))
    literals = tuple(part.lower() for part in parts[0::2])
    literals = (*literals[:-1], literals[-1].rstrip("."))  # the full stop is always optional
    slots = tuple(slot if slot in SLOTS else _BOTH for slot in parts[1::2])
    if len(set(slots) - {"any"}) != len([slot for slot in slots if slot != "any"]):
        raise ValueError(f"{text!r}: a slot other than {{any}} is written twice")
    if any(not literal.strip() for literal in literals[1:-1]):
        raise ValueError(f"{text!r}: two slots need a word between them")
    if max((len(literal.strip()) for literal in literals), default=0) < 2:
        raise ValueError(f"{text!r}: a template needs a word of its own (its verb)")
    weight = sum(len(literal) for literal in literals)
    return Template(kind, text, literals, slots, weight, max(literals, key=len))


class SystemMatcher:
    """Finds the template of a system line among every language's."""

    def __init__(self, templates: Iterable[Template]) -> None:
        ordered = sorted(templates, key=lambda template: -template.weight)
        self.by_end: dict[str, list[Template]] = {}
        # Templates that end with a slot, as (rank, weight, needle, template), filed under
        # a whole word of their needle when it has one ("added" in " added "): a line
        # is only tried against the templates whose word it holds, and those without one.
        self.by_word: dict[str, list[tuple[int, int, str, Template]]] = {}
        self.anywhere: list[tuple[int, int, str, Template]] = []
        for rank, template in enumerate(ordered):
            last = template.literals[-1].rstrip(".")
            if len(last) >= _KEY:
                self.by_end.setdefault(last[-_KEY:], []).append(template)
                continue
            entry = (rank, template.weight, template.needle, template)
            word = _whole_word(template.needle)
            if word:
                self.by_word.setdefault(word, []).append(entry)
            else:
                self.anywhere.append(entry)
        # One search in C tells whether a line holds any of their needles at all; a line
        # of ASCII only (Python knows it without looking) is searched for theirs only.
        needles = tuple(sorted({needle for _, _, needle, _ in self.anywhere}))
        self.any_needle = re.compile(tree_pattern(needles) or r"(?!)")
        ascii_needles = tuple(needle for needle in needles if needle.isascii())
        self.ascii_needle = re.compile(tree_pattern(ascii_needles) or r"(?!)")

    def find(self, line: str) -> tuple[str, str, str]:
        """(kind, actor, target) of a system line; ("", "", "") when no template matches.

        The template with the most literal text wins: `{actor} heeft de
        groepsbeschrijving verwijderd` before `{actor} heeft {target} verwijderd`.
        """
        lower = line.lower()
        best: Template | None = None
        slots: dict[str, str] = {}
        for template in self.by_end.get(lower.rstrip(".")[-_KEY:], ()):
            found = template.match(line, lower)
            if found is not None:
                best, slots = template, found
                break
        least = -1 if best is None else best.weight
        for _, weight, needle, template in self._open_candidates(lower):
            if weight <= least:
                break
            if needle in lower:
                found = template.match(line, lower)
                if found is not None:
                    best, slots = template, found
                    break
        if best is None:
            return "", "", ""
        if _BOTH in slots:
            # A NUL typed into a name must not pass for the mark of names parted later.
            both = slots[_BOTH].replace(PARTED_LATER, "")
            return best.kind, both, slots.get(PARTED_LATER, parted_later(" ", actor_first=True))
        target = slots.get("target", "").replace(PARTED_LATER, "")
        return best.kind, slots.get("actor", ""), target

    def _open_candidates(self, lower: str) -> list[tuple[int, int, str, Template]]:
        """The templates ending with a slot that `lower` may match, most specific first."""
        needle = self.ascii_needle if lower.isascii() else self.any_needle
        found = list(self.anywhere) if needle.search(lower) else []
        for word in set(lower.split()):
            found += self.by_word.get(word, ())
        found.sort(key=lambda entry: entry[0])
        return found


def tree_pattern(texts: tuple[str, ...]) -> str:
    """A pattern matching any of `texts`, as a tree of their shared beginnings.

    A flat alternation tries every text in turn at each place; the tree tries
    one branch a character, so a line that holds none of them fails at once,
    however many languages the tables hold (over the 158 deleted-message texts,
    a flat list cost a message line 35 % more than the first tables' 54 did;
    over the 118 needles below, it cost a line 5.3 µs against the tree's 1.5).
    """
    branches: dict[str, list[str]] = {}
    whole = False
    for text in texts:
        if text:
            branches.setdefault(text[0], []).append(text[1:])
        else:
            whole = True
    if not branches:
        return ""
    parts = [re.escape(first) + tree_pattern(tuple(rest)) for first, rest in branches.items()]
    pattern = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    return f"(?:{pattern})?" if whole else pattern


def _whole_word(needle: str) -> str:
    """The longest word of `needle` with white space on each side in it, or "".

    Cut as `str.split()` cuts a line, so that a no-break space ("a\\xa0uživatelem",
    Czech) parts the same words in the template as in the line.
    """
    words = needle.split()
    if words and not needle[0].isspace():
        words = words[1:]
    if words and not needle[-1].isspace():
        words = words[:-1]
    return max(words, key=len, default="")


def language_templates(languages: Iterable[Language]) -> list[Template]:
    """Every template of `languages`, compiled (their texts are NFC, as the lines are).

    A wording written with zero-width non-joiners (Persian "messages") is also
    matched without them, as a line copied through some mail programs reads.
    """
    return [
        compile_template(kind, variant)
        for language in languages
        for kind, texts in language.system.items()
        for text in texts
        for variant in dict.fromkeys((text, text.replace(_NON_JOINER, "")))
    ]


_NON_JOINER = "\u200c"


def part_names(both: str, target: str, known: Callable[[str], bool]) -> tuple[str, str]:
    """(actor, target) of two names written as one text (`parted_later` gave `target`);
    ("", "") where it cannot tell.

    They are parted at the place that leaves the most parts `known` (names the
    chat shows elsewhere: senders, people added, joined or left); a tie, or no
    known part at all, credits nobody rather than the wrong member. Side by
    side, only the spaces that leave each side at most `_SIDE_WORDS` words are
    tried: with more words than two such sides hold, nobody is credited. A
    word between them written more than `_MOST_CUTS` times credits nobody.
    """
    order, between = target[1:2], target[2:]
    if len(both) > _LONGEST_PAIR:
        return "", ""
    cuts = _side_by_side_cuts(both) if between == " " else _cuts_at(both, between)
    if not cuts:
        return "", ""
    scored = [(known(first) + known(second), first, second) for first, second in cuts]
    best = max(score for score, _, _ in scored)
    winners = [(first, second) for score, first, second in scored if score == best]
    if not best or len(winners) != 1:
        return "", ""
    first, second = winners[0]
    return (first, second) if order == _ACTOR_FIRST else (second, first)


def _side_by_side_cuts(both: str) -> list[tuple[str, str]]:
    words = both.split()
    if not 2 <= len(words) <= 2 * _SIDE_WORDS:
        return []
    return [
        (" ".join(words[:at]), " ".join(words[at:]))
        for at in range(max(1, len(words) - _SIDE_WORDS), min(len(words), _SIDE_WORDS + 1))
    ]


def _cuts_at(both: str, between: str) -> list[tuple[str, str]]:
    """Every way `between` (lower case) parts `both` into two names, or none past the cap."""
    lower = both.lower()
    cuts: list[tuple[str, str]] = []
    at = lower.find(between, 1)
    while at >= 0 and at + len(between) < len(lower):
        if len(cuts) == _MOST_CUTS:
            return []
        first = _cased(both, lower, 0, at).strip()
        second = _cased(both, lower, at + len(between), len(lower)).strip()
        if first and second:
            cuts.append((first, second))
        at = lower.find(between, at + 1)
    return cuts
