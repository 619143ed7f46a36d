"""Errors that reach the user as one line instead of a traceback."""

from __future__ import annotations

from os import PathLike


class UserError(Exception):
    """A problem with the user's input or request: bad file, unknown label, locked project.

    Carries the file and line so that the CLI and the GUI can print one clear
    line ("file:line: problem") without knowing where the error came from.
    """

    def __init__(self, problem: str, *, file: str | PathLike[str] | None = None, line: int | None = None):
        super().__init__(problem)
        self.problem = problem
        self.file = None if file is None else str(file)
        self.line = line

    def located(self, file: str | PathLike[str], line: int | None = None) -> UserError:
        """The same problem attributed to a file (and line), keeping a more precise location if set."""
        return UserError(self.problem, file=self.file or file, line=self.line if self.line is not None else line)

    def __str__(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        return f"{where}: {self.problem}" if where else self.problem


class SchemaViolation(ValueError):
    """An annotation uses a type, label, role or attribute value the project's schema does not define."""
