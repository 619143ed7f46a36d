"""The import formats by name and by file suffix, apart from the readers.

The command line lists them in its help without loading any reader, so that
commands other than `import` start without the import machinery.
"""

from __future__ import annotations

from typing import Literal, get_args

ImportFormat = Literal["auto", "text", "markdown", "jsonl", "csv", "brat"]
IMPORT_FORMATS: tuple[str, ...] = get_args(ImportFormat)
SUFFIXES: dict[str, ImportFormat] = {".txt": "auto", ".md": "markdown", ".markdown": "markdown", ".jsonl": "jsonl",
                                     ".ndjson": "jsonl", ".csv": "csv"}
