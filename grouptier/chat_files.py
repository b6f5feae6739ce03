"""Opening a chat export safely: what any group member or a mistaken path can hand us.

An export is read only if it is a regular file (a symlink to one is
followed): a folder, a pipe or a device such as `/dev/zero` is refused
before it is opened, as it would hang the reading or never end. A zip is
unpacked only up to `unpacked_limit` bytes, checked against the sizes its
directory declares and again while the bytes come out, since a zip can lie
about them. A password, a compression method Python cannot read and a zip
cut short are refused with what to do. The text's encoding is read from its
first bytes, with or without a byte-order mark (UTF-8, UTF-16, UTF-32).

A zip unpacked for the parallel count goes to a temporary folder named
`grouptier-chat-<pid>-...`, removed on every way out; `terminate_raises`
turns SIGTERM into an exception while an export is read so that the removal
runs, and every run first removes the folders that killed runs left behind.
"""

from __future__ import annotations

import io
import os
import secrets
import shutil
import signal
import stat
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import IO

from grouptier.errors import ChatExportError

UNPACKED_RATIO = 20  # chats compress about 5-10 times; 20 leaves room, a zip bomb has 1,000
UNPACKED_FLOOR = 100_000_000  # a small zip may always hold this much, however well it compressed
UNPACKED_CEILING = 2_000_000_000  # about 20 million messages: more than any group writes
TEMP_PREFIX = "grouptier-chat-"
LEFTOVER_AGE = 600  # seconds without a change before a dead run's folder is removed
_ZIP_START = b"PK\x03\x04"
_UNZIP_ADVICE = "unzip it yourself and give grouptier the .txt file inside"


def check_regular(path: Path) -> None:
    """Refuse anything but a regular file (a symlink is followed), without opening it."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise ChatExportError(path, f"cannot be read ({exc.strerror or exc})") from exc
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        what = "a folder"
    elif stat.S_ISFIFO(mode):
        what = "a pipe (FIFO)"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device"
    else:
        what = "not a regular file"
    raise ChatExportError(
        path, f"this is {what}, not a chat export file; give the .zip or .txt WhatsApp made"
    )


def unpacked_limit(path: Path) -> int:
    """How many bytes the chat in the zip at `path` may unpack to."""
    return min(UNPACKED_CEILING, max(UNPACKED_FLOOR, UNPACKED_RATIO * path.stat().st_size))


def is_cut_zip(path: Path) -> bool:
    """A file that starts as a zip but whose end (the zip's directory) is missing."""
    with path.open("rb") as raw:
        return raw.read(4) == _ZIP_START and not zipfile.is_zipfile(path)


def open_zip(path: Path) -> zipfile.ZipFile:
    """The zip at `path`, or a refusal saying what is wrong with it."""
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise ChatExportError(path, f"the zip file is damaged and cannot be read ({exc})") from exc


def check_member(path: Path, member: zipfile.ZipInfo, limit: int) -> None:
    """Refuse a chat that is locked, compressed in a way Python cannot read, or too big."""
    if member.flag_bits & 0x1:
        raise ChatExportError(
            path,
            f'the chat "{member.filename}" in this zip is protected by a password; '
            f"{_UNZIP_ADVICE}, or export the chat again from WhatsApp",
        )
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ChatExportError(
            path,
            f'the chat "{member.filename}" is compressed in a way grouptier cannot read '
            f"(method {member.compress_type}); {_UNZIP_ADVICE}",
        )
    if member.file_size > limit:
        raise too_big(path, limit)


def too_big(path: Path, limit: int) -> ChatExportError:
    """The refusal of a zip whose chat unpacks to more than `limit` bytes."""
    return ChatExportError(
        path,
        f"the chat in this zip unpacks to more than {limit / 1e6:,.0f} MB, far more than "
        "a WhatsApp export of its size holds; grouptier stopped before unpacking it. If the "
        f"export is genuine, {_UNZIP_ADVICE}",
    )


def open_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, path: Path) -> IO[bytes]:
    """The chat's bytes, which stop with a refusal past the zip's unpacked limit."""
    raw = _Capped(archive.open(member), unpacked_limit(path), path)
    return io.BufferedReader(raw, 1 << 16)


