"""Where a trained model's files live: beside a project file, or, for a server project, in the database.

A file project keeps `<project>.models/<name>/` beside the file. A server project has no folder every client
reaches, so training stores the folder in the model's row as a gzipped tar, and each client unpacks it into its
own cache the first time it uses the model (again when the model was trained anew since).
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from sqlalchemy import select

from workstation.core.errors import UserError
from workstation.paths import cache_dir
from workstation.store.models import TrainedModel
from workstation.store.project import Project

TRAINED_AT = ".trained-at"
"""In an unpacked folder: when the model it holds was trained, to tell it from a newer one of the same name."""


def models_folder(project: Project) -> Path:
    """Beside the project file: `<project>.models/`; for a server project, this client's cache of its models."""
    if project.server:
        return cache_dir() / "server-models" / project.project_id
    return project.path.with_name(project.path.stem + ".models")


def saved_where(project: Project, folder: Path) -> str:
    """Where training put a model, as the user is told."""
    if project.server:
        return f"kept in the server project for every client (this computer's copy: {folder})"
    return f"saved to {folder}"


def pack(folder: Path) -> bytes:
    """A saved model's folder as a gzipped tar (what a server project keeps in the model's row)."""
    import tarfile  # (6 ms; the app starts without it)

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        archive.add(folder, arcname=".")
    return buffer.getvalue()


def model_path(project: Project, name: str) -> Path:
    """The model's folder, ready to load: on a server, unpacked from the database when this client does not hold
    it yet, or holds an older training of the same name."""
    folder = models_folder(project) / name
    if not project.server:
        return folder
    with project.session() as session:
        found = session.execute(select(TrainedModel.created_at, TrainedModel.archive)
                                .where(TrainedModel.name == name)).one_or_none()
    if found is None or found.archive is None:
        raise UserError(f"the model '{name}' has no files on the server (it was trained before models were kept "
                        "there); train it again", file=project.location)
    stamp = found.created_at.isoformat()
    marker = folder / TRAINED_AT
    if not (marker.is_file() and marker.read_text(encoding="utf-8") == stamp):
        _unpack(found.archive, folder)
        marker.write_text(stamp, encoding="utf-8")
    return folder


def _unpack(data: bytes, folder: Path) -> None:
    """Into a fresh folder beside the target, then swapped in: a client never loads half a model."""
    import tarfile

    staging = folder.with_name(folder.name + ".unpacking")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        archive.extractall(staging, filter="data")
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
