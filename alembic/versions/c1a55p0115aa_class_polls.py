"""class polls: the roles of a diploma's map that interest a class

Revision ID: c1a55p0115aa
Revises: a7c3e1f2b9d4
Create Date: 2026-12-01 10:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c1a55p0115aa'
down_revision: Union[str, Sequence[str], None] = 'a7c3e1f2b9d4'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'class_poll',
        sa.Column('code', sa.String(length=12), nullable=False),
        sa.Column('diploma', sa.String(length=512), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('code'),
    )
    with op.batch_alter_table('class_poll', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_class_poll_expires_at'), ['expires_at'], unique=False)
    op.create_table(
        'class_poll_answer',
        sa.Column('poll', sa.String(length=12), nullable=False),
        sa.Column('voter', sa.String(length=64), nullable=False),
        sa.Column('role', sa.String(length=512), nullable=False),
        sa.ForeignKeyConstraint(['poll'], ['class_poll.code'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('poll', 'voter', 'role'),
    )


def downgrade() -> None:
    op.drop_table('class_poll_answer')
    with op.batch_alter_table('class_poll', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_class_poll_expires_at'))
    op.drop_table('class_poll')
