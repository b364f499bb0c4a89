"""The language a page is written in

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 05:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pages') as batch:
        batch.add_column(sa.Column('language', sa.String(length=8), nullable=False, server_default='fr'))


def downgrade():
    with op.batch_alter_table('pages') as batch:
        batch.drop_column('language')
