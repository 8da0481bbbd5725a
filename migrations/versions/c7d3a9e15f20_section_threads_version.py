"""A section's threads version (the key of a section page's cached copy)

Revision ID: c7d3a9e15f20
Revises: b41e2c7d9a10
Create Date: 2026-12-01 16:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'c7d3a9e15f20'
down_revision = 'b41e2c7d9a10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('threads_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.drop_column('threads_version')
