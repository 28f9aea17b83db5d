"""The role graph: curated transitions plus each role's best derived moves.

Nodes are role codes. Every edge carries `kind` (curated or derived), `delta`
{competency: (from_level, to_level)} for the target's requirements above the source's level,
`effort_hours` (the effort model over that delta) and `weight` = effort + a fixed cost per
job change, which path search minimises (so a detour through a needless role never pays).
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import numpy as np

from careerpath.domain.effort import gap_hours_array
from careerpath.domain.matrix import IntArray, RequirementMatrix
from careerpath.domain.proximity import ProximityModel, fit_scores, top_targets
from careerpath.domain.readiness import score_profiles
from careerpath.domain.referential import Referential, TransitionKind

DERIVED_PER_ROLE = 8
STEP_HOURS = 35.0  # taking up a new job: about a week of onboarding, whatever the delta
BLOCK_ROWS = 256

Delta = Mapping[str, tuple[int, int]]


def derived_targets(
    model: ProximityModel, curated: Mapping[int, set[int]], per_role: int = DERIVED_PER_ROLE
) -> dict[int, list[int]]:
    """For every role, its `per_role` best-fitting targets besides its curated ones.

    Each role's requirements are taken as a fully-met assessment from that role, scored with
    the same fit as a person's next roles, a block of rows at a time (sparse products).
    """
    matrix = model.matrix
    levels = matrix.level_matrix()
    result: dict[int, list[int]] = {}
    for start in range(0, matrix.n_roles, BLOCK_ROWS):
        rows = np.arange(start, min(start + BLOCK_ROWS, matrix.n_roles), dtype=np.int64)
        profiles = levels[rows]
        fit = fit_scores(model, profiles, score_profiles(matrix, profiles), rows)
        for offset, source in enumerate(rows.tolist()):
            result[source] = top_targets(
                fit[offset], source, per_role, exclude=curated.get(source, ())
            )
    return result


class _EdgeBuilder:
    """Computes the delta and effort of edges leaving one source role at a time."""

    def __init__(self, matrix: RequirementMatrix) -> None:
        self.matrix = matrix
        self._levels = np.zeros(matrix.n_competencies, dtype=np.int64)
        self._source = -1

    def _load(self, source: int) -> None:
        if source == self._source:
            return
        m = self.matrix
        if self._source >= 0:
            self._levels[m.entry_competency[m.entries(self._source)]] = 0
        span = m.entries(source)
        self._levels[m.entry_competency[span]] = m.entry_level[span]
        self._source = source

    def edge(self, source: int, target: int) -> tuple[dict[str, tuple[int, int]], float]:
        self._load(source)
        m = self.matrix
        span = m.entries(target)
        comps = m.entry_competency[span]
        needs = m.entry_level[span]
        has = self._levels[comps]
        hours = float(gap_hours_array(has, needs, m.entry_essential[span]).sum())
        above = np.flatnonzero(has < needs)
        codes = m.competency_codes
        delta = {
            codes[c]: (h, n)
            for c, h, n in zip(
                comps[above].tolist(), has[above].tolist(), needs[above].tolist(), strict=True
            )
        }
        return delta, hours


def given_transitions(
    referential: Referential, matrix: RequirementMatrix
) -> dict[int, dict[int, TransitionKind]]:
    """The referential's own transitions by source index (curated wins over derived)."""
    given: dict[int, dict[int, TransitionKind]] = {}
    for t in referential.transitions:
        source = matrix.role_index.get(t.from_role)
        target = matrix.role_index.get(t.to_role)
        if source is None or target is None or source == target:
            continue
        kinds = given.setdefault(source, {})
        if kinds.get(target) != TransitionKind.CURATED:
            kinds[target] = t.kind
    return given


def derived_array(derived: Mapping[int, list[int]], n_roles: int, per_role: int) -> IntArray:
    """Derived targets as an n_roles × per_role array, -1 where a role has fewer."""
    result = np.full((n_roles, max(per_role, 0)), -1, dtype=np.int64)
    for source, targets in derived.items():
        result[source, : len(targets)] = targets
    return result


def derived_from_array(array: IntArray) -> dict[int, list[int]]:
    """The inverse of `derived_array`."""
    return {source: [int(t) for t in row if t >= 0] for source, row in enumerate(array.tolist())}


def build_graph(
    referential: Referential,
    model: ProximityModel,
    per_role: int = DERIVED_PER_ROLE,
    derived: Mapping[int, list[int]] | None = None,
) -> nx.DiGraph:
    """Curated transitions first, then derived ones; every node is a role code.

    `derived`: the derived targets when already computed for this referential version
    (`derived_targets`, the expensive part), e.g. read from a cache.
    """
    matrix = model.matrix
    graph = nx.DiGraph()
    for code in matrix.role_codes:
        graph.add_node(code, title=referential.role_by_code[code].title)

    given = given_transitions(referential, matrix)
    known = {source: set(targets) for source, targets in given.items()}
    if derived is None:
        derived = derived_targets(model, known, per_role) if per_role > 0 else {}
    builder = _EdgeBuilder(matrix)
    for source in range(matrix.n_roles):
        targets = sorted(given.get(source, {}).items())
        targets += [(t, TransitionKind.DERIVED) for t in derived.get(source, [])]
        for target, kind in targets:
            delta, hours = builder.edge(source, target)
            graph.add_edge(
                matrix.role_codes[source],
                matrix.role_codes[target],
                kind=kind,
                delta=delta,
                effort_hours=hours,
                weight=hours + STEP_HOURS,
            )
    return graph
