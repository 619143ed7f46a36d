"""Work packages and merge: the whole team cycle, conflicts, order independence, and bad packages."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from team_cycle import (
    ARTICLES,
    OVERLAP,
    alice_with_two_mentions,
    annotate,
    annotated_package,
    dump,
    first_round,
    retype,
    second_round,
)

from workstation.cli import main
from workstation.core.errors import UserError
from workstation.editing.annotations import create_actor
from workstation.editing.editor import Editor
from workstation.formats.spacy_docbin import export_spacy
from workstation.review.adjudication import accept_all_agreed, set_gold_status
from workstation.review.agreement import agreement
from workstation.review.layer_units import columns
from workstation.review.merge import merge_packages
from workstation.review.packages import (
    DocumentChoice,
    choose_documents,
    cut_package,
    package_tables,
    split_documents,
)
from workstation.review.stored_rows import StoredRows
from workstation.store.models import GOLD, Actor, Assignment, Document, Mention, MergeConflict
from workstation.store.project import create_project, open_project
from workstation.store.project_ref import ProjectRef, is_server_url


@pytest.fixture
def supervisor(team_project: ProjectRef) -> ProjectRef:
    """The team's project, a file or a server database: every test here runs on both."""
    return team_project


@pytest.fixture
def returned(supervisor: ProjectRef, tmp_path: Path) -> tuple[list[Path], list[str]]:
    """Two packages with five shared documents, annotated by alice and bob; returns the paths and shared ids."""
    return first_round(supervisor, tmp_path)


def test_split_gives_the_overlap_to_both_and_deals_out_the_rest(supervisor: ProjectRef):
    with open_project(supervisor) as project, project.session() as session:
        ids = choose_documents(session, DocumentChoice())
    plan = split_documents(ids, ["alice", "bob"], overlap=OVERLAP, seed=7)
    assert len(ids) == ARTICLES
    assert len(set(plan["alice"]) & set(plan["bob"])) == OVERLAP
    assert set(plan["alice"]) | set(plan["bob"]) == set(ids)
    assert sorted(map(len, plan.values())) == [12, 13]
    assert plan == split_documents(ids, ["alice", "bob"], overlap=OVERLAP, seed=7)
    assert all(docs == [doc for doc in ids if doc in docs] for docs in plan.values())


def test_a_package_is_a_project_with_the_chosen_documents_the_registry_and_the_layer(supervisor: ProjectRef,
                                                                                      tmp_path: Path):
    with open_project(supervisor) as project:
        with project.session() as session:
            ids = choose_documents(session, DocumentChoice(query="day 3", sample=1, seed=1))
        info = cut_package(project, "alice", ids, tmp_path / "alice.sqlite")
        with project.session() as session:
            assert session.scalars(select(Assignment.status)).all() == ["new"]
    with open_project(tmp_path / "alice.sqlite") as package, package.session() as session:
        assert package.project_id == info.project_id and package.schema.name.startswith("political")
        assert session.scalars(select(Actor.name).order_by(Actor.name)).all() == ["Recep Tayyip Erdogan",
                                                                                  "Vladimir Putin"]
        assert [title for title, in session.execute(select(Mention.id))] == []
    assert not (tmp_path / "alice.sqlite.partial").exists()


