"""Suggestions from the actor registry: exact spans over names, aliases, possessives and overlaps; names learned
from the work; what a layer holds or rejected is left out; accepted ones carry their origin into exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import write_jsonl
from suggestion_project import FIRST, SECOND, at, build, ids

from workstation.cli import main
from workstation.core.errors import UserError
from workstation.core.suggestions import Suggestion
from workstation.editing.annotations import EditRefused
from workstation.editing.editor import Editor
from workstation.editing.suggestion_edits import accept, accept_all, forget_name, reject
from workstation.formats.importing import import_paths
from workstation.nlp.registry_suggester import RegistrySuggester
from workstation.nlp.suggesting import RegistrySource, suggest_document, suggest_documents
from workstation.nlp.trigger_lexicon import TriggerSuggester, build_lexicon
from workstation.store.models import Event, Mention
from workstation.store.suggestion_names import ActorNames, suggestion_names


@pytest.fixture
def known(project, tmp_path: Path) -> dict[str, str]:
    build(project, tmp_path)
    return ids(project)


def spans(suggestions: list[Suggestion], text: str) -> list[tuple[str, str, float]]:
    return [(text[s.start:s.end], s.actor_id, s.score) for s in suggestions]


def test_names_aliases_possessives_acronyms_and_overlaps_give_exact_spans(project, known):
    found = suggest_documents(project)[0].suggestions
    a1, a2, a3 = known["A1"], known["A2"], known["A3"]
    assert [(s.start, s.end) for s in found] == [
        at(FIRST, "Turkey"), at(FIRST, "Recep Tayyip Erdogan"), at(FIRST, "US"), at(FIRST, "Ankara"),
        at(FIRST, "Erdogan", 1), at(FIRST, "United States"), at(FIRST, "Reis"), at(FIRST, "Erdogan", 2)]
    assert spans(found, FIRST) == [("Turkey", a1, 1.0), ("Recep Tayyip Erdogan", a2, 1.0), ("US", a3, 1.0),
                                   ("Ankara", a1, 1.0), ("Erdogan", a2, 1.0), ("United States", a3, 1.0),
                                   ("Reis", a2, 0.8), ("Erdogan", a2, 1.0)]
    assert {s.type for s in found} == {"NAME"}


def test_offsets_are_code_points_after_an_emoji():
    suggester = RegistrySuggester()
    suggester.update({"X": ActorNames("X", "GOV", ("Erdogan",), ())})
    text = "😀 e\u0301 Erdogan"
    [found] = suggester.suggest(text)
    assert text[found.start:found.end] == "Erdogan" and found.start == 5


def test_learned_names_are_kept_apart_and_can_be_forgotten(project, known):
    with project.session() as session:
        names = suggestion_names(session)[known["A2"]]
        assert names.curated == ("Recep Tayyip Erdogan", "Erdogan") and names.learned == ("Reis",)
        command = forget_name(session, known["A2"], "Reis")
    editor = Editor(project, "alice")
    editor.run(command)
    source = RegistrySource()
    with project.session() as session:
        assert suggestion_names(session)[known["A2"]].learned == ()
        assert "Reis" not in [FIRST[s.start:s.end] for s in suggest_document(
            session, source, known["D1"], FIRST, "en", None)]
    editor.revert(command)
    source.changed([known["A2"]])
    with project.session() as session:
        assert "Reis" in [FIRST[s.start:s.end] for s in suggest_document(session, source, known["D1"], FIRST, "en",
                                                                         None)]


def test_the_suggester_is_rebuilt_only_for_the_actors_that_changed(project, known):
    source = RegistrySource()
    with project.session() as session:
        suggester = source.suggester(session, "en")
        assert not suggester.suggest(SECOND + " Istanbul")[1:]
    editor = Editor(project, "alice")
    with editor.layer(known["D2"]) as layer:
        istanbul = at(SECOND, "Istanbul")
        editor.run(layer.create_mention(*istanbul, "NAME", known["A1"]))
    with project.session() as session:
        before = suggester.actors[known["A3"]]
        source.changed([known["A1"]])
        suggester = source.suggester(session, "en")
        assert suggester.actors[known["A3"]] is before
        assert suggester.actors[known["A1"]].learned == ("Istanbul",)


def test_what_the_layer_holds_or_rejected_is_left_out_and_accepted_ones_say_where_they_came_from(project, known):
    editor = Editor(project, "alice")
    first = suggest_documents(project, layer=None)[0].suggestions
    with editor.layer(known["D1"]) as layer:
        editor.run(accept(layer, first[0]))
        editor.run(reject(layer, first[2]))
        editor.run(layer.create_mention(*at(FIRST, "president Recep Tayyip Erdogan"), "NOMINAL", known["A2"]))
    left = suggest_documents(project, layer="alice")[0].suggestions
    assert [FIRST[s.start:s.end] for s in left] == ["Ankara", "Erdogan", "United States", "Reis", "Erdogan"]
    with project.session() as session:
        accepted = session.query(Mention).filter(Mention.origin == "suggested").one()
        assert (accepted.start, accepted.end, accepted.label, accepted.suggester) == (0, 6, "STATE", "registry")
    with editor.layer(known["D1"]) as layer:
        step = accept_all(layer, [s for s in left if s.actor_id == known["A2"]], "Recep Tayyip Erdogan")
    editor.run(step)
    assert [FIRST[s.start:s.end] for s in suggest_documents(project, layer="alice")[0].suggestions] == [
        "Ankara", "United States"]
    editor.revert(step)
    assert len(suggest_documents(project, layer="alice")[0].suggestions) == 5
    with editor.layer(known["D1"]) as layer, pytest.raises(EditRefused):
        accept_all(layer, [], "nobody")


def test_unknown_layer_suggester_or_search_is_a_clear_mistake(project, known):
    with pytest.raises(UserError, match="no layer 'zed'"):
        suggest_documents(project, layer="zed")
    with pytest.raises(UserError, match="no suggester .tiny. .* models: none yet"):
        suggest_documents(project, source="tiny")
    with pytest.raises(UserError, match="no documents match"):
        suggest_documents(project, search="nowhere")


def test_cli_prints_counts_or_one_json_array(project, project_ref, known, capsys):
    path = str(project_ref)
    project.close()
    assert main(["suggest", path, "--documents", "Reis"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "NAME\t9" and "9 suggestion(s) in 2 document(s)" in out
    assert main(["suggest", path, "--layer", "bob", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 8 and rows[0] == {"document": known["D1"], "start": 0, "end": 6, "type": "NAME",
                                          "actor": known["A1"], "source": "registry", "score": 1.0}
    assert main(["suggest", path, "--layer", "nobody"]) == 2
    assert "no layer 'nobody'" in capsys.readouterr().err


def test_trigger_lexicon_suggests_event_types_with_their_share_as_confidence(project, tmp_path: Path, capsys):
    text = "Ankara accused Moscow. Paris accused Rome. Berlin accused Oslo. Critics accused nobody. They met."
    events = [{"id": f"E{n}", "type": "ACCUSE", "trigger": {"start": start, "end": start + 7}, "arguments": [],
               "attributes": {}} for n, start in enumerate(at(text, "accused", k)[0] for k in range(3))]
    events.append({"id": "E9", "type": "CONSULT", "trigger": {"start": text.index("met"), "end": text.index("met")
                                                              + 3}, "arguments": [], "attributes": {}})
    later = "The minister accused the army and met the press."
    import_paths(project, [write_jsonl(tmp_path, [
        {"id": "T1", "text": text, "layers": [{"annotator": "gold", "events": events}]}, {"id": "T2", "text": later}])])
    with project.session() as session:
        lexicon = build_lexicon(session)
    assert (lexicon["accused"].type, lexicon["accused"].seen, lexicon["accused"].occurrences) == ("ACCUSE", 3, 4)
    assert lexicon["met"].seen == 1
    [accused] = TriggerSuggester(lexicon).suggest(later)
    assert (later[accused.start:accused.end], accused.type, accused.score, accused.kind) == (
        "accused", "ACCUSE", 0.75, "event")
    documents = {entry.document_id: entry.suggestions for entry in suggest_documents(project, layer="gold")}
    t1, t2 = ids(project)["T1"], ids(project)["T2"]
    assert [(s.start, s.type) for s in documents[t1]] == [(at(text, "accused", 3)[0], "ACCUSE")]
    assert [s.type for s in documents[t2]] == ["ACCUSE"]
    editor = Editor(project, "gold")
    with editor.layer(t2) as layer:
        editor.run(accept(layer, documents[t2][0]))
    with project.session() as session:
        event = session.query(Event).filter(Event.document_id == t2).one()
        assert (event.type, event.origin, event.suggester, event.trigger_start) == ("ACCUSE", "suggested",
                                                                                    "triggers", accused.start)
    assert not [s for s in suggest_documents(project, layer="gold")[1].suggestions if s.kind == "event"]
