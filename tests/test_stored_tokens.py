"""Tokens stored at import: the token exports read them instead of tokenizing, and write the same either way."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy
import pytest
from conftest import DATA, write_jsonl
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, update
from test_sentences import PIECES

from workstation.formats.exporting import ExportOptions, export
from workstation.formats.importing import import_paths
from workstation.nlp.pipeline import tokenize
from workstation.nlp.token_table import TokenTable, tokenizer_name
from workstation.sample import ensure_sample_project
from workstation.store.models import Document, DocumentTokens
from workstation.store.project import Project, open_project

TEXTS = st.lists(st.sampled_from([*PIECES, "e\u0301", "👩‍👩‍👧", "Ankara's"]), max_size=30).map("".join)
TEXT = "Erdogan 🇹🇷 warned Syria. Zaq\u0307ar talks in Ankara's naïve mood! Putin didn't reply.\n\nAssad  spoke."


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.data())
def test_offsets_align_to_the_tokens_char_span_finds(text: str, data: st.DataObject):
    doc = tokenize(text, "en")
    table = TokenTable.of_doc(doc)
    offsets = data.draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(1, 8)), max_size=10))
    pairs = [(start, min(start + width, len(text))) for start, width in offsets if start < len(text)]
    expected = [(span.start, span.end) if (span := doc.char_span(start, end)) else (-1, -1) for start, end in pairs]
    assert table.align([start for start, _ in pairs], [end for _, end in pairs]) == expected
    assert [table.align([start], [end])[0] for start, end in pairs] == expected
    assert table.texts(text) == [token.text for token in doc]
    assert TokenTable.from_bytes(table.to_bytes()).to_bytes() == table.to_bytes()


def _corpus(tmp_path: Path) -> list[Path]:
    mentions = [{"id": f"M{n}", "start": TEXT.index(name), "end": TEXT.index(name) + len(name), "type": kind,
                 "label": label}
                for n, (name, kind, label) in enumerate((("Erdogan", "NAME", "GOV"), ("Syria", "NAME", "STATE"),
                                                          ("Zaq\u0307ar", "NAME", "MEDIA"), ("Ankara", "NAME", "STATE"),
                                                          ("Putin", "NAME", "GOV"), ("talks", "NOMINAL", "MIL"),
                                                          ("Assad", "NAME", "GOV"), ("rdo", "NAME", "OTHER")))]
    lines = [{"text": f"{TEXT} {number}", "meta": {"title": f"T{number}"},
              "layers": [{"annotator": "gold", "status": "done", "mentions": mentions}]} for number in range(3)]
    return [write_jsonl(tmp_path, lines), DATA / "two_layers.jsonl"]


def _stored(project: Project) -> dict[str, tuple[str, bytes]]:
    with project.session() as session:
        return {document_id: (tokenizer, tokens) for document_id, tokenizer, tokens in session.execute(
            select(DocumentTokens.document_id, DocumentTokens.tokenizer, DocumentTokens.tokens))}


def test_import_stores_every_new_documents_tokens_as_the_tokenizer_cuts_them(project, tmp_path: Path):
    import_paths(project, _corpus(tmp_path))
    stored = _stored(project)
    with project.session() as session:
        documents = session.execute(select(Document.id, Document.text, Document.language)).all()
    assert len(stored) == len(documents) == 5
    for document_id, text, language in documents:
        tokenizer, tokens = stored[document_id]
        assert tokenizer == tokenizer_name(language)
        assert tokens == TokenTable.of_doc(tokenize(text, language)).to_bytes()


def test_documents_without_tokens_get_them_at_the_next_import(project, tmp_path: Path):
    import_paths(project, [DATA / "two_layers.jsonl"])
    with project.session.begin() as session:
        session.execute(delete(DocumentTokens))
    import_paths(project, [_corpus(tmp_path)[0]])
    assert len(_stored(project)) == 5


def test_cancelling_while_tokenizing_keeps_nothing_of_the_import(project, tmp_path: Path):
    from workstation.core.progress import Cancelled
    from workstation.nlp.stored_tokens import TOKENIZING

    files_read: list[str] = []
    with pytest.raises(Cancelled):
        import_paths(project, _corpus(tmp_path), progress=lambda done, total, message: files_read.append(message),
                     cancel=lambda: len(files_read) == 2)
    assert TOKENIZING not in files_read
    with project.session() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0
    assert _stored(project) == {}


def _export(project: Project, fmt: str, out: Path) -> bytes:
    export(project, fmt, out, ExportOptions(layer="gold"))
    if fmt == "spacy":
        return zlib.decompress(out.read_bytes())
    return out.read_bytes()


@pytest.mark.parametrize("fmt", ["conll", "prodigy", "spacy"])
def test_exports_read_stored_tokens_ignore_stale_ones_and_write_the_same_without(project, tmp_path: Path, fmt: str):
    suffix = ".spacy" if fmt == "spacy" else ".txt"
    import_paths(project, _corpus(tmp_path))
    stored = _export(project, fmt, tmp_path / f"stored{suffix}")
    first = min(_stored(project))
    table = TokenTable.from_bytes(_stored(project)[first][1])
    shifted = TokenTable(table.starts + numpy.int32(1), table.lengths, table.flags).to_bytes()
    with project.session.begin() as session:
        session.execute(update(DocumentTokens).where(DocumentTokens.document_id == first).values(tokens=shifted))
    assert _export(project, fmt, tmp_path / f"shifted{suffix}") != stored
    with project.session.begin() as session:
        session.execute(update(DocumentTokens).where(DocumentTokens.document_id == first).values(
            tokenizer="spacy 0.0.0 en v1"))
    assert _export(project, fmt, tmp_path / f"stale{suffix}") == stored
    with project.session.begin() as session:
        session.execute(delete(DocumentTokens))
    assert _export(project, fmt, tmp_path / f"none{suffix}") == stored


def test_the_sample_project_made_at_the_first_start_stores_no_tokens(tmp_path: Path):
    with open_project(ensure_sample_project(tmp_path / "sample")) as project, project.session() as session:
        assert session.scalar(select(func.count()).select_from(DocumentTokens)) == 0
        assert session.scalar(select(func.count()).select_from(Document)) == 1
