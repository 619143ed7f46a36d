"""A generated corpus for suggestions and training: short political news with gold NAME mentions.

Actors have a name and curated aliases; the text also names some of them by forms the registry does not know
("Kremlin", "Tayyip Erdogan"), so the registry's recall is below 1 and a model has something to learn.
Deterministic for a seed; `python -m benchmarks.suggestion_corpus OUT.jsonl [DOCS] [SEED]` writes it
(tests/data/suggestion_corpus.jsonl is `... 16 5`: 16 documents, seed 5).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ACTORS = [
    ("A01", "Recep Tayyip Erdogan", "GOV", ["Erdogan"], ["Tayyip Erdogan"]),
    ("A02", "Vladimir Putin", "GOV", ["Putin"], []),
    ("A03", "Emmanuel Macron", "GOV", ["Macron"], ["Manu"]),
    ("A04", "Bashar al-Assad", "GOV", ["Assad"], []),
    ("A05", "Turkey", "STATE", ["Ankara"], ["Türkiye"]),
    ("A06", "Russia", "STATE", ["Moscow"], ["Kremlin"]),
    ("A07", "France", "STATE", ["Paris"], []),
    ("A08", "Syria", "STATE", ["Damascus"], []),
    ("A09", "Justice and Development Party", "PARTY", ["AKP"], []),
    ("A10", "Syrian Democratic Forces", "REB", ["SDF"], []),
    ("A11", "Turkish Armed Forces", "MIL", [], ["Turkish army"]),
]
TEMPLATES = [
    "{GOV} said that {STATE} would respond to the attack.",
    "Officials in {STATE} accused {GOV} of breaking the ceasefire.",
    "Lawmakers of the {PARTY} backed {GOV} on Tuesday.",
    "{GOV} met {GOV} to discuss the border.",
    "The {MIL} shelled positions held by the {REB} near the border.",
    "{REB} fighters withdrew after talks between {STATE} and {STATE}.",
    "According to {STATE}, the {PARTY} will hold a congress.",
    "{STATE} and {STATE} signed an agreement on energy prices.",
    "Reporters asked {GOV} about sanctions against {STATE}.",
]


def _forms(actor: tuple) -> list[str]:
    _, name, _, aliases, unknown = actor
    return [name, *aliases, *aliases, *unknown]


def make_corpus(documents: int = 30, seed: int = 3, sentences: int = 5) -> list[dict]:
    """Native JSONL lines, each with the actors it mentions and a gold layer of NAME mentions."""
    rnd = random.Random(seed)
    by_type: dict[str, list[tuple]] = {}
    for actor in ACTORS:
        by_type.setdefault(actor[2], []).append(actor)
    lines = []
    for number in range(documents):
        text, mentions, used = "", [], set()
        for _ in range(sentences):
            template = rnd.choice(TEMPLATES)
            pieces = template.replace("}", "{").split("{")
            for index, piece in enumerate(pieces):
                if index % 2 == 0:
                    text += piece
                    continue
                actor = rnd.choice(by_type[piece])
                words = rnd.choice(_forms(actor))
                mentions.append({"id": f"M{len(mentions)}", "start": len(text), "end": len(text) + len(words),
                                 "type": "NAME", "actor": actor[0]})
                used.add(actor[0])
                text += words
            text += " "
        actors = [{"id": actor_id, "name": name, "type": kind, "kind": None, "country": None, "aliases": aliases}
                  for actor_id, name, kind, aliases, _ in ACTORS if actor_id in used]
        lines.append({"id": f"D{number:03}", "text": text.strip(), "meta": {"title": f"Report {number}"},
                      "actors": actors, "layers": [{"annotator": "gold", "status": "done", "mentions": mentions}]})
    return lines


def write_corpus(path: Path, documents: int = 30, seed: int = 3) -> Path:
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in make_corpus(documents, seed)),
                    encoding="utf-8")
    return path


if __name__ == "__main__":
    write_corpus(Path(sys.argv[1]), *(int(value) for value in sys.argv[2:4]))
