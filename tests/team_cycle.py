"""A supervisor project of 20 articles and what two annotators do in their packages, for the team-cycle tests.

Each article names Erdogan and Putin. On the five shared documents alice and
bob disagree in worked-out ways (see tests/test_packages.py): bob calls Putin
NOMINAL in two documents where alice says NAME in one, and in the first shared
document links Erdogan to an actor he created offline, named "Erdogan" like
an alias of the registry's Recep Tayyip Erdogan.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select, text

from workstation.editing.annotations import create_actor
from workstation.editing.commands import UpdateRow
from workstation.editing.editor import Editor
from workstation.formats.importing import import_paths
from workstation.review.packages import DocumentChoice, choose_documents, cut_packages, split_documents
from workstation.store.models import Actor, Base, Document, Mention
from workstation.store.project import Project, open_project
from workstation.store.project_ref import ProjectRef

ARTICLES = 20
OVERLAP = 5


def article(number: int) -> str:
    return f"Erdogan met Putin in Ankara on day {number}. Both leaders spoke of Idlib."


def build_supervisor_project(project: Project, folder: Path) -> dict[str, str]:
    """The 20 articles and a registry of two actors; returns actor name → id."""
    source = folder / "articles.jsonl"
    source.write_text("".join(json.dumps({"text": article(n), "meta": {"title": f"Day {n}"}}) + "\n"
                              for n in range(ARTICLES)), encoding="utf-8")
    import_paths(project, [source])
    editor = Editor(project, "supervisor")
    editor.run(create_actor(project.schema, "Recep Tayyip Erdogan", "GOV", "person", "TUR", "TURGOV", ["Erdogan"]))
    editor.run(create_actor(project.schema, "Vladimir Putin", "GOV", "person", "RUS", "RUSGOV", ["Putin"]))
    with project.session() as session:
        return dict(session.execute(select(Actor.name, Actor.id)).tuples().all())


def annotate(package: Path, annotator: str, shared: list[str]) -> None:
    """Both annotators mark Erdogan and Putin everywhere and mark documents done; bob differs on `shared`."""
    with open_project(package) as project:
        editor = Editor(project, annotator)
        with project.session() as session:
            actors = dict(session.execute(select(Actor.name, Actor.id)).tuples().all())
            documents = session.execute(select(Document.id, Document.text).order_by(text("document.rowid"))).all()
        if annotator == "bob":
            editor.run(create_actor(project.schema, "Erdogan", "GOV", "person", "TUR"))
            with project.session() as session:
                offline = session.scalar(select(Actor.id).where(Actor.name == "Erdogan"))
        for document_id, body in documents:
            position = shared.index(document_id) if document_id in shared else None
            erdogan = actors["Recep Tayyip Erdogan"]
            putin_type = "NAME"
            if annotator == "alice" and position == 4:
                putin_type = "NOMINAL"
            if annotator == "bob" and position in (3, 4):
                putin_type = "NOMINAL"
            if annotator == "bob" and position == 0:
                erdogan = offline
            with editor.layer(document_id) as layer:
                editor.run(layer.create_mention(0, len("Erdogan"), "NAME", erdogan))
                start = body.index("Putin")
                editor.run(layer.create_mention(start, start + 5, putin_type, actors["Vladimir Putin"]))
                editor.run(layer.set_status("done"))


def first_round(supervisor: ProjectRef, folder: Path) -> tuple[list[Path], list[str]]:
    """alice's and bob's packages (five documents shared) cut into `folder` and annotated by `annotate`;
    returns the package paths (alice's first) and the shared documents' ids."""
    with open_project(supervisor) as project:
        with project.session() as session:
            ids = choose_documents(session, DocumentChoice())
        plan = split_documents(ids, ["alice", "bob"], overlap=OVERLAP, seed=7)
        written = cut_packages(project, plan, folder)
    shared = [doc for doc in plan["alice"] if doc in plan["bob"]]
    for info, path in written:
        annotate(path, info.annotator, shared)
    return [path for _, path in written], shared


def annotated_package(supervisor: ProjectRef, out: Path, documents: int) -> Path:
    """A package for alice of a sample of the supervisor's documents, annotated as `annotate` does it."""
    from workstation.review.packages import cut_package

    with open_project(supervisor) as project:
        with project.session() as session:
            ids = choose_documents(session, DocumentChoice(sample=documents))
        cut_package(project, "alice", ids, out)
    annotate(out, "alice", [])
    return out


def dump(project_ref: ProjectRef) -> dict[str, list[tuple]]:
    """Every row of every table, to prove that something changed nothing; without row versions, which are no
    content (a merge gives each row it writes a version of its own, as an edit does)."""
    with open_project(project_ref) as project, project.session() as session:
        return {table.name: sorted(map(tuple, session.execute(
                    select(*(column for column in table.columns if column.name != "version"))).all()), key=repr)
                for table in Base.metadata.sorted_tables if table.name != "project_info"}


def alice_with_two_mentions(project_path: ProjectRef) -> tuple[str, str, str]:
    """alice's two NAME mentions on "Day 1" in the project: (document id, first mention id, second mention id)."""
    with open_project(project_path) as project:
        with project.session() as session:
            [document_id] = choose_documents(session, DocumentChoice(query="day 1", sample=1))
        editor = Editor(project, "alice")
        with editor.layer(document_id) as layer:
            first = layer.create_mention(0, 7, "NAME")
            second = layer.create_mention(16, 22, "NAME")
        editor.run(first)
        editor.run(second)
    return document_id, first.rows[0][1]["id"], second.rows[0][1]["id"]


def retype(package: ProjectRef, mention_id: str, mention_type: str, annotator: str = "alice") -> None:
    """alice (or `annotator`) changes a mention's type in her package (or project)."""
    with open_project(package) as project:
        with project.session() as session:
            command = UpdateRow(session, "Retype", "mention", mention_id, {"mention_type": mention_type})
        Editor(project, annotator).run(command)


def second_round(package: Path, annotator: str, shared: list[str]) -> None:
    """Back in their packages, both annotators add two CONSULT events joined by CAUSE on the shared documents,
    with near misses: bob's second trigger takes "of Idlib" too on the first shared document, and on the second
    both mark Ankara, bob with "in" before it. alice dates her meeting, and retypes her Erdogan on the second
    shared document NOMINAL (the supervisor has changed that mention meanwhile: a conflict)."""
    with open_project(package) as project:
        editor = Editor(project, annotator)
        for position, document_id in enumerate(shared):
            with project.session() as session:
                body = session.scalar(select(Document.text).where(Document.id == document_id))
                mentions = dict(session.execute(select(Mention.start, Mention.id).where(
                    Mention.document_id == document_id, Mention.annotator_id == editor.annotator_id)).tuples().all())
            erdogan, putin = mentions[0], mentions[body.index("Putin")]
            met, spoke = body.index("met"), body.index("spoke")
            spoke_end = spoke + len("spoke of Idlib" if annotator == "bob" and position == 0 else "spoke")
            with editor.layer(document_id) as layer:
                first = layer.create_event("CONSULT", (met, met + 3),
                                           arguments=[("source", erdogan), ("target", putin)],
                                           date="2020-02-05" if annotator == "alice" else None)
                second = layer.create_event("CONSULT", (spoke, spoke_end), arguments=[("participant", (
                    body.index("Both leaders"), body.index("Both leaders") + len("Both leaders")))])
            editor.run(first)
            editor.run(second)
            with editor.layer(document_id) as layer:
                editor.run(layer.create_relation("CAUSE", first.rows[0][1]["id"], second.rows[0][1]["id"]))
                if position == 1:
                    ankara = body.index("Ankara")
                    editor.run(layer.create_mention(ankara - (3 if annotator == "bob" else 0), ankara + 6, "NAME",
                                                    label="OTHER"))
            if annotator == "alice" and position == 1:
                with project.session() as session:
                    retype = UpdateRow(session, "Retype", "mention", erdogan, {"mention_type": "NOMINAL"})
                editor.run(retype)
