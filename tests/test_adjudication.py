"""Adjudication: layers compared side by side, items accepted into gold, every step undoable."""

from __future__ import annotations

import pytest
from agreement_project import Layer as LayerBuilder
from agreement_project import build_two_layers
from conftest import database_fingerprint
from sqlalchemy import select

from workstation.editing.annotations import EditRefused
from workstation.editing.editor import Editor
from workstation.review.adjudication import (
    accept,
    accept_all_agreed,
    compare_layers,
    reject,
    set_gold_status,
)
from workstation.store.models import (
    GOLD,
    Actor,
    Annotator,
    Assignment,
    Document,
    Event,
    EventArgument,
    Mention,
    Stance,
)


@pytest.fixture
def two_layers(project):
    """The agreement project, plus one event on Doc B that alice and bob mark alike (source: Putin)."""
    build_two_layers(project)
    with project.session.begin() as session:
        people = {a.name: a for a in session.scalars(select(Annotator))}
        doc_b = session.scalar(select(Document).where(Document.title == "Doc B"))
        for name in ("alice", "bob"):
            layer = LayerBuilder(session, doc_b, people[name])
            putin = session.scalar(select(Mention).where(Mention.document_id == doc_b.id,
                                                         Mention.annotator_id == people[name].id,
                                                         Mention.start == 0))
            layer.event("CONSULT", "met", source=putin, location="Sochi")
    with project.session() as session:
        documents = {d.title: d.id for d in session.scalars(select(Document))}
    return project, documents


def gold_layer(project, document_id: str) -> dict[str, list[tuple]]:
    """The document's gold layer reduced to what a reader checks: mention spans, stance labels, event frames."""
    with project.session() as session:
        gold = session.scalar(select(Annotator.id).where(Annotator.name == GOLD))
        mentions = session.execute(select(Mention.start, Mention.end, Mention.mention_type, Mention.actor_id)
                                   .where(Mention.annotator_id == gold, Mention.document_id == document_id)
                                   .order_by(Mention.start)).tuples().all()
        stances = session.execute(select(Stance.label, Stance.holder_id)
                                  .where(Stance.annotator_id == gold, Stance.document_id == document_id)
                                  .order_by(Stance.label)).tuples().all()
        events = []
        for event in session.scalars(select(Event).where(Event.annotator_id == gold, Event.document_id == document_id)
                                     .order_by(Event.trigger_start)):
            arguments = session.execute(select(EventArgument.role, EventArgument.mention_id, EventArgument.start)
                                        .where(EventArgument.event_id == event.id)
                                        .order_by(EventArgument.position)).tuples().all()
            events.append((event.type, event.trigger_start, tuple(arguments)))
    return {"mentions": mentions, "stances": stances, "events": events}


def item_id(project, model, annotator: str, document_id: str, **where) -> str:
    with project.session() as session:
        who = session.scalar(select(Annotator.id).where(Annotator.name == annotator))
        query = select(model.id).where(model.annotator_id == who, model.document_id == document_id)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return session.scalars(query).one()


def test_layers_are_compared_by_signature(two_layers):
    project, documents = two_layers
    with project.session() as session:
        comparison = compare_layers(session, documents["Doc A"])
    assert comparison.layers == ["alice", "bob"]
    assert comparison.gold_status == "done" and comparison.gold_items == 1
    kinds = [row.table for row in comparison.rows]
    assert kinds == sorted(kinds, key=("mention", "stance", "event").index)
    erdogan = comparison.rows[0]
    assert (erdogan.text, erdogan.description) == ("Erdogan", "NAME · GOV · Recep Tayyip Erdogan")
    assert erdogan.agreed and erdogan.in_gold and sorted(erdogan.items) == ["alice", "bob"]
    assad = [row for row in comparison.rows if row.text == "Assad"]
    assert [(list(row.items), row.agreed) for row in assad] == [(["alice"], False), (["bob"], False)]
    agreed = [(row.table, row.description) for row in comparison.rows if row.agreed]
    assert agreed == [("mention", "NAME · GOV · Recep Tayyip Erdogan"),
                      ("stance", "THREATEN: Recep Tayyip Erdogan → Bashar al-Assad")]
    assert [row.description for row in comparison.agreed_missing()] == [agreed[1][1]]
    assert not any(row.table == "event" and row.agreed for row in comparison.rows)


