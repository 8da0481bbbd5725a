"""Report files of several kinds per version and language: the report PDF, its social-media tile, its one-page summary

Revision ID: b9c4d2e6f7a1
Revises: 0a1b2c3d4e5f
Create Date: 2026-12-05 01:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'b9c4d2e6f7a1'
down_revision = '0a1b2c3d4e5f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report_files', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='report', nullable=False))
        batch_op.drop_constraint('uq_report_files_version_id_locale', type_='unique')
        batch_op.create_unique_constraint('uq_report_files_version_id_kind_locale', ['version_id', 'kind', 'locale'])


def downgrade():
    # Only the report PDFs fit the old one-file-per-language rule; the others are drawn again on demand.
    op.execute("DELETE FROM report_files WHERE kind != 'report'")
    with op.batch_alter_table('report_files', schema=None) as batch_op:
        batch_op.drop_constraint('uq_report_files_version_id_kind_locale', type_='unique')
        batch_op.create_unique_constraint('uq_report_files_version_id_locale', ['version_id', 'locale'])
        batch_op.drop_column('kind')
