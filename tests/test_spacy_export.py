"""spaCy DocBin: read back by spaCy, accepted by `spacy debug data`, trainable for one iteration."""

from __future__ import annotations

import subprocess
import sys
import zlib
from pathlib import Path

import numpy
import pytest
import spacy
from conftest import DATA, write_jsonl
from spacy.tokens import DocBin

from workstation.core.errors import UserError
from workstation.formats.importing import import_paths
from workstation.formats.spacy_docbin import export_spacy

SENTENCES = ["Erdogan warned Syria about Idlib.", "Putin and Erdogan talked on the phone.",
             "Assad rejected the demand from Ankara.", "Russia blamed the Turkish side for the incident."]


def corpus(tmp_path: Path, count: int = 150) -> Path:
    """Documents annotated in one layer, with one mention that cuts a token."""
    lines = []
    for number in range(count):
        text = f"Report {number}. " + " ".join(SENTENCES)
        mentions = []
        for index, (name, label) in enumerate((("Erdogan", "GOV"), ("Syria", "STATE"), ("Putin", "GOV"),
                                               ("Ankara", "STATE"), ("Russia", "STATE"))):
            start = text.index(name)
            mentions.append({"id": f"M{index}", "start": start, "end": start + len(name), "type": "NAME",
                             "label": label})
        start = text.index("Turkish side")
        mentions.append({"id": "N1", "start": start, "end": start + 12, "type": "NOMINAL", "label": "MIL"})
        mentions.append({"id": "N2", "start": start + 8, "end": start + 12, "type": "NOMINAL", "label": "MIL"})
        if number == 0:
            mentions.append({"id": "BAD", "start": 1, "end": 4, "type": "NAME", "label": "OTHER"})
        lines.append({"text": text, "meta": {"title": f"Report {number}"},
                      "layers": [{"annotator": "gold", "status": "done", "mentions": mentions}]})
    return write_jsonl(tmp_path, lines)


def test_docbin_contents(project, tmp_path: Path):
    import_paths(project, [corpus(tmp_path, 2)])
    out = tmp_path / "gold.spacy"
    report = export_spacy(project, out)
    assert report.documents == 2
    assert report.messages == ["1 span(s) do not align to token boundaries and were left out; first: "
                               "Report 0 1-4 'epo'"]
    nlp = spacy.blank("en")
    docs = list(DocBin().from_disk(out).get_docs(nlp.vocab))
    first = docs[0]
    assert [(e.text, e.label_) for e in first.ents] == [
        ("Erdogan", "GOV"), ("Syria", "STATE"), ("Putin", "GOV"), ("Ankara", "STATE"), ("Russia", "STATE")]
    assert len(first.spans["sc"]) == 7
    assert ("side", "MIL") in [(s.text, s.label_) for s in first.spans["sc"]]
    assert first.has_annotation("SENT_START") and len(list(first.sents)) == 5
    assert first.user_data["title"] == "Report 0" and first.user_data["annotator"] == "gold"
    everything = export_spacy(project, tmp_path / "all.spacy", all_mention_types=True)
    docs = list(DocBin().from_disk(tmp_path / "all.spacy").get_docs(nlp.vocab))
    assert ("Turkish side", "MIL") in [(e.text, e.label_) for e in docs[0].ents]
    assert everything.documents == 2


