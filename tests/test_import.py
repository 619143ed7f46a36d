"""Importers: the reference article, folders, CSV, duplicates, and every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import database_fingerprint

from workstation.core.errors import UserError
from workstation.core.progress import Cancelled
from workstation.formats.csv_table import CsvColumns
from workstation.formats.importing import import_paths
from workstation.nlp.stored_tokens import TOKENIZING
from workstation.paths import SAMPLE_ARTICLE, resource
from workstation.store.models import Document

SAMPLE = resource(SAMPLE_ARTICLE)


def documents(project) -> list[Document]:
    with project.session() as session:
        return session.query(Document).order_by(Document.title).all()


def test_reference_article_keeps_title_date_and_exact_text(project):
    report = import_paths(project, [SAMPLE])
    assert (report.added, report.duplicates) == (1, 0)
    [doc] = documents(project)
    assert doc.title == "Erdogan Threatens to Use Force Against Syrian Military in Idlib"
    assert (doc.published, doc.date_raw, doc.date_ambiguous) == ("2020-02-05", "05/02/2020", True)
    assert doc.text == SAMPLE.read_text(encoding="utf-8")
    assert doc.text.startswith("\n\n---\n\n**Erdogan Threatens")
    assert "**RELATED:** [Erdogan Says Turkey Bombed Syrian Troops in Idlib](#)" in doc.text


def test_reimport_adds_nothing(project):
    import_paths(project, [SAMPLE])
    before = database_fingerprint(project)
    report = import_paths(project, [SAMPLE])
    assert (report.added, report.duplicates) == (0, 1)
    assert database_fingerprint(project) == before


def test_month_first_projects_read_the_date_the_other_way(tmp_path: Path):
    from workstation.store.project import ProjectSettings, create_project
    with create_project(tmp_path / "us.sqlite", settings=ProjectSettings(date_order="month-first")) as project:
        import_paths(project, [SAMPLE])
        assert documents(project)[0].published == "2020-05-02"


def test_plain_text_title_is_first_line_and_crlf_is_normalised(project, tmp_path: Path):
    path = tmp_path / "note.txt"
    path.write_bytes("\r\n  Talks in Ankara \r\nMarch 3, 2021\r\nBody e\u0301 text\u2028next".encode())
    import_paths(project, [path])
    [doc] = documents(project)
    assert doc.title == "Talks in Ankara"
    assert doc.published == "2021-03-03" and not doc.date_ambiguous
    assert doc.text == "\n  Talks in Ankara \nMarch 3, 2021\nBody \u00e9 text\nnext"


def test_folder_import_recurses_skips_hidden_and_counts_duplicates(project, tmp_path: Path):
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    (folder / "a.txt").write_text("Title A\n\nBody A")
    (folder / "sub" / "b.md").write_text("# Title B\n\n2021-01-02\n\nBody B")
    (folder / "sub" / "copy.txt").write_text("Title A\n\nBody A")
    (folder / ".hidden" / "c.txt").write_text("Hidden\n")
    (folder / "image.png").write_bytes(b"\x89PNG\x00\x00")
    report = import_paths(project, [folder])
    assert (report.added, report.duplicates) == (2, 1)
    assert [(d.title, d.published) for d in documents(project)] == [("Title A", None), ("Title B", "2021-01-02")]


def test_csv_with_chosen_columns(project, tmp_path: Path):
    path = tmp_path / "news.csv"
    path.write_text('headline;body;day;url\n"A; title";"First body\nwith two lines";13/02/2020;http://a\n'
                    'B;Second body;;\n', encoding="utf-8")
    report = import_paths(project, [path], columns=CsvColumns(text="body", title="headline", date="day"))
    assert report.added == 2
    first, second = documents(project)
    assert (first.title, first.text, first.published, first.url) == (
        "A; title", "First body\nwith two lines", "2020-02-13", "http://a")
    assert (second.title, second.published) == ("B", None)


def write_jsonl(path: Path, *lines: object) -> Path:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines))
    return path


GOOD = {"text": "Erdogan warned Syria.", "meta": {"title": "ok"}}


def layer(**items: object) -> dict:
    return {"annotator": "alice", "status": "done", **items}


BAD_INPUTS = {
    "binary": (lambda d: (d / "x.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00") and d / "x.txt",
               "x.txt: binary file"),
    "invalid utf-8": (lambda d: (d / "x.txt").write_bytes(b"Title\nBody \xff\xfe here") and d / "x.txt",
                      "x.txt:2: invalid UTF-8 (byte 0xff at offset 11)"),
    "empty": (lambda d: (d / "x.md").write_text("  \n\n") and d / "x.md", "x.md: the file is empty"),
    "malformed json line": (lambda d: write_jsonl(d / "x.jsonl", GOOD, '{"text": "broken", '),
                            "x.jsonl:2: malformed JSON"),
    "wrong json shape": (lambda d: write_jsonl(d / "x.jsonl", {"text": 5}),
                         "x.jsonl:1: text: expected a string"),
    "offsets past the text": (lambda d: write_jsonl(d / "x.jsonl", GOOD, {**GOOD, "text": "Other text.", "layers": [
        layer(mentions=[{"id": "M1", "start": 6, "end": 99, "type": "NAME"}])]}),
        "x.jsonl:2: mention M1: offsets 6-99 are past the end of the text (11 characters)"),
    "unknown label": (lambda d: write_jsonl(d / "x.jsonl", {**GOOD, "layers": [layer(events=[
        {"id": "E1", "type": "EXPLODE", "trigger": {"start": 8, "end": 14}}])]}),
        "x.jsonl:1: event E1: unknown event type 'EXPLODE'"),
    "unknown actor type": (lambda d: write_jsonl(d / "x.jsonl", {**GOOD, "actors": [
        {"id": "A1", "name": "X", "type": "ALIEN"}]}), "x.jsonl:1: actor A1: unknown"),
    "dangling mention": (lambda d: write_jsonl(d / "x.jsonl", {**GOOD, "layers": [layer(events=[
        {"id": "E1", "type": "THREATEN", "trigger": {"start": 8, "end": 14},
         "arguments": [{"role": "source", "mention": "M9"}]}])]}), "x.jsonl:1: event E1: no mention 'M9'"),
    "role the type lacks": (lambda d: write_jsonl(d / "x.jsonl", {**GOOD, "layers": [layer(events=[
        {"id": "E1", "type": "THREATEN", "trigger": {"start": 8, "end": 14},
         "arguments": [{"role": "destination", "start": 0, "end": 7}]}])]}), "x.jsonl:1: event E1:"),
    "csv without text column": (lambda d: (d / "x.csv").write_text("title,body\na,b\n") and d / "x.csv",
                                "x.csv:1: no text column 'text' (columns: title, body)"),
    "csv ragged row": (lambda d: (d / "x.csv").write_text("title,text\na,b\nc,d,e\n") and d / "x.csv",
                       "x.csv:3: more fields than the header has"),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_gives_one_clear_line_and_changes_nothing(project, tmp_path: Path, case: str):
    import_paths(project, [SAMPLE])
    before = database_fingerprint(project)
    make, expected = BAD_INPUTS[case]
    good = tmp_path / "good.txt"
    good.write_text("A good article\n\nthat comes first in the same import")
    bad = make(tmp_path)
    with pytest.raises(UserError) as caught:
        import_paths(project, [good, bad])
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message
    assert database_fingerprint(project) == before


def test_cancel_rolls_everything_back(project, tmp_path: Path):
    before = database_fingerprint(project)
    paths = []
    for number in range(3):
        paths.append(tmp_path / f"{number}.txt")
        paths[-1].write_text(f"Article {number}\n\nBody {number}")
    calls = iter([False, False, True])
    with pytest.raises(Cancelled):
        import_paths(project, paths, cancel=lambda: next(calls))
    assert database_fingerprint(project) == before


def test_progress_is_reported_per_file(project, tmp_path: Path):
    seen = []
    import_paths(project, [SAMPLE], progress=lambda done, total, message: seen.append((done, total, message)))
    assert seen == [(1, 1, SAMPLE.name), (1, 1, TOKENIZING)]
