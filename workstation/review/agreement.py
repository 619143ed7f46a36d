"""Inter-annotator agreement (DESIGN.md §8): how far annotators' layers on the same documents agree.

Only documents with at least two of the chosen layers count. A layer counts
when its assignment is in progress or done, or when it holds items and was
not skipped: a layer nobody has started (or one the annotator declined) would
only measure absence of work. Per annotator pair the first annotator is the
reference: its items are the "gold" side of P/R/F1 (false negatives), the
other's the predicted side (false positives). Overall figures pool the counts
of all documents (micro-average), so long documents weigh more.

A mention's type is its mention type (NAME/NOMINAL/PRONOUN) and, under a
schema without mention types, its entity label. Actors are compared after
following `merged_into`, so a merge made after annotation does not count as a
disagreement.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.core.errors import UserError
from workstation.core.progress import CancelCheck, Cancelled, Progress, never_cancelled, no_progress
from workstation.core.records import Span, takes_part
from workstation.core.text import folded
from workstation.review.matching import Pairs, exact_pairs, overlap_pairs
from workstation.review.metrics import Counts, cohen_kappa, krippendorff_alpha_nominal
from workstation.store.document_reader import ROWID
from workstation.store.layer_names import layer_names
from workstation.store.models import (
    GOLD,
    Actor,
    Annotator,
    Assignment,
    Document,
    Event,
    EventArgument,
    Mention,
    Stance,
)

NO_TYPE = "(none)"
T = TypeVar("T")


@dataclass
class Breakdown:
    """Counts per type (or label, or role); the total pools them."""

    counts: dict[str, Counts] = field(default_factory=dict)

    def total(self) -> Counts:
        return sum(self.counts.values(), Counts())

    def __add__(self, other: Breakdown) -> Breakdown:
        merged = dict(self.counts)
        for name, counts in other.counts.items():
            merged[name] = merged.get(name, Counts()) + counts
        return Breakdown(dict(sorted(merged.items())))

    def to_dict(self, per: str) -> dict[str, Any]:
        return {"all": self.total().to_dict(), f"by_{per}": {name: c.to_dict() for name, c in self.counts.items()}}


@dataclass
class LabelPairs:
    """The two labels of each matched item pair: share of equal labels and Cohen's κ."""

    pairs: Counter = field(default_factory=Counter)

    @property
    def compared(self) -> int:
        return self.pairs.total()

    @property
    def agreed(self) -> int:
        return sum(count for (first, second), count in self.pairs.items() if first == second)

    @property
    def share(self) -> float | None:
        return self.agreed / self.compared if self.compared else None

    @property
    def kappa(self) -> float | None:
        return cohen_kappa(self.pairs.elements())

    def __add__(self, other: LabelPairs) -> LabelPairs:
        return LabelPairs(self.pairs + other.pairs)

    def to_dict(self, with_kappa: bool = True) -> dict[str, Any]:
        result = {"compared": self.compared, "agreed": self.agreed, "share": self.share}
        return {**result, "kappa": self.kappa} if with_kappa else result


@dataclass
class MentionAgreement:
    exact: Breakdown
    exact_span_only: Counts
    overlap: Breakdown
    overlap_span_only: Counts
    types: LabelPairs
    """Mention types of exactly matched spans."""
    actor_links: LabelPairs
    """Resolved actors of exactly matched spans where both link one."""

    def __add__(self, other: MentionAgreement) -> MentionAgreement:
        return MentionAgreement(self.exact + other.exact, self.exact_span_only + other.exact_span_only,
                                self.overlap + other.overlap, self.overlap_span_only + other.overlap_span_only,
                                self.types + other.types, self.actor_links + other.actor_links)

    def to_dict(self) -> dict[str, Any]:
        return {"exact": {**self.exact.to_dict("type"), "span_only": self.exact_span_only.to_dict()},
                "overlap": {**self.overlap.to_dict("type"), "span_only": self.overlap_span_only.to_dict()},
                "types": self.types.to_dict(), "actor_links": self.actor_links.to_dict(with_kappa=False)}


@dataclass
class StanceAgreement:
    triples: Breakdown
    """(holder, target or issue, label) matches, per label."""
    polarity: LabelPairs
    """Polarities of stances matched by (holder, target or issue)."""

    def __add__(self, other: StanceAgreement) -> StanceAgreement:
        return StanceAgreement(self.triples + other.triples, self.polarity + other.polarity)

    def to_dict(self) -> dict[str, Any]:
        return {"triples": self.triples.to_dict("label"), "polarity": self.polarity.to_dict()}


