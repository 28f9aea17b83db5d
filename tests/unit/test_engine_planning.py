"""Training plans as routes: every rule property-tested on random referentials, exactness
against brute force, funding, blocking constraints, VAE first."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_support import assessment, office_referential

from careerpath.domain.assessment import AgeBand, Assessment, Constraints, Profile
from careerpath.domain.engine import Engine
from careerpath.domain.funding import Route
from careerpath.domain.plan_rules import broken_rules
from careerpath.domain.planning import (
    Person,
    RouteKind,
    Step,
    TrainingCatalogue,
    brute_force,
    make_plan,
    route_problem,
)
from careerpath.domain.readiness import Gap
from careerpath.domain.referential import (
    Competency,
    Modality,
    Referential,
    Requirement,
    Role,
    Situation,
    Training,
    TrainingKind,
    TrainingOutcome,
    Weight,
)

KINDS = [
    TrainingKind.DIPLOME,
    TrainingKind.TITRE_PRO,
    TrainingKind.FORMATION_COURTE,
    TrainingKind.FORMATION_COURTE,
    TrainingKind.CERTIFICATION,
    TrainingKind.ACTION,
    TrainingKind.VAE,
]


@st.composite
def route_instances(
    draw: st.DrawFn, max_trainings: int = 9
) -> tuple[Referential, str, list[Gap], Person, Constraints]:
    """A target role with up to 7 requirements and a catalogue of every kind of training."""
    n_comps = draw(st.integers(1, 7))
    comps = tuple(Competency(f"c{i}", f"Compétence {i}", "cat") for i in range(n_comps))
    target_level = draw(st.sampled_from([None, 4, 5, 6]))
    roles = (
        Role("target", "Métier visé", qualification_level=target_level),
        Role("current", "Actuel", qualification_level=4),
    )
    reqs = []
    for i in range(n_comps):
        reqs.append(
            Requirement(
                "target", f"c{i}", draw(st.integers(1, 4)), draw(st.sampled_from(list(Weight)))
            )
        )
        if draw(st.booleans()):
            reqs.append(Requirement("current", f"c{i}", draw(st.integers(1, 3))))
    trainings, outcomes = [], []
    for i in range(draw(st.integers(0, max_trainings))):
        kind = draw(st.sampled_from(KINDS))
        long = kind in (TrainingKind.DIPLOME, TrainingKind.TITRE_PRO)
        code = f"t{i:02d}"
        modality = draw(st.sampled_from(list(Modality)))
        level = draw(st.sampled_from([4, 5, 6])) if long or kind == TrainingKind.VAE else None
        hours = float(draw(st.integers(300, 1500) if long else st.integers(0, 80)))
        trainings.append(
            Training(
                code,
                f"Formation {i}",
                kind,
                hours,
                float(draw(st.integers(0, 60)) * 100),
                modality,
                cpf=draw(st.booleans()),
                qualification_level=level,
                entry_level=draw(st.sampled_from([None, None, 4, 5])),
                situations=frozenset(draw(st.sets(st.sampled_from(list(Situation)), max_size=1))),
            )
        )
        for c in draw(
            st.lists(
                st.integers(0, n_comps - 1), min_size=1, max_size=6 if long else 3, unique=True
            )
        ):
            outcomes.append(TrainingOutcome(code, f"c{c}", draw(st.integers(1, 4))))
    referential = Referential(
        competencies=comps,
        roles=roles,
        requirements=tuple(reqs),
        trainings=tuple(trainings),
        outcomes=tuple(outcomes),
    )
    ratings = draw(st.dictionaries(st.sampled_from([c.code for c in comps]), st.integers(0, 4)))
    gaps = [
        Gap(q.competency, ratings.get(q.competency, 0), q.level, q.weight)
        for q in reqs
        if q.role == "target" and ratings.get(q.competency, 0) < q.level
    ]
    profile = Profile(
        draw(st.sampled_from([None, *Situation])),
        draw(st.sampled_from([None, 3, 4, 5, 6])),
        draw(st.sampled_from([None, *AgeBand])),
        draw(st.sampled_from([None, *(t.code for t in trainings)])),
        draw(st.sampled_from([None, True, False])),
    )
    person = Person(ratings, draw(st.sampled_from([None, "current"])), profile)
    maybe = st.booleans()
    constraints = Constraints(
        max_hours=float(draw(st.integers(0, 1500))) if draw(maybe) else None,
        max_cost_eur=float(draw(st.integers(0, 40)) * 100) if draw(maybe) else None,
        modalities=frozenset(
            draw(st.sets(st.sampled_from([m.value for m in Modality]), min_size=1))
        )
        if draw(maybe)
        else None,
        hours_per_week=float(draw(st.integers(1, 35))) if draw(maybe) else None,
        horizon_months=float(draw(st.integers(1, 36))) if draw(maybe) else None,
        cpf_balance_eur=float(draw(st.integers(0, 30)) * 100) if draw(maybe) else None,
    )
    return referential, "target", gaps, person, constraints


@settings(max_examples=300, deadline=None)
@given(instance=route_instances())
def test_every_plan_keeps_every_route_rule(instance) -> None:  # type: ignore[no-untyped-def]
    referential, target, gaps, person, constraints = instance
    catalogue = TrainingCatalogue(referential)
    plan = make_plan(catalogue, target, gaps, person, constraints)
    assert broken_rules(plan, catalogue, gaps, person, constraints) == []
    if plan.relaxed is not None:
        assert (
            broken_rules(
                plan.relaxed, catalogue, gaps, person, _without(constraints, plan.blocked_by)
            )
            == []
        )


def _without(constraints: Constraints, names: tuple[str, ...]) -> Constraints:
    from dataclasses import replace

    return replace(constraints, **{n: None for n in names})  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(instance=route_instances(max_trainings=8))
def test_the_plan_is_the_exact_lexicographic_optimum(instance) -> None:  # type: ignore[no-untyped-def]
    """Most covered gaps, then fewest hours, then least out-of-pocket: equal to brute force."""
    referential, target, gaps, person, constraints = instance
    catalogue = TrainingCatalogue(referential)
    plan = make_plan(catalogue, target, gaps, person, constraints)
    assert plan.optimal
    problem = route_problem(catalogue, target, gaps, person, constraints)
    best = brute_force(problem)
    chosen = [
        i
        for i, c in enumerate(problem.candidates)
        if c.training.code in {x.training for x in plan.items}
    ]
    assert problem.cover_weight(chosen) == problem.cover_weight(best)
    assert abs(problem.hours(chosen) - problem.hours(best)) < 1e-6
    assert abs(problem.out_of_pocket(chosen) - problem.out_of_pocket(best)) < 0.01


@settings(max_examples=100, deadline=None)
@given(instance=route_instances())
def test_a_blocked_plan_names_constraints_whose_removal_gives_a_plan(instance) -> None:  # type: ignore[no-untyped-def]
    referential, target, gaps, person, constraints = instance
    catalogue = TrainingCatalogue(referential)
    plan = make_plan(catalogue, target, gaps, person, constraints)
    free = make_plan(catalogue, target, gaps, person, Constraints())
    if (
        not plan.items
        and free.items
        and gaps  # without gaps nothing is needed: no constraint blocks anything
        and any(
            getattr(constraints, n) is not None
            for n in ("max_hours", "max_cost_eur", "modalities", "hours_per_week", "horizon_months")
        )
    ):
        assert plan.blocked_by
        assert plan.relaxed is not None and plan.relaxed.items
    if plan.items:
        assert plan.blocked_by == () and plan.relaxed is None


# -- small hand-made cases --------------------------------------------------------------------


def _one_role(
    *trainings: Training, outcomes: tuple[TrainingOutcome, ...], level: int = 5
) -> Referential:
    comps = tuple(Competency(f"c{i}", f"Compétence {i}", "cat") for i in range(6))
    reqs = tuple(Requirement("target", f"c{i}", 3) for i in range(6))
    return Referential(
        competencies=comps,
        roles=(Role("target", "Métier visé", qualification_level=level),),
        requirements=reqs,
        trainings=trainings,
        outcomes=outcomes,
    )


def _gaps(ratings: dict[str, int]) -> list[Gap]:
    return [
        Gap(f"c{i}", ratings.get(f"c{i}", 0), 3, Weight.ESSENTIAL)
        for i in range(6)
        if ratings.get(f"c{i}", 0) < 3
    ]


def _long(
    code: str, level: int = 5, modality: Modality = Modality.PRESENTIEL, cost: float = 6000
) -> Training:
    return Training(
        code,
        code.upper(),
        TrainingKind.TITRE_PRO,
        800,
        cost,
        modality,
        cpf=True,
        qualification_level=level,
    )


def test_a_long_training_is_never_chosen_for_one_or_two_gaps_short_courses_cannot_close() -> None:
    outs = (
        TrainingOutcome("tp", "c0", 3),
        TrainingOutcome("tp", "c1", 3),
        TrainingOutcome("tp", "c2", 3),
    )
    short = Training("fc", "Court", TrainingKind.FORMATION_COURTE, 14, 500)
    ref = _one_role(_long("tp"), short, outcomes=(*outs, TrainingOutcome("fc", "c0", 3)))
    plan = make_plan(TrainingCatalogue(ref), "target", _gaps({}), Person({}), Constraints())
    # The TP would close c1 and c2 only beyond the short course: two gaps are not enough.
    assert [i.training for i in plan.items] == ["fc"]
    assert set(plan.uncovered) == {"c1", "c2", "c3", "c4", "c5"}
    assert plan.route.kind == RouteKind.SHORT


def test_a_long_training_closing_three_gaps_nothing_short_closes_is_the_route() -> None:
    outs = tuple(TrainingOutcome("tp", f"c{i}", 3) for i in range(4))
    ref = _one_role(_long("tp"), outcomes=outs)
    plan = make_plan(TrainingCatalogue(ref), "target", _gaps({}), Person({}), Constraints())
    assert [(i.training, i.step) for i in plan.items] == [("tp", Step.LONG)]
    assert plan.route.kind == RouteKind.TRAINING and plan.route.closes == 4


def test_never_a_long_training_below_the_persons_level_nor_two_of_a_level() -> None:
    outs = tuple(TrainingOutcome(code, f"c{i}", 3) for code in ("tp4", "tp5") for i in range(6))
    ref = _one_role(_long("tp4", 4), _long("tp5", 5), outcomes=outs)
    cat = TrainingCatalogue(ref)
    graduate = Person({}, profile=Profile(Situation.EMPLOYED, 5))
    plan = make_plan(cat, "target", _gaps({}), graduate, Constraints())
    assert [i.training for i in plan.items] == ["tp5"]
    plan = make_plan(cat, "target", _gaps({}), Person({}), Constraints())
    assert len([i for i in plan.items if i.step == Step.LONG]) == 1


def test_an_eligible_vae_fitting_the_target_comes_first_and_says_what_remains() -> None:
    outs = tuple(TrainingOutcome("tp", f"c{i}", 3) for i in range(6))
    vae = Training(
        "vae-tp",
        "VAE TP",
        TrainingKind.VAE,
        24,
        2000,
        Modality.HYBRIDE,
        cpf=True,
        qualification_level=5,
    )
    ref = _one_role(_long("tp"), vae, outcomes=outs)
    ratings = {f"c{i}": 3 for i in range(4)}
    employed = Person(ratings, profile=Profile(Situation.EMPLOYED, 4))
    plan = make_plan(
        TrainingCatalogue(ref),
        "target",
        _gaps(ratings),
        employed,
        Constraints(cpf_balance_eur=1500),
    )
    assert [(i.training, i.step) for i in plan.items] == [("vae-tp", Step.VAE)]
    item = plan.items[0]
    assert (item.met, item.total) == (4, 6) and item.to_show == ("c4", "c5")
    # Accompaniment plus the effort model's hours for the two outcomes still to show (0 → 3).
    assert item.hours == 24 + 2 * (14 + 35 + 70)
    assert [(f.route, f.amount_eur) for f in item.funding] == [
        (Route.CPF, 1500),
        (Route.EMPLOYER_PLAN, None),
    ]
    assert item.out_of_pocket_eur == 500
    assert plan.route.kind == RouteKind.VAE and plan.route.alternative == "tp"


def test_alternance_needs_a_contract_the_person_can_sign() -> None:
    outs = tuple(TrainingOutcome("bts", f"c{i}", 3) for i in range(6))
    ref = _one_role(_long("bts", modality=Modality.ALTERNANCE, cost=12000), outcomes=outs)
    cat = TrainingCatalogue(ref)
    young = Person({}, profile=Profile(Situation.STUDENT, 4, AgeBand.UNDER_26))
    plan = make_plan(cat, "target", _gaps({}), young, Constraints(max_cost_eur=0))
    assert [(f.route, f.amount_eur) for f in plan.items[0].funding] == [
        (Route.APPRENTICESHIP, 12000),
        (Route.CONTRAT_PRO, None),
    ]
    assert plan.out_of_pocket_eur == 0
    employed_40 = Person({}, profile=Profile(Situation.EMPLOYED, 6, AgeBand.FROM_30))
    assert make_plan(cat, "target", _gaps({}), employed_40, Constraints()).items == ()
    student_40 = Person({}, profile=Profile(Situation.STUDENT, 4, AgeBand.FROM_30))
    untold = make_plan(cat, "target", _gaps({}), student_40, Constraints())
    assert untold.items == () and "age_exception" in untold.ask
    # An exception to the age limit (RQTH, a business project, a high-level athlete) opens
    # the apprenticeship at 30 and over; a « non » keeps it closed and is not asked again.
    excepted = Person(
        {}, profile=Profile(Situation.STUDENT, 4, AgeBand.FROM_30, age_exception=True)
    )
    plan = make_plan(cat, "target", _gaps({}), excepted, Constraints())
    assert [f.route for f in plan.items[0].funding][0] == Route.APPRENTICESHIP
    refused = Person(
        {}, profile=Profile(Situation.STUDENT, 4, AgeBand.FROM_30, age_exception=False)
    )
    no = make_plan(cat, "target", _gaps({}), refused, Constraints())
    assert no.items == () and "age_exception" not in no.ask
    under_30 = Person({}, profile=Profile(Situation.STUDENT, 4, AgeBand.UNDER_26))
    assert "age_exception" not in make_plan(cat, "target", _gaps({}), under_30, Constraints()).ask
    seeker_40 = Person({}, profile=Profile(Situation.JOB_SEEKER, 4, AgeBand.FROM_30))
    plan = make_plan(cat, "target", _gaps({}), seeker_40, Constraints())
    assert [f.route for f in plan.items[0].funding] == [Route.CONTRAT_PRO]
    unknown = make_plan(cat, "target", _gaps({}), Person({}), Constraints())
    assert unknown.items == () and "age_band" in unknown.ask


def test_a_job_seeker_gets_aif_and_immersion_not_the_employer_plan() -> None:
    course = Training("fc", "Court", TrainingKind.FORMATION_COURTE, 14, 900, cpf=True)
    pmsmp = Training(
        "pmsmp",
        "Immersion",
        TrainingKind.ACTION,
        35,
        0,
        situations=frozenset({Situation.JOB_SEEKER}),
    )
    mission = Training(
        "mission", "Mission", TrainingKind.ACTION, 35, 0, situations=frozenset({Situation.EMPLOYED})
    )
    outs = (
        TrainingOutcome("fc", "c0", 3),
        TrainingOutcome("pmsmp", "c1", 3),
        TrainingOutcome("mission", "c2", 3),
    )
    ref = _one_role(course, pmsmp, mission, outcomes=outs)
    seeker = Person({}, profile=Profile(Situation.JOB_SEEKER, 4, AgeBand.FROM_30))
    plan = make_plan(
        TrainingCatalogue(ref), "target", _gaps({}), seeker, Constraints(cpf_balance_eur=400)
    )
    assert [i.training for i in plan.items] == ["fc", "pmsmp"]
    assert [(f.route, f.amount_eur) for f in plan.items[0].funding] == [
        (Route.CPF, 400),
        (Route.AIF, None),
    ]
    assert plan.items[0].out_of_pocket_eur == 500
    assert plan.items[1].step == Step.ACTION


def test_when_the_budget_and_the_pace_empty_the_plan_they_are_named_and_relaxed() -> None:
    course = Training("fc", "Court", TrainingKind.FORMATION_COURTE, 35, 1200, Modality.PRESENTIEL)
    ref = _one_role(course, outcomes=(TrainingOutcome("fc", "c0", 3),))
    tight = Constraints(
        max_cost_eur=500, hours_per_week=3, horizon_months=2, modalities=frozenset({"distance"})
    )
    plan = make_plan(TrainingCatalogue(ref), "target", _gaps({}), Person({}), tight)
    assert plan.items == ()
    # Only the three together block: budget, pace and modality (3 h × 8.7 weeks < 35 h).
    assert plan.blocked_by == ("max_cost_eur", "hours_per_week", "horizon_months", "modalities")
    assert plan.relaxed is not None and [i.training for i in plan.relaxed.items] == ["fc"]
    budget_only = make_plan(
        TrainingCatalogue(ref), "target", _gaps({}), Person({}), Constraints(max_cost_eur=500)
    )
    assert budget_only.blocked_by == ("max_cost_eur",)


def test_the_office_referential_still_gives_the_cheapest_cover_in_hours() -> None:
    engine = Engine(office_referential())
    secretary = {"org-agenda": 3, "org-priorites": 3, "com-ecrit": 3, "num-bureautique": 3}
    plan = engine.plan(assessment(secretary), "gestionnaire-paie")
    assert plan.optimal
    assert [(i.training, i.covers) for i in plan.items] == [
        ("droit-social", ("rh-droit",)),
        ("paie-courte", ("rh-paie",)),
    ]
    assert plan.hours == 105 and plan.uncovered == ()
    assert plan.route.kind == RouteKind.SHORT


def test_vae_suggestions_list_what_experience_already_covers() -> None:
    engine = Engine(office_referential())
    experienced = assessment({"rh-paie": 3, "num-bureautique": 3, "rh-droit": 1})
    suggestions = engine.vae_suggestions(experienced, "gestionnaire-paie")
    assert [(s.training, s.certification, s.met, s.total) for s in suggestions] == [
        ("vae-tp-paie", "tp-paie", 2, 3)
    ]
    plan = engine.plan(experienced, "gestionnaire-paie")
    assert plan.items[0].training == "vae-tp-paie" and plan.items[0].step == Step.VAE


def test_a_vae_coded_after_its_training_needs_no_rncp() -> None:
    base = office_referential()
    extra = Training("vae-bts-sam", "VAE BTS SAM", TrainingKind.VAE, 20, 800, Modality.DISTANCE)
    referential = Referential(
        competencies=base.competencies,
        roles=base.roles,
        requirements=base.requirements,
        transitions=base.transitions,
        trainings=(*base.trainings, extra),
        outcomes=base.outcomes,
    )
    catalogue = TrainingCatalogue(referential)
    assert catalogue.certification["vae-bts-sam"] == "bts-sam"
    assert catalogue.outcomes["vae-bts-sam"] == catalogue.outcomes["bts-sam"]


def test_the_engine_passes_the_profile_to_the_plan() -> None:
    engine = Engine(office_referential())
    person = Assessment(
        ratings={"org-agenda": 3},
        profile=Profile(Situation.JOB_SEEKER, 4, AgeBand.FROM_30),
        constraints=Constraints(cpf_balance_eur=0),
    )
    plan = engine.plan(person, "gestionnaire-paie")
    routes = {f.route for i in plan.items for f in i.funding}
    assert Route.EMPLOYER_PLAN not in routes and Route.TRANSITIONS_PRO not in routes
