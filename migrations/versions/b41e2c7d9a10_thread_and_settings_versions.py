"""Thread and round settings versions (the keys of a thread page's cached copy), an index to count a
section's threads, and how long a summary's count took

Revision ID: b41e2c7d9a10
Revises: aed2fc6ec3cb
Create Date: 2026-12-01 13:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'b41e2c7d9a10'
down_revision = 'aed2fc6ec3cb'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('settings_version', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('thread_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index('ix_comments_round_section_parent_status', ['round_id', 'section_id', 'parent_id', 'status'], unique=False)
    with op.batch_alter_table('summary_snapshots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('count_seconds', sa.Float(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('summary_snapshots', schema=None) as batch_op:
        batch_op.drop_column('count_seconds')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_round_section_parent_status')
        batch_op.drop_column('thread_version')
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_column('settings_version')
