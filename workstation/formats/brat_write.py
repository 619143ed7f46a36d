"""A document's layer as brat standoff lines.

Mentions → T (type = label, else mention type), with the mention type as an A
line, the linked actor as an N line (`Workstation:<actor id>`), other
attributes as A lines and notes as # lines. Events → trigger T + E (repeated
roles numbered brat-style: Org-Arg, Org-Arg2), free-span arguments → T of type
`Span`. Event relations → R between E ids; mention relations → R, or one `*`
line per group for symmetric-transitive types. Stances → an E of type
`Stance` over the evidence span with Holder/Target arguments (a mention of
each actor) and StanceLabel/Strength/ImplicitTarget attributes: an E line
keeps the evidence span and the label, which an R line could not.
A trigger shared by several events is one T line that every E uses.
Attributes brat cannot hold (lists, numbers, text with spaces) are not
written; they are counted in `omitted`, which the export reports.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from workstation.core.records import DocumentRecord, LayerRecord, MentionRecord, actor_types, mention_label
from workstation.core.schema import METADATA_ATTRIBUTES, Schema
from workstation.formats.brat_ann import ACTOR_DATABASE, NOTE_TYPE
from workstation.formats.brat_conf import MENTION_TYPE_ATTRIBUTE, SPAN_TYPE, STANCE_TYPE

UNWRITABLE_ATTRIBUTE = ("attribute value(s) not written: brat holds single words and flags, not lists, numbers or "
                        "text with spaces")


class AnnWriter:
    """Numbers brat ids and collects lines for one document."""

    def __init__(self, record: DocumentRecord, layer: LayerRecord, schema: Schema):
        self.text, self.layer, self.schema = record.text, layer, schema
        self.names = {actor.id: actor.name for actor in record.actors}
        self.types = actor_types(record)
        self.lines: list[str] = []
        self.counters: dict[str, int] = defaultdict(int)
        self.ids: dict[str, str] = {}
        self.triggers: dict[tuple[str, tuple[int, int]], str] = {}
        self.omitted: Counter[str] = Counter()
        self.used_span = False

    def next_id(self, kind: str) -> str:
        self.counters[kind] += 1
        return f"{kind}{self.counters[kind]}"

    def textbound(self, kind: str, fragments: list[tuple[int, int]]) -> str:
        brat_id = self.next_id("T")
        offsets = ";".join(f"{start} {end}" for start, end in fragments)
        covered = " ".join(self.text[start:end] for start, end in fragments).replace("\n", " ")
        self.lines.append(f"{brat_id}\t{kind} {offsets}\t{covered}")
        return brat_id

    def attributes(self, target: str, attributes: dict[str, Any]) -> None:
        for name, value in attributes.items():
            if name in METADATA_ATTRIBUTES:
                continue
            if value is True:
                self.lines.append(f"{self.next_id('A')}\t{name} {target}")
            elif isinstance(value, str) and value and not value.isspace() and len(value.split()) == 1:
                self.lines.append(f"{self.next_id('A')}\t{name} {target} {value}")
            elif value not in (False, None, "", []):
                self.omitted[UNWRITABLE_ATTRIBUTE] += 1
        for link in attributes.get("normalizations", []):
            self.lines.append(f"{self.next_id('N')}\tReference {target} {link['db']}:{link['id']}\t{link['text']}")
        if attributes.get("note"):
            self.note(target, attributes["note"])
        for note in attributes.get("notes", []):
            self.note(target, note["text"], note["type"])

    def note(self, target: str, text: str, kind: str = NOTE_TYPE) -> None:
        """A note keeps its own spacing; only line breaks and tabs, which would end the line, become spaces."""
        self.lines.append(f"{self.next_id('#')}\t{kind} {target}\t{text.replace(chr(10), ' ').replace(chr(9), ' ')}")

    def trigger(self, kind: str, span: tuple[int, int]) -> str:
        """One T per trigger span and type, however many events it starts (brat warns of identical spans)."""
        key = (kind, tuple(span))
        if key not in self.triggers:
            self.triggers[key] = self.textbound(kind, [span])
        return self.triggers[key]

    def mention(self, m: MentionRecord) -> None:
        fragments = [tuple(f) for f in m.attributes.get("fragments", [])] or [(m.start, m.end)]
        brat_id = self.textbound(mention_label(m, self.types), fragments)
        self.ids[m.id] = brat_id
        if m.type is not None and self.schema.mention_types:
            self.lines.append(f"{self.next_id('A')}\t{MENTION_TYPE_ATTRIBUTE} {brat_id} {m.type}")
        if m.actor is not None:
            self.lines.append(f"{self.next_id('N')}\tReference {brat_id} {ACTOR_DATABASE}:{m.actor}\t"
                              f"{self.names.get(m.actor, m.actor)}")
        self.attributes(brat_id, m.attributes)

    def write(self) -> str:
        for m in self.layer.mentions:
            self.mention(m)
        event_roles = self._events()
        for r in self.layer.relations:
            if (r.source, r.type) not in event_roles:
                self.lines.append(f"{self.next_id('R')}\t{r.type} Arg1:{self.ids[r.source]} Arg2:{self.ids[r.target]}")
        self._mention_relations()
        self._stances()
        return "".join(f"{line}\n" for line in self.lines)

    def _events(self) -> set[tuple[str, str]]:
        """Write T + E lines; returns the (event, role) pairs whose fillers are events (written as E args)."""
        by_source: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for r in self.layer.relations:
            roles = self.schema.event_types[e.type].roles if (e := self._event(r.source)) else ()
            if r.type in roles:
                by_source[r.source].append((r.type, r.target))
        for e in self.layer.events:
            self.ids[e.id] = self.next_id("E")
        for e in self.layer.events:
            trigger = self.trigger(e.type, e.trigger)
            self.used_span = self.used_span or any(a.mention is None for a in e.arguments)
            arguments = [(a.role, self.ids[a.mention] if a.mention else self.trigger(SPAN_TYPE, a.span))
                         for a in e.arguments]
            arguments += [(role, self.ids[target]) for role, target in by_source[e.id]]
            seen: dict[str, int] = defaultdict(int)
            numbered = []
            for role, target in arguments:
                seen[role] += 1
                numbered.append(f"{role}{seen[role] if seen[role] > 1 else ''}:{target}")
            self.lines.append(f"{self.ids[e.id]}\t{' '.join([f'{e.type}:{trigger}', *numbered])}")
            self.attributes(self.ids[e.id], e.attributes)
        return {(source, role) for source, pairs in by_source.items() for role, _ in pairs}

    def _event(self, event_id: str) -> Any:
        return next((e for e in self.layer.events if e.id == event_id), None)

    def _mention_relations(self) -> None:
        groups: dict[str, list[list[str]]] = defaultdict(list)
        described = self.schema.data.get("relation_types")
        for r in self.layer.mention_relations:
            spec = described.get(r.type, "") if isinstance(described, dict) else ""
            if "symmetric-transitive" in spec and not r.attributes:
                _join(groups[r.type], self.ids[r.source], self.ids[r.target])
                continue
            brat_id = self.next_id("R")
            self.lines.append(f"{brat_id}\t{r.type} Arg1:{self.ids[r.source]} Arg2:{self.ids[r.target]}\t")
            self.attributes(brat_id, r.attributes)
        for kind, members in groups.items():
            for group in members:
                self.lines.append(f"*\t{kind} {' '.join(group)}")

    def _stances(self) -> None:
        mention_of = {}
        for m in self.layer.mentions:
            if m.actor is not None:
                mention_of.setdefault(m.actor, self.ids[m.id])
        for s in self.layer.stances:
            holder = mention_of.get(s.holder)
            if s.evidence is None or holder is None:
                self.omitted["stance(s) not written: brat needs an evidence span and a mention of the holder"] += 1
                continue
            arguments = [f"Holder:{holder}"]
            if s.target is not None and s.target in mention_of:
                arguments.append(f"Target:{mention_of[s.target]}")
            elif s.target is not None:
                self.omitted["stance target(s) not written: no mention of the target actor in the document"] += 1
            trigger = self.textbound(STANCE_TYPE, [s.evidence])
            brat_id = self.next_id("E")
            self.lines.append(f"{brat_id}\t{STANCE_TYPE}:{trigger} {' '.join(arguments)}")
            self.lines.append(f"{self.next_id('A')}\tStanceLabel {brat_id} {s.label}")
            self.lines.append(f"{self.next_id('A')}\tStrength {brat_id} {s.strength}")
            if s.implicit_target:
                self.lines.append(f"{self.next_id('A')}\tImplicitTarget {brat_id}")
            if s.issue:
                self.note(brat_id, f"issue: {s.issue}")


def _join(groups: list[list[str]], first: str, second: str) -> None:
    """Union of equivalence groups: brat's * line lists a whole group."""
    touching = [group for group in groups if first in group or second in group]
    merged: list[str] = []
    for group in touching:
        groups.remove(group)
        merged.extend(member for member in group if member not in merged)
    merged.extend(member for member in (first, second) if member not in merged)
    groups.append(merged)
