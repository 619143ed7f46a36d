"""What an export tells its caller: how many documents, and anything the user should know.

The rule every export keeps: each item of the project is carried, or counted
here by kind and reason, and the CLI and the Export dialog show the count.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class ExportReport:
    documents: int = 0
    messages: list[str] = field(default_factory=list)

    def summary(self, out: object) -> str:
        return f"wrote {self.documents} document(s) to {out}"

    def add_omissions(self, omitted: Counter[str]) -> None:
        """One message per kind of item the format could not carry: `<count> <kind> not written: <why>`."""
        self.messages.extend(f"{count} {what}" for what, count in sorted(omitted.items()) if count)
