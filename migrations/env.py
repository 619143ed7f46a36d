"""Alembic environment: always run in code with a live connection (see workstation.store.migrate)."""

from alembic import context

from workstation.store.migrate import include_object
from workstation.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
