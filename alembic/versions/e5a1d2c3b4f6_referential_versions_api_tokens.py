"""administration: referential versions (restorable bundles) and personal API tokens

Revision ID: e5a1d2c3b4f6
Revises: f2b8a6c4d0e1
Create Date: 2026-12-01 16:20:00
"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision: str = "e5a1d2c3b4f6"
down_revision: Union[str, Sequence[str], None] = "f2b8a6c4d0e1"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "referential_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_version", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("applied_by", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("applied_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("restored_from", sa.Integer(), nullable=True),
        sa.Column("bundle_zip", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_referential_version_content_version"),
        "referential_version",
        ["content_version"],
        unique=False,
    )
    op.create_index(
        op.f("ix_referential_version_applied_at"),
        "referential_version",
        ["applied_at"],
        unique=False,
    )
    op.create_table(
        "api_token",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("prefix", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("revoked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_api_token_token_hash"), "api_token", ["token_hash"], unique=True)
    op.create_index(op.f("ix_api_token_account_id"), "api_token", ["account_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_api_token_account_id"), table_name="api_token")
    op.drop_index(op.f("ix_api_token_token_hash"), table_name="api_token")
    op.drop_table("api_token")
    op.drop_index(op.f("ix_referential_version_applied_at"), table_name="referential_version")
    op.drop_index(op.f("ix_referential_version_content_version"), table_name="referential_version")
    op.drop_table("referential_version")
