"""double taps act once: an escalation keeps the citizen's message it passes on (one per
message), a feedback the answer's message it judges (one per answer shown)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-12
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('question_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_escalations_question_id'),
                                          ['question_id'])
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_feedback_citizen_id_message_id'),
                                          ['citizen_id', 'message_id'])


def downgrade() -> None:
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_feedback_citizen_id_message_id'),
                                 type_='unique')
        batch_op.drop_column('message_id')
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_escalations_question_id'), type_='unique')
        batch_op.drop_column('question_id')
