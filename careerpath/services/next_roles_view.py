"""The next-roles screen: the best moves in three groups, without the roles the person hid.

Inside a group the cards follow the percentage they show; the person's chosen goal is
always shown, whatever the group's size; « À une formation près » holds only the roles
one training the person may take (under their constraints) closes every gap of, and names
it; the sentence under a percentage says what that percentage counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from careerpath.domain.engine import NextRole, RoleGroup
from careerpath.domain.readiness import Gap, ReadinessVector, RoleReadiness
from careerpath.i18n import Locale, gettext
from careerpath.services import labels
from careerpath.services.assessments import StoredAssessment
from careerpath.services.context import Context

PER_GROUP = 3
MORE_STEP = 40
"""Cards one « Voir plus » adds to a group."""
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
        return gettext("Ce métier ne décrit encore aucune compétence requise.", locale)
    met = detail.requirements_met
    partly = sum(1 for g in detail.gaps if g.has > 0)
    absent = total - met - partly
    parts = [gettext("{met} sur {total} au niveau demandé", locale, met=met, total=total)]
    if partly:
        parts.append(gettext("{n} en partie", locale, n=partly))
    if absent:
        parts.append(gettext("{n} pas encore", locale, n=absent))
    essentials = (
        gettext(
            " (compétences clés : {met} sur {total}, comptées double)",
            locale,
            met=detail.essentials_met,
            total=detail.essentials_total,
        )
        if detail.essentials_total
        else ""
    )
    return gettext(
        "Compétences de ce métier : {parts}{essentials}.",
        locale,
        parts=", ".join(parts),
        essentials=essentials,
    )


def single_training(
    ctx: Context, stored: StoredAssessment, role: str, vector: ReadinessVector | None = None
) -> str | None:
    """The title of one training the person may take (modality, budget and hours accepted,
    VAE only when eligible) that closes every gap to `role`; None when none does."""
    assessment = stored.to_assessment(role)
    gaps = ctx.engine.role_readiness(assessment, role, vector).gaps
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
    extra: Mapping[str, int] | None = None,
) -> list[RoleGroupView]:
    """The next roles in three groups, without the roles the person hid (but never without
    the chosen goal): `per_group` cards per group, plus `extra[group]` after « Voir plus ».

    Only the cards shown are built (a referential of thousands of roles ranks them all,
    but explains a handful).
    """
    engine, locale = ctx.engine, ctx.locale
    extra = extra or {}
    assessment = stored.to_assessment()
    hidden = set(stored.hidden_roles)
    target = stored.target
    by_code = ctx.referential.competency_by_code
    vector = engine.readiness_vector(assessment)
    grouped: dict[str, list[tuple[float, int, NextRole, str]]] = {g.value: [] for g in RoleGroup}
    for rank, next_role in enumerate(engine.next_roles(assessment, locale, vector=vector)):
        if next_role.role in hidden and next_role.role != target:
            continue
        group = next_role.group
        training = ""
        if group == RoleGroup.ONE_TRAINING:
            # The engine's group also takes roles at 60 % or more; keep only those one
            # training the person may take closes, and name it.
            training = single_training(ctx, stored, next_role.role, vector) or ""
            group = RoleGroup.ONE_TRAINING if training else RoleGroup.LONG_TERM
        grouped[group.value].append((next_role.score, rank, next_role, training))
    views = []
    for name, entries in grouped.items():
        entries.sort(key=lambda e: (-e[0], e[1]))  # the percentage shown, then the fit
        limit = per_group + max(0, extra.get(name, 0))
        shown = entries[:limit] + [e for e in entries[limit:] if e[2].role == target]
        cards = []
        for _, _, next_role, training in shown:
            detail = engine.role_readiness(assessment, next_role.role, vector)
            why = readiness_sentence(detail, locale)
            if training:
                why += " " + gettext(
                    "Une seule formation comble tout l'écart : {training}.",
                    locale,
                    training=training,
                )
            cards.append(
                RoleCard(
                    next_role.role,
                    next_role.title,
                    next_role.score,
                    labels.percent(next_role.score, locale),
                    why,
                    tuple(
                        gap_text(g, by_code[g.competency].label, locale)
                        for g in detail.gaps[:GAPS_PER_CARD]
                    ),
                    next_role.role == target,
                )
            )
        views.append(
            RoleGroupView(
                name,
                labels.label(labels.GROUPS, name, locale),
                labels.label(labels.GROUP_HINTS, name, locale),
                tuple(cards),
                len(entries) - len(shown),
            )
        )
    return views
