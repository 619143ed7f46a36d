"""Command line (DESIGN.md §6): the same functions the GUI calls, one sub-command each.

User mistakes exit with status 2 and one line on stderr; `check` exits 1 when
it finds problems. Commands of §6 whose issues have not landed yet are not
offered at all, rather than offered and failing. Each command imports the
modules of its own work when it runs: a command on a small project starts in
the time it takes to open the project, not to load every feature.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from workstation import __version__
from workstation.cli_models import add_model_commands
from workstation.cli_server import add_server_commands
from workstation.cli_support import create_project, open_project, progress_bar
from workstation.core.errors import UserError
from workstation.core.records import STATUSES
from workstation.formats.exporting import EXPORTERS, ExportOptions, export
from workstation.formats.import_formats import IMPORT_FORMATS
from workstation.store.failures import DamagedProject, damaged, explain_failure, failure_types
from workstation.store.output_guard import guard_output
from workstation.store.project_ref import display_url, is_server_url, project_ref


def cmd_gui(args: argparse.Namespace) -> int:
    from workstation.ui.app import run_gui
    return run_gui(args.project)


def cmd_init(args: argparse.Namespace) -> int:
    from workstation.core.schema import load_schema
    from workstation.formats.brat_conf import load_conf_schema
    from workstation.store.project import ProjectSettings

    schema = None
    if args.schema is not None:
        schema = load_conf_schema(args.schema) if args.schema.suffix == ".conf" else load_schema(args.schema)
    with create_project(args.project, schema, ProjectSettings(date_order=args.date_order, language=args.language)):
        print(f"created {display_url(args.project)}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from workstation.formats.csv_table import CsvColumns
    from workstation.formats.importing import import_paths

    columns = CsvColumns(text=args.text_column, title=args.title_column, date=args.date_column)
    with open_project(args.project) as project:
        report = import_paths(project, args.paths, args.format, args.annotator, columns,
                              progress=progress_bar(sys.stderr.isatty()))
    for message in report.messages:
        print(f"note: {message}", file=sys.stderr)
    print(report.summary())
    return 0


def cmd_export(args: argparse.Namespace) -> int:

    options = ExportOptions(layer=args.layer, status=args.status, split=args.split, seed=args.seed,
                            all_mention_types=args.all_mentions, force=args.force, provenance=args.provenance)
    with open_project(args.project, read_only=True) as project:
        report = export(project, args.format, args.out, options, progress=progress_bar(sys.stderr.isatty()))
    for message in report.messages:
        print(f"note: {message}", file=sys.stderr)
    print(report.summary(args.out))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """A project file is counted through sqlite3 alone (SQLAlchemy would take longer to import than the counts
    take); a server project through its engine."""
    from workstation.store.stats import format_stats, project_stats, stats_of

    if is_server_url(args.project):
        with open_project(args.project, read_only=True) as project, project.session() as session:
            stats = project_stats(session)
    else:
        from workstation.store.project_file import counting_connection

        with counting_connection(args.project) as connection:
            stats = stats_of(connection)
    print(json.dumps(stats, ensure_ascii=False, indent=2) if args.json else format_stats(stats))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from workstation.store.integrity import FILE_DAMAGE, find_problems

    try:
        with open_project(args.project, read_only=True) as project, project.session() as session:
            problems = find_problems(session, project.schema)
    except DamagedProject as damage:
        problems = [str(damage)]
    else:
        if any(problem.startswith(FILE_DAMAGE) for problem in problems):
            problems.append(str(damaged(Path(args.project), "see above")))
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s) found" if problems else "no problems found")
    return 1 if problems else 0


def cmd_agreement(args: argparse.Namespace) -> int:
    from workstation.review.agreement import agreement
    from workstation.review.agreement_table import format_summary

    if args.out is not None:
        guard_output(args.out, args.project)
    with open_project(args.project, read_only=True) as project, project.session() as session:
        report = agreement(session, args.annotators)
    if args.out is not None:
        from workstation.formats.xlsx_report import export_agreement_xlsx
        export_agreement_xlsx(report, args.out)
    print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) if args.json else format_summary(report))
    if args.out is not None and not args.json:
        print(f"wrote the Agreement sheet to {args.out}")
    return 0


def _read_ids(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"cannot read the list of document ids ({error.__class__.__name__})", file=path) from None
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _overlap(value: str | None, documents: int) -> int:
    """A number of documents, or a share of them written as 20%."""
    if not value:
        return 0
    try:
        return round(documents * float(value[:-1]) / 100) if value.endswith("%") else int(value)
    except ValueError:
        raise UserError(f"--overlap takes a number of documents or a percentage, not {value!r}") from None


def cmd_progress(args: argparse.Namespace) -> int:
    from workstation.review.progress import progress

    with open_project(args.project, read_only=True) as project, project.session() as session:
        entries = progress(session)
    if args.json:
        print(json.dumps([entry.to_dict() for entry in entries], ensure_ascii=False, indent=2))
    else:
        print("\n".join(entry.line() for entry in entries) or "no annotator has a layer yet")
    return 0


def cmd_package(args: argparse.Namespace) -> int:
    from workstation.review.packages import DocumentChoice, choose_documents, cut_package, cut_packages, split_documents

    choice = DocumentChoice(ids=_read_ids(args.ids) if args.ids else None, status=args.status,
                            query=args.documents or "", sample=args.sample, seed=args.seed)
    with open_project(args.project) as project:
        with project.session() as session:
            ids = choose_documents(session, choice, args.annotator)
        plan = split_documents(ids, args.annotator, _overlap(args.overlap, len(ids)), args.seed)
        if len(plan) == 1 and not args.out.is_dir():
            written = [(cut_package(project, args.annotator[0], ids, args.out), args.out)]
        else:
            args.out.mkdir(parents=True, exist_ok=True)
            written = cut_packages(project, plan, args.out)
    for info, path in written:
        print(f"{path}: {info.documents} document(s) for {info.annotator}")
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from workstation.review.merge import merge_packages

    with open_project(args.project) as project:
        report = merge_packages(project, args.packages, commit=not args.dry_run,
                                progress=progress_bar(sys.stderr.isatty()))
    print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) if args.json else report.summary())
    return 0


def cmd_conflicts(args: argparse.Namespace) -> int:
    from workstation.review.conflicts import format_conflicts, open_conflicts, resolve

    chosen = args.keep or args.take_other
    with open_project(args.project, read_only=chosen is None) as project:
        if chosen is not None:
            with project.session.begin() as session:
                command = resolve(session, chosen, take_other=args.take_other is not None)
                command.do(session)
            print(f"{command.text}: conflict {chosen} resolved")
        with project.session() as session:
            conflicts = open_conflicts(session)
    print(json.dumps([conflict.to_dict() for conflict in conflicts], ensure_ascii=False, indent=2) if args.json
          else format_conflicts(conflicts))
    return 0


def cmd_adjudicate(args: argparse.Namespace) -> int:
    from workstation.store.engine import driver_connection
    from workstation.store.gold_status import gold_documents, gold_progress, next_to_adjudicate

    with open_project(args.project, read_only=True) as project, project.session() as session:
        documents = gold_documents(driver_connection(session))
    if args.next:
        chosen = next_to_adjudicate(documents, args.after)
        if args.json:
            print(json.dumps(chosen and vars(chosen), ensure_ascii=False, indent=2))
        else:
            print(f"{chosen.id}\t{chosen.title}\t{chosen.state}" if chosen else "every document's gold is done")
        return 0
    if args.json:
        print(json.dumps({"progress": gold_progress(documents), "documents": [vars(doc) for doc in documents]},
                         ensure_ascii=False, indent=2))
        return 0
    progress = gold_progress(documents)
    for document in documents:
        print(f"{document.state:<12} {document.layers} layer(s)  {document.id}  {document.title}")
    print(f"gold: {progress['done']} of {progress['documents']} document(s) done, {progress['in progress']} in "
          f"progress, {progress['not started']} not started")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workstation", description="Annotation workstation for political news. "
                                     "Without a command, the GUI opens on the last project.")
    parser.add_argument("--version", action="version", version=f"workstation {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    gui = command("gui", cmd_gui, "open the GUI on a project file")
    gui.add_argument("project", nargs="?", type=project_ref)

    init = command("init", cmd_init, "create a new project")
    init.add_argument("project", type=project_ref)
    init.add_argument("--schema", type=Path,
                      help="annotation schema: JSON, or a brat annotation.conf (default: the PASE schema)")
    init.add_argument("--date-order", choices=("day-first", "month-first"), default="day-first",
                      help="how to read ambiguous numeric dates like 05/02/2020 (default: day-first)")
    init.add_argument("--language", default="en", help="language of the articles (default: en)")

    imp = command("import", cmd_import, "import articles (text, markdown, CSV, JSONL files or folders)")
    imp.add_argument("project", type=project_ref)
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    imp.add_argument("--format", choices=IMPORT_FORMATS, default="auto")
    imp.add_argument("--annotator", help="assign the new documents to this annotator")
    imp.add_argument("--text-column", default="text", help="CSV column holding the article text (default: text)")
    imp.add_argument("--title-column", help="CSV column holding the title (default: 'title' if present)")
    imp.add_argument("--date-column", help="CSV column holding the date (default: 'date' if present)")

    exp = command("export", cmd_export, "export documents and annotations")
    exp.add_argument("project", type=project_ref)
    exp.add_argument("--format", choices=tuple(EXPORTERS), required=True)
    exp.add_argument("--out", type=Path, required=True)
    exp.add_argument("--layer", metavar="ANNOTATOR", help="only this annotator's layer (or 'gold')")
    exp.add_argument("--status", choices=STATUSES, help="only documents with this status")
    exp.add_argument("--split", type=float, metavar="SHARE",
                     help="spacy: write the folders train/ and dev/ of DocBin shards (train/part-0001.spacy, "
                          "dev/part-0001.spacy, ...) into the --out folder, SHARE of documents to train; "
                          "each side gets at least one document")
    exp.add_argument("--seed", type=int, default=0, help="spacy: seed of the train/dev split (default: 0)")
    exp.add_argument("--all-mentions", action="store_true",
                     help="spacy/conll: entities from all mention types, not only NAME mentions")
    exp.add_argument("--force", action="store_true", help="brat: replace the --out folder if it has files in it")
    exp.add_argument("--provenance", action="store_true",
                     help="conll: start the file with a '#' line saying how it was made (some readers refuse it)")

    stats = command("stats", cmd_stats, "counts per annotator, status and type")
    stats.add_argument("project", type=project_ref)
    stats.add_argument("--json", action="store_true", help="machine-readable output")

    check = command("check", cmd_check, "integrity check: offsets, references, schema")
    check.add_argument("project", type=project_ref)

    package = command("package", cmd_package, "cut work packages: project files an annotator takes away")
    package.add_argument("project", type=project_ref)
    package.add_argument("--annotator", action="append", required=True, metavar="NAME",
                         help="who the package is for; repeat for several (then --out is a folder)")
    package.add_argument("--out", type=Path, required=True, metavar="FILE|FOLDER")
    package.add_argument("--ids", type=Path, metavar="FILE", help="only these documents (one id per line)")
    package.add_argument("--documents", metavar="QUERY", help="only documents matching this search")
    package.add_argument("--status", choices=STATUSES, help="only documents with this status for the annotator(s)")
    package.add_argument("--sample", type=int, metavar="N", help="a random sample of N of the chosen documents")
    package.add_argument("--seed", type=int, default=0, help="seed of the sample and of the split (default: 0)")
    package.add_argument("--overlap", metavar="N|P%",
                         help="documents every annotator gets (for agreement): a number, or a share like 20%%")

    merge = command("merge", cmd_merge, "merge returned work packages (merging twice changes nothing)")
    merge.add_argument("project", type=project_ref)
    merge.add_argument("packages", nargs="+", type=Path, metavar="PACKAGE")
    merge.add_argument("--dry-run", action="store_true", help="show what would change; change nothing")
    merge.add_argument("--json", action="store_true", help="machine-readable summary")

    adjudicate = command("adjudicate", cmd_adjudicate, "gold status of every document with annotators' layers, "
                         "and the next one to adjudicate")
    adjudicate.add_argument("project", type=project_ref)
    adjudicate.add_argument("--next", action="store_true", help="only the next document whose gold is not done")
    adjudicate.add_argument("--after", metavar="ID", help="with --next: the document just adjudicated")
    adjudicate.add_argument("--json", action="store_true", help="machine-readable output")

    conflicts = command("conflicts", cmd_conflicts, "merge conflicts not yet resolved, both versions side by side")
    conflicts.add_argument("project", type=project_ref)
    conflicts.add_argument("--json", action="store_true", help="machine-readable output")
    choice = conflicts.add_mutually_exclusive_group()
    choice.add_argument("--keep", metavar="ID", help="resolve this conflict keeping the version that stands")
    choice.add_argument("--take-other", metavar="ID", help="resolve this conflict taking the recorded version")

    prog = command("progress", cmd_progress, "per annotator: documents assigned and done, items per hour, "
                   "last activity")
    prog.add_argument("project", type=project_ref)
    prog.add_argument("--json", action="store_true", help="machine-readable output")

    agree = command("agreement", cmd_agreement, "inter-annotator agreement on documents with two or more layers")
    agree.add_argument("project", type=project_ref)
    agree.add_argument("--annotators", nargs="+", metavar="NAME",
                       help="compare these annotators, the first as reference (default: all but gold)")
    agree.add_argument("--json", action="store_true", help="every figure, per document and overall")
    agree.add_argument("--out", type=Path, metavar="FILE.xlsx", help="also write an Excel sheet of all figures")

    add_model_commands(command)
    add_server_commands(command)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        args = argparse.Namespace(project=None, handler=cmd_gui)
    try:
        status = args.handler(args)
        sys.stdout.flush()
        return status
    except UserError as error:
        print(f"workstation: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return _reader_went_away()
    except failure_types() as error:
        explained = explain_failure(error, getattr(args, "project", None))
        if explained is None:
            raise
        print(f"workstation: {explained}", file=sys.stderr)
        return 2
    finally:
        _settle_for_exit()


def _reader_went_away() -> int:
    """The output was piped into a reader that stopped early (`stats | head -1`): no traceback, and none at exit
    when Python flushes what is left for it."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _settle_for_exit() -> None:
    """What the command loaded lives until the process ends: set apart from the cycle collector, whose last
    pass over SQLAlchemy's objects at exit cost a third of `stats` on a small project. Nothing is skipped:
    objects are still finalised, files flushed and closed."""
    gc.freeze()
