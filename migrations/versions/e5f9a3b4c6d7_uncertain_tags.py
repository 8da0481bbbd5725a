"""Tags the pipeline is unsure of, for moderators and officials to review

Revision ID: e5f9a3b4c6d7
Revises: d4e8f1a2b3c5
Create Date: 2026-12-04 20:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'e5f9a3b4c6d7'
down_revision = 'd4e8f1a2b3c5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comment_analyses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uncertain', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('tags_uncertain', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('comment_analyses', schema=None) as batch_op:
        batch_op.drop_column('tags_uncertain')
        batch_op.drop_column('uncertain')
