"""Agenda (attendance, decisions) and calls for funding (who prepares an answer)

Events and calls are pages (kinds `evenement` and `appel`): only what they gather is new.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 23:10:00
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'event_attendances',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('page_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('answer', sa.String(length=10), nullable=False),
        sa.Column('answered_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['page_id'], ['pages.id'], name=op.f('fk_event_attendances_page_id_pages'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_event_attendances_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_event_attendances')),
        sa.UniqueConstraint('page_id', 'user_id', name=op.f('uq_event_attendances_page_id')))
    op.create_index(op.f('ix_event_attendances_page_id'), 'event_attendances', ['page_id'])
    op.create_index(op.f('ix_event_attendances_user_id'), 'event_attendances', ['user_id'])
    op.create_table(
        'decisions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('page_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.String(length=1000), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=True),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['page_id'], ['pages.id'], name=op.f('fk_decisions_page_id_pages'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_decisions_owner_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_decisions_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions')))
    op.create_index(op.f('ix_decisions_page_id'), 'decisions', ['page_id'])
    op.create_index(op.f('ix_decisions_owner_id'), 'decisions', ['owner_id'])
    op.create_table(
        'call_interests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('page_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['page_id'], ['pages.id'], name=op.f('fk_call_interests_page_id_pages'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_call_interests_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_call_interests')),
        sa.UniqueConstraint('page_id', 'user_id', name=op.f('uq_call_interests_page_id')))
    op.create_index(op.f('ix_call_interests_page_id'), 'call_interests', ['page_id'])
    op.create_index(op.f('ix_call_interests_user_id'), 'call_interests', ['user_id'])


def downgrade():
    op.drop_table('call_interests')
    op.drop_table('decisions')
    op.drop_table('event_attendances')
