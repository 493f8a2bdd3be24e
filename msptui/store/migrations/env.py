"""Alembic environment: always run from `msptui.store.migrate` with a live connection."""

from alembic import context
from sqlmodel import SQLModel

from msptui.store import models  # noqa: F401  (registers the tables on the metadata)

connection = context.config.attributes.get("connection")
if connection is None:
    raise SystemExit("Run migrations through msptui (msptui.store.migrate), not the alembic CLI.")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    # SQLite cannot ALTER most things: batch mode rebuilds the table (foreign keys are off, see migrate.py).
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
