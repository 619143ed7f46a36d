"""spaCy DocBin: `doc.ents` from non-overlapping mentions, every mention in `doc.spans["sc"]`.

Sentence boundaries follow spaCy's sentencizer; document meta travels in
`user_data`. With a split, documents go to train/ or dev/ by a seeded hash of
their id, so two exports give the same split.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from spacy.attrs import SENT_START
from spacy.tokens import Doc, DocBin, Span

from workstation.core.errors import UserError
from workstation.core.progress import CancelCheck, Progress, never_cancelled, no_progress
from workstation.formats.atomic import atomic_write
from workstation.formats.report import ExportReport
from workstation.formats.training_data import (
    AlignmentReport,
    TokenSpan,
    align,
    outermost,
    resolve_layer,
    sentences_around_mentions,
)
from workstation.nlp.pipeline import tokenize
from workstation.store.document_reader import MentionLayer, stream_mention_layers
from workstation.store.project import Project

SHARD_DOCS = 250
"""A shard of 250 documents of ~500 tokens peaks near 60 MB as it is saved (1,000 took an export to 400 MB)."""


def mention_spans(doc: Doc, layer: MentionLayer, all_mention_types: bool,
                  report: AlignmentReport) -> tuple[list[TokenSpan], list[TokenSpan]]:
    """The layer's mentions that align to tokens, and those of them that are entities (names, or every
    mention with `all_mention_types`): what a DocBin and CoNLL both label."""
    spans, entities = [], []
    for start, end, mention_type, label in layer.mentions:
        span = align(doc, layer, start, end, label, report)
        if span is not None:
            spans.append(span)
            if all_mention_types or mention_type in (None, "NAME"):
                entities.append(span)
    return spans, entities


def layer_to_doc(layer: MentionLayer, all_mention_types: bool, report: AlignmentReport) -> Doc:
    doc = tokenize(layer.text, layer.language or "en")
    spans, entities = mention_spans(doc, layer, all_mention_types, report)
    if len(doc):
        doc.from_array([SENT_START], sentences_around_mentions(doc, spans, report).astype("uint64"))
    doc.spans["sc"] = [Span(doc, start, end, label) for start, end, label, _, _ in spans]
    doc.ents = [Span(doc, start, end, label) for start, end, label, _, _ in outermost(entities, layer, report)]
    doc.user_data.update({"id": layer.id, "title": layer.title, "published": layer.published,
                          "annotator": layer.annotator, "status": layer.status, "source": layer.source})
    return doc


@contextmanager
def msgpack_encoders_read_once() -> Iterator[None]:
    """srsly looks its msgpack encoders up anew on every pack (the entry points of every installed package and
    a scan of the whole catalogue registry, ~2 ms), and a DocBin packs three times per document: that was
    more than half of a DocBin export. The encoders do not change during an export: they are read once here,
    and srsly's own lookup is back afterwards."""
    from srsly.msgpack import msgpack_encoders

    encoders = msgpack_encoders.get_all()
    msgpack_encoders.get_all = lambda: encoders
    try:
        yield
    finally:
        vars(msgpack_encoders).pop("get_all", None)


