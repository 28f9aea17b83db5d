"""Invariants of the journey's screens, for any ratings on the curated referential."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careerpath.data.importers.bundle import read_bundle
from careerpath.services.assessments import StoredAssessment
from careerpath.services.context import context_of
from careerpath.services.next_roles_view import next_roles_view
from careerpath.services.profile import strengths_of, unanswered_view
from careerpath.services.questionnaire import asked_competencies
from careerpath.services.referential import CURATED_BUNDLE

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
