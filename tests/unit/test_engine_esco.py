"""The engine at ESCO scale (3,007 occupations, 13,896 skills): complete, consistent answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from careerpath.data.importers.esco import read_esco
from careerpath.domain.assessment import Assessment
from careerpath.domain.engine import Engine
from careerpath.domain.referential import TransitionKind


@pytest.fixture(scope="module")
def engine(shared_data: Path) -> Engine:
    return Engine(read_esco(shared_data / "esco-v1.1.1"))


def test_every_occupation_gets_eight_derived_moves(engine: Engine) -> None:
    graph = engine.graph
    assert graph.number_of_nodes() == len(engine.referential.roles)
    kinds = {kind for _, _, kind in graph.edges(data="kind")}
    assert kinds == {TransitionKind.DERIVED}
    assert all(graph.out_degree(role) == 8 for role in graph.nodes)


def test_a_person_meeting_an_occupation_sees_it_at_100_and_is_offered_the_rest(
    engine: Engine,
) -> None:
    role = engine.referential.roles[100].code
    requirements = engine.referential.requirements_by_role[role]
    person = Assessment(
        ratings={q.competency: q.level for q in requirements},
        current_role=role,
        target=engine.referential.roles[200].code,
    )
    result = engine.recommend(person, top=5)
    assert result.scores[role] == 100.0
    assert result.readiness[0].score == 100.0
    assert len(result.next_roles) == len(engine.referential.roles) - 1
    assert result.paths and all(p.steps[0] == role for p in result.paths)
    # ESCO carries no trainings: every gap to the target is shown as uncovered.
    assert result.plan is not None
    assert set(result.plan.uncovered) == {g.competency for g in result.plan.gaps}
