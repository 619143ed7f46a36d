"""layer spans index with actor

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

The text view labels each mention with its actor's name, so the index that covers
what it paints (0004) covers the mention's actor too: a 20,000-mention document
still opens from the index alone.
"""

from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

BEFORE = ['document_id', 'annotator_id', 'start', 'end', 'label', 'mention_type', 'id']
AFTER = ['document_id', 'annotator_id', 'start', 'end', 'label', 'mention_type', 'actor_id', 'id']


def _replace(columns: list[str]) -> None:
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.drop_index('ix_mention_layer_spans')
        batch_op.create_index('ix_mention_layer_spans', columns, unique=False)


def upgrade() -> None:
    _replace(AFTER)


def downgrade() -> None:
    _replace(BEFORE)
