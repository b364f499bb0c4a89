"""Indexes for the newest-first page lists and the 12-month activity counts

Without them the home page sorts every page and reads every revision at each request
(measured with bench/pages.py at 10,000 sheets: member home p50 1.6 s → 80 ms).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 03:05:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_pages_updated_at', 'pages', ['updated_at'])
    op.create_index('ix_page_revisions_created_at', 'page_revisions', ['created_at'])


def downgrade():
    op.drop_index('ix_page_revisions_created_at', table_name='page_revisions')
    op.drop_index('ix_pages_updated_at', table_name='pages')
