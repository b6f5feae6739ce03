"""Counting a big export in ranges, on several processes, gives the counts of one pass."""

from __future__ import annotations

import io
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from test_chat_export import CHATS, export_lines, read_line_by_line

from grouptier.chat import ranges as chat_ranges
from grouptier.chat.export import ChatExport, ContentRule, read_chat, summarise
from grouptier.chat.ranges import count_range, merge_in_order, message_starts
from grouptier.chat.tally import header_match
from grouptier.display import reading_progress
from grouptier.errors import ChatExportError

TEXT_FIXTURES = sorted(path.name for path in CHATS.glob("*.txt") if path.name != "not_a_chat.txt")
RULE = ContentRule(min_chars=30, media=True)


def read_in_ranges(path: Path, rule: ContentRule, step: int) -> ChatExport:
    """Ranges of about `step` bytes, each counted on its own here, then merged in order."""
    starts = message_starts(path, path.stat().st_size, step)
    tasks = [(str(path), start, end, rule) for start, end in pairwise(starts)]
    return summarise(merge_in_order(map(count_range, tasks), starts, None), path.name, None)


@pytest.mark.parametrize("step", [1, 13, 200, 1 << 20], ids=lambda step: f"{step} bytes")
@pytest.mark.parametrize("name", TEXT_FIXTURES)
def test_every_fixture_reads_in_ranges_as_in_one_pass(name: str, step: int) -> None:
    assert read_in_ranges(CHATS / name, RULE, step) == read_line_by_line(CHATS / name, RULE)


def test_ranges_start_at_message_lines_only(tmp_path: Path) -> None:
    """A text of many lines is never cut: its later lines belong to its message."""
    path = tmp_path / "chat.txt"
    path.write_text(
        "1/13/24, 9:00 AM - Amira: the start\n"
        + "12 apples and more of it\n" * 50
        + "1/13/24, 9:05 AM - Ben: ok\n"
        + "1/13/24, 9:06 AM - Chen: ok too\n",
        encoding="utf-8",
    )
    data = path.read_bytes()
    starts = message_starts(path, len(data), 10)
    ben = data.index(b"1/13/24, 9:05")
    assert starts == [0, ben, data.index(b"1/13/24, 9:06"), len(data)]
    for start in starts[1:-1]:
        assert data[start - 1 : start] == b"\n"
        assert header_match(data[start:].split(b"\n")[0].decode()) is not None


