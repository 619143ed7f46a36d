"""mention relations

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

Typed links between two mentions of a layer, for brat's R and * lines.
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('mention_relation',
    sa.Column('type', sa.String(), nullable=False),
    sa.Column('from_mention_id', sa.String(), nullable=False),
    sa.Column('to_mention_id', sa.String(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('external_id', sa.String(), nullable=True),
    sa.Column('document_id', sa.String(), nullable=False),
    sa.Column('annotator_id', sa.String(), nullable=False),
    sa.Column('attributes', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['annotator_id'], ['annotator.id'], name=op.f('fk_mention_relation_annotator_id_annotator')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_mention_relation_document_id_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['from_mention_id'], ['mention.id'], name=op.f('fk_mention_relation_from_mention_id_mention'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_mention_id'], ['mention.id'], name=op.f('fk_mention_relation_to_mention_id_mention'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mention_relation')),
    sa.UniqueConstraint('type', 'from_mention_id', 'to_mention_id', name=op.f('uq_mention_relation_type_from_mention_id_to_mention_id'))
    )
    with op.batch_alter_table('mention_relation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mention_relation_document_id_annotator_id'), ['document_id', 'annotator_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('mention_relation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mention_relation_document_id_annotator_id'))

    op.drop_table('mention_relation')
