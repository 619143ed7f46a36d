"""CoNLL-2003 NER (IOB2): one token per line, blank line between sentences, -DOCSTART- between documents.

Columns: token, POS placeholder (-X-), chunk placeholder (_), NER tag. Only one
tag fits a token, so overlapping mentions are resolved by **outermost wins**
(the longer span is kept; spans it contains or crosses are dropped), which
the file's header comment repeats. Whitespace tokens are not written.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

import numpy
from spacy.attrs import IS_SPACE, ORTH

from workstation.core.progress import CancelCheck, Progress, never_cancelled, no_progress
from workstation.core.records import DocumentRecord
from workstation.formats.atomic import atomic_write
from workstation.formats.report import ExportReport
from workstation.formats.spacy_docbin import mention_spans
from workstation.formats.training_data import AlignmentReport, outermost, resolve_layer
from workstation.nlp.pipeline import sentence_starts, tokenize
from workstation.store.document_reader import stream_records
from workstation.store.project import Project

DOCSTART = "-DOCSTART- -X- O O"
HEADER = ("# CoNLL-2003 NER, IOB2 tags; overlapping mentions: outermost wins (longer span kept); "
          "columns: token -X- _ tag\n")


def _write_document(handle: IO[str], record: DocumentRecord, annotator: str, all_mention_types: bool,
                    report: AlignmentReport, lines: dict[int, str]) -> None:
    """One block per sentence, by the sentencizer's boundaries (a sentence of whitespace only writes none),
    read from token arrays: Token objects and `doc.ents` cost more than the lines written."""
    doc = tokenize(record.text, record.language or "en")
    tags = numpy.full(len(doc), "O", dtype=object)
    for entity in outermost(mention_spans(doc, record, annotator, all_mention_types, report)[1]):
        tags[entity.start] = f"B-{entity.label_}"
        tags[entity.start + 1:entity.end] = f"I-{entity.label_}"
    handle.write(f"{DOCSTART}\n\n")
    if not len(doc):
        return
    orth, is_space = doc.to_array([ORTH, IS_SPACE]).T
    written = numpy.flatnonzero(is_space == 0)
    if not len(written):
        return
    orths = orth[written].tolist()
    for new in set(orths).difference(lines):  # a token's line starts the same in every document
        lines[new] = f"{'_'.join(doc.vocab.strings[new].split())} -X- _ "
    sentence = numpy.cumsum(sentence_starts(doc) == 1)[written]
    block = list(map(str.__add__, map(lines.__getitem__, orths), tags[written].tolist()))
    for last in numpy.flatnonzero(sentence[1:] != sentence[:-1]).tolist():
        block[last] += "\n"
    handle.write("\n".join(block) + "\n\n")


def export_conll(project: Project, out: Path, layer: str | None = None, status: str | None = None,
                 all_mention_types: bool = False, progress: Progress = no_progress,
                 cancel: CancelCheck = never_cancelled) -> ExportReport:
    chosen = resolve_layer(project, layer)
    alignment = AlignmentReport()
    count = 0
    with atomic_write(out) as handle:
        handle.write(HEADER)
        lines: dict[int, str] = {}
        for count, record in enumerate(stream_records(project, chosen, status, progress, cancel), start=1):
            _write_document(handle, record, chosen, all_mention_types, alignment, lines)
    return ExportReport(count, alignment.messages())