def test_the_whole_cycle(supervisor: ProjectRef, returned: tuple[list[Path], list[str]], tmp_path: Path):
    packages, shared = returned
    with open_project(supervisor) as project:
        report = merge_packages(project, packages)
    assert report.committed and not report.conflicts
    assert dict(report.counts["mention"]) == {"added": 2 * (ARTICLES + OVERLAP)}
    assert dict(report.counts["actor"]) == {"added": 1}
    assert dict(report.counts["assignment"]) == {"changed": ARTICLES + OVERLAP}
    [offer] = report.offers
    assert (offer.new_name, offer.existing_name, offer.shared_name) == ("Erdogan", "Recep Tayyip Erdogan", "erdogan")

    before = dump(supervisor)
    with open_project(supervisor) as project:
        again = merge_packages(project, packages)
    assert again.changes == 0 and not again.conflicts and dump(supervisor) == before

    with open_project(supervisor) as project, project.session() as session:
        result = agreement(session, ["alice", "bob"]).to_dict()
    assert result["documents_compared"] == OVERLAP
    [pair] = result["overall"]["pairs"]
    mentions = pair["mentions"]
    # 10 exactly matched spans; types NAME/NAME ×8, NAME/NOMINAL ×1, NOMINAL/NOMINAL ×1
    assert mentions["exact"]["by_type"]["NAME"] == {"tp": 8, "fp": 0, "fn": 1, "precision": 1.0,
                                                    "recall": pytest.approx(8 / 9), "f1": pytest.approx(16 / 17)}
    assert mentions["exact"]["all"]["f1"] == pytest.approx(0.9)
    # p_o = 0.9, p_e = 0.9·0.8 + 0.1·0.2 = 0.74: κ = 0.16 / 0.26
    assert mentions["types"]["kappa"] == pytest.approx(0.16 / 0.26)
    assert mentions["actor_links"]["share"] == pytest.approx(0.9)

    # Adjudication: what both agree on goes to gold. Erdogan differs in the first shared document (bob's
    # offline actor) and Putin's type in the fourth: 4 + 4 gold mentions, 7 of them NAME mentions (entities).
    with open_project(supervisor) as project:
        gold = Editor(project, GOLD)
        for document_id in shared:
            with project.session() as session:
                agreed = accept_all_agreed(session, project.schema, gold.annotator_id, document_id)
            gold.run(agreed)
            with project.session() as session:
                gold.run(set_gold_status(session, project.schema, gold.annotator_id, document_id, "done"))
        report = export_spacy(project, tmp_path / "gold.spacy", layer=GOLD, status="done")
    assert report.documents == OVERLAP
    docs = list(DocBin().from_disk(tmp_path / "gold.spacy").get_docs(spacy.blank("en").vocab))
    assert len(docs) == OVERLAP
    assert sum(len(doc.ents) for doc in docs) == 7 and sum(len(doc.spans["sc"]) for doc in docs) == 8
    assert {ent.text for doc in docs for ent in doc.ents} == {"Erdogan", "Putin"}


def test_merge_is_independent_of_the_order_of_packages(supervisor: ProjectRef, returned, copy_project):
    packages, _ = returned
    other = copy_project(supervisor)
    for target, order in ((supervisor, packages), (other, packages[::-1])):
        for package in order:
            with open_project(target) as project:
                merge_packages(project, [package])
    first, second = dump(supervisor), dump(other)
    assert first == second and len(first["mention"]) == 2 * (ARTICLES + OVERLAP)


def test_a_unit_changed_in_two_packages_is_a_conflict_the_newer_wins_and_the_other_is_recorded(
        supervisor: ProjectRef, tmp_path: Path, copy_project):
    document_id, first, second = alice_with_two_mentions(supervisor)
    with open_project(supervisor) as project:
        one = cut_package(project, "alice", [document_id], tmp_path / "one.sqlite")
        two = cut_package(project, "alice", [document_id], tmp_path / "two.sqlite")
    retype(tmp_path / "one.sqlite", first, "NOMINAL")
    retype(tmp_path / "two.sqlite", first, "PRONOUN")
    with open_project(tmp_path / "one.sqlite") as package:
        editor = Editor(package, "alice")
        with editor.layer(document_id) as layer:
            editor.run(layer.delete("mention", second))
    copy = copy_project(supervisor)
    # Whichever comes second meets the other's change: two's later PRONOUN wins either way, NOMINAL is recorded.
    for target, order, recorded in ((supervisor, [one, two], (two.id, "package")),
                                    (copy, [two, one], (one.id, "project"))):
        for info in order:
            with open_project(target) as project:
                merge_packages(project, [tmp_path / ("one.sqlite" if info is one else "two.sqlite")])
        with open_project(target) as project, project.session() as session:
            assert session.scalars(select(Mention.mention_type).where(Mention.annotator_id == one.annotator_id)
                                   ).all() == ["PRONOUN"]
            [conflict] = session.scalars(select(MergeConflict)).all()
            assert (conflict.package_id, conflict.kept, conflict.unit) == (*recorded, f"mention:{first}")
            assert conflict.other["rows"][0][1]["mention_type"] == "NOMINAL"
    first_state, second_state = dump(supervisor), dump(copy)
    assert {**first_state, "merge_conflict": []} == {**second_state, "merge_conflict": []}


@pytest.fixture
def good_package(supervisor: ProjectRef, tmp_path: Path) -> Path:
    return annotated_package(supervisor, tmp_path / "good.sqlite", 3)


