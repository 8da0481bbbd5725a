"""Residents review the draft response plan (a linked review round whose sections are the draft
actions; a draft stage of report versions); actions gain an indicator, milestones and a reason for
changes; the public tracker's progress updates and followers

Revision ID: ddd67ec966e7
Revises: b9c4d2e6f7a1
Create Date: 2026-12-05 01:22:16.452365

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ddd67ec966e7'
down_revision = 'b9c4d2e6f7a1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('action_follows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['response_id'], ['theme_responses.id'], name=op.f('fk_action_follows_response_id_theme_responses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_follows')),
    sa.UniqueConstraint('response_id', 'email', name=op.f('uq_action_follows_response_id_email')),
    sa.UniqueConstraint('token', name=op.f('uq_action_follows_token'))
    )
    with op.batch_alter_table('action_follows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_follows_response_id'), ['response_id'], unique=False)

    op.create_table('action_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('indicator_value', sa.String(length=100), nullable=False),
    sa.Column('measured_on', sa.Date(), nullable=True),
    sa.Column('milestone', sa.String(length=300), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.Column('posted_by_id', sa.Integer(), nullable=True),
    sa.Column('posted_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['posted_by_id'], ['users.id'], name=op.f('fk_action_updates_posted_by_id_users')),
    sa.ForeignKeyConstraint(['response_id'], ['theme_responses.id'], name=op.f('fk_action_updates_response_id_theme_responses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_updates')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_action_updates_idempotency_key'))
    )
    with op.batch_alter_table('action_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_updates_response_id'), ['response_id'], unique=False)

    with op.batch_alter_table('report_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stage', sa.String(length=10), server_default='final', nullable=False))

    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('responds_to_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_rounds_responds_to_id'), ['responds_to_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_rounds_responds_to_id_rounds'), 'rounds', ['responds_to_id'], ['id'])

    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('action_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_sections_action_id_theme_responses'), 'theme_responses', ['action_id'], ['id'])

    with op.batch_alter_table('theme_responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('indicator', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('baseline', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('target', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('data_source', sa.String(length=500), server_default='', nullable=False))
        batch_op.add_column(sa.Column('milestones', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('section_number', sa.String(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('change_reason', sa.Text(), server_default='', nullable=False))



def downgrade():
    with op.batch_alter_table('theme_responses', schema=None) as batch_op:
        batch_op.drop_column('change_reason')
        batch_op.drop_column('section_number')
        batch_op.drop_column('milestones')
        batch_op.drop_column('data_source')
        batch_op.drop_column('target')
        batch_op.drop_column('baseline')
        batch_op.drop_column('indicator')

    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_sections_action_id_theme_responses'), type_='foreignkey')
        batch_op.drop_column('action_id')

    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_rounds_responds_to_id_rounds'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_rounds_responds_to_id'))
        batch_op.drop_column('responds_to_id')

    with op.batch_alter_table('report_versions', schema=None) as batch_op:
        batch_op.drop_column('stage')

    with op.batch_alter_table('action_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_updates_response_id'))

    op.drop_table('action_updates')
    with op.batch_alter_table('action_follows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_follows_response_id'))

    op.drop_table('action_follows')
