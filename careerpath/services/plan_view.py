"""The plan screen: the route to the person's target (VAE, one long training, short courses
and actions), its funding and why, within their pace, horizon, budget and modalities."""

from __future__ import annotations

from dataclasses import dataclass, field

from careerpath.domain.explain import (
    ESTIMATE_NOTE,
    ROUTE_LABELS,
    blocked_sentence,
    blocs_met_sentence,
    euros_text,
    hours_text,
    in_progress_sentence,
    uncovered_sentence,
    vae_steps,
    why_item,
    why_partial_vae,
    why_route,
    why_vae,
)
from careerpath.domain.planning import DEFAULT_HOURS_PER_WEEK, PlanItem, Step, TrainingPlan
from careerpath.domain.referential import TrainingKind
from careerpath.i18n import Locale, gettext
from careerpath.services import labels
from careerpath.services.assessments import MODALITIES, StoredAssessment
from careerpath.services.context import Context
from careerpath.services.referential_text import referential_text


@dataclass(frozen=True)
class FundingView:
    route: str
    label: str
    amount_text: str  # "" when the funder decides the amount


@dataclass(frozen=True)
class PlanItemView:
    code: str
    title: str
    kind: str
    kind_label: str
    hours_text: str
    cost_text: str
    modality: str
    cpf: bool
    covers: tuple[str, ...]
    why: str
    is_vae: bool
    step: str = "short"
    level_text: str = ""
    rncp: str = ""
    weeks_text: str = ""
    funding: tuple[FundingView, ...] = ()
    out_of_pocket_text: str = ""
    vae_text: str = ""
    prerequisites: str = ""
    blocs_text: str = ""
    """The blocs of this certification already mastered (a partial VAE), else ""."""


@dataclass(frozen=True)
class VaeView:
    code: str
    title: str
    sentence: str
    covers: tuple[str, ...]


@dataclass(frozen=True)
class ConstraintsView:
    hours_per_week: float
    budget_eur: float | None
    modalities: tuple[str, ...]  # accepted; all when the person set none
    horizon_months: float | None = None
    cpf_balance_eur: float | None = None
    qualification_level: int | None = None
    age_band: str = ""
    age_exception: bool | None = None


@dataclass(frozen=True)
class PlanView:
    target: str
    target_title: str
    score_text: str
    items: tuple[PlanItemView, ...]
    hours_text: str
    cost_text: str
    weeks: int
    weeks_text: str
    gaps: int
    uncovered: tuple[str, ...]
    uncovered_sentence: str
    vae: tuple[VaeView, ...]
    constraints: ConstraintsView
    optimal: bool = True
    notes: tuple[str, ...] = field(default_factory=tuple)
    route_sentence: str = ""
    route_kind: str = "none"
    out_of_pocket_text: str = ""
    estimate_note: str = ""
    blocked_by: tuple[str, ...] = ()
    blocked_sentence: str = ""
    relaxed: PlanView | None = None
    ask: tuple[str, ...] = ()
    """Profile fields the plan page asks, because they would change this plan."""
    one_training: str = ""
    """The title of the plan's one item when it alone closes every gap (the next-roles card
    then says « À une formation près » and names it), else ""."""
    one_training_sentence: str = ""
    in_progress_sentence: str = ""
    """What the diploma the person is preparing will bring (not planned again), else ""."""


def one_training_sentence(title: str, locale: Locale = "fr") -> str:
    """What « À une formation près » says, on the card and on the plan page alike."""
    return gettext("Une seule formation comble tout l'écart : {training}.", locale, training=title)


def plan_view(ctx: Context, stored: StoredAssessment, target: str | None = None) -> PlanView | None:
    """The route to the person's target within their pace, horizon, budget and modalities.

    None when no target is chosen or the referential no longer knows it.
    """
    ref, engine = ctx.referential, ctx.engine
    code = target or stored.target
    if not code or code not in ref.role_by_code:
        return None
    assessment = stored.to_assessment(code)
    plan = engine.plan(assessment, code)
    planned = {item.training for item in plan.items}
    by_code = ref.competency_by_code
    vae = tuple(
        VaeView(
            s.training,
            referential_text(s.title, ctx.locale),
            why_partial_vae(
                referential_text(ref.training_by_code[s.certification].title, ctx.locale),
                bloc_titles(ctx, s.certification, s.blocs),
                s.bloc_total,
                ctx.locale,
            )
            if s.partial
            else why_vae(s.met, s.total, referential_text(s.title, ctx.locale), ctx.locale),
            tuple(by_code[c].label for c in s.covers),
        )
        for s in engine.vae_suggestions(assessment, code)
        # only the VAE routes that help toward this target (partial ones fit it)
        if s.covers or s.training in planned or s.partial
    )
    detail = engine.role_readiness(assessment, code)
    constraints = ConstraintsView(
        stored.hours_per_week or DEFAULT_HOURS_PER_WEEK,
        stored.budget_eur,
        stored.modalities or MODALITIES,
        stored.horizon_months,
        stored.cpf_balance_eur,
        stored.qualification_level,
        stored.age_band,
        stored.age_exception,
    )
    return _view(ctx, plan, labels.percent(detail.score, ctx.locale), vae, constraints)


