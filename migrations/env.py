"""Alembic environment: runs on the connection handed over by ``core.db.upgrade`` or on ``DATABASE_URL``."""

from alembic import context
from sqlmodel import SQLModel

import core.models  # noqa: F401  (registers every table on the metadata)
from core.db import make_engine

target_metadata = SQLModel.metadata


def run_migrations(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    with make_engine().begin() as new_connection:
        run_migrations(new_connection)
