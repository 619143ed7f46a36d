"""Agreement statistics as plain functions, so they can be checked against textbook values.

Where a statistic is undefined (nothing to compare, or no variation in the
labels so that chance agreement is total) the functions return None instead
of dividing by zero: a report should show "not defined", never a made-up 1.0
or 0.0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass


def precision_recall_f1(tp: int, fp: int, fn: int) -> tuple[float | None, float | None, float | None]:
    """P, R and F1 with the reference layer giving the gold side (fn) and the other the predicted side (fp).

    P is None when the other layer has no items, R when the reference has none;
    F1 = 2tp / (2tp + fp + fn) is defined as soon as either layer has an item,
    and None only when both are empty.
    """
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None
    return precision, recall, f1


@dataclass
class Counts:
    """Matched (tp), only in the other layer (fp), only in the reference (fn); sums pool documents (micro)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_dict(self) -> dict[str, int | float | None]:
        precision, recall, f1 = precision_recall_f1(self.tp, self.fp, self.fn)
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": precision, "recall": recall, "f1": f1}


def cohen_kappa(pairs: Iterable[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's κ of two coders over nominal labels, one (first coder, second coder) pair per item.

    None when there are no items, and when chance agreement is 1 (both coders
    gave every item the same single label): κ is 0/0 there.
    """
    pairs = list(pairs)
    n = len(pairs)
    if not n:
        return None
    observed = sum(first == second for first, second in pairs) / n
    firsts = Counter(first for first, _ in pairs)
    seconds = Counter(second for _, second in pairs)
    expected = sum(count * seconds[label] for label, count in firsts.items()) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha_nominal(units: Iterable[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's α for nominal data, any number of coders, None marking a missing value.

    Each unit lists one value per coder. Units with fewer than two values are
    not pairable and drop out, as in Krippendorff (2011). None when no unit is
    pairable and when all pairable values are one category (expected
    disagreement is 0).

    Uses the coincidence-matrix form: a unit with m values and n_c of category c
    observes (m² − Σ n_c²)/(m − 1) disagreeing pairs; expected disagreement is
    (n² − Σ n_c²)/(n − 1) over all n pairable values.
    """
    observed = 0.0
    totals: Counter[Hashable] = Counter()
    for unit in units:
        values = Counter(value for value in unit if value is not None)
        m = sum(values.values())
        if m < 2:
            continue
        observed += (m * m - sum(count * count for count in values.values())) / (m - 1)
        totals.update(values)
    n = sum(totals.values())
    if n < 2:
        return None
    expected = (n * n - sum(count * count for count in totals.values())) / (n - 1)
    if expected == 0:
        return None
    return 1 - observed / expected
