"""brat's annotation.conf as brat reads it (issue 13, points 1–8) and a brat export that is whole or absent.

brat's own parser (server/src/projectconfig.py, Python 2) cannot run here, so the configurations below are
small files written from brat's documentation and its default configuration; each is imported, exported and
read back, and the written conf must declare the same types, roles and constraints as the source.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA, SHARED

from workstation.core.errors import UserError
from workstation.formats.brat import export_brat
from workstation.formats.brat_conf import load_conf_schema, parse_conf
from workstation.formats.importing import import_paths
from workstation.store.models import Event, EventRelation, Mention, MentionRelation
from workstation.store.project import create_project

NEWS = SHARED / "fixtures" / "brat-news"

BIONLP = """\
# An event corpus in the style of the BioNLP shared tasks.
[spans]
Protein
Entity
----
!Chemical
 Simple_chemical

[relations]
<CORE>=Protein|Entity
Equiv\tArg1:Protein, Arg2:Protein, <REL-TYPE>:symmetric-transitive
Equiv\tArg1:Entity, Arg2:Entity, <REL-TYPE>:symmetric-transitive
<ENTITY-NESTING>\tArg1:Protein, Arg2:Entity
<ENTITY-NESTING>\tArg1:Entity, Arg2:Protein
<OVERLAP>\tArg1:<CORE>, Arg2:<CORE>, <OVL-TYPE>:contain

[events]
<ARG>=Protein|<EVENT>
Gene_expression|GO:0010467\tTheme:Protein
Phosphorylation|GO:0006468\tTheme:Protein, Site?:Entity

Regulation\tTheme:<ARG>, Cause?:<ARG>
------
Binding\tTheme+:Protein, Site*:Entity, Partner{0-2}:Protein

[attributes]
Negation\tArg:<EVENT>
Speculation\tArg:Regulation|Binding, Value:Low|High
Certain\tArg:<ENTITY>
"""

TEXT = "STAT3 phosphorylation at Tyr705 regulates expression of IL-6, and Tyr705 binds STAT3 and JAK2.\n"

ANN = """\
T1\tProtein 0 5\tSTAT3
T2\tEntity 25 31\tTyr705
T3\tPhosphorylation 6 21\tphosphorylation
E1\tPhosphorylation:T3 Theme:T1 Site:T2
T4\tGene_expression 41 51\texpression
T5\tProtein 55 59\tIL-6
E2\tGene_expression:T4 Theme:T5
T6\tRegulation 32 40\tregulates
E3\tRegulation:T6 Theme:E2 Cause:E1
T7\tBinding 73 78\tbinds
T8\tProtein 79 84\tSTAT3
T9\tProtein 89 93\tJAK2
E4\tBinding:T7 Theme:T8 Theme2:T9
E5\tBinding:T7 Theme:T9
A1\tNegation E2
A2\tSpeculation E3 High
A3\tCertain T1
R1\tEquiv Arg1:T1 Arg2:T8
#1\tLemma T2\ttyrosine  705 (residue)
#2\tAnnotatorNotes E1\tsee  figure 2
"""


@pytest.fixture
def bionlp(tmp_path: Path) -> Path:
    folder = tmp_path / "bionlp"
    folder.mkdir()
    (folder / "annotation.conf").write_text(BIONLP)
    (folder / "doc.txt").write_text(TEXT)
    (folder / "doc.ann").write_text(ANN)
    return folder


def definitions(conf: Path) -> dict[str, list[tuple[str, bool, list]]]:
    """Every section's definitions as brat expands them: type, grouping-only flag, arguments."""
    parsed = parse_conf(conf.read_text(), conf)
    return {section: [(d.name, d.disabled, d.arguments) for d in found]
            for section, found in parsed.definitions.items()}


def test_a_brat_event_corpus_imports_with_its_own_conf(bionlp: Path, tmp_path: Path):
    schema = load_conf_schema(bionlp / "annotation.conf")
    # 1: [spans] is [entities]; a ! type only groups; its indented child is a type.
    assert set(schema.entity_types) == {"Protein", "Entity", "Simple_chemical"}
    # 2: Name|alias gives the type Name.
    assert schema.event_types["Phosphorylation"].roles == ("Theme", "Site")
    assert schema.event_types["Binding"].roles == ("Theme", "Site", "Partner")
    # 4: macros expand where they are used; <ARG> includes <EVENT>, so Theme and Cause take events.
    assert {"Theme", "Cause", "Equiv"} <= set(schema.relation_types)
    assert schema.event_attributes["Speculation"].applies_to == ("Regulation", "Binding")
    with create_project(tmp_path / "p.sqlite", schema) as project:
        report = import_paths(project, [bionlp])
        assert report.added == 1
        with project.session() as session:
            assert session.query(Event).count() == 5
            assert {(r.type) for r in session.query(EventRelation)} == {"Theme", "Cause"}
            assert session.query(MentionRelation).one().type == "Equiv"


def test_the_exported_conf_is_the_imported_one(bionlp: Path, tmp_path: Path):
    with create_project(tmp_path / "p.sqlite", load_conf_schema(bionlp / "annotation.conf")) as project:
        import_paths(project, [bionlp])
        out = tmp_path / "out"
        report = export_brat(project, out)
    assert report.messages == []
    written = (out / "annotation.conf").read_text()
    assert definitions(out / "annotation.conf") == definitions(bionlp / "annotation.conf")
    # 3: an <EVENT> role stays on its event line, never a relation line brat cannot parse.
    assert "event argument" not in written and "\nTheme\t" not in written
    # 4, 5, 6: macros defined, every repeated relation line kept, separators stay separators.
    assert "<CORE>=Protein|Entity" in written and "<ARG>=Protein|<EVENT>" in written
    assert written.count("Equiv\t") == 2 and written.count("<ENTITY-NESTING>") == 2
    assert "----\n" in written and "------\n" in written
    assert "Span" not in written
    assert "Gene_expression|GO:0010467\tTheme:Protein" in written
    # ...and brat's rules read it back to the same schema.
    assert load_conf_schema(out / "annotation.conf").data["event_types"] == project.schema.data["event_types"]


