"""The panels apply each edit's `Changes` instead of reloading: after any sequence of edits, undos and
redos through the real controller, what they show equals a fresh load of the same document from the
database (the text view's spans, the document list's row, the registry with its counts, the frames tree with
its filters and counts)."""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test
from test_annotating import window  # noqa: F401  (fixture)
from test_frames_tree import tree_lines

from workstation.core.span_index import MENTION
from workstation.store.actor_registry import registry
from workstation.store.document_list import list_documents
from workstation.store.layer_arcs import layer_arcs
from workstation.store.layer_items import layer_items, stance_values
from workstation.store.layer_spans import layer_spans
from workstation.ui.actor_dialog import NewActor
from workstation.ui.frames_panel import FramesPanel
from workstation.ui.main_window import MainWindow

ANY = st.integers(0, 10_000)
"""An index into whatever the layer holds at the time, taken modulo its length."""


def _pick(values: list, index: int):
    return values[index % len(values)]


class PanelsMatchTheDatabase(RuleBasedStateMachine):
    window: MainWindow
    template: Path

    def __init__(self) -> None:
        """Each example starts from a fresh copy of the sample project."""
        super().__init__()
        shown = self.window
        copy = self.template.with_name(f"{uuid.uuid4().hex}.sqlite")
        shutil.copy(self.template, copy)
        assert shown.open_project(copy)
        self.controller = shown.annotation
        text = shown.text_view.text
        self.words = [match.span() for match in re.finditer(r"\w+", text)][:80]
        self.fresh = FramesPanel(shown.workspace)
        """A tree loaded afresh at each check, to compare with the one that applied every edit."""
        shown.workspace.changed.disconnect(self.fresh.apply)

    def teardown(self) -> None:
        self.fresh.deleteLater()

    def _spans(self, kind: str) -> list:
        return [span for span in self.window.text_view.index.all_spans() if span.kind == kind]

    def _actors(self) -> list[str]:
        return [entry.id for entry in self.window.actors.rows.values()]

    def _span(self, first: int, length: int) -> tuple[int, int]:
        start = _pick(self.words, first)[0]
        return start, self.words[min(len(self.words) - 1, first % len(self.words) + length)][1]

    @rule(first=ANY, length=st.integers(0, 2), mention_type=st.sampled_from(["NAME", "NOMINAL", "PRONOUN"]),
          actor=st.one_of(st.none(), ANY, st.sampled_from(["GOV", "MIL", "STATE"])))
    def add_mention(self, first, length, mention_type, actor):
        if isinstance(actor, int):
            actors = self._actors()
            actor = _pick(actors, actor) if actors else None
        elif isinstance(actor, str):
            actor = NewActor(f"Actor {len(self._actors())}", actor, None, None, None)
        self.controller.finish_mention(self._span(first, length), mention_type, actor)

    @precondition(lambda self: self._spans(MENTION) and self._actors())
    @rule(mention=ANY, actor=ANY)
    def link(self, mention, actor):
        self.controller.finish_link(_pick(self._spans(MENTION), mention).item_id, _pick(self._actors(), actor))

    @precondition(lambda self: self.window.text_view.index.all_spans())
    @rule(item=ANY)
    def delete_at_cursor(self, item):
        span = _pick(self.window.text_view.index.all_spans(), item)
        self.window.text_view.select_span(span.start, span.start)
        self.controller.delete_at_cursor()

    @precondition(lambda self: len(self._actors()) >= 2)
    @rule(holder=ANY, toward=ANY, first=ANY, label=st.sampled_from(["THREATEN", "SUPPORT", "CRITICIZE"]))
    def add_stance(self, holder, toward, first, label):
        actors = self._actors()
        self.controller.finish_stance(self._span(first, 4), {
            "holder_id": _pick(actors, holder), "target_id": _pick(actors, toward), "label": label})

    @rule(first=ANY, event_type=st.sampled_from(["THREATEN", "ACCUSE"]), source=st.one_of(st.none(), ANY))
    def add_event(self, first, event_type, source):
        mentions = self._spans(MENTION)
        arguments = [("source", _pick(mentions, source).item_id)] if mentions and source is not None else []
        self.controller.finish_event(self._span(first, 0), event_type, {}, arguments)

    @precondition(lambda self: self.window.frames.items_of_kind("event"))
    @rule(event=ANY, first=ANY)
    def add_argument(self, event, first):
        chosen = _pick(self.window.frames.items_of_kind("event"), event)
        self.controller.finish_argument(chosen, "target", self._span(first, 0))

    @precondition(lambda self: len(self.window.frames.items_of_kind("event")) >= 2)
    @rule(source=ANY, toward=ANY)
    def relate(self, source, toward):
        events = self.window.frames.items_of_kind("event")
        self.controller.finish_relation("CAUSE", _pick(events, source).item_id, _pick(events, toward).item_id)

    @precondition(lambda self: len(self._actors()) >= 2)
    @rule(source=ANY, toward=ANY)
    def merge_actors(self, source, toward):
        actors = self._actors()
        self.window.actors.merge(_pick(actors, source), _pick(actors, toward))

    @precondition(lambda self: self._actors())
    @rule(actor=ANY, alias=st.sampled_from(["Ankara", "Moscow"]))
    def add_alias(self, actor, alias):
        self.window.actors.add_alias(_pick(self._actors(), actor), alias)

    @precondition(lambda self: self._actors())
    @rule(actor=ANY, name=st.sampled_from(["Erdogan", "Assad"]), actor_type=st.sampled_from(["GOV", "MIL"]))
    def edit_actor(self, actor, name, actor_type):
        self.window.actors.edit(_pick(self._actors(), actor), NewActor(name, actor_type, None, None, None))

    @precondition(lambda self: self.window.frames.items_of_kind("event"))
    @rule(event=ANY, event_type=st.sampled_from(["THREATEN", "ACCUSE", "ASSAULT"]), attributes=ANY,
          date=st.sampled_from(["", "2020", "5/2/2020"]))
    def edit_event(self, event, event_type, attributes, date):
        """Some choices are refused (a mode another type lacks): the tree must then stay as it was."""
        actors = self._actors()
        choices = [{}, {"realis": "future"}, {"mode": ["violence"]}, {"dead": 2}]
        choices += [{"attributed_to": _pick(actors, attributes)}] if actors else []
        chosen = _pick(self.window.frames.items_of_kind("event"), event)
        self.controller.finish_event_edit(chosen.item_id, event_type, _pick(choices, attributes), date)

    @precondition(lambda self: self.window.frames.items_of_kind("stance"))
    @rule(stance=ANY, toward=ANY, label=st.sampled_from(["THREATEN", "SUPPORT"]), strength=st.integers(1, 3))
    def edit_stance(self, stance, toward, label, strength):
        chosen = _pick(self.window.frames.items_of_kind("stance"), stance)
        with self.window.project.session() as session:
            values = stance_values(session, chosen.item_id)
        self.controller.finish_stance_edit(chosen.item_id, {**values, "label": label, "strength": strength,
                                                            "target_id": _pick(self._actors(), toward)})

    @precondition(lambda self: self.window.frames.count())
    @rule(row=ANY)
    def delete_in_tree(self, row):
        """Delete on a row of the tree: an item's own line, an argument's, or another (which deletes nothing)."""
        panel = self.window.frames
        rows = [frame for group in panel.groups.values() for position in range(group.childCount())
                for frame in (group.child(position), *(group.child(position).child(line)
                                                       for line in range(group.child(position).childCount())))]
        panel.tree.setCurrentItem(_pick(rows, row))
        panel.tree.delete_pressed.emit()

    @rule(kind=st.sampled_from([None, "event", "stance", "relation"]),
          type_=st.sampled_from([None, "THREATEN", "ACCUSE", "CAUSE"]), words=st.sampled_from(["", "actor", "source"]))
    def filter_tree(self, kind, type_, words):
        panel = self.window.frames
        panel.kind.setCurrentIndex(panel.kind.findData(kind))
        panel.type.setCurrentIndex(max(0, panel.type.findData(type_)))
        panel.words.setText(words)

    @rule(status=st.sampled_from(["done", "skipped", "in_progress"]))
    def mark(self, status):
        self.controller.mark(status)

    @rule()
    def undo(self):
        self.controller.stack.undo()

    @rule()
    def redo(self):
        self.controller.stack.redo()

    @invariant()
    def panels_equal_a_fresh_load(self):
        shown = self.window
        workspace = shown.workspace
        with shown.project.session() as session:
            annotator_id = workspace.shown_annotator_id()
            spans = layer_spans(session, workspace.document_id, annotator_id)
            row = next(summary for summary in list_documents(session, annotator=shown.annotator)
                       if summary.id == workspace.document_id)
            actors = registry(session)
            frames = layer_items(session, shown.project.schema, workspace.text, workspace.document_id,
                                 annotator_id)
            arcs = layer_arcs(session, workspace.document_id, annotator_id)
        assert sorted(shown.text_view.index.all_spans(), key=repr) == sorted(spans, key=repr)
        assert shown.model.summary(shown.model.row_of(workspace.document_id)) == row
        assert shown.actors.rows.values() == actors
        assert shown.frames.values() == frames
        assert sorted(shown.text_view.arcs, key=repr) == sorted(arcs, key=repr)
        fresh, panel = self.fresh, shown.frames
        fresh.kind.setCurrentIndex(panel.kind.currentIndex())
        fresh.type.setCurrentIndex(fresh.type.findData(panel.type.currentData()))
        fresh.words.setText(panel.words.text())
        fresh.load()
        assert tree_lines(panel) == tree_lines(fresh)


