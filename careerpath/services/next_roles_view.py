"""The next-roles screen: the best moves in three groups, without the roles the person hid."""

from __future__ import annotations

from dataclasses import dataclass

from careerpath.domain.engine import RoleGroup
from careerpath.domain.readiness import Gap
from careerpath.services import labels
from careerpath.services.assessments import StoredAssessment
from careerpath.services.context import Context
from careerpath.services.labels import Locale

PER_GROUP = 3
GAPS_PER_CARD = 3


@dataclass(frozen=True)
class RoleCard:
    code: str
    title: str
    score: float
    score_text: str
    why: str
    gaps: tuple[str, ...]


@dataclass(frozen=True)
class RoleGroupView:
    group: str
    title: str
    hint: str
    cards: tuple[RoleCard, ...]


def gap_text(gap: Gap, label: str, locale: Locale = "fr") -> str:
    """'Rédiger des écrits professionnels (Notions → Maîtrise)'."""
    return (
        f"{label} ({labels.level_name(gap.has, locale)} → {labels.level_name(gap.needs, locale)})"
    )


def next_roles_view(
    ctx: Context, stored: StoredAssessment, per_group: int = PER_GROUP
) -> list[RoleGroupView]:
    """The best next roles in three groups, without the roles the person hid."""
    engine, locale = ctx.engine, ctx.locale
    assessment = stored.to_assessment()
    hidden = set(stored.hidden_roles)
    by_code = ctx.referential.competency_by_code
    grouped: dict[str, list[RoleCard]] = {g.value: [] for g in RoleGroup}
    vector = engine.readiness_vector(assessment)
    for next_role in engine.next_roles(assessment, locale, vector=vector):
        if next_role.role in hidden or len(grouped[next_role.group.value]) >= per_group:
            continue
        gaps = engine.role_readiness(assessment, next_role.role, vector).gaps[:GAPS_PER_CARD]
        grouped[next_role.group.value].append(
            RoleCard(
                next_role.role,
                next_role.title,
                next_role.score,
                labels.percent(next_role.score, locale),
                next_role.why,
                tuple(gap_text(g, by_code[g.competency].label, locale) for g in gaps),
            )
        )
        if all(len(cards) >= per_group for cards in grouped.values()):
            break
    return [
        RoleGroupView(
            group,
            labels.label(labels.GROUPS, group, locale),
            labels.label(labels.GROUP_HINTS, group, locale),
            tuple(cards),
        )
        for group, cards in grouped.items()
    ]
