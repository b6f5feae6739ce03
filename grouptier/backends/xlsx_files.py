"""The workbook as a file: which file to change, its lock, and saving it in one step.

- `real_path` follows a symbolic link, so the file the link points at is the one
  locked and replaced; replacing the link itself would leave its target unchanged.
- A file with several names (hard links) is refused for writing: a save replaces the
  file by a rename, which would give only this name the new content and split the
  names apart. Writing into the file in place would keep the names together but
  could leave half a workbook after a crash, which this backend never does.
- `save_atomically` writes a temporary file beside the workbook, syncs it, then
  renames it over the workbook, so a crash leaves the old file or the new one, never
  half of one. The temporary file is removed on every way out, SIGTERM included, and
  `remove_leftovers` removes those of runs killed outright (SIGKILL, power loss).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType
from typing import IO, Any

from filelock import FileLock, Timeout

from grouptier.backends.xlsx_safety import FILE_EXISTS
from grouptier.errors import WorkbookBusyError, WorkbookError

__all__ = ["held_lock", "real_path", "remove_leftovers", "save_atomically"]

LEFTOVER_AGE = 300.0
"""Seconds after which a temporary file whose writer is gone counts as left over."""

_TEMP_SUFFIX = ".tmp"


def real_path(path: str) -> str:
    """The file `path` names, following symbolic links; `path` itself if there are none."""
    return str(Path(path).resolve()) if Path(path).is_symlink() else path


@contextmanager
def held_lock(path: str, timeout: float, shown: str) -> Iterator[None]:
    """Hold `<path>.lock` for a whole run; `shown` is the path as the manager gave it.

    Once held, leftovers of killed saves are removed: no save of ours is under way.
    """
    lock_path = f"{path}.lock"
    lock = FileLock(lock_path, timeout=timeout)
    try:
        lock.acquire()
    except Timeout as exc:
        raise WorkbookBusyError(shown) from exc
    except OSError as exc:
        raise WorkbookError(shown, f"the lock file {lock_path} cannot be created") from exc
    try:
        remove_leftovers(path)
        yield
    finally:
        # Removed while still held: a waiting run then finds the file gone and makes its own.
        with suppress(OSError):
            Path(lock_path).unlink()
        lock.release()


def _temp_name(target: Path) -> Path:
    # The writer's process id lets the next run tell a live write from a killed one.
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}{_TEMP_SUFFIX}")


def remove_leftovers(path: str, now: float | None = None) -> list[Path]:
    """Remove temporary files of killed saves of the workbook `path`; the ones removed.

    A leftover sits beside the workbook, is named like `_temp_name` makes them (older
    versions left out the process id), is older than `LEFTOVER_AGE` seconds and its
    writer is no longer running.
    """
    target = Path(path)
    pattern = re.compile(
        rf"^\.{re.escape(target.name)}\.(?:(\d+)\.)?[0-9a-f]{{8}}{re.escape(_TEMP_SUFFIX)}$"
    )
    moment = time.time() if now is None else now
    removed = []
    with suppress(OSError), os.scandir(target.parent) as entries:
        for entry in entries:
            match = pattern.match(entry.name)
            if match is None or not entry.is_file(follow_symlinks=False):
                continue
            if moment - entry.stat(follow_symlinks=False).st_mtime < LEFTOVER_AGE:
                continue
            if match.group(1) is not None and _running(int(match.group(1))):
                continue
            leftover = Path(entry.path)
            with suppress(OSError):
                leftover.unlink()
                removed.append(leftover)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":
        return False  # os.kill would end the process there: the file's age alone decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process: alive
    return True


def refuse_hard_link(path: str, shown: str) -> None:
    """Raise `WorkbookError` when the file at `path` also has other names (hard links)."""
    with suppress(FileNotFoundError):
        links = Path(path).stat().st_nlink
        if links > 1:
            raise WorkbookError(
                shown,
                f"the workbook file also has {links - 1} other name(s) (a hard link), and "
                "saving replaces the file, which would leave the other names with the old "
                "content; make a plain copy of the file and use that. It is unchanged",
            )


def save_atomically(write: Callable[[IO[bytes]], None], path: str, replace: bool) -> None:
    """Save a workbook to `path` through a synced temporary file beside it.

    `write` writes the whole package into the (binary) file it is given. `replace`
    swaps the result for the existing file in one rename (keeping its permissions);
    otherwise the file must not exist yet. On any failure, SIGTERM included, the
    temporary file is removed.
    """
    target = Path(path)
    temp = _temp_name(target)
    try:
        with _terminate_by_exception():
            _write_temp(write, temp)
            if replace:
                shutil.copymode(target, temp)
                temp.replace(target)
            else:
                _link_new(temp, target)
    except BaseException as exc:
        with suppress(OSError):
            temp.unlink()
        if isinstance(exc, FileExistsError) and not replace:
            raise WorkbookError(path, FILE_EXISTS) from exc
        if isinstance(exc, OSError):
            reason = f"the workbook could not be saved ({exc.strerror or exc})"
            raise WorkbookError(path, reason + ("; it is unchanged" if replace else "")) from exc
        if isinstance(exc, _Terminated):
            _terminate_again(exc)
            raise WorkbookError(path, "the save was stopped (SIGTERM); it is unchanged") from exc
        raise
    _sync_folder(target.parent)


def _write_temp(write: Callable[[IO[bytes]], None], temp: Path) -> None:
    with temp.open("xb") as handle, warnings.catch_warnings(record=True):
        warnings.simplefilter("always")  # openpyxl's save warnings are not a manager's concern
        write(handle)
        handle.flush()
        os.fsync(handle.fileno())


class _Terminated(BaseException):
    """SIGTERM arrived during a save; raised so the temporary file is removed first."""

    def __init__(self, previous: Any) -> None:
        super().__init__("terminated")
        self.previous = previous


@contextmanager
def _terminate_by_exception() -> Iterator[None]:
    # The default SIGTERM action ends the process without running any cleanup. Signal
    # handlers can only be set from the main thread; elsewhere the default stays.
    previous = signal.getsignal(signal.SIGTERM)
    if threading.current_thread() is not threading.main_thread() or previous == signal.SIG_IGN:
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        raise _Terminated(previous)

    signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _terminate_again(terminated: _Terminated) -> None:
    """Deliver SIGTERM again now the temporary file is gone, to whoever handled it before."""
    previous = terminated.previous
    if previous in (signal.SIG_DFL, None):
        signal.raise_signal(signal.SIGTERM)
    elif callable(previous):
        previous(signal.SIGTERM, None)


def _link_new(temp: Path, target: Path) -> None:
    # A hard link fails when the name exists, so a file made meanwhile is never overwritten;
    # where links are not supported (FAT drives), check and rename instead.
    try:
        os.link(temp, target)
    except OSError as exc:
        if isinstance(exc, FileExistsError) or target.exists():
            raise FileExistsError(str(target)) from exc
        temp.replace(target)
    else:
        temp.unlink()


def _sync_folder(folder: Path) -> None:
    # Makes the rename itself durable; not possible on Windows, where it is not needed.
    with suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
