"""work packages

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

Per-unit digests of a package's layer (its base in a package file, its last
merged state in a project) and the versions that lost a merge conflict.
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('package_sync',
    sa.Column('package_id', sa.String(), nullable=False),
    sa.Column('unit', sa.String(), nullable=False),
    sa.Column('digest', sa.String(), nullable=True),
    sa.PrimaryKeyConstraint('package_id', 'unit', name=op.f('pk_package_sync'))
    )
    op.create_table('merge_conflict',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('package_id', sa.String(), nullable=False),
    sa.Column('unit', sa.String(), nullable=False),
    sa.Column('kept', sa.String(), nullable=False),
    sa.Column('other', sa.JSON(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kept IN ('project', 'package')", name=op.f('ck_merge_conflict_kept')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merge_conflict')),
    sa.UniqueConstraint('package_id', 'unit', name=op.f('uq_merge_conflict_package_id_unit'))
    )


def downgrade() -> None:
    op.drop_table('merge_conflict')
    op.drop_table('package_sync')
