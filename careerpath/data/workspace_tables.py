"""sqlmodel tables of the counsellor workspace and of shared action plans.

- A **beneficiary** is a person a counsellor of a structure accompanies: the name or nickname
  the counsellor gave, the status (open, closed with a reason), and — while the person shares
  — the subject whose assessments the counsellor may read. Stopping the share empties
  `subject_id`: the structure keeps only the name and the closing reason.
- **Beneficiary assignments** say who followed the beneficiary when (one open row at a time).
- An **invitation** is a short code (and its link and QR code) a person accepts or refuses
  on their phone within 14 days.
- **Plan objectives**, **plan actions** and **action comments** are the shared action model
  (`domain/actions.py`): a plan is `(plan_kind, plan_id)`, a beneficiary or a group.
- **Counsellor notes** are private to the structure's counsellors: never shown to the person.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String, Text
from sqlmodel import Field, SQLModel

from careerpath.data import account_tables  # noqa: F401  (the tables the keys point at)

PLAN_KINDS = ("beneficiary", "group")
ACTION_KINDS = (
    "training",
    "vae",
    "immersion",
    "application",
    "interview",
    "network",
    "onboarding",
    "meeting",
    "free",
)
ACTION_STATUSES = ("todo", "doing", "done", "abandoned", "waiting")
AUTHORS = ("counsellor", "beneficiary", "organiser")


def _now() -> datetime:
    return datetime.now(UTC)


def _in(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    quoted = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=name)


class BeneficiaryRow(SQLModel, table=True):
    """A person a structure accompanies."""

    __tablename__ = "beneficiary"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'closed')", name="ck_beneficiary_status"),
    )

    id: str = Field(primary_key=True, max_length=32)
    structure_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("structure.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    counsellor_id: str | None = Field(
        default=None,
        sa_column=Column(
            String(32), ForeignKey("account.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    label: str = Field(max_length=120)
    subject_id: str | None = Field(
        default=None,
        sa_column=Column(
            String(32), ForeignKey("subject.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    status: str = Field(default="open", max_length=10)
    closed_reason: str = Field(default="", max_length=300)
    closed_at: datetime | None = Field(default=None)
    sharing_stopped_at: datetime | None = Field(default=None)
    created_at: datetime = Field(default_factory=_now)
    last_activity_at: datetime = Field(default_factory=_now, index=True)
    update_requested_at: datetime | None = Field(default=None)
    """When the counsellor last asked the person to update their assessment."""


class BeneficiaryAssignmentRow(SQLModel, table=True):
    """Who followed a beneficiary, from when to when (the history a manager reads)."""

    __tablename__ = "beneficiary_assignment"

    id: int | None = Field(default=None, primary_key=True)
    beneficiary_id: str = Field(
        sa_column=Column(
            String(32),
            ForeignKey("beneficiary.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    counsellor_id: str | None = Field(
        default=None,
        sa_column=Column(String(32), ForeignKey("account.id", ondelete="SET NULL"), nullable=True),
    )
    counsellor_name: str = Field(default="", max_length=200)
    started_at: datetime = Field(default_factory=_now)
    ended_at: datetime | None = Field(default=None)


class InvitationRow(SQLModel, table=True):
    """An invitation to share an assessment with a counsellor."""

    __tablename__ = "invitation"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'accepted', 'refused', 'cancelled')",
            name="ck_invitation_status",
        ),
    )

    code: str = Field(primary_key=True, max_length=16)
    beneficiary_id: str = Field(
        sa_column=Column(
            String(32),
            ForeignKey("beneficiary.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    counsellor_id: str | None = Field(
        default=None,
        sa_column=Column(String(32), ForeignKey("account.id", ondelete="SET NULL"), nullable=True),
    )
    status: str = Field(default="pending", max_length=10)
    created_at: datetime = Field(default_factory=_now)
    expires_at: datetime
    answered_at: datetime | None = Field(default=None)


class PlanObjectiveRow(SQLModel, table=True):
    """An objective of a plan (usually a goal role)."""

    __tablename__ = "plan_objective"
    __table_args__ = (_in("plan_kind", PLAN_KINDS, "ck_plan_objective_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_kind: str = Field(max_length=12, index=True)
    plan_id: str = Field(max_length=32, index=True)
    title: str = Field(max_length=200)
    role: str | None = Field(default=None, max_length=512)
    created_at: datetime = Field(default_factory=_now)


class PlanActionRow(SQLModel, table=True):
    """One action of a plan."""

    __tablename__ = "plan_action"
    __table_args__ = (
        _in("plan_kind", PLAN_KINDS, "ck_plan_action_plan_kind"),
        _in("kind", ACTION_KINDS, "ck_plan_action_kind"),
        _in("status", ACTION_STATUSES, "ck_plan_action_status"),
        _in("created_by", AUTHORS, "ck_plan_action_author"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_kind: str = Field(max_length=12, index=True)
    plan_id: str = Field(max_length=32, index=True)
    objective_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("plan_objective.id", ondelete="SET NULL"), nullable=True
        ),
    )
    kind: str = Field(max_length=12)
    title: str = Field(max_length=200)
    training: str | None = Field(default=None, max_length=512)
    start_date: date | None = Field(default=None)
    due_date: date | None = Field(default=None)
    status: str = Field(default="todo", max_length=10)
    created_by: str = Field(max_length=12)
    created_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)


class ActionCommentRow(SQLModel, table=True):
    """A comment on an action, visible to both sides of the plan."""

    __tablename__ = "action_comment"
    __table_args__ = (_in("author", AUTHORS, "ck_action_comment_author"),)

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("plan_action.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    author: str = Field(max_length=12)
    author_name: str = Field(default="", max_length=200)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=_now)


class CounsellorNoteRow(SQLModel, table=True):
    """A counsellor's private note on a beneficiary (never shown to the person)."""

    __tablename__ = "counsellor_note"

    id: int | None = Field(default=None, primary_key=True)
    beneficiary_id: str = Field(
        sa_column=Column(
            String(32),
            ForeignKey("beneficiary.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    author_id: str | None = Field(
        default=None,
        sa_column=Column(String(32), ForeignKey("account.id", ondelete="SET NULL"), nullable=True),
    )
    author_name: str = Field(default="", max_length=200)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=_now)


WORKSPACE_TABLES = (
    ActionCommentRow,
    PlanActionRow,
    PlanObjectiveRow,
    CounsellorNoteRow,
    InvitationRow,
    BeneficiaryAssignmentRow,
    BeneficiaryRow,
)
"""Workspace tables, children before parents (the order to delete in)."""
