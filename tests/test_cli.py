"""The command line as scripts use it: real processes, exit statuses, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, REPO

from workstation.cli import main
from workstation.paths import SAMPLE_ARTICLE, resource


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args], capture_output=True, text=True,
                          cwd=REPO, timeout=120)


def test_init_import_stats_in_real_processes(tmp_path: Path):
    project = str(tmp_path / "p.sqlite")
    assert run("init", project).returncode == 0
    first = run("import", project, str(resource(SAMPLE_ARTICLE)))
    assert first.returncode == 0, first.stderr
    assert "1 document(s) added, 0 duplicate(s)" in first.stdout
    again = run("import", project, str(resource(SAMPLE_ARTICLE)))
    assert "0 document(s) added, 1 duplicate(s) skipped" in again.stdout
    stats = json.loads(run("stats", project, "--json").stdout)
    assert stats["document_count"] == 1
    [doc] = stats["documents"]
    assert (doc["title"], doc["published"], doc["date_ambiguous"]) == (
        "Erdogan Threatens to Use Force Against Syrian Military in Idlib", "2020-02-05", True)


def test_output_into_a_reader_that_stops_early_is_no_error(tmp_path: Path):
    """`stats | head -c 1`: the reader closes the pipe before the command has written everything."""
    project = str(tmp_path / "p.sqlite")
    assert run("init", project).returncode == 0
    assert run("import", project, str(resource(SAMPLE_ARTICLE))).returncode == 0
    stats = subprocess.Popen([sys.executable, str(REPO / "main.py"), "stats", project, "--json"], cwd=REPO,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
    assert stats.stdout.read(1) == b"{"
    stats.stdout.close()
    assert stats.wait(timeout=120) == 0
    assert stats.stderr.read() == b""


def test_user_mistake_exits_2_with_one_line(tmp_path: Path):
    project = tmp_path / "p.sqlite"
    assert main(["init", str(project)]) == 0
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    result = run("import", str(project), str(bad))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"workstation: {bad}: binary file, not text (contains NUL bytes)"]
    assert "Traceback" not in result.stderr


def test_stats_check_and_export(tmp_path: Path, capsys: pytest.CaptureFixture):
    project = str(tmp_path / "p.sqlite")
    main(["init", project])
    main(["import", project, str(DATA / "two_layers.jsonl")])
    capsys.readouterr()
    assert main(["stats", project]) == 0
    text = capsys.readouterr().out
    assert "documents: 2" in text and "events [alice]: 2 (REJECT 1, THREATEN 1)" in text
    assert main(["check", project]) == 0
    assert "no problems found" in capsys.readouterr().out
    out = tmp_path / "out.jsonl"
    assert main(["export", project, "--format", "jsonl", "--out", str(out)]) == 0
    assert len(out.read_text().splitlines()) == 2


def test_check_reports_damage(tmp_path: Path, capsys: pytest.CaptureFixture):
    import sqlite3
    project = tmp_path / "p.sqlite"
    main(["init", str(project)])
    main(["import", str(project), str(DATA / "two_layers.jsonl")])
    connection = sqlite3.connect(project)
    connection.execute("UPDATE mention SET \"end\" = 10000 WHERE external_id = 'M01'")
    connection.execute("UPDATE event SET type = 'EXPLODE' WHERE external_id = 'E02'")
    connection.commit()
    connection.close()
    capsys.readouterr()
    assert main(["check", str(project)]) == 1
    out = capsys.readouterr().out
    assert "outside the text" in out and "unknown event type 'EXPLODE'" in out


def test_help_lists_only_working_commands():
    result = run("--help")
    assert result.returncode == 0
    listed = [line.split()[0] for line in result.stdout.split("COMMAND\n", 1)[1].split("\noptions:")[0].splitlines()
              if line.startswith("    ") and not line.startswith("     ")]
    assert listed == ["gui", "init", "import", "export", "stats", "check", "package", "merge", "adjudicate",
                      "conflicts", "progress", "agreement", "suggest", "train", "evaluate", "transfer", "users"]


def test_unknown_project_and_argument_errors(tmp_path: Path):
    result = run("stats", str(tmp_path / "none.sqlite"))
    assert result.returncode == 2 and "no such project file" in result.stderr
    assert run("export", str(tmp_path / "none.sqlite"), "--format", "excel", "--out", "x").returncode == 2


@pytest.mark.parametrize("fmt, name", [("spacy", "x.spacy"), ("prodigy", "x.jsonl"), ("conll", "x.conll"),
                                       ("xlsx", "x.xlsx")])
def test_every_export_format_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture, fmt: str,
                                                   name: str):
    project = str(tmp_path / "p.sqlite")
    main(["init", project])
    main(["import", project, str(DATA / "two_layers.jsonl")])
    assert main(["export", project, "--format", fmt, "--out", str(tmp_path / name), "--layer", "alice"]) == 0
    assert f"wrote 2 document(s) to {tmp_path / name}" in capsys.readouterr().out
    assert (tmp_path / name).stat().st_size > 0


def test_export_without_a_layer_choice_is_a_user_mistake(tmp_path: Path, capsys: pytest.CaptureFixture):
    project = str(tmp_path / "p.sqlite")
    main(["init", project])
    main(["import", project, str(DATA / "two_layers.jsonl")])
    assert main(["export", project, "--format", "conll", "--out", str(tmp_path / "x.conll")]) == 2
    assert "choose a layer with --layer (layers: alice, bob)" in capsys.readouterr().err
