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
    reject,
    set_gold_status,
)
from workstation.review.adjudication_rows import compare_layers
from workstation.store.engine import driver_connection
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
    [assad] = assad  # a near miss: one row, the difference named
    assert (sorted(assad.items), assad.agreed, assad.differing()) == (["alice", "bob"], False, {"type"})
    assert [version.fields["type"] for version in assad.versions.values()] == ["NAME", "NOMINAL"]
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
    return [table.item(row, column).text().split("\n")[0] for row in range(table.rowCount())]


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
    assert view_column(view, "")[:5] == ["✓", "≠", "≠", "✓", "≠"]
    assert view_column(view, "alice")[2] == "—" and view.summary.text() == "Gold: 0 items, status new"
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
    nominal = texts.index("Assad")
    assert view.table.item(nominal, bob).text() == "NOMINAL · GOV · Bashar al-Assad\nspan 15–20 · type NOMINAL"
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


@pytest.fixture
def related(two_layers):
    """Doc A with a CAUSE relation (threat → strike) in alice's and bob's layers; alice's strike carries a
    date and attributes, her threat stance an evidence span."""
    from workstation.store.models import EventRelation

    project, documents = two_layers
    doc_a = documents["Doc A"]
    with project.session.begin() as session:
        for name in ("alice", "bob"):
            who = session.scalar(select(Annotator.id).where(Annotator.name == name))
            events = {event.type: event for event in session.scalars(
                select(Event).where(Event.document_id == doc_a, Event.annotator_id == who))}
            session.add(EventRelation(document_id=doc_a, annotator_id=who, type="CAUSE",
                                      from_event_id=events["THREATEN"].id, to_event_id=events["ASSAULT"].id))
            if name == "alice":
                events["ASSAULT"].date = "2020-02"
                events["ASSAULT"].attributes = {"realis": "future", "negated": False}
                stance = session.scalar(select(Stance).where(Stance.annotator_id == who, Stance.label == "THREATEN"))
                stance.evidence_start, stance.evidence_end, stance.strength = 0, 14, 3
    return project, documents


def gold_relations(project, document_id: str) -> list[tuple[str, str, str]]:
    """(type, from event type, to event type) of gold's relations on the document."""
    from workstation.store.models import EventRelation

    with project.session() as session:
        gold = session.scalar(select(Annotator.id).where(Annotator.name == GOLD))
        types = dict(session.execute(select(Event.id, Event.type)).tuples().all())
        return [(relation.type, types[relation.from_event_id], types[relation.to_event_id]) for relation in
                session.scalars(select(EventRelation).where(EventRelation.annotator_id == gold,
                                                            EventRelation.document_id == document_id))]


def test_relations_come_with_their_events_and_wait_for_both(related):
    from workstation.store.models import EventRelation

    project, documents = related
    doc_a = documents["Doc A"]
    gold = Editor(project, GOLD)
    alice_relation = item_id(project, EventRelation, "alice", doc_a, type="CAUSE")
    before = database_fingerprint(project)
    with project.session() as session, pytest.raises(EditRefused, match="accept the first event of this relation "
                                                                          "\\(THREATEN “warned”\\) into gold first"):
        accept(session, project.schema, gold.annotator_id, "event_relation", alice_relation)
    assert database_fingerprint(project) == before

    threat = item_id(project, Event, "alice", doc_a, type="THREATEN")
    with project.session() as session:
        gold.run(accept(session, project.schema, gold.annotator_id, "event", threat))
    assert gold_relations(project, doc_a) == []
    with project.session() as session, pytest.raises(EditRefused, match="the second event .*ASSAULT “strike”"):
        accept(session, project.schema, gold.annotator_id, "event_relation", alice_relation)

    # bob's strike is accepted; his relation joins it to bob's threat, whose row gold holds (alice's near miss)
    bobs_strike = item_id(project, Event, "bob", doc_a, type="ASSAULT")
    with project.session() as session:
        strike = accept(session, project.schema, gold.annotator_id, "event", bobs_strike)
    gold.run(strike)
    assert gold_relations(project, doc_a) == [("CAUSE", "THREATEN", "ASSAULT")]
    with project.session() as session:
        [row] = [row for row in compare_layers(session, doc_a).rows if row.table == "event_relation"]
        # one row: the same type between near-miss events; the threat's trigger is where they differ
        assert (sorted(row.items), row.in_gold, row.agreed, row.differing()) == (["alice", "bob"], True, False,
                                                                                 {"from"})
        assert row.gold.description == "CAUSE: THREATEN “warned” → ASSAULT “strike”"
        with pytest.raises(EditRefused, match="gold layer already has this event relation"):
            accept(session, project.schema, gold.annotator_id, "event_relation", alice_relation)
    gold.revert(strike)
    assert gold_relations(project, doc_a) == []

    # alice's strike instead: its date and attributes come along, and so does her relation
    with project.session() as session:
        gold.run(accept(session, project.schema, gold.annotator_id, "event", item_id(project, Event, "alice", doc_a,
                                                                                   type="ASSAULT")))
    with project.session() as session:
        gold_id = session.scalar(select(Annotator.id).where(Annotator.name == GOLD))
        strike_row = session.scalars(select(Event).where(Event.annotator_id == gold_id, Event.type == "ASSAULT")).one()
        assert (strike_row.date, strike_row.attributes) == ("2020-02", {"realis": "future", "negated": False})
    assert gold_relations(project, doc_a) == [("CAUSE", "THREATEN", "ASSAULT")]


