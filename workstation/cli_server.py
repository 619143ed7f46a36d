"""The commands of server projects: `transfer` between a file and a database, and `users`."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from workstation.cli_support import AddCommand, open_project, progress_bar
from workstation.core.errors import UserError
from workstation.store.project_ref import display_url, is_server_url, project_ref

if TYPE_CHECKING:
    from sqlalchemy import Connection


def cmd_transfer(args: argparse.Namespace) -> int:
    """Two projects at once: a server's password comes from ~/.pgpass (or PGPASSWORD) here, not a prompt."""
    from workstation.store.transfer import transfer

    counts = transfer(args.source, args.target, progress_bar(sys.stderr.isatty()))
    print(f"copied {display_url(args.source)} to {display_url(args.target)}: "
          + ", ".join(f"{count} {table}" for table, count in counts.items() if count))
    return 0


def _new_password(name: str) -> str:
    """Asked twice on a terminal; else the first line of stdin (scripts), never an argument (`ps` shows
    those)."""
    if not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n")
    else:
        import getpass

        password = getpass.getpass(f"password for {name}: ")
        if getpass.getpass("again: ") != password:
            raise UserError("the two passwords differ; nothing was changed")
    if len(password) < 8:
        raise UserError("the password must have at least 8 characters; nothing was changed")
    return password


def cmd_users(args: argparse.Namespace) -> int:
    from workstation.store import read_rights, server_roles
    from workstation.store.server import server_url

    if not is_server_url(args.project):
        raise UserError("users are for server projects (a postgresql+psycopg:// URL); a project file has none",
                        file=args.project)
    database = str(server_url(args.project).database)
    if args.action in ("add", "remove") and not args.name:
        raise UserError(f"users {args.action} needs the user's name")
    with open_project(args.project) as project, project.engine.begin() as connection:
        if args.action == "add":
            role = "supervisor" if args.supervisor else "annotator"
            server_roles.add_user(connection, database, args.name, role, _new_password(args.name))
            print(f"added {args.name} ({role})")
        elif args.action == "remove":
            server_roles.remove_user(connection, args.name)
            print(f"removed {args.name} (their layer stays in the project)")
        elif args.action == "read" and args.name:
            _set_read_rule(connection, args.name)
        else:
            if args.action == "list":
                users = server_roles.list_users(connection, database)
                print("\n".join(f"{user.name}\t{user.role}" for user in users) or "no users yet")
            rule = read_rights.read_rule(connection)
            print(f"annotators read: {rule} ({read_rights.READ_RULES[rule]})")
    return 0


def _set_read_rule(connection: Connection, rule: str) -> None:
    """The database refuses an annotator; asking first gives them the reason rather than the server's words."""
    from workstation.store import read_rights

    rule = read_rights.checked_rule(rule)
    if not read_rights.may_set_rule(connection):
        raise UserError("only the project's supervisor sets what annotators may read; nothing was changed")
    read_rights.set_read_rule(connection, rule)
    print(f"annotators read: {rule} ({read_rights.READ_RULES[rule]})")


def add_server_commands(command: AddCommand) -> None:
    move = command("transfer", cmd_transfer, "copy a whole project between a file and a PostgreSQL database "
                   "(either way); the target must not exist yet (a file) or be empty (a database)")
    move.add_argument("source", type=project_ref, metavar="SOURCE")
    move.add_argument("target", type=project_ref, metavar="TARGET")

    users = command("users", cmd_users, "server projects: add, remove or list the people who may open it "
                    "(run as the database's owner; a new user's password is asked, or read from stdin); "
                    "`users read PROJECT_URL RULE`: what annotators may read of others' layers (the supervisor's "
                    "setting; without RULE, the one in force)")
    users.add_argument("action", choices=("add", "remove", "list", "read"))
    users.add_argument("project", type=project_ref, metavar="PROJECT_URL")
    users.add_argument("name", nargs="?", metavar="NAME|RULE",
                       help="add, remove: the user (also the name of their layer); read: own (their own layer and "
                            "gold), after-adjudication (and others' layers of documents whose gold is done) or all")
    users.add_argument("--supervisor", action="store_true",
                       help="add: may write gold, merge registry entries, change the schema and import")
