"""Count a big chat export in ranges of lines, on several processes at once.

One Python process reads about 70 MB of export a second; a machine has more
cores than one. A UTF-8 text of `PARALLEL_FROM` bytes or more (an export, or
the chat of a zip unpacked) is cut into ranges of about `RANGE_BYTES`, each
starting at a message line; the ranges are counted in worker processes and
merged in file order by `Tally.absorb`. Because a message line starts every
range, the counts are the ones a single pass makes; the tests compare the
two on every fixture.

On Linux a process with a single thread forks its workers, which costs a
millisecond each. A process with more threads (a progress bar's, a server's)
must not fork; its workers start from a fork server that has this module
loaded, or, where there is none (Windows), as fresh interpreters. Those two
import the caller's main module, as every multiprocessing program does: a
script that reads big exports needs the usual `if __name__ == "__main__":`.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from itertools import pairwise
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from pathlib import Path

from grouptier.chat.normal_form import nfc
from grouptier.chat.tally import ContentRule, Tally, header_match, text_blocks
from grouptier.gc_pause import gc_paused

PARALLEL_FROM = 32 << 20  # below this, starting processes costs more than it saves
RANGE_BYTES = 8 << 20  # several ranges a worker, so the progress bar moves
_SEARCH_BYTES = 1 << 20  # how far past a cut to look for a message line
_HEADER_BYTES = 256  # enough of a line to hold any header

Range = tuple[str, int, int, ContentRule]
"""A file, where a range of its lines starts and ends (bytes), and the content rule."""


def available_cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - macOS and Windows


def message_starts(path: Path, size: int, step: int) -> list[int]:
    """Offsets that cut the file into ranges of about `step` bytes, each at a message line.

    The first is 0 and the last is `size`. A cut goes to the first message
    line after its mark; where none follows within `_SEARCH_BYTES`, the
    ranges on either side stay one.
    """
    starts = [0]
    with path.open("rb") as raw:
        for mark in range(step, size, step):
            if mark > starts[-1] and (found := _next_message(raw, mark)) is not None:
                starts.append(found)
    return [*starts, size] if starts[-1] < size else starts


def range_step(size: int, workers: int) -> int:
    """About RANGE_BYTES, so that every worker gets as many ranges: none waits on the last."""
    pieces = workers * max(1, round(size / (workers * RANGE_BYTES)))
    return -(-size // pieces)


def _next_message(raw: io.BufferedReader, mark: int) -> int | None:
    """The offset of the first message line that starts after `mark`, if one is near."""
    raw.seek(mark)
    window = raw.read(_SEARCH_BYTES + _HEADER_BYTES)
    end = window.find(b"\n")
    while 0 <= end < _SEARCH_BYTES:
        start = end + 1
        # A "\r" alone ends a line too when the text is read: the header is before it.
        head = window[start : start + _HEADER_BYTES].split(b"\n", 1)[0].split(b"\r", 1)[0]
        if head and header_match(nfc(head.decode("utf-8", "replace"))) is not None:
            return mark + start
        end = window.find(b"\n", start)
    return None


def count_range(task: Range) -> Tally:
    """Count the lines of one range of a UTF-8 file, as if the file began there."""
    name, start, end, rule = task
    tally = Tally(rule)
    with gc_paused(), Path(name).open("rb") as raw:
        raw.seek(start)
        # The first range may start with a byte-order mark; later ones keep a U+FEFF as text.
        text = io.TextIOWrapper(
            io.BufferedReader(_Window(raw, end - start)),
            encoding="utf-8-sig" if start == 0 else "utf-8",
            errors="replace",
            newline=None,
        )
        for block, ended in text_blocks(text):
            tally.read_block(block, ended)
    return tally


def count_in_ranges(
    path: Path,
    starts: list[int],
    rule: ContentRule,
    workers: int,
    progress: Callable[[int], None] | None = None,
) -> Tally:
    """Count the ranges between `starts` in `workers` processes and merge them in order.

    `progress` is called with the bytes counted so far, each time a range is merged.
    """
    tasks = [(str(path), start, end, rule) for start, end in pairwise(starts)]
    pool = ProcessPoolExecutor(
        min(workers, len(tasks)), mp_context=_context(), initializer=_worker_signals
    )
    try:
        # Python runs a signal's handler in the parent's at-fork hooks, which swallow
        # what it raises: SIGTERM waits until the workers are started.
        with _signals_held():
            counted = pool.map(count_range, tasks)
        tallies = merge_in_order(counted, starts, progress)
    except BaseException:
        # SIGTERM (raised by chat_files), Ctrl-C or a failure: the ranges not yet
        # counted are not wanted. A plain shutdown would wait for every one of them.
        _stop(pool)
        raise
    pool.shutdown()
    return tallies


def _worker_signals() -> None:
    """A worker ends at once on SIGTERM, and leaves Ctrl-C to the process that started it.

    A forked worker inherits its parent's handler, which would turn SIGTERM
    into an exception the pool sends back instead of ending the worker.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)


_HELD = {signal.SIGTERM, signal.SIGINT}


@contextmanager
def _signals_held() -> Iterator[None]:
    """SIGTERM and SIGINT wait (they are not lost) until the block is left."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what is left and end the workers now, without waiting for their ranges."""
    # The pool has no public way to end its workers before Python 3.14's terminate_workers.
    found: dict[int, BaseProcess] = getattr(pool, "_processes", None) or {}
    processes = list(found.values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(_JOIN_SECONDS)


_JOIN_SECONDS = 5


def merge_in_order(
    tallies: Iterable[Tally], starts: list[int], progress: Callable[[int], None] | None
) -> Tally:
    """One tally of ranges counted apart, in file order."""
    merged: Tally | None = None
    for end, tally in zip(starts[1:], tallies, strict=True):
        if merged is None:
            merged = tally
        else:
            merged.absorb(tally)
        if progress is not None:
            progress(end)
    assert merged is not None, "a file has at least one range"
    return merged


def _context() -> BaseContext:
    """Fork where it is safe and fastest; else a fork server, else fresh interpreters."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform == "linux" and "fork" in methods and threading.active_count() == 1:
        # With one thread no lock can be held by another across the fork, and a fork
        # starts a worker in a millisecond with this module already loaded.
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows


class _Window(io.RawIOBase):
    """The next `size` bytes of a file, read as a file of their own."""

    def __init__(self, raw: io.BufferedReader, size: int) -> None:
        super().__init__()
        self.raw, self.left = raw, size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self.left <= 0:
            return 0
        wanted = min(len(buffer), self.left)
        read = self.raw.readinto(buffer[:wanted])
        self.left -= read
        return read
