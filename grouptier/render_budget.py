"""The budget all of a run's overrides share: time, and the bytes they build.

A `Renderer` lives for one run and holds one `RunBudget`: every override the
run renders spends from it, so a slow good morning rendered for every group
and day of a cycle stops at the run's limit instead of taking that many
times a per-message limit. (The trial renders that check overrides before a
run have a budget of their own, as large.) Sizes are
counted in bytes of memory, estimated without building anything: a character
is 1 byte in ASCII text and up to 4 otherwise, a list item or loop step
`ITEM_BYTES`. What a run builds is counted as it is built (never freed), so
the peak memory of all overrides stays below the budget plus what Jinja keeps
while joining a block's pieces.
"""

from __future__ import annotations

import time
from collections.abc import Callable, ItemsView, Iterable, KeysView, Mapping, ValuesView
from dataclasses import dataclass, field
from typing import Any

from jinja2.utils import Namespace

RUN_TIME_LIMIT = 5.0  # seconds all overrides of one run may take together
RUN_SIZE_LIMIT = 24_000_000  # bytes all overrides of one run may build together
ITEM_BYTES = 64  # what one list item or loop step is counted as (pointer and object)


class RenderStoppedError(Exception):
    """An override was stopped: too slow, too big, or asking for something refused."""


def shown_bytes(size: float) -> str:
    """`24 MB`, `2.1 GB`: a size a manager can read."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if size >= scale:
            shown = size / scale
            return f"{shown:,.0f} {unit}" if shown >= 100 else f"{shown:.3g} {unit}"
    return f"{size:.0f} bytes"


def text_bytes(text: str) -> int:
    """Memory `text` takes, per character: 1 for ASCII, else up to 4 (`isascii` is O(1))."""
    return len(text) if text.isascii() else 4 * len(text)


@dataclass
class RunBudget:
    """Time and size all overrides of one run share; `tick` and `afford` stop a render."""

    seconds: float = RUN_TIME_LIMIT
    size: int = RUN_SIZE_LIMIT
    spent: float = 0.0  # seconds used by renders that have finished
    built: int = 0  # bytes counted so far
    _deadline: float = field(default=float("inf"), init=False, repr=False)
    _started: float = field(default=0.0, init=False, repr=False)

    def start(self) -> None:
        """A render begins: the clock runs until `stop`."""
        self._started = time.monotonic()
        self._deadline = self._started + self.seconds - self.spent

    def stop(self) -> None:
        """A render ended: its time is added to what the run has spent."""
        if self._deadline != float("inf"):
            self.spent += time.monotonic() - self._started
        self._deadline = float("inf")

    def tick(self) -> None:
        """Stop once the run's time is up."""
        if time.monotonic() > self._deadline:
            raise RenderStoppedError(
                f"the Templates overrides took longer than {self.seconds:g} s in this run "
                "(the limit for all of them together); stopped here"
            )

    @property
    def left(self) -> int:
        """Bytes the run may still build."""
        return max(self.size - self.built, 0)

    def afford(self, estimate: float) -> None:
        """Refuse, before building it, something of `estimate` bytes the run cannot afford."""
        if estimate > self.left:
            raise RenderStoppedError(  # estimates are upper bounds, hence "could"
                f"this could build more than the {shown_bytes(self.left)} left of the "
                f"{shown_bytes(self.size)} all overrides of one run may build; refused"
            )

    def charge(self, value: Any) -> Any:
        """Count what was built (text, a list) against the budget; `value` back."""
        if isinstance(value, str):
            self.spend(text_bytes(value))
        elif isinstance(value, (list, tuple)):
            self.spend(len(value) * ITEM_BYTES)
        return value

    def spend(self, size: int) -> None:
        """Count `size` bytes built; stop once the run has built more than it may."""
        self.built += size
        if self.built > self.size:
            raise RenderStoppedError(
                f"the Templates overrides built more than {shown_bytes(self.size)} in this run "
                "(the limit for all of them together); stopped here"
            )


def repr_bytes(value: Any, limit: int, tick: Callable[[], None]) -> int:
    """An upper bound of the memory `str(value)` takes, stopping as soon as it passes `limit`.

    Walks lists, tuples, dicts and namespaces without recursion, because a list
    that holds the same big list twice a few dozen times over is tiny in memory
    but astronomically long as text (or to compare).
    """
    total = 0
    stack: list[tuple[Any, bool]] = [(value, False)]
    steps = 0
    while stack and total <= limit:
        item, nested = stack.pop()
        parts: Iterable[Any] = ()
        if isinstance(item, str):  # inside a list, repr can escape one char as 10 (\U000e0001)
            total += text_bytes(item) if not nested else 40 * len(item) + 2
        elif isinstance(item, Namespace):
            parts = (item._Namespace__attrs,)
        elif isinstance(item, (Mapping, ItemsView)):
            pairs = item.items() if isinstance(item, Mapping) else item
            parts = (part for pair in pairs for part in pair)
            total += 8 + 16 * len(item)
        elif isinstance(item, (list, tuple, set, frozenset, KeysView, ValuesView)):
            parts = item
            total += 8 + 8 * len(item)
        elif isinstance(item, int) and not isinstance(item, bool):
            total += item.bit_length() // 3 + 8
        else:  # numbers, None, ranges, macros, loops: short reprs
            total += 64
        if total <= limit:  # never walk into what is already too big
            stack.extend((part, True) for part in parts)
        steps += 1
        if steps % 1024 == 0:
            tick()
    return total
