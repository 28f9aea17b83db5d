"""A person's self-assessment: where they are, what they rate, what they aim for."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Constraints:
    """What the person can afford: hours in total, budget in euros, accepted modalities."""

    max_hours: float | None = None
    max_cost_eur: float | None = None
    modalities: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class Assessment:
    """Self-declared ratings (competency code → 0–4); missing competencies count as 0."""

    ratings: Mapping[str, int] = field(default_factory=dict)
    current_role: str | None = None
    target: str | None = None
    constraints: Constraints = field(default_factory=Constraints)

    def level(self, competency: str) -> int:
        return self.ratings.get(competency, 0)