def in_train(document_id: str, split: float, seed: int) -> bool:
    """Stable, streaming split: a document's side depends only on its id and the seed."""
    digest = hashlib.sha256(f"{seed}/{document_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2 ** 64 < split


class TokenArrayDocBin(DocBin):
    """A DocBin whose `add` reads the strings it must keep from token arrays. spaCy's `add` reads nine
    attributes of a Token object per token to collect them, which cost more than tokenizing; the rest of `add`
    is spaCy's own, and the bytes saved are the same (a test compares them with spaCy's DocBin)."""

    STRING_ATTRIBUTES = ("ORTH", "TAG", "LEMMA", "NORM", "MORPH", "DEP", "ENT_TYPE", "ENT_KB_ID", "ENT_ID")
    """What spaCy's `add` reads per token as strings: text, tag_, lemma_, norm_, morph, dep_, ent_type_,
    ent_kb_id_, ent_id_."""

    def add(self, doc: Doc) -> None:
        import numpy
        import srsly

        self.tokens.append(doc.to_array(self.attrs))
        self.spaces.append(numpy.asarray(doc.to_array("SPACY").reshape((len(doc), 1)), dtype=bool))
        self.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
        strings = doc.vocab.strings
        self.strings.update(strings[value] for value in numpy.unique(doc.to_array(self.STRING_ATTRIBUTES)).tolist())
        self.cats.append(doc.cats)
        if self.store_user_data:
            self.user_data.append(srsly.msgpack_dumps(doc.user_data))
        self.span_groups.append(doc.spans.to_bytes())
        for group in doc.spans.values():
            for span in group:
                self.strings.add(span.label_)
                if span.kb_id in strings:
                    self.strings.add(span.kb_id_)
                if span.id in strings:
                    self.strings.add(span.id_)


class _ShardWriter:
    """DocBins written as they fill: a DocBin keeps arrays for every token until it is saved,
    and `to_bytes` copies them twice more, so a corpus is cut into shards of SHARD_DOCS documents
    (spaCy reads a folder of .spacy files as one corpus). A `.spacy` file path gets one DocBin."""

    def __init__(self, target: Path):
        self.target = target
        self.single_file = target.suffix == ".spacy"
        self.docs = TokenArrayDocBin(store_user_data=True)
        self.shards = 0
        self.count = 0

    def add(self, doc: Doc) -> None:
        self.docs.add(doc)
        self.count += 1
        if not self.single_file and len(self.docs) >= SHARD_DOCS:
            self._flush()

    def _flush(self) -> None:
        self.shards += 1
        self.target.mkdir(parents=True, exist_ok=True)
        _save(self.docs, self.target / f"part-{self.shards:04d}.spacy")
        self.docs = TokenArrayDocBin(store_user_data=True)

    def close(self) -> None:
        if self.single_file:
            _save(self.docs, self.target)
        elif len(self.docs) or not self.shards:
            self._flush()


def _save(docs: DocBin, path: Path) -> None:
    with atomic_write(path, "wb") as handle:
        handle.write(docs.to_bytes())


def export_spacy(project: Project, out: Path, layer: str | None = None, status: str | None = None,
                 split: float | None = None, seed: int = 0, all_mention_types: bool = False,
                 progress: Progress = no_progress, cancel: CancelCheck = never_cancelled) -> ExportReport:
    """One Doc per document of the layer, into `out` (a .spacy file, or a folder of shards);
    with `split` (the train share), into `out/train` and `out/dev`."""
    if split is not None and not 0 < split < 1:
        raise UserError(f"--split must be between 0 and 1 (the train share), got {split}")
    chosen = resolve_layer(project, layer)
    alignment = AlignmentReport()
    count = 0
    with msgpack_encoders_read_once():
        docs = (layer_to_doc(layer, all_mention_types, alignment)
                for layer in stream_mention_layers(project, chosen, status, progress, cancel))
        if split is None:
            whole = _ShardWriter(out)
            for count, doc in enumerate(docs, start=1):
                whole.add(doc)
            whole.close()
        else:
            train, dev = _ShardWriter(out / "train"), _ShardWriter(out / "dev")
            count = _split(docs, split, seed, train, dev)
    report = ExportReport(count, alignment.messages("not in doc.ents (outermost wins), kept in doc.spans['sc']"))
    if split is not None:
        report.messages.append(f"split: {train.count} train, {dev.count} dev document(s) (seed {seed})")
    return report


def _split(docs: Iterator[Doc], split: float, seed: int, train: _ShardWriter, dev: _ShardWriter) -> int:
    """Streams documents to their side by `in_train`, holding the latest of each side back by one: when a side
    would end empty, the other side's held-back document goes to it instead, since training without a dev set
    (or a dev set without training) runs to the end and scores zero."""
    held: dict[bool, Doc | None] = {True: None, False: None}
    count = 0
    for count, doc in enumerate(docs, start=1):
        side = in_train(doc.user_data["id"], split, seed)
        previous = held[side]
        if previous is not None:
            (train if side else dev).add(previous)
        held[side] = doc
    if count < 2:
        raise UserError(f"--split needs at least 2 documents, one for train and one for dev ({count} exported)")
    for side, writer, other in ((True, train, dev), (False, dev, train)):
        doc = held[side]
        if doc is not None:
            lone_other_side = held[not side] is None and not other.count
            (other if lone_other_side and writer.count else writer).add(doc)
    train.close()
    dev.close()
    return count

