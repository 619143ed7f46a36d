"""suggestions

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

Suggestions from the actor registry, trained models and the trigger lexicon: an accepted one is an ordinary
mention or event that says it was suggested and by what (events get the origin mentions already had); rejected
ones are remembered per document and layer; names the registry learned and the user removed are remembered per
actor; trained models are listed with their scores.
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suggester', sa.String(), nullable=True))
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(), server_default='manual', nullable=False))
        batch_op.add_column(sa.Column('suggester', sa.String(), nullable=True))
        batch_op.create_check_constraint('origin', "origin IN ('manual', 'suggested', 'imported')")
    op.create_table('rejected_suggestion',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('document_id', sa.String(), nullable=False),
    sa.Column('annotator_id', sa.String(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(), nullable=False),
    sa.Column('actor_id', sa.String(), nullable=True),
    sa.Column('source', sa.String(), nullable=False),
    sa.Column('rejected_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], name=op.f('fk_rejected_suggestion_actor_id_actor'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['annotator_id'], ['annotator.id'], name=op.f('fk_rejected_suggestion_annotator_id_annotator')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_rejected_suggestion_document_id_document'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rejected_suggestion'))
    )
    with op.batch_alter_table('rejected_suggestion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rejected_suggestion_document_id_annotator_id'), ['document_id', 'annotator_id'], unique=False)
    op.create_table('forgotten_name',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('actor_id', sa.String(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], name=op.f('fk_forgotten_name_actor_id_actor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forgotten_name')),
    sa.UniqueConstraint('actor_id', 'name', name=op.f('uq_forgotten_name_actor_id_name'))
    )
    op.create_table('trained_model',
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('layers', sa.JSON(), nullable=False),
    sa.Column('sizes', sa.JSON(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_trained_model'))
    )


def downgrade() -> None:
    op.drop_table('trained_model')
    op.drop_table('forgotten_name')
    with op.batch_alter_table('rejected_suggestion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rejected_suggestion_document_id_annotator_id'))
    op.drop_table('rejected_suggestion')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_constraint('ck_event_origin', type_='check')
        batch_op.drop_column('suggester')
        batch_op.drop_column('origin')
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.drop_column('suggester')
