"""Rights on a server project, decided by PostgreSQL: a role per person, row-level security per layer.

Each project database has two group roles, `<database>_annotators` and `<database>_supervisors`, and each
person a login role in one of them (`users add`), named as their layer (the `annotator` row of that name).

- An annotator reads the documents, the registry, their own layer and gold, and others' layers as far as the
  supervisor's read rule allows (`read_rights.py`: by default none, so no peeking before adjudication), writes
  only their own layer and status, adds and edits registry entries but merges none, and changes neither
  documents, the schema and settings (the read rule among them), nor packages' state.
- A supervisor reads and writes everything: gold, the registry's merges, the schema, imports, merges of
  packages; `users` (run by the database's owner) manages both.

The policies name the layer through `current_user`, so no client can claim another's layer: the server
refuses the row ("violates row-level security policy") whatever the app sends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from sqlalchemy import Connection, text

from workstation.core.errors import UserError
from workstation.store.models import GOLD, ROLES
from workstation.store.read_rights import ADJUDICATED_FUNCTION, others_readable

if TYPE_CHECKING:
    import psycopg

ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,39}")
LAYER_TABLES = ("mention", "stance", "event", "mention_relation", "event_relation", "rejected_suggestion")
"""Rows of one annotator's layer (a rejected suggestion is part of their work, never of others')."""
READ_ONLY = ("document", "document_tokens", "project_info", "alembic_version", "annotator", "trained_model")
SHARED = ("forgotten_name",)
"""Names anyone may take out of (or put back into) the registry's learned names for suggestions."""
SUPERVISOR_ONLY = ("package_sync", "merge_conflict")
OWN = "(SELECT id FROM annotator WHERE name = current_user)"
GOLD_ID = f"(SELECT id FROM annotator WHERE name = '{GOLD}')"


@dataclass(frozen=True)
class ServerUser:
    name: str
    role: str


def group(database: str, role: str) -> str:
    return f"{database}_{role}s"


def checked_name(name: str) -> str:
    if not ROLE_NAME.fullmatch(name) or name == GOLD:
        raise UserError(f"{name!r} cannot be a user name: use lower-case letters, digits and _ (at most 40, "
                        f"not starting with a digit, not {GOLD!r})")
    return name


def _quoted(name: str) -> str:
    return f'"{name}"'


def _policies(table: str, annotators: str, supervisors: str) -> list[str]:
    """Row-level security of one layer table: supervisors see and write all; annotators write their own rows
    and read theirs, gold and what the read rule lets them see. An argument is seen with its event (whose own
    policy applies inside the sub-select)."""
    if table == "event_argument":
        own = f"EXISTS (SELECT 1 FROM event WHERE event.id = event_id AND event.annotator_id = {OWN})"
        seen = "EXISTS (SELECT 1 FROM event WHERE event.id = event_id)"
    else:
        own = f"annotator_id = {OWN}"
        seen = f"(annotator_id IN ({OWN}, {GOLD_ID}) OR {others_readable(table + '.document_id')})"
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS supervisor_all ON {table}",
        f"CREATE POLICY supervisor_all ON {table} TO {supervisors} USING (true) WITH CHECK (true)",
        f"DROP POLICY IF EXISTS annotator_read ON {table}",
        f"CREATE POLICY annotator_read ON {table} FOR SELECT TO {annotators} USING ({seen})",
        f"DROP POLICY IF EXISTS annotator_write ON {table}",
        f"CREATE POLICY annotator_write ON {table} FOR INSERT TO {annotators} WITH CHECK ({own})",
        f"DROP POLICY IF EXISTS annotator_change ON {table}",
        f"CREATE POLICY annotator_change ON {table} FOR UPDATE TO {annotators} USING ({own}) WITH CHECK ({own})",
        f"DROP POLICY IF EXISTS annotator_delete ON {table}",
        f"CREATE POLICY annotator_delete ON {table} FOR DELETE TO {annotators} USING ({own})",
    ]


