"""The response plan's statuses (planned, in progress, done, not adopted) and the reason for not adopting

Revision ID: 0a1b2c3d4e5f
Revises: a8b2c4d6e8f0
Create Date: 2026-12-10 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = '0a1b2c3d4e5f'
down_revision = 'a8b2c4d6e8f0'
branch_labels = None
depends_on = None

responses = sa.table('theme_responses', sa.column('status', sa.String), sa.column('reason', sa.Text),
                     sa.column('what_we_will_do', sa.Text))


def upgrade():
    with op.batch_alter_table('theme_responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.Text(), server_default='', nullable=False))
    # "What we will do, or why not" held the reason of a theme not adopted: it moves to its own field.
    op.execute(responses.update().where(responses.c.status == 'not adopted')
               .values(reason=responses.c.what_we_will_do, what_we_will_do=''))
    op.execute(responses.update().where(responses.c.status == 'under review').values(status=''))
    op.execute(responses.update().where(responses.c.status.in_(['adopted', 'partly adopted'])).values(status='planned'))


def downgrade():
    op.execute(responses.update().where(responses.c.status == 'not adopted')
               .values(what_we_will_do=responses.c.reason))
    op.execute(responses.update().where(responses.c.status.in_(['', 'in progress'])).values(status='under review'))
    op.execute(responses.update().where(responses.c.status == 'planned').values(status='adopted'))
    with op.batch_alter_table('theme_responses', schema=None) as batch_op:
        batch_op.drop_column('reason')
