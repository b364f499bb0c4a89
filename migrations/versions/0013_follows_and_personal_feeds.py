"""Members follow pages, groups and themes; a personal feed address per member

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 18:00:00
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'follows',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('target', sa.String(length=10), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_follows_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_follows')),
        sa.UniqueConstraint('user_id', 'target', 'key', name=op.f('uq_follows_user_id')),
    )
    op.create_index(op.f('ix_follows_user_id'), 'follows', ['user_id'], unique=False)
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('follow_own_edits', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column('feed_token_hash', sa.String(length=64), nullable=True))
        batch.create_unique_constraint(batch.f('uq_users_feed_token_hash'), ['feed_token_hash'])


def downgrade():
    with op.batch_alter_table('users') as batch:
        batch.drop_constraint(batch.f('uq_users_feed_token_hash'), type_='unique')
        batch.drop_column('feed_token_hash')
        batch.drop_column('follow_own_edits')
    op.drop_table('follows')
