"""What the training-data exports share: one chosen layer, tokens, and honest span alignment.

A mention whose offsets do not fall on token boundaries cannot become a
token-level label; it is counted and shown, never dropped silently. spaCy is
imported by the exports that build Docs, not here: brat import uses the layer
helpers of this module and must not pull spaCy into start-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from workstation.core.errors import UserError
from workstation.core.records import DocumentRecord, LayerRecord
from workstation.nlp.token_table import TokenTable
from workstation.store.layer_names import layer_names
from workstation.store.project import Project

if TYPE_CHECKING:
    import numpy

    from workstation.store.document_reader import MentionLayer

EXAMPLES_KEPT = 5
OVERLAP_LOST = "not written: a token takes one tag, and the longer mention wins"


class Named(Protocol):
    """What a report names a document by: a record, or the lighter `MentionLayer` of the token formats."""

    @property
    def title(self) -> str: ...
    @property
    def id(self) -> str | None: ...
    @property
    def text(self) -> str: ...


def resolve_layer(project: Project, layer: str | None) -> str:
    """The layer to export: the one asked for, or the only one there is."""
    with project.session() as session:
        names = layer_names(session)
    if layer is not None:
        if layer not in names:
            raise UserError(f"no layer '{layer}' in the project (layers: {', '.join(names) or 'none'})")
        return layer
    if len(names) == 1:
        return names[0]
    raise UserError(f"choose a layer with --layer (layers: {', '.join(names) or 'none'})")


def layer_of(record: DocumentRecord, annotator: str) -> LayerRecord:
    """The record's only layer (the reader was built for one), or an empty layer of that annotator."""
    return record.layers[0] if record.layers else LayerRecord(annotator=annotator)


@dataclass
class AlignmentReport:
    """What a token-level export could not label as it was: spans that cut tokens, mentions that lost to a
    longer overlapping one (outermost wins), sentence boundaries removed because they fell inside a mention."""

    misaligned: int = 0
    examples: list[str] = field(default_factory=list)
    overlapped: int = 0
    overlap_examples: list[str] = field(default_factory=list)
    joined_sentences: int = 0

    def add(self, record: Named, start: int, end: int) -> None:
        self.misaligned += 1
        _example(self.examples, record, start, end)

    def messages(self, overlapped: str = OVERLAP_LOST) -> list[str]:
        """`overlapped` says what happened to a mention inside or across a longer one in this format."""
        messages = []
        if self.misaligned:
            messages.append(f"{self.misaligned} span(s) do not align to token boundaries and were left out; first: "
                            + "; ".join(self.examples))
        if self.overlapped:
            messages.append(f"{self.overlapped} mention(s) overlap a longer mention, {overlapped}; first: "
                            + "; ".join(self.overlap_examples))
        if self.joined_sentences:
            messages.append(f"{self.joined_sentences} sentence boundary(ies) fell inside a mention and were removed "
                            "(the sentences either side are one)")
        return messages


def _example(examples: list[str], record: Named, start: int, end: int) -> None:
    if len(examples) < EXAMPLES_KEPT:
        examples.append(f"{record.title or record.id} {start}-{end} {record.text[start:end]!r}")


class TokenSpan(NamedTuple):
    """A span on tokens (end exclusive) with its label and the characters it covers: what a token-level format
    writes. Plain tuples, not spaCy `Span`s: CoNLL and Prodigy need only these numbers, and outermost-wins and
    the sentence mask work on them without a Python call into spaCy per span."""

    start: int
    end: int
    label: str
    start_char: int
    end_char: int


def outermost(spans: list[TokenSpan], record: Named | None = None,
              report: AlignmentReport | None = None) -> list[TokenSpan]:
    """Non-overlapping spans, longer (outer) spans winning over the spans they contain or cross, by spaCy's
    `filter_spans` rule (longest first, then the earlier; a test compares the two); the losers are counted in
    `report`, since one tag per token cannot hold them."""
    by_start = sorted(spans, key=itemgetter(0))
    if all(before.end <= after.start for before, after in zip(by_start, by_start[1:])):
        return by_start  # nothing overlaps, as in most documents: every span is kept
    kept, taken = [], set[int]()
    for span in sorted(spans, key=lambda span: (span.end - span.start, -span.start), reverse=True):
        if span.start not in taken and span.end - 1 not in taken:
            kept.append(span)
            taken.update(range(span.start, span.end))
    kept.sort(key=itemgetter(0))
    if report is not None and record is not None and len(kept) < len(spans):
        winners = {span[:3] for span in kept}
        for span in spans:
            if span[:3] not in winners:
                report.overlapped += 1
                _example(report.overlap_examples, record, span.start_char, span.end_char)
            else:
                winners.discard(span[:3])
    return kept


def mention_spans(tokens: TokenTable, layer: MentionLayer, all_mention_types: bool,
                  report: AlignmentReport) -> tuple[list[TokenSpan], list[TokenSpan]]:
    """The layer's mentions that align to tokens, and those of them that are entities (names, or every
    mention with `all_mention_types`): what a DocBin and CoNLL both label. All of a document's mentions are
    aligned in one search of the token arrays (`TokenTable.align`)."""
    spans, entities = [], []
    aligned = tokens.align([mention[0] for mention in layer.mentions], [mention[1] for mention in layer.mentions])
    for (start, end, mention_type, label), (first, last) in zip(layer.mentions, aligned):
        if first < 0:
            report.add(layer, start, end)
            continue
        span = TokenSpan(first, last, label, start, end)
        spans.append(span)
        if all_mention_types or mention_type in (None, "NAME"):
            entities.append(span)
    return spans, entities


def sentences_around_mentions(sentence_starts: numpy.ndarray, spans: list[TokenSpan],
                              report: AlignmentReport) -> numpy.ndarray:
    """SENT_START per token (1 starts a sentence, -1 does not) from the sentencizer's (`sentence_starts`, left
    unchanged), except that no sentence starts inside a mention: a boundary there is removed, joining the two
    sentences, because a sentence that starts inside an entity gives `I-X` with no `B-X` and cuts a training
    example in two. Shared by every export that writes sentences (DocBin, CoNLL)."""
    import numpy

    starts: Any = sentence_starts.copy()
    if spans:
        # The tokens inside some mention after its first, as one mask: +1 where an inside run begins, -1 after.
        edges = numpy.zeros(len(starts) + 1, dtype=numpy.int64)
        numpy.add.at(edges, [span.start + 1 for span in spans], 1)
        numpy.add.at(edges, [span.end for span in spans], -1)
        inside = numpy.cumsum(edges[:-1]) > 0
        report.joined_sentences += int((starts[inside] == 1).sum())
        starts[inside] = -1
    return starts
