"""reporting rounds

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 01:47:56.452773

Reporting rounds (issue 17): a round asks its member actors for their progress at one cut-off date by a deadline;
what it asked of each member (its open commitments then) is kept, so who answered is known. Contact consent
(Ley 1581 de 2012) is a table, not a column of the actor: each authorization or withdrawal is kept, the latest decides.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reporting_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("cut_off_date", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("opened_by", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("opened_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("closed_by", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.CheckConstraint("deadline >= cut_off_date", name=op.f("ck_reporting_round_deadline_after_cut_off")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporting_round")),
    )
    with op.batch_alter_table("reporting_round", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reporting_round_cut_off_date"), ["cut_off_date"], unique=False)

    op.create_table(
        "contact_consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("evidence", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("recorded_by", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["actor.id"], name=op.f("fk_contact_consent_actor_id_actor")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_consent")),
    )
    with op.batch_alter_table("contact_consent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_consent_actor_id"), ["actor_id"], unique=False)

    op.create_table(
        "round_member",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("reminded_on", sa.Date(), nullable=True),
        sa.Column("reminded_by", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("reminders", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["actor.id"], name=op.f("fk_round_member_actor_id_actor")),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["reporting_round.id"],
            name=op.f("fk_round_member_round_id_reporting_round"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("round_id", "actor_id", name=op.f("pk_round_member")),
    )
    op.create_table(
        "round_commitment",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["actor.id"], name=op.f("fk_round_commitment_actor_id_actor")),
        sa.ForeignKeyConstraint(
            ["commitment_id"], ["commitment.id"], name=op.f("fk_round_commitment_commitment_id_commitment")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["reporting_round.id"],
            name=op.f("fk_round_commitment_round_id_reporting_round"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("round_id", "actor_id", "commitment_id", name=op.f("pk_round_commitment")),
    )
    with op.batch_alter_table("round_commitment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_round_commitment_commitment_id"), ["commitment_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("round_commitment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_round_commitment_commitment_id"))

    op.drop_table("round_commitment")
    op.drop_table("round_member")
    with op.batch_alter_table("contact_consent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_consent_actor_id"))

    op.drop_table("contact_consent")
    with op.batch_alter_table("reporting_round", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reporting_round_cut_off_date"))

    op.drop_table("reporting_round")
