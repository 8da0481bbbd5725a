"""Email verification: accounts prove their address before they can sign in

Revision ID: a7c3e9d1f2b4
Revises: e5f9a3b4c6d7
Create Date: 2026-12-10 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'a7c3e9d1f2b4'
down_revision = 'e5f9a3b4c6d7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_verified_at', sa.DateTime(), nullable=True))
    # Accounts made before verification existed keep signing in: they count as verified since
    # they were created (imported and demo accounts, which cannot sign in, too).
    op.execute("UPDATE users SET email_verified_at = created_at")


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_verified_at')
