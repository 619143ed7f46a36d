"""CoNLL-2003 NER (IOB2): one token per line, blank line between sentences, -DOCSTART- between documents.

Columns: token, POS placeholder (-X-), chunk placeholder (_), NER tag. Only one
tag fits a token, so overlapping mentions are resolved by **outermost wins**
(the longer span is kept; spans it contains or crosses are dropped), which
the file's header comment repeats. Whitespace tokens are not written.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from spacy.attrs import IS_SPACE, ORTH, SENT_START

from workstation.core.progress import CancelCheck, Progress, never_cancelled, no_progress
from workstation.core.records import DocumentRecord
from workstation.formats.atomic import atomic_write
from workstation.formats.report import ExportReport
from workstation.formats.spacy_docbin import record_to_doc
from workstation.formats.training_data import AlignmentReport, resolve_layer
from workstation.store.document_reader import stream_records
from workstation.store.project import Project

DOCSTART = "-DOCSTART- -X- O O"
HEADER = ("# CoNLL-2003 NER, IOB2 tags; overlapping mentions: outermost wins (longer span kept); "
          "columns: token -X- _ tag\n")


def _write_document(handle: IO[str], record: DocumentRecord, annotator: str, all_mention_types: bool,
                    report: AlignmentReport) -> None:
    """One block per sentence (as `doc.sents` cuts them), read from token arrays: a spaCy Token object per
    token cost more than the lines written."""
    doc = record_to_doc(record, annotator, all_mention_types, report)
    tags = ["O"] * len(doc)
    for entity in doc.ents:
        tags[entity.start] = f"B-{entity.label_}"
        for index in range(entity.start + 1, entity.end):
            tags[index] = f"I-{entity.label_}"
    handle.write(f"{DOCSTART}\n\n")
    strings = doc.vocab.strings
    lines: list[str] = []
    for index, (orth, is_space, sentence_start) in enumerate(doc.to_array([ORTH, IS_SPACE, SENT_START]).tolist()):
        if sentence_start == 1 and lines:
            handle.write("\n".join(lines) + "\n\n")
            lines = []
        if not is_space:
            lines.append(f"{'_'.join(strings[orth].split())} -X- _ {tags[index]}")
    if lines:
        handle.write("\n".join(lines) + "\n\n")


def export_conll(project: Project, out: Path, layer: str | None = None, status: str | None = None,
                 all_mention_types: bool = False, progress: Progress = no_progress,
                 cancel: CancelCheck = never_cancelled) -> ExportReport:
    chosen = resolve_layer(project, layer)
    alignment = AlignmentReport()
    count = 0
    with atomic_write(out) as handle:
        handle.write(HEADER)
        for count, record in enumerate(stream_records(project, chosen, status, progress, cancel), start=1):
            _write_document(handle, record, chosen, all_mention_types, alignment)
    return ExportReport(count, alignment.messages())
