"""The figures a supervisor would rather look at than read, as plain data: the Excel report draws them with
openpyxl and the dashboard with pyqtgraph, from the same numbers.

Each chart is a table: categories down, one series per column. A count that
is not there is 0; an agreement figure that is not defined (nothing to
compare) is None, drawn as no bar rather than as a bar of zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workstation.review.agreement import AgreementReport, Breakdown
from workstation.review.agreement_table import pair_name
from workstation.review.metrics import precision_recall_f1
from workstation.store.models import STATUSES

ITEM_KINDS = (("mentions", "mention"), ("stances", "stance"), ("events", "event"))


@dataclass(frozen=True)
class ChartData:
    title: str
    categories_title: str
    values_title: str
    categories: list[str]
    series: dict[str, list[float | None]]
    """Series name → one value per category."""
    stacked: bool = False


def items_per_type(stats: dict[str, Any]) -> ChartData:
    """Mentions per label, stances per label and events per type, one series per annotator (gold included)."""
    annotators = sorted({name for key, _ in ITEM_KINDS for name in stats[key]})
    categories = [f"{kind} {label}" for key, kind in ITEM_KINDS
                  for label in sorted({label for counts in stats[key].values() for label in counts})]
    series: dict[str, list[float | None]] = {}
    for name in annotators:
        counts = {f"{kind} {label}": count for key, kind in ITEM_KINDS
                  for label, count in stats[key].get(name, {}).items()}
        series[name] = [counts.get(category, 0) for category in categories]
    return ChartData("Items per type and annotator", "Type", "Items", categories, series)


def documents_by_status(stats: dict[str, Any]) -> ChartData:
    """Each annotator's documents, stacked by status."""
    per_annotator = stats["status"]
    annotators = sorted(per_annotator)
    series: dict[str, list[float | None]] = {
        status.replace("_", " "): [per_annotator[name].get(status, 0) for name in annotators] for status in STATUSES}
    return ChartData("Documents by status and annotator", "Annotator", "Documents", annotators, series, stacked=True)


def _f1s(breakdown: Breakdown, types: list[str]) -> list[float | None]:
    found = breakdown.counts
    return [precision_recall_f1(found[name].tp, found[name].fp, found[name].fn)[2] if name in found else None
            for name in types]


def agreement_per_type(report: AgreementReport) -> ChartData | None:
    """Mention F1 per type (exact and overlapping spans) for each pair; None without two layers anywhere."""
    if not report.pairs:
        return None
    types = sorted({name for pair in report.pairs for breakdown in (pair.mentions.exact, pair.mentions.overlap)
                    for name in breakdown.counts})
    series: dict[str, list[float | None]] = {}
    for pair in report.pairs:
        series[f"{pair_name(pair)} F1 exact"] = _f1s(pair.mentions.exact, types)
        series[f"{pair_name(pair)} F1 overlap"] = _f1s(pair.mentions.overlap, types)
    return ChartData("Mention agreement (F1) per type", "Mention type", "F1", types, series)


def kappa_per_aspect(report: AgreementReport) -> ChartData | None:
    """Cohen's κ of each pair on mention types and stance polarity; None without two layers anywhere."""
    if not report.pairs:
        return None
    aspects = ["mention types", "stance polarity"]
    series: dict[str, list[float | None]] = {
        f"{pair_name(pair)} κ": [pair.mentions.types.kappa, pair.stances.polarity.kappa] for pair in report.pairs}
    return ChartData("Agreement on labels (Cohen's κ)", "Labels of", "κ", aspects, series)


def report_charts(stats: dict[str, Any], report: AgreementReport | None) -> list[ChartData]:
    """Every chart the report and the dashboard draw, in the order they show them."""
    charts = [items_per_type(stats), documents_by_status(stats)]
    if report is not None:
        charts += [chart for chart in (agreement_per_type(report), kappa_per_aspect(report)) if chart is not None]
    return charts
