"""vision and adoption of the plan

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 01:41:47.210951

The records of DESIGN.md §8: the plan's profile and vision with its ideas-fuerza, each actor's planning instruments
and the crosswalk of their lines with the plan's, the milestones of institutionalization with their editable
catalogue, and Presupuesto Participativo ceilings and projects. No personal data in any of them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idea_fuerza",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("archived_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idea_fuerza")),
        sa.UniqueConstraint("code", name=op.f("uq_idea_fuerza_code")),
    )
    op.create_table(
        "milestone_kind",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("group_name", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("archived_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone_kind")),
        sa.UniqueConstraint("code", name=op.f("uq_milestone_kind_code")),
    )
    op.create_table(
        "plan_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=False),
        sa.Column("horizon_years", sa.Integer(), nullable=False),
        sa.Column("vision", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("adopted_act", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("adopted_on", sa.Date(), nullable=True),
        sa.Column("source_document", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_profile")),
        sa.UniqueConstraint("code", name=op.f("uq_plan_profile_code")),
    )
    op.create_table(
        "pp_ceiling",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("ceiling_cop", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pp_ceiling")),
        sa.UniqueConstraint("year", name=op.f("uq_pp_ceiling_year")),
    )
    op.create_table(
        "idea_line",
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["idea_id"], ["idea_fuerza.id"], name=op.f("fk_idea_line_idea_id_idea_fuerza"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["line_id"], ["strategic_line.id"], name=op.f("fk_idea_line_line_id_strategic_line")),
        sa.PrimaryKeyConstraint("idea_id", "line_id", name=op.f("pk_idea_line")),
    )
    op.create_table(
        "instrument",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("period_start", sa.Integer(), nullable=True),
        sa.Column("period_end", sa.Integer(), nullable=True),
        sa.Column("adopted_act", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("adopted_on", sa.Date(), nullable=True),
        sa.Column("link", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("archived_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["actor.id"], name=op.f("fk_instrument_actor_id_actor")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instrument")),
        sa.UniqueConstraint("code", name=op.f("uq_instrument_code")),
    )
    with op.batch_alter_table("instrument", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_instrument_actor_id"), ["actor_id"], unique=False)

    op.create_table(
        "milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("kind_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("issuer", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("act_type", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("act_number", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("act_date", sa.Date(), nullable=True),
        sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("evidence", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("archived_on", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "status <> 'logrado' OR act_number <> '' OR evidence <> ''",
            name=op.f("ck_milestone_achieved_has_act_or_evidence"),
        ),
        sa.ForeignKeyConstraint(["kind_id"], ["milestone_kind.id"], name=op.f("fk_milestone_kind_id_milestone_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone")),
        sa.UniqueConstraint("code", name=op.f("uq_milestone_code")),
    )
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_milestone_kind_id"), ["kind_id"], unique=False)

    op.create_table(
        "instrument_line",
        sa.Column("instrument_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["instrument_id"],
            ["instrument.id"],
            name=op.f("fk_instrument_line_instrument_id_instrument"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["line_id"], ["strategic_line.id"], name=op.f("fk_instrument_line_line_id_strategic_line")
        ),
        sa.PrimaryKeyConstraint("instrument_id", "line_id", name=op.f("pk_instrument_line")),
    )
    op.create_table(
        "milestone_line",
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_id"], ["strategic_line.id"], name=op.f("fk_milestone_line_line_id_strategic_line")
        ),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["milestone.id"],
            name=op.f("fk_milestone_line_milestone_id_milestone"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("milestone_id", "line_id", name=op.f("pk_milestone_line")),
    )
    op.create_table(
        "alignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("instrument_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("their_code", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("their_text", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("resources_cop", sa.Float(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("evidence", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("verified_by", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.Column("archived_on", sa.Date(), nullable=True),
        sa.CheckConstraint("level >= 0 AND level <= 3", name=op.f("ck_alignment_level_range")),
        sa.CheckConstraint("year IS NULL OR (year >= 1990 AND year <= 2100)", name=op.f("ck_alignment_year_range")),
        sa.ForeignKeyConstraint(
            ["instrument_id"], ["instrument.id"], name=op.f("fk_alignment_instrument_id_instrument")
        ),
        sa.ForeignKeyConstraint(["line_id"], ["strategic_line.id"], name=op.f("fk_alignment_line_id_strategic_line")),
        sa.ForeignKeyConstraint(["program_id"], ["program.id"], name=op.f("fk_alignment_program_id_program")),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], name=op.f("fk_alignment_project_id_project")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alignment")),
        sa.UniqueConstraint("code", name=op.f("uq_alignment_code")),
    )
    with op.batch_alter_table("alignment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alignment_instrument_id"), ["instrument_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_alignment_line_id"), ["line_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_alignment_program_id"), ["program_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_alignment_project_id"), ["project_id"], unique=False)

    op.create_table(
        "pp_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("dependencia_id", sa.Integer(), nullable=False),
        sa.Column("assigned_cop", sa.Float(), nullable=True),
        sa.Column("executed_cop", sa.Float(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=True),
        sa.Column("program_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("archived_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["dependencia_id"], ["actor.id"], name=op.f("fk_pp_project_dependencia_id_actor")),
        sa.ForeignKeyConstraint(["line_id"], ["strategic_line.id"], name=op.f("fk_pp_project_line_id_strategic_line")),
        sa.ForeignKeyConstraint(["program_id"], ["program.id"], name=op.f("fk_pp_project_program_id_program")),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], name=op.f("fk_pp_project_project_id_project")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pp_project")),
        sa.UniqueConstraint("code", name=op.f("uq_pp_project_code")),
    )
    with op.batch_alter_table("pp_project", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pp_project_dependencia_id"), ["dependencia_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pp_project_line_id"), ["line_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pp_project_program_id"), ["program_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pp_project_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pp_project_year"), ["year"], unique=False)

    op.create_table(
        "pp_project_barrio",
        sa.Column("pp_project_id", sa.Integer(), nullable=False),
        sa.Column("barrio_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["barrio_id"], ["barrio.id"], name=op.f("fk_pp_project_barrio_barrio_id_barrio")),
        sa.ForeignKeyConstraint(
            ["pp_project_id"],
            ["pp_project.id"],
            name=op.f("fk_pp_project_barrio_pp_project_id_pp_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pp_project_id", "barrio_id", name=op.f("pk_pp_project_barrio")),
    )


def downgrade() -> None:
    op.drop_table("pp_project_barrio")
    with op.batch_alter_table("pp_project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pp_project_year"))
        batch_op.drop_index(batch_op.f("ix_pp_project_project_id"))
        batch_op.drop_index(batch_op.f("ix_pp_project_program_id"))
        batch_op.drop_index(batch_op.f("ix_pp_project_line_id"))
        batch_op.drop_index(batch_op.f("ix_pp_project_dependencia_id"))

    op.drop_table("pp_project")
    with op.batch_alter_table("alignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alignment_project_id"))
        batch_op.drop_index(batch_op.f("ix_alignment_program_id"))
        batch_op.drop_index(batch_op.f("ix_alignment_line_id"))
        batch_op.drop_index(batch_op.f("ix_alignment_instrument_id"))

    op.drop_table("alignment")
    op.drop_table("milestone_line")
    op.drop_table("instrument_line")
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestone_kind_id"))

    op.drop_table("milestone")
    with op.batch_alter_table("instrument", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_instrument_actor_id"))

    op.drop_table("instrument")
    op.drop_table("idea_line")
    op.drop_table("pp_ceiling")
    op.drop_table("plan_profile")
    op.drop_table("milestone_kind")
    op.drop_table("idea_fuerza")
