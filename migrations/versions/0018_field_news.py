"""News from the field and their photos

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 07:00:00
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'field_news',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('page_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('author_side', sa.String(length=10), nullable=False),
        sa.Column('text', sa.String(length=1500), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=True),
        sa.Column('commune', sa.String(length=100), nullable=True),
        sa.Column('client_id', sa.String(length=64), nullable=True),
        sa.Column('visibility', sa.String(length=10), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['page_id'], ['pages.id'], name=op.f('fk_field_news_page_id_pages'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_field_news_author_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_field_news_group_id_groups')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_field_news')),
        sa.UniqueConstraint('author_id', 'client_id', name=op.f('uq_field_news_author_id')))
    op.create_index(op.f('ix_field_news_page_id'), 'field_news', ['page_id'])
    op.create_index(op.f('ix_field_news_author_id'), 'field_news', ['author_id'])
    op.create_index(op.f('ix_field_news_created_at'), 'field_news', ['created_at'])
    op.create_table(
        'field_news_photos',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('news_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('thumbnail_hash', sa.String(length=64), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['news_id'], ['field_news.id'], name=op.f('fk_field_news_photos_news_id_field_news'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_field_news_photos')))
    op.create_index(op.f('ix_field_news_photos_news_id'), 'field_news_photos', ['news_id'])


def downgrade():
    op.drop_table('field_news_photos')
    op.drop_table('field_news')
