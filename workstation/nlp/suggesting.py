"""Suggestions for documents from a chosen suggester, less what the layer already holds or rejected.

`RegistrySource` keeps one registry suggester per language current with the registry: the GUI tells it which
actors an edit touched, and the next document is suggested with just those actors' patterns rebuilt.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.core.errors import UserError
from workstation.core.progress import CancelCheck, Cancelled, Progress, never_cancelled, no_progress
from workstation.core.suggestions import REGISTRY, Suggestion
from workstation.nlp.model_suggester import load_model
from workstation.nlp.registry_suggester import RegistrySuggester
from workstation.nlp.trigger_lexicon import TriggerSuggester, build_lexicon
from workstation.store.document_list import document_texts
from workstation.store.models import Annotator
from workstation.store.project import Project
from workstation.store.suggestion_names import suggestion_names
from workstation.store.suggestion_state import pending


class RegistrySource:
    """The registry's suggesters (one per language), rebuilt actor by actor as the registry changes. Safe to
    share between the GUI thread (which reports changes) and one worker (which suggests)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        """Held by the worker while it rebuilds or uses a suggester (tens of milliseconds and more)."""
        self._reported = threading.Lock()
        """Held only to add or take reported changes: an edit in the GUI thread never waits for the worker."""
        self._suggesters: dict[str, RegistrySuggester] = {}
        self._stale: dict[str, set[str]] = {}
        self._changed: set[str] = set()

    def changed(self, actor_ids: Iterable[str]) -> None:
        """These actors' names may have changed (edited, merged, a mention taught them one)."""
        with self._reported:
            self._changed |= set(actor_ids)

    def suggester(self, session: Session, language: str) -> RegistrySuggester:
        return self.refresh(session, language)[0]

    def refresh(self, session: Session, language: str) -> tuple[RegistrySuggester, bool]:
        """The language's suggester, current; True when it was built or an actor's names changed since."""
        with self._lock:
            with self._reported:
                reported, self._changed = self._changed, set()
            for stale in self._stale.values():
                stale |= reported
            found = self._suggesters.get(language)
            if found is None:
                found = self._suggesters[language] = RegistrySuggester(language)
                found.update(suggestion_names(session))
                self._stale[language] = set()
                return found, True
            stale = self._stale[language]
            if not stale:
                return found, False
            names = suggestion_names(session, stale)
            gone = {actor_id for actor_id in stale - names.keys() if actor_id in found.actors}
            renamed = {actor_id: actor for actor_id, actor in names.items() if found.actors.get(actor_id) != actor}
            found.update(renamed, gone=gone)
            stale.clear()
            return found, bool(renamed or gone)


@dataclass(frozen=True)
class DocumentSuggestions:
    document_id: str
    suggestions: list[Suggestion]


def layer_id(session: Session, layer: str | None) -> str | None:
    """The annotator id of a layer named by the user; an unknown name is a mistake, not an empty layer."""
    if layer is None:
        return None
    found = session.scalar(select(Annotator.id).where(Annotator.name == layer))
    if found is None:
        raise UserError(f"there is no layer '{layer}' in the project")
    return found


def suggest_documents(project: Project, source: str = REGISTRY, search: str = "", layer: str | None = None,
                      registry: RegistrySource | None = None, progress: Progress = no_progress,
                      cancel: CancelCheck = never_cancelled) -> list[DocumentSuggestions]:
    """Suggestions from the registry or a trained model (mentions) and from the trigger lexicon (events) for
    every document the search matches; with a layer, those it holds or rejected are left out."""
    registry = registry or RegistrySource()
    with project.session() as session:
        annotator_id = layer_id(session, layer)
        documents = document_texts(session, search)
        if not documents:
            raise UserError("no documents match the search" if search.strip() else "the project has no documents")
        model = None if source == REGISTRY else load_model(project, source, suggestion_names(session))
        triggers = TriggerSuggester(build_lexicon(session, project.settings.language), project.settings.language)
        found = []
        for done, (document_id, text, language) in enumerate(documents, start=1):
            if cancel():
                raise Cancelled()
            suggested = (registry.suggester(session, language) if model is None else model).suggest(text)
            suggested = sorted(suggested + triggers.suggest(text), key=lambda found: (found.start, found.end))
            found.append(DocumentSuggestions(document_id, pending(session, document_id, annotator_id, suggested)))
            progress(done, len(documents), "suggesting")
    return found


def suggest_document(session: Session, registry: RegistrySource, document_id: str, text: str, language: str,
                     annotator_id: str | None, only_if_changed: bool = False) -> list[Suggestion] | None:
    """One document's suggestions (what the text view shows as ghost spans); with `only_if_changed`, None when
    the registry's names did not change since the last call (an accepted suggestion teaches no new name)."""
    suggester, changed = registry.refresh(session, language)
    if only_if_changed and not changed:
        return None
    return pending(session, document_id, annotator_id, suggester.suggest(text))
