"""The report's item sheets, encoded by `xlsx_stream`, hold exactly the XML openpyxl writes for the same rows."""

from __future__ import annotations

import zipfile
from pathlib import Path

from conftest import DATA
from lxml import etree
from openpyxl import Workbook, load_workbook

from workstation.formats import xlsx_report
from workstation.formats.importing import import_paths
from workstation.formats.xlsx_report import _Sheet, export_xlsx
from workstation.formats.xlsx_stream import CellEncoder, StreamedRows

HOSTILE = ('=HYPERLINK("http://x","y") & <tag> "quoted" \x01 bell\tand tab 🇹🇷 naïve e\u0301\n\n'
           "Erdogan — «x»\n")


class _OpenpyxlItems(_Sheet):
    """The item sheets as the report wrote them before `xlsx_stream`: every row through openpyxl."""

    def __init__(self, book: Workbook, title: str, columns: list[tuple[str, int]]):
        super().__init__(book, title, columns)
        self.streamed = StreamedRows(CellEncoder(self.cell), self.width)  # stays empty


def _parts(path: Path) -> dict[str, bytes]:
    """Each part of the workbook, XML in canonical form (the same document however it was serialised)."""
    with zipfile.ZipFile(path) as book:
        return {name: etree.tostring(etree.fromstring(book.read(name)), method="c14n")
                for name in book.namelist() if name != "docProps/core.xml"}  # core.xml: the time of saving


def test_item_sheets_are_the_xml_openpyxl_writes(project, tmp_path: Path, monkeypatch):
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(HOSTILE)
    import_paths(project, [DATA / "two_layers.jsonl", hostile])
    streamed, reference = tmp_path / "streamed.xlsx", tmp_path / "openpyxl.xlsx"
    assert export_xlsx(project, streamed).documents == 3
    monkeypatch.setattr(xlsx_report, "_ItemSheet", _OpenpyxlItems)
    export_xlsx(project, reference)
    ours, theirs = _parts(streamed), _parts(reference)
    assert ours.keys() == theirs.keys()
    mentions = ours["xl/worksheets/sheet4.xml"]
    documents = ours["xl/worksheets/sheet2.xml"]
    assert mentions.count(b"<row ") > 5 and b"&amp; &lt;tag&gt;" in documents and "\ufffd".encode() in documents
    assert [name for name in ours if ours[name] != theirs[name]] == []
    titles = [row[0] for row in load_workbook(streamed)["Documents"].iter_rows(min_row=2, values_only=True)]
    assert titles[-1].startswith("=HYPERLINK")
