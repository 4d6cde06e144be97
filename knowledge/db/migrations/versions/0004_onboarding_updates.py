"""onboarding updates: a case's kind, the act's date, a pending update pack, effective date

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('onboarding_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), nullable=False,
                                      server_default='onboarding'))
        batch_op.add_column(sa.Column('act_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('effective_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('pending_pack', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('onboarding_cases', schema=None) as batch_op:
        batch_op.drop_column('pending_pack')
        batch_op.drop_column('effective_on')
        batch_op.drop_column('act_on')
        batch_op.drop_column('kind')
