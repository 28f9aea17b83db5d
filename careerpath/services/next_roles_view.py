"""The next-roles screen: the best moves in three groups, without the roles the person hid.

Inside a group the cards follow the percentage they show; the person's chosen goal is
always shown, whatever the group's size; « À une formation près » holds only the roles
one training the person may take (under their constraints) closes every gap of, and names
it; the sentence under a percentage says what that percentage counts.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from careerpath.domain.engine import RoleGroup
from careerpath.domain.readiness import Gap, RoleReadiness
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
    is_target: bool = False


@dataclass(frozen=True)
class RoleGroupView:
    group: str
    title: str
    hint: str
    cards: tuple[RoleCard, ...]
    more: int = 0  # cards « Voir plus » would reveal


def gap_text(gap: Gap, label: str, locale: Locale = "fr") -> str:
    """'Rédiger des écrits professionnels (Notions → Maîtrise)'."""
    return (
        f"{label} ({labels.level_name(gap.has, locale)} → {labels.level_name(gap.needs, locale)})"
    )


def readiness_sentence(detail: RoleReadiness, locale: Locale = "fr") -> str:
    """What the percentage counts: requirements met, met in part, not started."""
    total = detail.requirements_total
    if total == 0:
        return (
            "Ce métier ne décrit encore aucune compétence requise."
            if locale == "fr"
            else "This role does not list any required competency yet."
        )
    met = detail.requirements_met
    partly = sum(1 for g in detail.gaps if g.has > 0)
    absent = total - met - partly
    if locale == "fr":
        parts = [f"{met} sur {total} au niveau demandé"]
        if partly:
            parts.append(f"{partly} en partie")
        if absent:
            parts.append(f"{absent} pas encore")
        essentials = (
            f" (compétences clés : {detail.essentials_met} sur {detail.essentials_total}, "
            "comptées double)"
            if detail.essentials_total
            else ""
        )
        return f"Compétences de ce métier : {', '.join(parts)}{essentials}."
    parts = [f"{met} of {total} at the level required"]
    if partly:
        parts.append(f"{partly} in part")
    if absent:
        parts.append(f"{absent} not yet")
    essentials = (
        f" (key competencies: {detail.essentials_met} of {detail.essentials_total}, counted twice)"
        if detail.essentials_total
        else ""
    )
    return f"This role's competencies: {', '.join(parts)}{essentials}."


def single_training(ctx: Context, stored: StoredAssessment, role: str) -> str | None:
    """The title of one training the person may take (modality, budget and hours accepted,
    VAE only when eligible) that closes every gap to `role`; None when none does."""
    assessment = stored.to_assessment(role)
    gaps = ctx.engine.role_readiness(assessment, role).gaps
    if not gaps:
        return None
    constraints = assessment.constraints
    outcomes = ctx.referential.outcomes_by_training
    for training in ctx.engine.catalogue.allowed(assessment.ratings, constraints):
        if constraints.max_cost_eur is not None and training.cost_eur > constraints.max_cost_eur:
            continue
        if constraints.max_hours is not None and training.hours > constraints.max_hours:
            continue
        reached = {o.competency: o.level for o in outcomes.get(training.code, ())}
        if all(reached.get(g.competency, 0) >= g.needs for g in gaps):
            return training.title
    return None


def next_roles_view(
    ctx: Context,
    stored: StoredAssessment,
    per_group: int = PER_GROUP,
    expanded: Collection[str] = (),
) -> list[RoleGroupView]:
    """The next roles in three groups, without the roles the person hid (but never without
    the chosen goal); `expanded` groups show every card, the others `per_group`."""
    engine, locale = ctx.engine, ctx.locale
    assessment = stored.to_assessment()
    hidden = set(stored.hidden_roles)
    target = stored.target
    by_code = ctx.referential.competency_by_code
    vector = engine.readiness_vector(assessment)
    grouped: dict[str, list[tuple[float, int, RoleCard]]] = {g.value: [] for g in RoleGroup}
    for rank, next_role in enumerate(engine.next_roles(assessment, locale, vector=vector)):
        is_target = next_role.role == target
        if next_role.role in hidden and not is_target:
            continue
        group = next_role.group
        why = ""
        if group != RoleGroup.READY:
            training = single_training(ctx, stored, next_role.role)
            group = RoleGroup.ONE_TRAINING if training else RoleGroup.LONG_TERM
            if training:
                why = (
                    f" Une seule formation comble tout l'écart : {training}."
                    if locale == "fr"
                    else f" One training closes the whole gap: {training}."
                )
        detail = engine.role_readiness(assessment, next_role.role, vector)
        gaps = detail.gaps[:GAPS_PER_CARD]
        card = RoleCard(
            next_role.role,
            next_role.title,
            next_role.score,
            labels.percent(next_role.score, locale),
            readiness_sentence(detail, locale) + why,
            tuple(gap_text(g, by_code[g.competency].label, locale) for g in gaps),
            is_target,
        )
        grouped[group.value].append((next_role.score, rank, card))
    views = []
    for name, entries in grouped.items():
        entries.sort(key=lambda e: (-e[0], e[1]))  # the percentage shown, then the engine's fit
        cards = [card for _, _, card in entries]
        if name in expanded:
            shown = cards
        else:
            shown = cards[:per_group]
            shown += [c for c in cards[per_group:] if c.is_target]
        views.append(
            RoleGroupView(
                name,
                labels.label(labels.GROUPS, name, locale),
                labels.label(labels.GROUP_HINTS, name, locale),
                tuple(shown),
                len(cards) - len(shown),
            )
        )
    return views