@dataclass
class EventAgreement:
    triggers: Breakdown
    """Events matched by overlapping trigger and equal type, per type."""
    arguments: Breakdown
    """(role, span) of matched events' arguments, per role."""

    def __add__(self, other: EventAgreement) -> EventAgreement:
        return EventAgreement(self.triggers + other.triggers, self.arguments + other.arguments)

    def to_dict(self) -> dict[str, Any]:
        return {"triggers": self.triggers.to_dict("type"), "arguments": self.arguments.to_dict("role")}


@dataclass
class PairAgreement:
    reference: str
    other: str
    documents: int
    mentions: MentionAgreement
    stances: StanceAgreement
    events: EventAgreement

    def __add__(self, other: PairAgreement) -> PairAgreement:
        return PairAgreement(self.reference, self.other, self.documents + other.documents,
                             self.mentions + other.mentions, self.stances + other.stances,
                             self.events + other.events)

    def to_dict(self) -> dict[str, Any]:
        return {"reference": self.reference, "other": self.other, "documents": self.documents,
                "mentions": self.mentions.to_dict(), "stances": self.stances.to_dict(),
                "events": self.events.to_dict()}


@dataclass
class Alpha:
    """Krippendorff's α on mention types; units are the distinct exact spans any coder marked."""

    units: list[list[str | None]] = field(default_factory=list, repr=False)

    @property
    def value(self) -> float | None:
        return krippendorff_alpha_nominal(self.units)

    @property
    def pairable_units(self) -> int:
        return sum(sum(value is not None for value in unit) >= 2 for unit in self.units)

    def to_dict(self) -> dict[str, Any]:
        return {"alpha": self.value, "units": len(self.units), "pairable_units": self.pairable_units}


@dataclass
class DocumentAgreement:
    id: str
    title: str
    annotators: list[str]
    pairs: list[PairAgreement]
    alpha: Alpha

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "annotators": self.annotators,
                "mention_type_alpha": self.alpha.to_dict(), "pairs": [pair.to_dict() for pair in self.pairs]}


@dataclass
class AgreementReport:
    annotators: list[str]
    documents: list[DocumentAgreement]
    pairs: list[PairAgreement]
    """Overall, per pair: the sum over the documents both annotators have a layer on."""
    alpha: Alpha

    def to_dict(self) -> dict[str, Any]:
        return {"annotators": self.annotators, "documents_compared": len(self.documents),
                "overall": {"mention_type_alpha": self.alpha.to_dict(), "pairs": [p.to_dict() for p in self.pairs]},
                "documents": [document.to_dict() for document in self.documents]}


@dataclass(frozen=True)
class _Mention:
    span: Span
    type: str
    actor: str | None


@dataclass(frozen=True)
class _Stance:
    holder: str | None
    target: tuple[str, str | None]
    label: str
    polarity: int


@dataclass(frozen=True)
class _Event:
    span: Span
    type: str
    arguments: tuple[tuple[str, Span], ...]


@dataclass
class _Layer:
    mentions: list[_Mention] = field(default_factory=list)
    stances: list[_Stance] = field(default_factory=list)
    events: list[_Event] = field(default_factory=list)


def _matched(reference: Sequence[T], other: Sequence[T], kind: Callable[[T], str],
             pair_up: Callable[[list[T], list[T]], Pairs]) -> tuple[Breakdown, list[tuple[T, T]]]:
    """Match items of each kind separately: counts per kind and the matched item pairs."""
    breakdown, matched = Breakdown(), []
    for name in sorted({kind(item) for item in reference} | {kind(item) for item in other}):
        ours = [item for item in reference if kind(item) == name]
        theirs = [item for item in other if kind(item) == name]
        pairs = pair_up(ours, theirs)
        breakdown.counts[name] = Counts(len(pairs), len(theirs) - len(pairs), len(ours) - len(pairs))
        matched += [(ours[i], theirs[j]) for i, j in pairs]
    return breakdown, matched


def _by(key: Callable[[T], Any]) -> Callable[[list[T], list[T]], Pairs]:
    return lambda ours, theirs: exact_pairs([key(item) for item in ours], [key(item) for item in theirs])


def _overlapping(span: Callable[[T], Span]) -> Callable[[list[T], list[T]], Pairs]:
    return lambda ours, theirs: overlap_pairs([span(item) for item in ours], [span(item) for item in theirs])


