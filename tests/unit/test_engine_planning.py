"""Training plans: full cover when possible, brute-force optimality, constraints, VAE."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_support import assessment, office_referential, ratings_for, referentials

from careerpath.domain.assessment import Constraints
from careerpath.domain.engine import Engine
from careerpath.domain.planning import (
    TrainingCatalogue,
    brute_force,
    cover_problem,
    make_plan,
)
from careerpath.domain.readiness import Gap
from careerpath.domain.referential import (
    Competency,
    Modality,
    Referential,
    Training,
    TrainingKind,
    TrainingOutcome,
    Weight,
)


@st.composite
def cover_instances(draw: st.DrawFn) -> tuple[Referential, list[Gap], Constraints]:
    """Up to 12 trainings over up to 6 gap competencies, with or without a budget."""
    n_comps = draw(st.integers(1, 6))
    comps = tuple(Competency(f"c{i}", f"Compétence {i}", "cat") for i in range(n_comps))
    gaps = [
        Gap(f"c{i}", 0, draw(st.integers(1, 4)), draw(st.sampled_from(list(Weight))))
        for i in range(n_comps)
    ]
    trainings, outcomes = [], []
    for i in range(draw(st.integers(0, 12))):
        trainings.append(
            Training(
                f"t{i:02d}",
                f"Formation {i}",
                TrainingKind.FORMATION_COURTE,
                float(draw(st.integers(1, 100))),
                float(draw(st.integers(0, 50)) * 10),
                draw(st.sampled_from([Modality.DISTANCE, Modality.PRESENTIEL])),
            )
        )
        for c in draw(st.lists(st.integers(0, n_comps - 1), min_size=1, max_size=3, unique=True)):
            outcomes.append(TrainingOutcome(f"t{i:02d}", f"c{c}", draw(st.integers(1, 4))))
    budget = draw(st.booleans())
    constraints = Constraints(
        max_hours=float(draw(st.integers(0, 200))) if budget and draw(st.booleans()) else None,
        max_cost_eur=float(draw(st.integers(0, 800))) if budget and draw(st.booleans()) else None,
        modalities=frozenset({"distance"}) if draw(st.booleans()) else None,
    )
    referential = Referential(
        competencies=comps, trainings=tuple(trainings), outcomes=tuple(outcomes)
    )
    return referential, gaps, constraints


def _key(problem, chosen):  # type: ignore[no-untyped-def]
    weights = problem.weights
    cover = sum(weights[g] for g in problem.covered(chosen))
    hours = sum(problem.candidates[i].hours for i in chosen)
    cost = sum(problem.candidates[i].cost_eur for i in chosen)
    return cover, hours, cost


@settings(max_examples=150, deadline=None)
@given(instance=cover_instances())
def test_plan_equals_the_brute_force_optimum_on_small_instances(instance) -> None:  # type: ignore[no-untyped-def]
    referential, gaps, constraints = instance
    catalogue = TrainingCatalogue(referential)
    plan = make_plan(catalogue, "role", gaps, {}, constraints)
    assert plan.optimal
    problem = cover_problem(catalogue, gaps, {}, constraints)
    best_cover, best_hours, best_cost = _key(problem, brute_force(problem))
    covered = {c for item in plan.items for c in item.covers}
    assert (
        sum(2 if g.weight == Weight.ESSENTIAL else 1 for g in gaps if g.competency in covered)
        == best_cover
    )
    assert abs(plan.hours - best_hours) < 1e-6
    assert abs(plan.cost_eur - best_cost) < 1e-6
    assert set(plan.uncovered) == {g.competency for g in gaps} - covered
    if constraints.max_hours is not None:
        assert plan.hours <= constraints.max_hours + 1e-9
    if constraints.max_cost_eur is not None:
        assert plan.cost_eur <= constraints.max_cost_eur + 1e-9
    if constraints.modalities:
        assert all(item.modality in constraints.modalities for item in plan.items)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_an_unconstrained_plan_covers_every_gap_some_training_closes(data: st.DataObject) -> None:
    referential = data.draw(referentials())
    ratings = data.draw(ratings_for(referential))
    target = data.draw(st.sampled_from([r.code for r in referential.roles]))
    engine = Engine(referential, derived_per_role=0)
    plan = engine.plan(assessment(ratings), target)
    closable = {
        g.competency
        for g in plan.gaps
        if any(o.competency == g.competency and o.level >= g.needs for o in referential.outcomes)
    }
    assert set(plan.uncovered) == {g.competency for g in plan.gaps} - closable
    assert {c for item in plan.items for c in item.covers} >= closable


def _secretary() -> dict[str, int]:
    return {"org-agenda": 3, "org-priorites": 3, "com-ecrit": 3, "num-bureautique": 3}


def test_the_cheapest_cover_in_hours_wins_and_lists_what_each_item_closes() -> None:
    engine = Engine(office_referential())
    plan = engine.plan(assessment(_secretary()), "gestionnaire-paie")
    assert plan.optimal
    assert [(i.training, i.covers) for i in plan.items] == [
        ("droit-social", ("rh-droit",)),
        ("paie-courte", ("rh-paie",)),
    ]
    assert plan.hours == 105 and plan.cost_eur == 2400 and plan.uncovered == ()


def test_a_budget_keeps_the_essential_gaps_it_can_and_lists_the_rest() -> None:
    engine = Engine(office_referential())
    person = assessment(_secretary(), max_cost_eur=1000)
    plan = engine.plan(person, "gestionnaire-paie")
    assert [i.training for i in plan.items] == ["droit-social"]
    assert plan.cost_eur <= 1000
    assert plan.uncovered == ("rh-paie",)


def test_a_modality_filter_excludes_trainings_and_shows_what_stays_open() -> None:
    engine = Engine(office_referential())
    plan = engine.plan(
        assessment(_secretary(), modalities=frozenset({"distance"})), "gestionnaire-paie"
    )
    assert [i.training for i in plan.items] == ["paie-courte"]
    assert plan.uncovered == ("rh-droit",)


def test_vae_is_offered_when_experience_covers_most_of_the_certification() -> None:
    engine = Engine(office_referential())
    # tp-paie's outcomes: paie 3, droit social 3, bureautique 3. Meeting 2 of 3 qualifies.
    experienced = assessment({**_secretary(), "rh-paie": 3, "rh-droit": 1})
    suggestions = engine.vae_suggestions(experienced, "gestionnaire-paie")
    assert [(s.training, s.certification, s.met, s.total) for s in suggestions] == [
        ("vae-tp-paie", "tp-paie", 2, 3)
    ]
    assert suggestions[0].covers == ("rh-droit",)
    plan = engine.plan(experienced, "gestionnaire-paie")
    # The VAE (24 h) closes droit social more cheaply in hours than the 35 h course.
    assert [(i.training, i.kind) for i in plan.items] == [("vae-tp-paie", TrainingKind.VAE)]
    beginner = assessment(_secretary())
    assert engine.vae_suggestions(beginner) == []
    assert "vae-tp-paie" not in [
        i.training for i in engine.plan(beginner, "gestionnaire-paie").items
    ]


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


def test_a_gap_no_training_closes_is_uncovered_not_hidden() -> None:
    engine = Engine(office_referential())
    plan = engine.plan(assessment(_secretary()), "responsable-rh")
    # droit social at level 4: no training reaches it.
    assert "rh-droit" in plan.uncovered
    assert "coord-projet" in {c for i in plan.items for c in i.covers}