def _machine(window: MainWindow, tmp_path: Path) -> PanelsMatchTheDatabase:  # noqa: F811
    PanelsMatchTheDatabase.window = window
    PanelsMatchTheDatabase.template = tmp_path / "sample.sqlite"
    shutil.copy(window.project.path, PanelsMatchTheDatabase.template)
    return PanelsMatchTheDatabase()


def test_panels_after_any_edits_undos_and_redos_equal_a_fresh_load(window, tmp_path):  # noqa: F811
    _machine(window, tmp_path)
    run_state_machine_as_test(PanelsMatchTheDatabase, settings=settings(
        max_examples=8, stateful_step_count=25, deadline=None, suppress_health_check=list(HealthCheck)))


def test_renaming_an_actor_renames_the_stances_that_name_it(window, tmp_path):  # noqa: F811
    """A path the random walk above seldom takes: the stance's row is untouched, only its holder's name."""
    machine = _machine(window, tmp_path)
    machine.add_mention(0, 0, "NAME", "GOV")
    machine.add_mention(5, 0, "NAME", "MIL")
    machine.add_stance(0, 1, 0, "THREATEN")
    machine.edit_actor(0, "Erdogan", "GOV")
    assert [item.summary for item in window.frames.values()] == ["Erdogan → Actor 1: THREATEN (−, strength 2)"]
    machine.panels_equal_a_fresh_load()
    machine.undo()
    machine.panels_equal_a_fresh_load()