def _same(_item: object) -> str:
    return ""


def _mentions(reference: list[_Mention], other: list[_Mention]) -> MentionAgreement:
    exact, _ = _matched(reference, other, lambda m: m.type, _by(lambda m: m.span))
    exact_spans, pairs = _matched(reference, other, _same, _by(lambda m: m.span))
    overlap, _ = _matched(reference, other, lambda m: m.type, _overlapping(lambda m: m.span))
    overlap_spans, _ = _matched(reference, other, _same, _overlapping(lambda m: m.span))
    return MentionAgreement(
        exact, exact_spans.total(), overlap, overlap_spans.total(),
        LabelPairs(Counter((a.type, b.type) for a, b in pairs)),
        LabelPairs(Counter((a.actor, b.actor) for a, b in pairs if a.actor and b.actor)))


def _stances(reference: list[_Stance], other: list[_Stance]) -> StanceAgreement:
    triples, _ = _matched(reference, other, lambda s: s.label, _by(lambda s: (s.holder, s.target)))
    _, pairs = _matched(reference, other, _same, _by(lambda s: (s.holder, s.target)))
    return StanceAgreement(triples, LabelPairs(Counter((a.polarity, b.polarity) for a, b in pairs)))


def _events(reference: list[_Event], other: list[_Event]) -> EventAgreement:
    triggers, pairs = _matched(reference, other, lambda e: e.type, _overlapping(lambda e: e.span))
    arguments = Breakdown()
    for ours, theirs in pairs:
        arguments += _matched(ours.arguments, theirs.arguments, lambda a: a[0], _by(lambda a: a[1]))[0]
    return EventAgreement(triggers, arguments)


def _compare(reference: str, other: str, layers: dict[str, _Layer]) -> PairAgreement:
    ours, theirs = layers[reference], layers[other]
    return PairAgreement(reference, other, 1, _mentions(ours.mentions, theirs.mentions),
                         _stances(ours.stances, theirs.stances), _events(ours.events, theirs.events))


def _type_units(layers: list[_Layer]) -> list[list[str | None]]:
    """One unit per distinct exact span, one value per layer (its first mention there, else missing)."""
    types = [{} for _ in layers]
    for found, layer in zip(types, layers, strict=True):
        for mention in layer.mentions:
            found.setdefault(mention.span, mention.type)
    spans = sorted(set().union(*types))
    return [[found.get(span) for found in types] for span in spans]


def _chosen(session: Session, annotators: list[str] | None) -> dict[str, str]:
    """Annotator id → name, in the order given; by default everyone with a layer (by name) but gold."""
    known = dict(session.execute(select(Annotator.name, Annotator.id)).tuples().all())
    if annotators is None:
        return {known[name]: name for name in layer_names(session) if name != GOLD}
    unknown = [name for name in annotators if name not in known]
    if unknown:
        raise UserError(f"unknown annotator(s): {', '.join(unknown)} (known: {', '.join(sorted(known)) or 'none'})")
    chosen = {known[name]: name for name in annotators}
    if len(chosen) < 2:
        raise UserError("agreement needs at least two different annotators")
    return chosen


def _counted_layers(session: Session, chosen: dict[str, str]) -> dict[str, set[str]]:
    """Document id → names of the chosen annotators whose layer counts there (see the module docstring)."""
    statuses = {(document_id, annotator_id): status for document_id, annotator_id, status in session.execute(
        select(Assignment.document_id, Assignment.annotator_id, Assignment.status)
        .where(Assignment.annotator_id.in_(chosen)))}
    layers = {key for key, status in statuses.items() if takes_part(status, has_items=False)}
    for table in (Mention, Stance, Event):
        for key in session.execute(select(table.document_id, table.annotator_id).distinct()
                                   .where(table.annotator_id.in_(chosen))):
            if takes_part(statuses.get(tuple(key)), has_items=True):
                layers.add(tuple(key))
    found: dict[str, set[str]] = defaultdict(set)
    for document_id, annotator_id in layers:
        found[document_id].add(chosen[annotator_id])
    return {document_id: names for document_id, names in found.items() if len(names) >= 2}


