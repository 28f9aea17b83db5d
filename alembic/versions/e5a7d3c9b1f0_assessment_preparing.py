"""assessment: the certification a student is preparing (`preparing`, a training code) and
an exception to apprenticeship's age limit (`age_exception`)

Revision ID: e5a7d3c9b1f0
Revises: c0113c71e0a1
Create Date: 2026-12-01 16:40:00

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision: str = "e5a7d3c9b1f0"
down_revision: Union[str, Sequence[str], None] = "c0113c71e0a1"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("preparing", sqlmodel.sql.sqltypes.AutoString(length=512), nullable=True)
        )
        batch_op.add_column(sa.Column("age_exception", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_column("age_exception")
        batch_op.drop_column("preparing")
