"""accounts, sessions, subjects, follow-ups, audit; assessments owned by a subject

Every distinct device id of the assessment table becomes a subject of kind 'device', and
its assessments point at it; the device_id column then goes (ownership is the subject's).

Revision ID: a7c3e1f2b9d4
Revises: 45c4960d328f
Create Date: 2026-12-01 10:00:00
"""

import uuid
from datetime import UTC, datetime
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "a7c3e1f2b9d4"
down_revision: Union[str, Sequence[str], None] = "45c4960d328f"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

S = sqlmodel.sql.sqltypes.AutoString
DT = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "structure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", S(length=200), nullable=False),
        sa.Column("created_at", DT(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "account",
        sa.Column("id", S(length=32), nullable=False),
        sa.Column("email", S(length=254), nullable=False),
        sa.Column("display_name", S(length=200), nullable=False),
        sa.Column("role", S(length=20), nullable=False),
        sa.Column("structure_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", S(length=255), nullable=True),
        sa.Column("status", S(length=10), nullable=False),
        sa.Column("created_at", DT(), nullable=False),
        sa.Column("password_changed_at", DT(), nullable=True),
        sa.CheckConstraint(
            "role IN ('counsellor', 'structure-admin', 'admin')", name="ck_account_role"
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'active', 'disabled')", name="ck_account_status"
        ),
        sa.ForeignKeyConstraint(["structure_id"], ["structure.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_account_email", "account", ["email"], unique=True)
    op.create_index("ix_account_structure_id", "account", ["structure_id"])
    op.create_table(
        "subject",
        sa.Column("id", S(length=32), nullable=False),
        sa.Column("kind", S(length=10), nullable=False),
        sa.Column("device_id", S(length=64), nullable=True),
        sa.Column("account_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", DT(), nullable=False),
        sa.CheckConstraint(
            "(kind = 'device' AND device_id IS NOT NULL AND account_id IS NULL) OR "
            "(kind = 'account' AND account_id IS NOT NULL AND device_id IS NULL)",
            name="ck_subject_kind",
        ),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id"),
    )
    op.create_index("ix_subject_device_id", "subject", ["device_id"], unique=True)
    op.create_table(
        "auth_session",
        sa.Column("id", S(length=32), nullable=False),
        sa.Column("token_hash", S(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", DT(), nullable=False),
        sa.Column("last_seen_at", DT(), nullable=False),
        sa.Column("user_agent", S(length=200), nullable=False),
        sa.Column("client_address", S(length=64), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_auth_session_token_hash", "auth_session", ["token_hash"], unique=True)
    op.create_index("ix_auth_session_account_id", "auth_session", ["account_id"])
    op.create_table(
        "account_token",
        sa.Column("token_hash", S(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("purpose", S(length=10), nullable=False),
        sa.Column("created_at", DT(), nullable=False),
        sa.Column("expires_at", DT(), nullable=False),
        sa.Column("used_at", DT(), nullable=True),
        sa.CheckConstraint("purpose IN ('activation', 'reset')", name="ck_account_token_purpose"),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index("ix_account_token_account_id", "account_token", ["account_id"])
    op.create_table(
        "auth_throttle",
        sa.Column("key", S(length=100), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", DT(), nullable=False),
        sa.Column("blocked_until", DT(), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.String(length=32), nullable=False),
        sa.Column("counsellor_id", sa.String(length=32), nullable=False),
        sa.Column("structure_id", sa.Integer(), nullable=False),
        sa.Column("started_at", DT(), nullable=False),
        sa.Column("ended_at", DT(), nullable=True),
        sa.ForeignKeyConstraint(["subject_id"], ["subject.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["counsellor_id"], ["account.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["structure_id"], ["structure.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_follow_up_subject_id", "follow_up", ["subject_id"])
    op.create_index("ix_follow_up_counsellor_id", "follow_up", ["counsellor_id"])
    op.create_index("ix_follow_up_structure_id", "follow_up", ["structure_id"])
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", DT(), nullable=False),
        sa.Column("action", S(length=40), nullable=False),
        sa.Column("actor_id", S(length=32), nullable=True),
        sa.Column("actor_email", S(length=254), nullable=False),
        sa.Column("structure_id", sa.Integer(), nullable=True),
        sa.Column("subject_id", S(length=32), nullable=True),
        sa.Column("detail", S(length=500), nullable=False),
        sa.Column("client_address", S(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_event_at", "audit_event", ["at"])
    op.create_index("ix_audit_event_actor_id", "audit_event", ["actor_id"])
    op.create_index("ix_audit_event_structure_id", "audit_event", ["structure_id"])

    # Assessments: from a device id to a subject.
    with op.batch_alter_table("assessment") as batch:
        batch.add_column(sa.Column("subject_id", sa.String(length=32), nullable=True))
    connection = op.get_bind()
    devices = [
        row[0]
        for row in connection.execute(sa.text("SELECT DISTINCT device_id FROM assessment"))
    ]
    now = datetime.now(UTC)
    for device_id in devices:
        subject_id = uuid.uuid4().hex
        connection.execute(
            sa.text(
                "INSERT INTO subject (id, kind, device_id, account_id, created_at) "
                "VALUES (:id, 'device', :device, NULL, :now)"
            ),
            {"id": subject_id, "device": device_id, "now": now},
        )
        connection.execute(
            sa.text("UPDATE assessment SET subject_id = :subject WHERE device_id = :device"),
            {"subject": subject_id, "device": device_id},
        )
    with op.batch_alter_table("assessment") as batch:
        batch.alter_column("subject_id", existing_type=sa.String(length=32), nullable=False)
        batch.create_foreign_key(
            "fk_assessment_subject_id", "subject", ["subject_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index("ix_assessment_subject_id", ["subject_id"])
        batch.drop_index("ix_assessment_device_id")
        batch.drop_column("device_id")


def downgrade() -> None:
    with op.batch_alter_table("assessment") as batch:
        batch.add_column(sa.Column("device_id", S(length=64), nullable=True))
    connection = op.get_bind()
    connection.execute(
        sa.text(
            "UPDATE assessment SET device_id = "
            "(SELECT subject.device_id FROM subject WHERE subject.id = assessment.subject_id)"
        )
    )
    # Assessments of accounts have no device: they cannot go back to a device-only schema.
    connection.execute(sa.text("DELETE FROM assessment WHERE device_id IS NULL"))
    with op.batch_alter_table("assessment") as batch:
        batch.alter_column("device_id", existing_type=S(length=64), nullable=False)
        batch.create_index("ix_assessment_device_id", ["device_id"])
        batch.drop_index("ix_assessment_subject_id")
        batch.drop_constraint("fk_assessment_subject_id", type_="foreignkey")
        batch.drop_column("subject_id")
    for table in (
        "audit_event",
        "follow_up",
        "auth_throttle",
        "account_token",
        "auth_session",
        "subject",
        "account",
        "structure",
    ):
        op.drop_table(table)
