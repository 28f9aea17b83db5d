"""The plan screen: the training plan to the person's target at their pace, budget, modalities."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from careerpath.domain.explain import (
    euros_text,
    hours_text,
    uncovered_sentence,
    why_training,
    why_vae,
)
from careerpath.domain.referential import TrainingKind
from careerpath.services import labels
from careerpath.services.assessments import MODALITIES, StoredAssessment
from careerpath.services.context import Context

DEFAULT_HOURS_PER_WEEK = 5.0


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


def plan_weeks(hours: float, hours_per_week: float) -> int:
    """Weeks the plan takes at the person's pace (0 for an empty plan)."""
    if hours <= 0:
        return 0
    return math.ceil(hours / max(hours_per_week, 0.5))


def plan_view(ctx: Context, stored: StoredAssessment, target: str | None = None) -> PlanView | None:
    """The training plan to the person's target at their pace, budget and modalities.

    None when no target is chosen or the referential no longer knows it.
    """
    ref, engine, locale = ctx.referential, ctx.engine, ctx.locale
    code = target or stored.target
    if not code or code not in ref.role_by_code:
        return None
    assessment = stored.to_assessment(code)
    plan = engine.plan(assessment, code)
    by_code = ref.competency_by_code
    items = tuple(
        PlanItemView(
            code=item.training,
            title=item.title,
            kind=str(item.kind),
            kind_label=labels.label(labels.TRAINING_KINDS, str(item.kind), locale),
            hours_text=hours_text(item.hours, locale),
            cost_text=euros_text(item.cost_eur, locale),
            modality=labels.label(labels.MODALITIES, item.modality, locale),
            cpf=item.cpf,
            covers=tuple(by_code[c].label for c in item.covers),
            why=why_training(
                [by_code[c].label for c in item.covers],
                item.hours,
                item.cost_eur,
                item.kind == TrainingKind.VAE,
                locale,
            ),
            is_vae=item.kind == TrainingKind.VAE,
        )
        for item in plan.items
    )
    planned = {item.training for item in plan.items}
    vae = tuple(
        VaeView(
            s.training,
            s.title,
            why_vae(s.met, s.total, s.title, locale),
            tuple(by_code[c].label for c in s.covers),
        )
        for s in engine.vae_suggestions(assessment, code)
        if s.covers or s.training in planned  # only the VAE routes that help toward this target
    )
    pace = stored.hours_per_week or DEFAULT_HOURS_PER_WEEK
    weeks = plan_weeks(plan.hours, pace)
    uncovered = tuple(by_code[c].label for c in plan.uncovered)
    detail = engine.role_readiness(assessment, code)
    return PlanView(
        target=code,
        target_title=ref.role_by_code[code].title,
        score_text=labels.percent(detail.score, locale),
        items=items,
        hours_text=hours_text(plan.hours, locale),
        cost_text=euros_text(plan.cost_eur, locale),
        weeks=weeks,
        weeks_text=labels.weeks_text(weeks, locale),
        gaps=len(plan.gaps),
        uncovered=uncovered,
        uncovered_sentence=uncovered_sentence(uncovered, locale),
        vae=vae,
        constraints=ConstraintsView(pace, stored.budget_eur, stored.modalities or MODALITIES),
        optimal=plan.optimal,
    )
