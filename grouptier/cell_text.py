"""Text that must fit in one spreadsheet cell, shortened where a reader expects a break.

A cell holds at most so many characters (`Backend.cell_text_limit`: 32,767 in
Excel, 50,000 in Google Sheets). Excel files silently cut a longer text
mid-word and the Sheets API refuses the whole write, so every long text the
tool writes is shortened here first: a message at the end of a line, a list
of problems or warnings after a whole item, each saying what was left out.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["fit_items", "fit_lines", "shortened_note"]


def shortened_note(length: int, limit: int) -> str:
    """The line that ends a shortened message, so whoever copies it sees it is incomplete."""
    return (
        f"[… shortened here: the full text is {length:,} characters, more than the "
        f"{limit:,} one cell of this spreadsheet holds]"
    )


def fit_lines(text: str, limit: int) -> str:
    """`text` when it fits in `limit` characters, else its first whole lines and a note."""
    if len(text) <= limit:
        return text
    note = "\n" + shortened_note(len(text), limit)
    room = max(limit - len(note), 0)
    cut = text.rfind("\n", 0, room + 1)
    if cut <= 0:  # one enormous line: break at the last space, else mid-word as a last resort
        cut = text.rfind(" ", 0, room + 1)
    kept = text[: cut if cut > 0 else room].rstrip()
    return (kept + note)[:limit]


def fit_items(
    head: str, items: Sequence[str], limit: int, *, noun: str, hint: str, sep: str = "\n"
) -> str:
    """`head` and as many whole `items` as fit in `limit`, then how many `noun`s were left out.

    The items kept are the first ones, which callers order by importance (the
    sheet's problems in tab and cell order); `hint` says what to do, e.g.
    "fix these first".
    """
    text = head + "".join(sep + item for item in items)
    if len(text) <= limit:
        return text
    kept = head
    for shown, item in enumerate(items):
        rest = sep + _more(len(items) - shown - 1, noun, hint)
        if len(kept) + len(sep + item) + len(rest) > limit:
            break
        kept += sep + item
    else:
        shown = len(items)
    return fit_lines(kept + sep + _more(len(items) - shown, noun, hint), limit)


def _more(count: int, noun: str, hint: str) -> str:
    """`… and 2,042 more problems (fix these first)`."""
    return f"… and {count:,} more {noun if count == 1 else noun + 's'} ({hint})"
