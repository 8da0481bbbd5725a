"""Round content version: the key of cached fragments of its pages

Revision ID: aed2fc6ec3cb
Revises: 296c007d7645
Create Date: 2026-11-25 14:30:03.373512

"""
from alembic import op
import sqlalchemy as sa


revision = 'aed2fc6ec3cb'
down_revision = '296c007d7645'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_column('content_version')
