"""Run one benchmark step in a fresh interpreter, so that the peak RSS it reports is that step's own.

`ru_maxrss` of RUSAGE_CHILDREN is the largest of all children so far, not of
the last one, so the child reads its own (RUSAGE_SELF) and prints it with its
figures.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
REPORT = """
import json as _json, resource as _resource
def report(**figures):
    figures["peak_rss_mb"] = round(_resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(_json.dumps(figures))
"""


def run_measured(script: str, *arguments: str) -> dict[str, Any]:
    """Run `script` (which ends by calling `report(**figures)`) with `sys.argv[1:] = arguments`."""
    child = subprocess.run([sys.executable, "-c", REPORT + script, *arguments], cwd=REPO, capture_output=True,
                           text=True)
    if child.returncode != 0:
        raise RuntimeError(f"benchmark child failed:\n{child.stderr}")
    return json.loads(child.stdout.splitlines()[-1])
