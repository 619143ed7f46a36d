"""layer spans index with version

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

The text view keeps each mention's row version (an edit made from the view expects it), so the index that
covers what it paints (0004, 0005) covers the version too: without it, showing the 1 MB document read its
20,000 mentions one table lookup at a time (all its spans 0.2 s → 1.9 s).
"""

from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

BEFORE = ['document_id', 'annotator_id', 'start', 'end', 'label', 'mention_type', 'actor_id', 'id']
AFTER = ['document_id', 'annotator_id', 'start', 'end', 'label', 'mention_type', 'actor_id', 'id', 'version']


def _replace(columns: list[str]) -> None:
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.drop_index('ix_mention_layer_spans')
        batch_op.create_index('ix_mention_layer_spans', columns, unique=False)


def upgrade() -> None:
    _replace(AFTER)


def downgrade() -> None:
    _replace(BEFORE)
