"""Stale edits are judged by what the view showed: client A edits an item client B changed after A's view read
it, and the edit is refused (nothing written, the undo stack as it was) and A's view shows B's version.

On a server the two clients are two connections (A's live updates held back, as a notice still on its way);
on a file, B is a second editor of the same project, whose writes A's view is not told of."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from conftest import database_fingerprint
from sqlalchemy import select

from workstation.core.span_index import EVIDENCE, MENTION
from workstation.editing.annotations import add_alias, create_actor
from workstation.editing.commands import UpdateRow
from workstation.editing.editor import Editor
from workstation.formats.importing import import_paths
from workstation.paths import SAMPLE_ARTICLE, resource
from workstation.store.models import Actor, Mention, Stance
from workstation.store.project import Project, open_project
from workstation.store.project_ref import is_server_url
from workstation.ui.main_window import MainWindow

REFUSED = "someone else changed this {} since you saw it, so your edit was not saved"


@pytest.fixture
def client_a(project_ref, qtbot, isolated_qt) -> Iterator[MainWindow]:
    """A's window on the sample article, with a mention, an actor and a stance of A's made through it."""
    with open_project(project_ref) as project:
        import_paths(project, [resource(SAMPLE_ARTICLE)])
    win = MainWindow()
    qtbot.addWidget(win)
    win.annotator = "alice"
    assert win.open_project(project_ref)
    win.show()
    if win.live is not None:
        win.live.notifier.setEnabled(False)
    controller, text = win.annotation, win.text_view.text
    start = text.index("Erdogan")
    controller.finish_mention((start, start + 7), "NAME", None)
    win.annotation.push(create_actor(win.project.schema, "Recep Tayyip Erdogan", "GOV", "person"))
    holder = win.actors.rows.values()[0].id
    controller.finish_stance((start, start + 20), {"holder_id": holder, "label": "THREATEN", "issue": "the war"})
    yield win
    win.close()


@contextmanager
def client_b(window: MainWindow, project_ref) -> Iterator[Project]:
    """B's own connection to a server project; on a file, the project A has open (its lock allows no other)."""
    if is_server_url(project_ref):
        with open_project(project_ref) as other:
            yield other
    else:
        yield window.project


def b_changes(project: Project, annotator: str, table: str, item_id: str, values: dict) -> None:
    with project.session() as session:
        command = UpdateRow(session, "B's edit", table, item_id, values)
    Editor(project, annotator).run(command)


def test_an_edit_of_an_item_changed_since_the_view_read_it_is_refused_and_the_view_shows_the_change(
        client_a: MainWindow, project_ref):
    win, controller = client_a, client_a.annotation
    [mention] = [span for span in win.text_view.index.all_spans() if span.kind == MENTION]
    actor = win.actors.rows.values()[0]
    steps = controller.stack.count()
    with client_b(win, project_ref) as other:
        b_changes(other, win.annotator, "mention", mention.item_id, {"mention_type": "NOMINAL"})
        before = database_fingerprint(win.project)
        controller.finish_link(mention.item_id, actor.id)
        assert win.statusBar().currentMessage().startswith(REFUSED.format("mention"))
        assert controller.stack.count() == steps, "the refused edit is not on the undo stack"
        assert database_fingerprint(win.project) == before, "nothing written"
        [shown] = win.text_view.index.spans_of(mention.item_id)
        assert shown.tag == "NOMINAL" and shown.version != mention.version, "A's view shows B's version"
        with win.project.session() as session:
            assert session.get(Mention, mention.item_id).actor_id is None
        controller.finish_link(mention.item_id, actor.id)
        assert controller.stack.count() == steps + 1, "seen afresh, the same edit goes through"
        with win.project.session() as session:
            assert session.get(Mention, mention.item_id).actor_id == actor.id

        [stance] = win.frames.items_of_kind("stance")
        b_changes(other, win.annotator, "stance", stance.item_id, {"strength": 3})
        before = database_fingerprint(win.project)
        controller.finish_stance_edit(stance.item_id, {"holder_id": actor.id, "label": "THREATEN",
                                                       "issue": "the war", "strength": 1})
        assert win.statusBar().currentMessage().startswith(REFUSED.format("stance"))
        assert database_fingerprint(win.project) == before and controller.stack.count() == steps + 1
        assert "strength 3" in win.frames.item(stance.item_id).summary, "the tree shows B's stance"

        [evidence] = [span for span in win.text_view.index.all_spans() if span.kind == EVIDENCE]
        b_changes(other, win.annotator, "stance", stance.item_id, {"strength": 2})
        win.text_view.select_span(evidence.start + 9, evidence.start + 10)
        assert [span.kind for span in win.text_view.index.at(win.text_view.cursor_offset())] == [EVIDENCE]
        controller.delete_at_cursor()
        assert controller.stack.count() == steps + 1
        assert win.statusBar().currentMessage().startswith(REFUSED.format("stance"))
        with win.project.session() as session:
            assert session.get(Stance, stance.item_id) is not None, "not deleted"

        entry = win.actors.rows.get(actor.id)
        with other.session() as session:
            alias = add_alias(session, actor.id, "Erdoğan")
        Editor(other, "bob").run(alias)
        win.actors.add_alias(actor.id, "Tayyip")
        assert win.statusBar().currentMessage().startswith(REFUSED.format("registry entry"))
        assert win.actors.rows.get(actor.id).aliases == ("Erdoğan",) != entry.aliases
        with win.project.session() as session:
            assert session.scalar(select(Actor.aliases).where(Actor.id == actor.id)) == ["Erdoğan"]
