"""Personal-data holds, withdrawn comments, amended report versions, stored report PDFs, erased
accounts, changed demographic answers, and the pipeline as an actor in the moderation log

Report versions now refer to the comments they quote instead of holding their text: the text
of existing versions' quotes is dropped here (it is rendered from the comments). Stored summary
snapshots are dropped too (their quotes held text); they are counted again on first view.

Revision ID: d4e8f1a2b3c5
Revises: c7d3a9e15f20
Create Date: 2026-12-04 19:00:00.000000

"""
import json

from alembic import op
import sqlalchemy as sa


revision = 'd4e8f1a2b3c5'
down_revision = 'c7d3a9e15f20'
branch_labels = None
depends_on = None


def _quotes_without_text():
    versions = sa.table('report_versions', sa.column('id', sa.Integer), sa.column('content', sa.JSON))
    connection = op.get_bind()
    for row in connection.execute(sa.select(versions.c.id, versions.c.content)).all():
        content = row.content if isinstance(row.content, dict) else json.loads(row.content)
        for theme in content.get('themes', []):
            theme['quotes'] = [{'id': q['id'], 'section': q.get('section')} for q in theme.get('quotes', [])]
        connection.execute(versions.update().where(versions.c.id == row.id).values(content=content))
    connection.execute(sa.text('DELETE FROM summary_snapshots'))


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pii_cleared_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('report_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('amended_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('amendment_note', sa.String(length=1000), server_default='', nullable=False))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('demographic_answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('moderation_log', schema=None) as batch_op:
        batch_op.alter_column('moderator_id', existing_type=sa.Integer(), nullable=True)
    op.create_table(
        'report_files',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('locale', sa.String(length=10), nullable=False),
        sa.Column('edition', sa.String(length=80), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['version_id'], ['report_versions.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('version_id', 'locale'),
    )
    with op.batch_alter_table('report_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_files_version_id'), ['version_id'], unique=False)
    _quotes_without_text()


def downgrade():
    with op.batch_alter_table('report_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_files_version_id'))
    op.drop_table('report_files')
    # Comments the new statuses kept from the public stay out of it: held and checking ones wait
    # for approval, withdrawn ones count as rejected.
    op.execute("UPDATE comments SET status = 'pending' WHERE status IN ('checking', 'held')")
    op.execute("UPDATE comments SET status = 'rejected' WHERE status = 'withdrawn'")
    op.execute("DELETE FROM moderation_log WHERE moderator_id IS NULL")
    with op.batch_alter_table('moderation_log', schema=None) as batch_op:
        batch_op.alter_column('moderator_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('demographic_answers', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
    with op.batch_alter_table('report_versions', schema=None) as batch_op:
        batch_op.drop_column('amendment_note')
        batch_op.drop_column('amended_at')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('pii_cleared_at')
