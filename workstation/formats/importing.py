"""Import files and folders into a project: one transaction, all or nothing.

Every importer yields `DocumentRecord`s; `ImportWriter` stores them. A bad
file anywhere (binary, invalid UTF-8, malformed line, unknown label, offsets
past the text) rolls the whole import back, so nothing is half-imported.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from workstation.core.errors import UserError
from workstation.core.progress import CancelCheck, Cancelled, Progress, never_cancelled, no_progress
from workstation.core.records import DocumentRecord
from workstation.formats.article import read_article
from workstation.formats.brat import is_brat_folder, read_brat
from workstation.formats.csv_table import CsvColumns, read_csv
from workstation.formats.import_formats import SUFFIXES, ImportFormat
from workstation.formats.jsonl import read_jsonl
from workstation.nlp.stored_tokens import tokenize_documents
from workstation.store.import_writer import ImportReport, ImportWriter
from workstation.store.project import Project


def expand(paths: list[Path], fmt: ImportFormat) -> list[tuple[Path, ImportFormat]]:
    """(path, format) to read: brat folders whole, other folders as their importable files (sorted)."""
    files: list[tuple[Path, ImportFormat]] = []
    for path in paths:
        if fmt == "brat" or path.suffix == ".ann" or (fmt == "auto" and is_brat_folder(path)):
            files.append((path, "brat"))
        elif path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not found:
                raise UserError(f"no importable files in the folder (looked for {', '.join(SUFFIXES)})", file=path)
            files.extend((found_path, fmt) for found_path in found)
        elif path.is_file():
            files.append((path, fmt))
        elif path.exists():
            raise UserError("not a regular file (a device, pipe or socket); give a file or a folder", file=path)
        else:
            raise UserError("no such file or folder", file=path)
    return files


def read_records(path: Path, fmt: ImportFormat, project: Project, columns: CsvColumns,
                 annotator: str | None) -> Iterator[DocumentRecord]:
    if fmt == "auto":
        fmt = SUFFIXES.get(path.suffix.lower(), "auto")
    order = project.settings.date_order
    if fmt == "brat":
        return read_brat(path, project.schema, annotator, order)
    if fmt == "jsonl":
        return read_jsonl(path)
    if fmt == "csv":
        return read_csv(path, columns, order)
    return iter([read_article(path, None if fmt == "auto" else fmt, order)])


def import_paths(project: Project, paths: list[Path], fmt: ImportFormat = "auto", annotator: str | None = None,
                 columns: CsvColumns = CsvColumns(), progress: Progress = no_progress,
                 cancel: CancelCheck = never_cancelled, with_tokens: bool = True) -> ImportReport:
    """Import everything or nothing; returns counts of added and skipped documents and items. The new documents'
    tokens are stored too (`with_tokens`), for the token exports: that loads spaCy, which the sample project
    made at the first start goes without."""
    files = expand(paths, fmt)
    with project.session.begin() as session:
        writer = ImportWriter(session, project.schema, project.settings.language, annotator)
        for done, (path, path_format) in enumerate(files, start=1):
            for record in read_records(path, path_format, project, columns, annotator):
                if cancel():
                    raise Cancelled()
                writer.add(record)
            progress(done, len(files), path.name)
        writer.flush()
        if with_tokens and writer.report.added:
            tokenize_documents(session, progress, cancel)
    return writer.report
