"""device transfer codes (« Continuer sur un autre appareil »)

Revision ID: 7a1c0de5f3b2
Revises: b7d2c1e0a9f3
Create Date: 2026-12-01 10:10:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision: str = "7a1c0de5f3b2"
down_revision: Union[str, Sequence[str], None] = "b7d2c1e0a9f3"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "device_transfer",
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("from_device", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("to_device", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("redeemed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_index(
        op.f("ix_device_transfer_from_device"), "device_transfer", ["from_device"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_device_transfer_from_device"), table_name="device_transfer")
    op.drop_table("device_transfer")
