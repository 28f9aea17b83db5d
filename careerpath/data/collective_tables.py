"""sqlmodel tables of the collective diagnosis (groups of assistants and the people they
work for).

- A **group** (a service, a team, a cohort, a club) is created by an organiser's account, in
  the organiser's structure; people join it with its short code (link, QR code). `k` is the
  group's anonymity threshold (at least the deployment's, never below 3); `subgroups` the
  optional names of its parts (two services of one group…), as a JSON list; `context` the
  organiser's own description of the context.
- A **member** is one device's participation in one panel: the assistants (their level
  today, read from their assessment: `assessment_id` is the one they chose when joining)
  or the people they work for (the level needed tomorrow, kept in `collective_need`).
  Leaving empties `subject_id` and `assessment_id` and erases the needs at once: only the
  dates remain, and the member is in no figure any more.
- A **need** is one answer of a manager-panel member: the level a competency will need
  tomorrow. Rows are never updated: a new answer is a new row, so a past date reads the
  answers given until then.

A **state** is one published state of a panel's figures (see `domain.collective`): the
group sees the last one until at least k answers have changed.

The group's shared action plan lives in the workspace's plan tables, `plan_kind = "group"`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from careerpath.data import account_tables, assessment_tables  # noqa: F401  (keys point there)

GROUP_KINDS = ("service", "equipe", "promotion", "club")
PANELS = ("assistant", "manager")


def _now() -> datetime:
    return datetime.now(UTC)


class CollectiveGroupRow(SQLModel, table=True):
    """A group whose members' answers are seen only as anonymous figures."""

    __tablename__ = "collective_group"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('service', 'equipe', 'promotion', 'club')", name="ck_collective_group_kind"
        ),
        CheckConstraint("k >= 3", name="ck_collective_group_k"),
    )

    id: str = Field(primary_key=True, max_length=32)
    organiser_id: str | None = Field(
        default=None,
        sa_column=Column(
            String(32), ForeignKey("account.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    structure_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("structure.id", ondelete="CASCADE"), nullable=True, index=True
        ),
    )
    name: str = Field(max_length=120)
    kind: str = Field(max_length=10)
    code: str = Field(max_length=16, unique=True, index=True)
    k: int = Field(default=5)
    subgroups: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    context: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    staff_devices: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    """Digests of the devices the organiser (or a manager) opened the group on, as a JSON
    list: they cannot join, and a member on one of them counts in no figure."""
    created_at: datetime = Field(default_factory=_now)


class CollectiveMemberRow(SQLModel, table=True):
    """One device in one panel of one group, from when to when."""

    __tablename__ = "collective_member"
    __table_args__ = (
        CheckConstraint("panel IN ('assistant', 'manager')", name="ck_collective_member_panel"),
    )

    id: str = Field(primary_key=True, max_length=32)
    group_id: str = Field(
        sa_column=Column(
            String(32),
            ForeignKey("collective_group.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    panel: str = Field(max_length=10)
    subject_id: str | None = Field(
        default=None,
        sa_column=Column(
            String(32), ForeignKey("subject.id", ondelete="CASCADE"), nullable=True, index=True
        ),
    )
    assessment_id: str | None = Field(
        default=None,
        sa_column=Column(
            String(32), ForeignKey("assessment.id", ondelete="SET NULL"), nullable=True
        ),
    )
    subgroup: str = Field(default="", max_length=60)
    joined_at: datetime = Field(default_factory=_now)
    left_at: datetime | None = Field(default=None)
    shared_text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    """What the member agreed to share with the group in their own words ("" : nothing)."""


class CollectiveNeedRow(SQLModel, table=True):
    """A manager-panel answer: the level a competency will need tomorrow (0–4)."""

    __tablename__ = "collective_need"
    __table_args__ = (CheckConstraint("level BETWEEN 0 AND 4", name="ck_collective_need_level"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: str = Field(
        sa_column=Column(
            String(32),
            ForeignKey("collective_member.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    competency: str = Field(sa_column=Column(String(512), nullable=False))
    level: int
    rated_at: datetime = Field(default_factory=_now)


class CollectiveStateRow(SQLModel, table=True):
    """A published state of one panel's figures (`domain.collective.publish_state`): the
    figures the group sees until the next state, and the traces the next one is checked
    against (opaque membership ids, answer versions, which questions — never an answer)."""

    __tablename__ = "collective_state"
    __table_args__ = (
        CheckConstraint("panel IN ('assistant', 'manager')", name="ck_collective_state_panel"),
        UniqueConstraint("group_id", "panel", "seq", name="uq_collective_state_seq"),
    )

    id: int | None = Field(default=None, primary_key=True)
    group_id: str = Field(
        sa_column=Column(
            String(32),
            ForeignKey("collective_group.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    panel: str = Field(max_length=10)
    seq: int
    published_at: datetime = Field(default_factory=_now)
    body: str = Field(sa_column=Column(Text, nullable=False))


COLLECTIVE_TABLES = (CollectiveStateRow, CollectiveNeedRow, CollectiveMemberRow, CollectiveGroupRow)
"""Collective tables, children before parents (the order to delete in)."""
