"""Abuse resistance: one summary recount at a time

Revision ID: f6a1b2c3d4e5
Revises: e5f9a3b4c6d7
Create Date: 2026-12-04 21:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'f6a1b2c3d4e5'
down_revision = 'e5f9a3b4c6d7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('summary_snapshots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recount_started_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('summary_snapshots', schema=None) as batch_op:
        batch_op.drop_column('recount_started_at')
