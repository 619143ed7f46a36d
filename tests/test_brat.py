"""brat standoff both ways: the brat tutorial news corpus, our own projects, bad files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import DATA, SHARED, database_fingerprint

from workstation.core.errors import UserError
from workstation.formats.brat import export_brat
from workstation.formats.brat_conf import load_conf_schema
from workstation.formats.importing import import_paths
from workstation.formats.jsonl import export_jsonl
from workstation.store.models import Mention, MentionRelation, Stance
from workstation.store.project import create_project

NEWS = SHARED / "fixtures" / "brat-news"


def canonical(folder: Path) -> dict[str, set]:
    """Every annotation of every .ann as (kind, type, spans, arguments, value), brat ids resolved to spans."""
    result = {}
    for ann in sorted(folder.glob("*.ann")):
        lines = [line.split("\t") for line in ann.read_text(encoding="utf-8").splitlines() if line.strip()]
        spans = {f[0]: tuple(f[1].split(" ", 1)[1].split(";")) for f in lines if f[0].startswith("T")}
        events = {f[0]: spans[f[1].split()[0].split(":")[1]] for f in lines if f[0].startswith("E")}
        relations = {f[0]: (f[1].split()[0], *(spans.get(a.split(":")[1]) for a in f[1].split()[1:]))
                     for f in lines if f[0].startswith("R")}
        ref = {**spans, **events, **relations}
        items = set()
        for f in lines:
            key, body = f[0], f[1].split()
            if key.startswith("T"):
                items.add(("T", body[0], spans[key]))
            elif key.startswith("E"):
                items.add(("E", body[0].split(":")[0], events[key],
                           tuple(sorted((a.split(":")[0], ref[a.split(":")[1]]) for a in body[1:]))))
            elif key.startswith("R"):
                items.add(("R", body[0], tuple(ref[a.split(":")[1]] for a in body[1:])))
            elif key == "*":
                items.add(("*", body[0], frozenset(ref[t] for t in body[1:])))
            elif key.startswith("A"):
                items.add(("A", body[0], ref[body[1]], body[2] if len(body) > 2 else True))
            elif key.startswith("N"):
                items.add(("N", ref[body[1]], body[2], f[2]))
            elif key.startswith("#"):
                items.add(("#", ref[body[1]], f[2]))
        result[ann.stem] = items
    return result


@pytest.fixture
def news_project(tmp_path: Path):
    with create_project(tmp_path / "news.sqlite", load_conf_schema(NEWS / "annotation.conf")) as project:
        yield project


def test_conf_becomes_a_schema(news_project):
    schema = news_project.schema
    assert set(schema.entity_types) == {"Person", "Organization", "GPE", "Money"}
    assert not schema.has_actors
    assert schema.event_types["Die"].roles == ("Person-Arg", "Agent-Arg", "Place-Arg")
    assert schema.event_types["Merge-org"].roles == ("Org-Arg",)
    assert "Event-Arg" in schema.relation_types and "Alias" in schema.relation_types
    assert schema.event_attributes["Confidence"].values == ("High", "Neutral", "Low")
    assert schema.event_attributes["Negation"].kind == "bool"


def test_every_fixture_imports_and_exports_back_the_same_annotations(news_project, tmp_path: Path):
    report = import_paths(news_project, [NEWS])
    assert report.added == len(list(NEWS.glob("*.txt")))
    assert report.messages == ["visual.conf, tools.conf, kb_shortcuts.conf: brat display and tool settings, not read"]
    with news_project.session() as session:
        assert session.query(Mention).count() == 96
        assert session.query(MentionRelation).filter_by(type="Alias").count() == 3
    out = tmp_path / "out"
    export = export_brat(news_project, out)
    assert export.documents == report.added and export.messages == []
    assert canonical(out) == canonical(NEWS)
    for txt in NEWS.glob("*.txt"):
        assert (out / txt.name).read_bytes() == txt.read_bytes()
    assert load_conf_schema(out / "annotation.conf").event_types.keys() == news_project.schema.event_types.keys()


def test_our_own_project_round_trips_through_brat(project, tmp_path: Path):
    import_paths(project, [DATA / "two_layers.jsonl"])
    first = tmp_path / "first"
    report = export_brat(project, first, layer="alice")
    # The event mode ['violence'] is a list: brat has no list attributes, and the export says so.
    assert report.documents == 2 and report.messages == [
        "1 attribute value(s) not written: brat holds single words and flags, not lists, numbers or text with spaces"]
    ann = (first / "doc-1.ann").read_text()
    assert "\tStance " in ann and "StanceLabel E3 THREATEN" in ann and "MentionType T1 NAME" in ann
    assert "Reference T1 Workstation:A01\tRecep Tayyip Erdogan" in ann
    with create_project(tmp_path / "again.sqlite") as again:
        import_paths(again, [first], annotator="alice")
        with again.session() as session:
            stance = session.query(Stance).one()
            assert (stance.label, stance.strength, stance.polarity) == ("THREATEN", 3, -1)
            assert {(m.start, m.end, m.label, m.mention_type) for m in session.query(Mention)} == {
                (m.start, m.end, m.label, m.mention_type) for m in _mentions(project, "alice")}
        second = tmp_path / "second"
        export_brat(again, second)
        assert canonical(second) == canonical(first)
        export_jsonl(again, tmp_path / "again.jsonl")
    line = json.loads((tmp_path / "again.jsonl").read_text().splitlines()[0])
    [layer] = line["layers"]
    threaten = next(e for e in layer["events"] if e["type"] == "THREATEN")
    assert [a["role"] for a in threaten["arguments"]] == ["source", "target", "content"]
    # A brat binary attribute is absent when false; modes are lists.
    assert threaten["attributes"] == {"realis": "actual"}
    assert layer["relations"] == [{"type": "CAUSE", "from": "E1", "to": "E2"}]


def _mentions(project, annotator: str) -> list[Mention]:
    from workstation.store.models import Annotator
    with project.session() as session:
        annotator_id = session.query(Annotator.id).filter_by(name=annotator).scalar()
        return session.query(Mention).filter_by(annotator_id=annotator_id).all()


def test_discontinuous_spans_are_reported_and_kept(news_project, tmp_path: Path):
    folder = tmp_path / "disc"
    folder.mkdir()
    (folder / "d.txt").write_text("Larry Page and Sergey Brin met in California.\n")
    (folder / "d.ann").write_text("T1\tPerson 0 5;11 14\tLarry and\nT2\tGPE 34 44\tCalifornia\n")
    report = import_paths(news_project, [folder])
    assert report.messages == ["d.ann: T1 is discontinuous (2 fragments): kept as one mention over its whole "
                               "extent, fragments in its attributes"]
    export_brat(news_project, tmp_path / "out")
    assert "T1\tPerson 0 5;11 14\tLarry and" in (tmp_path / "out" / "d.ann").read_text()


@pytest.mark.parametrize("ann, message", [
    ("T1\tPerson 0 500\tx\n", "d.ann:1: T1: offsets 0-500 are past the end of the text (46 characters)"),
    ("T1\tPerson 0 5\tLarry\nT2\tAlien 6 10\tPage\n", "d.ann:2: T2: unknown entity type 'Alien'"),
    ("T1\tPerson 0 5\tLarry\nR1\tFamily Arg1:T1 Arg2:T9\t\n", "d.ann:2: refers to 'T9', which is not defined"),
    ("T1\tPerson zero five\tLarry\n", "d.ann:1: T1: bad offsets 'zero five'"),
    ("X1\tPerson 0 5\tLarry\n", "d.ann:1: unknown annotation kind 'X1'"),
])
def test_bad_ann_files_change_nothing(news_project, tmp_path: Path, ann: str, message: str):
    import_paths(news_project, [NEWS / "040-text_span_annotation.txt"], fmt="text")
    before = database_fingerprint(news_project)
    folder = tmp_path / "bad"
    folder.mkdir()
    shutil.copy(NEWS / "000-introduction.txt", folder / "a.txt")
    shutil.copy(NEWS / "000-introduction.ann", folder / "a.ann")
    (folder / "d.txt").write_text("Larry Page and Sergey Brin met in California.\n")
    (folder / "d.ann").write_text(ann)
    with pytest.raises(UserError) as caught:
        import_paths(news_project, [folder])
    assert message in str(caught.value)
    assert database_fingerprint(news_project) == before


def test_a_cancelled_export_leaves_no_folder_and_a_failed_write_is_raised(news_project, tmp_path: Path):
    from workstation.core.progress import Cancelled
    from workstation.formats.background_files import BackgroundFiles

    import_paths(news_project, [NEWS])
    exports = tmp_path / "exports"
    exports.mkdir()
    calls = iter(range(100))
    with pytest.raises(Cancelled):
        export_brat(news_project, exports / "out", cancel=lambda: next(calls) == 3)
    assert list(exports.iterdir()) == []
    with pytest.raises(FileNotFoundError), BackgroundFiles() as files:
        files.write(exports / "a.txt", "written")
        files.write(exports / "missing" / "b.txt", "not written")
    assert (exports / "a.txt").read_text() == "written"
