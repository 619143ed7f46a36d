"""A server project in the main window: the title shows the URL without password, and others' changes (a new
document, an item in the layer shown, a registry entry) appear without reopening (skipped without a server)."""

from __future__ import annotations

import pytest
from conftest import DATA

from workstation.editing.annotations import create_actor
from workstation.editing.editor import Editor
from workstation.formats.importing import import_paths
from workstation.paths import SAMPLE_ARTICLE, resource
from workstation.store.models import GOLD
from workstation.store.project import open_project
from workstation.store.project_ref import display_url
from workstation.ui.main_window import MainWindow


@pytest.fixture
def server_window(qtbot, isolated_qt, server_project_url: str):
    with open_project(server_project_url) as project:
        import_paths(project, [resource(SAMPLE_ARTICLE)])
    win = MainWindow()
    qtbot.addWidget(win)
    assert win.open_project(server_project_url)
    win.show()
    yield win
    win.close()


def test_others_changes_appear_without_reopening(server_window: MainWindow, server_project_url: str, qtbot,
                                                screenshots):
    win = server_window
    assert win.project_label.text() == display_url(server_project_url)
    assert win.annotator == win.project.user, "on a server one's layer is one's login"
    assert win.model.rowCount() == 1 and win.actors.list.count() == 0
    win.switch_annotator(GOLD)
    document_id = win.workspace.document_id
    with open_project(server_project_url) as other:
        import_paths(other, [DATA / "two_layers.jsonl"])
        qtbot.waitUntil(lambda: win.model.rowCount() == 3, timeout=5000)
        qtbot.waitUntil(lambda: win.actors.list.count() > 0, timeout=5000)
        supervisor = Editor(other, GOLD)
        start = win.text_view.text.index("Erdogan")
        with supervisor.layer(document_id) as layer:
            command = layer.create_mention(start, start + 7, "NAME")
        supervisor.run(command)
        mention_id = command.rows[0][1]["id"]
        qtbot.waitUntil(lambda: bool(win.text_view.index.spans_of(mention_id)), timeout=5000)
        registered = win.actors.list.count()
        supervisor.run(create_actor(other.schema, "Vladimir Putin", "GOV", "person"))
        qtbot.waitUntil(lambda: win.actors.list.count() == registered + 1, timeout=5000)
        supervisor.revert(command)
        qtbot.waitUntil(lambda: not win.text_view.index.spans_of(mention_id), timeout=5000)
    win.grab().save(str(screenshots / "server-project-live.png"))
