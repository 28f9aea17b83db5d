"""sqlmodel tables for accounts, sessions, subjects, follow-ups and the audit log.

- A **subject** owns data: an anonymous device (its random id) or an account. Assessments
  point at a subject, never at a device id directly.
- An **account** is a counsellor, a structure manager or an administrator; it belongs to a
  **structure** (except administrators, who may have none).
- A **session** is server-side: the browser holds a random token, the table only its
  SHA-256 (a stolen database gives no usable cookie).
- An **account token** is a single-use activation or reset link, also stored hashed.
- A **throttle** row counts sign-in failures per account e-mail or per client address.
- A **follow-up** links a counsellor to a subject they accompany, inside one structure.
- The **audit** log records sign-ins, failures and every view or export of someone else's
  data (who, what, when); rows older than 12 months are purged.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String
from sqlmodel import Field, SQLModel

ROLES = ("counsellor", "structure-admin", "admin")
STATUSES = ("pending", "active", "disabled")
SUBJECT_KINDS = ("device", "account")
TOKEN_PURPOSES = ("activation", "reset")


def _now() -> datetime:
    return datetime.now(UTC)


class StructureRow(SQLModel, table=True):
    """A mission locale, a France Travail agency, a CIO, a school, an association…"""

    __tablename__ = "structure"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    created_at: datetime = Field(default_factory=_now)


class AccountRow(SQLModel, table=True):
    """A counsellor, structure manager or administrator; the e-mail is stored lower-cased."""

    __tablename__ = "account"
    __table_args__ = (
        CheckConstraint(
            "role IN ('counsellor', 'structure-admin', 'admin')", name="ck_account_role"
        ),
        CheckConstraint("status IN ('pending', 'active', 'disabled')", name="ck_account_status"),
    )

    id: str = Field(primary_key=True, max_length=32)
    email: str = Field(max_length=254, unique=True, index=True)
    display_name: str = Field(default="", max_length=200)
    role: str = Field(max_length=20)
    structure_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("structure.id", ondelete="RESTRICT"), nullable=True, index=True
        ),
    )
    password_hash: str | None = Field(default=None, max_length=255)
    status: str = Field(default="pending", max_length=10)
    created_at: datetime = Field(default_factory=_now)
    password_changed_at: datetime | None = Field(default=None)


class SubjectRow(SQLModel, table=True):
    """Who owns data: an anonymous device or an account (exactly one of the two)."""

    __tablename__ = "subject"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'device' AND device_id IS NOT NULL AND account_id IS NULL) OR "
            "(kind = 'account' AND account_id IS NOT NULL AND device_id IS NULL)",
            name="ck_subject_kind",
        ),
    )

    id: str = Field(primary_key=True, max_length=32)
    kind: str = Field(max_length=10)
    device_id: str | None = Field(default=None, max_length=64, unique=True, index=True)
    account_id: str | None = Field(
        default=None,
        sa_column=Column(
            String(32),
            ForeignKey("account.id", ondelete="CASCADE"),
            nullable=True,
            unique=True,
        ),
    )
    created_at: datetime = Field(default_factory=_now)


class AuthSessionRow(SQLModel, table=True):
    """A signed-in browser: the SHA-256 of its cookie token, its age and last activity."""

    __tablename__ = "auth_session"

    id: str = Field(primary_key=True, max_length=32)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    account_id: str = Field(
        sa_column=Column(
            String(32), ForeignKey("account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    created_at: datetime = Field(default_factory=_now)
    last_seen_at: datetime = Field(default_factory=_now)
    user_agent: str = Field(default="", max_length=200)
    client_address: str = Field(default="", max_length=64)


class AccountTokenRow(SQLModel, table=True):
    """A single-use activation or password-reset link (its SHA-256)."""

    __tablename__ = "account_token"
    __table_args__ = (
        CheckConstraint("purpose IN ('activation', 'reset')", name="ck_account_token_purpose"),
    )

    token_hash: str = Field(primary_key=True, max_length=64)
    account_id: str = Field(
        sa_column=Column(
            String(32), ForeignKey("account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    purpose: str = Field(max_length=10)
    created_at: datetime = Field(default_factory=_now)
    expires_at: datetime
    used_at: datetime | None = Field(default=None)


class ThrottleRow(SQLModel, table=True):
    """Sign-in failures of one key (`account:<sha256 of e-mail>` or `address:<ip>`)."""

    __tablename__ = "auth_throttle"

    key: str = Field(primary_key=True, max_length=100)
    failures: int = Field(default=0)
    window_started_at: datetime = Field(default_factory=_now)
    blocked_until: datetime | None = Field(default=None)


class FollowUpRow(SQLModel, table=True):
    """A counsellor accompanies a subject, inside one structure (ended: kept for history)."""

    __tablename__ = "follow_up"

    id: int | None = Field(default=None, primary_key=True)
    subject_id: str = Field(
        sa_column=Column(
            String(32), ForeignKey("subject.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    counsellor_id: str = Field(
        sa_column=Column(
            String(32), ForeignKey("account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    structure_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("structure.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    started_at: datetime = Field(default_factory=_now)
    ended_at: datetime | None = Field(default=None)


class AuditEventRow(SQLModel, table=True):
    """Who did what to whose data, and when (kept 12 months)."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=_now, index=True)
    action: str = Field(max_length=40)
    actor_id: str | None = Field(default=None, max_length=32, index=True)
    actor_email: str = Field(default="", max_length=254)
    structure_id: int | None = Field(default=None, index=True)
    subject_id: str | None = Field(default=None, max_length=32)
    detail: str = Field(default="", max_length=500)
    client_address: str = Field(default="", max_length=64)


ACCOUNT_TABLES = (
    AuditEventRow,
    FollowUpRow,
    ThrottleRow,
    AccountTokenRow,
    AuthSessionRow,
    SubjectRow,
    AccountRow,
    StructureRow,
)
"""Account tables, children before parents (the order to delete in)."""