def test_accepting_a_mention_a_stance_and_an_event_with_its_mentions(two_layers):
    project, documents = two_layers
    doc_a = documents["Doc A"]
    gold = Editor(project, GOLD)
    before = gold_layer(project, doc_a)
    assert len(before["mentions"]) == 1
    assad = item_id(project, Mention, "bob", doc_a, mention_type="NOMINAL", start=15)
    with project.session() as session:
        erd = session.scalar(select(Actor.id).where(Actor.name == "Recep Tayyip Erdogan"))
        command = accept(session, project.schema, gold.annotator_id, "mention", assad)
    gold.run(command)
    assert [m[:3] for m in gold_layer(project, doc_a)["mentions"]] == [(0, 7, "NAME"), (15, 20, "NOMINAL")]

    threaten = item_id(project, Stance, "bob", doc_a, label="THREATEN")
    with project.session() as session:
        gold.run(accept(session, project.schema, gold.annotator_id, "stance", threaten))
    assert gold_layer(project, doc_a)["stances"] == [("THREATEN", erd)]  # bob's merged duplicate resolved

    warned = item_id(project, Event, "alice", doc_a, type="THREATEN")
    with project.session() as session:
        command = accept(session, project.schema, gold.annotator_id, "event", warned)
    gold.run(command)
    layer = gold_layer(project, doc_a)
    assert sorted(m[:3] for m in layer["mentions"]) == [(0, 7, "NAME"), (15, 20, "NAME"), (15, 20, "NOMINAL")]
    with project.session() as session:
        by_id = {m.id: (m.start, m.end, m.mention_type) for m in session.scalars(select(Mention))}
    [(event_type, trigger, arguments)] = layer["events"]
    assert (event_type, trigger) == ("THREATEN", 8)
    assert [(role, by_id.get(mention)) for role, mention, _ in arguments] == [
        ("source", (0, 7, "NAME")), ("target", (15, 20, "NAME")), ("content", None)]
    gold.revert(command)
    assert len(gold_layer(project, doc_a)["mentions"]) == 2 and gold_layer(project, doc_a)["events"] == []


def test_accepting_what_gold_has_is_refused(two_layers):
    project, documents = two_layers
    gold = Editor(project, GOLD)
    erdogan = item_id(project, Mention, "bob", documents["Doc A"], start=0)
    with project.session() as session, pytest.raises(EditRefused, match="gold layer already has this mention"):
        accept(session, project.schema, gold.annotator_id, "mention", erdogan)
    gold_erdogan = item_id(project, Mention, GOLD, documents["Doc A"], start=0)
    with project.session() as session, pytest.raises(EditRefused, match="already in the gold layer"):
        accept(session, project.schema, gold.annotator_id, "mention", gold_erdogan)


def test_accept_all_agreed_is_one_undoable_step(two_layers):
    project, documents = two_layers
    doc_b = documents["Doc B"]
    gold = Editor(project, GOLD)
    before = database_fingerprint(project)
    with project.session() as session:
        command = accept_all_agreed(session, project.schema, gold.annotator_id, doc_b)
    gold.run(command)
    layer = gold_layer(project, doc_b)
    with project.session() as session:
        actors = dict(session.execute(select(Actor.name, Actor.id)).tuples().all())
        assert session.scalar(select(Assignment.status).where(Assignment.document_id == doc_b,
                                                              Assignment.annotator_id == gold.annotator_id)) \
            == "in_progress"
        putin = session.scalar(select(Mention.id).where(Mention.annotator_id == gold.annotator_id,
                                                   Mention.document_id == doc_b, Mention.start == 0))
    assert layer["mentions"] == [(0, 5, "NAME", actors["Vladimir Putin"]),
                                 (28, 39, "NOMINAL", actors["Russian government"])]
    assert layer["stances"] == []
    assert layer["events"] == [("CONSULT", 6, (("source", putin, None), ("location", None, 21)))]
    with project.session() as session:
        assert accept_all_agreed(session, project.schema, gold.annotator_id, doc_b) is None
        assert compare_layers(session, doc_b).gold_items == 3
    gold.revert(command)
    assert database_fingerprint(project) == before


