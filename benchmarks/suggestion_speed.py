"""Suggestions measured: registry suggestion time on the peers' S (3 kB) and L (1 MB) documents, P/R/F1 of the
registry and of a trained model on held-out documents, training time per 1,000 sentences, key presses saved.

Suggesting is timed on the user's path, as the text view's worker runs it (`suggest_document`: the matcher
over the tokens, then what the layer holds or rejected left out), against a bare spaCy tokenizer over the same
text in the same run. The registry of the peer documents learned its names from their layer (the 29 entity
phrases, linked to five actors), plus 200 curated actors of two names each that the text never names.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select

from benchmarks.edit_speed import PEER_DOCS
from benchmarks.suggestion_corpus import write_corpus
from workstation.editing.annotations import create_actor
from workstation.editing.editor import Editor
from workstation.formats.importing import import_paths
from workstation.nlp.evaluation import evaluate
from workstation.nlp.pipeline import blank_pipeline
from workstation.nlp.registry_suggester import RegistrySuggester
from workstation.nlp.suggesting import RegistrySource, suggest_document
from workstation.nlp.training import TrainingOptions, train_model
from workstation.store.models import Document
from workstation.store.project import create_project
from workstation.store.suggestion_names import suggestion_names
from workstation.store.training_rows import labelled_texts

REPEATS = 7
TARGETS_MS = {"S": 50, "L": 1000}
KEYS_PER_MANUAL_MENTION = 5
"""Without suggestions, after selecting the words (mouse): the type's number, three letters of the actor's name
in the actor form's search, Enter."""


def _median_ms(action) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 2)


def suggestion_time(folder: Path) -> dict[str, dict[str, float]]:
    subprocess.run([sys.executable, str(PEER_DOCS), str(folder)], check=True, capture_output=True)
    figures = {}
    with create_project(folder / "peer.sqlite") as project:
        import_paths(project, [folder / "S.jsonl", folder / "L.jsonl"])
        editor = Editor(project, "bench")
        for number in range(200):
            editor.run(create_actor(project.schema, f"Registry actor {number}", "GOV",
                                    aliases=[f"Alias{number} Somewhere"]))
        registry = RegistrySource()
        tokenizer = blank_pipeline("en").tokenizer
        with project.session() as session:
            started = time.perf_counter()
            registry.suggester(session, "en")
            build_ms = round((time.perf_counter() - started) * 1000, 2)
            for name in TARGETS_MS:
                document_id, text = session.query(Document.id, Document.text).filter(
                    Document.external_id == f"peer-{name}").one()
                found = suggest_document(session, registry, document_id, text, "en", None)
                suggest = _median_ms(lambda: suggest_document(session, registry, document_id, text, "en", None))
                baseline = _median_ms(lambda: tokenizer(text))
                figures[name] = {"bytes": len(text.encode()), "suggestions": len(found), "suggest_ms": suggest,
                                 "tokenizer_ms": baseline, "ratio_to_tokenizer": round(suggest / baseline, 2),
                                 "target_ms": TARGETS_MS[name]}
    figures["registry_build_ms"] = {"actors": 205, "ms": build_ms}
    return figures


def model_and_registry_scores(folder: Path, documents: int) -> dict[str, object]:
    corpus = write_corpus(folder / "corpus.jsonl", documents, seed=11)
    with create_project(folder / "corpus.sqlite") as project:
        import_paths(project, [corpus])
        info = train_model(project, TrainingOptions(layers=["gold"], name="bench", split=0.8, seed=1))
        model, model_documents = evaluate(project, "bench", ["gold"])
        registry, registry_documents = evaluate(project, "registry", ["gold"])
    per_thousand = info.seconds / info.sizes["train_sentences"] * 1000
    return {"sizes": info.sizes, "training_s": round(info.seconds, 2),
            "training_s_per_1000_sentences": round(per_thousand, 2),
            "model_held_out": {label: score.to_dict() for label, score in model.items()},
            "model_documents": model_documents,
            "registry_curated_names": {label: score.to_dict() for label, score in registry.items()},
            "registry_documents": registry_documents}


def keystrokes(folder: Path) -> dict[str, int]:
    """On a generated document whose actors the registry knows (by their curated names: the document's own
    mentions teach it nothing here): key presses to annotate every NAME mention by hand, and with suggestions
    (Tab to an actor's first suggestion and Ctrl+Enter for each actor, Tab and Backspace for each wrong one, by
    hand for each one missed)."""
    corpus = write_corpus(folder / "one.jsonl", 1, seed=23)
    with create_project(folder / "one.sqlite") as project:
        import_paths(project, [corpus])
        with project.session() as session:
            text = session.scalar(select(Document.text))
            suggester = RegistrySuggester("en")
            suggester.update({actor_id: replace(actor, learned=())
                              for actor_id, actor in suggestion_names(session).items()})
            found = suggester.suggest(text)
            [gold] = labelled_texts(session, ["gold"])
    wanted = {(start, end) for start, end, _ in gold.spans}
    right = [s for s in found if (s.start, s.end) in wanted]
    wrong = len(found) - len(right)
    missed = len(wanted - {(s.start, s.end) for s in right})
    actors = len({s.actor_id for s in right})
    return {"name_mentions": len(wanted), "keys_without": len(wanted) * KEYS_PER_MANUAL_MENTION,
            "keys_with": 2 * actors + 2 * wrong + KEYS_PER_MANUAL_MENTION * missed,
            "suggested_right": len(right), "suggested_wrong": wrong, "missed": missed}


def run(documents: int = 100) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        return {"registry_suggestion_time": suggestion_time(root),
                "scores_and_training": model_and_registry_scores(root, documents),
                "keystrokes": keystrokes(root)}


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
