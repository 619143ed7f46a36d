"""Edit commands: each writes at once, undoes to the exact previous rows, redoes, and refuses bad edits."""

from __future__ import annotations

import pytest
from conftest import database_fingerprint

from workstation.editing.annotations import EditRefused, add_alias, create_actor, merge_actors
from workstation.editing.editor import Editor
from workstation.formats.importing import import_paths
from workstation.paths import SAMPLE_ARTICLE, resource
from workstation.store.models import Actor, Assignment, Document, Event, EventArgument, Mention, Stance


@pytest.fixture
def sample(project):
    import_paths(project, [resource(SAMPLE_ARTICLE)])
    with project.session() as session:
        document = session.query(Document).one()
    return project, document.id, document.text


def run_and_check_undo(editor: Editor, command) -> None:
    """Run, undo (database back to the same bytes of content), redo."""
    before = database_fingerprint(editor.project)
    editor.run(command)
    assert database_fingerprint(editor.project) != before
    editor.revert(command)
    assert database_fingerprint(editor.project) == before
    editor.run(command)


def test_the_issue_scenario_each_step_undoable(sample):
    project, doc_id, text = sample
    editor = Editor(project, "alice")
    before_anything = database_fingerprint(project)
    headline = text.index("Erdogan")
    erdogan = create_actor(project.schema, "Recep Tayyip Erdogan", "GOV", "person", "TUR", "TURGOV")
    syria = create_actor(project.schema, "Syrian military", "MIL", "organization", "SYR")
    for command in (erdogan, syria):
        run_and_check_undo(editor, command)
    erdogan_id, syria_id = erdogan.rows[0][1]["id"], syria.rows[0][1]["id"]
    with editor.layer(doc_id) as layer:
        mention = layer.create_mention(headline, headline + 7, "NAME", erdogan_id)
    run_and_check_undo(editor, mention)
    trigger = text.index("Threatens")
    with editor.layer(doc_id) as layer:
        event = layer.create_event("THREATEN", (trigger, trigger + 9), {"realis": "actual", "mode": ["violence"]},
                                   [("source", mention.rows[0][1]["id"]), ("content", (trigger + 13, trigger + 25))])
        stance = layer.create_stance(erdogan_id, "THREATEN", syria_id, strength=3,
                                     evidence=(headline, trigger + 42))
        done = layer.set_status("done")
    for command in (event, stance, done):
        run_and_check_undo(editor, command)
    with project.session() as session:
        stored = session.query(Mention).one()
        assert (text[stored.start:stored.end], stored.label, stored.mention_type) == ("Erdogan", "GOV", "NAME")
        assert [a.role for a in session.query(EventArgument).order_by(EventArgument.position)] == ["source",
                                                                                                    "content"]
        assert session.query(Stance).one().polarity == -1
        assert session.query(Assignment).one().status == "done"
    for command in (done, stance, event, mention, syria, erdogan):
        editor.revert(command)
    assert database_fingerprint(project) == before_anything


def test_deleting_a_mention_takes_its_arguments_and_undo_brings_them_back(sample):
    project, doc_id, text = sample
    editor = Editor(project, "alice")
    with editor.layer(doc_id) as layer:
        mention = layer.create_mention(0 + text.index("Erdogan"), text.index("Erdogan") + 7, "NAME", label="GOV")
    editor.run(mention)
    with editor.layer(doc_id) as layer:
        event = layer.create_event("ACCUSE", (text.index("accused"), text.index("accused") + 7), {},
                                   [("source", mention.rows[0][1]["id"])])
    editor.run(event)
    with editor.layer(doc_id) as layer:
        delete = layer.delete("mention", mention.rows[0][1]["id"])
    run_and_check_undo(editor, delete)
    with project.session() as session:
        assert session.query(EventArgument).count() == 0
    editor.revert(delete)
    with project.session() as session:
        assert session.query(EventArgument).one().mention_id == mention.rows[0][1]["id"]


def test_merge_moves_mentions_and_stances_and_keeps_the_merged_actor(sample):
    project, doc_id, text = sample
    editor = Editor(project, "alice")
    first, second = (create_actor(project.schema, name, "GOV") for name in ("Erdogan", "R. T. Erdogan"))
    editor.run(first)
    editor.run(second)
    a, b = first.rows[0][1]["id"], second.rows[0][1]["id"]
    with editor.layer(doc_id) as layer:
        mention = layer.create_mention(text.index("Erdogan"), text.index("Erdogan") + 7, "NAME", b)
    editor.run(mention)
    with editor.layer(doc_id) as layer:
        editor.run(layer.create_stance(b, "CRITICIZE", issue="the Sochi agreement"))
    with project.session() as session:
        merge = merge_actors(session, b, a)
        alias = add_alias(session, a, "Turkish President")
    run_and_check_undo(editor, merge)
    run_and_check_undo(editor, alias)
    with project.session() as session:
        assert session.query(Mention).one().actor_id == a
        assert session.query(Stance).one().holder_id == a
        assert session.get(Actor, b).merged_into == a
        assert session.get(Actor, a).aliases == ["Turkish President"]


