"""A person's self-assessment: where they are, what they rate, what they aim for."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from careerpath.domain.referential import Situation

WEEKS_PER_MONTH = 52 / 12
MIN_QUALIFICATION_LEVEL = 1
MAX_QUALIFICATION_LEVEL = 8
MAX_HOURS_PER_WEEK = 80.0
MAX_HORIZON_MONTHS = 120.0


class AgeBand(StrEnum):
    """Age bands that decide alternance: apprenticeship under 30, contrat pro 16–25."""

    UNDER_26 = "under_26"
    FROM_26_TO_29 = "26_29"
    FROM_30 = "30_plus"


@dataclass(frozen=True, slots=True)
class Constraints:
    """What the person can afford.

    `max_hours`: hours in total; `max_cost_eur`: the out-of-pocket budget (after the funding
    routes open to the person); `modalities`: accepted modalities (None: all);
    `hours_per_week` × `horizon_months` bound the plan's weeks; `cpf_balance_eur`: the
    person's CPF balance (None: unknown, then nothing is counted from it).
    """

    max_hours: float | None = None
    max_cost_eur: float | None = None
    modalities: frozenset[str] | None = None
    hours_per_week: float | None = None
    horizon_months: float | None = None
    cpf_balance_eur: float | None = None

    @property
    def horizon_weeks(self) -> float | None:
        if self.horizon_months is None:
            return None
        return self.horizon_months * WEEKS_PER_MONTH


@dataclass(frozen=True, slots=True)
class Profile:
    """What the person tells about themselves, only where it changes the plan."""

    situation: Situation | None = None
    qualification_level: int | None = None
    age_band: AgeBand | None = None
    preparing: str | None = None
    """The certification (a diploma's training code) a student is preparing: never proposed
    again as a training or a VAE, and what it will bring is not planned a second time."""
    age_exception: bool | None = None
    """True when the person's case lifts apprenticeship's upper age limit (a recognised
    disability, RQTH; a business creation or takeover project that needs the diploma; a
    listed high-level athlete); None: not told."""


@dataclass(frozen=True, slots=True)
class Assessment:
    """Self-declared ratings (competency code → 0–4); missing competencies count as 0."""

    ratings: Mapping[str, int] = field(default_factory=dict)
    current_role: str | None = None
    target: str | None = None
    constraints: Constraints = field(default_factory=Constraints)
    profile: Profile = field(default_factory=Profile)

    def level(self, competency: str) -> int:
        return self.ratings.get(competency, 0)
