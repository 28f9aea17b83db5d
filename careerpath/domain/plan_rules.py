"""The route rules as checks on a finished plan, independent of how it was solved.

`broken_rules` returns the names of the rules a plan breaks (none, for every plan
`planning.make_plan` returns: property-tested, and counted by `benchmarks/plan_quality.py`
over generated personas).
"""

from __future__ import annotations

from collections.abc import Sequence

from careerpath.domain.assessment import Constraints
from careerpath.domain.funding import ALTERNANCE_ROUTES, alternance_routes
from careerpath.domain.planning import (
    LONG_MIN_GAPS,
    STEP_ORDER,
    Person,
    Step,
    TrainingCatalogue,
    TrainingPlan,
    route_problem,
)
from careerpath.domain.readiness import Gap
from careerpath.domain.referential import Modality, TrainingKind

EPS = 1e-6

RULES = (
    "one_long_training",
    "one_vae",
    "one_certification_per_level",
    "long_not_below_level",
    "long_not_current_job",
    "never_what_is_prepared",
    "in_progress_not_planned",
    "long_aligned",
    "long_closes_what_short_cannot",
    "within_hours",
    "within_weeks",
    "within_budget",
    "modalities",
    "situation_and_entry_level",
    "alternance_needs_a_contract",
    "funding_adds_up",
    "vae_first",
    "route_order",
    "uncovered_is_the_rest",
    "blocked_has_relaxed",
)


def broken_rules(
    plan: TrainingPlan,
    catalogue: TrainingCatalogue,
    gaps: Sequence[Gap],
    person: Person,
    constraints: Constraints,
) -> list[str]:
    """Names of the rules (in `RULES`) this plan breaks."""
    broken: set[str] = set()
    items = plan.items
    trainings = [catalogue.by_code[i.training] for i in items]
    steps = [i.step for i in items]
    level = person.profile.qualification_level
    if steps.count(Step.LONG) > (0 if person.profile.preparing else 1):
        broken.add("one_long_training")  # the diploma in progress is the one long training
    if steps.count(Step.VAE) > 1:
        broken.add("one_vae")
    levels = [t.qualification_level for t in trainings if t.is_certifying]
    known = [lv for lv in levels if lv is not None]
    if len(known) != len(set(known)):
        broken.add("one_certification_per_level")
    problem = route_problem(catalogue, plan.target, gaps, person, constraints)
    short_cover: set[str] = set()
    for c in problem.candidates:
        if c.step in (Step.SHORT, Step.ACTION):
            short_cover |= {gaps[g].competency for g in c.covers}
    job = catalogue.job_certification(person.current_role) if person.current_role else None
    for item, t in zip(items, trainings, strict=True):
        if item.step == Step.LONG:
            t_level = t.qualification_level
            if t_level is not None and level is not None and t_level < level:
                broken.add("long_not_below_level")
            if t.code == job:
                broken.add("long_not_current_job")
            if not catalogue.aligned(t.code, plan.target):
                broken.add("long_aligned")
            closes = {
                g.competency
                for g in gaps
                if catalogue.outcomes[t.code].get(g.competency, 0) >= g.needs
            }
            if len(closes - short_cover) < LONG_MIN_GAPS:
                broken.add("long_closes_what_short_cannot")
        if (
            constraints.modalities
            and t.kind != TrainingKind.ACTION
            and str(t.modality) not in constraints.modalities
        ):
            broken.add("modalities")
        if t.situations and person.profile.situation not in t.situations:
            broken.add("situation_and_entry_level")
        if t.entry_level is not None and level is not None and level < t.entry_level:
            broken.add("situation_and_entry_level")
        if t.modality == Modality.ALTERNANCE and t.kind != TrainingKind.ACTION:
            open_routes = alternance_routes(t, person.profile)
            counted = [
                f for f in item.funding if f.route in ALTERNANCE_ROUTES and f.amount_eur is not None
            ]
            if not open_routes or not counted:
                broken.add("alternance_needs_a_contract")
        counted_total = sum(f.amount_eur or 0.0 for f in item.funding)
        if abs(item.cost_eur - counted_total - item.out_of_pocket_eur) > 0.01 + EPS:
            broken.add("funding_adds_up")
    cpf_used = sum(f.amount_eur or 0.0 for i in items for f in i.funding if str(f.route) == "cpf")
    if cpf_used > (constraints.cpf_balance_eur or 0.0) + EPS:
        broken.add("funding_adds_up")
    if abs(sum(i.out_of_pocket_eur for i in items) - plan.out_of_pocket_eur) > 0.01:
        broken.add("funding_adds_up")
    if constraints.max_hours is not None and plan.hours > constraints.max_hours + EPS:
        broken.add("within_hours")
    horizon = constraints.horizon_weeks
    if horizon is not None:
        weeks = sum(
            c.weeks for c in problem.candidates if c.training.code in {i.training for i in items}
        )
        if weeks > horizon + EPS:
            broken.add("within_weeks")
    if (
        constraints.max_cost_eur is not None
        and plan.out_of_pocket_eur > constraints.max_cost_eur + 0.01
    ):
        broken.add("within_budget")
    if problem.forced is not None:
        forced = problem.candidates[problem.forced].training.code
        if not items or items[0].training != forced:
            broken.add("vae_first")
    order = [STEP_ORDER[s] for s in steps]
    if order != sorted(order):
        broken.add("route_order")
    preparing = person.profile.preparing
    if preparing and any(
        preparing in (i.training, catalogue.certification.get(i.training)) for i in items
    ):
        broken.add("never_what_is_prepared")
    prepared = catalogue.outcomes.get(preparing, {}) if preparing else {}
    coming = {g.competency for g in gaps if prepared.get(g.competency, 0) >= g.needs}
    covered = {c for i in items for c in i.covers}
    if set(plan.in_progress) != coming or covered & coming:
        broken.add("in_progress_not_planned")
    if set(plan.uncovered) != {g.competency for g in gaps} - covered - coming:
        broken.add("uncovered_is_the_rest")
    if plan.blocked_by and (items or plan.relaxed is None or not plan.relaxed.items):
        broken.add("blocked_has_relaxed")
    return [r for r in RULES if r in broken]
