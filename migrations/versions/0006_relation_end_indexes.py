"""relation end indexes

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

Deleting a mention or an event makes SQLite find the relations that cascade from
it, and the edit's undo record reads them first: without an index on each end,
both read the whole relation table of the project, on every delete.
"""

from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

ENDS = {'event_relation': ('from_event_id', 'to_event_id'),
        'mention_relation': ('from_mention_id', 'to_mention_id')}


def upgrade() -> None:
    for table, columns in ENDS.items():
        for column in columns:
            op.create_index(f'ix_{table}_{column}', table, [column], unique=False)


def downgrade() -> None:
    for table, columns in ENDS.items():
        for column in columns:
            op.drop_index(f'ix_{table}_{column}', table_name=table)
