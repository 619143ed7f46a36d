"""Reading a user's text file: refuse binary, empty and non-UTF-8 files with one clear line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from workstation.core.errors import UserError
from workstation.core.text import normalise_text

BINARY_SNIFF_BYTES = 8192
BOM = b"\xef\xbb\xbf"


def _refuse_binary(head: bytes, path: Path) -> None:
    if b"\x00" in head[:BINARY_SNIFF_BYTES]:
        raise UserError("binary file, not text (contains NUL bytes)", file=path)


def _invalid_utf8(byte: int, offset: int, path: Path, line: int) -> UserError:
    """Names the line and byte so the user can find the bad spot."""
    return UserError(f"invalid UTF-8 (byte 0x{byte:02x} at offset {offset}); save the file as UTF-8",
                     file=path, line=line)


def decode_utf8(data: bytes, path: Path) -> str:
    """Decode strictly (a leading byte-order mark is dropped)."""
    _refuse_binary(data, path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise _invalid_utf8(data[error.start], error.start, path, line) from None


def utf8_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(number, line without its `\\n` or `\\r\\n`) of a file read a line at a time, checked as `decode_utf8`
    checks a whole file: a line-per-document file of any size is read in constant memory. Only `\\n` ends a
    line, so a JSON string holding U+2028 or U+0085 (legal unescaped) stays on its line."""
    with path.open("rb") as handle:
        _refuse_binary(handle.read(BINARY_SNIFF_BYTES), path)
        handle.seek(0)
        offset = 0
        for number, data in enumerate(handle, start=1):
            start = len(BOM) if number == 1 and data.startswith(BOM) else 0
            try:
                line = data[start:].decode("utf-8")
            except UnicodeDecodeError as error:
                position = start + error.start
                raise _invalid_utf8(data[position], offset + position, path, number) from None
            offset += len(data)
            yield number, line.rstrip("\r\n")


def read_text(path: Path) -> str:
    """The file's text, normalised as stored (NFC, `\\n` line ends); refuses empty files."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UserError(f"cannot read the file ({error.strerror})", file=path) from None
    text = normalise_text(decode_utf8(data, path))
    if not text.strip():
        raise UserError("the file is empty", file=path)
    return text
