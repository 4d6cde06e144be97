"""application status: providers (token hashes), applications (stage, salted IIN hash),
citizens' open inquiries, failed checks for the lockout, and who to tell of a change

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('status_providers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_providers')),
    sa.UniqueConstraint('name', name=op.f('uq_status_providers_name')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_status_providers_token_sha256'))
    )
    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=32), nullable=False),
    sa.Column('iin_salt', sa.LargeBinary(), nullable=False),
    sa.Column('iin_hash', sa.LargeBinary(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['provider_id'], ['status_providers.id'], name=op.f('fk_applications_provider_id_status_providers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications')),
    sa.UniqueConstraint('number', name=op.f('uq_applications_number'))
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applications_provider_id'), ['provider_id'], unique=False)

    op.create_table('status_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_status_failures_citizen_id_citizens')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_failures'))
    )
    with op.batch_alter_table('status_failures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_failures_citizen_id'), ['citizen_id'], unique=False)

    op.create_table('status_inquiries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=16), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=True),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_status_inquiries_citizen_id_citizens')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_inquiries')),
    sa.UniqueConstraint('citizen_id', name=op.f('uq_status_inquiries_citizen_id'))
    )
    op.create_table('status_watchers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_no', sa.String(length=64), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_status_watchers_citizen_id_citizens')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_watchers')),
    sa.UniqueConstraint('application_no', 'citizen_id', name=op.f('uq_status_watchers_application_no_citizen_id'))
    )
    with op.batch_alter_table('status_watchers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_watchers_application_no'), ['application_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_status_watchers_citizen_id'), ['citizen_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('status_watchers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_watchers_citizen_id'))
        batch_op.drop_index(batch_op.f('ix_status_watchers_application_no'))

    op.drop_table('status_watchers')
    op.drop_table('status_inquiries')
    with op.batch_alter_table('status_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_failures_citizen_id'))

    op.drop_table('status_failures')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applications_provider_id'))

    op.drop_table('applications')
    op.drop_table('status_providers')