def test_a_folder_target_is_written_in_shards(project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from workstation.formats import spacy_docbin
    monkeypatch.setattr(spacy_docbin, "SHARD_DOCS", 4)
    import_paths(project, [corpus(tmp_path, 10)])
    export_spacy(project, tmp_path / "shards")
    parts = sorted((tmp_path / "shards").glob("*.spacy"))
    assert [p.name for p in parts] == ["part-0001.spacy", "part-0002.spacy", "part-0003.spacy"]
    assert [len(DocBin().from_disk(p)) for p in parts] == [4, 4, 2]


def test_layer_must_be_chosen_when_there_are_several(project, tmp_path: Path):
    import_paths(project, [DATA / "two_layers.jsonl"])
    with pytest.raises(UserError, match=r"choose a layer with --layer \(layers: alice, bob\)"):
        export_spacy(project, tmp_path / "x.spacy")
    with pytest.raises(UserError, match="no layer 'carol'"):
        export_spacy(project, tmp_path / "x.spacy", layer="carol")
    assert export_spacy(project, tmp_path / "x.spacy", layer="alice", status="done").documents == 1


def test_spacy_debug_data_and_training_accept_the_split(project, tmp_path: Path):
    import_paths(project, [corpus(tmp_path)])
    out = tmp_path / "corpus"
    report = export_spacy(project, out, split=0.7, seed=3)
    sizes = [sum(len(DocBin().from_disk(part)) for part in (out / name).glob("*.spacy")) for name in ("train", "dev")]
    assert sum(sizes) == 150 and min(sizes) > 0
    assert report.messages[-1] == f"split: {sizes[0]} train, {sizes[1]} dev document(s) (seed 3)"
    config = tmp_path / "config.cfg"
    spacy_cli = [sys.executable, "-m", "spacy"]
    subprocess.run([*spacy_cli, "init", "config", str(config), "--lang", "en", "--pipeline", "ner"],
                   check=True, capture_output=True)
    paths = ["--paths.train", str(out / "train"), "--paths.dev", str(out / "dev")]
    debug = subprocess.run([*spacy_cli, "debug", "data", str(config), *paths], capture_output=True, text=True)
    assert debug.returncode == 0, debug.stdout + debug.stderr
    assert "Corpus is loadable" in debug.stdout
    train = subprocess.run([*spacy_cli, "train", str(config), "--output", str(tmp_path / "model"), *paths,
                            "--training.max_epochs", "1", "--training.max_steps", "2",
                            "--training.eval_frequency", "1"], capture_output=True, text=True)
    assert train.returncode == 0, train.stdout + train.stderr
    assert (tmp_path / "model" / "model-last" / "meta.json").exists()


def test_token_array_docbin_saves_what_spacys_docbin_saves(project, tmp_path: Path):
    """Our Docs (entities set from arrays, span groups packed from token spans, offsets aligned by bisection)
    save the bytes spaCy saves for Docs built its own way: `char_span`, Span objects, `doc.ents`."""
    from spacy.attrs import SENT_START
    from spacy.util import filter_spans

    from workstation.formats.spacy_docbin import LabelledDoc, TokenArrayDocBin, layer_to_doc
    from workstation.formats.training_data import AlignmentReport
    from workstation.nlp.pipeline import tokenize
    from workstation.nlp.token_table import TokenTable
    from workstation.store.document_reader import stream_mention_layers

    import_paths(project, [corpus(tmp_path, 5), DATA / "two_layers.jsonl"])
    ours, spacys = TokenArrayDocBin(store_user_data=True), DocBin(store_user_data=True)
    for layer in stream_mention_layers(project, "gold"):
        labelled = layer_to_doc(layer, TokenTable.of_doc(tokenize(layer.text, "en")), True, AlignmentReport())
        doc = tokenize(layer.text, "en")
        doc.from_array([SENT_START], labelled.doc.to_array([SENT_START]))
        spans = [span for start, end, _, label in layer.mentions if (span := doc.char_span(start, end, label))]
        assert len(spans) < len(layer.mentions) or layer.title != "Report 0"
        doc.spans["sc"] = spans
        doc.ents = filter_spans(spans)
        doc.user_data.update(labelled.doc.user_data)
        ours.add(labelled)
        spacys.add(doc)
    empty = spacy.blank("en").make_doc("")
    ours.add(LabelledDoc(empty, empty.spans.to_bytes(), set(), numpy.zeros((0, 1), dtype=bool)))
    spacys.add(empty)
    assert len(ours) == 8
    assert ours.strings == spacys.strings
    assert zlib.decompress(ours.to_bytes()) == zlib.decompress(spacys.to_bytes())
    assert len(ours.to_bytes()) > len(spacys.to_bytes())  # deflated faster, at a lower level