@pytest.mark.parametrize("workers", [1, 2, 3, 8])
@pytest.mark.parametrize("size", [1, 5 << 20, 100 << 20, 1 << 30])
def test_every_worker_gets_as_many_ranges_of_about_range_bytes(size: int, workers: int) -> None:
    step = chat_ranges.range_step(size, workers)
    pieces = -(-size // step)
    assert pieces % workers == 0 or pieces < workers
    if size >= workers * chat_ranges.RANGE_BYTES:
        assert chat_ranges.RANGE_BYTES / 2 <= step <= chat_ranges.RANGE_BYTES * 1.5


def test_a_file_without_message_lines_is_one_range(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just notes\n" * 100)
    assert message_starts(path, path.stat().st_size, 16) == [0, path.stat().st_size]


def test_an_unknown_ampm_word_is_reported_once_over_all_ranges(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    lines = [f"1/{day}/24, 9:0{day % 10} xq - Amira: hi {day}\n" for day in range(1, 21)]
    path.write_text("".join(lines), encoding="utf-8")
    whole = read_line_by_line(path, RULE)
    assert whole.skipped == 1 and "xq" in whole.skipped_sample[0].why
    assert read_in_ranges(path, RULE, 40) == whole


def test_skipped_lines_keep_their_line_numbers_over_ranges(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    good = "1/13/24, 9:00 AM - Amira: hi\n"
    broken = "1/13/24, 25 PM - Ben: no minutes\n"
    path.write_text((good * 3 + broken) * 4, encoding="utf-8")
    export = read_in_ranges(path, RULE, 50)
    assert [sample.line for sample in export.skipped_sample] == [4, 8, 12, 16]
    assert export == read_line_by_line(path, RULE)


def test_a_day_cut_between_ranges_is_one_run_and_one_day(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_text("[13/01/2024, 09:00:00] Amira: hi\n" * 30, encoding="utf-8")
    export = read_in_ranges(path, RULE, 100)
    assert export.platform == "ios"
    assert [(day.sender, day.messages) for day in export.sender_days] == [("Amira", 30)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=export_lines, end=st.sampled_from(["", "\n", "\r\n"]), step=st.integers(1, 400))
def test_random_exports_read_in_ranges_as_one_pass(lines: list[str], end: str, step: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "chat.txt")
        path.write_bytes(("\ufeff" + "\n".join(lines) + end).encode())
        assert read_in_ranges(path, RULE, step) == read_line_by_line(path, RULE)


# --- the real thing: worker processes -----------------------------------------------------


@pytest.fixture
def small_ranges(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file is big enough to share out, in ranges of a few lines."""
    monkeypatch.setattr(chat_ranges, "PARALLEL_FROM", 0)
    monkeypatch.setattr(chat_ranges, "RANGE_BYTES", 40)


@pytest.fixture
def another_thread() -> Iterator[None]:
    """A second thread, as a progress bar or a server has: the process must not fork."""
    stop = threading.Event()
    waiting = threading.Thread(target=stop.wait)
    waiting.start()
    yield
    stop.set()
    waiting.join()


def read_on_workers(path: Path, size: int | None = None) -> ChatExport:
    """Read with two workers, and check that the ranges were shared out and merged in order.

    `size` is that of the text: the file's own, unless it is a zip.
    """
    seen: list[tuple[int, int]] = []
    export = read_chat(path, RULE, progress=lambda *done: seen.append(done), workers=2)
    size = size or path.stat().st_size
    assert len(seen) > 1, "not read in ranges"
    assert seen[-1] == (size, size)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    return export


@pytest.mark.usefixtures("small_ranges")
def test_worker_processes_count_as_one_pass() -> None:
    alone = threading.active_count() == 1  # unless a thread of another test lingers
    assert chat_ranges._context().get_start_method() == ("fork" if alone else "forkserver")
    for name in TEXT_FIXTURES:
        path = CHATS / name
        assert read_on_workers(path) == read_chat(path, RULE, workers=1), name


@pytest.mark.usefixtures("small_ranges", "another_thread")
def test_with_other_threads_workers_start_from_a_fork_server() -> None:
    assert chat_ranges._context().get_start_method() == "forkserver"
    path = CHATS / "android_en_us_12h.txt"
    assert read_on_workers(path) == read_chat(path, RULE, workers=1)


@pytest.mark.usefixtures("small_ranges")
def test_without_processes_the_export_is_read_in_one_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A sandbox that cannot start processes (no semaphores) still reads the export."""

    def no_processes(*_: object) -> None:
        raise OSError(38, "Function not implemented")

    monkeypatch.setattr(chat_ranges, "count_in_ranges", no_processes)
    path = CHATS / "android_de.txt"
    assert read_chat(path, RULE, workers=2) == read_line_by_line(path, RULE)


@pytest.mark.usefixtures("small_ranges")
def test_a_zip_is_unpacked_then_shared_out(tmp_path: Path) -> None:
    text = (CHATS / "android_en_us_12h.txt").read_bytes()
    path = tmp_path / "WhatsApp Chat with Team.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("WhatsApp Chat with Team.txt", text)
    export = read_on_workers(path, size=len(text))
    assert export == replace(
        read_line_by_line(CHATS / "android_en_us_12h.txt", RULE), name=path.name
    )


@pytest.mark.usefixtures("small_ranges")
def test_a_damaged_zip_read_in_ranges_says_so(tmp_path: Path) -> None:
    path = tmp_path / "chat.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("_chat.txt", (CHATS / "android_de.txt").read_bytes() * 20)
    data = bytearray(path.read_bytes())
    data[60:90] = bytes(30)  # inside the compressed chat
    path.write_bytes(bytes(data))
    with pytest.raises(ChatExportError, match="damaged"):
        read_chat(path, workers=2)


@pytest.mark.usefixtures("small_ranges")
def test_utf16_exports_are_read_in_one_pass(tmp_path: Path) -> None:
    """Their bytes cannot be cut into ranges at a line end; they still read right."""
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(("13/01/2024, 09:00 - Amira: hi\n" * 40).encode("utf-16"))
    seen: list[tuple[int, int]] = []
    assert read_chat(utf16, progress=lambda *done: seen.append(done), workers=2).messages == 40
    assert len(seen) == 2  # one block, then the end: no ranges


@pytest.mark.usefixtures("small_ranges")
def test_a_non_chat_file_read_in_ranges_says_so() -> None:
    with pytest.raises(ChatExportError, match="no line looks like a WhatsApp message"):
        read_chat(CHATS / "not_a_chat.txt", workers=2)


def test_the_progress_bar_draws_without_a_thread_of_its_own() -> None:
    """So that `grouptier import-chat`, with its bar, may still fork its workers."""
    out = io.StringIO()
    threads = threading.active_count()
    with reading_progress(Console(file=out, force_terminal=True, width=80), large=10) as advance:
        advance(5, 100)
        assert threading.active_count() == threads
        advance(100, 100)
    assert "100/100 bytes" in out.getvalue()
