"""Row versions: an edit, undo or delete of a row someone else changed meanwhile is refused, on both backends."""

from __future__ import annotations

import pytest
from conftest import database_fingerprint
from sqlalchemy import select

from workstation.editing.annotations import add_alias, create_actor
from workstation.editing.commands import StaleEdit, UpdateRow
from workstation.editing.editor import Editor
from workstation.formats.importing import import_paths
from workstation.paths import SAMPLE_ARTICLE, resource
from workstation.store.models import Actor, Document, Mention


@pytest.fixture
def two_annotators(project):
    """alice and bob at work on the sample article; alice has one mention, linked to an actor."""
    import_paths(project, [resource(SAMPLE_ARTICLE)])
    with project.session() as session:
        document = session.scalars(select(Document)).one()
    alice, bob = Editor(project, "alice"), Editor(project, "bob")
    start = document.text.index("Erdogan")
    actor = create_actor(project.schema, "Recep Tayyip Erdogan", "GOV", "person")
    alice.run(actor)
    with alice.layer(document.id) as layer:
        mention = layer.create_mention(start, start + 7, "NAME", actor.rows[0][1]["id"])
    alice.run(mention)
    return project, alice, bob, document.id, mention.rows[0][1]["id"], actor.rows[0][1]["id"]


def mention_type(project, mention_id: str) -> str:
    with project.session() as session:
        return session.scalar(select(Mention.mention_type).where(Mention.id == mention_id))


def retype(project, document_id: str, mention_id: str, mention_type: str, version: int | None = None) -> UpdateRow:
    with project.session() as session:
        return UpdateRow(session, "Retype", "mention", mention_id, {"mention_type": mention_type}, document_id,
                         version)


def test_an_edit_made_on_an_older_version_is_refused_and_writes_nothing(two_annotators):
    project, alice, bob, document_id, mention_id, _ = two_annotators
    with project.session() as session:
        seen = session.scalar(select(Mention.version).where(Mention.id == mention_id))
    bob.run(retype(project, document_id, mention_id, "NOMINAL"))
    before = database_fingerprint(project)
    stale = retype(project, document_id, mention_id, "PRONOUN", version=seen)
    with pytest.raises(StaleEdit, match="someone else changed this mention since you saw it") as refused:
        alice.run(stale)
    assert refused.value.changes().touched("mention") == {mention_id}
    assert database_fingerprint(project) == before and mention_type(project, mention_id) == "NOMINAL"
    fresh = retype(project, document_id, mention_id, "PRONOUN")
    alice.run(fresh)
    assert mention_type(project, mention_id) == "PRONOUN"


def test_undo_over_someone_elses_change_is_refused(two_annotators):
    """alice's undo would put back what she had, over bob's newer change: the lost update the versions stop."""
    project, alice, bob, document_id, mention_id, _ = two_annotators
    mine = retype(project, document_id, mention_id, "NOMINAL")
    alice.run(mine)
    bob.run(retype(project, document_id, mention_id, "PRONOUN"))
    with pytest.raises(StaleEdit):
        alice.revert(mine)
    assert mention_type(project, mention_id) == "PRONOUN"


def test_a_change_that_came_back_is_still_a_change_in_between(two_annotators):
    """A-B-A: bob changes and undoes while alice holds the first version; her edit is refused all the same,
    since bob's undo wrote a version of its own (the content came back, the row was changed twice)."""
    project, alice, bob, document_id, mention_id, _ = two_annotators
    stale = retype(project, document_id, mention_id, "PRONOUN")
    theirs = retype(project, document_id, mention_id, "NOMINAL")
    bob.run(theirs)
    bob.revert(theirs)
    with pytest.raises(StaleEdit):
        alice.run(stale)
    bob.run(theirs)
    assert mention_type(project, mention_id) == "NOMINAL", "redo follows its own undo"


def test_deleting_a_changed_or_deleted_item_is_refused(two_annotators):
    project, alice, bob, document_id, mention_id, actor_id = two_annotators
    with alice.layer(document_id) as layer:
        delete = layer.delete("mention", mention_id)
    bob.run(retype(project, document_id, mention_id, "NOMINAL"))
    with pytest.raises(StaleEdit, match="changed this mention"):
        alice.run(delete)
    with alice.layer(document_id) as layer:
        delete = layer.delete("mention", mention_id)
    alice.run(delete)
    with project.session() as session:
        alias = add_alias(session, actor_id, "Erdoğan")
        with pytest.raises(StaleEdit, match="deleted this mention") as gone:
            UpdateRow(session, "Retype", "mention", mention_id, {"mention_type": "NAME"}, document_id)
    assert gone.value.changes().removed == {("mention", mention_id)}
    bob.run(alias)
    with project.session() as session:
        assert session.get(Actor, actor_id).aliases == ["Erdoğan"]


def test_on_the_undo_stack_a_refused_edit_leaves_the_stack_and_the_views_reload_the_item(two_annotators, qtbot):
    from PySide6.QtGui import QUndoStack

    from workstation.ui.undo import EditCommand

    project, alice, bob, document_id, mention_id, _ = two_annotators
    stack, changed, messages = QUndoStack(), [], []
    mine = retype(project, document_id, mention_id, "NOMINAL")
    stack.push(EditCommand(alice, mine, changed.append, messages.append))
    assert stack.count() == 1 and mention_type(project, mention_id) == "NOMINAL"
    bob.run(retype(project, document_id, mention_id, "PRONOUN"))
    stack.undo()
    assert stack.count() == 0 and not stack.canRedo(), "the refused undo is gone from the stack"
    assert mention_type(project, mention_id) == "PRONOUN"
    assert messages == ["someone else changed this mention since you saw it, so your edit was not saved; it is "
                        "shown again as it is now: make your change again if it still applies"]
    assert changed[-1].touched("mention") == {mention_id}
    stale = retype(project, document_id, mention_id, "NAME", version=1)
    stack.push(EditCommand(alice, stale, changed.append, messages.append))
    assert stack.count() == 0 and len(messages) == 2 and mention_type(project, mention_id) == "PRONOUN"
