"""Event trigger suggestions from the project's own annotations: a lexicon of trigger words per event type.

Each single-word trigger counts for its lower-cased word form (the blank pipeline has no lemmatizer data
without a download, so "accused" and "accuses" are two entries): "accused" → ACCUSE seen 12 times in
documents where the word occurs 13 times makes every later "accused" an ACCUSE suggestion with confidence
12/13. Entries seen fewer than `MIN_SEEN` times, or whose share is under `MIN_SHARE`, suggest nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy.orm import Session

from workstation.core.suggestions import EVENT_SUGGESTION, Suggestion
from workstation.nlp.pipeline import tokenize
from workstation.store.trigger_rows import trigger_words

TRIGGERS = "triggers"
"""The name accepted trigger suggestions carry as their suggester."""
MIN_SEEN = 2
MIN_SHARE = 0.3


@dataclass(frozen=True)
class TriggerEntry:
    word: str
    type: str
    seen: int
    """Times the word was annotated as a trigger of this type."""
    occurrences: int
    """Times the word occurs in the documents that have events."""

    @property
    def share(self) -> float:
        return self.seen / self.occurrences if self.occurrences else 0.0


def build_lexicon(session: Session, language: str = "en") -> dict[str, TriggerEntry]:
    """The commonest event type of each single-word trigger, with how often the word is annotated so."""
    seen: Counter[tuple[str, str]] = Counter()
    occurrences: Counter[str] = Counter()
    for _, text, triggers in trigger_words(session):
        words = [text[start:end].lower() for start, end, _ in triggers]
        for word, (_, _, event_type) in zip(words, triggers):
            if word.isalpha():
                seen[word, event_type] += 1
        wanted = {word for word in words if word.isalpha()}
        occurrences.update(token.lower_ for token in tokenize(text, language) if token.lower_ in wanted)
    best: dict[str, TriggerEntry] = {}
    for (word, event_type), count in seen.most_common():
        if word not in best:
            best[word] = TriggerEntry(word, event_type, count, max(count, occurrences[word]))
    return best


class TriggerSuggester:
    name = TRIGGERS

    def __init__(self, lexicon: dict[str, TriggerEntry], language: str = "en"):
        self.language = language
        self.lexicon = {word: entry for word, entry in lexicon.items()
                        if entry.seen >= MIN_SEEN and entry.share >= MIN_SHARE}

    def suggest(self, text: str) -> list[Suggestion]:
        if not self.lexicon or not text:
            return []
        found = []
        for token in tokenize(text, self.language):
            entry = self.lexicon.get(token.lower_)
            if entry is not None:
                found.append(Suggestion(token.idx, token.idx + len(token.text), entry.type, None, self.name,
                                        entry.share, EVENT_SUGGESTION))
        return found
