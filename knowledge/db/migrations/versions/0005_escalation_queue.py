"""escalation queue: routing and grouping, events, refusals and notices, curation,
the question log, deadline flags, monthly reports

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('deadline_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=32), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('fired_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_flags')),
    sa.UniqueConstraint('subject', 'subject_id', 'kind', name=op.f('uq_deadline_flags_subject_subject_id_kind'))
    )
    op.create_table('monthly_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('generated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('generated_on', sa.Date(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monthly_reports')),
    sa.UniqueConstraint('month', name=op.f('uq_monthly_reports_month'))
    )
    op.create_table('monthly_report_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=128), nullable=False),
    sa.Column('content_type', sa.String(length=128), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['monthly_reports.id'], name=op.f('fk_monthly_report_files_report_id_monthly_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monthly_report_files'))
    )
    with op.batch_alter_table('monthly_report_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monthly_report_files_report_id'), ['report_id'], unique=False)

    op.create_table('question_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('entry_key', sa.String(length=128), nullable=True),
    sa.Column('agency', sa.String(length=64), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_log'))
    )
    with op.batch_alter_table('question_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_log_agency'), ['agency'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_log_at'), ['at'], unique=False)

    op.create_table('refusal_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.Date(), nullable=False),
    sa.Column('window_end', sa.Date(), nullable=False),
    sa.Column('reached_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.Column('sent_by', sa.Text(), nullable=True),
    sa.Column('sent_via', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_refusal_notices_agency_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refusal_notices'))
    )
    with op.batch_alter_table('refusal_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refusal_notices_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_refusal_notices_status'), ['status'], unique=False)

    op.create_table('curation_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('escalation_id', sa.Integer(), nullable=True),
    sa.Column('register_no', sa.String(length=32), nullable=True),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('answer_kk', sa.Text(), nullable=True),
    sa.Column('answer_ru', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalations.id'], name=op.f('fk_curation_items_escalation_id_escalations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_curation_items'))
    )
    with op.batch_alter_table('curation_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_curation_items_escalation_id'), ['escalation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_curation_items_status'), ['status'], unique=False)

    op.create_table('escalation_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('escalation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('by', sa.Text(), nullable=False),
    sa.Column('who', sa.Text(), nullable=True),
    sa.Column('on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalations.id'], name=op.f('fk_escalation_events_escalation_id_escalations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalation_events'))
    )
    with op.batch_alter_table('escalation_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalation_events_escalation_id'), ['escalation_id'], unique=False)

    op.create_table('refusals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('escalation_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('ground', sa.String(length=32), nullable=False),
    sa.Column('request_text', sa.Text(), nullable=False),
    sa.Column('reply_text', sa.Text(), nullable=True),
    sa.Column('requested_on', sa.Date(), nullable=True),
    sa.Column('refused_on', sa.Date(), nullable=False),
    sa.Column('refused_by', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reviewed_by', sa.Text(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('notice_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_refusals_agency_id_agencies')),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalations.id'], name=op.f('fk_refusals_escalation_id_escalations')),
    sa.ForeignKeyConstraint(['notice_id'], ['refusal_notices.id'], name=op.f('fk_refusals_notice_id_refusal_notices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refusals'))
    )
    with op.batch_alter_table('refusals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refusals_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_refusals_escalation_id'), ['escalation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_refusals_notice_id'), ['notice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_refusals_refused_on'), ['refused_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_refusals_status'), ['status'], unique=False)

    op.create_table('kb_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('curation_item_id', sa.Integer(), nullable=True),
    sa.Column('unanswered_ids', sa.JSON(), nullable=False),
    sa.Column('register_no', sa.String(length=32), nullable=True),
    sa.Column('entry_key', sa.String(length=128), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('answer_kk', sa.Text(), nullable=True),
    sa.Column('answer_ru', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('proposed_by', sa.Text(), nullable=False),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reviewed_by', sa.Text(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['curation_item_id'], ['curation_items.id'], name=op.f('fk_kb_proposals_curation_item_id_curation_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_proposals'))
    )
    with op.batch_alter_table('kb_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kb_proposals_curation_item_id'), ['curation_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kb_proposals_status'), ['status'], unique=False)

    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agency_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('routed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('group_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('normalized', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('taken_by', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reply_kk', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('reply_ru', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('entry_key', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('resolved_by', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('resolved_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_escalations_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_group_id'), ['group_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_escalations_agency_id_agencies'), 'agencies', ['agency_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_escalations_agency_id_agencies'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_escalations_group_id'))
        batch_op.drop_index(batch_op.f('ix_escalations_agency_id'))
        batch_op.drop_column('delivered_at')
        batch_op.drop_column('resolved_on')
        batch_op.drop_column('resolved_at')
        batch_op.drop_column('resolved_by')
        batch_op.drop_column('entry_key')
        batch_op.drop_column('reply_ru')
        batch_op.drop_column('reply_kk')
        batch_op.drop_column('taken_at')
        batch_op.drop_column('taken_by')
        batch_op.drop_column('normalized')
        batch_op.drop_column('group_id')
        batch_op.drop_column('due_on')
        batch_op.drop_column('routed_on')
        batch_op.drop_column('agency_id')

    with op.batch_alter_table('kb_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kb_proposals_status'))
        batch_op.drop_index(batch_op.f('ix_kb_proposals_curation_item_id'))

    op.drop_table('kb_proposals')
    with op.batch_alter_table('refusals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refusals_status'))
        batch_op.drop_index(batch_op.f('ix_refusals_refused_on'))
        batch_op.drop_index(batch_op.f('ix_refusals_notice_id'))
        batch_op.drop_index(batch_op.f('ix_refusals_escalation_id'))
        batch_op.drop_index(batch_op.f('ix_refusals_agency_id'))

    op.drop_table('refusals')
    with op.batch_alter_table('escalation_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_escalation_events_escalation_id'))

    op.drop_table('escalation_events')
    with op.batch_alter_table('curation_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_curation_items_status'))
        batch_op.drop_index(batch_op.f('ix_curation_items_escalation_id'))

    op.drop_table('curation_items')
    with op.batch_alter_table('refusal_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refusal_notices_status'))
        batch_op.drop_index(batch_op.f('ix_refusal_notices_agency_id'))

    op.drop_table('refusal_notices')
    with op.batch_alter_table('question_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_log_at'))
        batch_op.drop_index(batch_op.f('ix_question_log_agency'))

    op.drop_table('question_log')
    with op.batch_alter_table('monthly_report_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monthly_report_files_report_id'))

    op.drop_table('monthly_report_files')
    op.drop_table('monthly_reports')
    op.drop_table('deadline_flags')
