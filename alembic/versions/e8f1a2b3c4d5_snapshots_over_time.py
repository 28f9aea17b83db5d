"""snapshots over time: an assessment sealed as a dated snapshot (consent, an update asked
for), when the counsellor last asked the person for an update, and each snapshot's figures
(readiness to a goal, the plan's hours) kept per referential version

Revision ID: e8f1a2b3c4d5
Revises: e5a1d2c3b4f6
Create Date: 2026-12-01 16:30:00

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = "e8f1a2b3c4d5"
down_revision: Union[str, Sequence[str], None] = "e5a1d2c3b4f6"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "snapshot_figure",
        sa.Column("assessment", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("goal", sa.String(length=512), nullable=False),
        sa.Column("version", sa.String(length=128), nullable=False),
        sa.Column("stamp", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["assessment"], ["assessment.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("assessment", "kind", "goal", "version"),
    )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sealed_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("beneficiary", schema=None) as batch_op:
        batch_op.add_column(sa.Column("update_requested_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    op.drop_table("snapshot_figure")
    with op.batch_alter_table("beneficiary", schema=None) as batch_op:
        batch_op.drop_column("update_requested_at")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_column("sealed_at")
