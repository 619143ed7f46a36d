"""The sample project a first run opens: the product's reference article, ready to annotate."""

from __future__ import annotations

from pathlib import Path

from workstation.formats.importing import import_paths
from workstation.paths import SAMPLE_ARTICLE, resource
from workstation.store.project import create_project

SAMPLE_NAME = "sample-project.sqlite"


def ensure_sample_project(folder: Path) -> Path:
    """Create the sample project in `folder` unless it is already there; returns its path."""
    path = folder / SAMPLE_NAME
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        with create_project(path) as project:
            import_paths(project, [resource(SAMPLE_ARTICLE)], with_tokens=False)
    return path
