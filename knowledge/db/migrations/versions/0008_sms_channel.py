"""sms channel: the state of each phone number; delivery reports on the outbox

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-10
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sms_numbers',
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('opted_out', sa.Boolean(), nullable=False),
    sa.Column('opted_out_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('menu', sa.JSON(), nullable=True),
    sa.Column('menu_lang', sa.String(length=2), nullable=True),
    sa.Column('menu_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('quota_notice_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_sms_numbers_citizen_id_citizens')),
    sa.PrimaryKeyConstraint('citizen_id', name=op.f('pk_sms_numbers'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delivery', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('delivery_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_external_id'), ['external_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_external_id'))
        batch_op.drop_column('delivery_at')
        batch_op.drop_column('delivery')

    op.drop_table('sms_numbers')
