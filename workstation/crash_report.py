"""The text of a crash report: what failed, where, and on what installation, for the user to copy into a mail.

It is built from plain values so that the CLI, the GUI's dialog and the tests share it; it never includes
the article text or annotations, only the error and the versions.
"""

from __future__ import annotations

import traceback
from types import TracebackType

from workstation.about import facts_text


def crash_details(kind: type[BaseException], error: BaseException, trace: TracebackType | None,
                  facts: list[tuple[str, str]]) -> str:
    lines = traceback.format_exception(kind, error, trace)
    return f"{facts_text(facts)}\n\n{''.join(lines).rstrip()}"


def crash_summary(kind: type[BaseException], error: BaseException) -> str:
    """One line for the dialog's headline: the error's type and message."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{kind.__name__}: {message}" if message else kind.__name__
