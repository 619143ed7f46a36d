"""Issue 15: nothing lost, nothing let in. Each test is one finding of the adversarial review: an output path
over the project, a tampered package, a bad line, a damaged file, a full or read-only disk. Every refusal is one
line on stderr with exit status 2, and the project is byte-for-byte as it was."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import REPO, database_fingerprint
from team_cycle import annotated_package

from workstation.cli import main
from workstation.paths import SAMPLE_ARTICLE, resource
from workstation.store.project import open_project


def refused(capsys: pytest.CaptureFixture, argv: list[str], *expected: str) -> str:
    """Exit 2 and exactly one line on stderr that contains every expected piece."""
    capsys.readouterr()
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1, error
    for piece in expected:
        assert piece in error, error
    return error


@pytest.fixture
def sample(project_path: Path) -> Path:
    assert main(["import", str(project_path), str(resource(SAMPLE_ARTICLE))]) == 0
    return project_path


def native_line(**changes) -> dict:
    line = {"id": "D1", "text": "Erdogan met Putin in Ankara.", "meta": {"title": "t"},
            "actors": [{"id": "A1", "name": "Recep Tayyip Erdogan", "type": "GOV"},
                       {"id": "A2", "name": "Vladimir Putin", "type": "GOV"}],
            "layers": [{"annotator": "alice", "status": "done",
                        "mentions": [{"id": "M1", "start": 0, "end": 7, "type": "NAME", "actor": "A1"}]}]}
    line.update(changes)
    return line


def write_lines(path: Path, *lines: dict | str) -> Path:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines),
                    encoding="utf-8")
    return path


# 1. an output path never names the project, its companions or another project

@pytest.mark.parametrize("fmt", ["jsonl", "xlsx", "conll", "prodigy", "spacy"])
@pytest.mark.parametrize("name", ["{p}", "{p}-wal", "{p}-shm", "{p}.lock", "{p}.backup-abc-20200101-000000",
                                  "other.sqlite"])
def test_an_export_over_the_project_or_its_files_is_refused(sample: Path, capsys, fmt: str, name: str):
    other = sample.parent / "other.sqlite"
    shutil.copy(sample, other)
    out = sample.parent / name.format(p=sample.name)
    before = database_fingerprint(sample), sample.read_bytes()
    refused(capsys, ["export", str(sample), "--format", fmt, "--layer", "x", "--out", str(out)], str(out))
    assert (database_fingerprint(sample), sample.read_bytes()) == before
    assert database_fingerprint(other) == database_fingerprint(sample)


def test_agreement_and_package_outputs_are_guarded_too(sample: Path, capsys):
    before = sample.read_bytes()
    refused(capsys, ["agreement", str(sample), "--out", str(sample)], "one of its own files")
    refused(capsys, ["package", str(sample), "--annotator", "a", "--out", f"{sample}-wal"], "one of its own files")
    assert sample.read_bytes() == before
    assert main(["stats", str(sample)]) == 0


def test_an_export_into_an_existing_folder_names_it(sample: Path, capsys):
    refused(capsys, ["export", str(sample), "--format", "jsonl", "--out", str(sample.parent)], "is a folder")


# 2. every unit a merge takes in is checked like an import

@pytest.fixture
def package(supervisor: Path, tmp_path: Path) -> Path:
    return annotated_package(supervisor, tmp_path / "alice.sqlite", 2)


@pytest.mark.parametrize(("tampering", "message"), [
    ("UPDATE mention SET \"end\" = 5000 WHERE rowid = 1", "past the end of the text"),
    ("UPDATE mention SET mention_type = 'BOGUS' WHERE rowid = 1", "unknown mention type 'BOGUS'"),
    ("UPDATE mention SET label = 'BOGUS' WHERE rowid = 1", "unknown actor type 'BOGUS'"),
    ("UPDATE mention SET attributes = '{garbage' WHERE rowid = 1", "malformed JSON"),
    ("UPDATE mention SET actor_id = 'nobody' WHERE rowid = 1", "neither in the package nor in the project"),
    ("UPDATE assignment SET status = 'bogus' WHERE status = 'done'", "unknown status 'bogus'"),
    ("UPDATE actor SET merged_into = id WHERE rowid = 1", "merged into itself"),
    ("UPDATE actor SET merged_into = 'nobody' WHERE rowid = 1", "merged into an unknown actor"),
    ("UPDATE actor SET type = 'BOGUS' WHERE rowid = 1", "unknown actor type 'BOGUS'"),
    ("UPDATE project_info SET value = '{garbage' WHERE key = 'package'", "package information is unreadable"),
    ("INSERT INTO stance (id, document_id, annotator_id, holder_id, label, polarity, strength, implicit_target, "
     "attributes, created_at, updated_at) SELECT 's1', document_id, annotator_id, actor_id, 'BOGUS', 0, 2, 0, '{}', "
     "created_at, updated_at FROM mention WHERE rowid = 1", "unknown stance label 'BOGUS'"),
    ("INSERT INTO stance (id, document_id, annotator_id, holder_id, label, polarity, strength, implicit_target, "
     "attributes, created_at, updated_at) SELECT 's1', document_id, annotator_id, actor_id, 'THREATEN', -1, 42, 0, "
     "'{}', created_at, updated_at FROM mention WHERE rowid = 1", "strength must be 1, 2 or 3, got 42"),
])
def test_a_tampered_package_is_refused_before_anything_is_written(supervisor: Path, package: Path, capsys,
                                                                   tampering: str, message: str):
    with sqlite3.connect(package) as connection:
        connection.execute("PRAGMA ignore_check_constraints = ON")
        connection.execute(tampering)
    connection.close()
    before = database_fingerprint(supervisor)
    refused(capsys, ["merge", str(supervisor), str(package)], str(package), message)
    assert database_fingerprint(supervisor) == before
    assert main(["check", str(supervisor)]) == 0


# 3. actors of a line: each id once, merges that end at a known actor

@pytest.mark.parametrize(("actors", "message"), [
    ([{"id": "A1", "name": "Erdogan", "type": "GOV"}, {"id": "A1", "name": "Someone else", "type": "GOV"}],
     "actor A1: the id is used twice in this line"),
    ([{"id": "A1", "name": "Erdogan", "type": "GOV", "merged_into": "A1"}], "merged into itself"),
    ([{"id": "A1", "name": "Erdogan", "type": "GOV", "merged_into": "A2"},
      {"id": "A2", "name": "Putin", "type": "GOV", "merged_into": "A1"}], "merged into a loop of actors"),
    ([{"id": "A1", "name": "Erdogan", "type": "GOV", "merged_into": "A9"}], "merged into an unknown actor 'A9'"),
])
def test_actors_of_a_line_are_checked(project_path: Path, tmp_path: Path, capsys, actors: list, message: str):
    first = write_lines(tmp_path / "first.jsonl", native_line())
    assert main(["import", str(project_path), str(first)]) == 0
    bad = write_lines(tmp_path / "bad.jsonl", native_line(id="D2", text="Another text.", actors=actors, layers=[]))
    before = database_fingerprint(project_path)
    refused(capsys, ["import", str(project_path), str(bad)], f"{bad}:1:", message)
    assert database_fingerprint(project_path) == before


# 4. damage: a page, an index, a text changed inside the file

def _damage_page(path: Path, table: str) -> None:
    with sqlite3.connect(path) as connection:
        size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    connection.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * size:root * size] = b"\xde\xad" * (size // 2)
    path.write_bytes(bytes(data))


def _swap_index(path: Path) -> None:
    """Point one index of the document table at the other's pages: every page sound, the index wrong."""
    with sqlite3.connect(path) as connection:
        (first, first_root), (second, second_root) = connection.execute(
            "SELECT name, rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'document' "
            "ORDER BY name LIMIT 2").fetchall()
        connection.execute("PRAGMA writable_schema = ON")
        connection.execute("UPDATE sqlite_master SET rootpage = ? WHERE name = ?", (second_root, first))
    connection.close()