class _Capped(io.RawIOBase):
    """A zip member's bytes, counted: past `limit` the reading stops with `too_big`."""

    def __init__(self, source: IO[bytes], limit: int, path: Path) -> None:
        super().__init__()
        self.source, self.limit, self.path, self.done = source, limit, path, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.source.read(len(buffer))
        self.done += len(data)
        if self.done > self.limit:
            raise too_big(self.path, self.limit)
        buffer[: len(data)] = data
        return len(data)

    def tell(self) -> int:
        return self.done

    def close(self) -> None:
        self.source.close()
        super().close()


def text_encoding(start: bytes) -> str:
    """The encoding of a text that begins with `start` (a few hundred bytes are enough).

    Without a byte-order mark, UTF-16 and UTF-32 show in the zero bytes of
    the digits and punctuation every message header has.
    """
    for mark, encoding in (
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if start.startswith(mark):
            return encoding
    sample = start[: len(start) // 4 * 4]
    if sample.count(0) < len(sample) // 16:  # UTF-8 text has none; UTF-16 in Arabic letters, a few
        return "utf-8-sig"
    zeros = [_zero_share(sample[offset::4]) for offset in range(4)]
    if zeros[3] > 0.9 and zeros[2] > 0.5 and zeros[0] < 0.5:
        return "utf-32-le"
    if zeros[0] > 0.9 and zeros[1] > 0.5 and zeros[3] < 0.5:
        return "utf-32-be"
    if min(zeros[1], zeros[3]) > 0.15 and max(zeros[0], zeros[2]) < 0.1:
        return "utf-16-le"
    if min(zeros[0], zeros[2]) > 0.15 and max(zeros[1], zeros[3]) < 0.1:
        return "utf-16-be"
    return "utf-8-sig"


def _zero_share(column: bytes) -> float:
    return column.count(0) / len(column) if column else 0.0


def free_bytes(folder: str) -> int:
    """Free space where temporary files go."""
    return shutil.disk_usage(folder).free


@contextmanager
def temp_folder() -> Iterator[Path]:
    """A temporary folder of this run's, removed on the way out; dead runs' are removed first."""
    remove_leftovers()
    # Named before it exists and made inside the `try`: a SIGTERM landing as mkdtemp
    # returns would otherwise leave the folder behind, unnamed by any `finally`.
    folder = Path(tempfile.gettempdir()) / f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(6)}"
    try:
        folder.mkdir(mode=0o700)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def remove_leftovers(where: str | None = None, now: float | None = None) -> list[Path]:
    """Remove the temporary folders of runs that were killed; the ones removed.

    A folder is a leftover when the run named in it no longer exists (or it
    names none, as older versions made) and nothing in it changed for
    LEFTOVER_AGE seconds. Only this user's folders are looked at.
    """
    now = time.time() if now is None else now
    removed = []
    with os.scandir(where or tempfile.gettempdir()) as entries:
        for entry in entries:
            if entry.name.startswith(TEMP_PREFIX) and _is_leftover(entry, now):
                shutil.rmtree(entry.path, ignore_errors=True)
                removed.append(Path(entry.path))
    return removed


def _is_leftover(entry: os.DirEntry[str], now: float) -> bool:
    try:
        if not entry.is_dir(follow_symlinks=False) or entry.stat().st_uid != os.getuid():
            return False
        changed = max([entry.stat().st_mtime] + [f.stat().st_mtime for f in os.scandir(entry)])
    except OSError:
        return False
    pid = entry.name.removeprefix(TEMP_PREFIX).split("-", 1)[0]
    return now - changed > LEFTOVER_AGE and not (pid.isdecimal() and _alive(int(pid)))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


class Terminated(SystemExit):
    """SIGTERM arrived while an export was read: the process ends, after cleaning up."""

    def __init__(self, signum: int) -> None:
        super().__init__(128 + signum)


@contextmanager
def terminate_raises() -> Iterator[None]:
    """While an export is read, SIGTERM raises `Terminated` so that every `finally` runs.

    Python only lets the main thread install handlers; elsewhere nothing changes.
    The handler a caller had is put back on the way out.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    earlier = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        # None: a handler installed outside Python, which cannot be put back; the default is.
        signal.signal(signal.SIGTERM, signal.SIG_DFL if earlier is None else earlier)


def _raise_terminated(signum: int, _frame: FrameType | None) -> None:
    # A second SIGTERM must not break off the cleaning up the first one started.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Terminated(signum)