def test_tree_edits_filters_and_deletes_equal_a_fresh_load(window, tmp_path):  # noqa: F811
    """The tree's own paths in a fixed order (the random walk reaches stances and tree deletes seldom): an event
    naming an actor in an attribute, a relation to an event whose type changes, an edited stance, filters, and
    Delete on every kind of row, each followed by undo and redo."""
    machine = _machine(window, tmp_path)
    steps = [lambda: machine.add_mention(0, 0, "NAME", "GOV"), lambda: machine.add_mention(5, 0, "NAME", "MIL"),
             lambda: machine.add_stance(0, 1, 0, "THREATEN"), lambda: machine.add_event(2, "THREATEN", 0),
             lambda: machine.add_event(7, "ACCUSE", None), lambda: machine.add_argument(1, 9),
             lambda: machine.relate(0, 1), lambda: machine.edit_event(0, "ACCUSE", 4, "5/2/2020"),
             lambda: machine.edit_actor(0, "Erdogan", "GOV"), lambda: machine.edit_event(1, "ASSAULT", 1, "2020"),
             lambda: machine.edit_stance(0, 1, "SUPPORT", 1), lambda: machine.filter_tree(None, "ACCUSE", ""),
             lambda: machine.filter_tree("event", None, "source"), lambda: machine.filter_tree(None, None, "")]
    steps += [lambda row=row: window.frames.count() and machine.delete_in_tree(row) for row in range(12, -1, -2)]
    for step in steps:
        step()
        machine.panels_equal_a_fresh_load()
        machine.undo()
        machine.panels_equal_a_fresh_load()
        machine.redo()
        machine.panels_equal_a_fresh_load()
    assert window.frames.count() == 0
    machine.teardown()