def _edit_text(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE document SET text = 'X' || text")
    connection.close()


@pytest.mark.parametrize(("damage", "found"), [
    (lambda path: _damage_page(path, "document"), "the project file is damaged"),
    (_swap_index, "the project file is damaged"),
    (_edit_text, "its text was changed after import"),
])
def test_check_finds_damage_and_names_the_backup(sample: Path, capsys, damage, found: str):
    backup = sample.with_name(f"{sample.name}.backup-abc-20200101-000000")
    shutil.copy(sample, backup)
    damage(sample)
    capsys.readouterr()
    assert main(["check", str(sample)]) == 1
    output = capsys.readouterr().out
    assert found in output and f"restore the latest backup ({backup.name}" in output


def test_every_command_reports_a_damaged_page_in_one_line(sample: Path, tmp_path: Path, capsys):
    _damage_page(sample, "document")
    for argv in (["stats", str(sample)], ["export", str(sample), "--format", "jsonl", "--out", str(tmp_path / "o")],
                 ["import", str(sample), str(resource(SAMPLE_ARTICLE))], ["progress", str(sample)]):
        refused(capsys, argv, str(sample), "the project file is damaged", "restore it from your latest copy")


# 5. a known id with another text

def test_an_exported_document_reimported_with_edited_text_is_refused(sample: Path, tmp_path: Path, capsys):
    exported = tmp_path / "out.jsonl"
    assert main(["export", str(sample), "--format", "jsonl", "--out", str(exported)]) == 0
    line = json.loads(exported.read_text(encoding="utf-8"))
    line["text"] = line["text"].replace("Erdogan", "Erdoğan", 1)
    edited = write_lines(tmp_path / "edited.jsonl", line)
    before = database_fingerprint(sample)
    refused(capsys, ["import", str(sample), str(edited)], f"{edited}:1:", "already in the project with another text")
    assert database_fingerprint(sample) == before


# 6. dates on every import path

def test_an_impossible_date_is_refused(project_path: Path, tmp_path: Path, capsys):
    bad = write_lines(tmp_path / "bad.jsonl", native_line(meta={"published": "2020-13-45"}))
    refused(capsys, ["import", str(project_path), str(bad)], f"{bad}:1:", "'2020-13-45' is not a date")
    event = native_line(layers=[{"annotator": "a", "events": [
        {"id": "E1", "type": "THREATEN", "trigger": {"start": 8, "end": 11}, "date": "2020-02-30"}]}])
    bad = write_lines(tmp_path / "event.jsonl", event)
    refused(capsys, ["import", str(project_path), str(bad)], "'2020-02-30' is not a date")


# 8. full disk, read-only files

def test_a_full_disk_during_import_is_one_line_and_changes_nothing(sample: Path, tmp_path: Path, capsys,
                                                                  monkeypatch: pytest.MonkeyPatch):
    """SQLite's own SQLITE_FULL, made by capping the file's pages: what a full disk gives the writer."""
    from workstation.store import engine

    configure = engine.configure_connection

    def capped(connection, read_only: bool = False) -> None:
        configure(connection, read_only)
        connection.execute(f"PRAGMA max_page_count = {connection.execute('PRAGMA page_count').fetchone()[0]}")

    monkeypatch.setattr(engine, "configure_connection", capped)
    articles = write_lines(tmp_path / "many.jsonl", *({"text": f"Article {n}. " + "words " * 500}
                                                      for n in range(50)))
    before = database_fingerprint(sample)
    refused(capsys, ["import", str(sample), str(articles)], str(sample), "the disk is full")
    assert database_fingerprint(sample) == before


def test_a_full_disk_during_init_leaves_no_half_project(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch):
    from workstation.store import migrate

    def full(_engine) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(migrate, "upgrade", full)
    refused(capsys, ["init", str(tmp_path / "new.sqlite")], "the disk is full")
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_during_an_export_leaves_no_partial_file(sample: Path, tmp_path: Path, capsys,
                                                            monkeypatch: pytest.MonkeyPatch):
    import workstation.formats.jsonl as jsonl

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / ".out.jsonl.tmp"))

    monkeypatch.setattr(jsonl, "document_to_json", full)
    refused(capsys, ["export", str(sample), "--format", "jsonl", "--out", str(tmp_path / "out.jsonl")],
            "the disk is full")
    assert sorted(path.name for path in tmp_path.iterdir() if "out" in path.name) == []


