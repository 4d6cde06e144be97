"""onboarding: agency registry, staff, cases, events, reminders

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Text(), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('telegram_user_id', sa.BigInteger(), nullable=True),
    sa.Column('invite_code', sa.String(length=64), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_staff_agency_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
    sa.UniqueConstraint('invite_code', name=op.f('uq_staff_invite_code')),
    sa.UniqueConstraint('telegram_user_id', name=op.f('uq_staff_telegram_user_id'))
    )
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_role'), ['role'], unique=False)

    op.create_table('onboarding_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('register_no', sa.String(length=32), nullable=False),
    sa.Column('name_kk', sa.Text(), nullable=True),
    sa.Column('name_ru', sa.Text(), nullable=True),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('approved_on', sa.Date(), nullable=False),
    sa.Column('step', sa.String(length=32), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('activation_on', sa.Date(), nullable=True),
    sa.Column('responsible_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_onboarding_cases_agency_id_agencies')),
    sa.ForeignKeyConstraint(['responsible_id'], ['staff.id'], name=op.f('fk_onboarding_cases_responsible_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_onboarding_cases'))
    )
    with op.batch_alter_table('onboarding_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_onboarding_cases_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_onboarding_cases_register_no'), ['register_no'], unique=False)

    op.create_table('onboarding_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=32), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('by', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['onboarding_cases.id'], name=op.f('fk_onboarding_events_case_id_onboarding_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_onboarding_events'))
    )
    with op.batch_alter_table('onboarding_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_onboarding_events_case_id'), ['case_id'], unique=False)

    op.create_table('onboarding_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('fired_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['onboarding_cases.id'], name=op.f('fk_onboarding_reminders_case_id_onboarding_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_onboarding_reminders')),
    sa.UniqueConstraint('case_id', 'step', 'kind', name=op.f('uq_onboarding_reminders_case_id_step_kind'))
    )
    with op.batch_alter_table('onboarding_reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_onboarding_reminders_case_id'), ['case_id'], unique=False)

    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('region', sa.Text(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_column('region')
        batch_op.drop_column('email')
        batch_op.drop_column('kind')

    with op.batch_alter_table('onboarding_reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_onboarding_reminders_case_id'))

    op.drop_table('onboarding_reminders')
    with op.batch_alter_table('onboarding_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_onboarding_events_case_id'))

    op.drop_table('onboarding_events')
    with op.batch_alter_table('onboarding_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_onboarding_cases_register_no'))
        batch_op.drop_index(batch_op.f('ix_onboarding_cases_agency_id'))

    op.drop_table('onboarding_cases')
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_role'))
        batch_op.drop_index(batch_op.f('ix_staff_agency_id'))

    op.drop_table('staff')
