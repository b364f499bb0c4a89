"""Each member chooses how often e-mail tells them what changed

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 19:30:00
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('mail_frequency', sa.String(length=10), nullable=False, server_default='weekly'))
        batch.add_column(sa.Column('digest_until', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('users') as batch:
        batch.drop_column('digest_until')
        batch.drop_column('mail_frequency')
