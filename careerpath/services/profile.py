"""The profile screen: strengths first, levels by category, then what can grow."""

from __future__ import annotations

from dataclasses import dataclass

from careerpath.domain.readiness import Gap
from careerpath.domain.referential import Weight
from careerpath.i18n import gettext, ngettext
from careerpath.services import labels
from careerpath.services.assessments import StoredAssessment
from careerpath.services.context import Context
from careerpath.services.questionnaire import (
    RefineCategory,
    anchor_role,
    asked_competencies,
    assessment_steps,
    category_groups,
    question,
    refine_categories,
)
from careerpath.services.value_words import ValueText, value_text

STRENGTH_MIN = 3
"""« Maîtrise » and above: a strength."""
PRACTICE_MIN = 2
"""« Application »: what the person does on their own, named when nothing is rated higher."""
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
class Unanswered:
    """How much of the review has no answer yet, and what answering more would change."""

    unanswered: int
    total: int
    sentence: str
    best_step: int  # the « Affiner mon bilan » screen that would change the most; 0: none


@dataclass(frozen=True)
class ProfileView:
    strengths: tuple[StrengthItem, ...]
    strengths_title: str
    categories: tuple[CategoryLevel, ...]
    growth: tuple[GrowthItem, ...]
    growth_intro: str
    answered: int
    total: int
    unanswered: Unanswered
    refine: tuple[RefineCategory, ...]
    value: ValueText


def strengths_of(ctx: Context, stored: StoredAssessment) -> tuple[list[StrengthItem], str]:
    """The person's strengths (« Maîtrise » and above), strongest first, and their title.

    With nothing rated that high, what the person does on their own (« Application ») is
    named instead: a modest profile still gets its strengths named.
    """
    ref, locale = ctx.referential, ctx.locale
    ratings = stored.ratings
    threshold = STRENGTH_MIN
    title = gettext("Ce que vous maîtrisez", locale)
    if not any(ratings.get(c.code, 0) >= STRENGTH_MIN for c in ref.competencies):
        threshold = PRACTICE_MIN
        title = gettext("Ce que vous faites en autonomie", locale)
    strengths = [
        StrengthItem(
            c.code,
            c.label,
            ratings[c.code],
            labels.level_name(ratings[c.code], locale),
            question(c, ratings[c.code], locale).options[ratings[c.code]].descriptor,
        )
        for c in ref.competencies
        if ratings.get(c.code, 0) >= threshold
    ]
    strengths.sort(key=lambda s: -s.level)
    return strengths, title


def unanswered_view(ctx: Context, stored: StoredAssessment) -> Unanswered:
    """How many questions wait, and which « Affiner » screen would move the results most:
    the one holding most of the unanswered competencies the best next roles require."""
    ref = ctx.referential
    asked = asked_competencies(ref, anchor_role(stored))
    missing = [c for c in asked if c not in stored.ratings]
    if not missing:
        return Unanswered(
            0,
            len(asked),
            gettext("Vous avez répondu à toutes les questions.", ctx.locale),
            0,
        )
    assessment = stored.to_assessment()
    hidden = set(stored.hidden_roles)
    best_roles = [
        n
        for n in ctx.engine.next_roles(assessment, ctx.locale, limit=GROWTH_ROLES + len(hidden))
        if n.role not in hidden
    ][:GROWTH_ROLES]
    wanted = {
        q.competency
        for n in best_roles
        for q in ref.requirements_by_role.get(n.role, ())
        if q.competency not in stored.ratings
    }
    best: RefineCategory | None = None
    best_count = 0
    steps = assessment_steps(ctx, anchor_role(stored))
    for category in refine_categories(ctx, stored):
        codes = steps[category.step - 1].competencies
        count = sum(1 for c in codes if c in wanted)
        if count > best_count:
            best, best_count = category, count
    n = len(missing)
    locale = ctx.locale
    head = ngettext(
        "{n} compétence sur {asked} n’a pas encore de réponse : elle compte pour « Pas encore », "
        "si bien que vos pourcentages ne peuvent que monter quand vous y répondez.",
        "{n} compétences sur {asked} n’ont pas encore de réponse : elles comptent pour "
        "« Pas encore », si bien que vos pourcentages ne peuvent que monter quand vous y "
        "répondez.",
        n,
        locale,
        asked=len(asked),
    )
    tail = (
        " "
        + ngettext(
            "Le plus utile : « {category} », {n} compétence demandée par vos métiers les plus "
            "proches.",
            "Le plus utile : « {category} », {n} compétences demandées par vos métiers les plus "
            "proches.",
            best_count,
            locale,
            category=best.category,
        )
        if best
        else ""
    )
    return Unanswered(n, len(asked), head + tail, best.step if best else 0)


def profile_view(ctx: Context, stored: StoredAssessment) -> ProfileView:
    """Strengths first, then levels by category, then what can grow (gaps of the best moves)."""
    ref, locale = ctx.referential, ctx.locale
    groups = category_groups(ref, anchor_role(stored))
    ratings = stored.ratings
    strengths, strengths_title = strengths_of(ctx, stored)
    categories = []
    for category, codes in groups:
        answered = [ratings[c] for c in codes if c in ratings]
        average = sum(answered) / len(answered) if answered else 0.0
        categories.append(
            CategoryLevel(
                labels.capitalise(category),
                average,
                labels.decimal(average, locale),
                round(100 * average / 4),
                len(answered),
                len(codes),
            )
        )
    growth = growth_items(ctx, stored)
    asked = sum(len(codes) for _, codes in groups)
    answered_total = sum(1 for _, codes in groups for c in codes if c in ratings)
    return ProfileView(
        strengths=tuple(strengths),
        strengths_title=strengths_title,
        categories=tuple(categories),
        growth=tuple(growth),
        growth_intro=growth_intro(ctx, stored),
        answered=answered_total,
        total=asked,
        unanswered=unanswered_view(ctx, stored),
        refine=tuple(refine_categories(ctx, stored)),
        value=value_text(ctx, stored),
    )


def growth_intro(ctx: Context, stored: StoredAssessment) -> str:
    goal = ctx.referential.role_by_code.get(stored.target or "")
    if goal is not None:
        return gettext(
            "Ce qui vous rapproche de votre objectif, {goal} :", ctx.locale, goal=goal.title
        )
    return gettext("Les compétences qui vous ouvriraient le plus de métiers proches :", ctx.locale)


def growth_items(ctx: Context, stored: StoredAssessment) -> list[GrowthItem]:
    """What can grow: the gaps to the chosen goal when there is one (largest essential
    first), else the gaps shared by the person's best next roles, most shared first."""
    engine, locale = ctx.engine, ctx.locale
    assessment = stored.to_assessment()
    hidden = set(stored.hidden_roles)
    vector = engine.readiness_vector(assessment)
    goal = stored.target if stored.target in ctx.referential.role_by_code else None
    roles: list[tuple[str, str]]
    if goal is not None:
        roles = [(goal, ctx.referential.role_by_code[goal].title)]
    else:
        roles = [
            (n.role, n.title)
            for n in engine.next_roles(
                assessment, locale, limit=GROWTH_ROLES + len(hidden), vector=vector
            )
            if n.role not in hidden
        ][:GROWTH_ROLES]
    found: dict[str, tuple[Gap, list[str]]] = {}
    for code, title in roles:
        for gap in engine.role_readiness(assessment, code, vector).gaps:
            seen = found.get(gap.competency)
            if seen is None:
                found[gap.competency] = (gap, [title])
            else:
                bigger = gap if gap.needs > seen[0].needs else seen[0]
                found[gap.competency] = (bigger, [*seen[1], title])
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
