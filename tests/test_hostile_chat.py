"""Chat exports any group member can poison, and files a manager can get wrong.

Each case asserts its bound: time growing linearly (measured at n and 4n),
peak memory, temporary folders left, the refusal's words, the exit code.
The hostile inputs come from `hostile_exports`, which a benchmark can use too.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import hostile_exports as hostile
import pytest
from click.testing import CliRunner
from conftest import SheetBuilder
from test_cycle import save

from grouptier.chat import formats as chat_formats
from grouptier.chat import ranges as chat_ranges
from grouptier.chat.export import ContentRule, read_chat
from grouptier.chat.phrases import part_names, parted_later
from grouptier.cli import main
from grouptier.errors import ChatExportError

CHATS = Path(__file__).resolve().parent / "data" / "chats"
T = TypeVar("T")
COMMAND = [sys.executable, "-m", "grouptier", "import-chat"]


@pytest.fixture
def temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder grouptier unpacks to, watched by the test."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def left_in(folder: Path) -> list[Path]:
    return sorted(folder.glob("grouptier-chat-*"))


def best_seconds(run: Callable[[], object], rounds: int = 3) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def assert_linear(
    make: Callable[[Path, int], Path], n: int, tmp_path: Path, rounds: int = 3
) -> None:
    """Reading an input of size 4n takes at most 8 times as long as one of size n.

    Linear is 4x; quadratic is 16x. The 50 ms allow for timer noise on tiny times.
    """
    small, big = make(tmp_path / "small.txt", n), make(tmp_path / "big.txt", 4 * n)
    at_n = best_seconds(lambda: read_chat(small, workers=1), rounds)
    at_4n = best_seconds(lambda: read_chat(big, workers=1), rounds)
    assert at_4n < 8 * at_n + 0.05, f"{at_n:.3f} s at n, {at_4n:.3f} s at 4n"


# --- lines that cost time -----------------------------------------------------------


@pytest.mark.parametrize("lines", [1, 3], ids=["one line", "three lines"])
def test_lines_of_invisible_marks_are_read_in_linear_time(tmp_path: Path, lines: int) -> None:
    assert_linear(lambda path, n: hostile.invisible_mark_lines(path, n, lines), 2_000, tmp_path)


def test_a_line_of_100000_marks_is_read_in_a_blink(tmp_path: Path) -> None:
    path = hostile.invisible_mark_lines(tmp_path / "marks.txt", 100_000, lines=3)
    assert best_seconds(lambda: read_chat(path, workers=1), rounds=1) < 0.5


@pytest.mark.parametrize(
    "line",
    [
        "\u200e[31/12/2024, 21:05:07] Ana: hi\n",
        "\u200e\u200e[\u200e31/12/2024, 21:05:07] Ana: hi\n",
        "\u200f31/12/2024,\u200e 21:05 - Ana: hi\n",
        "31\u200e/\u200e12/2024, 9:05\u200e\u202fp.m. - Ana: hi\n",
        "[2024-12-31 \u200e21:05:07] Ana: hi\n",
        "\u200e" * 50 + "\n",
        "\u200e" * 50 + "[" + "\u200e" * 50 + "x\n",
    ],
)
def test_bounded_header_patterns_read_what_the_unbounded_ones_read(line: str) -> None:
    """The marks are never given back, and no match depended on giving them back."""
    unbounded = chat_formats._header(f"[{chat_formats.INVISIBLE}]*")
    before, after = unbounded.match(line), chat_formats.HEADER.match(line)
    assert (before and before.groups()) == (after and after.groups())


def test_forged_system_lines_are_read_in_linear_time(tmp_path: Path) -> None:
    # One round: a second would find short system lines in the cache of known ones.
    assert_linear(hostile.forged_system_lines, 1_000, tmp_path, rounds=1)


def side_by_side_removals(path: Path, words: int, lines: int = 500) -> Path:
    """A Persian export whose removals hold `words` one-letter words between actor and verb.

    `{actor} {target} را حذف کرد` has no word between the two names, so each
    space is a place they may part: every place used to be tried, with its
    words joined and cleaned again, which made a line cost its words squared.
    """
    said = "31/12/24، 21:00 - Amira Haddad: سلام\n"
    removal = "".join(
        f"31/12/24، 21:{at % 60:02d} - Amira Haddad {'ع ' * words}را حذف کرد\n"
        for at in range(lines)
    )
    path.write_text(said + removal, encoding="utf-8")
    return path


def test_removals_of_many_words_side_by_side_are_read_in_linear_time(tmp_path: Path) -> None:
    assert_linear(side_by_side_removals, 45, tmp_path)


def test_parting_names_side_by_side_tries_few_places_however_many_words() -> None:
    tried: list[str] = []

    def known(names: str) -> bool:
        tried.append(names)
        return names == "Amira Haddad"

    for words in (2, 16, 17, 190):
        tried.clear()
        part_names("Amira Haddad" + " ع" * (words - 2), parted_later(" ", True), known)
        assert len(tried) <= 16, f"{len(tried)} names checked for {words} words"
        assert all(len(names.split()) <= 8 for names in tried)


def test_parting_two_names_at_a_word_a_name_holds_tries_few_places() -> None:
    """A member may type the word between two names (Japanese "が") thousands of times."""
    tried: list[str] = []

    def known(names: str) -> bool:
        tried.append(names)
        return names == "ながの"

    for times in (2, 17, 5_000):
        tried.clear()
        both = "ながの" + "が田中" * (times - 1)
        parted = part_names(both, parted_later("が", True), known)
        assert len(tried) <= 2 * 16, f"{len(tried)} names checked for {times} words"
        assert parted == (("ながの", "田中") if times == 2 else ("", ""))


def test_a_file_without_line_ends_is_read_in_linear_time(tmp_path: Path) -> None:
    assert_linear(hostile.one_long_line, 4 << 20, tmp_path)


def test_a_huge_line_is_read_in_bounded_memory(tmp_path: Path) -> None:
    path = hostile.one_long_line(tmp_path / "long.txt", 16 << 20)
    tracemalloc.start()
    try:
        export = read_chat(path, workers=1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert export.messages == 1
    assert peak < 8 << 20, f"{peak / 1e6:.1f} MB for a 16 MB line"


def test_a_huge_message_counts_once_and_keeps_its_link(tmp_path: Path) -> None:
    """Beyond the characters kept of a line, only a link can still change the count."""
    path = tmp_path / "long.txt"
    long_text = "x" * (3 << 20) + " https://example.org"
    path.write_text(f"{hostile.HEADER}Ana: {long_text}\n{hostile.HEADER}Bob: hi\n")
    export = read_chat(path, ContentRule(min_chars=0), workers=1)
    assert [(day.sender, day.messages, day.content) for day in export.sender_days] == [
        ("Ana", 1, 1),
        ("Bob", 1, 0),
    ]


@pytest.mark.parametrize("cut", [0, 1, 2, 3, 4], ids=lambda cut: f"{cut} kept")
def test_a_link_cut_by_the_end_of_what_is_kept_still_counts(tmp_path: Path, cut: int) -> None:
    from grouptier.chat.tally import LONGEST_LINE

    start = f"\n{hostile.HEADER}Ana: "
    text = "x" * (LONGEST_LINE - len(start) - cut) + "www.example.org"
    path = tmp_path / "long.txt"
    path.write_text(f"{start[1:]}{text}\n")
    export = read_chat(path, ContentRule(min_chars=0), workers=1)
    assert [(day.messages, day.content) for day in export.sender_days] == [(1, 1)]


# --- zips ------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path, temp: Path) -> None:
    path = hostile.zip_bomb(tmp_path / "chat.zip", 200 << 20)  # 200 MB in about 0.7 MB
    start = time.perf_counter()
    with pytest.raises(ChatExportError, match="unpacks to more than 100 MB") as refused:
        read_chat(path, workers=2)
    assert time.perf_counter() - start < 1
    assert "unzip it yourself and give grouptier the .txt file inside" in str(refused.value)
    assert left_in(temp) == []


def test_a_zip_that_declares_gigabytes_is_refused(tmp_path: Path) -> None:
    path = hostile.zipped(tmp_path / "chat.zip", hostile.ORDINARY_LINE.encode())
    hostile.declared_size(path, 3 << 30)
    with pytest.raises(ChatExportError, match="unpacks to more than 100 MB"):
        read_chat(path, workers=1)


def test_a_zip_that_lies_about_its_size_stops_at_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bytes are counted as they come out: the declared size is not trusted."""
    path = hostile.zip_bomb(tmp_path / "chat.zip", 8 << 20)
    monkeypatch.setattr("grouptier.chat_files.UNPACKED_FLOOR", 1_000_000)
    monkeypatch.setattr("grouptier.chat_files.check_member", lambda *_: None)
    with pytest.raises(ChatExportError, match="unpacks to more than 1 MB"):
        read_chat(path, workers=1)


