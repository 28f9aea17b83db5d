"""One role's page: its requirements against the person's ratings, and the paths to it."""

from __future__ import annotations

from dataclasses import dataclass

from careerpath.domain.assessment import Assessment
from careerpath.domain.explain import hours_text, why_path, why_route
from careerpath.domain.planning import TrainingPlan
from careerpath.domain.referential import Weight
from careerpath.i18n import Locale, gettext, ngettext
from careerpath.services import labels
from careerpath.services.assessments import StoredAssessment
from careerpath.services.context import Context
from careerpath.services.plan_view import one_training_sentence
from careerpath.services.referential_text import referential_text
from careerpath.services.search import fold


@dataclass(frozen=True)
class RequirementLine:
    code: str
    label: str
    needs_name: str
    has_name: str
    acquired: bool
    essential: bool


@dataclass(frozen=True)
class PathView:
    steps: tuple[str, ...]
    sentence: str
    hours: float
    hours_text: str


@dataclass(frozen=True)
class RoleView:
    code: str
    title: str
    description: str
    family: str
    rome_code: str
    qualification_level: int | None
    score: float
    score_text: str
    requirements: tuple[RequirementLine, ...]
    paths: tuple[PathView, ...]
    is_target: bool
    is_current: bool
    facts: tuple[str, ...] = ()  # plain words: family, usual level of studies
    codes: str = ""  # the codes, for whoever needs them: « ROME M1604 · niveau de qualification 5 »
    effort_note: str = ""
    """How the paths' hours (the effort model on the gaps) relate to the plan's hours."""
    route_sentence: str = ""
    one_training_sentence: str = ""
    """« Une seule formation comble tout l'écart : … » when the plan to this role is one item
    (the same rule and sentence as the next-roles card and the plan page)."""


def role_facts(family: str, qualification: int | None, locale: Locale) -> tuple[str, ...]:
    facts = []
    if family:
        facts.append((gettext("Famille : ", locale)) + family)
    if qualification:
        facts.append(
            (gettext("Souvent accessible au ", locale)) + labels.study_level(qualification, locale)
        )
    return tuple(facts)


def role_codes(rome_code: str, qualification: int | None, locale: Locale) -> str:
    codes = []
    if rome_code:
        codes.append(f"ROME {rome_code}")
    if qualification:
        codes.append(labels.qualification_level(qualification, locale).lower())
    return " · ".join(codes)


def role_view(ctx: Context, code: str, stored: StoredAssessment | None) -> RoleView | None:
    """A role against the person's ratings (acquis / à développer) and the paths to it.

    None for a code the referential does not know.
    """
    ref, engine, locale = ctx.referential, ctx.engine, ctx.locale
    role = ref.role_by_code.get(code)
    if role is None:
        return None
    ratings = stored.ratings if stored else {}
    assessment = stored.to_assessment() if stored else Assessment()
    detail = engine.role_readiness(assessment, code)
    by_code = ref.competency_by_code
    requirements = sorted(
        ref.requirements_by_role.get(code, ()),
        key=lambda q: (
            q.weight != Weight.ESSENTIAL,
            ratings.get(q.competency, 0) >= q.level,
            fold(by_code[q.competency].label),
        ),
    )
    lines = tuple(
        RequirementLine(
            q.competency,
            by_code[q.competency].label,
            labels.level_name(q.level, locale),
            labels.level_name(ratings.get(q.competency, 0), locale),
            ratings.get(q.competency, 0) >= q.level,
            q.weight == Weight.ESSENTIAL,
        )
        for q in requirements
    )
    titles = ref.role_by_code
    you = gettext("Vous", locale)
    paths = []
    for path in engine.paths(assessment, code):
        names = [titles[s].title for s in path.steps if s in titles]
        if not stored or not stored.current_role:
            names = [you, *names]
        paths.append(
            PathView(
                tuple(names),
                why_path(names, path.effort_hours, locale),
                path.effort_hours,
                gettext(
                    "Environ {hours} d'apprentissage",
                    locale,
                    hours=hours_text(path.effort_hours, locale),
                ),
            )
        )
    plan = engine.plan(assessment, code) if detail.gaps else None
    effort_note = route_sentence = one_training = ""
    if plan is not None:
        closing = plan.closing_item
        if closing is not None:
            one_training = one_training_sentence(referential_text(closing.title, locale), locale)
        gap_hours = paths[0].hours if paths else 0.0
        route_sentence = _route_sentence(ctx, plan)
        effort_note = _effort_note(gap_hours, plan.hours, len(plan.uncovered), locale)
    return RoleView(
        code=role.code,
        title=role.title,
        description=role.description,
        family=role.family,
        rome_code=role.rome_code,
        qualification_level=role.qualification_level,
        score=detail.score,
        score_text=labels.percent(detail.score, locale),
        requirements=lines,
        paths=tuple(paths),
        is_target=bool(stored and stored.target == code),
        is_current=bool(stored and stored.current_role == code),
        facts=role_facts(role.family, role.qualification_level, locale),
        codes=role_codes(role.rome_code, role.qualification_level, locale),
        effort_note=effort_note,
        route_sentence=route_sentence,
        one_training_sentence=one_training,
    )


def _route_sentence(ctx: Context, plan: TrainingPlan) -> str:
    r = plan.route
    title = ctx.referential.role_by_code[plan.target].title
    return why_route(
        str(r.kind),
        referential_text(r.title, ctx.locale),
        r.met,
        r.total,
        referential_text(r.alternative_title, ctx.locale),
        r.closes,
        r.gaps,
        title,
        ctx.locale,
    )


def _effort_note(gap_hours: float, plan_hours: float, uncovered: int, locale: Locale) -> str:
    """Say why the path's « Environ N h » and the plan's hours differ, when they do."""
    if plan_hours <= 0 or abs(plan_hours - gap_hours) <= 0.1 * max(gap_hours, 1.0):
        return ""
    why = (
        gettext("les formations proposées enseignent plus large que vos seuls écarts", locale)
        if plan_hours > gap_hours
        else gettext("une VAE ou une formation couvre plusieurs écarts à la fois", locale)
    )
    rest = (
        ngettext(
            ", et {n} écart reste sans formation",
            ", et {n} écarts restent sans formation",
            uncovered,
            locale,
        )
        if uncovered
        else ""
    )
    return gettext(
        "Le plan de formation vers ce métier compte {hours} : {why}{rest}. Les heures "
        "ci-dessus estiment l'effort pour combler vos écarts.",
        locale,
        hours=hours_text(plan_hours, locale),
        why=why,
        rest=rest,
    )
