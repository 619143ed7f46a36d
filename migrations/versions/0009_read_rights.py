"""read rights: what annotators may read is the supervisor's setting

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

On a PostgreSQL server whose rights are set up (`users add` made its group
roles), the annotators' read policies are made again so that they follow the
rule stored in `project_info` (`read_rights`: own, after-adjudication or all;
see workstation/store/read_rights.py). With no rule stored they read as before
(own layer and gold), so the downgrade takes the stored rule away. Files have
no roles: nothing changes on SQLite.
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def _rights_set_up(bind) -> bool:
    return bool(bind.scalar(sa.text("SELECT 1 FROM pg_roles WHERE rolname = current_database() || '_annotators'")))


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql' or not _rights_set_up(bind):
        return
    from workstation.store.server_roles import set_up_rights

    set_up_rights(bind, bind.scalar(sa.text("SELECT current_database()")))


def downgrade() -> None:
    op.execute("DELETE FROM project_info WHERE key = 'read_rights'")