def test_gold_status_and_removal(two_layers):
    project, documents = two_layers
    doc_a = documents["Doc A"]
    gold = Editor(project, GOLD)
    with project.session() as session:
        status = set_gold_status(session, project.schema, gold.annotator_id, doc_a, "in_progress")
    gold.run(status)
    erdogan = item_id(project, Mention, GOLD, doc_a, start=0)
    with project.session() as session:
        assert compare_layers(session, doc_a).gold_status == "in_progress"
        removal = reject(session, project.schema, gold.annotator_id, "mention", erdogan)
        alice = item_id(project, Mention, "alice", doc_a, start=0)
        with pytest.raises(EditRefused, match="not in the gold layer"):
            reject(session, project.schema, gold.annotator_id, "mention", alice)
    gold.run(removal)
    assert gold_layer(project, doc_a)["mentions"] == []
    gold.revert(removal)
    gold.revert(status)
    with project.session() as session:
        comparison = compare_layers(session, doc_a)
    assert (comparison.gold_status, comparison.gold_items) == ("done", 1)


def view_column(view, header: str) -> list[str]:
    table = view.table
    column = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())].index(header)
    return [table.item(row, column).text() for row in range(table.rowCount())]


def test_the_view_accepts_with_one_key_and_undoes_on_the_stack(two_layers, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QUndoStack

    from workstation.ui.adjudication_view import AdjudicationView
    project, documents = two_layers
    stack = QUndoStack()
    changed = []
    view = AdjudicationView(project, documents["Doc B"], stack, changed.append)
    qtbot.addWidget(view)
    view.show()
    assert [view.table.horizontalHeaderItem(c).text() for c in range(view.table.columnCount())] == [
        "", "Kind", "Text", "alice", "bob", "Gold"]
    assert view_column(view, "")[:5] == ["✓", "≠", "≠", "≠", "✓"]
    assert view_column(view, "bob")[2] == "—" and view.summary.text() == "Gold: 0 items, status new"
    before = gold_layer(project, documents["Doc B"])

    sochi = view_column(view, "Text").index("Sochi")
    view.table.setCurrentCell(sochi - 1, 0)
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert [m[:2] for m in gold_layer(project, documents["Doc B"])["mentions"]] == [(21, 26)]
    assert view_column(view, "Gold")[sochi] == "★ NAME · LOC"
    assert view.table.currentRow() == sochi + 1
    assert view.summary.text() == "Gold: 1 items, status in progress" and changed

    qtbot.mouseClick(view.accept_all_button, Qt.MouseButton.LeftButton)
    layer = gold_layer(project, documents["Doc B"])
    assert (len(layer["mentions"]), len(layer["events"])) == (3, 1)
    assert view.summary.text() == "Gold: 4 items, status in progress"
    assert not view.accept_all_button.isEnabled()
    qtbot.keyClick(view.table, Qt.Key.Key_Up)
    qtbot.keyClick(view.table, Qt.Key.Key_A)
    assert "already" in view.message.text()

    view.status_combo.setCurrentIndex(2)
    view.status_combo.activated.emit(2)
    assert view.summary.text() == "Gold: 4 items, status done"
    assert stack.count() == 3
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert view.summary.text() == "Gold: 4 items, status in progress"
    stack.undo()
    stack.undo()
    assert gold_layer(project, documents["Doc B"]) == before
    assert view.summary.text() == "Gold: 0 items, status new" and "★" not in "".join(view_column(view, "Gold"))


def test_the_view_takes_the_item_from_the_clicked_layer(two_layers, qtbot, screenshots):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QUndoStack

    from workstation.ui.adjudication_view import AdjudicationView
    project, documents = two_layers
    stack = QUndoStack()
    view = AdjudicationView(project, documents["Doc A"], stack)
    qtbot.addWidget(view)
    view.show()
    texts, bob = view_column(view, "Text"), 4
    nominal = texts.index("Assad") + 1
    assert view.table.item(nominal, bob).text() == "NOMINAL · GOV · Bashar al-Assad"
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.table.visualItemRect(view.table.item(nominal, bob)).center())
    qtbot.keyClick(view.table, Qt.Key.Key_Enter)
    russia = texts.index("Russia")
    assert view.table.item(russia, bob).text() == "—"
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.table.visualItemRect(view.table.item(russia, bob)).center())
    qtbot.keyClick(view.table, Qt.Key.Key_A)
    assert sorted(m[:3] for m in gold_layer(project, documents["Doc A"])["mentions"]) == [
        (0, 7, "NAME"), (15, 20, "NOMINAL"), (63, 69, "NAME")]
    assert view.summary.text() == "Gold: 3 items, status done"
    view.table.setCurrentCell(view_column(view, "Kind").index("event") + 1, bob)
    view.resize(1200, 600)
    view.grab().save(str(screenshots / "adjudication.png"))
