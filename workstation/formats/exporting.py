"""Every export by name, with one set of options: what the CLI and the Export menu call."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.core.progress import (
    CancelCheck,
    Progress,
    never_cancelled,
    no_progress,
)
from workstation.formats.report import ExportReport
from workstation.store.output_guard import guard_output

if TYPE_CHECKING:
    from workstation.store.project import Project


@dataclass(frozen=True)
class ExportOptions:
    layer: str | None = None
    status: str | None = None
    split: float | None = None
    seed: int = 0
    all_mention_types: bool = False
    force: bool = False
    """brat: replace a non-empty target folder."""
    provenance: bool = False
    """conll: a first `#` line saying how the file was made (off by default: converters read it as a token)."""


Exporter = Callable[["Project", Path, ExportOptions, Progress, CancelCheck], ExportReport]


def _jsonl(project, out, o, progress, cancel):
    from workstation.formats.jsonl import export_jsonl
    return export_jsonl(project, out, o.layer, o.status, progress, cancel)


def _xlsx(project, out, o, progress, cancel):
    from workstation.formats.xlsx_report import export_xlsx
    return export_xlsx(project, out, o.layer, o.status, progress, cancel)


def _spacy(project, out, o, progress, cancel):
    from workstation.formats.spacy_docbin import export_spacy
    return export_spacy(project, out, o.layer, o.status, o.split, o.seed, o.all_mention_types, progress, cancel)


def _prodigy(project, out, o, progress, cancel):
    from workstation.formats.prodigy import export_prodigy
    return export_prodigy(project, out, o.layer, o.status, progress, cancel)


def _conll(project, out, o, progress, cancel):
    from workstation.formats.conll import export_conll
    return export_conll(project, out, o.layer, o.status, o.all_mention_types, progress, cancel,
                        provenance=o.provenance)


def _brat(project, out, o, progress, cancel):
    from workstation.formats.brat import export_brat
    return export_brat(project, out, o.layer, o.status, progress, cancel, force=o.force)


EXPORTERS: dict[str, tuple[Exporter, str, str]] = {
    "jsonl": (_jsonl, "Native JSONL (lossless)", "JSON lines (*.jsonl)"),
    "spacy": (_spacy, "spaCy DocBin", "spaCy DocBin (*.spacy)"),
    "prodigy": (_prodigy, "Prodigy JSONL", "JSON lines (*.jsonl)"),
    "conll": (_conll, "CoNLL-2003 (IOB2)", "CoNLL (*.conll *.txt)"),
    "brat": (_brat, "brat standoff folder", ""),
    "xlsx": (_xlsx, "Excel report", "Excel workbook (*.xlsx)"),
}


def export(project: Project, fmt: str, out: Path, options: ExportOptions = ExportOptions(),
           progress: Progress = no_progress, cancel: CancelCheck = never_cancelled) -> ExportReport:
    """Run one exporter; heavy libraries (spaCy, openpyxl) load only when their format is asked for. The output
    path is checked first, so that no format can write over the project or another one."""
    guard_output(out, project.path, folder=fmt == "brat" or (fmt == "spacy" and options.split is not None))
    exporter = EXPORTERS[fmt][0]
    return exporter(project, out, options, progress, cancel)


def export_extension(fmt: str) -> str:
    """The first extension of the format's file filter ("" for a folder): what the save dialog's filter
    promises, so a name typed without one gets it."""
    found = re.search(r"\*(\.[\w.]+)", EXPORTERS[fmt][2])
    return found.group(1) if found else ""


def suggested_export_name(project_path: Path, layer: str | None, fmt: str) -> str:
    """`<project>-<layer>.<ext>`, so exports of several projects and layers side by side say what they hold;
    "all-layers" when every layer goes into the file."""
    safe_layer = re.sub(r'[\\/:*?"<>|\s]+', "_", layer) if layer else "all-layers"
    return f"{project_path.stem}-{safe_layer}{export_extension(fmt)}"


def with_export_extension(path: Path, fmt: str) -> Path:
    """`report` becomes `report.xlsx`; a name with any extension is left as the user typed it."""
    extension = export_extension(fmt)
    return path if path.suffix or not extension else path.with_name(path.name + extension)
