"""Search hits: the list's FTS rules, code points with emoji and combining marks (the view and F3: test_main_window)."""

from __future__ import annotations

import json
from pathlib import Path

from workstation.core.text import spans_between_marks
from workstation.formats.importing import import_paths
from workstation.store.models import Document
from workstation.store.search_hits import search_hits

ODD_TEXT = "🙂 Mex\u0303ico and 👩\u200d👩\u200d👧 mexico; MEXICO-city, Méxicos, not Amexico."
"""An astral emoji, a family emoji (ZWJ sequence) and x̃ (a combining mark no precomposed letter absorbs)."""


def add_odd_document(project, tmp_path: Path) -> str:
    path = tmp_path / "odd.jsonl"
    path.write_text(json.dumps({"text": ODD_TEXT, "meta": {"title": "Odd characters"}}) + "\n", encoding="utf-8")
    import_paths(project, [path])
    with project.session() as session:
        return session.query(Document.id).filter(Document.title == "Odd characters").scalar()


def words(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[start:end] for start, end in spans]


def test_marks_become_code_point_spans_of_the_unmarked_text():
    assert spans_between_marks("a[b]c[de]", "[", "]") == [(1, 2), (3, 5)]
    assert spans_between_marks("[🙂x] y [z]", "[", "]") == [(0, 2), (5, 6)]
    assert spans_between_marks("plain", "[", "]") == []


def test_hits_follow_the_lists_rules_with_emoji_and_combining_marks(project, tmp_path: Path):
    document_id = add_odd_document(project, tmp_path)
    with project.session() as session:
        hits = search_hits(session, document_id, "MEXICO")
        assert words(ODD_TEXT, hits) == ["Mex\u0303ico", "mexico", "MEXICO", "Méxicos"]
        assert words(ODD_TEXT, search_hits(session, document_id, "mexico city")) == [
            "Mex\u0303ico", "mexico", "MEXICO", "city", "Méxicos"]
        assert search_hits(session, document_id, "") == []
        assert search_hits(session, document_id, "odd") == [], "a title-only match has no hit in the text"
        assert search_hits(session, document_id, "mexico nowhere") == [], "every word must match, as in the list"
        assert words(ODD_TEXT, search_hits(session, document_id, '"( AND')) == ["and"], "FTS syntax is plain text"
