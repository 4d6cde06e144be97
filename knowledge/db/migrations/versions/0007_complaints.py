"""complaints: drafts of the intake, registered complaints (the register of Annex 2)
and their events

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('complaint_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_complaint_drafts_citizen_id_citizens')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_drafts')),
    sa.UniqueConstraint('citizen_id', name=op.f('uq_complaint_drafts_citizen_id'))
    )
    with op.batch_alter_table('complaint_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_drafts_expires_at'), ['expires_at'], unique=False)

    op.create_table('complaints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=True),
    sa.Column('request_no', sa.String(length=32), nullable=True),
    sa.Column('citizen_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('register_no', sa.String(length=32), nullable=True),
    sa.Column('service_name', sa.Text(), nullable=True),
    sa.Column('region', sa.String(length=16), nullable=False),
    sa.Column('nature', sa.String(length=32), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('applicant', sa.Text(), nullable=True),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('forwarded_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('handled_by', sa.Text(), nullable=True),
    sa.Column('repeat_of', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reply_kk', sa.Text(), nullable=True),
    sa.Column('reply_ru', sa.Text(), nullable=True),
    sa.Column('responded_by', sa.Text(), nullable=True),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('responded_on', sa.Date(), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_complaints_agency_id_agencies')),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_complaints_citizen_id_citizens')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaints')),
    sa.UniqueConstraint('number', name=op.f('uq_complaints_number')),
    sa.UniqueConstraint('request_no', name=op.f('uq_complaints_request_no'))
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaints_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_citizen_id'), ['citizen_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_register_no'), ['register_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_status'), ['status'], unique=False)

    op.create_table('complaint_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('by', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_complaint_events_complaint_id_complaints')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_events'))
    )
    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_events_complaint_id'), ['complaint_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_events_complaint_id'))

    op.drop_table('complaint_events')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaints_status'))
        batch_op.drop_index(batch_op.f('ix_complaints_register_no'))
        batch_op.drop_index(batch_op.f('ix_complaints_created_at'))
        batch_op.drop_index(batch_op.f('ix_complaints_citizen_id'))
        batch_op.drop_index(batch_op.f('ix_complaints_agency_id'))

    op.drop_table('complaints')
    with op.batch_alter_table('complaint_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_drafts_expires_at'))

    op.drop_table('complaint_drafts')
