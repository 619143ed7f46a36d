"""What an export tells its caller: how many documents, and anything the user should know."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ExportReport:
    documents: int = 0
    messages: list[str] = field(default_factory=list)

    def summary(self, out: object) -> str:
        return f"wrote {self.documents} document(s) to {out}"