def _truncated(source: Path) -> Path:
    data = source.read_bytes()
    target = source.with_name("truncated.sqlite")
    target.write_bytes(data[:len(data) // 2])
    return target


def _newer_schema(source: Path) -> Path:
    target = source.with_name("newer-schema.sqlite")
    shutil.copy(source, target)
    with sqlite3.connect(target) as connection:
        schema = json.loads(connection.execute("SELECT value FROM project_info WHERE key = 'schema'").fetchone()[0])
        connection.execute("UPDATE project_info SET value = ? WHERE key = 'schema'",
                           (json.dumps({**schema, "version": "0.2"}),))
    return target


def _other_project(source: Path) -> Path:
    other = source.with_name("other-project.sqlite")
    with create_project(source.with_name("other.sqlite")) as project:
        Editor(project, "x").run(create_actor(project.schema, "Someone", "GOV"))
        with project.session() as session:
            session.add(Actor(name="x", type="GOV"))
        from workstation.formats.importing import import_paths
        (source.parent / "one.txt").write_text("A different article.", encoding="utf-8")
        import_paths(project, [source.parent / "one.txt"])
        with project.session() as session:
            ids = choose_documents(session, DocumentChoice())
        cut_package(project, "alice", ids, other)
    return other


def _other_documents(source: Path) -> Path:
    target = source.with_name("other-documents.sqlite")
    shutil.copy(source, target)
    with sqlite3.connect(target) as connection:
        connection.execute("UPDATE document SET text_sha256 = 'x' || text_sha256")
    return target


def _project_not_package(source: Path) -> Path:
    target = source.with_name("plain-project.sqlite")
    shutil.copy(source, target)
    with sqlite3.connect(target) as connection:
        connection.execute("DELETE FROM project_info WHERE key = 'package'")
    return target


def _text_file(source: Path) -> Path:
    target = source.with_name("notes.sqlite")
    target.write_text("not a database", encoding="utf-8")
    return target


@pytest.mark.parametrize(("make_bad", "message"), [
    (_truncated, "damaged or truncated"),
    (_newer_schema, "uses schema version 0.2, newer than the project's 0.1"),
    (_other_project, "cut from another project"),
    (_other_documents, "3 of the package's 3 documents are not in this project"),
    (_project_not_package, "is a project, not a work package"),
    (_text_file, "not an SQLite database"),
])
def test_bad_packages_are_refused_and_nothing_changes(supervisor: ProjectRef, good_package: Path, make_bad,
                                                      message: str, capsys: pytest.CaptureFixture):
    bad = make_bad(good_package)
    before = dump(supervisor)
    with open_project(supervisor) as project, pytest.raises(UserError, match=message) as refused:
        merge_packages(project, [good_package, bad])
    assert refused.value.file == str(bad)
    assert main(["merge", str(supervisor), str(good_package), str(bad)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and str(bad) in error and message in error
    assert dump(supervisor) == before


def test_cli_package_and_merge(supervisor: ProjectRef, tmp_path: Path, capsys: pytest.CaptureFixture):
    folder = tmp_path / "out"
    assert main(["package", str(supervisor), "--annotator", "alice", "--annotator", "bob", "--out", str(folder),
                 "--overlap", "25%", "--seed", "3"]) == 0
    printed = capsys.readouterr().out
    packages = sorted(folder.iterdir())
    stem = Path(make_url(str(supervisor)).database or "").stem if is_server_url(supervisor) else "project"
    assert [p.name for p in packages] == [f"{stem}-alice.package.sqlite", f"{stem}-bob.package.sqlite"]
    assert "13 document(s) for alice" in printed and "12 document(s) for bob" in printed
    annotate(packages[0], "alice", [])
    assert main(["merge", str(supervisor), *map(str, packages), "--dry-run"]) == 0
    assert "would merge 2 package(s): assignment: 13 changed; mention: 26 added" in capsys.readouterr().out
    assert dump(supervisor)["mention"] == []
    assert main(["merge", str(supervisor), *map(str, packages), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["mention"] == {"added": 26}
    assert main(["progress", str(supervisor)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("alice: 13/13 done, 0 in progress, 26 items, ")
    assert lines[1].startswith("bob: 0/12 done, 0 in progress, 0 items, no rate yet over 0.0 h, last active ")
    assert main(["progress", str(supervisor), "--json"]) == 0
    assert [(p["name"], p["assigned"], p["done"]) for p in json.loads(capsys.readouterr().out)] == [
        ("alice", 13, 13), ("bob", 12, 0)]
    assert main(["package", str(supervisor), "--annotator", "alice", "--status", "done", "--documents", "day 1*",
                 "--sample", "3", "--seed", "1", "--out", str(tmp_path / "again.sqlite")]) == 0
    assert "again.sqlite: 3 document(s) for alice" in capsys.readouterr().out
    with open_project(tmp_path / "again.sqlite") as package, package.session() as session:
        titles = session.scalars(select(Document.title)).all()
        assert len(titles) == 3 and all(title.startswith("Day 1") for title in titles)
        assert session.scalar(select(func.count()).select_from(Mention)) == 6
    assert main(["package", str(supervisor), "--annotator", "gold", "--out", str(tmp_path / "g.sqlite")]) == 2
    assert main(["package", str(supervisor), "--annotator", "alice", "--out", str(tmp_path / "x.sqlite"),
                 "--overlap", "2"]) == 2
    assert "overlap needs two or more annotators" in capsys.readouterr().err
    assert main(["package", str(supervisor), "--annotator", "a", "--annotator", "b", "--annotator", "c",
                 "--out", str(tmp_path / "few"), "--sample", "2"]) == 2
    assert "no documents for c: choose more documents or fewer annotators" in capsys.readouterr().err
    assert not (tmp_path / "few").exists() or not any((tmp_path / "few").iterdir())


def _layer_rows(project_ref: ProjectRef, annotator_id: str, documents: list[str]) -> dict[str, list[tuple]]:
    """alice's layer on the package's documents and the registry, table by table, as a file stores them (what
    a merge compares), without row versions."""
    with open_project(project_ref, read_only=True) as project, project.session() as session:
        rows = StoredRows(session.connection())
        found = {}
        for table, where, params in package_tables(annotator_id, documents):
            names = [name for name in columns(table) if name != "version"]
            quoted = ", ".join(f'"{name}"' for name in names)
            found[table] = sorted(rows.fetch(f'SELECT {quoted} FROM "{table}" WHERE {where}', params), key=repr)
        return found


def test_a_round_trip_brings_every_row_of_the_package_back_and_merging_again_finds_nothing(
        supervisor: ProjectRef, tmp_path: Path):
    package = tmp_path / "alice.sqlite"
    with open_project(supervisor) as project:
        with project.session() as session:
            ids = choose_documents(session, DocumentChoice(sample=4, seed=2))
        info = cut_package(project, "alice", ids, package)
    annotate(package, "alice", ids[:2])
    second_round(package, "alice", ids[:2])
    with open_project(package) as project, project.session() as session:
        holder, target = session.scalars(select(Actor.id).order_by(Actor.name)).all()
        editor = Editor(project, "alice")
        with editor.layer(ids[0]) as layer:
            editor.run(layer.create_stance(holder, "THREATEN", target, implicit_target=True, evidence=(0, 7)))
    taken = _layer_rows(package, info.annotator_id, ids)
    assert {table: len(rows) for table, rows in taken.items() if table != "document"} == {
        "annotator": 1, "actor": 2, "assignment": 4, "mention": 9, "stance": 1, "event": 4, "event_relation": 2,
        "mention_relation": 0, "event_argument": 6}

    with open_project(supervisor) as project:
        report = merge_packages(project, [package])
    assert report.committed and not report.conflicts and not report.dropped
    assert _layer_rows(supervisor, info.annotator_id, ids) == taken

    before = dump(supervisor)
    with open_project(supervisor) as project:
        again = merge_packages(project, [package])
    assert again.changes == 0 and not again.conflicts and dump(supervisor) == before

    # Both sides change alice's first mention after the merge: the package's later change stands, the
    # project's is recorded; the next merge finds nothing new again.
    with open_project(supervisor) as project, project.session() as session:
        first = session.scalar(select(Mention.id).where(Mention.document_id == ids[0], Mention.start == 0,
                                                        Mention.annotator_id == info.annotator_id))
    retype(supervisor, first, "PRONOUN")
    retype(package, first, "NOMINAL")
    with open_project(supervisor) as project:
        report = merge_packages(project, [package])
    assert [(conflict.unit, conflict.kept) for conflict in report.conflicts] == [(f"mention:{first}", "package")]
    assert _layer_rows(supervisor, info.annotator_id, ids) == _layer_rows(package, info.annotator_id, ids)
    with open_project(supervisor) as project, project.session() as session:
        [conflict] = session.scalars(select(MergeConflict)).all()
        assert conflict.other["rows"][0][1]["mention_type"] == "PRONOUN"
    before = dump(supervisor)
    with open_project(supervisor) as project:
        assert merge_packages(project, [package]).changes == 0
    assert dump(supervisor) == before
