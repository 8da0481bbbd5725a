"""Officials' quote choices: pinned for a theme's report, or dropped

Revision ID: a8b2c4d6e8f0
Revises: f6a1b2c3d4e5
Create Date: 2026-12-05 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'a8b2c4d6e8f0'
down_revision = 'f6a1b2c3d4e5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('quote_choices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('theme', sa.String(length=60), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.Column('chosen_by_id', sa.Integer(), nullable=True),
    sa.Column('chosen_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_quote_choices_round_id_rounds')),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_quote_choices_comment_id_comments')),
    sa.ForeignKeyConstraint(['chosen_by_id'], ['users.id'], name=op.f('fk_quote_choices_chosen_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quote_choices')),
    sa.UniqueConstraint('round_id', 'theme', 'comment_id', name=op.f('uq_quote_choices_round_id_theme_comment_id'))
    )
    with op.batch_alter_table('quote_choices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quote_choices_round_id'), ['round_id'], unique=False)


def downgrade():
    with op.batch_alter_table('quote_choices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quote_choices_round_id'))
    op.drop_table('quote_choices')
