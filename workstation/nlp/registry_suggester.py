"""Suggestions from the actor registry: every name of every actor, matched over the text's tokens.

A spaCy `PhraseMatcher` on the tokens of a blank pipeline finds names case-insensitively ("turkey" finds
"Turkey"), whole words only, and sees a possessive as the name plus a suffix token ("Turkey's" is "Turkey" +
"'s"), so the name alone is suggested. Short all-capital names (acronyms: "US", "EU", "AKP") match only in
capitals: "us" is a pronoun. Where matches overlap, the longest wins ("Recep Tayyip Erdogan" over its
"Erdogan"); a span that names two actors goes to the one whose curated name it is, with the score shared.

The matcher is built once and changed actor by actor: an edit of the registry, or a new NAME mention that
teaches an actor a name, replaces that actor's patterns only.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING

from workstation.core.suggestions import REGISTRY, Suggestion
from workstation.nlp.pipeline import blank_pipeline
from workstation.store.suggestion_names import NAME, ActorNames

if TYPE_CHECKING:
    from spacy.matcher import PhraseMatcher

ACRONYM_LENGTH = 5
LEARNED_SCORE = 0.8
"""A learned name is one annotator's reading of one passage; a curated one was entered on purpose."""


def is_acronym(name: str) -> bool:
    return len(name) <= ACRONYM_LENGTH and name.isupper() and " " not in name


class RegistrySuggester:
    """Knows the names of the actors it was given; `suggest` finds them in a text."""

    name = REGISTRY

    def __init__(self, language: str = "en"):
        self.nlp = blank_pipeline(language or "en")
        from spacy.matcher import PhraseMatcher

        self._folded: PhraseMatcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._exact: PhraseMatcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.actors: dict[str, ActorNames] = {}
        self._curated: dict[str, set[str]] = {}
        """Each actor's curated names, case-folded: a match of one of them is worth more than a learned one."""

    def update(self, names: Mapping[str, ActorNames], gone: AbstractSet[str] = frozenset()) -> None:
        """Replace the patterns of the actors in `names` and drop those in `gone` (merged or removed)."""
        for actor_id in set(names) | set(gone):
            for matcher in (self._folded, self._exact):
                if actor_id in matcher:
                    matcher.remove(actor_id)
            self.actors.pop(actor_id, None)
            self._curated.pop(actor_id, None)
        for actor_id, actor in names.items():
            self.actors[actor_id] = actor
            self._curated[actor_id] = {name.casefold() for name in actor.curated}
            words = [word for word in actor.all if word.strip()]
            for matcher, chosen in ((self._folded, [w for w in words if not is_acronym(w)]),
                                    (self._exact, [w for w in words if is_acronym(w)])):
                if chosen:
                    matcher.add(actor_id, list(self.nlp.tokenizer.pipe(chosen)))

    def suggest(self, text: str) -> list[Suggestion]:
        """NAME mentions linked to actors, in text order, none overlapping another."""
        if not self.actors or not text:
            return []
        doc = self.nlp.tokenizer(text)
        strings = self.nlp.vocab.strings
        found: dict[tuple[int, int], set[str]] = {}
        for matcher in (self._folded, self._exact):
            for match_id, start, end in matcher(doc):
                span = doc[start:end]
                found.setdefault((span.start_char, span.end_char), set()).add(strings[match_id])
        kept = longest_first([(start, end) for start, end in found])
        return [self._resolve(text[start:end], start, end, found[start, end]) for start, end in kept]

    def _resolve(self, words: str, start: int, end: int, actor_ids: set[str]) -> Suggestion:
        """One actor for a span: the one whose curated name it is, else any (by id, so runs agree); the score
        is shared between the actors the words could name."""
        folded = words.casefold()
        curated = sorted(actor_id for actor_id in actor_ids if folded in self._curated[actor_id])
        actor_id = (curated or sorted(actor_ids))[0]
        score = (1.0 if curated else LEARNED_SCORE) / len(actor_ids)
        return Suggestion(start, end, NAME, actor_id, self.name, score)


def longest_first(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans that survive overlaps, longest first (of equal ones, the earliest), in text order."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(spans, key=lambda span: (span[0] - span[1], span[0])):
        position = bisect_left(starts, start)
        if (position < len(starts) and starts[position] < end) or (position and ends[position - 1] > start):
            continue
        starts.insert(position, start)
        ends.insert(position, end)
    return list(zip(starts, ends))