def _registry_policies(annotators: str, supervisors: str) -> list[str]:
    """Annotators add and edit registry entries; a merge (`merged_into`) is the supervisor's."""
    return [
        "ALTER TABLE actor ENABLE ROW LEVEL SECURITY",
        "DROP POLICY IF EXISTS supervisor_all ON actor",
        f"CREATE POLICY supervisor_all ON actor TO {supervisors} USING (true) WITH CHECK (true)",
        "DROP POLICY IF EXISTS annotator_read ON actor",
        f"CREATE POLICY annotator_read ON actor FOR SELECT TO {annotators} USING (true)",
        "DROP POLICY IF EXISTS annotator_write ON actor",
        f"CREATE POLICY annotator_write ON actor FOR INSERT TO {annotators} WITH CHECK (merged_into IS NULL)",
        "DROP POLICY IF EXISTS annotator_change ON actor",
        f"CREATE POLICY annotator_change ON actor FOR UPDATE TO {annotators} USING (merged_into IS NULL) "
        "WITH CHECK (merged_into IS NULL)",
    ]


def set_up_rights(connection: Connection, database: str) -> None:
    """Create (or bring up to date) the two group roles, their grants and the policies; idempotent, run by the
    database's owner."""
    annotators, supervisors = (_quoted(group(database, role)) for role in ROLES)
    for name in (annotators, supervisors):
        exists = connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name.strip('"')})
        if not exists:
            connection.exec_driver_sql(f"CREATE ROLE {name} NOLOGIN")
        connection.exec_driver_sql(f'GRANT CONNECT ON DATABASE "{database}" TO {name}')
        connection.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {name}")
    connection.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {supervisors}")
    connection.exec_driver_sql(f"GRANT SELECT ON {', '.join(READ_ONLY)} TO {annotators}")
    layer = ", ".join(("assignment", "event_argument", *LAYER_TABLES))
    connection.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {layer} TO {annotators}")
    connection.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE ON actor TO {annotators}")
    connection.exec_driver_sql(f"GRANT SELECT, INSERT, DELETE ON {', '.join(SHARED)} TO {annotators}")
    connection.exec_driver_sql(f"REVOKE ALL ON {', '.join(SUPERVISOR_ONLY)} FROM {annotators}")
    connection.exec_driver_sql(ADJUDICATED_FUNCTION)
    statements = [*_registry_policies(annotators, supervisors)]
    for table in ("assignment", "event_argument", *LAYER_TABLES):
        statements += _policies(table, annotators, supervisors)
    for statement in statements:
        connection.exec_driver_sql(statement)


def add_user(connection: Connection, database: str, name: str, role: str, password: str) -> None:
    """A login role in the role's group, and the layer's `annotator` row (so the policies find it)."""
    name = checked_name(name)
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}: {' or '.join(ROLES)}")
    set_up_rights(connection, database)
    if connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}):
        raise UserError(f"the user {name} already exists on this server; remove them first or choose another name")
    from psycopg import sql

    driver = cast("psycopg.Connection", connection.connection.dbapi_connection)
    connection.exec_driver_sql(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
        sql.Identifier(name), sql.Literal(password), sql.Identifier(group(database, role))).as_string(driver))
    connection.execute(text("INSERT INTO annotator (id, name, role) VALUES (gen_random_uuid()::text, :n, :r) "
                            "ON CONFLICT (name) DO UPDATE SET role = excluded.role"), {"n": name, "r": role})


def remove_user(connection: Connection, name: str) -> None:
    """The login goes; the layer stays (its `annotator` row and items are the project's)."""
    name = checked_name(name)
    if not connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}):
        raise UserError(f"there is no user {name} on this server")
    connection.exec_driver_sql(f"DROP ROLE {_quoted(name)}")


def list_users(connection: Connection, database: str) -> list[ServerUser]:
    rows = connection.execute(text(
        "SELECT member.rolname, grp.rolname FROM pg_auth_members m JOIN pg_roles member ON member.oid = m.member "
        "JOIN pg_roles grp ON grp.oid = m.roleid WHERE grp.rolname IN (:a, :s) ORDER BY member.rolname"),
        {"a": group(database, "annotator"), "s": group(database, "supervisor")})
    return [ServerUser(name, "supervisor" if grp.endswith("_supervisors") else "annotator") for name, grp in rows]
