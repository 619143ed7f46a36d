"""Token-level exports as their consumers read them (issue 13, points 9–13; issue 15, point 6 long documents).

`spacy convert` is run on our CoNLL and its documents and entities are counted against our DocBin's.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from conftest import write_jsonl
from spacy.tokens import DocBin

from workstation.cli import build_parser
from workstation.core.errors import UserError
from workstation.formats.conll import export_conll
from workstation.formats.importing import import_paths
from workstation.formats.prodigy import export_prodigy
from workstation.formats.spacy_docbin import export_spacy, in_train
from workstation.store.models import EventRelation, MentionRelation
from workstation.store.project import create_project

BAND = "The band Panic! at the Disco played in Ankara. Erdogan spoke in Ankara."


def mention(text: str, words: str, label: str, number: int, after: int = 0) -> dict:
    start = text.index(words, after)
    return {"id": f"M{number}", "start": start, "end": start + len(words), "type": "NAME", "label": label}


def write_corpus(tmp_path: Path, count: int, extra: str = "") -> Path:
    """`count` documents; in each, a sentencizer boundary falls inside "Panic! at the Disco" and "Erdogan" sits
    inside a longer mention (outermost wins)."""
    lines = []
    for number in range(count):
        text = f"{BAND} Report {number}.{extra}"
        mentions = [mention(text, "Panic! at the Disco", "OTHER", 1), mention(text, "Ankara", "STATE", 2),
                    mention(text, "Erdogan spoke", "GOV", 3), mention(text, "Erdogan", "GOV", 4)]
        lines.append({"id": f"doc-{number}", "text": text, "meta": {"title": f"Report {number}"},
                      "layers": [{"annotator": "gold", "status": "done", "mentions": mentions}]})
    return write_jsonl(tmp_path, lines)


def test_conll_is_plain_and_spacy_convert_agrees_with_our_docbin(project, tmp_path: Path):
    import_paths(project, [write_corpus(tmp_path, 10)])
    conll, docbin = tmp_path / "out.conll", tmp_path / "out.spacy"
    report = export_conll(project, conll)
    export_spacy(project, docbin)
    text = conll.read_text()
    # 9: no comment line unless asked for.
    assert not any(line.startswith("#") for line in text.splitlines())
    assert all(len(line.split()) == 4 for line in text.splitlines() if line)
    export_conll(project, tmp_path / "noted.conll", provenance=True)
    assert (tmp_path / "noted.conll").read_text().startswith("# CoNLL-2003 NER")
    converted = tmp_path / "converted"
    converted.mkdir()
    subprocess.run([sys.executable, "-m", "spacy", "convert", str(conll), str(converted), "-c", "ner"],
                   check=True, capture_output=True)
    vocab = spacy.blank("en").vocab
    theirs = list(DocBin().from_disk(converted / "out.spacy").get_docs(vocab))
    ours = list(DocBin().from_disk(docbin).get_docs(vocab))
    assert len(theirs) == len(ours) == 10
    assert sum(len(doc.ents) for doc in theirs) == sum(len(doc.ents) for doc in ours) == 30
    assert [[([t.text for t in e], e.label_) for e in doc.ents] for doc in theirs] == \
        [[([t.text for t in e], e.label_) for e in doc.ents] for doc in ours]
    # 10: no sentence starts inside a mention, so no I- tag opens a sentence.
    for block in text.split("\n\n"):
        rows = [line.split() for line in block.splitlines() if line and not line.startswith("-DOCSTART-")]
        assert not rows or not rows[0][3].startswith("I-")
    for doc in ours:
        assert all(not token.is_sent_start for span in doc.spans["sc"] for token in span[1:])
    # 11: the mention that lost to a longer one is counted, with the boundaries removed.
    assert any(message.startswith("10 mention(s) overlap a longer mention, not written") for message in report.messages)
    assert any(message.startswith("10 sentence boundary(ies) fell inside a mention") for message in report.messages)


def test_a_split_leaves_a_document_on_each_side(project, tmp_path: Path):
    import_paths(project, [write_corpus(tmp_path, 10)])
    seed = next(seed for seed in range(100) if all(in_train(f"doc-{n}", 0.8, seed) for n in range(10)))
    out = tmp_path / "split"
    report = export_spacy(project, out, split=0.8, seed=seed)
    sizes = [len(DocBin().from_disk(out / side / "part-0001.spacy")) for side in ("train", "dev")]
    assert sizes == [9, 1]
    assert report.messages[-1] == f"split: 9 train, 1 dev document(s) (seed {seed})"
    export_help = next(action for action in build_parser()._subparsers._group_actions[0].choices["export"]._actions
                       if action.dest == "split").help
    assert "train/part-0001.spacy" in export_help and "train.spacy" not in export_help.replace("part-0001.spacy", "")


def test_a_split_of_one_document_is_refused_in_one_line(project, tmp_path: Path):
    import_paths(project, [write_corpus(tmp_path, 1)])
    with pytest.raises(UserError, match="--split needs at least 2 documents"):
        export_spacy(project, tmp_path / "split", split=0.5)
    assert not (tmp_path / "split").exists()


def test_prodigy_carries_every_relation_and_reads_back(tmp_path: Path):
    from conftest import DATA
    with create_project(tmp_path / "p.sqlite") as project:
        import_paths(project, [DATA / "two_layers.jsonl"])
        with project.session() as session:
            wanted = (session.query(EventRelation).count(), session.query(MentionRelation).count())
        out = tmp_path / "tasks.jsonl"
        export_prodigy(project, out, layer="alice")
        export_prodigy(project, tmp_path / "bob.jsonl", layer="bob")
    kinds = [r["kind"] for line in out.read_text().splitlines() for r in json.loads(line)["relations"]]
    kinds += [r["kind"] for line in (tmp_path / "bob.jsonl").read_text().splitlines()
              for r in json.loads(line)["relations"]]
    assert kinds.count("event") + kinds.count("mention") == sum(wanted) > 0
    with create_project(tmp_path / "again.sqlite") as again:
        import_paths(again, [out, tmp_path / "bob.jsonl"])
        with again.session() as session:
            assert (session.query(EventRelation).count(), session.query(MentionRelation).count()) == wanted


def test_documents_over_spacys_max_length_export(project, tmp_path: Path):
    import_paths(project, [write_corpus(tmp_path, 1, extra=" Ankara again." * 80_000)])
    assert export_conll(project, tmp_path / "long.conll").documents == 1
    assert export_spacy(project, tmp_path / "long.spacy").documents == 1
    assert export_prodigy(project, tmp_path / "long.jsonl").documents == 1


def test_stats_count_relations_arguments_and_attributes(tmp_path: Path):
    from conftest import DATA

    from workstation.store.stats import project_stats
    with create_project(tmp_path / "p.sqlite") as project:
        import_paths(project, [DATA / "two_layers.jsonl"])
        with project.session() as session:
            stats = project_stats(session)
    assert stats["event_arguments"]["alice"] == {"content": 1, "source": 2, "target": 1}
    assert stats["event_relations"]["alice"] == {"CAUSE": 1}
    assert stats["attributes"]["alice"] == {"attributed_to": 1, "mode": 1, "negated": 1, "realis": 2}
    assert "mention_relations" in stats
