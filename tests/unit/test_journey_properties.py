"""Invariants of the journey's screens, for any ratings on the curated referential."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careerpath.data.importers.bundle import read_bundle
from careerpath.services.assessments import StoredAssessment
from careerpath.services.context import context_of
from careerpath.services.next_roles_view import next_roles_view
from careerpath.services.plan_view import plan_view
from careerpath.services.profile import strengths_of, unanswered_view
from careerpath.services.questionnaire import asked_competencies
from careerpath.services.recommendation import recommend_one
from careerpath.services.referential import CURATED_BUNDLE
from careerpath.services.role_page import role_view

CTX = context_of(read_bundle(CURATED_BUNDLE).referential)
ROLES = [r.code for r in CTX.referential.roles]
COMPETENCIES = [c.code for c in CTX.referential.competencies]

people = st.builds(
    lambda role, target, ratings, hidden: StoredAssessment(
        id="a" * 32,
        device_id="d" * 32,
        situation="en_poste",
        current_role=role,
        target=target,
        ratings=ratings,
        hidden_roles=tuple(hidden),
    ),
    st.sampled_from(ROLES),
    st.none() | st.sampled_from(ROLES),
    st.dictionaries(st.sampled_from(COMPETENCIES), st.integers(0, 4), max_size=40),
    st.lists(st.sampled_from(ROLES), max_size=5, unique=True),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people)
def test_groups_follow_their_percentages_and_never_hide_the_goal(person: StoredAssessment) -> None:
    groups = next_roles_view(CTX, person)
    for group in groups:
        scores = [c.score for c in group.cards]
        assert scores == sorted(scores, reverse=True)
    shown = {c.code for g in groups for c in g.cards}
    if person.target and person.target != person.current_role:
        assert person.target in shown


@settings(max_examples=50, deadline=None)
@given(people)
def test_someone_who_rated_anything_practice_or_above_has_named_strengths(
    person: StoredAssessment,
) -> None:
    strengths, _ = strengths_of(CTX, person)
    if any(level >= 2 for level in person.ratings.values()):
        assert strengths
    assert all(s.level >= 2 for s in strengths)


@settings(max_examples=25, deadline=None)
@given(people)
def test_the_unanswered_count_is_what_the_questionnaire_still_asks(
    person: StoredAssessment,
) -> None:
    asked = asked_competencies(CTX.referential, person.current_role)
    view = unanswered_view(CTX, person)
    assert view.unanswered == sum(1 for c in asked if c not in person.ratings)
    assert view.total == len(asked)


EVERY_CARD = {"ready": 999, "one_training": 999, "long_term": 999}


def claims_match_plans(person: StoredAssessment) -> int:
    """Every role's card (all shown, none hidden) says « À une formation près » exactly when
    the plan its plan page shows closes every gap with one item, and names that item."""
    checked = 0
    for group in next_roles_view(CTX, person, extra=EVERY_CARD):
        for card in group.cards:
            plan = plan_view(CTX, replace(person, target=card.code))
            assert plan is not None
            if group.group == "one_training":
                assert plan.one_training and len(plan.items) == 1 and not plan.uncovered
                assert card.why.endswith(plan.one_training_sentence)
                assert plan.items[0].title == plan.one_training
            elif group.group == "long_term":
                assert not plan.one_training, (card.code, plan.one_training)
                assert "Une seule formation" not in card.why
            checked += 1
    return checked


def test_every_curated_role_card_agrees_with_its_plan_for_a_secretary() -> None:
    person = StoredAssessment(
        id="a" * 32,
        device_id="d" * 32,
        situation="en_poste",
        current_role="secretaire",
        ratings={c: 2 for c in COMPETENCIES[::2]},
    )
    assert claims_match_plans(person) == len(ROLES) - 1  # every role but the current one


def one_course_short_of(role: str) -> StoredAssessment | None:
    """Someone who meets every requirement of `role` but those one short course reaches."""
    ref = CTX.referential
    needs = {q.competency: q.level for q in ref.requirements_by_role.get(role, ())}
    for training in ref.trainings:
        if str(training.kind) not in ("formation_courte", "certification"):
            continue
        reached = {o.competency: o.level for o in ref.outcomes_by_training.get(training.code, ())}
        closed = [c for c, level in needs.items() if reached.get(c, 0) >= level]
        if closed:
            ratings = {c: level for c, level in needs.items() if c not in closed}
            return StoredAssessment(
                id="a" * 32,
                device_id="d" * 32,
                situation="en_poste",
                current_role=None,
                ratings={**ratings, **dict.fromkeys(closed, 0)},
            )
    return None


def test_every_curated_role_one_course_short_says_what_its_plan_says() -> None:
    """For every role of the curated referential, someone one short course away from it:
    its card's group and training agree with its plan and its role page (and some of them
    are one_training)."""
    one_training = 0
    for role in ROLES:
        person = one_course_short_of(role)
        if person is None:
            continue
        groups = next_roles_view(CTX, person, extra=EVERY_CARD)
        group, card = next((g.group, c) for g in groups for c in g.cards if c.code == role)
        plan = plan_view(CTX, replace(person, target=role))
        assert plan is not None
        assert (group == "one_training") == bool(plan.one_training) or group == "ready", role
        page = role_view(CTX, role, person)
        assert page is not None
        assert page.one_training_sentence == plan.one_training_sentence
        if group == "one_training":
            one_training += 1
            assert card.why.endswith(plan.one_training_sentence)
    assert one_training >= 5


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people,
    st.none() | st.floats(0, 3000),
    st.none() | st.sampled_from([("distance",), ("presentiel",), ("alternance",)]),
)
def test_one_training_away_is_what_the_plan_closes_with_one_item(
    person: StoredAssessment, budget: float | None, modalities: tuple[str, ...] | None
) -> None:
    constrained = replace(person, hidden_roles=(), budget_eur=budget, modalities=modalities or ())
    claims_match_plans(constrained)


def test_a_refresh_builds_only_the_cards_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    """/metiers places every role but details and explains only the page it shows."""
    engine = CTX.engine
    detailed: list[str] = []
    real = engine.role_readiness

    def counting(assessment: Any, role: str, vector: Any = None) -> Any:
        detailed.append(role)
        return real(assessment, role, vector)

    def no_sentences(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("next roles explained for a screen that does not show them")

    monkeypatch.setattr(engine, "role_readiness", counting)
    monkeypatch.setattr(engine, "_explain", no_sentences)
    person = StoredAssessment(
        id="a" * 32, device_id="d" * 32, situation="en_poste", current_role="secretaire"
    )
    groups = next_roles_view(CTX, person)
    shown = [c.code for g in groups for c in g.cards]
    assert len(shown) <= 3 * len(groups) < len(ROLES) - 1
    assert sorted(detailed) == sorted(shown)
    assert sum(g.more for g in groups) + len(shown) == len(ROLES) - 1


def test_the_recommendation_json_groups_roles_as_the_cards_do() -> None:
    """The CLI's and the API's `group` is the app's: « one_training » only for a one-item plan."""
    checked = 0
    for role in ROLES[::3]:
        person = one_course_short_of(role)
        if person is None:
            continue
        cards = {
            c.code: g.group for g in next_roles_view(CTX, person, extra=EVERY_CARD) for c in g.cards
        }
        answer = recommend_one(
            {"ratings": person.ratings, "situation": "employed"}, CTX.referential, all_roles=True
        )
        groups = {n["role"]: n["group"] for n in answer["next_roles"]}
        assert groups == cards, role
        checked += sum(1 for g in groups.values() if g == "one_training")
    assert checked > 0
