"""snapshots over time: an assessment sealed as a dated snapshot (consent, an update asked
for), and when the counsellor last asked the person for an update

Revision ID: e8f1a2b3c4d5
Revises: c0113c71e0a1
Create Date: 2026-12-01 16:30:00

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = "e8f1a2b3c4d5"
down_revision: Union[str, Sequence[str], None] = "c0113c71e0a1"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sealed_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("beneficiary", schema=None) as batch_op:
        batch_op.add_column(sa.Column("update_requested_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("beneficiary", schema=None) as batch_op:
        batch_op.drop_column("update_requested_at")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_column("sealed_at")
