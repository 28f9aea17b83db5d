"""Readiness invariants on random small referentials, and the worked example."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_support import assessment, office_referential, ratings_for, referentials

from careerpath.domain.engine import Engine
from careerpath.domain.readiness import score_profiles
from careerpath.domain.referential import Weight


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_a_role_scores_100_exactly_when_every_requirement_is_met(data: st.DataObject) -> None:
    referential = data.draw(referentials())
    ratings = data.draw(ratings_for(referential))
    scores = Engine(referential, derived_per_role=0).scores(assessment(ratings))
    for role in referential.roles:
        met = all(
            ratings.get(q.competency, 0) >= q.level
            for q in referential.requirements_by_role[role.code]
        )
        assert (scores[role.code] == 100.0) == met
        assert 0.0 <= scores[role.code] <= 100.0


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_raising_any_rating_never_lowers_any_score(data: st.DataObject) -> None:
    referential = data.draw(referentials())
    ratings = data.draw(ratings_for(referential))
    competency = data.draw(st.sampled_from([c.code for c in referential.competencies]))
    before = ratings.get(competency, 0)
    after = data.draw(st.integers(before, 4))
    engine = Engine(referential, derived_per_role=0)
    low = engine.scores(assessment(ratings))
    high = engine.scores(assessment({**ratings, competency: after}))
    assert all(high[role] >= low[role] for role in low)


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_gaps_are_exactly_the_unmet_requirements_essential_first(data: st.DataObject) -> None:
    referential = data.draw(referentials())
    ratings = data.draw(ratings_for(referential))
    engine = Engine(referential, derived_per_role=0)
    for item in engine.readiness(assessment(ratings), top=None):
        expected = {
            (q.competency, ratings.get(q.competency, 0), q.level, q.weight)
            for q in referential.requirements_by_role[item.role]
            if ratings.get(q.competency, 0) < q.level
        }
        assert {(g.competency, g.has, g.needs, g.weight) for g in item.gaps} == expected
        keys = [(g.weight != Weight.ESSENTIAL, -(g.needs - g.has)) for g in item.gaps]
        assert keys == sorted(keys)
        assert all(s.has >= 3 and s.has >= s.needs for s in item.strengths)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_block_scoring_used_for_derived_edges_equals_the_per_person_scores(
    data: st.DataObject,
) -> None:
    referential = data.draw(referentials())
    engine = Engine(referential, derived_per_role=0)
    matrix = engine.matrix
    profiles = [data.draw(ratings_for(referential)) for _ in range(3)]
    import scipy.sparse as sp

    block = sp.csr_matrix(
        np.vstack([matrix.ratings_vector(p) for p in profiles]).astype(np.float64)
    )
    tenths = score_profiles(matrix, block)
    for row, ratings in enumerate(profiles):
        vector = engine.readiness_vector(assessment(ratings))
        assert tenths[row].tolist() == vector.tenths.tolist()


def test_readiness_lists_best_roles_first_with_gaps_and_strengths() -> None:
    engine = Engine(office_referential())
    person = assessment(
        {"org-agenda": 3, "org-priorites": 3, "com-ecrit": 3, "num-bureautique": 3},
        current="secretaire",
    )
    ranked = engine.readiness(person, top=3)
    assert [r.role for r in ranked] == ["secretaire", "assistant-direction", "office-manager"]
    assert ranked[0].score == 100.0 and ranked[0].gaps == ()
    direction = ranked[1]
    assert 0 < direction.score < 100
    assert [(g.competency, g.has, g.needs) for g in direction.gaps] == [("coord-projet", 0, 2)]
    assert {s.competency for s in direction.strengths} == {
        "org-agenda",
        "org-priorites",
        "com-ecrit",
        "num-bureautique",
    }


def test_a_near_miss_is_never_rounded_up_to_100() -> None:
    from careerpath.domain.readiness import readiness_tenths

    # 1999 of 2000 weighted units met, no essential absent: 99.95 floors to 99.9.
    tenths = readiness_tenths(
        np.asarray([1999]), np.asarray([2000]), np.asarray([0]), np.asarray([10])
    )
    assert tenths.tolist() == [999]


def test_an_absent_essential_costs_more_than_a_partly_met_one() -> None:
    engine = Engine(office_referential(), derived_per_role=0)
    # Same weighted coverage of gestionnaire-paie (3 of 6 essential points on paie/droit)…
    partial = engine.scores(assessment({"rh-paie": 2, "rh-droit": 1}))["gestionnaire-paie"]
    absent = engine.scores(assessment({"rh-paie": 3, "rh-droit": 0}))["gestionnaire-paie"]
    # …but a competency rated 0 is a blocker, so the score is lower.
    assert absent < partial