@pytest.mark.parametrize("build, message", [
    (lambda layer, n: layer.create_mention(5, n + 1, "NAME"), "outside the text"),
    (lambda layer, n: layer.create_mention(5, 5, "NAME"), "outside the text"),
    (lambda layer, n: layer.create_mention(0, 5, "TITLE"), "unknown mention type 'TITLE'"),
    (lambda layer, n: layer.create_stance(None, "THREATEN", issue="x"), "a stance needs a holder"),
    (lambda layer, n: layer.create_event("THREATEN", (0, 5), {}, [("destination", (0, 3))]),
     "event type THREATEN has no role 'destination'"),
    (lambda layer, n: layer.create_event("THREATEN", (0, 5), {"mode": ["visit"]}), "mode 'visit'"),
    (lambda layer, n: layer.set_status("finished"), "unknown status 'finished'"),
])
def test_invalid_edits_are_refused_with_a_message(sample, build, message: str):
    project, doc_id, text = sample
    editor = Editor(project, "alice")
    before = database_fingerprint(project)
    with editor.layer(doc_id) as layer, pytest.raises(EditRefused, match=message):
        build(layer, len(text))
    assert database_fingerprint(project) == before


def test_actor_edits_are_checked_against_the_schema(project):
    with pytest.raises(EditRefused, match="unknown actor type 'ALIEN'"):
        create_actor(project.schema, "X", "ALIEN")
    with pytest.raises(EditRefused, match="needs a name"):
        create_actor(project.schema, "  ", "GOV")


def test_linking_a_mention_sets_its_label_from_the_actor(sample):
    project, doc_id, text = sample
    editor = Editor(project, "alice")
    actor = create_actor(project.schema, "Russia", "STATE", "state", "RUS")
    editor.run(actor)
    start = text.index("Russia")
    with editor.layer(doc_id) as layer:
        mention = layer.create_mention(start, start + 6, "NAME")
    editor.run(mention)
    with editor.layer(doc_id) as layer:
        link = layer.link_mention(mention.rows[0][1]["id"], actor.rows[0][1]["id"])
    run_and_check_undo(editor, link)
    with project.session() as session:
        assert (session.query(Mention).one().label, session.query(Mention).one().actor_id) == (
            "STATE", actor.rows[0][1]["id"])


def test_editing_an_events_arguments_or_relations_changes_the_event(sample):
    project, doc_id, text = sample
    editor = Editor(project, "alice")
    trigger = text.index("accused")
    with editor.layer(doc_id) as layer:
        first = layer.create_event("ACCUSE", (trigger, trigger + 7), {})
        second = layer.create_event("THREATEN", (text.index("threatened"), text.index("threatened") + 10), {})
    editor.run(first)
    editor.run(second)
    event_id = first.rows[0][1]["id"]

    def stamp() -> object:
        with project.session() as session:
            return session.get(Event, event_id).updated_at

    created = stamp()
    with editor.layer(doc_id) as layer:
        argument = layer.add_argument(event_id, "ACCUSE", "source", (0, 5))
    run_and_check_undo(editor, argument)
    with editor.layer(doc_id) as layer:
        relation = layer.create_relation("CAUSE", event_id, second.rows[0][1]["id"])
    editor.run(relation)
    changed = stamp()
    assert changed > created
    with project.session() as session:
        argument_id = session.query(EventArgument).one().id
    with editor.layer(doc_id) as layer:
        removal = layer.delete("event_argument", argument_id)
    editor.run(removal)
    assert stamp() > changed
    editor.revert(removal)
    assert stamp() == changed


def test_the_annotator_row_comes_with_the_first_edit_and_goes_with_its_undo(sample):
    from workstation.store.models import Annotator
    project, doc_id, text = sample

    def names() -> list[str]:
        with project.session() as session:
            return [annotator.name for annotator in session.query(Annotator)]
    editor = Editor(project, "carol")
    assert names() == []
    with editor.layer(doc_id) as layer:
        first = layer.set_status("in_progress")
    editor.run(first)
    with editor.layer(doc_id) as layer:
        second = layer.create_mention(0, 5, "NAME", None, label="STATE")
    editor.run(second)
    assert names() == ["carol"]
    editor.revert(first)
    assert names() == ["carol"], "the mention still refers to the row"
    editor.revert(second)
    assert names() == ["carol"]
    again = Editor(project, "carol")
    assert again.annotator_id == editor.annotator_id
    registered = Editor(project, "carol")
    registered.run(create_actor(project.schema, "Someone", "GOV", "person", "TUR"))
    assert names() == ["carol"], "an editor's first edit under a stored name writes into that layer"
