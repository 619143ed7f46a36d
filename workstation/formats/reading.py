"""Reading a user's text file: refuse binary, empty and non-UTF-8 files with one clear line."""

from __future__ import annotations

from pathlib import Path

from workstation.core.errors import UserError
from workstation.core.text import normalise_text

BINARY_SNIFF_BYTES = 8192


def decode_utf8(data: bytes, path: Path) -> str:
    """Decode strictly; the error names the line and byte so the user can find the bad spot."""
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        raise UserError("binary file, not text (contains NUL bytes)", file=path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise UserError(f"invalid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
                        "save the file as UTF-8", file=path, line=line) from None


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
