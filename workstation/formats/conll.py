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

from workstation.core.progress import CancelCheck, Progress, never_cancelled, no_progress
from workstation.formats.atomic import atomic_write
from workstation.formats.report import ExportReport
from workstation.formats.training_data import (
    AlignmentReport,
    mention_spans,
    outermost,
    resolve_layer,
    sentences_around_mentions,
)
from workstation.nlp.stored_tokens import with_tokens
from workstation.nlp.token_table import SPACE, TokenTable
from workstation.store.document_reader import MentionLayer, stream_mention_layers
from workstation.store.project import Project

DOCSTART = "-DOCSTART- -X- O O"
"""The document line `spacy convert -c ner` splits documents on (only this exact line); readers of CoNLL-2003
look for `-DOCSTART-` at the start of a line."""
PROVENANCE = ("# CoNLL-2003 NER, IOB2 tags; overlapping mentions: outermost wins (longer span kept); "
              "columns: token -X- _ tag\n")


class _Lines:
    """A token's line without its tag, and with the tag O, per distinct token text: they start the same in
    every document, and most tokens are outside every entity."""

    def __init__(self) -> None:
        self.untagged: dict[str, str] = {}
        self.outside: dict[str, str] = {}

    def learn(self, words: list[str]) -> None:
        for new in set(words).difference(self.untagged):
            self.untagged[new] = line = f"{'_'.join(new.split())} -X- _ "
            self.outside[new] = line + "O"


def _write_document(handle: IO[str], layer: MentionLayer, tokens: TokenTable, all_mention_types: bool,
                    report: AlignmentReport, lines: _Lines) -> None:
    """One block per sentence, by the sentencizer's boundaries (a sentence of whitespace only writes none),
    read from token arrays: Token objects and `doc.ents` cost more than the lines written."""
    spans, entities = mention_spans(tokens, layer, all_mention_types, report)
    kept = outermost(entities, layer, report)
    handle.write(f"{DOCSTART}\n\n")
    is_written = ~tokens.has(SPACE)
    written = numpy.flatnonzero(is_written)
    if not len(written):
        return
    words = tokens.texts(layer.text, written)
    lines.learn(words)
    block = list(map(lines.outside.__getitem__, words))
    line_of = (numpy.cumsum(is_written) - 1).tolist()
    writes = is_written.tolist()
    for start, end, label, _, _ in kept:
        tag = f"B-{label}"
        for token in range(start, end):
            if writes[token]:
                line = line_of[token]
                block[line] = lines.untagged[words[line]] + tag
                tag = f"I-{label}"
    sentence = numpy.cumsum(sentences_around_mentions(tokens.sentence_starts(), spans, report) == 1)[written]
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
        lines = _Lines()
        documents = stream_mention_layers(project, chosen, status, progress, cancel)
        for count, (document, tokens) in enumerate(with_tokens(project, documents), start=1):
            _write_document(handle, document, tokens, all_mention_types, alignment, lines)
    return ExportReport(count, alignment.messages())
