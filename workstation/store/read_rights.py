"""What annotators may read on a server project: the supervisor's setting, enforced by row-level security.

The rule is one row of `project_info` (key `read_rights`), which annotators may read but not write: the
policies of `server_roles` read it in every query, so a change applies at once to every client, without
re-creating a policy. No row, or a value the app does not know, reads as `own`, the strictest.

- `own`: an annotator reads their own layer and gold (no peeking before adjudication).
- `after-adjudication`: also the others' layers of a document once its gold status is done
  (`gold_status.py`: the gold layer's status).
- `all`: every layer.

Writing stays the same under every rule: an annotator writes only their own layer.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from workstation.core.errors import UserError
from workstation.store.models import GOLD

KEY = "read_rights"
READ_RULES = {
    "own": "their own layer and gold",
    "after-adjudication": "their own layer and gold, and the others' layers of a document once its gold is done",
    "all": "every layer",
}
"""Each rule with what an annotator reads under it."""
DEFAULT = "own"
NOTICE = f"SELECT pg_notify('workstation_changes', json_build_object('table', '{KEY}', 'op', 'update', " \
         "'user', current_user)::text)"
"""Clients listening for changes read the layers they may see again (`editing/change_feed.py`)."""

RULE = f"(SELECT value FROM project_info WHERE key = '{KEY}')"
ADJUDICATED = "workstation_adjudicated_documents"
ADJUDICATED_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {ADJUDICATED}() RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT assignment.document_id FROM assignment JOIN annotator ON annotator.id = assignment.annotator_id
    WHERE annotator.name = '{GOLD}' AND assignment.status = 'done'
$$"""
"""The documents whose gold is done. It runs with its owner's rights: the policy of `assignment` asks it, and a
policy reading its own table through the reader's rights would recurse."""


def others_readable(document: str) -> str:
    """The part of a read policy that lets an annotator see another's row of `document` (a column), by the rule.
    Each sub-select is run once per query, not per row."""
    return (f"({RULE} = 'all' OR ({RULE} = 'after-adjudication' "
            f"AND {document} IN (SELECT {ADJUDICATED}())))")


def read_rule(connection: Connection) -> str:
    """The rule in force (`own` when none was set, or one this app does not know)."""
    found = connection.scalar(text("SELECT value FROM project_info WHERE key = :key"), {"key": KEY})
    return found if found in READ_RULES else DEFAULT


def checked_rule(rule: str) -> str:
    if rule not in READ_RULES:
        raise UserError(f"unknown read rule {rule!r}: {', '.join(READ_RULES)}")
    return rule


def may_set_rule(connection: Connection) -> bool:
    """The database's own answer: only a supervisor (or the database's owner) may write `project_info`."""
    return bool(connection.scalar(text("SELECT has_table_privilege('project_info', 'UPDATE')")))


def may_read_table(connection: Connection, table: str) -> bool:
    """Whether the user's role may read `table` at all (merge conflicts and packages' state are the
    supervisor's); always on a file."""
    if connection.dialect.name != "postgresql":
        return True
    return bool(connection.scalar(text("SELECT has_table_privilege(:table, 'SELECT')"), {"table": table}))


def set_read_rule(connection: Connection, rule: str) -> None:
    """Store the rule (the server refuses an annotator's role: "permission denied") and tell the clients."""
    rule = checked_rule(rule)
    connection.execute(text("DELETE FROM project_info WHERE key = :key"), {"key": KEY})
    connection.execute(text("INSERT INTO project_info (key, value) VALUES (:key, :value)"),
                       {"key": KEY, "value": rule})
    connection.exec_driver_sql(NOTICE)
