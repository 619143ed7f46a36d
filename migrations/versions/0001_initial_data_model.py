"""initial data model

Revision ID: 0001
Revises: 
Create Date: 2026-11-25

The FTS5 index over title + text keeps its own copy of both (not external
content): document ids are UUID strings, and an external-content index keyed
on the implicit rowid would break when VACUUM renumbers rowids. It is SQLite's: on a PostgreSQL server
the search index is made by 0008.
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

FTS_UP = [
    "CREATE VIRTUAL TABLE document_fts USING fts5(document_id UNINDEXED, title, text, tokenize='unicode61')",
    "CREATE TRIGGER document_fts_insert AFTER INSERT ON document BEGIN "
    "INSERT INTO document_fts(document_id, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER document_fts_delete AFTER DELETE ON document BEGIN "
    "DELETE FROM document_fts WHERE document_id = old.id; END",
    "CREATE TRIGGER document_fts_title AFTER UPDATE OF title ON document BEGIN "
    "UPDATE document_fts SET title = new.title WHERE document_id = new.id; END",
]
FTS_DOWN = [
    "DROP TRIGGER document_fts_title",
    "DROP TRIGGER document_fts_delete",
    "DROP TRIGGER document_fts_insert",
    "DROP TABLE document_fts",
]


def upgrade() -> None:
    op.create_table('actor',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('external_id', sa.String(), nullable=True),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('type', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=True),
    sa.Column('country', sa.String(), nullable=True),
    sa.Column('code', sa.String(), nullable=True),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('merged_into', sa.String(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['merged_into'], ['actor.id'], name=op.f('fk_actor_merged_into_actor')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actor'))
    )
    with op.batch_alter_table('actor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actor_name'), ['name'], unique=False)

    op.create_table('annotator',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.CheckConstraint("role IN ('annotator', 'supervisor')", name=op.f('ck_annotator_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annotator')),
    sa.UniqueConstraint('name', name=op.f('uq_annotator_name'))
    )
    op.create_table('document',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('external_id', sa.String(), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_sha256', sa.String(), nullable=False),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('published', sa.String(), nullable=True),
    sa.Column('date_raw', sa.Text(), nullable=True),
    sa.Column('date_ambiguous', sa.Boolean(), nullable=False),
    sa.Column('language', sa.String(), nullable=False),
    sa.Column('meta', sa.JSON(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
    sa.UniqueConstraint('text_sha256', name=op.f('uq_document_text_sha256'))
    )
    op.create_table('project_info',
    sa.Column('key', sa.String(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_project_info'))
    )
    op.create_table('assignment',
    sa.Column('document_id', sa.String(), nullable=False),
    sa.Column('annotator_id', sa.String(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('new', 'in_progress', 'done', 'skipped')", name=op.f('ck_assignment_status')),
    sa.ForeignKeyConstraint(['annotator_id'], ['annotator.id'], name=op.f('fk_assignment_annotator_id_annotator')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_assignment_document_id_document'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', 'annotator_id', name=op.f('pk_assignment'))
    )
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_annotator_id_status'), ['annotator_id', 'status'], unique=False)

    op.create_table('event',
    sa.Column('type', sa.String(), nullable=False),
    sa.Column('trigger_start', sa.Integer(), nullable=False),
    sa.Column('trigger_end', sa.Integer(), nullable=False),
    sa.Column('date', sa.String(), nullable=True),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('external_id', sa.String(), nullable=True),
    sa.Column('document_id', sa.String(), nullable=False),
    sa.Column('annotator_id', sa.String(), nullable=False),
    sa.Column('attributes', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('trigger_start >= 0 AND trigger_end > trigger_start', name=op.f('ck_event_trigger')),
    sa.ForeignKeyConstraint(['annotator_id'], ['annotator.id'], name=op.f('fk_event_annotator_id_annotator')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_event_document_id_document'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_document_id_annotator_id'), ['document_id', 'annotator_id'], unique=False)

    op.create_table('mention',
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(), nullable=True),
    sa.Column('mention_type', sa.String(), nullable=True),
    sa.Column('actor_id', sa.String(), nullable=True),
    sa.Column('origin', sa.String(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('external_id', sa.String(), nullable=True),
    sa.Column('document_id', sa.String(), nullable=False),
    sa.Column('annotator_id', sa.String(), nullable=False),
    sa.Column('attributes', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("origin IN ('manual', 'suggested', 'imported')", name=op.f('ck_mention_origin')),
    sa.CheckConstraint('start >= 0 AND "end" > start', name=op.f('ck_mention_span')),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], name=op.f('fk_mention_actor_id_actor')),
    sa.ForeignKeyConstraint(['annotator_id'], ['annotator.id'], name=op.f('fk_mention_annotator_id_annotator')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_mention_document_id_document'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mention'))
    )
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mention_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mention_document_id_annotator_id'), ['document_id', 'annotator_id'], unique=False)

    op.create_table('stance',
    sa.Column('holder_id', sa.String(), nullable=False),
    sa.Column('target_id', sa.String(), nullable=True),
    sa.Column('issue', sa.Text(), nullable=True),
    sa.Column('issue_position', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(), nullable=False),
    sa.Column('polarity', sa.Integer(), nullable=False),
    sa.Column('strength', sa.Integer(), nullable=False),
    sa.Column('implicit_target', sa.Boolean(), nullable=False),
    sa.Column('evidence_start', sa.Integer(), nullable=True),
    sa.Column('evidence_end', sa.Integer(), nullable=True),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('external_id', sa.String(), nullable=True),
    sa.Column('document_id', sa.String(), nullable=False),
    sa.Column('annotator_id', sa.String(), nullable=False),
    sa.Column('attributes', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('polarity IN (-1, 0, 1)', name=op.f('ck_stance_polarity')),
    sa.CheckConstraint('strength BETWEEN 1 AND 3', name=op.f('ck_stance_strength')),
    sa.ForeignKeyConstraint(['annotator_id'], ['annotator.id'], name=op.f('fk_stance_annotator_id_annotator')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_stance_document_id_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['holder_id'], ['actor.id'], name=op.f('fk_stance_holder_id_actor')),
    sa.ForeignKeyConstraint(['target_id'], ['actor.id'], name=op.f('fk_stance_target_id_actor')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stance'))
    )
    with op.batch_alter_table('stance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stance_document_id_annotator_id'), ['document_id', 'annotator_id'], unique=False)

    op.create_table('event_argument',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('event_id', sa.String(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('mention_id', sa.String(), nullable=True),
    sa.Column('start', sa.Integer(), nullable=True),
    sa.Column('end', sa.Integer(), nullable=True),
    sa.CheckConstraint('(mention_id IS NOT NULL AND start IS NULL AND "end" IS NULL) OR (mention_id IS NULL AND start IS NOT NULL AND "end" > start)', name=op.f('ck_event_argument_filler')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_argument_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mention_id'], ['mention.id'], name=op.f('fk_event_argument_mention_id_mention'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_argument'))
    )
    with op.batch_alter_table('event_argument', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_argument_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_argument_mention_id'), ['mention_id'], unique=False)

    op.create_table('event_relation',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('external_id', sa.String(), nullable=True),
    sa.Column('document_id', sa.String(), nullable=False),
    sa.Column('annotator_id', sa.String(), nullable=False),
    sa.Column('type', sa.String(), nullable=False),
    sa.Column('from_event_id', sa.String(), nullable=False),
    sa.Column('to_event_id', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['annotator_id'], ['annotator.id'], name=op.f('fk_event_relation_annotator_id_annotator')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_event_relation_document_id_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['from_event_id'], ['event.id'], name=op.f('fk_event_relation_from_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_event_id'], ['event.id'], name=op.f('fk_event_relation_to_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_relation')),
    sa.UniqueConstraint('type', 'from_event_id', 'to_event_id', name=op.f('uq_event_relation_type_from_event_id_to_event_id'))
    )
    with op.batch_alter_table('event_relation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_relation_document_id_annotator_id'), ['document_id', 'annotator_id'], unique=False)


    if op.get_bind().dialect.name == "sqlite":
        for statement in FTS_UP:
            op.execute(statement)

def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in FTS_DOWN:
            op.execute(statement)
    with op.batch_alter_table('event_relation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_relation_document_id_annotator_id'))

    op.drop_table('event_relation')
    with op.batch_alter_table('event_argument', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_argument_mention_id'))
        batch_op.drop_index(batch_op.f('ix_event_argument_event_id'))

    op.drop_table('event_argument')
    with op.batch_alter_table('stance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stance_document_id_annotator_id'))

    op.drop_table('stance')
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mention_document_id_annotator_id'))
        batch_op.drop_index(batch_op.f('ix_mention_actor_id'))

    op.drop_table('mention')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_document_id_annotator_id'))

    op.drop_table('event')
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_annotator_id_status'))

    op.drop_table('assignment')
    op.drop_table('project_info')
    op.drop_table('document')
    op.drop_table('annotator')
    with op.batch_alter_table('actor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actor_name'))

    op.drop_table('actor')
