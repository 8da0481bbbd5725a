"""Abuse resistance: one summary recount at a time; blocks apart from suspended sign-in

Revision ID: f6a1b2c3d4e5
Revises: a7c3e9d1f2b4
Create Date: 2026-12-04 21:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'f6a1b2c3d4e5'
down_revision = 'a7c3e9d1f2b4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('summary_snapshots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recount_started_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blocked_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('suspended_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('suspended_reason', sa.String(length=500), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_users_blocked_by_id_users'), 'users', ['blocked_by_id'], ['id'])
    # Blocks set before this revision ended sign-in; they keep doing so, as suspensions.
    op.execute("UPDATE users SET suspended_at = blocked_at, suspended_reason = blocked_reason WHERE blocked_at IS NOT NULL")


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_blocked_by_id_users'), type_='foreignkey')
        batch_op.drop_column('suspended_reason')
        batch_op.drop_column('suspended_at')
        batch_op.drop_column('blocked_by_id')
    with op.batch_alter_table('summary_snapshots', schema=None) as batch_op:
        batch_op.drop_column('recount_started_at')
