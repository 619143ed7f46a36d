"""The panels apply each edit's `Changes` instead of reloading: after any sequence of edits, undos and
redos through the real controller, what they show equals a fresh load of the same document from the
database (the text view's spans, the document list's row, the registry with its counts, the frames panel)."""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test
from test_annotating import window  # noqa: F401  (fixture)

from workstation.core.span_index import MENTION
from workstation.store.actor_registry import registry
from workstation.store.document_list import list_documents
from workstation.store.layer_arcs import layer_arcs
from workstation.store.layer_items import layer_items
from workstation.store.layer_spans import layer_spans
from workstation.ui.actor_dialog import NewActor
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
            frames = layer_items(session, workspace.text, workspace.document_id, annotator_id)
            arcs = layer_arcs(session, workspace.document_id, annotator_id)
        assert sorted(shown.text_view.index.all_spans(), key=repr) == sorted(spans, key=repr)
        assert shown.model.summary(shown.model.row_of(workspace.document_id)) == row
        assert shown.actors.rows.values() == actors
        assert shown.frames.rows.values() == frames
        assert sorted(shown.text_view.arcs) == sorted(arcs)


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
    assert [item.summary for item in window.frames.rows.values()] == [
        "STANCE THREATEN (−, strength 2): Erdogan → Actor 1"]
    machine.panels_equal_a_fresh_load()
    machine.undo()
    machine.panels_equal_a_fresh_load()
