"""Prodigy JSONL and CoNLL-2003, checked by reading them back (our importer, spaCy's CoNLL converter)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import spacy
from conftest import DATA
from spacy.tokens import DocBin

from workstation.formats.conll import DOCSTART, export_conll
from workstation.formats.importing import import_paths
from workstation.formats.prodigy import export_prodigy
from workstation.store.models import Event, EventArgument, Mention
from workstation.store.project import create_project
from workstation.store.stats import project_stats


def test_prodigy_tasks_have_inclusive_token_ends_and_argument_relations(project, tmp_path: Path):
    import_paths(project, [DATA / "two_layers.jsonl"])
    out = tmp_path / "alice.jsonl"
    report = export_prodigy(project, out, layer="alice")
    assert report.documents == 2
    assert report.messages == ["1 stance(s) not written: a Prodigy task has no stances (use jsonl or brat)"]
    task = json.loads(out.read_text().splitlines()[0])
    tokens = task["tokens"]
    assert all(set(t) == {"text", "start", "end", "id", "ws"} for t in tokens)
    assert "".join(t["text"] + (" " if t["ws"] else "") for t in tokens) == task["text"]
    russia = next(s for s in task["spans"] if s["kind"] == "mention" and s["label"] == "STATE")
    assert task["text"][russia["start"]:russia["end"]] == "Russia"
    assert tokens[russia["token_start"]]["text"] == "Russia" and russia["token_end"] == russia["token_start"]
    military = next(s for s in task["spans"] if s["label"] == "MIL")
    assert military["token_end"] == military["token_start"] + 1
    labels = sorted((r["kind"], r["label"]) for r in task["relations"])
    assert labels == [("argument", "content"), ("argument", "source"), ("argument", "source"),
                      ("argument", "target"), ("event", "CAUSE")]
    assert all(r["head"] == r["head_span"]["token_end"] for r in task["relations"])
    assert task["meta"]["annotator"] == "alice" and task["meta"]["title"] == "Erdogan threatens"


def test_prodigy_file_reads_back_through_the_jsonl_importer(project, tmp_path: Path):
    import_paths(project, [DATA / "two_layers.jsonl"])
    out = tmp_path / "alice.jsonl"
    export_prodigy(project, out, layer="alice")
    with create_project(tmp_path / "other.sqlite") as other:
        report = import_paths(other, [out])
        assert report.added == 2
        with other.session() as session:
            assert session.query(Mention).count() == 3
            assert sorted(e.type for e in session.query(Event)) == ["REJECT", "THREATEN"]
            assert session.query(EventArgument).count() == 4
            assert project_stats(session)["status"] == {"alice": {"done": 1, "new": 1}}


def test_conll_iob2_outermost_wins_and_spacy_reads_it(project, tmp_path: Path):
    import_paths(project, [DATA / "two_layers.jsonl"])
    out = tmp_path / "bob.conll"
    assert export_conll(project, out, layer="bob").documents == 2
    text = out.read_text()
    assert text.startswith(f"{DOCSTART}\n\n")
    assert text.count(DOCSTART) == 2
    rows = [line.split() for line in text.splitlines() if line and not line.startswith(("#", "-DOCSTART-"))]
    assert all(len(row) == 4 for row in rows)
    tagged = [(row[0], row[3]) for row in rows if row[3] != "O"]
    assert tagged[:5] == [("Turkish", "B-GOV"), ("President", "I-GOV"), ("Erdogan", "I-GOV"),
                          ("Syrian", "B-MIL"), ("military", "I-MIL")]
    body = tmp_path / "body.conll"
    body.write_text("".join(line for line in text.splitlines(keepends=True) if not line.startswith("# ")))
    subprocess.run([sys.executable, "-m", "spacy", "convert", str(body), str(tmp_path), "--converter", "ner"],
                   check=True, capture_output=True)
    docs = list(DocBin().from_disk(tmp_path / "body.spacy").get_docs(spacy.blank("en").vocab))
    assert len(docs) == 2
    assert [(e.text, e.label_) for e in docs[0].ents] == [("Turkish President Erdogan", "GOV"),
                                                          ("Syrian military", "MIL"), ("Idlib", "OTHER")]


def test_a_layer_of_mentions_only_is_written_from_its_rows_as_from_its_record(project, tmp_path: Path):
    """Prodigy writes a layer that has only mentions (with actors and attributes) from their rows, and one with
    other items from its record: the two must give the same task."""
    from collections import Counter

    from workstation.formats.prodigy import record_to_task
    from workstation.formats.training_data import AlignmentReport
    from workstation.nlp.pipeline import tokenize
    from workstation.nlp.token_table import TokenTable
    from workstation.store.document_reader import stream_records

    line = json.loads((DATA / "reference-annotated.jsonl").read_text().splitlines()[0])
    for layer in line["layers"]:
        for kind in ("events", "stances", "relations", "mention_relations"):
            layer.pop(kind, None)
    source = tmp_path / "mentions-only.jsonl"
    source.write_text(json.dumps(line) + "\n")
    import_paths(project, [source])
    out = tmp_path / "tasks.jsonl"
    export_prodigy(project, out, layer="reference")
    record = next(stream_records(project, "reference"))
    assert len(record.layers[0].mentions) == 68 and not record.layers[0].events
    assert any(mention.attributes for mention in record.layers[0].mentions)
    expected = record_to_task(record, TokenTable.of_doc(tokenize(record.text, "en")), "reference", AlignmentReport(),
                              {}, Counter())
    assert out.read_text() == expected + "\n"
