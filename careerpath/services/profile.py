"""The profile screen: strengths first, levels by category, then what can grow."""

from __future__ import annotations

from dataclasses import dataclass

from careerpath.domain.readiness import Gap
from careerpath.domain.referential import Weight
from careerpath.services import labels
from careerpath.services.assessments import StoredAssessment
from careerpath.services.context import Context
from careerpath.services.questionnaire import assessment_steps, question

STRENGTH_MIN = 3
GROWTH_ROLES = 5
GROWTH_SHOWN = 6


@dataclass(frozen=True)
class StrengthItem:
    code: str
    label: str
    level: int
    level_name: str
    descriptor: str


@dataclass(frozen=True)
class CategoryLevel:
    """Average self-declared level of a category (over answered questions), 0–4."""

    category: str
    average: float
    average_text: str
    percent: int
    answered: int
    total: int


@dataclass(frozen=True)
class GrowthItem:
    code: str
    label: str
    has_name: str
    needs_name: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class ProfileView:
    strengths: tuple[StrengthItem, ...]
    categories: tuple[CategoryLevel, ...]
    growth: tuple[GrowthItem, ...]
    answered: int
    total: int


def profile_view(ctx: Context, stored: StoredAssessment) -> ProfileView:
    """Strengths first, then levels by category, then what can grow (gaps of the best moves)."""
    ref, locale = ctx.referential, ctx.locale
    steps = assessment_steps(ref, stored.current_role)
    ratings = stored.ratings
    strengths = [
        StrengthItem(
            c.code,
            c.label,
            ratings[c.code],
            labels.level_name(ratings[c.code], locale),
            question(c, ratings[c.code], locale).options[ratings[c.code]].descriptor,
        )
        for c in ref.competencies
        if ratings.get(c.code, 0) >= STRENGTH_MIN
    ]
    strengths.sort(key=lambda s: -s.level)
    categories = []
    for step in steps:
        answered = [ratings[c] for c in step.competencies if c in ratings]
        average = sum(answered) / len(answered) if answered else 0.0
        categories.append(
            CategoryLevel(
                labels.capitalise(step.category),
                average,
                labels.decimal(average, locale),
                round(100 * average / 4),
                len(answered),
                len(step.competencies),
            )
        )
    growth = growth_items(ctx, stored)
    asked = sum(len(s.competencies) for s in steps)
    answered_total = sum(1 for s in steps for c in s.competencies if c in ratings)
    return ProfileView(tuple(strengths), tuple(categories), tuple(growth), answered_total, asked)


def growth_items(ctx: Context, stored: StoredAssessment) -> list[GrowthItem]:
    """Gaps shared by the person's best next roles, most shared first."""
    engine, locale = ctx.engine, ctx.locale
    assessment = stored.to_assessment()
    hidden = set(stored.hidden_roles)
    vector = engine.readiness_vector(assessment)
    roles = [
        n for n in engine.next_roles(assessment, locale, vector=vector) if n.role not in hidden
    ][:GROWTH_ROLES]
    found: dict[str, tuple[Gap, list[str]]] = {}
    for next_role in roles:
        for gap in engine.role_readiness(assessment, next_role.role, vector).gaps:
            seen = found.get(gap.competency)
            if seen is None:
                found[gap.competency] = (gap, [next_role.title])
            else:
                bigger = gap if gap.needs > seen[0].needs else seen[0]
                found[gap.competency] = (bigger, [*seen[1], next_role.title])
    ordered = sorted(
        found.values(),
        key=lambda pair: (
            -len(pair[1]),
            pair[0].weight != Weight.ESSENTIAL,
            -pair[0].size,
            pair[0].competency,
        ),
    )
    by_code = ctx.referential.competency_by_code
    return [
        GrowthItem(
            gap.competency,
            by_code[gap.competency].label,
            labels.level_name(gap.has, locale),
            labels.level_name(gap.needs, locale),
            tuple(titles),
        )
        for gap, titles in ordered[:GROWTH_SHOWN]
    ]
