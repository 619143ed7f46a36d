"""Issue 15: mutated inputs either go in cleanly or are refused cleanly, never anything in between.

Valid native JSONL lines, CSV files and package rows are mutated by hypothesis; each mutation is imported (or
merged) through the CLI in-process. Either the command exits 0, `check` passes and the project's own export
imports again, or it exits 2 with one line on stderr and the project is byte-for-byte as it was.
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import database_fingerprint
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from team_cycle import annotated_package, build_supervisor_project

from workstation.cli import main
from workstation.store.project import create_project, open_project

TEXT = "Erdogan threatened Putin in Ankara on 5 February 2020. Both leaders spoke of Idlib."
BASE = {
    "id": "D1", "text": TEXT,
    "meta": {"title": "Erdogan and Putin", "published": "2020-02-05", "source": "wire", "url": None},
    "actors": [{"id": "A1", "name": "Recep Tayyip Erdogan", "type": "GOV", "kind": "person", "country": "TUR",
                "code": "TURGOV", "aliases": ["Erdogan"]},
               {"id": "A2", "name": "Vladimir Putin", "type": "GOV", "aliases": []}],
    "layers": [{"annotator": "alice", "status": "done",
                "mentions": [{"id": "M1", "start": 0, "end": 7, "type": "NAME", "actor": "A1", "attributes": {}},
                             {"id": "M2", "start": 19, "end": 24, "type": "NAME", "actor": "A2"}],
                "stances": [{"id": "S1", "holder": "A1", "target": "A2", "label": "THREATEN", "strength": 2,
                             "evidence": {"start": 0, "end": 54}}],
                "events": [{"id": "E1", "type": "THREATEN", "trigger": {"start": 8, "end": 18},
                            "arguments": [{"role": "source", "mention": "M1"}, {"role": "target", "mention": "M2"}],
                            "attributes": {"negated": False}, "date": "2020-02-05"}]}],
}
CSV = "title,text,date\nFirst,An article about Idlib.,05/02/2020\nSecond,\"Another, quoted\",2020-02-06\n"
EXAMPLES = {"jsonl": 150, "csv": 80, "package": 70}


def fuzz(kind: str) -> settings:
    """Fixed examples (derandomized, no example database) so that the suite's time and outcome are stable."""
    return settings(max_examples=EXAMPLES[kind], deadline=None, derandomize=True,
                    suppress_health_check=list(HealthCheck), database=None)

values = st.recursive(st.none() | st.booleans() | st.integers(-3, 200) | st.text(max_size=6)
                      | st.sampled_from(["NAME", "GOV", "THREATEN", "A1", "M1", "E1", "2020-13-45", "\ud800", "done"]),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                      max_size=3), max_leaves=6)


def run(*argv: str) -> tuple[int, str]:
    """The CLI in-process; returns the status and what it wrote on stderr."""
    error = io.StringIO()
    with contextlib.redirect_stderr(error), contextlib.redirect_stdout(io.StringIO()):
        status = main(list(argv))
    gc.unfreeze()
    return status, error.getvalue()


def _paths(value: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*path, index))
    return found


def _replace(value: Any, path: tuple, new: Any, delete: bool) -> Any:
    if not path:
        return new
    copy = value.copy()
    if delete and len(path) == 1:
        del copy[path[0]]
    else:
        copy[path[0]] = _replace(copy[path[0]], path[1:], new, delete)
    return copy


@st.composite
def mutated_lines(draw: st.DrawFn) -> str:
    """A change of one value, a deleted key or item, or a few characters of the serialised line changed."""
    line = BASE
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["value", "delete", "characters"]))
        if how == "characters":
            text = json.dumps(line, ensure_ascii=False)
            position = draw(st.integers(0, len(text)))
            text = text[:position] + draw(st.text(max_size=3)) + text[position + draw(st.integers(0, 3)):]
            try:
                line = json.loads(text)
            except ValueError:
                return text.replace("\n", " ")
            continue
        paths = [path for path in _paths(line) if path] or [()]
        path = draw(st.sampled_from(paths))
        line = _replace(line, path, draw(values), how == "delete")
    return json.dumps(line, ensure_ascii=False)


