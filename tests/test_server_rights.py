"""Rights on a server project: each role logs in and the database itself refuses what is not theirs (skipped
without a test server)."""

from __future__ import annotations

import io
import os

import pytest
from conftest import PostgresServer, database_fingerprint
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from team_cycle import retype

from workstation.cli import main
from workstation.editing.annotations import create_actor, merge_actors
from workstation.editing.change_feed import ChangeFeed
from workstation.editing.commands import StaleEdit, UpdateRow
from workstation.editing.editor import Editor
from workstation.formats.importing import import_paths
from workstation.paths import SAMPLE_ARTICLE, resource
from workstation.store.models import GOLD, Actor, Document, Mention
from workstation.store.project import create_project, open_project
from workstation.store.server_roles import group

RLS = "row-level security"
DENIED = "permission denied"


@pytest.fixture
def team(postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    """A server project with a document and two registry entries, and three users added with `users add`:
    two annotators and a supervisor (names unique on the cluster: roles are the server's, not the database's)."""
    database = postgres_server.create_database("rights")
    owner = postgres_server.database_url(database)
    suffix = f"{os.getpid()}_{postgres_server.count}"
    names = {"alice": f"alice_{suffix}", "bob": f"bob_{suffix}", "sue": f"sue_{suffix}"}
    with create_project(owner) as project:
        import_paths(project, [resource(SAMPLE_ARTICLE)])
        for name in ("Recep Tayyip Erdogan", "Erdogan"):
            Editor(project, "setup").run(create_actor(project.schema, name, "GOV", "person"))
    urls = {}
    for who, name in names.items():
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{who}-secret-1\n"))
        assert main(["users", "add", owner, name, *(["--supervisor"] if who == "sue" else [])]) == 0
        urls[who] = make_url(owner).set(username=name, password=f"{who}-secret-1").render_as_string(
            hide_password=False)
    capsys.readouterr()
    yield owner, names, urls
    for name in names.values():
        main(["users", "remove", owner, name])
    postgres_server.drop_database(database)
    with postgres_server.admin.connect() as connection:
        for role in ("annotator", "supervisor"):
            connection.exec_driver_sql(f'DROP ROLE IF EXISTS "{group(database, role)}"')


def database_fingerprint_of(url: str) -> str:
    with open_project(url, read_only=True) as project:
        return database_fingerprint(project)


def offline_version(package, mention_id: str) -> int:
    with open_project(package, read_only=True) as project, project.session() as session:
        return session.get(Mention, mention_id).version


def add_mention(project, editor: Editor, word: str = "Erdogan") -> str:
    with project.session() as session:
        document = session.scalars(select(Document)).one()
    start = document.text.index(word)
    with editor.layer(document.id) as layer:
        command = layer.create_mention(start, start + len(word), "NAME")
    editor.run(command)
    return command.rows[0][1]["id"]


def test_users_are_listed_with_their_roles(team, capsys: pytest.CaptureFixture):
    owner, names, _ = team
    assert main(["users", "list", owner]) == 0
    assert capsys.readouterr().out.splitlines() == sorted(
        f"{name}\t{'supervisor' if who == 'sue' else 'annotator'}" for who, name in names.items()) + [
        "annotators read: own (their own layer and gold)"]


def test_an_annotator_writes_only_their_own_layer_and_reads_only_it_and_gold(team):
    owner, names, urls = team
    with open_project(urls["sue"]) as project:
        add_mention(project, Editor(project, GOLD), "Syrian")
    with open_project(urls["alice"]) as project:
        alice = Editor(project, names["alice"])
        mine = add_mention(project, alice)
        for other in (names["bob"], GOLD):
            with pytest.raises(DBAPIError, match=RLS):
                add_mention(project, Editor(project, other))
        with project.session() as session:
            assert {m.id for m in session.scalars(select(Mention))} >= {mine}
            assert session.scalar(select(func.count()).select_from(Mention)) == 2, "her own and gold's"
    with open_project(urls["bob"]) as project, project.session() as session:
        assert mine not in set(session.scalars(select(Mention.id))), "no peeking at alice's layer"
        assert session.scalar(select(func.count()).select_from(Mention)) == 1


def test_only_the_supervisor_merges_actors_changes_the_schema_and_imports(team, tmp_path, capsys):
    owner, names, urls = team
    with open_project(urls["alice"]) as project:
        with project.session() as session:
            source, target = session.scalars(select(Actor.id).order_by(Actor.name)).all()
            merge = merge_actors(session, source, target)
        with pytest.raises(DBAPIError, match=RLS):
            Editor(project, names["alice"]).run(merge)
        with pytest.raises(DBAPIError, match=DENIED):
            project.update_settings(language="de")
    article = tmp_path / "new.txt"
    article.write_text("A new article\n\nAnkara and Moscow met in Sochi.\n", encoding="utf-8")
    assert main(["import", urls["alice"], str(article)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("workstation: ") and "your database role may not do this" in error
    assert "alice-secret" not in error and len(error.splitlines()) == 1
    with open_project(urls["sue"]) as project:
        with project.session() as session:
            merge = merge_actors(session, source, target)
        Editor(project, GOLD).run(merge)
        project.update_settings(language="de")
    with open_project(owner, read_only=True) as project, project.session() as session:
        assert project.settings.language == "de"
        assert session.get(Actor, source).merged_into == target


def test_a_removed_user_can_no_longer_log_in(team, capsys: pytest.CaptureFixture):
    owner, names, urls = team
    assert main(["users", "remove", owner, names["bob"]]) == 0
    assert main(["stats", urls["bob"]]) == 2
    assert "the server refused the user name or password" in capsys.readouterr().err
    with open_project(owner) as project, project.session() as session:
        from workstation.store.models import Annotator

        assert names["bob"] in set(session.scalars(select(Annotator.name))), "the layer stays"


def test_on_the_undo_stack_a_refusal_of_the_server_is_a_message_not_a_crash(team, qtbot):
    from PySide6.QtGui import QUndoStack

    from workstation.ui.undo import EditCommand

    owner, names, urls = team
    with open_project(urls["alice"]) as project:
        assert project.user == names["alice"]
        with project.session() as session:
            document = session.scalars(select(Document)).one()
        bobs = Editor(project, names["bob"])
        with bobs.layer(document.id) as layer:
            command = layer.create_mention(0, 5, "NAME")
        stack, messages = QUndoStack(), []
        stack.push(EditCommand(bobs, command, lambda changes: None, messages.append))
        assert stack.count() == 0
        assert messages == ["your database role may not do this: an annotator writes only their own layer "
                            "(gold and registry merges are the supervisor's)"]


def test_only_the_supervisor_cuts_and_merges_packages_and_a_merge_is_an_edit_others_see(team, tmp_path, capsys):
    owner, names, urls = team
    alice = names["alice"]
    with open_project(urls["alice"]) as project:
        mine = add_mention(project, Editor(project, alice))
        with project.session() as session:
            seen = session.get(Mention, mine).version
            stale = UpdateRow(session, "Retype", "mention", mine, {"mention_type": "PRONOUN"})
    package = tmp_path / "alice.sqlite"
    assert main(["package", urls["alice"], "--annotator", alice, "--out", str(package)]) == 2
    error = capsys.readouterr().err
    assert "cutting and merging work packages is the supervisor's" in error and len(error.splitlines()) == 1
    assert not package.exists()
    assert main(["package", urls["sue"], "--annotator", alice, "--out", str(package)]) == 0
    retype(package, mine, "NOMINAL", alice)

    before = database_fingerprint_of(owner)
    assert main(["merge", urls["alice"], str(package)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("workstation: ") and "cutting and merging work packages is the supervisor's" in error
    assert len(error.splitlines()) == 1 and "alice-secret" not in error
    assert database_fingerprint_of(owner) == before

    with open_project(urls["alice"]) as project:
        feed = ChangeFeed(project)
        try:
            assert main(["merge", urls["sue"], str(package)]) == 0
            assert "mention: 1 changed" in capsys.readouterr().out
            assert feed.wait(5)
            notices = feed.take()
            assert notices.items and ("mention", mine) in next(iter(notices.items.values())).updated
        finally:
            feed.close()
        with pytest.raises(StaleEdit, match="someone else changed this mention since you saw it"):
            Editor(project, alice).run(stale)
        with project.session() as session:
            merged = session.get(Mention, mine)
            assert merged.mention_type == "NOMINAL"
            assert merged.version not in (seen, offline_version(package, mine)), "a version of the merge's own"


def _mention_in(project, editor: Editor, document: Document, word: str = "Erdogan") -> str:
    start = document.text.index(word)
    with editor.layer(document.id) as layer:
        command = layer.create_mention(start, start + len(word), "NAME")
    editor.run(command)
    return command.rows[0][1]["id"]


def _seen_by(url: str) -> tuple[set[str], set[str], int]:
    """What a user reads: mention ids, the layers whose statuses they see, and event arguments."""
    from workstation.store.models import Annotator, Assignment, EventArgument

    with open_project(url) as project, project.session() as session:
        return (set(session.scalars(select(Mention.id))),
                set(session.scalars(select(Annotator.name).join(Assignment, Assignment.annotator_id == Annotator.id))),
                session.scalar(select(func.count()).select_from(EventArgument)))


def test_what_annotators_read_of_others_layers_is_the_supervisors_rule(team, tmp_path, capsys):
    """alice annotates two documents, gold of the first is done: bob reads none of her layer (own), that
    document's part once it is adjudicated (after-adjudication), all of it (all); he writes none of it under any
    rule, and only the supervisor changes the rule."""
    from workstation.store.read_rights import set_read_rule

    owner, names, urls = team
    article = tmp_path / "second.txt"
    article.write_text("A second article\n\nErdogan met the press in Ankara.\n", encoding="utf-8")
    with open_project(owner) as project:
        import_paths(project, [article])
        with project.session() as session:
            first, second = session.scalars(select(Document).order_by(Document.title.desc())).all()
    with open_project(urls["alice"]) as project:
        alice = Editor(project, names["alice"])
        adjudicated, pending = (_mention_in(project, alice, document) for document in (first, second))
        with alice.layer(first.id) as layer:
            alice.run(layer.create_event("CONSULT", (0, 5), arguments=[("participant", adjudicated)]))
            alice.run(layer.set_status("done"))
    with open_project(urls["bob"]) as project:
        bobs = _mention_in(project, Editor(project, names["bob"]), first)
    with open_project(urls["sue"]) as project:
        gold = Editor(project, GOLD)
        with gold.layer(first.id) as layer:
            gold.run(layer.set_status("done"))
    expected = {"own": ({bobs}, {GOLD}, 0),
                "after-adjudication": ({bobs, adjudicated}, {names["alice"], GOLD}, 1),
                "all": ({bobs, adjudicated, pending}, {names["alice"], GOLD}, 1)}
    for rule, seen in expected.items():
        assert main(["users", "read", urls["sue"], rule]) == 0
        assert capsys.readouterr().out.startswith(f"annotators read: {rule} (")
        assert _seen_by(urls["bob"]) == seen, rule
        with open_project(urls["bob"]) as project, project.engine.begin() as connection:
            for statement in ("UPDATE mention SET mention_type = 'NOMINAL' WHERE id = :id",
                              "DELETE FROM mention WHERE id = :id"):
                assert connection.execute(text(statement), {"id": adjudicated}).rowcount == 0, (rule, statement)
    with open_project(urls["sue"]) as project:
        with gold.layer(first.id) as layer:
            Editor(project, GOLD).run(layer.set_status("in_progress"))
    assert _seen_by(urls["bob"])[0] == {bobs, adjudicated, pending}, "all: whatever gold's status"
    assert main(["users", "read", urls["sue"], "after-adjudication"]) == 0
    assert _seen_by(urls["bob"])[0] == {bobs}, "gold back in progress: hidden again"
    assert main(["users", "read", urls["alice"], "all"]) == 2
    assert "only the project's supervisor sets what annotators may read" in capsys.readouterr().err
    with open_project(urls["alice"]) as project, pytest.raises(DBAPIError, match=DENIED):
        with project.engine.begin() as connection:
            set_read_rule(connection, "all")
    assert main(["users", "list", owner]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == ("annotators read: after-adjudication (their own layer and "
                                                        "gold, and the others' layers of a document once its gold "
                                                        "is done)")
    assert main(["users", "read", urls["sue"], "everything"]) == 2
    assert "unknown read rule 'everything'" in capsys.readouterr().err


def test_the_supervisor_sets_the_rule_in_the_team_menu_and_annotators_see_it_at_once(team, qtbot, isolated_qt,
                                                                                     screenshots):
    from workstation.ui.main_window import MainWindow

    owner, names, urls = team
    with open_project(urls["alice"]) as project:
        add_mention(project, Editor(project, names["alice"]))
    windows = {}
    for who in ("sue", "bob"):
        windows[who] = MainWindow()
        qtbot.addWidget(windows[who])
        assert windows[who].open_project(urls[who])
    sue, bob = windows["sue"], windows["bob"]
    menus = {who: window.team_actions["read_rights"].menu() for who, window in windows.items()}
    assert all(window.team_actions["read_rights"].isEnabled() for window in windows.values())
    menus["sue"].refresh()
    assert menus["sue"].rules["own"].isChecked() and menus["sue"].rules["all"].isEnabled()
    assert bob.layer_choice.findData(names["alice"]) < 0, "own: alice's layer is not bob's to read"
    menus["sue"].rules["all"].trigger()
    assert sue.statusBar().currentMessage() == "Annotators now read every layer"
    qtbot.waitUntil(lambda: bob.layer_choice.findData(names["alice"]) >= 0, timeout=5000)
    menus["bob"].refresh()
    assert menus["bob"].rules["all"].isChecked()
    assert not any(action.isEnabled() for action in menus["bob"].rules.values()), "only the supervisor chooses"
    menus["sue"].popup(sue.mapToGlobal(sue.rect().center()))
    menus["sue"].refresh()
    qtbot.waitUntil(menus["sue"].isVisible)
    menus["sue"].grab().save(str(screenshots / "team-read-rights.png"))
    menus["sue"].hide()
    with open_project(owner, read_only=True) as project, project.engine.connect() as connection:
        from workstation.store.read_rights import read_rule

        assert read_rule(connection) == "all"
    for window in windows.values():
        window.close()
