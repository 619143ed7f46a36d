"""LISTEN/NOTIFY: others' changes reach a client without reopening (skipped without a test server)."""

from __future__ import annotations

import time

from sqlalchemy import select

from workstation.editing.change_feed import ChangeFeed, RemoteChanges
from workstation.editing.editor import Editor
from workstation.formats.importing import import_paths
from workstation.paths import SAMPLE_ARTICLE, resource
from workstation.store.models import Document
from workstation.store.project import open_project


def collect(feed: ChangeFeed, done, timeout: float = 5) -> RemoteChanges:
    """What the feed brings until `done(changes)` holds (notices arrive on commit, on their own time)."""
    deadline = time.monotonic() + timeout
    changes = RemoteChanges()
    while not done(changes) and time.monotonic() < deadline:
        if feed.wait(0.2):
            taken = feed.take()
            changes.documents |= taken.documents
            changes.registry |= taken.registry
            for layer, change in taken.items.items():
                known = changes.items.get(layer)
                changes.items[layer] = change if known is None else known | change
    return changes


def test_others_edits_arrive_as_changes_and_ones_own_do_not(server_project_url: str):
    with open_project(server_project_url) as mine, open_project(server_project_url) as theirs:
        feed = ChangeFeed(mine)
        try:
            import_paths(theirs, [resource(SAMPLE_ARTICLE)])
            assert collect(feed, lambda c: c.documents).documents
            with theirs.session() as session:
                document_id = session.scalars(select(Document.id)).one()
            bob = Editor(theirs, "bob")
            with bob.layer(document_id) as layer:
                command = layer.create_mention(0, 5, "NAME")
            bob.run(command)
            mention_id = command.rows[0][1]["id"]
            layer = (document_id, bob.annotator_id)
            arrived = collect(feed, lambda c: layer in c.items)
            assert arrived.items[layer].added == {("mention", mention_id)}
            assert arrived.items[layer].layer_mentions == {layer: 1}
            bob.revert(command)
            gone = collect(feed, lambda c: layer in c.items)
            assert gone.items[layer].removed == {("mention", mention_id)}
        finally:
            feed.close()
        own = ChangeFeed(theirs)
        try:
            bob.run(command)
            assert not collect(own, bool, timeout=1), "the client's own changes are already on its screen"
        finally:
            own.close()
