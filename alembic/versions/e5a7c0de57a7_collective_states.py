"""collective diagnosis: published states of the figures, members' consented free text,
the organiser's devices (they count in no figure)

Revision ID: e5a7c0de57a7
Revises: e8f1a2b3c4d5
Create Date: 2026-12-01 16:30:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision: str = "e5a7c0de57a7"
down_revision: Union[str, Sequence[str], None] = "e8f1a2b3c4d5"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "collective_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.String(length=32), nullable=False),
        sa.Column("panel", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("published_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.CheckConstraint("panel IN ('assistant', 'manager')", name="ck_collective_state_panel"),
        sa.ForeignKeyConstraint(["group_id"], ["collective_group.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("group_id", "panel", "seq", name="uq_collective_state_seq"),
    )
    op.create_index(
        op.f("ix_collective_state_group_id"), "collective_state", ["group_id"], unique=False
    )
    with op.batch_alter_table("collective_member") as batch:
        batch.add_column(sa.Column("shared_text", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("collective_group") as batch:
        batch.add_column(
            sa.Column("staff_devices", sa.Text(), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    with op.batch_alter_table("collective_group") as batch:
        batch.drop_column("staff_devices")
    with op.batch_alter_table("collective_member") as batch:
        batch.drop_column("shared_text")
    op.drop_index(op.f("ix_collective_state_group_id"), table_name="collective_state")
    op.drop_table("collective_state")
