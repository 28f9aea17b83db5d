"""sqlmodel tables for self-assessments kept on the server.

An assessment belongs to a subject (an anonymous device, or an account: see
account_tables.py). Each assessment is a dated snapshot: a re-assessment adds a new one
(`created_at` dates it) and never overwrites an earlier one; a snapshot a counsellor holds
is sealed (`sealed_at`). Ratings live in their
own table, one row per answered competency, so that one answer is one small write and an
explicit "pas encore" (0) is told apart from a skipped question. Competency and role codes
are plain strings, not foreign keys: a referential import replaces the referential tables,
and a person's answers must survive it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Text
from sqlmodel import Field, SQLModel

from careerpath.data import account_tables  # noqa: F401  (the subject table the key points at)


def _now() -> datetime:
    return datetime.now(UTC)


class AssessmentRow(SQLModel, table=True):
    """One person's assessment: situation, current role, target, constraints, share token."""

    __tablename__ = "assessment"
    __table_args__ = (
        CheckConstraint("step >= 0", name="ck_assessment_step"),
        CheckConstraint(
            "hours_per_week IS NULL OR hours_per_week > 0", name="ck_assessment_hours_per_week"
        ),
        CheckConstraint("budget_eur IS NULL OR budget_eur >= 0", name="ck_assessment_budget"),
        CheckConstraint(
            "qualification_level IS NULL OR (qualification_level BETWEEN 1 AND 8)",
            name="ck_assessment_qualification_level",
        ),
        CheckConstraint(
            "horizon_months IS NULL OR horizon_months > 0", name="ck_assessment_horizon"
        ),
        CheckConstraint(
            "cpf_balance_eur IS NULL OR cpf_balance_eur >= 0", name="ck_assessment_cpf_balance"
        ),
    )

    id: str = Field(primary_key=True, max_length=32)
    subject_id: str = Field(
        sa_column=Column(
            String(32), ForeignKey("subject.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    situation: str = Field(default="", max_length=20)
    current_role: str | None = Field(default=None, max_length=512)
    target: str | None = Field(default=None, max_length=512)
    step: int = Field(default=0)
    hours_per_week: float | None = Field(default=None)
    budget_eur: float | None = Field(default=None)
    modalities: str = Field(default="", max_length=100)
    hidden_roles: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    share_token: str | None = Field(default=None, max_length=64, unique=True, index=True)
    qualification_level: int | None = Field(default=None)
    age_band: str = Field(default="", max_length=10)
    horizon_months: float | None = Field(default=None)
    cpf_balance_eur: float | None = Field(default=None)
    preparing: str | None = Field(default=None, max_length=512)
    """The diploma a student is preparing (a training code of the referential)."""
    age_exception: bool | None = Field(default=None)
    """An exception to apprenticeship's age limit applies (None: not told)."""
    created_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)
    sealed_at: datetime | None = Field(default=None)
    """Set when the assessment became a dated snapshot a counsellor holds (the person's
    consent, or an update the counsellor asked for): it is never changed again; the person's
    next change starts a new snapshot (`services/assessments.py`)."""


class AssessmentRatingRow(SQLModel, table=True):
    """A self-declared rating (0 = pas encore … 4 = expertise) of one competency."""

    __tablename__ = "assessment_rating"
    __table_args__ = (CheckConstraint("level BETWEEN 0 AND 4", name="ck_assessment_rating_level"),)

    assessment: str = Field(
        sa_column=Column(
            String(32), ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True
        )
    )
    competency: str = Field(sa_column=Column(String(512), primary_key=True))
    level: int
    rated_at: datetime = Field(default_factory=_now)


class SnapshotFigureRow(SQLModel, table=True):
    """A figure of one dated snapshot — its readiness to a goal, or its plan's hours —
    computed once per referential version and kept, so that a caseload sorted by readiness
    never runs the engine again for a snapshot it already scored (any worker, any restart).
    `stamp` is the snapshot's `updated_at` the figure was computed for: a changed snapshot
    is scored again."""

    __tablename__ = "snapshot_figure"

    assessment: str = Field(
        sa_column=Column(
            String(32), ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True
        )
    )
    kind: str = Field(sa_column=Column(String(10), primary_key=True))
    goal: str = Field(sa_column=Column(String(512), primary_key=True))
    version: str = Field(sa_column=Column(String(128), primary_key=True))
    stamp: str = Field(max_length=40)
    value: float | None = Field(default=None)


class DeviceTabRow(SQLModel, table=True):
    """A browser tab (Reflex client token) that worked for a device: what « Supprimer mes
    données » must also wipe from the per-tab UI state store (disk or Redis)."""

    __tablename__ = "device_tab"

    device_id: str = Field(primary_key=True, max_length=64)
    client_token: str = Field(primary_key=True, max_length=64)
    seen_at: datetime = Field(default_factory=_now, index=True)


ASSESSMENT_TABLES = (SnapshotFigureRow, AssessmentRatingRow, AssessmentRow, DeviceTabRow)
"""Assessment tables, children before parents (the order to delete in)."""
