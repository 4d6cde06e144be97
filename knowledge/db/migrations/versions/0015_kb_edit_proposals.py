"""kb edit proposals: an entry's edit keeps the entry as it was when proposed (its diff,
and the check at approval that nobody changed it meanwhile)

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('kb_proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('base', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('kb_proposals', schema=None) as batch_op:
        batch_op.drop_column('base')