@pytest.fixture(scope="module")
def homes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An empty project, one that already holds the base line, a supervisor project with an annotated package."""
    folder = tmp_path_factory.mktemp("fuzz")
    create_project(folder / "empty.sqlite").close()
    shutil.copy(folder / "empty.sqlite", folder / "holding.sqlite")
    (folder / "base.jsonl").write_text(json.dumps(BASE) + "\n", encoding="utf-8")
    assert run("import", str(folder / "holding.sqlite"), str(folder / "base.jsonl"))[0] == 0
    shutil.copy(folder / "empty.sqlite", folder / "supervisor.sqlite")
    with open_project(folder / "supervisor.sqlite") as project:
        build_supervisor_project(project, folder)
    annotated_package(folder / "supervisor.sqlite", folder / "package.sqlite", 2)
    return {name: folder / f"{name}.sqlite" for name in ("empty", "holding", "supervisor", "package")}


def outcome_is_clean(status: int, error: str, project: Path, before: str, empty: Path) -> None:
    """Exit 2: one line and nothing changed. Exit 0: `check` passes and the export imports into a new project."""
    if status == 2:
        assert error.count("\n") == 1 and error.startswith("workstation: "), error
        assert database_fingerprint(project) == before
        return
    assert status == 0, error
    assert run("check", str(project)) == (0, "")
    exported = project.with_name("export.jsonl")
    assert run("export", str(project), "--format", "jsonl", "--out", str(exported))[0] == 0
    again = project.with_name("again.sqlite")
    shutil.copy(empty, again)
    assert run("import", str(again), str(exported)) == (0, "")
    for path in (exported, again):
        path.unlink()


def _fresh(source: Path, name: str) -> Path:
    target = source.with_name(name)
    for path in source.parent.glob(f"{name}*"):
        path.unlink()
    shutil.copy(source, target)
    return target


@fuzz("jsonl")
@given(line=mutated_lines(), into_holding=st.booleans())
def test_mutated_jsonl_lines(homes: dict[str, Path], line: str, into_holding: bool):
    project = _fresh(homes["holding" if into_holding else "empty"], "project.sqlite")
    source = project.with_name("line.jsonl")
    source.write_text(line + "\n", encoding="utf-8", errors="surrogatepass")
    before = database_fingerprint(project)
    status, error = run("import", str(project), str(source))
    outcome_is_clean(status, error, project, before, homes["empty"])


@fuzz("csv")
@given(position=st.integers(0, len(CSV)), cut=st.integers(0, 4),
       insert=st.text(alphabet=st.sampled_from(list(',";\n\r\tx5/-\x00é')), max_size=5))
def test_mutated_csv_rows(homes: dict[str, Path], position: int, cut: int, insert: str):
    project = _fresh(homes["holding"], "project.sqlite")
    source = project.with_name("rows.csv")
    source.write_text(CSV[:position] + insert + CSV[position + cut:], encoding="utf-8")
    before = database_fingerprint(project)
    status, error = run("import", str(project), str(source))
    outcome_is_clean(status, error, project, before, homes["empty"])


PACKAGE_COLUMNS = {
    "mention": ["start", "end", "label", "mention_type", "actor_id", "attributes", "origin"],
    "assignment": ["status"],
    "actor": ["type", "kind", "aliases", "merged_into", "name"],
}


@fuzz("package")
@given(table=st.sampled_from(sorted(PACKAGE_COLUMNS)), data=st.data(),
       value=st.none() | st.integers(-5, 500) | st.sampled_from(
           ["NAME", "NOMINAL", "GOV", "BOGUS", "done", "bogus", "{garbage", "[]", "{}", '["x"]', "[1]", ""]))
def test_mutated_package_rows(homes: dict[str, Path], table: str, data: st.DataObject, value: Any):
    column = data.draw(st.sampled_from(PACKAGE_COLUMNS[table]))
    package = _fresh(homes["package"], "tampered.sqlite")
    with sqlite3.connect(package) as connection:
        connection.execute("PRAGMA ignore_check_constraints = ON")
        rows = [rowid for (rowid,) in connection.execute(f'SELECT rowid FROM "{table}"')]
        rowid = data.draw(st.sampled_from(rows))
        try:
            connection.execute(f'UPDATE "{table}" SET "{column}" = ?, updated_at = \'2999-01-01\' WHERE rowid = ?',
                               (value, rowid))
        except sqlite3.IntegrityError:
            reject()  # a NOT NULL column: SQLite itself keeps the package from holding it
    connection.close()
    project = _fresh(homes["supervisor"], "project.sqlite")
    before = database_fingerprint(project)
    status, error = run("merge", str(project), str(package))
    outcome_is_clean(status, error, project, before, homes["empty"])