def test_stance_evidence_and_strength_come_from_the_chosen_layer_and_a_relation_leaves_gold(related):
    from workstation.store.models import EventRelation

    project, documents = related
    doc_a = documents["Doc A"]
    gold = Editor(project, GOLD)
    with project.session() as session:
        gold.run(accept(session, project.schema, gold.annotator_id, "stance",
                        item_id(project, Stance, "alice", doc_a, label="THREATEN")))
    with project.session() as session:
        gold_id = session.scalar(select(Annotator.id).where(Annotator.name == GOLD))
        stance = session.scalars(select(Stance).where(Stance.annotator_id == gold_id)).one()
        assert (stance.evidence_start, stance.evidence_end, stance.strength) == (0, 14, 3)
        row = next(row for row in compare_layers(session, doc_a).rows if row.table == "stance" and row.in_gold)
        assert row.differing() == {"evidence", "strength"} and row.gold.fields["evidence"] == "0–14"
    for name in ("alice", "bob"):
        with project.session() as session:
            gold.run(accept(session, project.schema, gold.annotator_id, "event",
                            item_id(project, Event, name, doc_a, type={"alice": "THREATEN", "bob": "ASSAULT"}[name])))
    relation = item_id(project, EventRelation, GOLD, doc_a, type="CAUSE")
    with project.session() as session:
        removal = reject(session, project.schema, gold.annotator_id, "event_relation", relation)
    gold.run(removal)
    assert gold_relations(project, doc_a) == []
    gold.revert(removal)
    assert gold_relations(project, doc_a) == [("CAUSE", "THREATEN", "ASSAULT")]


