"""The engine on the real ROME 4.0 import: the assistant family's moves make sense."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from careerpath.data.importers.rome import read_rome
from careerpath.domain.assessment import Assessment
from careerpath.domain.engine import Engine
from careerpath.domain.referential import TransitionKind

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from rome_mobility import cosine_ranking, engine_ranking, official_mobilities, recall  # noqa: E402


@pytest.fixture(scope="module")
def rome(shared_data: Path) -> Path:
    return shared_data / "rome-v460"


@pytest.fixture(scope="module")
def engine_without_mobility(rome: Path) -> Engine:
    return Engine(read_rome(rome, include_mobility=False))


def fully_met(engine: Engine, role: str) -> Assessment:
    requirements = engine.referential.requirements_by_role[role]
    return Assessment(ratings={q.competency: q.level for q in requirements}, current_role=role)


def test_a_secretary_is_shown_assistant_de_direction_first(engine_without_mobility: Engine) -> None:
    roles = engine_without_mobility.next_roles(fully_met(engine_without_mobility, "M1607"))
    assert roles[0].role == "M1604"  # Assistant / Assistante de direction
    assert all(r.role != "M1607" for r in roles)
    assert len(roles) == len(engine_without_mobility.referential.roles) - 1


def test_next_roles_find_more_official_mobilites_than_plain_cosine(
    engine_without_mobility: Engine, rome: Path
) -> None:
    truth = official_mobilities(rome, set(engine_without_mobility.matrix.role_codes))
    support = {source: targets for source, targets in truth.items() if source.startswith("M")}
    engine = recall(engine_ranking(engine_without_mobility), support)
    baseline = recall(cosine_ranking(engine_without_mobility), support)
    assert engine[10] > baseline[10]
    assert engine[20] > baseline[20]


def test_official_mobilites_become_curated_edges_with_their_delta(rome: Path) -> None:
    engine = Engine(read_rome(rome))
    edge = engine.graph.edges["M1607", "M1604"]
    assert edge["kind"] == TransitionKind.CURATED
    assert edge["delta"] and edge["effort_hours"] > 0
    derived = [
        t
        for t in engine.graph.successors("M1607")
        if engine.graph.edges["M1607", t]["kind"] == TransitionKind.DERIVED
    ]
    assert len(derived) == 8