def test_a_read_only_project_file_is_one_line(sample: Path, capsys, monkeypatch: pytest.MonkeyPatch):
    """Tests run as root, who may write anything: SQLite is told the file is read-only by opening it so."""
    from workstation.store import engine

    make = engine.create_engine
    monkeypatch.setattr(engine, "create_engine", lambda url, **kwargs: make(
        f"sqlite:///file:{url.removeprefix('sqlite:///')}?mode=ro&uri=true", **kwargs))
    before = database_fingerprint(sample)
    refused(capsys, ["import", str(sample), str(resource(SAMPLE_ARTICLE).parent / "pase-0.1.json")], str(sample))
    assert database_fingerprint(sample) == before


@pytest.mark.skipif(shutil.which("setpriv") is None or os.geteuid() != 0,
                    reason="needs root to run the command as the unprivileged user nobody")
def test_a_read_only_folder_as_a_non_root_user(sample: Path):
    """Root may write anywhere: the command runs as `nobody` (setpriv) on a project in a folder it cannot write."""
    folder = Path(tempfile.mkdtemp(prefix="workstation-ro-"))
    try:
        project = folder / "p.sqlite"
        shutil.copy(sample, project)
        project.chmod(0o644)
        folder.chmod(0o555)
        before = database_fingerprint(project)
        done = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable,
                               str(REPO / "main.py"), "import", str(project), str(resource(SAMPLE_ARTICLE))],
                              capture_output=True, text=True, timeout=120, cwd="/")
        assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
        assert "read-only" in done.stderr and str(project) in done.stderr
        assert database_fingerprint(project) == before
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def test_the_gui_shows_a_disk_error_in_a_plain_dialog(qapp, monkeypatch: pytest.MonkeyPatch):
    """A disk error in a slot is no bug: one message naming the file, not the crash dialog."""
    from PySide6.QtWidgets import QMessageBox

    from workstation.ui.crash_dialog import ExceptionHook

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    hook = ExceptionHook(lambda: [])
    error = OSError(errno.ENOSPC, "No space left on device", "/data/export.xlsx")
    hook(OSError, error, None)
    assert shown == ["/data/export.xlsx: the disk is full: free some space and run it again"]
    assert hook.dialog is None
    hook(ZeroDivisionError, ZeroDivisionError("a bug"), None)
    assert hook.dialog is not None and len(shown) == 1
    hook.dialog.close()


