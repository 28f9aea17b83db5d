"""device tabs: the Reflex client tokens a device used, wiped with its data

Revision ID: b3c8d2e4f601
Revises: c1a55p0115aa
Create Date: 2026-12-01 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = 'b3c8d2e4f601'
down_revision: Union[str, Sequence[str], None] = 'c1a55p0115aa'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('device_tab',
    sa.Column('device_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('client_token', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('seen_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('device_id', 'client_token')
    )
    op.create_index(op.f('ix_device_tab_seen_at'), 'device_tab', ['seen_at'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_device_tab_seen_at'), table_name='device_tab')
    op.drop_table('device_tab')
