"""The report's item sheets written as worksheet XML by us, the rest of the workbook by openpyxl.

openpyxl's write-only mode spends 25-55 µs per cell (a cell object, its
style looked up, an lxml element), and a report of 500,000 mentions has
about 5 M cells: over a minute before any byte is compressed. An item sheet
here is set up by openpyxl (columns, frozen header, print setup, header row,
filter), and its rows are encoded as the same `<row>`/`<c>` elements openpyxl
writes (inline strings with the quote prefix, numbers, dates, row heights),
with the style ids openpyxl gave those cells, into a temporary file. When
openpyxl has saved the workbook, each item sheet's part is written again with
these rows in its `<sheetData>`; every other part is copied unchanged.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from datetime import date
from typing import IO, Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

CACHED_CELLS = 10_000
"""Distinct strings whose encoded cell a column keeps (titles, annotators, labels and names recur on every row);
when full it starts again, so memory stays flat."""
SHEET_DATA_END = b"</sheetData>"
ITEM_SHEET_LEVEL = 3
"""Deflate level of the item sheets, most of the file: level 6 (zlib's default, openpyxl's) took 5.5 s per
100 MB of their XML, level 3 2.3 s for a file a fifth larger; the other parts keep the default."""
OTHER_PARTS_LEVEL = 6


ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 cannot hold: a cell shows U+FFFD in their place (lxml refused the last two outright)."""
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
"""Text that is a whole date is written as a date, so that it sorts and filters as one."""


def _escaped(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


CellMaker = Callable[[Any, PatternFill | None, bool], WriteOnlyCell]
"""(value, fill, wrap) → the cell openpyxl would be given for that value in the report (typed, styled)."""


class CellEncoder:
    """Cell XML after the coordinate, as openpyxl's cell writer gives it for the cells `make_cell` builds: the
    style ids are openpyxl's own, asked once per kind of value, fill and wrap."""

    def __init__(self, make_cell: CellMaker):
        self.make_cell = make_cell
        self.styles: dict[tuple[type, PatternFill | None, bool], str] = {}

    def _style(self, value: Any, fill: PatternFill | None, wrap: bool) -> str:
        """` s="N"` for this kind of value with this fill and wrap ("" when openpyxl writes it unstyled)."""
        key = (type(value), fill, wrap)
        if key not in self.styles:
            cell = self.make_cell(value, fill, wrap)
            self.styles[key] = f' s="{cell.style_id}"' if cell.has_style else ""
        return self.styles[key]

    def encode(self, value: Any, fill: PatternFill | None, wrap: bool) -> str | None:
        """None for a cell openpyxl leaves out (a blank without a style)."""
        if type(value) is str:
            return self._string(value, fill, wrap)
        if value is None:
            return None if fill is None else f'{self._style(value, fill, wrap)} t="n"></c>'
        if isinstance(value, date):
            return f'{self._style(value, fill, wrap)} t="n"><v>{to_excel(value):.16g}</v></c>'
        if isinstance(value, int | float):
            return f'{self._style(value, fill, wrap)} t="n"><v>{value:.16g}</v></c>'
        raise TypeError(f"a report cell cannot hold {type(value).__name__}")

    def _string(self, value: str, fill: PatternFill | None, wrap: bool) -> str:
        if ILLEGAL_XML.search(value) or FULL_DATE.match(value):
            made = self.make_cell(value, fill, wrap).value  # the report's rules: characters replaced, dates
            if type(made) is not str:
                return self.encode(made, fill, wrap) or ""
            value = made
        style = self._style(value, fill, wrap)
        if not value:
            return f'{style} t="inlineStr"></c>'
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'{style} t="inlineStr"><is><t{space}>{_escaped(value)}</t></is></c>'


class StreamedRows:
    """The rows of one item sheet after its header, as worksheet XML in a temporary file."""

    def __init__(self, encoder: CellEncoder, width: int):
        self.encoder = encoder
        self.columns: list[tuple[str, dict[str, str]]] = [(get_column_letter(index), {})
                                                          for index in range(1, width + 1)]
        """Per column, its letter and the encoded cells of strings met in it (a column's wrap never changes)."""
        self.file: IO[bytes] = tempfile.TemporaryFile()
        self.buffer: list[str] = []

    def write(self, row: int, values: list[Any], height: int | None, fill_column: int | None,
              fill: PatternFill | None, wrapped: set[int]) -> None:
        number = str(row)
        cells = [f'<row r="{number}" ht="{height}" customHeight="1">' if height else f'<row r="{number}">']
        encode, columns = self.encoder.encode, self.columns
        for index, value in enumerate(values):
            if index == fill_column:
                encoded = encode(value, fill, index in wrapped)
            elif value is None:
                continue
            elif type(value) is str:  # most cells: their encoding is kept per column
                strings = columns[index][1]
                encoded = strings.get(value)
                if encoded is None:
                    if len(strings) == CACHED_CELLS:
                        strings.clear()
                    encoded = strings[value] = encode(value, None, index in wrapped)
            else:
                encoded = encode(value, None, index in wrapped)
            if encoded is not None:
                cells.append(f'<c r="{columns[index][0]}{number}"{encoded}')
        cells.append("</row>")
        self.buffer.append("".join(cells))
        if len(self.buffer) == 1000:
            self.flush()

    def flush(self) -> None:
        self.file.write("".join(self.buffer).encode("utf-8"))
        self.buffer.clear()

    def close(self) -> None:
        self.file.close()


def splice_rows(saved: IO[bytes], out: IO[bytes], rows: dict[str, StreamedRows]) -> None:
    """Copy the workbook openpyxl saved into `out`, the rows of each part named in `rows` (`xl/worksheets/...`)
    put at the end of its `<sheetData>`."""
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED,
                                                           compresslevel=ITEM_SHEET_LEVEL) as target:
        for info in source.infolist():
            data = source.read(info)
            streamed = rows.get(info.filename)
            if streamed is None:
                target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=OTHER_PARTS_LEVEL)
                continue
            streamed.flush()
            head, tail = data.split(SHEET_DATA_END)
            tail = SHEET_DATA_END + tail
            size = len(head) + streamed.file.tell() + len(tail)
            with target.open(info.filename, "w", force_zip64=size > zipfile.ZIP64_LIMIT) as part:
                part.write(head)
                streamed.file.seek(0)
                shutil.copyfileobj(streamed.file, part, 1 << 20)
                part.write(tail)
