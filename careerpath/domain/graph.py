"""The role graph: curated transitions plus each role's best derived moves.

Nodes are role codes. Every edge carries `kind` (curated or derived), `delta`
{competency: (from_level, to_level)} for the target's requirements above the source's level
(a mapping computed when first read),
`effort_hours` (the effort model over that delta) and `weight` = effort + a fixed cost per
job change, which path search minimises (so a detour through a needless role never pays).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import networkx as nx
import numpy as np

from careerpath.domain.effort import gap_hours_array
from careerpath.domain.matrix import FloatArray, IntArray, RequirementMatrix
from careerpath.domain.proximity import ProximityModel, fit_scores, top_targets
from careerpath.domain.readiness import score_profiles
from careerpath.domain.referential import Referential, TransitionKind

DERIVED_PER_ROLE = 8
STEP_HOURS = 35.0  # taking up a new job: about a week of onboarding, whatever the delta
BLOCK_ROWS = 256


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


def source_levels(matrix: RequirementMatrix, sources: IntArray, entries: IntArray) -> IntArray:
    """The level each source role requires of each entry's competency (0 when it does not):
    role entries are sorted by (role, competency), so a binary search finds them."""
    n = matrix.n_competencies
    keys = matrix.entry_role * n + matrix.entry_competency
    wanted = sources * n + matrix.entry_competency[entries]
    found = np.minimum(np.searchsorted(keys, wanted), max(len(keys) - 1, 0))
    if len(keys) == 0:
        return np.zeros(len(entries), dtype=np.int64)
    hit = keys[found] == wanted
    result: IntArray = np.where(hit, matrix.entry_level[found], 0)
    return result


def edge_efforts(matrix: RequirementMatrix, sources: IntArray, targets: IntArray) -> FloatArray:
    """Each edge's effort: the gap hours from the source's levels to the target's."""
    entries = matrix.role_entries(targets)
    edge_of = np.repeat(np.arange(len(targets), dtype=np.int64), matrix.role_requirements[targets])
    has = source_levels(matrix, sources[edge_of], entries)
    hours = gap_hours_array(has, matrix.entry_level[entries], matrix.entry_essential[entries])
    result: FloatArray = np.bincount(edge_of, weights=hours, minlength=len(targets)).astype(
        np.float64
    )
    return result


class Delta(Mapping[str, tuple[int, int]]):
    """An edge's {competency: (from level, to level)} for the target's requirements above the
    source's levels, computed on first read (most edges are never looked at)."""

    __slots__ = ("_matrix", "_source", "_target", "_items")

    def __init__(self, matrix: RequirementMatrix, source: int, target: int) -> None:
        self._matrix = matrix
        self._source = source
        self._target = target
        self._items: dict[str, tuple[int, int]] | None = None

    def _delta(self) -> dict[str, tuple[int, int]]:
        if self._items is None:
            m = self._matrix
            span = np.arange(m.indptr[self._target], m.indptr[self._target + 1], dtype=np.int64)
            has = source_levels(m, np.full(len(span), self._source, dtype=np.int64), span)
            needs = m.entry_level[span]
            above = np.flatnonzero(has < needs)
            codes = m.competency_codes
            self._items = {
                codes[c]: (h, n)
                for c, h, n in zip(
                    m.entry_competency[span][above].tolist(),
                    has[above].tolist(),
                    needs[above].tolist(),
                    strict=True,
                )
            }
        return self._items

    def __getitem__(self, competency: str) -> tuple[int, int]:
        return self._delta()[competency]

    def __iter__(self) -> Iterator[str]:
        return iter(self._delta())

    def __len__(self) -> int:
        return len(self._delta())

    def __repr__(self) -> str:
        return repr(self._delta())


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
    edges: list[tuple[int, int, TransitionKind]] = []
    for source in range(matrix.n_roles):
        targets = sorted(given.get(source, {}).items())
        targets += [(t, TransitionKind.DERIVED) for t in derived.get(source, [])]
        edges += [(source, target, kind) for target, kind in targets]
    sources = np.asarray([e[0] for e in edges], dtype=np.int64)
    ends = np.asarray([e[1] for e in edges], dtype=np.int64)
    efforts = edge_efforts(matrix, sources, ends).tolist() if edges else []
    codes = matrix.role_codes
    graph.add_edges_from(
        (
            codes[source],
            codes[target],
            {
                "kind": kind,
                "delta": Delta(matrix, source, target),
                "effort_hours": hours,
                "weight": hours + STEP_HOURS,
            },
        )
        for (source, target, kind), hours in zip(edges, efforts, strict=True)
    )
    return graph
