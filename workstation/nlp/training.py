"""Train a spaCy pipeline on the project's own annotations, from a blank language (nothing downloaded).

The documents of the chosen layers are split by document with a fixed seed; `ner` learns the mentions that do
not overlap, and `spancat` the nested ones when the layers have any. The held-out part is scored per label
(exact spans) and the scores are kept with the model: in its folder beside the project
(`<project>.models/<name>/`) and in the project's list of models.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select

from workstation.core.errors import UserError
from workstation.core.progress import CancelCheck, Cancelled, Progress, never_cancelled, no_progress
from workstation.core.span_scores import span_scores
from workstation.nlp.model_files import models_folder, pack
from workstation.nlp.pipeline import blank_pipeline, sentence_starts
from workstation.store.models import TrainedModel, utcnow
from workstation.store.project import Project
from workstation.store.training_rows import LabelledText, labelled_texts

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.training import Example

NESTED_KEY = "sc"
BATCH = 4
"""Sentences per update."""
MODEL_FILE = "workstation-model.json"
NAME_PATTERN = re.compile(r"^[\w.-]{1,64}$")


@dataclass(frozen=True)
class TrainingOptions:
    layers: Sequence[str] = ("gold",)
    name: str | None = None
    split: float = 0.8
    seed: int = 0
    iterations: int = 15


@dataclass(frozen=True)
class TrainedInfo:
    name: str
    path: Path
    created: str
    layers: list[str]
    sizes: dict[str, int]
    scores: dict[str, dict[str, float | int]]
    seconds: float
    trained_on: list[str]
    """The documents it learned from: `evaluate` leaves them out."""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "created": self.created, "layers": self.layers, "sizes": self.sizes,
                "scores": self.scores, "seconds": round(self.seconds, 2), "trained_on": self.trained_on}


def split_documents(texts: list[LabelledText], share: float, seed: int) -> tuple[list[LabelledText],
                                                                                 list[LabelledText]]:
    """Train and held-out parts by document, each with at least one (the shuffle is seeded)."""
    if len(texts) < 2:
        raise UserError(f"training needs at least 2 annotated documents (one to hold out); the layers have "
                        f"{len(texts)}")
    if not 0 < share < 1:
        raise UserError(f"--split must be between 0 and 1, not {share}")
    order = list(texts)
    random.Random(seed).shuffle(order)
    cut = min(len(order) - 1, max(1, round(len(order) * share)))
    return order[:cut], order[cut:]


def train_model(project: Project, options: TrainingOptions, progress: Progress = no_progress,
                cancel: CancelCheck = never_cancelled) -> TrainedInfo:
    """Train, score on the held-out part, save; a cancel leaves nothing behind."""
    name = options.name or f"{'+'.join(options.layers)}-{utcnow():%Y%m%d-%H%M%S}"
    if not NAME_PATTERN.match(name):
        raise UserError(f"a model name is letters, digits, '.', '_' or '-' (up to 64), not {name!r}")
    with project.session() as session:
        texts = labelled_texts(session, options.layers)
    train, held_out = split_documents(texts, options.split, options.seed)
    started = time.perf_counter()
    nlp = _fit(train, options, progress, cancel)
    seconds = time.perf_counter() - started
    predicted = [(text.document_id, start, end, label) for text in held_out
                 for start, end, label in predict_spans(nlp, text.text)]
    reference = [(text.document_id, *span) for text in held_out for span in text.spans]
    scores = {label: score.to_dict() for label, score in span_scores(predicted, reference).items()}
    sizes = {"train_documents": len(train), "held_out_documents": len(held_out),
             "train_sentences": sum(_sentences(nlp, text.text) for text in train),
             "train_spans": sum(len(text.spans) for text in train),
             "held_out_spans": sum(len(text.spans) for text in held_out)}
    created = utcnow()
    info = TrainedInfo(name, models_folder(project) / name, created.isoformat(timespec="seconds"),
                       list(options.layers), sizes, scores, seconds, [text.document_id for text in train])
    info.path.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(info.path)
    (info.path / MODEL_FILE).write_text(json.dumps(info.to_dict(), indent=2), encoding="utf-8")
    with project.session.begin() as session:
        session.execute(delete(TrainedModel).where(TrainedModel.name == name))
        session.add(TrainedModel(name=name, created_at=created, layers=info.layers, sizes=sizes, scores=scores,
                                 archive=pack(info.path) if project.server else None))
    return info


def _fit(train: list[LabelledText], options: TrainingOptions, progress: Progress, cancel: CancelCheck) -> Language:
    import spacy
    from spacy.util import fix_random_seed, minibatch

    language = train[0].language or "en"
    blank_pipeline(language)
    fix_random_seed(options.seed)
    nlp = spacy.blank(language)
    nlp.max_length = max(len(text.text) for text in train) + 1
    examples = [example for text in train for example in _examples(nlp, text)]
    labels = sorted({label for text in train for _, _, label in text.spans})
    ner = nlp.add_pipe("ner")
    for label in labels:
        ner.add_label(label)
    if any(NESTED_KEY in example.reference.spans for example in examples):
        spancat = nlp.add_pipe("spancat", config={"spans_key": NESTED_KEY})
        for label in labels:
            spancat.add_label(label)
    optimizer = nlp.initialize(lambda: examples)
    shuffler = random.Random(options.seed)
    for iteration in range(options.iterations):
        if cancel():
            raise Cancelled()
        shuffler.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=BATCH):
            nlp.update(batch, drop=0.2, sgd=optimizer, losses=losses)
        progress(iteration + 1, options.iterations, f"iteration {iteration + 1}: loss {sum(losses.values()):.1f}")
    return nlp


def _examples(nlp: Language, text: LabelledText) -> list[Example]:
    """One example per sentence (many small updates learn faster than a few over whole documents): entities from
    the longest spans that do not overlap, every span (nested too) under `sc` when some nest. Spans off token
    boundaries shrink to the tokens inside them; a span across a sentence boundary is left out."""
    from spacy.training import Example
    from spacy.util import filter_spans

    whole = nlp.make_doc(text.text)
    starts = [token.idx for token, start in zip(whole, sentence_starts(whole)) if start == 1] + [len(text.text)]
    examples = []
    for first, last in zip(starts, starts[1:]):
        reference = nlp.make_doc(text.text[first:last])
        spans = [span for start, end, label in text.spans if first <= start and end <= last
                 and (span := reference.char_span(start - first, end - first, label=label,
                                                  alignment_mode="contract")) is not None]
        kept = filter_spans(spans)
        reference.ents = kept
        if len(kept) < len(spans):
            reference.spans[NESTED_KEY] = spans
        examples.append(Example(nlp.make_doc(reference.text), reference))
    return examples


def _sentences(nlp: Language, text: str) -> int:
    return int((sentence_starts(nlp.make_doc(text)) == 1).sum())


def predict_spans(nlp: Language, text: str) -> list[tuple[int, int, str]]:
    """(start, end, label) the pipeline finds: its entities, and its nested spans when it has a spancat."""
    nlp.max_length = max(nlp.max_length, len(text) + 1)
    doc = nlp(text)
    found = {(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents}
    if NESTED_KEY in doc.spans:
        found |= {(span.start_char, span.end_char, span.label_) for span in doc.spans[NESTED_KEY]}
    return sorted(found)


def trained_on(path: Path) -> set[str]:
    """The documents a saved model learned from (none for a folder without our record)."""
    try:
        return set(json.loads((path / MODEL_FILE).read_text(encoding="utf-8")).get("trained_on", []))
    except (OSError, ValueError):
        return set()


def list_models(project: Project) -> list[TrainedModel]:
    with project.session() as session:
        return list(session.scalars(select(TrainedModel).order_by(TrainedModel.created_at)))
