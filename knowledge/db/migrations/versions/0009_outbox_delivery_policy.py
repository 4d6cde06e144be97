"""outbox: sends of unknown fate counted, an operator's re-send, claims marked, fair rounds

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uncertain', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('retry_from', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_outbox_address_queue', ['channel', 'status', 'address', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_address_queue')
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('retry_from')
        batch_op.drop_column('uncertain')