def _view(
    ctx: Context,
    plan: TrainingPlan,
    score_text: str,
    vae: tuple[VaeView, ...],
    constraints: ConstraintsView,
) -> PlanView:
    ref, locale = ctx.referential, ctx.locale
    by_code = ref.competency_by_code
    items = tuple(_item(ctx, item) for item in plan.items)
    uncovered = tuple(by_code[c].label for c in plan.uncovered)
    route = plan.route
    target_title = ref.role_by_code[plan.target].title
    relaxed = (
        _view(ctx, plan.relaxed, score_text, vae, constraints) if plan.relaxed is not None else None
    )
    closing = plan.closing_item
    closing_title = referential_text(closing.title, locale) if closing is not None else ""
    preparing = ref.training_by_code.get(plan.preparing) if plan.preparing else None
    return PlanView(
        in_progress_sentence=in_progress_sentence(
            referential_text(preparing.title, locale) if preparing else "",
            [by_code[c].label for c in plan.in_progress],
            locale,
        ),
        one_training=closing_title,
        one_training_sentence=one_training_sentence(closing_title, locale) if closing_title else "",
        target=plan.target,
        target_title=target_title,
        score_text=score_text,
        items=items,
        hours_text=hours_text(plan.hours, locale),
        cost_text=euros_text(plan.cost_eur, locale),
        weeks=plan.weeks,
        weeks_text=labels.weeks_text(plan.weeks, locale),
        gaps=len(plan.gaps),
        uncovered=uncovered,
        uncovered_sentence=uncovered_sentence(uncovered, locale),
        vae=vae,
        constraints=constraints,
        optimal=plan.optimal,
        route_sentence=why_route(
            str(route.kind),
            referential_text(route.title, locale),
            route.met,
            route.total,
            referential_text(route.alternative_title, locale),
            route.closes,
            route.gaps,
            target_title,
            locale,
        ),
        route_kind=str(route.kind),
        out_of_pocket_text=euros_text(plan.out_of_pocket_eur, locale),
        estimate_note=ESTIMATE_NOTE[locale],
        blocked_by=plan.blocked_by,
        blocked_sentence=blocked_sentence(
            plan.blocked_by, len(plan.relaxed.items) if plan.relaxed else 0, locale
        ),
        relaxed=relaxed,
        ask=plan.ask,
    )


def bloc_titles(ctx: Context, certification: str, codes: tuple[str, ...]) -> list[str]:
    """The titles of a certification's blocs, in the person's language."""
    titles = {
        b.code: b.title for b in ctx.referential.blocs_by_certification.get(certification, ())
    }
    return [referential_text(titles[c], ctx.locale) for c in codes if c in titles]


def _item(ctx: Context, item: PlanItem) -> PlanItemView:
    ref, locale = ctx.referential, ctx.locale
    by_code = ref.competency_by_code
    covers = tuple(by_code[c].label for c in item.covers)
    level_text = (
        gettext("Niveau {level}", locale, level=item.level) if item.level is not None else ""
    )
    vae_text = ""
    if item.step == Step.VAE:
        accompaniment = ref.training_by_code[item.training].hours
        vae_text = vae_steps(accompaniment, [by_code[c].label for c in item.to_show], locale)
    return PlanItemView(
        code=item.training,
        title=referential_text(item.title, locale),
        kind=str(item.kind),
        kind_label=labels.label(labels.TRAINING_KINDS, str(item.kind), locale),
        hours_text=hours_text(item.hours, locale),
        cost_text=euros_text(item.cost_eur, locale),
        modality=labels.label(labels.MODALITIES, item.modality, locale),
        cpf=item.cpf,
        covers=covers,
        why=why_item(
            str(item.step),
            list(covers),
            item.hours,
            item.out_of_pocket_eur,
            locale,
            met=item.met,
            total=item.total,
        ),
        is_vae=item.kind == TrainingKind.VAE,
        step=str(item.step),
        level_text=level_text,
        rncp=item.rncp,
        weeks_text=labels.weeks_text(item.weeks, locale),
        funding=tuple(
            FundingView(
                str(f.route),
                ROUTE_LABELS[locale][str(f.route)],
                euros_text(f.amount_eur, locale) if f.amount_eur is not None else "",
            )
            for f in item.funding
        ),
        out_of_pocket_text=euros_text(item.out_of_pocket_eur, locale),
        vae_text=vae_text,
        prerequisites=referential_text(item.prerequisites, locale),
        blocs_text=blocs_met_sentence(
            bloc_titles(ctx, _certification_of(ctx, item.training), item.blocs_met), locale
        )
        if item.step == Step.LONG
        else "",
    )


def _certification_of(ctx: Context, training: str) -> str:
    return ctx.engine.catalogue.certification.get(training, training)
