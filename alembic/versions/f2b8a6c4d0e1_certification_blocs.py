"""certification_bloc: the blocs de compétences of a certification (for partial VAE)

Revision ID: f2b8a6c4d0e1
Revises: e5a7d3c9b1f0
Create Date: 2026-12-01 16:50:00

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision: str = "f2b8a6c4d0e1"
down_revision: Union[str, Sequence[str], None] = "e5a7d3c9b1f0"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "certification_bloc",
        sa.Column("certification", sa.String(length=512), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("competencies", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["certification"], ["training.code"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("certification", "code"),
    )


def downgrade() -> None:
    op.drop_table("certification_bloc")
