"""sqlmodel tables for the referential.

Codes are the primary keys (they are stable and what files and URLs use); `position` keeps
the file order, which the UI relies on (categories are rated in the order they appear).
Check constraints repeat the importers' validation so that no other writer can store a
level 5 or a negative duration.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Text
from sqlmodel import Field, SQLModel


def _fk(target: str) -> Column[str]:
    return Column(String(512), ForeignKey(target, ondelete="CASCADE"), primary_key=True)


class ReferentialInfo(SQLModel, table=True):
    """The provenance of the referential currently stored (one row)."""

    __tablename__ = "referential_info"

    id: int = Field(default=1, primary_key=True)
    source: str = Field(default="")
    version: str = Field(default="")
    date: str = Field(default="")
    licence: str = Field(default="")
    content_version: str = Field(default="", max_length=64)
    imported_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


class CompetencyRow(SQLModel, table=True):
    __tablename__ = "competency"

    code: str = Field(primary_key=True, max_length=512)
    position: int = Field(index=True)
    label: str = Field(sa_column=Column(Text, nullable=False))
    category: str = Field(max_length=200, index=True)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    level_1: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    level_2: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    level_3: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    level_4: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class RoleRow(SQLModel, table=True):
    __tablename__ = "role"
    __table_args__ = (
        CheckConstraint(
            "qualification_level IS NULL OR (qualification_level BETWEEN 1 AND 8)",
            name="ck_role_qualification_level",
        ),
    )

    code: str = Field(primary_key=True, max_length=512)
    position: int = Field(index=True)
    title: str = Field(sa_column=Column(Text, nullable=False))
    family: str = Field(default="", max_length=300)
    rome_code: str = Field(default="", max_length=10, index=True)
    qualification_level: int | None = Field(default=None)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class RoleTitleRow(SQLModel, table=True):
    """Alternative titles people type when looking for a role (ROME appellations…)."""

    __tablename__ = "role_title"

    role: str = Field(sa_column=_fk("role.code"))
    position: int = Field(primary_key=True)
    title: str = Field(sa_column=Column(Text, nullable=False))


class RequirementRow(SQLModel, table=True):
    __tablename__ = "requirement"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 4", name="ck_requirement_level"),
        CheckConstraint("weight IN ('essential', 'useful')", name="ck_requirement_weight"),
    )

    role: str = Field(sa_column=_fk("role.code"))
    competency: str = Field(sa_column=_fk("competency.code"))
    position: int
    level: int
    weight: str = Field(max_length=10)


class TransitionRow(SQLModel, table=True):
    """A move between roles, with the competency delta and effort computed at import."""

    __tablename__ = "transition"
    __table_args__ = (
        CheckConstraint("kind IN ('curated', 'derived')", name="ck_transition_kind"),
        CheckConstraint("from_role <> to_role", name="ck_transition_not_self"),
        CheckConstraint("effort_hours >= 0", name="ck_transition_effort"),
    )

    from_role: str = Field(sa_column=_fk("role.code"))
    to_role: str = Field(sa_column=_fk("role.code"))
    position: int
    kind: str = Field(max_length=10)
    delta_json: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    effort_hours: float = Field(default=0.0)


class TrainingRow(SQLModel, table=True):
    __tablename__ = "training"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('diplome', 'titre_pro', 'certification', 'formation_courte', 'vae', 'action')",
            name="ck_training_kind",
        ),
        CheckConstraint(
            "modality IN ('presentiel', 'distance', 'hybride', 'alternance')",
            name="ck_training_modality",
        ),
        CheckConstraint("hours >= 0", name="ck_training_hours"),
        CheckConstraint("cost_eur >= 0", name="ck_training_cost"),
        CheckConstraint(
            "qualification_level IS NULL OR (qualification_level BETWEEN 1 AND 8)",
            name="ck_training_qualification_level",
        ),
        CheckConstraint(
            "entry_level IS NULL OR (entry_level BETWEEN 1 AND 8)",
            name="ck_training_entry_level",
        ),
    )

    code: str = Field(primary_key=True, max_length=512)
    position: int = Field(index=True)
    title: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(max_length=20)
    rncp: str = Field(default="", max_length=20)
    qualification_level: int | None = Field(default=None)
    hours: float
    cost_eur: float
    modality: str = Field(max_length=20)
    cpf: bool = Field(default=False)
    prerequisites: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    entry_level: int | None = Field(default=None)
    situations: str = Field(default="", max_length=60)


class TrainingOutcomeRow(SQLModel, table=True):
    __tablename__ = "training_outcome"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 4", name="ck_outcome_level"),)

    training: str = Field(sa_column=_fk("training.code"))
    competency: str = Field(sa_column=_fk("competency.code"))
    position: int
    level: int


class CertificationBlocRow(SQLModel, table=True):
    """A bloc de compétences of a certification: its title and the competencies it certifies
    (space-separated competency codes, all among the certification's outcomes)."""

    __tablename__ = "certification_bloc"

    certification: str = Field(sa_column=_fk("training.code"))
    code: str = Field(primary_key=True, max_length=100)
    position: int
    title: str = Field(sa_column=Column(Text, nullable=False))
    competencies: str = Field(sa_column=Column(Text, nullable=False))


REFERENTIAL_TABLES = (
    CertificationBlocRow,
    TrainingOutcomeRow,
    TrainingRow,
    TransitionRow,
    RequirementRow,
    RoleTitleRow,
    RoleRow,
    CompetencyRow,
    ReferentialInfo,
)
"""Every referential table, children before parents (the order to delete in)."""

__all__ = [
    "REFERENTIAL_TABLES",
    "CertificationBlocRow",
    "CompetencyRow",
    "ReferentialInfo",
    "RequirementRow",
    "RoleRow",
    "RoleTitleRow",
    "TrainingOutcomeRow",
    "TrainingRow",
    "TransitionRow",
]
