"""Precision, recall and F1 of predicted spans against reference spans, per label and over all labels.

A span counts as found only with the same start, end and label (exact match, as spaCy's `ents_per_type`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

ALL = "ALL"
"""The row over every label (micro-averaged)."""


@dataclass(frozen=True)
class Score:
    true: int
    predicted: int
    reference: int

    @property
    def precision(self) -> float:
        return self.true / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true / self.reference if self.reference else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {"p": round(self.precision, 4), "r": round(self.recall, 4), "f": round(self.f1, 4),
                "true": self.true, "predicted": self.predicted, "reference": self.reference}


Labelled = tuple[str, int, int, str]
"""(document, start, end, label)."""


def span_scores(predicted: Iterable[Labelled], reference: Iterable[Labelled]) -> dict[str, Score]:
    """Per label, then `ALL`."""
    guessed, gold = set(predicted), set(reference)
    true = Counter(span[3] for span in guessed & gold)
    made, wanted = Counter(span[3] for span in guessed), Counter(span[3] for span in gold)
    scores = {label: Score(true[label], made[label], wanted[label]) for label in sorted(made | wanted)}
    scores[ALL] = Score(sum(true.values()), len(guessed), len(gold))
    return scores


def format_scores(scores: dict[str, dict[str, float | int]]) -> str:
    """A table of stored scores (as `Score.to_dict` wrote them), one label a line."""
    lines = [f"{'label':<12}{'P':>8}{'R':>8}{'F1':>8}{'gold':>8}"]
    lines += [f"{label:<12}{row['p']:>8.3f}{row['r']:>8.3f}{row['f']:>8.3f}{row['reference']:>8}"
              for label, row in scores.items()]
    return "\n".join(lines)
