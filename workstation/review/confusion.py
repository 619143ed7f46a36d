"""Which mention types two annotators confuse: a matrix of one annotator's types against the other's.

On every document both annotators have a layer on (as agreement counts
layers), their mentions are paired one to one by overlapping spans, the pair
sharing most text first (see `overlap_pairs`), so the same mention marked with
a token more or less still shows whether its type agrees. A mention without
a partner lands in the row or column NONE. Each cell keeps its pairs, so the
supervisor can open the items behind a number.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.core.errors import UserError
from workstation.core.records import takes_part
from workstation.review.matching import overlap_pairs
from workstation.store.models import Annotator, Assignment, Document, Mention

NONE = "(none)"
FIELDS = {"mention type": "mention_type", "label": "label"}
"""What a cell compares: the mention type (NAME, NOMINAL...) or the label (the entity or actor type)."""


@dataclass(frozen=True)
class Side:
    """One annotator's mention in a pair (None when the other annotator's mention has no partner)."""

    id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Pair:
    document_id: str
    title: str
    first: Side | None
    second: Side | None


@dataclass
class Confusion:
    first: str
    second: str
    compared: str
    """A key of FIELDS."""
    documents: int = 0
    cells: dict[tuple[str, str], list[Pair]] = field(default_factory=lambda: defaultdict(list))
    """(first's value, second's value) → the pairs behind the count."""

    def types(self) -> list[str]:
        """Every value either side used, sorted, NONE last: the rows and the columns."""
        values = {value for cell in self.cells for value in cell} - {NONE}
        return [*sorted(values), NONE]

    def count(self, first: str, second: str) -> int:
        return len(self.cells.get((first, second), []))


def _layer(session: Session, annotator_id: str) -> dict[str, list[Mention]]:
    found: dict[str, list[Mention]] = defaultdict(list)
    for mention in session.scalars(select(Mention).where(Mention.annotator_id == annotator_id)
                                   .order_by(Mention.start, Mention.end, Mention.id)):
        found[mention.document_id].append(mention)
    return found


def _documents(session: Session, ids: list[str], layers: list[dict[str, list[Mention]]]) -> list[str]:
    """Documents on which both layers take part, in import order."""
    statuses = {(document, who): status for document, who, status in session.execute(
        select(Assignment.document_id, Assignment.annotator_id, Assignment.status)
        .where(Assignment.annotator_id.in_(ids)))}
    shared = []
    for document_id in session.scalars(select(Document.id).order_by(Document.imported_at, Document.id)):
        if all(takes_part(statuses.get((document_id, who)), bool(layer.get(document_id)))
               for who, layer in zip(ids, layers, strict=True)):
            shared.append(document_id)
    return shared


def _value(mention: Mention | None, column: str) -> str:
    return (getattr(mention, column) or NONE) if mention is not None else NONE


def mention_confusion(session: Session, first: str, second: str, compared: str = "mention type") -> Confusion:
    """The confusion matrix of `first`'s mention types (or labels) against `second`'s."""
    if compared not in FIELDS:
        raise UserError(f"a confusion matrix compares {' or '.join(FIELDS)}, not {compared!r}")
    known = dict(session.execute(select(Annotator.name, Annotator.id)).tuples().all())
    unknown = [name for name in (first, second) if name not in known]
    if unknown or first == second:
        raise UserError(f"choose two different annotators (unknown: {', '.join(unknown) or 'none'})")
    ids = [known[first], known[second]]
    layers = [_layer(session, annotator_id) for annotator_id in ids]
    column = FIELDS[compared]
    confusion = Confusion(first, second, compared)
    titles = dict(session.execute(select(Document.id, Document.title)).tuples().all())
    texts: dict[str, str] = {}
    for document_id in _documents(session, ids, layers):
        confusion.documents += 1
        text = texts.setdefault(document_id, session.scalar(select(Document.text).where(Document.id == document_id)))
        mine, theirs = (layer.get(document_id, []) for layer in layers)
        pairs = overlap_pairs([(m.start, m.end) for m in mine], [(m.start, m.end) for m in theirs])
        paired_mine, paired_theirs = {i for i, _ in pairs}, {j for _, j in pairs}
        matched: list[tuple[Mention | None, Mention | None]] = [(mine[i], theirs[j]) for i, j in pairs]
        matched += [(mention, None) for index, mention in enumerate(mine) if index not in paired_mine]
        matched += [(None, mention) for index, mention in enumerate(theirs) if index not in paired_theirs]
        for left, right in matched:
            key = (_value(left, column), _value(right, column))
            sides = [Side(m.id, m.start, m.end, text[m.start:m.end]) if m else None for m in (left, right)]
            confusion.cells[key].append(Pair(document_id, titles[document_id], *sides))
    return confusion
