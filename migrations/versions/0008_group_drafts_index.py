"""Index for the group page's « has this reader drafts in this group » check

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 05:25:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_pages_group_id_status', 'pages', ['group_id', 'status'])


def downgrade():
    op.drop_index('ix_pages_group_id_status', table_name='pages')
