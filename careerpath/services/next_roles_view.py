"""The next-roles screen: the best moves in three groups, without the roles the person hid.

Inside a group the cards follow the percentage they show; the person's chosen goal is
always shown, whatever the group's size; « À une formation près » holds only the roles whose
plan (the one the plan page shows, under the person's constraints) closes every gap with one
item, and names it (`TrainingPlan.closing_item`, one definition for both pages); the
sentence under a percentage says what that percentage counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from careerpath.domain.engine import RoleGroup
from careerpath.domain.readiness import Gap, RoleReadiness
from careerpath.i18n import Locale, gettext
from careerpath.services import labels
from careerpath.services.assessments import StoredAssessment
from careerpath.services.context import Context
from careerpath.services.plan_view import one_training_sentence
from careerpath.services.referential_text import referential_text
from careerpath.services.role_groups import shown_group

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


def next_roles_view(
    ctx: Context,
    stored: StoredAssessment,
    per_group: int = PER_GROUP,
    extra: Mapping[str, int] | None = None,
) -> list[RoleGroupView]:
    """The next roles in three groups, without the roles the person hid (but never without
    the chosen goal): `per_group` cards per group, plus `extra[group]` after « Voir plus ».

    Every role is placed (scores and groups are vectorised in the engine), but only the
    cards shown are built: no sentence, gap list or readiness detail for the others. A role
    is « À une formation près » when its plan closes every gap with one item
    (`TrainingPlan.closing_item`), the very plan its plan page shows: the engine's group is
    only the cheap necessary condition checked first.
    """
    engine, locale, ref = ctx.engine, ctx.locale, ctx.referential
    extra = extra or {}
    assessment = stored.to_assessment()
    hidden = set(stored.hidden_roles)
    target = stored.target
    by_code = ref.competency_by_code
    vector = engine.readiness_vector(assessment)
    grouped: dict[str, list[tuple[float, int, str, str]]] = {g.value: [] for g in RoleGroup}
    for rank, standing in enumerate(engine.standings(assessment, vector)):
        role = standing.role
        if role in hidden and role != target:
            continue
        # The engine's group also takes roles at 60 % or more, and ignores the person's
        # constraints: « À une formation près » keeps only the roles whose plan is one item.
        group, item = shown_group(
            engine,
            assessment,
            role,
            standing.group,
            reaches=standing.one_training_reaches,
            vector=vector,
        )
        training = referential_text(item.title, locale) if item is not None else ""
        grouped[group.value].append((standing.score, rank, role, training))
    views = []
    for name, entries in grouped.items():
        entries.sort(key=lambda e: (-e[0], e[1]))  # the percentage shown, then the fit
        limit = per_group + max(0, extra.get(name, 0))
        shown = entries[:limit] + [e for e in entries[limit:] if e[2] == target]
        cards = []
        for score, _, role, training in shown:
            detail = engine.role_readiness(assessment, role, vector)
            why = readiness_sentence(detail, locale)
            if training:
                why += " " + one_training_sentence(training, locale)
            cards.append(
                RoleCard(
                    role,
                    ref.role_by_code[role].title,
                    score,
                    labels.percent(score, locale),
                    why,
                    tuple(
                        gap_text(g, by_code[g.competency].label, locale)
                        for g in detail.gaps[:GAPS_PER_CARD]
                    ),
                    role == target,
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
