"""The agreement report as flat rows: what the CLI prints, the Agreement sheet lists and the dashboard shows.

One row layout serves all three so that the numbers a supervisor reads in the
app, the terminal and Excel are the same numbers.
"""

from __future__ import annotations

from typing import NamedTuple

from workstation.review.agreement import AgreementReport, Alpha, Breakdown, LabelPairs, PairAgreement
from workstation.review.metrics import Counts, precision_recall_f1

OVERALL = "overall"
ALL = "(all)"
SPAN_ONLY = "(span only)"
COLUMNS = ("Scope", "Pair", "Kind", "Type", "P", "R", "F1", "Share", "κ / α")
DOCUMENT_COLUMNS = ("Document", "Pair", "Mentions F1 exact", "Mentions F1 overlap", "Type κ", "Actor links",
                    "Stances F1", "Polarity", "Events F1", "Arguments F1", "α")
SHOWN_DOCUMENTS = 10
UNDEFINED = "—"
"""A figure that is not defined here (nothing to compare, no variation); a blank cell means "not measured"."""
Figure = float | str | None
WIDEST_CELL = 40


class AgreementRow(NamedTuple):
    scope: str
    pair: str
    kind: str
    type: str
    precision: Figure = None
    recall: Figure = None
    f1: Figure = None
    share: Figure = None
    chance_corrected: Figure = None
    """Cohen's κ on pair rows, Krippendorff's α on the row of all annotators."""


def pair_name(pair: PairAgreement) -> str:
    return f"{pair.reference} / {pair.other}"


def defined(value: float | None) -> float | str:
    return UNDEFINED if value is None else value


def _f1(counts: Counts) -> float | str:
    return defined(precision_recall_f1(counts.tp, counts.fp, counts.fn)[2])


def _counted(scope: str, pair: str, kind: str, name: str, counts: Counts) -> AgreementRow:
    return AgreementRow(scope, pair, kind, name, *map(defined, precision_recall_f1(counts.tp, counts.fp, counts.fn)))


def _breakdown(scope: str, pair: str, kind: str, breakdown: Breakdown) -> list[AgreementRow]:
    rows = [_counted(scope, pair, kind, name, counts) for name, counts in breakdown.counts.items()]
    return [*rows, _counted(scope, pair, kind, ALL, breakdown.total())]


def _labels(scope: str, pair: str, kind: str, labels: LabelPairs, kappa: bool = True) -> AgreementRow:
    return AgreementRow(scope, pair, kind, "", share=defined(labels.share),
                        chance_corrected=defined(labels.kappa) if kappa else None)


def pair_rows(scope: str, pair: PairAgreement) -> list[AgreementRow]:
    """Every figure of one pair, mentions first, in the order the JSON lists them."""
    name, mentions = pair_name(pair), pair.mentions
    return [
        *_breakdown(scope, name, "mentions exact", mentions.exact),
        _counted(scope, name, "mentions exact", SPAN_ONLY, mentions.exact_span_only),
        *_breakdown(scope, name, "mentions overlap", mentions.overlap),
        _counted(scope, name, "mentions overlap", SPAN_ONLY, mentions.overlap_span_only),
        _labels(scope, name, "mention types", mentions.types),
        _labels(scope, name, "actor links", mentions.actor_links, kappa=False),
        *_breakdown(scope, name, "stances", pair.stances.triples),
        _labels(scope, name, "stance polarity", pair.stances.polarity),
        *_breakdown(scope, name, "events", pair.events.triggers),
        *_breakdown(scope, name, "event arguments", pair.events.arguments),
    ]


def alpha_row(scope: str, annotators: list[str], alpha: Alpha) -> AgreementRow:
    return AgreementRow(scope, f"all: {', '.join(annotators)}", "mention types", "",
                        chance_corrected=defined(alpha.value))


def overall_rows(report: AgreementReport) -> list[AgreementRow]:
    rows = [row for pair in report.pairs for row in pair_rows(OVERALL, pair)]
    return [*rows, alpha_row(OVERALL, report.annotators, report.alpha)] if report.documents else rows


def report_rows(report: AgreementReport) -> list[AgreementRow]:
    """Overall rows, then each document's, scoped by its title."""
    rows = overall_rows(report)
    for document in report.documents:
        scope = document.title or document.id
        rows += [row for pair in document.pairs for row in pair_rows(scope, pair)]
        rows.append(alpha_row(scope, document.annotators, document.alpha))
    return rows


def document_rows(report: AgreementReport) -> list[tuple[Figure, ...]]:
    """One line per document and pair with the headline figures (columns: DOCUMENT_COLUMNS)."""
    return [(document.title or document.id, pair_name(pair), _f1(pair.mentions.exact.total()),
             _f1(pair.mentions.overlap.total()), defined(pair.mentions.types.kappa),
             defined(pair.mentions.actor_links.share), _f1(pair.stances.triples.total()),
             defined(pair.stances.polarity.share), _f1(pair.events.triggers.total()),
             _f1(pair.events.arguments.total()), defined(document.alpha.value))
            for document in report.documents for pair in document.pairs]


def number(value: Figure) -> str:
    """Figures with three decimals, text as it is, nothing for a figure not measured."""
    if value is None:
        return ""
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _clip(text: str) -> str:
    return text if len(text) <= WIDEST_CELL else text[:WIDEST_CELL - 1] + "…"


def _text_table(columns: tuple[str, ...], rows: list[tuple]) -> list[str]:
    cells = [list(columns), *([_clip(number(value)) for value in row] for row in rows)]
    widths = [max(len(line[index]) for line in cells) for index in range(len(columns))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
            for line in cells]


def format_summary(report: AgreementReport) -> str:
    """The overall table and the first documents' headline figures; `--json` has everything."""
    if not report.documents:
        return f"no documents with two or more layers of: {', '.join(report.annotators) or 'no annotators'}"
    lines = [f"{len(report.documents)} document(s) with two or more layers of: {', '.join(report.annotators)}", ""]
    lines += _text_table(COLUMNS[1:], [row[1:] for row in overall_rows(report)])
    documents = document_rows(report)
    lines += ["", *_text_table(DOCUMENT_COLUMNS, documents[:SHOWN_DOCUMENTS])]
    if len(documents) > SHOWN_DOCUMENTS:
        lines.append(f"... and {len(documents) - SHOWN_DOCUMENTS} more (see --json or --out)")
    return "\n".join(lines)
