"""Each revision keeps the visibility (and group) the page had when it was saved

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 15:00:00

Older revisions take the page's visibility of today: the audience they were written under
was not recorded before, and today's is what readers could already read.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('page_revisions') as batch:
        batch.add_column(sa.Column('visibility', sa.String(length=10), nullable=True))
        batch.add_column(sa.Column('group_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f('fk_page_revisions_group_id_groups'), 'groups', ['group_id'], ['id'])
    op.execute("UPDATE page_revisions SET "
               "visibility = (SELECT visibility FROM pages WHERE pages.id = page_revisions.page_id), "
               "group_id = (SELECT group_id FROM pages WHERE pages.id = page_revisions.page_id)")
    with op.batch_alter_table('page_revisions') as batch:
        batch.alter_column('visibility', existing_type=sa.String(length=10), nullable=False)


def downgrade():
    with op.batch_alter_table('page_revisions') as batch:
        batch.drop_constraint(op.f('fk_page_revisions_group_id_groups'), type_='foreignkey')
        batch.drop_column('group_id')
        batch.drop_column('visibility')
