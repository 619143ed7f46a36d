"""A small project whose registry knows three actors, for the suggestion tests: names, aliases (a metonym, an
acronym), possessives, an overlap, and a name learned from a NAME mention in another document."""

from __future__ import annotations

from pathlib import Path

from conftest import write_jsonl

from workstation.formats.importing import import_paths
from workstation.store.models import Actor, Document
from workstation.store.project import Project

FIRST = ("Turkey's president Recep Tayyip Erdogan met US envoys in Ankara.\n"
         "Erdogan told us that the United States must act; the Reis agreed. 😀 Erdogan’s aides left.")
SECOND = "The Reis spoke to reporters in Istanbul."
ACTORS = [
    {"id": "A1", "name": "Turkey", "type": "STATE", "kind": "state", "country": "TUR", "aliases": ["Ankara"]},
    {"id": "A2", "name": "Recep Tayyip Erdogan", "type": "GOV", "kind": "person", "country": "TUR",
     "aliases": ["Erdogan"]},
    {"id": "A3", "name": "United States", "type": "STATE", "kind": "state", "country": "USA", "aliases": ["US"]},
]


def build(project: Project, folder: Path) -> None:
    lines = [{"id": "D1", "text": FIRST, "meta": {"title": "Envoys"}, "actors": ACTORS},
             {"id": "D2", "text": SECOND, "meta": {"title": "Reis"}, "actors": ACTORS[1:2],
              "layers": [{"annotator": "bob", "status": "done", "mentions": [
                  {"id": "M1", "start": 4, "end": 8, "type": "NAME", "actor": "A2"}]}]}]
    import_paths(project, [write_jsonl(folder, lines)])


def ids(project: Project) -> dict[str, str]:
    """Actor and document ids by the external ids of the file."""
    with project.session() as session:
        found = {external: actor_id for actor_id, external in session.query(Actor.id, Actor.external_id)}
        found.update({external: document_id for document_id, external in session.query(Document.id,
                                                                                          Document.external_id)})
    return found


def at(text: str, words: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(words, start + 1)
    return start, start + len(words)
