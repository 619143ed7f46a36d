"""The sample article annotated through the store, exported in every format; each file read back agrees with stats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from openpyxl import load_workbook
from spacy.tokens import DocBin

from workstation.formats.exporting import EXPORTERS, ExportOptions, export
from workstation.formats.importing import import_paths
from workstation.paths import SAMPLE_ARTICLE, resource
from workstation.store.models import (
    Actor,
    Annotator,
    Assignment,
    Document,
    Event,
    EventArgument,
    Mention,
    Stance,
)
from workstation.store.stats import project_stats


def occurrences(text: str, word: str) -> list[int]:
    found, start = [], text.find(word)
    while start != -1:
        found.append(start)
        start = text.find(word, start + 1)
    return found


@pytest.fixture
def annotated(project):
    import_paths(project, [resource(SAMPLE_ARTICLE)])
    with project.session.begin() as session:
        doc = session.query(Document).one()
        alice = Annotator(name="alice")
        erdogan = Actor(name="Recep Tayyip Erdogan", type="GOV", kind="person", country="TUR", aliases=["Erdogan"])
        syria = Actor(name="Syrian Arab Army", type="MIL", kind="organization", country="SYR")
        session.add_all([alice, erdogan, syria])
        session.flush()
        layer = {"document_id": doc.id, "annotator_id": alice.id}
        mentions = [Mention(**layer, start=s, end=s + 7, label="GOV", mention_type="NAME", actor_id=erdogan.id)
                    for s in occurrences(doc.text, "Erdogan")]
        mentions += [Mention(**layer, start=s, end=s + 15, label="MIL", mention_type="NOMINAL", actor_id=syria.id)
                     for s in occurrences(doc.text, "Syrian military")]
        session.add_all(mentions)
        trigger = doc.text.index("threatened")
        event = Event(**layer, type="THREATEN", trigger_start=trigger, trigger_end=trigger + 10,
                      attributes={"realis": "actual", "mode": ["violence"]})
        session.add(event)
        session.flush()
        body_erdogan = next(m for m in mentions if m.start > trigger - 40 and m.label == "GOV")
        session.add_all([EventArgument(event_id=event.id, position=0, role="source", mention_id=body_erdogan.id),
                         EventArgument(event_id=event.id, position=1, role="content", start=trigger + 14,
                                       end=trigger + 23)])
        session.add(Stance(**layer, holder_id=erdogan.id, target_id=syria.id, label="THREATEN", polarity=-1,
                           strength=3, evidence_start=body_erdogan.start, evidence_end=trigger + 60))
        session.add(Assignment(document_id=doc.id, annotator_id=alice.id, status="done"))
    with project.session() as session:
        return project, project_stats(session)


NOT_CARRIED = {
    "prodigy": ["1 stance(s) not written: a Prodigy task has no stances (use jsonl or brat)"],
    "brat": ["1 attribute value(s) not written: brat holds single words and flags, not lists, numbers or text with "
             "spaces"],
}
"""What a format cannot hold of the annotated project (a stance; the event's `mode`, a list), said in its report."""


def test_every_format_reads_back_with_the_counts_of_stats(annotated, tmp_path: Path):
    project, stats = annotated
    mentions = sum(stats["mentions"]["alice"].values())
    names = stats["mention_types"]["alice"]["NAME"]
    assert (mentions, names) == (len(occurrences(project_text(project), "Erdogan")) + 2, mentions - 2)
    outputs = {fmt: tmp_path / f"out.{fmt}" for fmt in EXPORTERS}
    for fmt, out in outputs.items():
        report = export(project, fmt, out, ExportOptions(layer="alice"))
        assert report.documents == 1, fmt
        assert report.messages == NOT_CARRIED.get(fmt, []), fmt

    [line] = [json.loads(x) for x in outputs["jsonl"].read_text().splitlines()]
    assert len(line["layers"][0]["mentions"]) == mentions and len(line["layers"][0]["events"]) == 1

    [doc] = DocBin().from_disk(outputs["spacy"]).get_docs(spacy.blank("en").vocab)
    assert len(doc.spans["sc"]) == mentions and len(doc.ents) == names

    [task] = [json.loads(x) for x in outputs["prodigy"].read_text().splitlines()]
    assert sum(s["kind"] == "mention" for s in task["spans"]) == mentions
    assert sorted(r["label"] for r in task["relations"]) == ["content", "source"]

    conll = outputs["conll"].read_text()
    assert sum(line.endswith(" B-GOV") for line in conll.splitlines()) == names

    ann = (outputs["brat"] / f"{line['id']}.ann").read_text().splitlines()
    assert sum(x.split("\t")[1].split()[0] in ("GOV", "MIL") for x in ann if x.startswith("T")) == mentions
    assert sum(x.startswith("E") for x in ann) == 2

    book = load_workbook(outputs["xlsx"])
    assert book["Mentions"].max_row - 1 == mentions
    assert book["Stances"].max_row - 1 == sum(stats["stances"]["alice"].values())
    assert book["Events"].max_row - 1 == 1 and book["Event arguments"].max_row - 1 == 2


def project_text(project) -> str:
    with project.session() as session:
        return session.query(Document.text).scalar()
