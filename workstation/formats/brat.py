"""brat standoff folders both ways: `.txt` + `.ann` per document and an `annotation.conf`."""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from workstation.core.dates import DateOrder
from workstation.core.errors import UserError
from workstation.core.progress import CancelCheck, Progress, never_cancelled, no_progress
from workstation.core.records import DocumentRecord, LayerRecord
from workstation.core.schema import Schema
from workstation.core.text import normalise_text
from workstation.formats.article import parse_article
from workstation.formats.background_files import BackgroundFiles
from workstation.formats.brat_ann import read_brat_document
from workstation.formats.brat_conf import COMPANION_FILES, SPAN_TYPE, is_brat_sourced, schema_to_conf
from workstation.formats.brat_write import AnnWriter
from workstation.formats.reading import decode_utf8
from workstation.formats.report import ExportReport
from workstation.formats.training_data import layer_of, resolve_layer
from workstation.store.document_reader import StandoffLayer, stream_standoff_layers
from workstation.store.project import Project

UNSAFE_NAME = re.compile(r"[^\w.-]+")
NAME_CHARS = 100
"""Longest file stem written: with `.ann` and a numbering suffix it stays well under 255 bytes of UTF-8 wherever
a name of word characters may take up to four bytes each (word characters are Unicode)."""
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


def _companion_note(path: Path) -> list[str]:
    """brat's display and tool settings sit beside annotation.conf; they hold no annotation and are not read."""
    folder = path if path.is_dir() else path.parent
    found = [name for name in COMPANION_FILES if (folder / name).is_file()]
    return [f"{', '.join(found)}: brat display and tool settings, not read"] if found else []


def read_brat(path: Path, schema: Schema, annotator: str | None, date_order: DateOrder) -> Iterator[DocumentRecord]:
    notes = _companion_note(path)
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
        record.warnings = [*notes, *record.warnings]
        notes = []
        yield record


def _file_name(document: DocumentRecord | StandoffLayer, used: set[str]) -> str:
    """A stem from the document id that is safe on every file system: word characters, dots and hyphens, no
    leading dot (brat hides those), not too long (cut, with a hash of the id so that cut ids stay apart), and
    unique even where case does not count."""
    document_id = document.id or "document"
    base = UNSAFE_NAME.sub("_", document_id).strip("._-") or "document"
    if len(base) > NAME_CHARS:
        base = f"{base[:NAME_CHARS - 9]}-{hashlib.sha256(document_id.encode()).hexdigest()[:8]}"
    name, number = base, 1
    while name.casefold() in used:
        number += 1
        name = f"{base}-{number}"
    used.add(name.casefold())
    return name


def _prepare_target(out: Path, force: bool) -> None:
    """Refuse what would mix or lose files: a file at `out`, or a folder with files in it (unless `force`)."""
    if out.exists() and not out.is_dir():
        raise UserError("a brat export is a folder, and a file has this name", file=out)
    if out.is_dir() and any(out.iterdir()) and not force:
        raise UserError("the folder is not empty: choose a new folder, or replace it with --force", file=out)


def _put_in_place(built: Path, out: Path) -> None:
    """The finished folder takes the target's name in one rename; a folder it replaces goes only after."""
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        out.rename(old / out.name)
    built.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def export_brat(project: Project, out: Path, layer: str | None = None, status: str | None = None,
                progress: Progress = no_progress, cancel: CancelCheck = never_cancelled,
                force: bool = False) -> ExportReport:
    """A folder brat can serve: .txt + .ann per document and an annotation.conf, written into a hidden folder
    beside `out` and renamed at the end, so the target is whole or untouched (killed, cancelled, disk full)."""
    chosen = resolve_layer(project, layer)
    _prepare_target(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    built = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        report = _write_folder(project, built, chosen, status, progress, cancel)
        _put_in_place(built, out)
    except BaseException:
        shutil.rmtree(built, ignore_errors=True)
        raise
    return report


def _write_folder(project: Project, folder: Path, chosen: str, status: str | None, progress: Progress,
                  cancel: CancelCheck) -> ExportReport:
    report, used, omitted, span = ExportReport(), set[str](), Counter[str](), False
    with BackgroundFiles() as files:
        for document in stream_standoff_layers(project, chosen, status, progress, cancel):
            name = _file_name(document, used)
            layer = layer_of(document.record, chosen) if document.record else LayerRecord(chosen)
            writer = AnnWriter(document, layer, project.schema)
            files.write(folder / f"{name}.ann", writer.write())
            files.write(folder / f"{name}.txt", document.text)
            report.documents += 1
            omitted.update(writer.omitted)
            span = span or writer.used_span
    (folder / "annotation.conf").write_text(schema_to_conf(project.schema, with_span=span or not is_brat_sourced(
        project.schema)), encoding="utf-8", newline="\n")
    if span and is_brat_sourced(project.schema):
        report.messages.append(f"annotation.conf: type {SPAN_TYPE} added for free-span event arguments")
    report.add_omissions(omitted)
    return report
