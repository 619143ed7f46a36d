"""Which document teaches the model most if annotated next: the one the model is least sure of, else the one
with the most registry suggestions (the most annotation done for the fewest keys).

A model's uncertainty on a document is the mean, over its suggested spans, of one minus the margin of each
score from a coin toss (|2p − 1|): spans scored near 0.5 count most. The `ner` component gives no per-span
probability (its entities score 1, certain), so only a model with nested spans (spancat) can order documents by
uncertainty; documents it is equally sure of are ordered by registry hits.
"""

from __future__ import annotations

from dataclasses import dataclass

from workstation.core.progress import CancelCheck, Cancelled, Progress, never_cancelled, no_progress
from workstation.core.suggestions import REGISTRY
from workstation.nlp.model_suggester import load_model
from workstation.nlp.suggesting import RegistrySource, layer_id
from workstation.store.document_list import document_texts
from workstation.store.project import Project
from workstation.store.suggestion_names import suggestion_names
from workstation.store.suggestion_state import pending


@dataclass(frozen=True, order=True)
class Usefulness:
    uncertainty: float
    registry_hits: int


def usefulness(project: Project, layer: str | None, source: str = REGISTRY, progress: Progress = no_progress,
               cancel: CancelCheck = never_cancelled) -> dict[str, Usefulness]:
    """By document id; what the layer already holds or rejected does not count."""
    registry = RegistrySource()
    with project.session() as session:
        annotator_id = layer_id(session, layer) if layer is not None else None
        documents = document_texts(session)
        model = None if source == REGISTRY else load_model(project, source, suggestion_names(session))
        found = {}
        for done, (document_id, text, language) in enumerate(documents, start=1):
            if cancel():
                raise Cancelled()
            hits = pending(session, document_id, annotator_id, registry.suggester(session, language).suggest(text))
            scores = [] if model is None else [s.score for s in pending(session, document_id, annotator_id,
                                                                       model.suggest(text))]
            uncertainty = sum(1 - abs(2 * score - 1) for score in scores) / len(scores) if scores else 0.0
            found[document_id] = Usefulness(round(uncertainty, 4), len(hits))
            progress(done, len(documents), "weighing documents")
    return found
