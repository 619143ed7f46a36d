"""document tokens

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

Each document's tokens, stored at import so that token exports need not tokenize again (see
`models.DocumentTokens`). Existing documents get theirs at the project's next import; until then an export
tokenizes them as before. On a server whose rights are set up, annotators may read the new table.
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'document_tokens',
        sa.Column('document_id', sa.String(), nullable=False),
        sa.Column('tokenizer', sa.String(), nullable=False),
        sa.Column('tokens', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_tokens_document_id_document'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('document_id', name=op.f('pk_document_tokens')),
    )
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql' and bind.scalar(
            sa.text("SELECT 1 FROM pg_roles WHERE rolname = current_database() || '_annotators'")):
        from workstation.store.server_roles import set_up_rights

        set_up_rights(bind, bind.scalar(sa.text("SELECT current_database()")))


def downgrade() -> None:
    op.drop_table('document_tokens')