def actor_resolver(session: Session) -> Callable[[str | None], str | None]:
    merged = dict(session.execute(select(Actor.id, Actor.merged_into)
                                  .where(Actor.merged_into.is_not(None))).tuples().all())

    def resolve(actor_id: str | None) -> str | None:
        seen = set()
        while actor_id in merged and actor_id not in seen:
            seen.add(actor_id)
            actor_id = merged[actor_id]
        return actor_id
    return resolve


def _load_layers(session: Session, chosen: dict[str, str],
                 documents: dict[str, set[str]]) -> dict[str, dict[str, _Layer]]:
    """Document id → annotator name → the layer's items, reduced to what agreement compares."""
    resolve = actor_resolver(session)
    layers: dict[str, dict[str, _Layer]] = {doc: {name: _Layer() for name in names} for doc, names in documents.items()}

    def layer_of(document_id: str, annotator_id: str) -> _Layer | None:
        return layers.get(document_id, {}).get(chosen[annotator_id])

    for doc, who, start, end, mention_type, label, actor in session.execute(
            select(Mention.document_id, Mention.annotator_id, Mention.start, Mention.end, Mention.mention_type,
                   Mention.label, Mention.actor_id)
            .where(Mention.annotator_id.in_(chosen)).order_by(Mention.start, Mention.end)):
        if (layer := layer_of(doc, who)) is not None:
            layer.mentions.append(_Mention((start, end), mention_type or label or NO_TYPE, resolve(actor)))
    for doc, who, holder, target, issue, label, polarity in session.execute(
            select(Stance.document_id, Stance.annotator_id, Stance.holder_id, Stance.target_id, Stance.issue,
                   Stance.label, Stance.polarity).where(Stance.annotator_id.in_(chosen))):
        if (layer := layer_of(doc, who)) is not None:
            aim = ("actor", resolve(target)) if target else ("issue", folded(issue))
            layer.stances.append(_Stance(resolve(holder), aim, label, polarity))
    arguments: dict[str, list[tuple[str, Span]]] = defaultdict(list)
    for event_id, role, mention_start, mention_end, start, end in session.execute(
            select(EventArgument.event_id, EventArgument.role, Mention.start, Mention.end, EventArgument.start,
                   EventArgument.end).select_from(EventArgument).join(Event, Event.id == EventArgument.event_id)
            .outerjoin(Mention, Mention.id == EventArgument.mention_id).where(Event.annotator_id.in_(chosen))
            .order_by(EventArgument.position)):
        span = (start, end) if mention_start is None else (mention_start, mention_end)
        arguments[event_id].append((role, span))
    for event_id, doc, who, event_type, start, end in session.execute(
            select(Event.id, Event.document_id, Event.annotator_id, Event.type, Event.trigger_start,
                   Event.trigger_end).where(Event.annotator_id.in_(chosen)).order_by(Event.trigger_start)):
        if (layer := layer_of(doc, who)) is not None:
            layer.events.append(_Event((start, end), event_type, tuple(arguments[event_id])))
    return layers


def agreement(session: Session, annotators: list[str] | None = None, *, progress: Progress = no_progress,
              cancel: CancelCheck = never_cancelled) -> AgreementReport:
    """Agreement of the named annotators (default: everyone but gold) per document, per pair and overall.

    Naming fewer than two annotators, or an unknown one, is a user mistake;
    with the default choice and fewer than two annotators the report is empty.
    """
    chosen = _chosen(session, annotators)
    names = list(chosen.values())
    counted = _counted_layers(session, chosen)
    titles = {document_id: title for document_id, title in session.execute(
        select(Document.id, Document.title).order_by(ROWID)) if document_id in counted}
    layers = _load_layers(session, chosen, counted)
    documents: list[DocumentAgreement] = []
    overall: dict[tuple[str, str], PairAgreement] = {}
    for done, (document_id, title) in enumerate(titles.items(), start=1):
        if cancel():
            raise Cancelled()
        present = [name for name in names if name in layers[document_id]]
        pairs = [_compare(a, b, layers[document_id]) for a, b in combinations(present, 2)]
        for pair in pairs:
            key = (pair.reference, pair.other)
            overall[key] = overall[key] + pair if key in overall else pair
        documents.append(DocumentAgreement(document_id, title, present, pairs,
                                           Alpha(_type_units([layers[document_id][name] for name in present]))))
        progress(done, len(titles), title)
    order = {name: index for index, name in enumerate(names)}
    return AgreementReport(names, documents,
                           sorted(overall.values(), key=lambda p: (order[p.reference], order[p.other])),
                           Alpha([unit for document in documents for unit in document.alpha.units]))
