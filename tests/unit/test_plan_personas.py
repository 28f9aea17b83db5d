"""Personas on the curated referential, with the plan a counsellor would expect and why.

| persona | target | expected route | why |
| --- | --- | --- | --- |
| secretary in post, 30+, bac, ratings covering 10 of the 12 outcomes of the TP Assistant de direction | office manager | VAE TP Assistant de direction first, CPF counted up to her 1 000 € | recognition before training: the TP is at office manager's level and she already covers most of it |
| secretary looking for a job, 30+, bac, 500 € of CPF | assistant·e administratif·ve | short items only, an immersion (PMSMP) possible, AIF offered, never the employer's plan | one gap at a time is closed by short courses; a job seeker has France Travail's routes |
| secretary who is a student under 26 | assistant·e de direction | the BTS SAM in apprenticeship, out-of-pocket 0 € for it | a young person can sign an apprenticeship contract; the BTS covers 15 of the 21 gaps |
| secretary with 500 €, 3 h a week for 6 months, distance only | office manager | nothing fits: the budget is named as the blocker, a relaxed plan is offered | the person must see which limit to move |
| secretary, 30+, employed, no age exception | assistant·e de direction | never an alternance BTS (no contract she can sign) | alternance is a modality with eligibility, not 0 € |
| student under 26 preparing the BTS SAM | assistant·e de direction | neither the BTS SAM nor its VAE; what the BTS will bring is « en cours », the rest by short items | the diploma in progress is the person's own route, never proposed again |
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from careerpath.data.importers.bundle import read_bundle
from careerpath.domain.assessment import AgeBand, Assessment, Constraints, Profile
from careerpath.domain.engine import Engine
from careerpath.domain.funding import Route
from careerpath.domain.plan_rules import broken_rules
from careerpath.domain.planning import Person, RouteKind, Step
from careerpath.domain.referential import Modality, Referential, Situation

CURATED = Path(__file__).resolve().parents[2] / "careerpath" / "data" / "curated"


@pytest.fixture(scope="module")
def curated() -> Referential:
    return read_bundle(CURATED).referential


@pytest.fixture(scope="module")
def engine(curated: Referential) -> Engine:
    return Engine(curated)


def _secretary(curated: Referential) -> dict[str, int]:
    return {q.competency: q.level for q in curated.requirements_by_role["secretaire"]}


def _check(engine: Engine, person: Assessment, target: str):  # type: ignore[no-untyped-def]
    plan = engine.plan(person, target)
    gaps = engine.role_readiness(person, target).gaps
    who = Person(person.ratings, person.current_role, person.profile)
    assert broken_rules(plan, engine.catalogue, gaps, who, person.constraints) == []
    return plan


def test_an_experienced_secretary_gets_the_vae_of_the_tp_assistant_de_direction_first(
    engine: Engine, curated: Referential
) -> None:
    ratings = _secretary(curated)
    outcomes = curated.outcomes_by_training["tp-assistant-direction"]
    for o in outcomes[2:]:
        ratings[o.competency] = max(ratings.get(o.competency, 0), o.level)
    person = Assessment(
        ratings,
        "secretaire",
        profile=Profile(Situation.EMPLOYED, 4, AgeBand.FROM_30),
        constraints=Constraints(cpf_balance_eur=1000),
    )
    plan = _check(engine, person, "office-manager")
    first = plan.items[0]
    assert (first.training, first.step) == ("vae-tp-assistant-direction", Step.VAE)
    assert (first.met, first.total) == (10, 12)
    assert plan.route.kind == RouteKind.VAE
    assert (plan.route.met, plan.route.total) == (10, 12)
    assert [(f.route, f.amount_eur) for f in first.funding][0] == (Route.CPF, 1000)
    assert not any(i.step == Step.LONG for i in plan.items)


def test_a_job_seeker_gets_short_items_france_travail_routes_and_no_employer_plan(
    engine: Engine, curated: Referential
) -> None:
    person = Assessment(
        _secretary(curated),
        "secretaire",
        profile=Profile(Situation.JOB_SEEKER, 4, AgeBand.FROM_30),
        constraints=Constraints(cpf_balance_eur=500),
    )
    plan = _check(engine, person, "assistant-administratif")
    routes = {f.route for i in plan.items for f in i.funding}
    assert Route.AIF in routes
    assert not routes & {Route.EMPLOYER_PLAN, Route.TRANSITIONS_PRO, Route.PRO_A}
    assert not any(i.step == Step.LONG for i in plan.items)
    assert (
        sum(f.amount_eur or 0 for i in plan.items for f in i.funding if f.route == Route.CPF) == 500
    )
    assert not any(i.training.startswith("action-mission") for i in plan.items)


def test_a_student_under_26_gets_the_bts_sam_in_apprenticeship(
    engine: Engine, curated: Referential
) -> None:
    person = Assessment(
        _secretary(curated), "secretaire", profile=Profile(Situation.STUDENT, 4, AgeBand.UNDER_26)
    )
    plan = _check(engine, person, "assistant-direction")
    long = [i for i in plan.items if i.step == Step.LONG]
    assert [i.training for i in long] == ["bts-sam"]
    assert long[0].funding[0].route == Route.APPRENTICESHIP and long[0].out_of_pocket_eur == 0
    assert plan.route.kind == RouteKind.TRAINING


def test_tight_constraints_name_the_budget_and_offer_the_relaxed_plan(
    engine: Engine, curated: Referential
) -> None:
    person = Assessment(
        _secretary(curated),
        "secretaire",
        constraints=Constraints(
            max_cost_eur=500,
            hours_per_week=3,
            horizon_months=6,
            modalities=frozenset({"distance"}),
        ),
    )
    plan = _check(engine, person, "office-manager")
    assert plan.items == ()
    assert plan.blocked_by == ("max_cost_eur",)
    assert plan.relaxed is not None and plan.relaxed.items


def test_an_employee_over_30_is_never_offered_an_alternance_diploma(
    engine: Engine, curated: Referential
) -> None:
    person = Assessment(
        _secretary(curated), "secretaire", profile=Profile(Situation.EMPLOYED, 6, AgeBand.FROM_30)
    )
    plan = _check(engine, person, "assistant-direction")
    assert not any(i.modality == Modality.ALTERNANCE.value for i in plan.items)


def test_the_curated_facts_the_plan_relies_on(curated: Referential) -> None:
    t = curated.training_by_code
    assert t["bts-cg"].rncp == "RNCP39159" and t["dcg"].rncp == "RNCP41843"
    assert t["tp-secretaire-medico-social"].rncp == "RNCP40800"
    assert t["tp-secretaire-medico-social"].title == "TP Secrétaire assistant médico-administratif"
    assert all(x.cpf for x in curated.trainings if x.kind == "diplome")
    assert t["bac-pro-agora"].hours == 1850
    b2 = {(o.training, o.competency): o.level for o in curated.outcomes}
    for cert in ("bts-sam", "tp-assistant-direction"):
        assert b2[cert, "lang-anglais-ecrit"] >= 3 and b2[cert, "lang-anglais-oral"] >= 3
    assert b2["bts-sam", "com-orthographe"] >= 3 and b2["bts-sam", "num-traitement-texte"] >= 3
    short = {
        x.code
        for x in curated.trainings
        if not x.is_long and x.kind != "vae" and x.kind != "action" and x.hours < 70
    }
    assert all(o.level <= 2 for o in curated.outcomes if o.training in short)
    assert curated.role_by_code["office-manager"].qualification_level == 5
    medical = {c.code for c in curated.competencies if c.category == "Secteur médical"}
    assert {q.role for q in curated.requirements if q.competency in medical} == {
        "secretaire-medical"
    }
    new = {
        "ges-notes-frais",
        "ges-marches-publics",
        "num-donnees-crm",
        "acc-accessibilite-handicap",
        "med-identitovigilance",
    }
    assert new <= set(curated.competency_by_code)
    reached = {o.competency for o in curated.outcomes}
    assert new <= reached and "rel-reseau" in reached
    sources = {t.from_role for t in curated.transitions}
    assert {"responsable-rh", "responsable-administratif", "coordinateur-pedagogique"} <= sources
    pairs = {(t.from_role, t.to_role) for t in curated.transitions}
    assert {
        ("secretaire-comptable", "assistant-direction"),
        ("gestionnaire-paie", "assistant-rh"),
        ("secretaire-medical", "secretaire-comptable"),
    } <= pairs
    teaching = [
        c.code
        for c in curated.competencies
        if c.levels[3].lower().startswith(("je forme", "j'apprends"))
    ]
    assert teaching == []


def test_a_bts_sam_student_is_never_offered_the_bts_sam_again(
    engine: Engine, curated: Referential
) -> None:
    person = Assessment(
        _secretary(curated),
        None,
        profile=Profile(Situation.STUDENT, 4, AgeBand.UNDER_26, preparing="bts-sam"),
    )
    plan = _check(engine, person, "assistant-direction")
    proposed = {i.training for i in plan.items}
    assert not proposed & {"bts-sam", "vae-bts-sam"}
    bts = {o.competency: o.level for o in curated.outcomes_by_training["bts-sam"]}
    gaps = engine.role_readiness(person, "assistant-direction").gaps
    expected = {g.competency for g in gaps if bts.get(g.competency, 0) >= g.needs}
    assert expected and set(plan.in_progress) == expected
    assert not expected & {c for i in plan.items for c in i.covers}
    assert not expected & set(plan.uncovered)
    # Without the diploma in progress the same student is offered the BTS SAM.
    unprepared = Assessment(
        _secretary(curated), None, profile=Profile(Situation.STUDENT, 4, AgeBand.UNDER_26)
    )
    assert "bts-sam" in {i.training for i in engine.plan(unprepared, "assistant-direction").items}


def test_a_secretary_who_runs_projects_is_offered_the_partial_vae_of_the_bts_sam(
    engine: Engine, curated: Referential
) -> None:
    """Recognition first, bloc by bloc: she masters the BTS SAM's « Gestion de projet » bloc
    in full but not two thirds of the diploma, so its whole VAE is out of reach."""
    ratings = _secretary(curated)
    bts = {o.competency: o.level for o in curated.outcomes_by_training["bts-sam"]}
    [project] = [b for b in curated.blocs_by_certification["bts-sam"] if b.code == "bloc-2"]
    for c in project.competencies:
        ratings[c] = bts[c]
    person = Assessment(ratings, "secretaire", profile=Profile(Situation.EMPLOYED, 4))
    suggestions = engine.vae_suggestions(person, "assistant-direction")
    [partial] = [s for s in suggestions if s.partial]
    assert (partial.training, partial.blocs, partial.bloc_total) == ("vae-bts-sam", ("bloc-2",), 3)
    assert not engine.catalogue.vae_eligible("vae-bts-sam", ratings)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_partial_vae_lists_exactly_the_blocs_met_in_full(  # type: ignore[no-untyped-def]
    engine: Engine, curated: Referential, data
) -> None:
    codes = [c.code for c in curated.competencies]
    ratings = data.draw(st.dictionaries(st.sampled_from(codes), st.integers(0, 4), max_size=60))
    # Often lift one bloc to its certification's levels, so that partial VAEs come up.
    lifted = data.draw(st.sampled_from([None, *curated.blocs]))
    if lifted is not None:
        levels = {o.competency: o.level for o in curated.outcomes_by_training[lifted.certification]}
        ratings.update({c: levels[c] for c in lifted.competencies})
    target = data.draw(st.sampled_from([r.code for r in curated.roles]))
    catalogue = engine.catalogue
    suggested = {
        s.training: s for s in engine.vae_suggestions(Assessment(ratings), target) if s.blocs
    }
    for vae in (t for t in curated.trainings if t.kind == "vae"):
        cert = catalogue.certification.get(vae.code, "")
        outcomes = {o.competency: o.level for o in curated.outcomes_by_training.get(cert, ())}
        met = tuple(
            b.code
            for b in curated.blocs_by_certification.get(cert, ())
            if all(ratings.get(c, 0) >= outcomes[c] for c in b.competencies)
        )
        expected = (
            bool(met)
            and not catalogue.vae_eligible(vae.code, ratings)
            and catalogue.fits(vae.code, target)
        )
        assert (vae.code in suggested) == expected
        if expected:
            assert suggested[vae.code].blocs == met


def test_a_student_preparing_the_bts_sam_is_offered_neither_its_vae_nor_another_long(
    engine: Engine, curated: Referential
) -> None:
    ratings = _secretary(curated)
    bts = {o.competency: o.level for o in curated.outcomes_by_training["bts-sam"]}
    [project] = [b for b in curated.blocs_by_certification["bts-sam"] if b.code == "bloc-2"]
    ratings.update({c: bts[c] for c in project.competencies})
    for preparing, target in (("bts-sam", "assistant-direction"), ("bts-gpme", "office-manager")):
        person = Assessment(
            ratings,
            None,
            profile=Profile(Situation.STUDENT, 4, AgeBand.UNDER_26, preparing=preparing),
        )
        suggested = {s.certification for s in engine.vae_suggestions(person, target)}
        assert preparing not in suggested
        plan = _check(engine, person, target)
        assert not any(i.step == Step.LONG for i in plan.items), (preparing, plan.items)
