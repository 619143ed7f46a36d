"""Suggestions from a trained model: the mentions it finds, linked to an actor when their words are one of the
actor's names (as the registry knows them), unlinked with the model's label otherwise."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

from sqlalchemy import select

from workstation.core.errors import UserError
from workstation.core.suggestions import Suggestion
from workstation.nlp.model_files import model_path
from workstation.nlp.pipeline import blank_pipeline
from workstation.nlp.training import NESTED_KEY
from workstation.store.models import TrainedModel
from workstation.store.project import Project
from workstation.store.suggestion_names import NAME, ActorNames


class ModelSuggester:
    """`labels`: for a pipeline not trained here, its labels → actor types; entities of other labels are not
    suggested."""

    def __init__(self, path: Path | str, name: str, names: Mapping[str, ActorNames], language: str = "en",
                 labels: Mapping[str, str] | None = None):
        blank_pipeline(language)
        import spacy

        try:
            self.nlp = spacy.load(path)
        except (OSError, ValueError) as error:
            raise UserError(f"cannot load the model '{name}' ({error})", file=Path(path)) from None
        self.name, self.labels = name, dict(labels) if labels is not None else None
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
        if self.labels is not None:
            found = {(start, end, self.labels[label]): score for (start, end, label), score in found.items()
                     if label in self.labels}
        return [Suggestion(start, end, NAME, self.linked.get(text[start:end].casefold()), self.name, score,
                           label=label) for (start, end, label), score in sorted(found.items())]


def installed_pipelines() -> list[str]:
    """spaCy pipelines installed as packages in this environment (nothing is ever downloaded)."""
    blank_pipeline("en")
    from spacy.util import get_installed_models

    return sorted(get_installed_models())


def load_model(project: Project, name: str, names: Mapping[str, ActorNames], language: str = "en") -> ModelSuggester:
    """A model of the project's list, or an installed spaCy pipeline with the project's table of its labels, by
    name; an unknown name is a mistake that lists the known ones."""
    with project.session() as session:
        known = list(session.scalars(select(TrainedModel.name)))
    if name in known:
        return ModelSuggester(model_path(project, name), name, names, language)
    if name in installed_pipelines():
        labels = project.settings.pipeline_labels
        if not labels:
            raise UserError(f"the installed pipeline '{name}' needs a table of its labels to actor types first "
                            "(e.g. PERSON=GOV, GPE=STATE)")
        return ModelSuggester(name, name, names, language, labels)
    listed = ", ".join(known) or "none yet; train one with 'train'"
    raise UserError(f"there is no suggester '{name}' (the registry's is 'registry'; models: {listed})")


def label_table(text: str, actor_types: Collection[str]) -> dict[str, str]:
    """`PERSON=GOV, GPE=STATE` as a table; an unknown actor type or a piece without `=` is refused."""
    table = {}
    for piece in filter(None, (part.strip() for part in text.split(","))):
        label, _, actor_type = (part.strip() for part in piece.partition("="))
        if not label or not actor_type:
            raise UserError(f"'{piece}' is not LABEL=ACTOR_TYPE")
        if actor_type not in actor_types:
            raise UserError(f"'{actor_type}' is not an actor type of the schema (allowed: "
                            f"{', '.join(actor_types)})")
        table[label] = actor_type
    if not table:
        raise UserError("the label table is empty (write it as PERSON=GOV, GPE=STATE)")
    return table
