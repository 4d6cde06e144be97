"""console queue: indexes for the queue a page at a time (open oldest first, by agency;
settled newest first) and the size of a page's groups

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""
from __future__ import annotations

from alembic import op


revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_escalations_queue": ["status", "routed_on", "id"],
    "ix_escalations_agency_queue": ["agency_id", "status", "routed_on", "id"],
    "ix_escalations_settled": ["status", "resolved_at", "id"],
    "ix_escalations_group_status": ["group_id", "status"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "escalations", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="escalations")
