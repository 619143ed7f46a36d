"""The commands of suggestions and models: `suggest`, `train`, `evaluate`."""

from __future__ import annotations

import argparse
import json
import sys

from workstation.cli_support import AddCommand, open_project, progress_bar
from workstation.store.project_ref import project_ref


def cmd_suggest(args: argparse.Namespace) -> int:
    from collections import Counter

    from workstation.nlp.suggesting import suggest_documents

    with open_project(args.project, read_only=True) as project:
        if args.labels:
            from dataclasses import replace

            from workstation.nlp.model_suggester import label_table

            table = label_table(args.labels, project.schema.entity_types)
            project.settings = replace(project.settings, pipeline_labels=table)
        found = suggest_documents(project, args.source, args.documents or "", args.layer,
                                  progress=progress_bar(sys.stderr.isatty() and not args.json))
    if args.json:
        print(json.dumps([suggestion.to_dict(entry.document_id) for entry in found for suggestion in entry.suggestions],
                         ensure_ascii=False))
        return 0
    counts = Counter(suggestion.type for entry in found for suggestion in entry.suggestions)
    for suggestion_type, count in sorted(counts.items()):
        print(f"{suggestion_type}\t{count}")
    print(f"{sum(counts.values())} suggestion(s) in {len(found)} document(s) from {args.source}")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from workstation.core.span_scores import format_scores
    from workstation.nlp.model_files import saved_where
    from workstation.nlp.training import TrainingOptions, train_model

    options = TrainingOptions(layers=args.layer, name=args.name, split=args.split, seed=args.seed,
                              iterations=args.iterations)
    with open_project(args.project) as project:
        info = train_model(project, options, progress=progress_bar(sys.stderr.isatty()))
    print(format_scores(info.scores))
    sizes = info.sizes
    print(f"held-out: {sizes['held_out_documents']} document(s), {sizes['held_out_spans']} mention(s); trained on "
          f"{sizes['train_documents']} document(s), {sizes['train_sentences']} sentence(s) in {info.seconds:.1f} s")
    print(f"model '{info.name}' {saved_where(project, info.path)}")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from workstation.core.span_scores import format_scores
    from workstation.nlp.evaluation import evaluate

    with open_project(args.project, read_only=True) as project:
        scores, documents = evaluate(project, args.model, args.layer)
    print(format_scores({label: score.to_dict() for label, score in scores.items()}))
    print(f"{documents} document(s) of {', '.join(args.layer)} scored")
    return 0


def add_model_commands(command: AddCommand) -> None:
    suggest = command("suggest", cmd_suggest, "suggest mentions from the actor registry (or a trained model)")
    suggest.add_argument("project", type=project_ref)
    suggest.add_argument("--from", dest="source", default="registry", metavar="registry|MODEL",
                         help="the suggester: the actor registry (default), a trained model's name or an installed "
                              "spaCy pipeline")
    suggest.add_argument("--documents", metavar="QUERY", help="only documents matching this search")
    suggest.add_argument("--labels", metavar="TABLE",
                         help="with an installed spaCy pipeline as --from: its labels to actor types, "
                              "e.g. PERSON=GOV,GPE=STATE (default: the project's table)")
    suggest.add_argument("--layer", metavar="NAME",
                         help="leave out what this annotator's layer already holds or rejected")
    suggest.add_argument("--json", action="store_true",
                         help='one JSON array of {"document", "start", "end", "type", "actor", "source", "score"}')

    train = command("train", cmd_train, "train a spaCy model on layers' NAME mentions (from a blank language)")
    train.add_argument("project", type=project_ref)
    train.add_argument("--layer", action="append", required=True, metavar="NAME",
                       help="learn from this layer (e.g. gold); repeat for several")
    train.add_argument("--name", help="the model's name (default: the layers and the time)")
    train.add_argument("--split", type=float, default=0.8, metavar="SHARE",
                       help="share of documents to train on; the rest is held out and scored (default: 0.8)")
    train.add_argument("--seed", type=int, default=0, help="seed of the split and of training (default: 0)")
    train.add_argument("--iterations", type=int, default=15, help="passes over the training part (default: 15)")

    evaluate = command("evaluate", cmd_evaluate, "precision, recall and F1 per label of a model (or the "
                       "registry) against a layer")
    evaluate.add_argument("project", type=project_ref)
    evaluate.add_argument("--model", required=True, metavar="NAME", help="a trained model's name, or 'registry'")
    evaluate.add_argument("--layer", action="append", required=True, metavar="NAME",
                          help="the reference layer (e.g. gold); repeat for several")
