"""Paths from the person to a target, and the role graph they run on."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_support import assessment, office_referential, ratings_for, referentials

from careerpath.domain.engine import Engine
from careerpath.domain.graph import STEP_HOURS
from careerpath.domain.paths import PERSON
from careerpath.domain.referential import TransitionKind


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_paths_are_distinct_start_at_the_person_and_end_at_the_target(
    data: st.DataObject,
) -> None:
    referential = data.draw(referentials())
    codes = [r.code for r in referential.roles]
    ratings = data.draw(ratings_for(referential))
    current = data.draw(st.none() | st.sampled_from(codes))
    target = data.draw(st.sampled_from(codes))
    engine = Engine(referential, derived_per_role=data.draw(st.integers(0, 3)))
    paths = engine.paths(assessment(ratings, current), target, k=3)
    assert 1 <= len(paths) <= 3
    assert len({p.nodes for p in paths}) == len(paths)
    assert len({p.steps for p in paths}) == len(paths)
    for path in paths:
        assert path.nodes[0] == PERSON
        assert path.nodes[-1] == target
        assert path.steps[-1] == target
        if current is not None:
            assert path.steps[0] == current
            assert current not in path.nodes[1:-1]
        assert len(set(path.steps)) == len(path.steps)
        assert abs(path.effort_hours - sum(path.leg_hours)) < 1e-9
    weights = [p.effort_hours + STEP_HOURS * len(p.leg_hours) for p in paths]
    assert weights == sorted(weights)


def test_graph_edges_carry_kind_delta_and_effort() -> None:
    engine = Engine(office_referential())
    edge = engine.graph.edges["secretaire", "assistant-direction"]
    assert edge["kind"] == TransitionKind.CURATED
    assert edge["delta"]["coord-projet"] == (0, 2)
    assert edge["delta"]["org-agenda"] == (2, 3)
    assert "org-priorites" in edge["delta"]
    assert edge["effort_hours"] > 0
    derived = [d for _, _, d in engine.graph.edges(data="kind") if d == TransitionKind.DERIVED]
    assert derived, "every role gets derived moves besides the curated ones"


def test_the_best_path_to_payroll_goes_straight_and_alternatives_go_through_a_step() -> None:
    engine = Engine(office_referential())
    person = assessment(
        {"org-agenda": 3, "org-priorites": 3, "com-ecrit": 3, "num-bureautique": 3},
        current="secretaire",
    )
    paths = engine.paths(person, "gestionnaire-paie")
    assert paths[0].steps == ("secretaire", "gestionnaire-paie")
    assert all(p.steps[0] == "secretaire" and p.steps[-1] == "gestionnaire-paie" for p in paths)
    assert len(paths) == 3


def test_a_target_out_of_reach_still_gets_a_direct_long_term_path() -> None:
    engine = Engine(office_referential(), derived_per_role=0)
    person = assessment({}, current="secretaire")
    paths = engine.paths(person, "gestionnaire-paie")
    assert [p.steps for p in paths] == [("secretaire", "gestionnaire-paie")]
    gaps = engine.role_readiness(person, "gestionnaire-paie").gap_hours
    assert paths[0].effort_hours == gaps
