"""plan records can be archived

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 23:45:00.000000

Lines, programs, projects, actors, pacts and commitments with history are archived instead of deleted:
``archived_on`` hides them from the dashboards while exports and the audit trail keep them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ARCHIVABLE = ("strategic_line", "program", "actor", "project", "pact", "commitment")


def upgrade() -> None:
    for table in ARCHIVABLE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("archived_on", sa.Date(), nullable=True))


def downgrade() -> None:
    for table in reversed(ARCHIVABLE):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("archived_on")