def test_the_limit_leaves_room_for_real_exports(tmp_path: Path) -> None:
    from grouptier.chat_files import unpacked_limit

    small, big = tmp_path / "small.zip", tmp_path / "big.zip"
    small.write_bytes(b"x" * 1000)
    big.write_bytes(b"")
    os.truncate(big, 500 << 20)
    assert unpacked_limit(small) == 100_000_000
    assert unpacked_limit(big) == 2_000_000_000  # 20 times would be 10 GB: the ceiling holds


def test_a_password_protected_zip_is_refused(tmp_path: Path) -> None:
    path = hostile.password_protected(
        hostile.zipped(tmp_path / "chat.zip", hostile.ORDINARY_LINE.encode())
    )
    with pytest.raises(
        ChatExportError, match=r'"_chat\.txt" in this zip is protected by a password'
    ):
        read_chat(path, workers=1)


def test_a_zip_cut_short_says_so(tmp_path: Path) -> None:
    whole = hostile.zipped(tmp_path / "whole.zip", (CHATS / "android_de.txt").read_bytes())
    path = tmp_path / "chat.zip"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(ChatExportError, match="this zip file is cut short"):
        read_chat(path, workers=1)


def test_a_zip_with_a_damaged_directory_says_so(tmp_path: Path) -> None:
    path = hostile.zipped(tmp_path / "chat.zip", (CHATS / "android_de.txt").read_bytes())
    data = bytearray(path.read_bytes())
    central = data.rindex(b"PK\x01\x02")
    data[central : central + 4] = b"XXXX"
    path.write_bytes(bytes(data))
    with pytest.raises(ChatExportError, match="the zip file is damaged"):
        read_chat(path, workers=1)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_are_read_with_or_without_a_byte_order_mark(
    tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "chat.txt"
    path.write_bytes((hostile.ORDINARY_LINE.replace("Ana", "Åsa وفاء") * 5).encode(encoding))
    export = read_chat(path, workers=1)
    assert [(day.sender, day.messages) for day in export.sender_days] == [("Åsa وفاء", 5)]


def test_utf16_without_a_byte_order_mark_in_arabic_is_read(tmp_path: Path) -> None:
    """Long texts in Arabic letters have few zero bytes: the headers' digits show it."""
    line = f"{hostile.HEADER}أحمد: {'مرحبا بكم في المجموعة ' * 8}\n"
    path = tmp_path / "chat.txt"
    path.write_bytes((line * 5).encode("utf-16-le"))
    assert read_chat(path, workers=1).messages == 5


# --- what is not a file --------------------------------------------------------------


def special_files(tmp_path: Path) -> Iterator[tuple[str, Path, str]]:
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    yield "a symlink to /dev/zero", zero, "this is a device"
    yield "a FIFO", fifo, r"this is a pipe \(FIFO\)"
    yield "a folder", folder, "this is a folder"


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    """In a child process with a time and memory limit: before, /dev/zero filled memory."""
    for what, path, message in special_files(tmp_path):
        child = subprocess.run(
            [sys.executable, "-c", READ_ONE, str(path)],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
        assert child.returncode == 0, f"{what}: {child.stderr[-300:]}"
        assert re.search(message, child.stdout), f"{what}: {child.stdout}"
        assert "not a chat export file" in child.stdout


READ_ONE = """
import resource, signal, sys
from pathlib import Path
from grouptier.chat.export import read_chat
from grouptier.errors import ChatExportError
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
signal.alarm(5)
try:
    read_chat(Path(sys.argv[1]), workers=1)
except ChatExportError as refused:
    print(refused)
"""


def test_the_command_refuses_a_pipe_at_once(tmp_path: Path, community: Path) -> None:
    """In a child process: before, the command waited forever for a writer."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    child = subprocess.run(
        [*COMMAND, str(fifo), "--group", "General", str(community)],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert child.returncode == 1
    assert "this is a pipe (FIFO), not a chat export file" in child.stdout + child.stderr
    assert "Traceback" not in child.stderr


def test_a_symlink_to_a_real_export_is_followed(tmp_path: Path) -> None:
    link = tmp_path / "chat.txt"
    link.symlink_to(CHATS / "android_de.txt")
    assert read_chat(link, workers=1).messages == read_chat(CHATS / "android_de.txt").messages


# --- the command -----------------------------------------------------------------------


@pytest.fixture
def community(sheet: SheetBuilder, tmp_path: Path) -> Path:
    sheet.member("General", name="Ana")
    path = tmp_path / "community.xlsx"
    save(sheet, path)
    return path


def test_the_command_refuses_with_exit_code_1_and_no_traceback(
    tmp_path: Path, community: Path, temp: Path
) -> None:
    cut = hostile.zipped(tmp_path / "cut.zip", (CHATS / "android_de.txt").read_bytes())
    cut.write_bytes(cut.read_bytes()[:200])
    exports = {
        "unpacks to more than 100 MB": hostile.zip_bomb(tmp_path / "bomb.zip", 150 << 20),
        "protected by a password": hostile.password_protected(
            hostile.zipped(tmp_path / "locked.zip", hostile.ORDINARY_LINE.encode())
        ),
        "this zip file is cut short": cut,
    }
    for message, export in exports.items():
        args = ["import-chat", str(export), "--group", "General", str(community), "--dry-run"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, result.output
        assert message in result.output and "Traceback" not in result.output
    assert left_in(temp) == []


# --- temporary folders -------------------------------------------------------------------


@pytest.fixture
def small_ranges(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chat_ranges, "PARALLEL_FROM", 0)
    monkeypatch.setattr(chat_ranges, "RANGE_BYTES", 40)


@pytest.mark.usefixtures("small_ranges")
def test_a_zip_read_on_workers_leaves_no_temporary_folder(tmp_path: Path, temp: Path) -> None:
    path = hostile.zipped(tmp_path / "chat.zip", (CHATS / "android_de.txt").read_bytes() * 3)
    assert read_chat(path, workers=2).messages
    assert left_in(temp) == []


@pytest.mark.usefixtures("small_ranges")
def test_a_disk_that_fills_while_unpacking_stops_the_import(
    tmp_path: Path, temp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("grouptier.chat.export.shutil.copyfileobj", full)
    path = hostile.zipped(tmp_path / "chat.zip", (CHATS / "android_de.txt").read_bytes())
    with pytest.raises(ChatExportError, match="filled up while the chat was unpacked"):
        read_chat(path, workers=2)
    assert left_in(temp) == []


@pytest.mark.usefixtures("small_ranges")
def test_without_room_to_unpack_the_zip_is_read_in_one_pass(
    tmp_path: Path, temp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk is never filled: the chat is read from the zip, with the same counts."""
    monkeypatch.setattr("grouptier.chat_files.free_bytes", lambda _: 0)
    seen: list[tuple[int, int]] = []
    text = (CHATS / "android_de.txt").read_bytes()
    path = hostile.zipped(tmp_path / "chat.zip", text)
    export = read_chat(path, progress=lambda *done: seen.append(done), workers=2)
    assert export.messages == read_chat(CHATS / "android_de.txt", workers=1).messages
    assert seen == [(len(text), len(text))] * 2  # one block and the end: no ranges


def test_folders_of_killed_runs_are_removed(temp: Path) -> None:
    from grouptier.chat_files import LEFTOVER_AGE, remove_leftovers

    dead = dead_pid()
    old = time.time() - LEFTOVER_AGE - 60
    names = {
        "dead": f"grouptier-chat-{dead}-abc",
        "older version": "grouptier-chat-k2j3h4",
        "live": f"grouptier-chat-{os.getpid()}-abc",
        "dead but recent": f"grouptier-chat-{dead}-new",
        "not ours": "something-else",
    }
    for key, name in names.items():
        (temp / name).mkdir()
        (temp / name / "chat.txt").write_text("x")
        if key != "dead but recent":
            for changed in (temp / name / "chat.txt", temp / name):
                os.utime(changed, (old, old))
    removed = {path.name for path in remove_leftovers(str(temp))}
    assert removed == {names["dead"], names["older version"]}
    assert sorted(path.name for path in temp.iterdir()) == sorted(
        names[key] for key in ("live", "dead but recent", "not ours")
    )


def dead_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", ""])
    child.wait()
    return child.pid


def test_sigterm_raises_only_while_reading_and_the_old_handler_comes_back() -> None:
    from grouptier.chat_files import Terminated, terminate_raises

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(Terminated) as ended, terminate_raises():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(1)
    assert ended.value.code == 128 + signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) == before


# --- SIGTERM on the real command -------------------------------------------------------------


@pytest.mark.parametrize("during", ["unpacking", "counting"])
def test_sigterm_leaves_no_temporary_folder_and_no_worker(
    tmp_path: Path, community: Path, during: str
) -> None:
    export = hostile.stored_export_zip(tmp_path / "big.zip", 150 << 20)
    temp = tmp_path / "tmp"
    temp.mkdir()
    errors = tmp_path / "stderr.txt"
    with errors.open("wb") as stderr:
        child = subprocess.Popen(
            [*COMMAND, str(export), "--group", "General", str(community), "--dry-run"],
            env={**os.environ, "TMPDIR": str(temp)},
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    workers: list[int] = []
    try:
        if during == "unpacking":
            wait_for(lambda: bool(left_in(temp)), child)
        else:
            workers = wait_for(lambda: children_of(child.pid), child)
        child.send_signal(signal.SIGTERM)
        start = time.perf_counter()
        child.wait(timeout=10)
        seconds = time.perf_counter() - start
        orphans = [pid for pid in workers if running(pid)]
    finally:
        for pid in [child.pid, *workers]:
            if running(pid):
                os.kill(pid, signal.SIGKILL)
        child.wait()
    assert child.returncode == 128 + signal.SIGTERM, errors.read_text()[-500:]
    assert seconds < 5
    assert left_in(temp) == []
    assert orphans == []


def wait_for(found: Callable[[], T], child: subprocess.Popen[bytes]) -> T:
    """What `found` returns once it is something, polled while the child runs."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and child.poll() is None:
        if result := found():
            return result
        time.sleep(0.002)
    raise AssertionError(f"never happened (the child ended with {child.returncode})")


def children_of(pid: int) -> list[int]:
    """The processes whose parent is `pid` (read from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def running(pid: int) -> bool:
    """Whether a process exists and is not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize(
    ("body", "end"),
    [("a", ")"), ("(", ")"), ("a", ">"), ("<", ">"), ("<attached: ", "x>")],
    ids=["letters then )", "brackets then )", "letters then >", "angles then >", "attached"],
)
def test_a_long_text_that_may_end_like_an_attachment_is_read_in_linear_time(
    tmp_path: Path, body: str, end: str
) -> None:
    """Such a text is classified (`attachment_kind`); every pattern it meets is anchored."""

    def export(path: Path, size: int) -> Path:
        path.write_text(f"28/04/2021, 17:51 - Ana: {body * size}{end}\n", encoding="utf-8")
        return path

    assert_linear(export, 20_000 // len(body), tmp_path)
