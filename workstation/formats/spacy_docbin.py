"""spaCy DocBin: `doc.ents` from non-overlapping mentions, every mention in `doc.spans["sc"]`.

Sentence boundaries follow spaCy's sentencizer; document meta travels in
`user_data`. With a split, documents go to train/ or dev/ by a seeded hash of
their id, so two exports give the same split.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import numpy
import srsly
from spacy.attrs import ENT_IOB, ENT_TYPE, IDS, SENT_START
from spacy.tokens import Doc, DocBin

from workstation.core.errors import UserError
from workstation.core.progress import CancelCheck, Progress, never_cancelled, no_progress
from workstation.formats.atomic import atomic_write
from workstation.formats.report import ExportReport
from workstation.formats.training_data import (
    AlignmentReport,
    TokenSpan,
    mention_spans,
    outermost,
    resolve_layer,
    sentences_around_mentions,
)
from workstation.nlp.pipeline import tokenize
from workstation.nlp.stored_tokens import with_tokens
from workstation.nlp.token_table import WHITESPACE_AFTER, TokenTable
from workstation.store.document_reader import MentionLayer, stream_mention_layers
from workstation.store.project import Project

DEFLATE_LEVEL = 3
"""zlib's level for saved DocBins. At spaCy's (zlib's default, 6) deflating was a fifth of a DocBin export; 3 is
2.6 times as fast and the files a quarter larger (0.39 → 0.49 MB a shard), read by spaCy as any zlib stream."""
SHARD_DOCS = 250
"""A shard of 250 documents of ~500 tokens peaks near 60 MB as it is saved (1,000 took an export to 400 MB)."""


class LabelledDoc(NamedTuple):
    """A Doc with its sentences and entities set, and its `doc.spans` as the bytes a DocBin saves: the span
    group is packed from the token spans, since a Span object per mention, and spaCy packing it again, cost
    more than tokenizing the text."""

    doc: Doc
    span_groups: bytes
    labels: set[str]
    spaces: numpy.ndarray
    """Whether a space follows each token (spaCy's SPACY), one column: read off the token table."""


SPAN_LAYOUT = struct.Struct(">QQQllll")
"""A span as `SpanGroup.to_bytes` packs it: id, kb_id, label, start, end, start_char, end_char."""
OUTSIDE, BEGIN, INSIDE = 2, 3, 1
"""ENT_IOB's codes, as `doc.ents` sets them (tokens outside every entity are O, not missing)."""


def span_group_bytes(spans: list[TokenSpan], labels: dict[str, int]) -> bytes:
    """What `doc.spans.to_bytes()` gives when `doc.spans["sc"]` holds these spans (`labels`: their hashes): a
    map from each group's bytes to its keys (a test compares the two)."""
    packed = [SPAN_LAYOUT.pack(0, 0, labels[label], start, end, start_char, end_char)
              for start, end, label, start_char, end_char in spans]
    return srsly.msgpack_dumps({srsly.msgpack_dumps({"name": "sc", "attrs": {}, "spans": packed}): ["sc"]})


def _token_columns(tokens: TokenTable, spans: list[TokenSpan], entities: list[TokenSpan], labels: dict[str, int],
                   report: AlignmentReport) -> numpy.ndarray:
    """SENT_START, ENT_IOB and ENT_TYPE per token, set in one `from_array` rather than through `doc.ents`. The
    entities do not overlap (`outermost`): a running sum that rises by an entity's number at its first token
    and falls by it after its last gives each token the entity it is in, without a step per entity."""
    columns = numpy.zeros((len(tokens), 3), dtype=numpy.uint64)
    columns[:, 0] = sentences_around_mentions(tokens.sentence_starts(), spans, report).astype(numpy.uint64)
    columns[:, 1] = OUTSIDE
    if entities:
        starts, ends, names = zip(*((span.start, span.end, span.label) for span in entities))
        number = numpy.arange(1, len(entities) + 1)
        edges = numpy.zeros(len(tokens) + 1, dtype=numpy.int64)
        numpy.add.at(edges, list(starts), number)
        numpy.add.at(edges, list(ends), -number)
        inside = numpy.cumsum(edges[:-1])
        hashes = numpy.array([0, *map(labels.__getitem__, names)], dtype=numpy.uint64)
        columns[:, 2] = hashes[inside]
        columns[inside > 0, 1] = INSIDE
        columns[list(starts), 1] = BEGIN
    return columns


def layer_to_doc(layer: MentionLayer, tokens: TokenTable, all_mention_types: bool,
                 report: AlignmentReport) -> LabelledDoc:
    """The layer's Doc; `tokens` are the document's (stored or not), from which its sentences and spans are
    read without spaCy's Token objects."""
    doc = tokenize(layer.text, layer.language or "en")
    if len(doc) != len(tokens):  # stored by a tokenizer of the same name that cut otherwise: never trusted
        tokens = TokenTable.of_doc(doc)
    spans, entities = mention_spans(tokens, layer, all_mention_types, report)
    kept = outermost(entities, layer, report)
    labels = {label: doc.vocab.strings.add(label) for label in {span.label for span in spans}}
    if len(doc):
        doc.from_array([SENT_START, ENT_IOB, ENT_TYPE], _token_columns(tokens, spans, kept, labels, report))
    doc.user_data.update({"id": layer.id, "title": layer.title, "published": layer.published,
                          "annotator": layer.annotator, "status": layer.status, "source": layer.source})
    return LabelledDoc(doc, span_group_bytes(spans, labels), set(labels),
                       tokens.has(WHITESPACE_AFTER).reshape((len(tokens), 1)))


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
    """A DocBin whose `add` reads the strings it must keep from token arrays, and takes the span groups already
    packed. spaCy's `add` reads nine attributes of a Token object per token to collect them, which cost more
    than tokenizing; the rest of `add` is spaCy's own, and the bytes saved are the same (a test compares them
    with spaCy's DocBin of the same documents built with Span objects)."""

    STRING_ATTRIBUTES = ("ORTH", "TAG", "LEMMA", "NORM", "MORPH", "DEP", "ENT_TYPE", "ENT_KB_ID", "ENT_ID")
    """What spaCy's `add` reads per token as strings: text, tag_, lemma_, norm_, morph, dep_, ent_type_,
    ent_kb_id_, ent_id_."""

    def __init__(self, store_user_data: bool = False):
        super().__init__(store_user_data=store_user_data)
        self.string_columns = [self.attrs.index(IDS[name]) for name in self.STRING_ATTRIBUTES]
        """Where the string attributes are among the saved ones (all of them are saved)."""

    def add(self, labelled: LabelledDoc) -> None:
        doc = labelled.doc
        values = doc.to_array(self.attrs)
        self.tokens.append(values)
        self.spaces.append(labelled.spaces)
        self.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
        strings = doc.vocab.strings
        self.strings.update(strings[value] for value in numpy.unique(values[:, self.string_columns]).tolist())
        self.strings.update(labelled.labels)
        self.cats.append(doc.cats)
        if self.store_user_data:
            self.user_data.append(srsly.msgpack_dumps(doc.user_data))
        self.span_groups.append(labelled.span_groups)

    def to_bytes(self) -> bytes:
        """spaCy's bytes, deflated at DEFLATE_LEVEL: `DocBin.to_bytes` calls its module's `zlib.compress` with
        zlib's default level, which is swapped for the time of the call."""
        from spacy.tokens import _serialize

        module_zlib = _serialize.zlib
        _serialize.zlib = _Deflate
        try:
            return super().to_bytes()
        finally:
            _serialize.zlib = module_zlib


class _Deflate:
    """The `zlib` that `DocBin.to_bytes` sees while ours saves."""

    @staticmethod
    def compress(data: bytes) -> bytes:
        return zlib.compress(data, DEFLATE_LEVEL)


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

    def add(self, doc: LabelledDoc) -> None:
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
        layers = stream_mention_layers(project, chosen, status, progress, cancel)
        docs = (layer_to_doc(layer, tokens, all_mention_types, alignment)
                for layer, tokens in with_tokens(project, layers))
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


def _split(docs: Iterator[LabelledDoc], split: float, seed: int, train: _ShardWriter, dev: _ShardWriter) -> int:
    """Streams documents to their side by `in_train`, holding the latest of each side back by one: when a side
    would end empty, the other side's held-back document goes to it instead, since training without a dev set
    (or a dev set without training) runs to the end and scores zero."""
    held: dict[bool, LabelledDoc | None] = {True: None, False: None}
    count = 0
    for count, doc in enumerate(docs, start=1):
        side = in_train(doc.doc.user_data["id"], split, seed)
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

