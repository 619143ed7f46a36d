"""Native JSONL: lossless round trip (fixture and generated), merge of known documents, filters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DATA, database_fingerprint
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workstation.core.errors import UserError
from workstation.formats.importing import import_paths
from workstation.formats.jsonl import export_jsonl
from workstation.store.models import Actor, Document, Event, Mention, Stance
from workstation.store.project import open_project

TWO_LAYERS = DATA / "two_layers.jsonl"


def parsed(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_two_layer_file_round_trips(project, tmp_path: Path):
    report = import_paths(project, [TWO_LAYERS])
    assert (report.added, report.items_added) == (2, 12)
    out = tmp_path / "out.jsonl"
    assert export_jsonl(project, out).documents == 2
    assert parsed(out) == parsed(TWO_LAYERS)


def test_stored_rows_use_uuids_code_points_and_derived_polarity(project):
    import_paths(project, [TWO_LAYERS])
    with project.session() as session:
        mention = session.query(Mention).filter_by(external_id="M03", mention_type="NAME").one()
        stance = session.query(Stance).filter_by(label="THREATEN").one()
        event = session.query(Event).filter_by(type="THREATEN").one()
    text = parsed(TWO_LAYERS)[0]["text"]
    assert text[mention.start:mention.end] == "Russia"
    assert len(mention.id) == 36 and mention.label == "STATE"
    assert stance.polarity == -1
    assert event.attributes == {"realis": "actual", "negated": False, "mode": ["violence"]}


def test_reimport_changes_nothing_and_new_layers_merge_into_known_documents(project, tmp_path: Path):
    import_paths(project, [TWO_LAYERS])
    before = database_fingerprint(project)
    again = import_paths(project, [TWO_LAYERS])
    assert (again.added, again.duplicates, again.items_added, again.items_changed) == (0, 2, 0, 0)
    assert database_fingerprint(project) == before

    line = parsed(TWO_LAYERS)[1]
    line["layers"] = [{"annotator": "carol", "status": "done", "mentions": [
        {"id": "M1", "start": 0, "end": 6, "type": "NAME", "label": "STATE"}]}]
    extra = tmp_path / "carol.jsonl"
    extra.write_text(json.dumps(line) + "\n")
    report = import_paths(project, [extra])
    assert (report.added, report.duplicates, report.items_added) == (0, 1, 1)
    out = tmp_path / "out.jsonl"
    export_jsonl(project, out, layer="carol", status="done")
    [exported] = parsed(out)
    assert exported["id"] == "doc-2"
    assert [layer["annotator"] for layer in exported["layers"]] == ["carol"]


def test_layer_and_status_filters(project, tmp_path: Path):
    import_paths(project, [TWO_LAYERS])
    out = tmp_path / "out.jsonl"
    assert export_jsonl(project, out, layer="bob").documents == 2
    assert [[layer["annotator"] for layer in doc["layers"]] for doc in parsed(out)] == [["bob"], []]
    assert export_jsonl(project, out, layer="alice", status="done").documents == 1
    assert export_jsonl(project, out, status="skipped").documents == 0


text_chars = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))


@st.composite
def documents(draw: st.DrawFn) -> dict:
    """A canonical line with random text (emoji, combining marks) and valid random annotations."""
    text = draw(st.text(text_chars, min_size=2, max_size=40).filter(lambda t: t.strip()))
    import unicodedata
    text = unicodedata.normalize("NFC", text).replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    n = len(text)
    span = st.tuples(st.integers(0, n - 1), st.integers(1, n)).map(sorted).filter(lambda s: s[0] < s[1])
    spans = draw(st.lists(span, max_size=4))
    actor = {"id": "A1", "name": draw(st.text(text_chars, max_size=8)), "type": "GOV", "kind": None,
             "country": None, "code": None, "aliases": [], "description": None, "merged_into": None}
    mentions = [{"id": f"M{i}", "start": s, "end": e, "type": draw(st.sampled_from(["NAME", "PRONOUN", None])),
                 "actor": "A1", "attributes": {}} for i, (s, e) in enumerate(spans)]
    events = [{"id": f"E{i}", "type": "ACCUSE", "trigger": {"start": s, "end": e},
               "arguments": [{"role": "source", "mention": m["id"]} for m in mentions[:1]],
               "attributes": {"negated": draw(st.booleans())}, "date": None} for i, (s, e) in enumerate(spans[:2])]
    layers = [{"annotator": name, "status": draw(st.sampled_from(["new", "in_progress", "done", "skipped"])),
               "mentions": mentions, "stances": [], "events": events, "relations": [], "mention_relations": []}
              for name in sorted(draw(st.lists(st.sampled_from(["ann", "bea"]), unique=True, max_size=2)))]
    return {"id": "d", "text": text,
            "meta": {"title": draw(st.text(text_chars, max_size=10)), "published": None, "date_raw": None,
                     "date_ambiguous": False, "source": None, "url": None, "language": "en"},
            "actors": [actor] if mentions and layers else [], "layers": layers}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=documents())
def test_generated_documents_round_trip(template_project: Path, tmp_path_factory, line: dict):
    folder = tmp_path_factory.mktemp("rt")
    project_file = folder / "p.sqlite"
    project_file.write_bytes(template_project.read_bytes())
    source = folder / "in.jsonl"
    source.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    with open_project(project_file) as project:
        import_paths(project, [source])
        out = folder / "out.jsonl"
        export_jsonl(project, out)
    assert parsed(out) == [line]


def test_registry_entries_without_mentions_survive_a_round_trip(project, tmp_path: Path):
    lines = parsed(TWO_LAYERS)
    lines[1]["actors"] = [{"id": "A09", "name": "Iran", "type": "STATE", "kind": "state", "country": "IRN",
                           "code": "IRN", "aliases": [], "description": None, "merged_into": None}]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    import_paths(project, [source])
    out = tmp_path / "out.jsonl"
    export_jsonl(project, out)
    exported = parsed(out)
    assert [actor["id"] for actor in exported[0]["actors"]] == ["A01", "A02", "A03", "A09"]
    second = tmp_path / "second.sqlite"
    from workstation.store.project import create_project
    with create_project(second) as other:
        import_paths(other, [out])
        export_jsonl(other, tmp_path / "again.jsonl")
    assert parsed(tmp_path / "again.jsonl") == exported


def test_an_actor_repeated_on_every_line_is_stored_once_and_a_later_change_wins(project, tmp_path: Path):
    first, second = parsed(TWO_LAYERS)
    renamed = [{**actor, "name": actor["name"] + " (renamed)"} if actor["id"] == "A01" else actor
               for actor in first["actors"]]
    second["actors"] = first["actors"] + [actor for actor in second["actors"] if actor not in first["actors"]]
    third = {"text": "Third article.", "actors": renamed}
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in (first, second, third)))
    import_paths(project, [source])
    with project.session() as session:
        names = dict(session.query(Actor.external_id, Actor.name))
    assert len(names) == len({actor["id"] for line in (first, second) for actor in line["actors"]})
    assert names["A01"].endswith(" (renamed)")


def test_lines_end_only_at_newlines_and_may_carry_a_bom_and_crlf(project, tmp_path: Path):
    """U+2028 and U+0085 are legal unescaped in a JSON string: they must not cut the line."""
    lines = [{"text": "First.", "meta": {"title": "a\u2028b\x85c"}}, {"text": "Second."}]
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\xef\xbb\xbf" + "".join(json.dumps(line, ensure_ascii=False) + "\r\n"
                                                 for line in lines).encode())
    assert import_paths(project, [source]).added == 2
    with project.session() as session:
        assert session.query(Document.title).filter_by(text="First.").scalar() == "a\u2028b\x85c"


def test_invalid_utf8_names_its_line_and_file_offset(project, tmp_path: Path):
    source = tmp_path / "in.jsonl"
    source.write_bytes(b'{"text": "ok"}\n{"text": "bad \xff"}\n')
    with pytest.raises(UserError, match=r"in.jsonl:2: invalid UTF-8 \(byte 0xff at offset 29\)"):
        import_paths(project, [source])


def test_where_items_came_from_survives_a_round_trip(project, tmp_path: Path):
    """Manual and accepted suggestions keep their origin and suggester through export and import; items of a
    file that says nothing stay imported; an unknown origin is refused with its place named."""
    line = parsed(TWO_LAYERS)[0]
    mentions, events = line["layers"][0]["mentions"], line["layers"][0]["events"]
    mentions[0].update(origin="manual")
    mentions[1].update(origin="suggested", suggester="registry")
    events[0].update(origin="suggested", suggester="triggers")
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(line) + "\n", encoding="utf-8")
    import_paths(project, [source])
    with project.session() as session:
        stored = {(row.origin, row.suggester) for row in session.query(Mention)}
        assert session.query(Event.origin, Event.suggester).first() == ("suggested", "triggers")
    assert stored == {("manual", None), ("suggested", "registry"), ("imported", None)}
    out = tmp_path / "out.jsonl"
    export_jsonl(project, out)
    assert parsed(out) == [line]

    mentions[0]["origin"] = "guessed"
    source.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(UserError, match=f"mention {mentions[0]['id']}: unknown origin 'guessed'"):
        import_paths(project, [source])
