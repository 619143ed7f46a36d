"""The reference article fully annotated (tests/data/reference-annotated.jsonl, layer "reference"): it imports
into the same document the sample project holds, every span covers whole words, and it round-trips."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import DATA
from sqlalchemy import func, select

from workstation.formats.importing import import_paths
from workstation.formats.jsonl import export_jsonl
from workstation.paths import SAMPLE_ARTICLE, resource
from workstation.store.integrity import find_problems
from workstation.store.models import Document, Event, EventArgument, EventRelation, Mention, Stance

REFERENCE = DATA / "reference-annotated.jsonl"

MENTIONS = (
    "Erdogan", "Syrian Military", "Erdogan", "Russia", "its", "Syria", "Recep Tayyip Erdogan", "Syrian military",
    "they", "their", "troops", "Turkey", "Syria", "Erdogan", "Turkey", "Syrian Troops", "Turkish leader",
    "Syrian military", "they", "his", "he", "their", "troops", "Syrian government forces",
    "Turkish military personnel", "Turkish forces", "Ankara", "Moscow", "Erdogan", "Turkey", "Syria", "Russia",
    "Iran", "Syrian government", "We", "regime", "our", "he", "his", "AK Party", "regime", "Turkey", "He",
    "Turkish military", "Erdogan", "Moscow", "Bashar al-Assad", "Ankara", "rebels", "him", "Vladimir Putin", "Syria",
    "anti-government forces", "Syria", "Russia", "Turkey", "Turkey", "armed groups", "It", "Syrian troops",
    "militant groups", "Russia", "Turkish side", "Erdogan", "his", "Russian counterpart", "Vladimir Putin", "Syria",
)
TRIGGERS = (
    "Threatens", "Force", "accused", "agreement", "threatened", "force", "withdraw", "Bombed", "warned", "ignore",
    "call", "force", "Shelling", "strike back", "collaboration", "joint efforts", "set up", "agreement",
    "pulling back", "pull back", "job", "operations", "agreed", "coordination", "agreements", "capturing", "pushing",
    "violated", "blamed", "incident", "phone call", "clashes", "agreed", "coordination",
)


def _whole_words(text: str, start: int, end: int) -> bool:
    inside = text[start:end]
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return inside == inside.strip() and not (before.isalnum() and inside[0].isalnum()) \
        and not (after.isalnum() and inside[-1].isalnum())


def test_reference_annotation_imports_onto_the_sample_document(project):
    import_paths(project, [resource(SAMPLE_ARTICLE)])
    report = import_paths(project, [REFERENCE])
    assert (report.added, report.duplicates, report.items_added) == (0, 1, 129)
    with project.session() as session:
        [document] = session.scalars(select(Document)).all()
        assert document.title == "Erdogan Threatens to Use Force Against Syrian Military in Idlib"
        assert document.published == "2020-02-05"
        counts = {model.__name__: session.scalar(select(func.count()).select_from(model))
                  for model in (Mention, Stance, Event, EventArgument, EventRelation)}
        assert counts == {"Mention": 68, "Stance": 17, "Event": 34, "EventArgument": 88, "EventRelation": 10}
        text = document.text
        mentions = session.scalars(select(Mention).order_by(Mention.start)).all()
        assert tuple(text[m.start:m.end] for m in mentions) == MENTIONS
        events = session.scalars(select(Event)).all()
        assert sorted(text[e.trigger_start:e.trigger_end] for e in events) == sorted(TRIGGERS)
        spans = [(m.start, m.end) for m in mentions] + [(e.trigger_start, e.trigger_end) for e in events]
        spans += [(s.evidence_start, s.evidence_end) for s in session.scalars(select(Stance))]
        free = select(EventArgument).where(EventArgument.start.is_not(None))
        spans += [(a.start, a.end) for a in session.scalars(free)]
        assert [span for span in spans if not _whole_words(text, *span)] == []
        assert find_problems(session, project.schema) == []


def test_reference_annotation_round_trips(project, tmp_path: Path):
    import_paths(project, [REFERENCE])
    out = tmp_path / "out.jsonl"
    export_jsonl(project, out)
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(REFERENCE.read_text(encoding="utf-8"))
