"""How well a suggester (the registry or a trained model) finds a layer's NAME mentions, per label.

A model is scored on the layer's documents it did not learn from. The registry is scored on every document of
the layer with its curated names only (names and aliases), its label being the suggested actor's type: the
names it learned came from these very layers, and would score it on its own answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from workstation.core.errors import UserError
from workstation.core.span_scores import Score, span_scores
from workstation.core.suggestions import REGISTRY
from workstation.nlp.model_files import model_path
from workstation.nlp.model_suggester import ModelSuggester, load_model
from workstation.nlp.registry_suggester import RegistrySuggester
from workstation.nlp.training import trained_on
from workstation.store.project import Project
from workstation.store.suggestion_names import suggestion_names
from workstation.store.training_rows import labelled_texts


def evaluate(project: Project, model: str, layers: Sequence[str]) -> tuple[dict[str, Score], int]:
    """Scores per label (and `ALL`), and how many documents were scored."""
    with project.session() as session:
        texts = labelled_texts(session, layers)
        names = suggestion_names(session)
    language = texts[0].language if texts else "en"
    suggester: RegistrySuggester | ModelSuggester
    if model == REGISTRY:
        suggester = RegistrySuggester(language)
        suggester.update({actor_id: replace(actor, learned=()) for actor_id, actor in names.items()})
    else:
        suggester = load_model(project, model, names, language)
        learned = trained_on(model_path(project, model))
        texts = [text for text in texts if text.document_id not in learned]
    if not texts:
        raise UserError(f"the layer(s) {', '.join(layers)} have no annotated documents to score "
                        f"{model} on" + ("" if model == REGISTRY else " that it did not learn from"))
    predicted = []
    for text in texts:
        for suggestion in suggester.suggest(text.text):
            label = names[suggestion.actor_id].type if model == REGISTRY else suggestion.label
            predicted.append((text.document_id, suggestion.start, suggestion.end, label))
    reference = [(text.document_id, *span) for text in texts for span in text.spans]
    return span_scores(predicted, reference), len(texts)