def test_notes_keep_their_type_and_spacing_and_a_shared_trigger_is_one_line(bionlp: Path, tmp_path: Path):
    with create_project(tmp_path / "p.sqlite", load_conf_schema(bionlp / "annotation.conf")) as project:
        import_paths(project, [bionlp])
        export_brat(project, tmp_path / "out")
    ann = (tmp_path / "out" / "doc.ann").read_text().splitlines()
    # 7: a Lemma note stays a Lemma note, with its two spaces.
    assert any(line.startswith("#") and line.split("\t")[1].startswith("Lemma ")
               and line.endswith("\ttyrosine  705 (residue)") for line in ann)
    assert any(line.split("\t")[1].startswith("AnnotatorNotes ") and line.endswith("\tsee  figure 2") for line in ann)
    # 8: two Binding events on one trigger: one T line, used by both.
    binding = [line for line in ann if line.startswith("T") and line.split("\t")[1].startswith("Binding ")]
    assert len(binding) == 1
    trigger = binding[0].split("\t")[0]
    assert sum(f"Binding:{trigger} " in line for line in ann) == 2


def test_a_section_brat_does_not_know_is_refused_with_the_known_ones(tmp_path: Path):
    conf = tmp_path / "annotation.conf"
    conf.write_text("[entities]\nProtein\n[drawing]\nProtein\tbgColor:#7fa2ff\n")
    with pytest.raises(UserError, match=r"annotation.conf:3: unknown section \[drawing\].*\[spans\]"):
        load_conf_schema(conf)
    conf.write_text("[entities]\nProtein\n[events]\n<EVENT>=Protein\n")
    with pytest.raises(UserError, match="reserved"):
        load_conf_schema(conf)


def test_the_news_conf_comes_back_with_its_macro_and_hierarchy(tmp_path: Path):
    with create_project(tmp_path / "news.sqlite", load_conf_schema(NEWS / "annotation.conf")) as project:
        import_paths(project, [NEWS])
        export_brat(project, tmp_path / "out")
    assert definitions(tmp_path / "out" / "annotation.conf") == definitions(NEWS / "annotation.conf")
    assert "<POG>=Person|Organization|GPE" in (tmp_path / "out" / "annotation.conf").read_text()


def test_a_project_made_from_our_exported_conf_imports_that_export(project, tmp_path: Path):
    """Issue 15, point 7: `init --schema <exported annotation.conf>` then import of the same folder."""
    import_paths(project, [DATA / "two_layers.jsonl"])
    out = tmp_path / "out"
    export_brat(project, out, layer="alice")
    conf_schema = load_conf_schema(out / "annotation.conf")
    assert conf_schema.event_attributes["StanceLabel"].applies_to == ("Stance",)
    with create_project(tmp_path / "again.sqlite", conf_schema) as again:
        report = import_paths(again, [out])
        assert report.added == 2
        with again.session() as session:
            assert session.query(Mention).count() > 0
            assert "Stance" in {e.type for e in session.query(Event)}


class TestAtomicExport:
    """Issue 15, point 7: the target folder is whole or untouched, never mixed with older files."""

    def test_a_folder_with_files_is_refused_unless_forced(self, project, tmp_path: Path):
        import_paths(project, [DATA / "two_layers.jsonl"])
        out = tmp_path / "out"
        out.mkdir()
        (out / "stale.ann").write_text("")
        with pytest.raises(UserError, match="not empty.*--force"):
            export_brat(project, out, layer="alice")
        assert [p.name for p in out.iterdir()] == ["stale.ann"]
        export_brat(project, out, layer="alice", force=True)
        assert not (out / "stale.ann").exists() and (out / "annotation.conf").exists()
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

    def test_a_file_at_the_target_is_refused(self, project, tmp_path: Path):
        import_paths(project, [DATA / "two_layers.jsonl"])
        (tmp_path / "out").write_text("keep me")
        with pytest.raises(UserError, match="a brat export is a folder"):
            export_brat(project, tmp_path / "out", layer="alice")
        assert (tmp_path / "out").read_text() == "keep me"

    def test_an_export_that_fails_half_way_leaves_nothing(self, project, tmp_path: Path):
        import_paths(project, [DATA / "two_layers.jsonl"])
        calls = []

        def cancel_on_second() -> bool:
            """Cancels once the first document is written: half an export."""
            calls.append(1)
            return len(calls) > 1

        from workstation.core.progress import Cancelled
        with pytest.raises(Cancelled):
            export_brat(project, tmp_path / "out", layer="alice", cancel=cancel_on_second)
        assert not (tmp_path / "out").exists()
        assert not any(p.name.startswith(".out") for p in tmp_path.iterdir())

    def test_file_names_are_safe_short_and_distinct(self, tmp_path: Path):
        from workstation.core.records import DocumentRecord
        from workstation.formats.brat import _file_name
        used: set[str] = set()
        names = [_file_name(DocumentRecord(text="", id=document_id), used)
                 for document_id in ("../etc/passwd", "a" * 400, "a" * 399 + "b", ".hidden", "Doc", "doc", "")]
        assert names[0] == "etc_passwd"
        assert len(names[1]) == len(names[2]) == 100 and names[1] != names[2]
        assert names[3] == "hidden" and names[4:6] == ["Doc", "doc-2"] and names[6] == "document"
