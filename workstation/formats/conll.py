"""CoNLL-2003 NER (IOB2): one token per line, blank line between sentences, -DOCSTART- before each document.

Plain CoNLL-2003 as converters read it (`spacy convert -c ner`, seqeval):
four columns, token, POS placeholder (-X-), chunk placeholder (_), NER tag,
and no comment line unless asked for (a reader takes `#` for a token). Only
one tag fits a token, so overlapping mentions are resolved by **outermost
wins** (the longer span is kept; spans it contains or crosses are counted in
the report). No sentence boundary falls inside a mention. Whitespace tokens
are not written.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

import numpy
from spacy.attrs import IS_SPACE, ORTH

from workstation.core.progress import CancelCheck, Progress, never_cancelled, no_progress
from workstation.formats.atomic import atomic_write
from workstation.formats.report import ExportReport
from workstation.formats.spacy_docbin import mention_spans
from workstation.formats.training_data import AlignmentReport, outermost, resolve_layer, sentences_around_mentions
from workstation.nlp.pipeline import tokenize
from workstation.store.document_reader import MentionLayer, stream_mention_layers
from workstation.store.project import Project

DOCSTART = "-DOCSTART- -X- O O"
"""The document line `spacy convert -c ner` splits documents on (only this exact line); readers of CoNLL-2003
look for `-DOCSTART-` at the start of a line."""
PROVENANCE = ("# CoNLL-2003 NER, IOB2 tags; overlapping mentions: outermost wins (longer span kept); "
              "columns: token -X- _ tag\n")


def _write_document(handle: IO[str], layer: MentionLayer, all_mention_types: bool, report: AlignmentReport,
                    lines: dict[int, str]) -> None:
    """One block per sentence, by the sentencizer's boundaries (a sentence of whitespace only writes none),
    read from token arrays: Token objects and `doc.ents` cost more than the lines written."""
    doc = tokenize(layer.text, layer.language or "en")
    tags = numpy.full(len(doc), "O", dtype=object)
    spans, entities = mention_spans(doc, layer, all_mention_types, report)
    for start, end, label, _, _ in outermost(entities, layer, report):
        tags[start] = f"B-{label}"
        tags[start + 1:end] = f"I-{label}"
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
    sentence = numpy.cumsum(sentences_around_mentions(doc, spans, report) == 1)[written]
    block = list(map(str.__add__, map(lines.__getitem__, orths), tags[written].tolist()))
    for last in numpy.flatnonzero(sentence[1:] != sentence[:-1]).tolist():
        block[last] += "\n"
    handle.write("\n".join(block) + "\n\n")


def export_conll(project: Project, out: Path, layer: str | None = None, status: str | None = None,
                 all_mention_types: bool = False, progress: Progress = no_progress,
                 cancel: CancelCheck = never_cancelled, provenance: bool = False) -> ExportReport:
    """The layer's entities as IOB2 tags; `provenance` starts the file with a `#` line saying how."""
    chosen = resolve_layer(project, layer)
    alignment = AlignmentReport()
    count = 0
    with atomic_write(out) as handle:
        if provenance:
            handle.write(PROVENANCE)
        lines: dict[int, str] = {}
        for count, document in enumerate(stream_mention_layers(project, chosen, status, progress, cancel), start=1):
            _write_document(handle, document, all_mention_types, alignment, lines)
    return ExportReport(count, alignment.messages())
