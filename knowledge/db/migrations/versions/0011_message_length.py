"""message length: a message over the limit is kept cut, with its original length

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-14
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('conversation_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('original_length', sa.Integer(), nullable=True))

    with op.batch_alter_table('unanswered_questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('original_length', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('unanswered_questions', schema=None) as batch_op:
        batch_op.drop_column('original_length')

    with op.batch_alter_table('conversation_log', schema=None) as batch_op:
        batch_op.drop_column('original_length')
