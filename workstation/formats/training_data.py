"""What the training-data exports share: one chosen layer, tokens, and honest span alignment.

A mention whose offsets do not fall on token boundaries cannot become a
token-level label; it is counted and shown, never dropped silently. spaCy is
imported by the exports that build Docs, not here: brat import uses the layer
helpers of this module and must not pull spaCy into start-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workstation.core.errors import UserError
from workstation.core.records import DocumentRecord, LayerRecord
from workstation.store.layer_names import layer_names
from workstation.store.project import Project

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

EXAMPLES_KEPT = 5


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
    misaligned: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, record: DocumentRecord, start: int, end: int) -> None:
        self.misaligned += 1
        if len(self.examples) < EXAMPLES_KEPT:
            self.examples.append(f"{record.title or record.id} {start}-{end} {record.text[start:end]!r}")

    def messages(self) -> list[str]:
        if not self.misaligned:
            return []
        return [f"{self.misaligned} span(s) do not align to token boundaries and were left out; first: "
                + "; ".join(self.examples)]


def align(doc: Doc, record: DocumentRecord, start: int, end: int, label: str,
          report: AlignmentReport) -> Span | None:
    """The token span for these offsets, or None (counted in the report) when they cut a token."""
    span = doc.char_span(start, end, label=label)
    if span is None:
        report.add(record, start, end)
    return span



def outermost(spans: list[Span]) -> list[Span]:
    """Non-overlapping spans, longer (outer) spans winning over the spans they contain or cross."""
    from spacy.util import filter_spans

    return sorted(filter_spans(spans), key=lambda span: span.start)
