"""brat standoff folders both ways: `.txt` + `.ann` per document and an `annotation.conf`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from workstation.core.dates import DateOrder
from workstation.core.errors import UserError
from workstation.core.progress import CancelCheck, Progress, never_cancelled, no_progress
from workstation.core.records import DocumentRecord
from workstation.core.schema import Schema
from workstation.core.text import normalise_text
from workstation.formats.article import parse_article
from workstation.formats.atomic import atomic_write
from workstation.formats.brat_ann import read_brat_document
from workstation.formats.brat_conf import schema_to_conf
from workstation.formats.brat_write import AnnWriter
from workstation.formats.reading import decode_utf8
from workstation.formats.report import ExportReport
from workstation.formats.training_data import layer_of, resolve_layer
from workstation.store.document_reader import stream_records
from workstation.store.project import Project

UNSAFE_NAME = re.compile(r"[^\w.-]+")
DEFAULT_ANNOTATOR = "brat"


def brat_documents(path: Path) -> list[Path]:
    """The .txt files of a brat folder (or the one named by a .txt/.ann path), sorted."""
    if path.is_dir():
        found = sorted(p for p in path.rglob("*.txt") if not any(part.startswith(".") for part in p.parts))
        if not found:
            raise UserError("no .txt files in the brat folder", file=path)
        return found
    return [path.with_suffix(".txt")]


def is_brat_folder(path: Path) -> bool:
    return path.is_dir() and any(path.rglob("*.ann"))


def read_brat(path: Path, schema: Schema, annotator: str | None, date_order: DateOrder) -> Iterator[DocumentRecord]:
    for txt in brat_documents(path):
        ann = txt.with_suffix(".ann")
        try:
            raw = decode_utf8(txt.read_bytes(), txt)
        except OSError as error:
            raise UserError(f"cannot read the text ({error.strerror})", file=txt) from None
        text = normalise_text(raw)
        annotated = ann.exists() and ann.stat().st_size > 0
        if text != raw and annotated:
            raise UserError("the text is not in normal form (NFC, \\n line endings) and its .ann offsets "
                            "would shift; normalise it where it was annotated", file=txt)
        article = parse_article(text, "text", date_order)
        if ann.exists():
            record = read_brat_document(txt, ann, text, schema, annotator or DEFAULT_ANNOTATOR)
        else:
            record = DocumentRecord(text=text, id=txt.stem, source=txt.name, origin=str(txt))
        record.title, record.published = article.title, article.published
        record.date_raw, record.date_ambiguous = article.date_raw, article.date_ambiguous
        yield record


def _file_name(record: DocumentRecord, used: set[str]) -> str:
    base = UNSAFE_NAME.sub("_", record.id or "document").strip("_") or "document"
    name, number = base, 1
    while name in used:
        number += 1
        name = f"{base}-{number}"
    used.add(name)
    return name


def export_brat(project: Project, out: Path, layer: str | None = None, status: str | None = None,
                progress: Progress = no_progress, cancel: CancelCheck = never_cancelled) -> ExportReport:
    """A folder brat can serve: annotation.conf from the schema, then .txt + .ann per document."""
    chosen = resolve_layer(project, layer)
    out.mkdir(parents=True, exist_ok=True)
    with atomic_write(out / "annotation.conf") as handle:
        handle.write(schema_to_conf(project.schema))
    report, used = ExportReport(), set()
    for record in stream_records(project, chosen, status, progress, cancel):
        name = _file_name(record, used)
        writer = AnnWriter(record, layer_of(record, chosen), project.schema)
        with atomic_write(out / f"{name}.txt") as handle:
            handle.write(record.text)
        with atomic_write(out / f"{name}.ann") as handle:
            handle.write(writer.write())
        report.documents += 1
        report.messages.extend(f"{name}: {skipped} not written (brat cannot hold it)" for skipped in writer.skipped)
    return report
