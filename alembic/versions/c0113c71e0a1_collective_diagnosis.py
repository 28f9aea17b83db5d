"""collective diagnosis: groups, members (two panels), managers' needs

Revision ID: c0113c71e0a1
Revises: 7a1c0de5f3b2
Create Date: 2026-12-01 13:40:00

Self-contained: only the collective tables (the group's action plan reuses plan_objective /
plan_action with plan_kind 'group', which the workspace migration already allows).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision: str = "c0113c71e0a1"
down_revision: Union[str, Sequence[str], None] = "7a1c0de5f3b2"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "collective_group",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("organiser_id", sa.String(length=32), nullable=True),
        sa.Column("structure_id", sa.Integer(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("subgroups", sa.Text(), nullable=False),
        sa.Column("context", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('service', 'equipe', 'promotion', 'club')", name="ck_collective_group_kind"
        ),
        sa.CheckConstraint("k >= 3", name="ck_collective_group_k"),
        sa.ForeignKeyConstraint(["organiser_id"], ["account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["structure_id"], ["structure.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_collective_group_code"), "collective_group", ["code"], unique=True)
    op.create_index(
        op.f("ix_collective_group_organiser_id"), "collective_group", ["organiser_id"], unique=False
    )
    op.create_index(
        op.f("ix_collective_group_structure_id"), "collective_group", ["structure_id"], unique=False
    )
    op.create_table(
        "collective_member",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("group_id", sa.String(length=32), nullable=False),
        sa.Column("panel", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("subject_id", sa.String(length=32), nullable=True),
        sa.Column("assessment_id", sa.String(length=32), nullable=True),
        sa.Column("subgroup", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("joined_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("left_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.CheckConstraint("panel IN ('assistant', 'manager')", name="ck_collective_member_panel"),
        sa.ForeignKeyConstraint(["group_id"], ["collective_group.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["subject_id"], ["subject.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_collective_member_group_id"), "collective_member", ["group_id"], unique=False
    )
    op.create_index(
        op.f("ix_collective_member_subject_id"), "collective_member", ["subject_id"], unique=False
    )
    op.create_table(
        "collective_need",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(length=32), nullable=False),
        sa.Column("competency", sa.String(length=512), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("rated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("level BETWEEN 0 AND 4", name="ck_collective_need_level"),
        sa.ForeignKeyConstraint(["member_id"], ["collective_member.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_collective_need_member_id"), "collective_need", ["member_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_collective_need_member_id"), table_name="collective_need")
    op.drop_table("collective_need")
    op.drop_index(op.f("ix_collective_member_subject_id"), table_name="collective_member")
    op.drop_index(op.f("ix_collective_member_group_id"), table_name="collective_member")
    op.drop_table("collective_member")
    op.drop_index(op.f("ix_collective_group_structure_id"), table_name="collective_group")
    op.drop_index(op.f("ix_collective_group_organiser_id"), table_name="collective_group")
    op.drop_index(op.f("ix_collective_group_code"), table_name="collective_group")
    op.drop_table("collective_group")
