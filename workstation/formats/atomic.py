"""Files the app writes appear whole or not at all: write beside the target, then rename."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from workstation.core.errors import UserError


@contextmanager
def atomic_write(path: Path, mode: str = "w") -> Iterator[IO]:
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        handle = open(temporary, mode, encoding=None if "b" in mode else "utf-8", newline=None if "b" in mode else "\n")
    except OSError as error:
        raise UserError(f"cannot write ({error.strerror})", file=path) from None
    try:
        with handle:
            yield handle
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
