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
        self._actor_of: dict[int, str] = {}
        """Actor ids by the hash the matchers report (looking each up in the string store cost more than
        matching)."""
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
            self._actor_of[self.nlp.vocab.strings.add(actor_id)] = actor_id
            words = [word for word in actor.all if word.strip()]
            for matcher, chosen in ((self._folded, [w for w in words if not is_acronym(w)]),
                                    (self._exact, [w for w in words if is_acronym(w)])):
                if chosen:
                    matcher.add(actor_id, list(self.nlp.tokenizer.pipe(chosen)))

    def suggest(self, text: str) -> list[Suggestion]:
        """NAME mentions linked to actors, in text order, none overlapping another."""
        if not self.actors or not text:
            return []
        from spacy.attrs import IDX, LENGTH

        doc = self.nlp.tokenizer(text)
        if not len(doc):
            return []
        offsets, lengths = (column.tolist() for column in doc.to_array([IDX, LENGTH]).T)
        actor_of = self._actor_of
        first_actor: dict[tuple[int, int], str] = {}
        shared: dict[tuple[int, int], set[str]] = {}
        """Spans that name more than one actor (rare), with all of them."""
        for matcher in (self._folded, self._exact):
            if not len(matcher):
                continue
            for match_id, first, last in matcher(doc):
                key = (offsets[first], offsets[last - 1] + lengths[last - 1])
                actor = actor_of[match_id]
                if first_actor.setdefault(key, actor) != actor:
                    shared.setdefault(key, {first_actor[key]}).add(actor)
        resolved: dict[tuple[str, frozenset[str]], tuple[str, float]] = {}
        suggestions = []
        for start, end in longest_first(list(first_actor), len(text)):
            words, actors = text[start:end], frozenset(shared.get((start, end)) or (first_actor[start, end],))
            choice = resolved.get((words, actors))
            if choice is None:
                choice = resolved[words, actors] = self._resolve(words, actors)
            suggestions.append(Suggestion(start, end, NAME, choice[0], self.name, choice[1]))
        return suggestions

    def _resolve(self, words: str, actor_ids: frozenset[str]) -> tuple[str, float]:
        """One actor for some words: the one whose curated name they are, else any (by id, so runs agree); the
        score is shared between the actors the words could name."""
        folded = words.casefold()
        curated = sorted(actor_id for actor_id in actor_ids if folded in self._curated[actor_id])
        return (curated or sorted(actor_ids))[0], (1.0 if curated else LEARNED_SCORE) / len(actor_ids)


def longest_first(spans: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """The spans (within a text of `length`) that survive overlaps, longest first (of equal ones, the
    earliest), in text order. Each kept span marks its code points taken. Most texts have no overlap at all,
    which one pass in text order finds."""
    ordered = sorted(spans)
    if all(first[1] <= second[0] for first, second in zip(ordered, ordered[1:])):
        return ordered
    taken = bytearray(length)
    kept = []
    for start, end in sorted(spans, key=lambda span: (span[0] - span[1], span[0])):
        if taken.find(1, start, end) < 0:
            taken[start:end] = b"\x01" * (end - start)
            kept.append((start, end))
    return sorted(kept)
