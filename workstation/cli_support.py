"""What every command shares: a progress bar on a terminal, and projects opened (or created) with a server's
password asked on the terminal when `~/.pgpass` has none."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from workstation.core.progress import Progress
from workstation.store.failures import failure_types
from workstation.store.project_ref import ProjectRef, display_url, is_server_url

if TYPE_CHECKING:
    from workstation.store.project import Project


def progress_bar(enabled: bool) -> Progress:
    """A one-line bar on a terminal; silence when the output is piped or captured."""
    def show(done: int, total: int, message: str) -> None:
        if total:
            filled = 30 * done // total
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} {message[:40]:<40}")
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()
    return show if enabled else (lambda *_: None)


def _asking_password(open_: Callable[..., Project], ref: ProjectRef, *args: object, **kwargs: object) -> Project:
    """A server that wants a password `~/.pgpass` does not hold gets it from a prompt on the terminal, for this
    connection only (never stored); without a terminal the server's refusal is the message."""
    try:
        return open_(ref, *args, **kwargs)
    except failure_types() as error:
        from workstation.store.server import needs_password

        if not (is_server_url(ref) and needs_password(error) and sys.stdin.isatty()):
            raise
    import getpass

    return open_(ref, *args, password=getpass.getpass(f"password for {display_url(ref)}: "), **kwargs)


def open_project(ref: ProjectRef, *, read_only: bool = False) -> Project:
    """The store's `open_project`, imported by the commands that open one (SQLAlchemy comes with it)."""
    from workstation.store.project import open_project as open_

    return _asking_password(open_, ref, read_only=read_only)


def create_project(ref: ProjectRef, *args: object) -> Project:
    from workstation.store.project import create_project as create

    return _asking_password(create, ref, *args)


AddCommand = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]
"""How a module adds its commands to the parser: (name, handler, help) → the command's own parser."""
