"""Agreement metrics against textbook values and independent implementations, the agreement report on a
hand-built project whose figures are worked out below, the progress overview, the CLI and the xlsx sheets."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from agreement_project import TEXT_A, build_two_layers, document
from openpyxl import load_workbook
from sklearn.metrics import cohen_kappa_score

from workstation.cli import main
from workstation.core.errors import UserError
from workstation.formats.xlsx_report import export_xlsx
from workstation.review.agreement import agreement
from workstation.review.matching import exact_pairs, overlap_pairs
from workstation.review.metrics import cohen_kappa, krippendorff_alpha_nominal, precision_recall_f1
from workstation.review.progress import progress
from workstation.store.models import Annotator, Assignment, Mention
from workstation.store.project import open_project

approx = pytest.approx


# --- metrics ---------------------------------------------------------------------------------------------

def test_cohen_kappa_textbook_example():
    # 50 items: yes/yes 20, yes/no 5, no/yes 10, no/no 15. p_o = 35/50 = 0.7; coder 1 says yes 25 times,
    # coder 2 30 times: p_e = 0.5·0.6 + 0.5·0.4 = 0.5; κ = (0.7 − 0.5) / (1 − 0.5) = 0.4.
    pairs = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10 + [("no", "no")] * 15
    assert cohen_kappa(pairs) == approx(0.4)


KRIPPENDORFF_2011 = [  # "Computing Krippendorff's Alpha-Reliability" (2011), 4 observers × 12 units, None = missing
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def test_krippendorff_alpha_published_nominal_example():
    units = list(zip(*KRIPPENDORFF_2011, strict=True))
    assert krippendorff_alpha_nominal(units) == approx(0.743, abs=5e-4)
    assert krippendorff_alpha_nominal(units) == approx(krippendorff.alpha(
        reliability_data=np.array(KRIPPENDORFF_2011, dtype=float), level_of_measurement="nominal"))


@pytest.mark.parametrize("seed", range(5))
def test_kappa_and_alpha_agree_with_pypi_implementations(seed: int):
    rng = random.Random(seed)
    labels = ["NAME", "NOMINAL", "PRONOUN"][:rng.randint(2, 3)]
    first = [rng.choice(labels) for _ in range(60)]
    second = [label if rng.random() < 0.6 else rng.choice(labels) for label in first]
    assert cohen_kappa(zip(first, second)) == approx(cohen_kappa_score(first, second))

    coders = rng.randint(2, 5)
    data = [[rng.choice([None, *range(4)]) for _ in range(40)] for _ in range(coders)]
    numeric = np.array([[np.nan if value is None else value for value in row] for row in data], dtype=float)
    expected = krippendorff.alpha(reliability_data=numeric, level_of_measurement="nominal")
    assert krippendorff_alpha_nominal(zip(*data, strict=True)) == approx(expected)


def test_undefined_statistics_are_none_not_a_division_by_zero():
    assert cohen_kappa([]) is None
    assert cohen_kappa([("NAME", "NAME")] * 4) is None  # one category: chance agreement is total
    assert cohen_kappa([("NAME", "NAME"), ("NOMINAL", "NOMINAL")]) == 1.0
    assert krippendorff_alpha_nominal([]) is None
    assert krippendorff_alpha_nominal([["a", None], [None, "b"]]) is None  # no unit has two values
    assert krippendorff_alpha_nominal([["a", "a"], ["a", "a", None]]) is None
    assert precision_recall_f1(0, 0, 0) == (None, None, None)
    assert precision_recall_f1(0, 0, 3) == (None, 0.0, 0.0)
    assert precision_recall_f1(2, 1, 1) == (approx(2 / 3), approx(2 / 3), approx(2 / 3))


def test_matching_is_one_to_one_and_prefers_the_closest_span():
    assert exact_pairs(["x", "x", "y"], ["x", "y", "y"]) == [(0, 0), (2, 1)]
    # (0, 5) overlaps both by 5 and takes the exact one; (0, 8) is left for (3, 9).
    assert overlap_pairs([(0, 5), (3, 9)], [(0, 8), (0, 5)]) == [(0, 1), (1, 0)]
    assert overlap_pairs([(0, 5)], [(5, 9)]) == []  # touching is not overlapping
    assert overlap_pairs([(10, 12)], [(0, 50), (11, 12)]) == [(0, 0)]  # larger overlap wins over a closer fit


# --- the report on a hand-built project ------------------------------------------------------------------

@pytest.fixture
def two_layers(project_path: Path) -> Path:
    with open_project(project_path) as project:
        build_two_layers(project)
    return project_path


@pytest.fixture
def report(two_layers: Path) -> dict:
    with open_project(two_layers) as project, project.session() as session:
        return json.loads(json.dumps(agreement(session).to_dict()))


def prf(figures: dict) -> tuple:
    return figures["tp"], figures["fp"], figures["fn"], figures["precision"], figures["recall"], figures["f1"]


def test_only_documents_with_two_counted_layers_and_no_gold(report: dict):
    # carol: a `new` assignment without items on A, a skipped layer on B; C has alice only; gold is left out.
    assert report["annotators"] == ["alice", "bob", "carol"]
    assert [d["title"] for d in report["documents"]] == ["Doc A", "Doc B"]
    assert [d["annotators"] for d in report["documents"]] == [["alice", "bob"], ["alice", "bob"]]
    [pair] = report["overall"]["pairs"]
    assert (pair["reference"], pair["other"], pair["documents"]) == ("alice", "bob", 2)


def test_mentions_of_document_a(report: dict):
    # alice: Erdogan NAME, Assad NAME, "the Turkish army" NOMINAL, Russia NAME
    # bob:   Erdogan NAME, Assad NOMINAL, "Turkish army" NOMINAL, Idlib NAME
    mentions = report["documents"][0]["pairs"][0]["mentions"]
    exact, overlap = mentions["exact"], mentions["overlap"]
    # exact NAME: alice {Erdogan, Assad, Russia}, bob {Erdogan, Idlib}: tp 1, fp 1, fn 2; P 1/2, R 1/3, F1 2/5
    assert prf(exact["by_type"]["NAME"]) == (1, 1, 2, 0.5, approx(1 / 3), approx(0.4))
    # exact NOMINAL: alice {the Turkish army}, bob {Assad, Turkish army}: nothing matches
    assert prf(exact["by_type"]["NOMINAL"]) == (0, 2, 1, 0.0, 0.0, 0.0)
    assert prf(exact["all"]) == (1, 3, 3, 0.25, 0.25, 0.25)
    # spans only: Erdogan and Assad match, 4 spans each side: 2/4
    assert prf(exact["span_only"]) == (2, 2, 2, 0.5, 0.5, 0.5)
    # overlap NOMINAL: "the Turkish army" ~ "Turkish army": tp 1, bob's Assad NOMINAL is fp: P 1/2, R 1, F1 2/3
    assert prf(overlap["by_type"]["NOMINAL"]) == (1, 1, 0, 0.5, 1.0, approx(2 / 3))
    assert prf(overlap["by_type"]["NAME"]) == prf(exact["by_type"]["NAME"])
    # overlap spans: Erdogan, Assad, army match; Idlib fp, Russia fn: 3/4
    assert prf(overlap["span_only"]) == (3, 1, 1, 0.75, 0.75, 0.75)
    # types of the exact matches: (NAME, NAME), (NAME, NOMINAL): p_o = 1/2 = p_e → κ = 0
    assert mentions["types"] == {"compared": 2, "agreed": 1, "share": 0.5, "kappa": 0.0}
    # bob linked Erdogan to a duplicate merged into alice's actor: agreed after following merged_into
    assert mentions["actor_links"] == {"compared": 2, "agreed": 2, "share": 1.0}


def test_mentions_overall_are_pooled_over_documents(report: dict):
    # B: alice Putin, Erdogan NAME, "The Kremlin" NOMINAL; bob the same plus Sochi NAME, Erdogan linked to Assad.
    # NAME: A (1, 1, 2) + B (2, 1, 0) = (3, 2, 2) → 0.6; NOMINAL: A (0, 2, 1) + B (1, 0, 0) = (1, 2, 1)
    # → P 1/3, R 1/2, F1 2/5; spans: A (2, 2, 2) + B (3, 1, 0) = (5, 3, 2) → P 5/8, R 5/7, F1 2/3.
    mentions = report["overall"]["pairs"][0]["mentions"]
    assert prf(mentions["exact"]["by_type"]["NAME"]) == (3, 2, 2, 0.6, 0.6, 0.6)
    assert prf(mentions["exact"]["by_type"]["NOMINAL"]) == (1, 2, 1, approx(1 / 3), 0.5, approx(0.4))
    assert prf(mentions["exact"]["span_only"]) == (5, 3, 2, approx(5 / 8), approx(5 / 7), approx(2 / 3))
    # overlap spans: A (3, 1, 1) + B (3, 1, 0) = (6, 2, 1) → P 3/4, R 6/7, F1 12/15
    assert prf(mentions["overlap"]["span_only"]) == (6, 2, 1, 0.75, approx(6 / 7), approx(0.8))
    # types: A (N,N) (N,NOM), B (N,N) (N,N) (NOM,NOM): p_o = 4/5; alice N 4 NOM 1, bob N 3 NOM 2:
    # p_e = (4·3 + 1·2)/25 = 14/25; κ = (20/25 − 14/25)/(11/25) = 6/11
    assert mentions["types"]["kappa"] == approx(6 / 11)
    # links: A 2/2, B Putin and Kremlin agree, Erdogan (ERD vs ASSAD) does not: 4/5
    assert mentions["actor_links"] == {"compared": 5, "agreed": 4, "share": approx(0.8)}


def test_krippendorff_alpha_on_mention_types(report: dict):
    # A: pairable spans Erdogan (N, N) and Assad (N, NOM): n = 4, n_N = 3, n_NOM = 1; D_o = 2 (Assad),
    # D_e = (16 − 9 − 1)/3 = 2 → α = 0. B: all pairable spans agree (Sochi has one value) → α = 1.
    # Pooled: N 7, NOM 3, n = 10; D_e = (100 − 49 − 9)/9 = 42/9; α = 1 − 2/(42/9) = 4/7.
    assert [d["mention_type_alpha"]["alpha"] for d in report["documents"]] == [0.0, 1.0]
    overall = report["overall"]["mention_type_alpha"]
    assert overall == {"alpha": approx(4 / 7), "units": 10, "pairable_units": 5}
    units = [["NAME", "NAME"], ["NAME", "NOMINAL"], ["NAME", "NAME"], ["NAME", "NAME"], ["NOMINAL", "NOMINAL"]]
    assert overall["alpha"] == approx(krippendorff.alpha(
        reliability_data=np.array([[{"NAME": 0, "NOMINAL": 1}[u[i]] for u in units] for i in (0, 1)], dtype=float),
        level_of_measurement="nominal"))


def test_stances(report: dict):
    # A: alice ERD→ASSAD THREATEN, RUS→"the strike" CRITICIZE, ASSAD→ERD OPPOSE (all −1);
    #    bob (duplicate of ERD)→ASSAD THREATEN, RUS→"The  Strike" DEMAND (−1), ASSAD→ERD SUPPORT (+1).
    # Triples: only THREATEN matches (holder resolved, issue compared case- and space-insensitively):
    # tp 1, fp 2, fn 2 → 1/3. Polarity of the 3 (holder, target) matches: −/−, −/−, −/+ → share 2/3,
    # κ: p_o = 2/3, p_e = (3·2 + 0·1)/9 = 2/3 → 0.
    stances = report["documents"][0]["pairs"][0]["stances"]
    assert prf(stances["triples"]["all"]) == (1, 2, 2, approx(1 / 3), approx(1 / 3), approx(1 / 3))
    assert prf(stances["triples"]["by_label"]["THREATEN"]) == (1, 0, 0, 1.0, 1.0, 1.0)
    assert stances["polarity"] == {"compared": 3, "agreed": 2, "share": approx(2 / 3), "kappa": 0.0}
    # B: PUTIN→ERD COOPERATE vs SUPPORT: no triple, polarity +/+. Overall triples (1, 3, 3) → 1/4;
    # polarity −/− ×2, −/+, +/+: p_o = 3/4, alice − 3 + 1, bob − 2 + 2: p_e = (3·2 + 1·2)/16 = 1/2, κ = 1/2.
    overall = report["overall"]["pairs"][0]["stances"]
    assert prf(overall["triples"]["all"]) == (1, 3, 3, 0.25, 0.25, 0.25)
    assert overall["polarity"] == {"compared": 4, "agreed": 3, "share": 0.75, "kappa": approx(0.5)}


def test_events_and_arguments(report: dict):
    # alice: THREATEN "warned" (source Erdogan, target Assad, content "the Turkish army would strike Idlib"),
    #        ASSAULT "strike" (source "the Turkish army", target free span "Idlib"), ACCUSE "condemned";
    # bob:   THREATEN "warned Assad" (source Erdogan, target Assad, content "would strike Idlib"),
    #        ASSAULT "strike" (source "Turkish army", target mention Idlib), REJECT "condemned".
    # Triggers: THREATEN and ASSAULT match, ACCUSE fn, REJECT fp: (2, 1, 1) → 2/3.
    events = report["overall"]["pairs"][0]["events"]
    assert prf(events["triggers"]["all"]) == (2, 1, 1, approx(2 / 3), approx(2 / 3), approx(2 / 3))
    assert set(events["triggers"]["by_type"]) == {"ACCUSE", "ASSAULT", "REJECT", "THREATEN"}
    # Arguments of matched events: source Erdogan ✓, army ✗ (1, 1, 1); target Assad ✓, Idlib ✓ (a mention's
    # span equals the free span) (2, 0, 0); content differs (0, 1, 1). All: (3, 2, 2) → 0.6.
    arguments = events["arguments"]
    assert prf(arguments["by_role"]["source"]) == (1, 1, 1, 0.5, 0.5, 0.5)
    assert prf(arguments["by_role"]["target"]) == (2, 0, 0, 1.0, 1.0, 1.0)
    assert prf(arguments["by_role"]["content"]) == (0, 1, 1, 0.0, 0.0, 0.0)
    assert prf(arguments["all"]) == (3, 2, 2, 0.6, 0.6, 0.6)


def test_gold_counts_only_when_named_and_bad_names_are_user_errors(two_layers: Path):
    with open_project(two_layers) as project, project.session() as session:
        with_gold = agreement(session, ["alice", "gold"]).to_dict()
        assert [d["title"] for d in with_gold["documents"]] == ["Doc A"]
        # gold marked only Erdogan on A: 1 of alice's 4 spans
        assert prf(with_gold["overall"]["pairs"][0]["mentions"]["exact"]["span_only"]) == (1, 0, 3, 1.0, 0.25, 0.4)
        with pytest.raises(UserError, match="unknown annotator.*: zed"):
            agreement(session, ["alice", "zed"])
        with pytest.raises(UserError, match="at least two"):
            agreement(session, ["alice", "alice"])


def test_an_empty_project_gives_an_empty_report(project):
    with project.session() as session:
        assert agreement(session).to_dict() == {
            "annotators": [], "documents_compared": 0, "documents": [],
            "overall": {"mention_type_alpha": {"alpha": None, "units": 0, "pairable_units": 0}, "pairs": []}}


# --- progress ----------------------------------------------------------------------------------------------

def test_progress_counts_statuses_items_and_hours_between_close_items(project):
    start = datetime(2026, 3, 2, 9, 0)
    with project.session.begin() as session:
        dave, gold = Annotator(name="dave"), Annotator(name="gold")
        idle = Annotator(name="idle")  # registered by opening the app, nothing else: not listed
        session.add_all([dave, gold, idle])
        docs = [document(session, f"D{i}", f"{TEXT_A} {i}") for i in range(3)]
        session.flush()
        for doc, status in zip(docs, ("done", "in_progress", "new"), strict=True):
            session.add(Assignment(document_id=doc.id, annotator_id=dave.id, status=status,
                                   updated_at=start + timedelta(hours=5)))
        # items at 9:00, 9:10, 9:20 and 13:00: the 3 h 40 min pause is a break, so 20 minutes of work,
        # 4 items → 12 items per hour. The last item was edited at 15:00: the last activity.
        for minutes in (0, 10, 20, 240):
            created = start + timedelta(minutes=minutes)
            session.add(Mention(document_id=docs[0].id, annotator_id=dave.id, start=0, end=7, created_at=created,
                                updated_at=start + timedelta(hours=6) if minutes == 240 else created))
        session.add(Mention(document_id=docs[0].id, annotator_id=gold.id, start=0, end=7))
    with project.session() as session:
        [entry] = progress(session)
    assert (entry.name, entry.assigned, entry.done, entry.in_progress, entry.items) == ("dave", 3, 1, 1, 4)
    assert entry.hours == approx(1 / 3)
    assert entry.items_per_hour == approx(12)
    assert entry.last_activity == start + timedelta(hours=6)


def test_progress_gives_no_rate_for_items_made_within_seconds(two_layers: Path):
    with open_project(two_layers) as project, project.session() as session:
        people = {entry.name: entry for entry in progress(session)}
    assert sorted(people) == ["alice", "bob", "carol"]
    assert (people["alice"].assigned, people["alice"].done, people["alice"].items) == (3, 3, 15)
    assert people["alice"].items_per_hour is None


# --- command line and Excel ----------------------------------------------------------------------------------

def test_cli_json_summary_and_errors(two_layers: Path, capsys: pytest.CaptureFixture):
    assert main(["agreement", str(two_layers), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["documents_compared"] == 2 and data["overall"]["pairs"][0]["mentions"]["types"]["kappa"] == approx(
        6 / 11)
    assert main(["agreement", str(two_layers), "--annotators", "bob", "alice"]) == 0
    text = capsys.readouterr().out
    assert "2 document(s) with two or more layers of: bob, alice" in text
    assert any(line.split()[:5] == ["bob", "/", "alice", "mention", "types"] and line.endswith("0.800  0.545")
               for line in text.splitlines())
    assert main(["agreement", str(two_layers), "--annotators", "alice", "zed"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == ["workstation: unknown annotator(s): zed (known: alice, bob, carol, gold)"]


def sheet_rows(path: Path) -> list[tuple]:
    return list(load_workbook(path)["Agreement"].iter_rows(values_only=True))


def test_cli_out_writes_the_agreement_sheet(two_layers: Path, tmp_path: Path, capsys: pytest.CaptureFixture):
    out = tmp_path / "agreement.xlsx"
    assert main(["agreement", str(two_layers), "--out", str(out)]) == 0
    assert f"wrote the Agreement sheet to {out}" in capsys.readouterr().out
    rows = sheet_rows(out)
    assert rows[0] == ("Scope", "Pair", "Kind", "Type", "P", "R", "F1", "Share", "κ / α")
    by_key = {row[:4]: row[4:] for row in rows[1:]}
    assert by_key[("overall", "alice / bob", "mentions exact", "(span only)")][:3] == (
        approx(5 / 8), approx(5 / 7), approx(2 / 3))
    assert by_key[("overall", "all: alice, bob, carol", "mention types", None)][4] == approx(4 / 7)
    assert by_key[("Doc A", "alice / bob", "stance polarity", None)] == (None, None, None, approx(2 / 3), 0)
    assert by_key[("Doc B", "alice / bob", "events", "(all)")] == ("—", "—", "—", None, None)  # B has no events


def test_xlsx_report_gets_an_agreement_sheet_with_text_cells(two_layers: Path, tmp_path: Path):
    out = tmp_path / "report.xlsx"
    with open_project(two_layers) as project:
        export_xlsx(project, out)
        export_xlsx(project, tmp_path / "alice.xlsx", layer="alice")
    book = load_workbook(out)
    assert book.sheetnames[-1] == "Agreement"
    assert book["Agreement"]["A1"].font.bold
    assert book["Agreement"]["B2"].data_type == "s" and book["Agreement"]["B2"].quotePrefix
    assert "Agreement" not in load_workbook(tmp_path / "alice.xlsx").sheetnames
