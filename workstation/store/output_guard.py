"""The one check every written file passes first: an output never overwrites a project or its companions.

A user who types the project's name after `--out` (or picks it in a save dialog) must get a refusal, not an
export written over the annotations. The files SQLite and the app keep beside a project (`-wal`, `-shm`,
`-journal`, `.lock`, backups) belong to it as much as the file itself, and any other SQLite file may be
another project or a work package.
"""

from __future__ import annotations

import os
from pathlib import Path

from workstation.core.errors import UserError

SQLITE_MAGIC = b"SQLite format 3\x00"
COMPANIONS = ("-wal", "-shm", "-journal", ".lock")
BACKUP_INFIX = ".backup-"


def is_sqlite_file(path: Path) -> bool:
    """True for a file that starts like an SQLite database (a project, a package, a backup)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def _belongs_to(out: Path, project: Path) -> bool:
    name = project.name
    if out.parent != project.parent:
        return False
    return out.name == name or out.name in {name + suffix for suffix in COMPANIONS} \
        or out.name.startswith(name + BACKUP_INFIX)


def _same_file(first: Path, second: Path) -> bool:
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def guard_output(out: str | os.PathLike[str], project: str | os.PathLike[str] | None = None, *,
                 folder: bool = False) -> Path:
    """Refuse an output path that is the project, one of its companion files, or another SQLite file; and one
    whose kind (file or folder) is not what the command writes. Returns the path for the caller's use."""
    out = Path(out)
    resolved = out.resolve()
    if project is not None:
        home = Path(project).resolve()
        if _belongs_to(resolved, home) or _same_file(resolved, home):
            raise UserError(f"this is the project {home.name} or one of its own files; write the output elsewhere",
                            file=out)
    if resolved.is_file() and is_sqlite_file(resolved):
        raise UserError("this is a Workstation project or another SQLite database; it is never overwritten by an "
                        "output: choose another name", file=out)
    if folder and resolved.exists() and not resolved.is_dir():
        raise UserError("a file of this name exists, and this output is a folder: choose another name", file=out)
    if not folder and resolved.is_dir():
        raise UserError("this is a folder; give the name of a file to write", file=out)
    if not resolved.parent.is_dir():
        raise UserError("the folder of the output does not exist", file=out)
    return out
