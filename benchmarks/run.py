"""`make bench`: run the scale benchmarks and print their figures as ratios to raw SQLite."""

from __future__ import annotations

import argparse
import json

from benchmarks import export_speed, import_speed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--mentions", type=int, default=50, help="mentions per document in the JSONL corpus")
    parser.add_argument("--only", choices=("import", "export", "edit", "open", "merge", "startup", "suggest", "team"),
                        help="run one benchmark")
    parser.add_argument("--server", metavar="URL",
                        help="a PostgreSQL server a database can be made on: opening the project there too, cutting "
                             "and merging a package, and the team load (20 annotator processes), against the same "
                             "on a file")
    args = parser.parse_args()
    results = {}
    if args.only in (None, "import"):
        results["import"] = import_speed.run(args.documents, args.mentions)
    if args.only in (None, "export"):
        results["export"] = export_speed.run(args.documents, args.mentions)
    if args.only in (None, "edit"):
        from benchmarks import edit_speed
        results["edit"] = edit_speed.run()
    if args.only in (None, "open"):
        from benchmarks import project_open_speed
        results["open project"] = project_open_speed.run(args.documents, args.mentions, args.server)
    if args.only in (None, "merge"):
        from benchmarks import merge_speed
        results["merge package"] = merge_speed.run(max(1, args.documents // 10), server=args.server)
    if args.only in (None, "startup"):
        from benchmarks import startup_speed
        results["startup"] = startup_speed.run()
    if args.only in (None, "suggest"):
        from benchmarks import suggestion_speed
        results["suggestions"] = suggestion_speed.run()
    if args.only in (None, "team") and args.server:
        from benchmarks import team_load
        results["team load"] = team_load.run(args.server)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
