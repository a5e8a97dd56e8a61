"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26 13:57:01.015958
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('actor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('short_name', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('sector', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('contact_person', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('contact_phone', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('contact_email', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actor')),
    sa.UniqueConstraint('code', name=op.f('uq_actor_code')),
    sa.UniqueConstraint('name', name=op.f('uq_actor_name'))
    )
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('user_name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('table_name', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('row_id', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('before', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('after', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_at'), ['at'], unique=False)

    op.create_table('barrio',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('comuna', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('area_m2', sa.Float(), nullable=True),
    sa.Column('population', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_barrio')),
    sa.UniqueConstraint('code', name=op.f('uq_barrio_code'))
    )
    op.create_table('import_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('rows_total', sa.Integer(), nullable=False),
    sa.Column('rows_applied', sa.Integer(), nullable=False),
    sa.Column('rows_rejected', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch'))
    )
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_batch_sha256'), ['sha256'], unique=False)

    op.create_table('pact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('signed_date', sa.Date(), nullable=True),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pact')),
    sa.UniqueConstraint('code', name=op.f('uq_pact_code'))
    )
    op.create_table('setting',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('strategic_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('color', sqlmodel.sql.sqltypes.AutoString(length=9), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_strategic_line')),
    sa.UniqueConstraint('code', name=op.f('uq_strategic_line_code'))
    )
    op.create_table('app_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], name=op.f('fk_app_user_actor_id_actor')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_user')),
    sa.UniqueConstraint('username', name=op.f('uq_app_user_username'))
    )
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_app_user_actor_id'), ['actor_id'], unique=False)

    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('barrio_id', sa.Integer(), nullable=True),
    sa.Column('line_id', sa.Integer(), nullable=True),
    sa.Column('convened_by_actor_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['barrio_id'], ['barrio.id'], name=op.f('fk_event_barrio_id_barrio')),
    sa.ForeignKeyConstraint(['convened_by_actor_id'], ['actor.id'], name=op.f('fk_event_convened_by_actor_id_actor')),
    sa.ForeignKeyConstraint(['line_id'], ['strategic_line.id'], name=op.f('fk_event_line_id_strategic_line')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_barrio_id'), ['barrio_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_convened_by_actor_id'), ['convened_by_actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_line_id'), ['line_id'], unique=False)

    op.create_table('motivation_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('rated_on', sa.Date(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('rated_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.CheckConstraint('score >= 1 AND score <= 5', name=op.f('ck_motivation_rating_score_range')),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], name=op.f('fk_motivation_rating_actor_id_actor')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_motivation_rating'))
    )
    with op.batch_alter_table('motivation_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_motivation_rating_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_motivation_rating_rated_on'), ['rated_on'], unique=False)

    op.create_table('pact_line',
    sa.Column('pact_id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['strategic_line.id'], name=op.f('fk_pact_line_line_id_strategic_line')),
    sa.ForeignKeyConstraint(['pact_id'], ['pact.id'], name=op.f('fk_pact_line_pact_id_pact'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('pact_id', 'line_id', name=op.f('pk_pact_line'))
    )
    op.create_table('pact_member',
    sa.Column('pact_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], name=op.f('fk_pact_member_actor_id_actor')),
    sa.ForeignKeyConstraint(['pact_id'], ['pact.id'], name=op.f('fk_pact_member_pact_id_pact'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('pact_id', 'actor_id', name=op.f('pk_pact_member'))
    )
    op.create_table('program',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('component', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['strategic_line.id'], name=op.f('fk_program_line_id_strategic_line')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program')),
    sa.UniqueConstraint('code', name=op.f('uq_program_code'))
    )
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_program_line_id'), ['line_id'], unique=False)

    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('invited', sa.Boolean(), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=False),
    sa.Column('delegates', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], name=op.f('fk_attendance_actor_id_actor')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_attendance_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('event_id', 'actor_id', name='uq_attendance_event_actor')
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_event_id'), ['event_id'], unique=False)

    op.create_table('project',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('objective', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('stage', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('budget_cop', sa.Float(), nullable=True),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('lead_actor_id', sa.Integer(), nullable=True),
    sa.Column('funding_source', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.ForeignKeyConstraint(['lead_actor_id'], ['actor.id'], name=op.f('fk_project_lead_actor_id_actor')),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_project_program_id_program')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project')),
    sa.UniqueConstraint('code', name=op.f('uq_project_code'))
    )
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_lead_actor_id'), ['lead_actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_program_id'), ['program_id'], unique=False)

    op.create_table('commitment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('unit', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('baseline', sa.Float(), nullable=True),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('budget_cop', sa.Float(), nullable=True),
    sa.Column('pact_id', sa.Integer(), nullable=True),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['pact_id'], ['pact.id'], name=op.f('fk_commitment_pact_id_pact')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_commitment_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitment')),
    sa.UniqueConstraint('code', name=op.f('uq_commitment_code'))
    )
    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitment_pact_id'), ['pact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_project_id'), ['project_id'], unique=False)

    op.create_table('project_barrio',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('barrio_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['barrio_id'], ['barrio.id'], name=op.f('fk_project_barrio_barrio_id_barrio')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_barrio_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'barrio_id', name=op.f('pk_project_barrio'))
    )
    op.create_table('commitment_actor',
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('share', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], name=op.f('fk_commitment_actor_actor_id_actor')),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitment.id'], name=op.f('fk_commitment_actor_commitment_id_commitment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('commitment_id', 'actor_id', name=op.f('pk_commitment_actor'))
    )
    op.create_table('commitment_barrio',
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('barrio_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['barrio_id'], ['barrio.id'], name=op.f('fk_commitment_barrio_barrio_id_barrio')),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitment.id'], name=op.f('fk_commitment_barrio_commitment_id_commitment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('commitment_id', 'barrio_id', name=op.f('pk_commitment_barrio'))
    )
    op.create_table('progress_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('cut_off_date', sa.Date(), nullable=False),
    sa.Column('physical_pct', sa.Float(), nullable=True),
    sa.Column('achieved_value', sa.Float(), nullable=True),
    sa.Column('budget_executed_cop', sa.Float(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.Column('reported_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('physical_pct IS NULL OR (physical_pct >= 0 AND physical_pct <= 100)', name=op.f('ck_progress_report_pct_range')),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitment.id'], name=op.f('fk_progress_report_commitment_id_commitment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], name=op.f('fk_progress_report_import_batch_id_import_batch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_report')),
    sa.UniqueConstraint('commitment_id', 'cut_off_date', name='uq_progress_report_commitment_cut_off')
    )
    with op.batch_alter_table('progress_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_report_commitment_id'), ['commitment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_progress_report_cut_off_date'), ['cut_off_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_progress_report_import_batch_id'), ['import_batch_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('progress_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_report_import_batch_id'))
        batch_op.drop_index(batch_op.f('ix_progress_report_cut_off_date'))
        batch_op.drop_index(batch_op.f('ix_progress_report_commitment_id'))

    op.drop_table('progress_report')
    op.drop_table('commitment_barrio')
    op.drop_table('commitment_actor')
    op.drop_table('project_barrio')
    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitment_project_id'))
        batch_op.drop_index(batch_op.f('ix_commitment_pact_id'))

    op.drop_table('commitment')
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_program_id'))
        batch_op.drop_index(batch_op.f('ix_project_lead_actor_id'))

    op.drop_table('project')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_event_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_actor_id'))

    op.drop_table('attendance')
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_program_line_id'))

    op.drop_table('program')
    op.drop_table('pact_member')
    op.drop_table('pact_line')
    with op.batch_alter_table('motivation_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_motivation_rating_rated_on'))
        batch_op.drop_index(batch_op.f('ix_motivation_rating_actor_id'))

    op.drop_table('motivation_rating')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_line_id'))
        batch_op.drop_index(batch_op.f('ix_event_held_on'))
        batch_op.drop_index(batch_op.f('ix_event_convened_by_actor_id'))
        batch_op.drop_index(batch_op.f('ix_event_barrio_id'))

    op.drop_table('event')
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_app_user_actor_id'))

    op.drop_table('app_user')
    op.drop_table('strategic_line')
    op.drop_table('setting')
    op.drop_table('pact')
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batch_sha256'))

    op.drop_table('import_batch')
    op.drop_table('barrio')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_at'))

    op.drop_table('audit_entry')
    op.drop_table('actor')
