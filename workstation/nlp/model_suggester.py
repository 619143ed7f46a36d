"""Suggestions from a trained model: the mentions it finds, linked to an actor when their words are one of the
actor's names (as the registry knows them), unlinked with the model's label otherwise."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from workstation.core.errors import UserError
from workstation.core.suggestions import Suggestion
from workstation.nlp.pipeline import blank_pipeline
from workstation.nlp.training import NESTED_KEY, models_folder
from workstation.store.models import TrainedModel
from workstation.store.project import Project
from workstation.store.suggestion_names import NAME, ActorNames


class ModelSuggester:
    def __init__(self, path: Path, name: str, names: Mapping[str, ActorNames], language: str = "en"):
        blank_pipeline(language)
        import spacy

        try:
            self.nlp = spacy.load(path)
        except (OSError, ValueError) as error:
            raise UserError(f"cannot load the model '{name}' ({error})", file=path) from None
        self.name = name
        found: dict[str, set[str]] = {}
        for actor in names.values():
            for word in actor.all:
                found.setdefault(word.casefold(), set()).add(actor.id)
        self.linked = {word: next(iter(ids)) for word, ids in found.items() if len(ids) == 1}
        """Words naming exactly one actor; a model's mention of ambiguous words is left unlinked."""

    def suggest(self, text: str) -> list[Suggestion]:
        """Entities score 1 (the parser-style `ner` gives no probability); nested spans, their spancat score."""
        self.nlp.max_length = max(self.nlp.max_length, len(text) + 1)
        doc = self.nlp(text)
        found = {(ent.start_char, ent.end_char, ent.label_): 1.0 for ent in doc.ents}
        if NESTED_KEY in doc.spans:
            group = doc.spans[NESTED_KEY]
            scores = group.attrs.get("scores", [1.0] * len(group))
            for span, score in zip(group, scores):
                key = (span.start_char, span.end_char, span.label_)
                found[key] = max(found.get(key, 0.0), float(score))
        return [Suggestion(start, end, NAME, self.linked.get(text[start:end].casefold()), self.name, score,
                           label=label) for (start, end, label), score in sorted(found.items())]


def load_model(project: Project, name: str, names: Mapping[str, ActorNames], language: str = "en") -> ModelSuggester:
    """A model of the project's list, by name; an unknown name is a mistake that lists the known ones."""
    with project.session() as session:
        known = [row for (row,) in session.execute(TrainedModel.__table__.select().with_only_columns(
            TrainedModel.name))]
    if name not in known:
        listed = ", ".join(known) or "none yet; train one with 'train'"
        raise UserError(f"there is no suggester '{name}' (the registry's is 'registry'; models: {listed})")
    return ModelSuggester(models_folder(project) / name, name, names, language)
