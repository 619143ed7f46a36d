"""What the About box and a crash report say about this installation: versions and the open project.

Versions of libraries are read from their installed metadata, not by importing them: asking for spaCy's
version must not cost the second it takes to import spaCy.
"""

from __future__ import annotations

import platform
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from workstation import __version__
from workstation.core.schema import Schema


def library_version(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "not installed"


def about_facts(project_path: Path | None, schema: Schema | None,
                toolkit: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(label, value) rows: the app, the project and its schema, then the libraries; `toolkit` adds the GUI's
    own versions (Qt, PySide), which only the GUI can ask for."""
    rows = [("Workstation", __version__),
            ("Project", str(project_path) if project_path else "none open"),
            ("Schema", f"{schema.name} {schema.version}" if schema else "none")]
    rows += list((toolkit or {}).items())
    rows += [("spaCy", library_version("spacy")), ("SQLAlchemy", library_version("SQLAlchemy")),
             ("Python", platform.python_version()), ("Platform", f"{platform.platform()} ({sys.platform})")]
    return rows


def facts_text(rows: list[tuple[str, str]]) -> str:
    return "\n".join(f"{label}: {value}" for label, value in rows)
