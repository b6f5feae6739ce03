"""Chat exports a hostile group member (or an unlucky manager) can produce.

Plain functions that write a file and return its path, so that the tests
(`test_hostile_chat.py`) and a benchmark can use the same inputs at any size.
Each hostile export has an ordinary counterpart of about the same size.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

MARK = "\u200e"  # a left-to-right mark: invisible, and any member can paste thousands
HEADER = "12/31/24, 9:05 PM - "
ORDINARY_LINE = f"{HEADER}Ana: ok thanks see you tomorrow who is coming to the meetup\n"


def ordinary_export(path: Path, size: int) -> Path:
    """An Android export of about `size` bytes of short ordinary messages."""
    count = max(1, size // len(ORDINARY_LINE.encode()))
    path.write_text(ORDINARY_LINE * count, encoding="utf-8")
    return path


def invisible_mark_lines(path: Path, marks: int, lines: int = 1) -> Path:
    """An export whose message continues with `lines` lines of `marks` invisible marks each.

    The marks make every line start like a header that the header patterns
    have to rule out; a line of 20,000 marks took 12 s before they were bounded.
    """
    body = (MARK * marks + "\n") * lines
    path.write_text(f"{HEADER}Ana: look\n{body}{HEADER}Bob: ok\n", encoding="utf-8")
    return path


def one_long_line(path: Path, size: int) -> Path:
    """An export of one message line of about `size` bytes and no line end at all."""
    with path.open("w", encoding="utf-8") as out:
        out.write(f"{HEADER}Ana: ")
        block = "x" * (1 << 20)
        left = size
        while left > 0:
            out.write(block[:left])
            left -= len(block)
    return path


def zip_bomb(path: Path, unpacked: int, name: str = "_chat.txt") -> Path:
    """A small zip whose chat unpacks to `unpacked` bytes (a thousand times its size or more)."""
    line = ORDINARY_LINE.encode()
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open(name, "w", force_zip64=True) as member,
    ):
        chunk = line * ((1 << 20) // len(line))
        left = unpacked
        while left > 0:
            member.write(chunk[:left])
            left -= len(chunk)
    return path


def zipped(path: Path, text: bytes, name: str = "_chat.txt") -> Path:
    """A zip holding `text` as its chat."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, text)
    return path


def stored_export_zip(path: Path, size: int) -> Path:
    """An ordinary export of about `size` bytes in a zip that does not compress it.

    Within any unpacked limit (it unpacks to its own size), and big enough to
    be unpacked to a temporary folder and counted on worker processes.
    """
    chunk = ORDINARY_LINE.encode() * ((1 << 20) // len(ORDINARY_LINE.encode()))
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive,
        archive.open("_chat.txt", "w", force_zip64=True) as member,
    ):
        for _ in range(max(1, size // len(chunk))):
            member.write(chunk)
    return path


def declared_size(path: Path, declared: int) -> Path:
    """Rewrite the unpacked size the zip's directory declares for its first file."""
    data = bytearray(path.read_bytes())
    central = data.rindex(b"PK\x01\x02")  # the last (and only) file's directory entry
    data[central + 24 : central + 28] = declared.to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


def password_protected(path: Path) -> Path:
    """Mark the zip's file as encrypted, as a zip made with a password is."""
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + offset
        data[at] |= 0x1
    path.write_bytes(bytes(data))
    return path


def forged_system_lines(path: Path, repeats: int, lines: int = 1) -> Path:
    """An export in which a message goes on with lines that forge a system line.

    A member can type a line break and then anything, a date and time
    included: `12/31/24, 9:05 PM - hat die Gruppe hat die Gruppe ...` reads as
    a system line, and its words used to be tried against the whole line
    from each place they were written.
    """
    forged = "".join(
        f"{HEADER}{phrase * repeats}x\n"
        for phrase in ("hat die Gruppe ", "security code with ", "a hat ")
    )
    path.write_text(f"{HEADER}Ana: look\n{forged * lines}{HEADER}Bob: ok\n", encoding="utf-8")
    return path