# 9. tracebacks that became one line

@pytest.mark.parametrize(("line", "message"), [
    ('{"text": "x", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
    ('{"text": "a \\ud800 b"}', "lone surrogate"),
    ('{"text": "t", "meta": {"source": "\\udfff"}}', "lone surrogate"),
    (json.dumps(native_line(layers=[{"annotator": "a"}, {"annotator": "a"}])), "layer a: the annotator has two"),
], ids=["deep-nesting", "surrogate-in-text", "surrogate-in-meta", "annotator-twice"])
def test_odd_lines_are_one_line_errors(project_path: Path, tmp_path: Path, capsys, line: str, message: str):
    bad = write_lines(tmp_path / "bad.jsonl", line)
    before = database_fingerprint(project_path)
    refused(capsys, ["import", str(project_path), str(bad)], f"{bad}:1:", message)
    assert database_fingerprint(project_path) == before


def test_a_revision_that_disagrees_with_the_tables_is_one_line(sample: Path, capsys):
    with sqlite3.connect(sample) as connection:
        connection.execute("DROP TABLE event_relation")
    connection.close()
    refused(capsys, ["export", str(sample), "--format", "jsonl", "--out", str(sample.parent / "o.jsonl")],
            str(sample), "damaged")


# 10. quiet quirks

def test_a_changed_event_argument_counts_as_a_change(project_path: Path, tmp_path: Path, capsys):
    layer = {"annotator": "a", "mentions": [{"id": "M1", "start": 0, "end": 7, "actor": "A1", "type": "NAME"}],
             "events": [{"id": "E1", "type": "THREATEN", "trigger": {"start": 8, "end": 11},
                         "arguments": [{"role": "source", "mention": "M1"}]}]}
    assert main(["import", str(project_path), str(write_lines(tmp_path / "a.jsonl", native_line(layers=[layer])))]) == 0
    layer["events"][0]["arguments"] = [{"role": "source", "start": 0, "end": 7}]
    capsys.readouterr()
    assert main(["import", str(project_path), str(write_lines(tmp_path / "b.jsonl", native_line(layers=[layer])))]) == 0
    assert "1 changed" in capsys.readouterr().out


def test_brat_duplicate_ids_are_refused_and_a_wrong_covered_text_is_noted(project_path: Path, tmp_path: Path,
                                                                         capsys):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "annotation.conf").write_text("[entities]\nGOV\n[relations]\n[events]\n[attributes]\n",
                                            encoding="utf-8")
    (folder / "a.txt").write_text("Erdogan met Putin.", encoding="utf-8")
    (folder / "a.ann").write_text("T1\tGOV 0 7\tErdogan\nT1\tGOV 12 17\tPutin\n", encoding="utf-8")
    refused(capsys, ["import", str(project_path), str(folder)], "a.ann:2:", "T1: the id is used twice")
    (folder / "a.ann").write_text("T1\tGOV 0 7\tErdogan\nT2\tGOV 12 17\tMedvedev\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(project_path), str(folder)]) == 0
    assert "line 2: T2 covers 'Putin' at its offsets, not the 'Medvedev'" in capsys.readouterr().err


def test_a_device_is_not_reported_as_missing(project_path: Path, capsys):
    refused(capsys, ["import", str(project_path), "/dev/null"], "/dev/null", "not a regular file")


def test_a_big_csv_cell_and_an_unterminated_quote(project_path: Path, tmp_path: Path, capsys):
    big = tmp_path / "big.csv"
    big.write_text("title,text\nsmall,short text\nbig," + "word " * 40_000 + "\n", encoding="utf-8")
    assert main(["import", str(project_path), str(big)]) == 0
    quoted = tmp_path / "quoted.csv"
    quoted.write_text('title,text\none,"unterminated\ntwo,second article\nthree,third article\n', encoding="utf-8")
    capsys.readouterr()
    main(["import", str(project_path), str(quoted)])
    assert f"{quoted}:2" in capsys.readouterr().err


# 11. readers beside the one writer

def test_readers_work_while_the_project_is_open_for_writing(sample: Path, tmp_path: Path, capsys):
    with open_project(sample):
        assert main(["stats", str(sample)]) == 0
        assert main(["check", str(sample)]) == 0
        assert main(["export", str(sample), "--format", "jsonl", "--out", str(tmp_path / "o.jsonl")]) == 0
        refused(capsys, ["import", str(sample), str(resource(SAMPLE_ARTICLE))], "already open")
    assert not Path(f"{sample}.lock").exists()
