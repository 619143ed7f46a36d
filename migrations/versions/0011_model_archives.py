"""model archives

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

A server project keeps each trained model's files in the database (a gzipped tar of its folder), so every
client can suggest from it: a file project keeps them beside the file, which no other client reaches.
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('trained_model', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archive', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('trained_model', schema=None) as batch_op:
        batch_op.drop_column('archive')