def test_the_view_steps_through_disagreements_and_accepts_by_layer_number(related, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QUndoStack

    from workstation.ui.adjudication_view import AdjudicationView
    project, documents = related
    doc_a = documents["Doc A"]
    stack = QUndoStack()
    view = AdjudicationView(project, doc_a, stack)
    qtbot.addWidget(view)
    view.show()
    marks, texts = view_column(view, ""), view_column(view, "Text")
    view.table.setCurrentCell(0, 0)
    qtbot.keyClick(view.table, Qt.Key.Key_P)
    assert view.table.currentRow() == 0 and view.message.text() == "no further disagreement above"
    qtbot.keyClick(view.table, Qt.Key.Key_N)
    assert view.table.currentRow() == texts.index("Assad") and marks[view.table.currentRow()] == "≠"
    qtbot.keyClick(view.table, Qt.Key.Key_2)
    assert [m[:3] for m in gold_layer(project, doc_a)["mentions"]] == [(0, 7, "NAME"), (15, 20, "NOMINAL")]
    view.table.setCurrentCell(texts.index("Assad"), 0)
    qtbot.keyClick(view.table, Qt.Key.Key_1)
    assert view.message.text().startswith("gold holds another version of this mention: Delete removes it")
    assert len(gold_layer(project, doc_a)["mentions"]) == 2 and stack.count() == 1
    view.table.setCurrentCell(texts.index("Assad") + 1, 0)
    qtbot.keyClick(view.table, Qt.Key.Key_3)
    assert view.message.text() == "there is no layer 3"
    strike = view_column(view, "Text").index("strike")
    view.table.setCurrentCell(strike, 0)
    qtbot.keyClick(view.table, Qt.Key.Key_1)
    relation = view_column(view, "Kind").index("event relation")
    view.table.setCurrentCell(relation, 0)
    qtbot.keyClick(view.table, Qt.Key.Key_2)
    assert "accept the first event of this relation" in view.message.text()
    assert gold_relations(project, doc_a) == [] and stack.count() == 2
    stack.undo()
    stack.undo()
    assert gold_layer(project, doc_a)["events"] == [] and len(gold_layer(project, doc_a)["mentions"]) == 1


def test_gold_status_per_document_drives_the_next_document(two_layers, project_ref, capsys):
    import json

    from workstation.cli import main
    from workstation.store.gold_status import gold_documents, gold_progress, next_to_adjudicate
    from workstation.store.stats import format_stats, project_stats

    project, documents = two_layers
    with project.session() as session:
        waiting = gold_documents(driver_connection(session))
        stats = project_stats(session)
    assert [(doc.title, doc.layers, doc.state) for doc in waiting] == [
        ("Doc A", 2, "done"), ("Doc B", 2, "not started"), ("Doc C", 1, "not started")]
    assert [next_to_adjudicate(waiting, after).title for after in (None, documents["Doc B"], documents["Doc C"],
                                                                    documents["Doc A"])] == [
        "Doc B", "Doc C", "Doc B", "Doc B"]
    assert gold_progress(waiting) == stats["gold"] == {"not started": 2, "in progress": 0, "done": 1, "documents": 3}
    assert "gold: 1 of 3 document(s) done, 0 in progress, 2 not started" in format_stats(stats)

    gold = Editor(project, GOLD)
    with project.session() as session:
        gold.run(set_gold_status(session, project.schema, gold.annotator_id, documents["Doc B"], "done"))
        gold.run(set_gold_status(session, project.schema, gold.annotator_id, documents["Doc C"], "in_progress"))
    with project.session() as session:
        waiting = gold_documents(driver_connection(session))
    assert gold_progress(waiting)["done"] == 2 and next_to_adjudicate(waiting, documents["Doc C"]).title == "Doc C"
    project.close()
    assert main(["adjudicate", str(project_ref), "--next", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"id": documents["Doc C"], "title": "Doc C", "layers": 1,
                                                   "state": "in progress"}
    assert main(["adjudicate", str(project_ref)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "gold: 2 of 3 document(s) done, 1 in progress, 0 not started"


def test_the_view_moves_to_the_next_document(two_layers, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QUndoStack

    from workstation.ui.adjudication_view import AdjudicationView
    project, documents = two_layers
    view = AdjudicationView(project, documents["Doc B"], QUndoStack())
    qtbot.addWidget(view)
    view.show()
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert view.windowTitle() == "Adjudication — Doc C" and view.document_id == documents["Doc C"]
    assert view_column(view, "alice") == ["NAME · LOC"]
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert view.windowTitle() == "Adjudication — Doc B"


def _long_document(project, tmp_path, mentions: int) -> str:
    """A document whose two layers each hold `mentions` mentions, every seventh labelled differently."""
    import json

    from workstation.formats.importing import import_paths
    words = [f"word{number}" for number in range(mentions)]
    starts = [sum(len(word) + 1 for word in words[:number]) for number in range(mentions)]

    def layer(name: str, shift: int) -> dict:
        return {"annotator": name, "status": "done", "mentions": [
            {"id": f"M{number}", "start": start, "end": start + len(words[number]), "type": "NAME",
             "label": "GOV" if (number + shift) % 7 else "MIL"} for number, start in enumerate(starts)]}
    line = {"id": "long", "text": " ".join(words), "meta": {"title": "Long"},
            "layers": [layer("alice", 0), layer("bob", 1)]}
    (tmp_path / "long.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    import_paths(project, [tmp_path / "long.jsonl"])
    with project.session() as session:
        return session.scalar(select(Document.id).where(Document.title == "Long"))


def table_texts(view) -> list[list[str]]:
    table = view.table
    return [[table.item(row, column).text() for column in range(table.columnCount())]
            for row in range(table.rowCount())]


def test_a_long_documents_rows_are_sized_as_they_come_into_view_and_an_acceptance_redraws_its_row(
        project, tmp_path, qtbot):
    """Rows get the height of their text when scrolled to (sizing 2,000 rows at once took seconds); after an
    acceptance the table reads as a freshly opened view would."""
    from PySide6.QtGui import QUndoStack

    from workstation.ui.adjudication_view import AdjudicationView
    document_id = _long_document(project, tmp_path, 150)
    stack = QUndoStack()
    view = AdjudicationView(project, document_id, stack)
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    table, last = view.table, view.table.rowCount() - 1
    assert last == 149 and table.rowHeight(0) == table.sizeHintForRow(0)
    assert table.rowHeight(last) != table.sizeHintForRow(last)
    table.scrollToBottom()
    assert table.rowHeight(last) == table.sizeHintForRow(last)

    table.setCurrentCell(last, 3)
    view.accept_selected()
    assert table_texts(view)[last][-1].startswith("★ NAME")
    fresh = AdjudicationView(project, document_id, stack)
    qtbot.addWidget(fresh)
    assert table_texts(view) == table_texts(fresh)
    stack.undo()
    assert table_texts(view)[last][-1] == ""
