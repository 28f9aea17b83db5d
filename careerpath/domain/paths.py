"""Paths from the person to a target role: k shortest simple paths in the role graph.

The person is a virtual source node `PERSON`. It is linked, at the person's own gap effort,
to the roles the current role leads to (its graph successors) and to every role the person
is already fairly ready for (readiness ≥ `LINK_READINESS`). Later steps follow role-to-role
edges. The current role itself is the person's position: it is not a step of the search, but
the JSON `steps` start with it. When no realistic chain reaches the target, the person is
linked straight to it (a long-term project) so that a path is always shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import yen

from careerpath.domain.graph import STEP_HOURS

PERSON = "\x00person"
LINK_READINESS = 60.0
DEFAULT_PATHS = 3


@dataclass(frozen=True, slots=True)
class CareerPath:
    """A distinct path: `nodes` start at PERSON; `steps` are role codes (current role first)."""

    nodes: tuple[str, ...]
    steps: tuple[str, ...]
    effort_hours: float
    leg_hours: tuple[float, ...]


class PathFinder:
    """Searches paths on a shared role graph without ever changing it (thread-safe).

    The graph is flattened once into CSR arrays (node `n` = the virtual person). Each
    search builds its own (n + 1)-node matrix — the role edges minus those touching the
    current role, plus the person's own row — and runs Yen's algorithm
    (`scipy.sparse.csgraph.yen`): no lock, no mutation, no per-node filter callbacks.
    """

    def __init__(self, graph: nx.DiGraph) -> None:
        self.graph = graph
        self._codes: tuple[str, ...] = tuple(graph.nodes)
        self._index = {code: i for i, code in enumerate(self._codes)}
        n = len(self._codes)
        sources: list[int] = []
        targets: list[int] = []
        weights: list[float] = []
        for source, target, weight in graph.edges(data="weight"):
            sources.append(self._index[source])
            targets.append(self._index[target])
            weights.append(float(weight))
        matrix = sp.csr_matrix(
            (np.asarray(weights, dtype=np.float64), (sources, targets)), shape=(n, n)
        )
        matrix.sort_indices()
        self._indptr = matrix.indptr.astype(np.int64)
        self._targets = matrix.indices.astype(np.int64)
        self._weights = matrix.data.astype(np.float64)
        self._sources = np.repeat(np.arange(n, dtype=np.int64), np.diff(self._indptr))

    def best_paths(
        self,
        target: str,
        person_edges: Mapping[str, float],
        current: str | None,
        direct_hours: float,
        k: int = DEFAULT_PATHS,
        avoid: Iterable[str] = (),
    ) -> list[CareerPath]:
        """Up to k distinct paths by increasing effort (+ a fixed cost per step).

        `person_edges` are the person's gap hours to the roles they are linked to;
        `direct_hours` is their gap to the target, used when no chain reaches it; `avoid`
        are roles a path never goes through (the roles the person is already ready for).
        """
        prefix: tuple[str, ...] = (current,) if current else ()
        if current is not None and target == current:
            hours = float(direct_hours)
            return [CareerPath((PERSON, target), prefix, hours, (hours,))]
        hidden = {r for r in avoid if r != target}
        links = {
            role: hours
            for role, hours in person_edges.items()
            if role != current and role not in hidden
        }
        found = self._search(target, links, current, k, hidden)
        if not found:
            found = [[PERSON, target]]
            links = {**links, target: direct_hours}
        return [self._describe(nodes, links, prefix) for nodes in found]

    def _matrix(self, links: Mapping[str, float], blocked: Iterable[str]) -> sp.csr_matrix:
        """The role edges without those touching a blocked role, plus the person's row."""
        n = len(self._codes)
        hidden = np.zeros(n, dtype=np.bool_)
        hidden[[self._index[r] for r in blocked if r in self._index]] = True
        sources, targets, weights = self._sources, self._targets, self._weights
        if hidden.any():
            keep = ~hidden[sources] & ~hidden[targets]
            sources, targets, weights = sources[keep], targets[keep], weights[keep]
        linked = sorted((self._index[r], h) for r, h in links.items() if r in self._index)
        person_targets = np.asarray([i for i, _ in linked], dtype=np.int64)
        person_weights = np.asarray([h + STEP_HOURS for _, h in linked], dtype=np.float64)
        indptr = np.zeros(n + 2, dtype=np.int64)
        np.cumsum(np.bincount(sources, minlength=n), out=indptr[1 : n + 1])
        indptr[n + 1] = indptr[n] + len(person_targets)
        return sp.csr_matrix(
            (
                np.concatenate([weights, person_weights]),
                np.concatenate([targets, person_targets]),
                indptr,
            ),
            shape=(n + 1, n + 1),
        )

    def _search(
        self,
        target: str,
        links: Mapping[str, float],
        current: str | None,
        k: int,
        hidden: Iterable[str] = (),
    ) -> list[list[str]]:
        sink = self._index.get(target)
        if sink is None or k <= 0 or sink == self._index.get(current or "", -1):
            return []
        person = len(self._codes)
        blocked = {*hidden, *([current] if current else [])} - {target}
        distances, predecessors = yen(
            self._matrix(links, blocked), person, sink, k, directed=True, return_predecessors=True
        )
        found: list[tuple[float, list[str]]] = []
        for distance, row in zip(distances.tolist(), predecessors, strict=True):
            if not np.isfinite(distance):
                continue
            chain = [sink]
            while chain[-1] != person:
                chain.append(int(row[chain[-1]]))
            nodes = [PERSON, *(self._codes[i] for i in reversed(chain[:-1]))]
            found.append((distance, nodes))
        # Equal efforts: a fixed order (by the roles' codes), whatever the search order.
        found.sort(key=lambda item: (item[0], item[1]))
        return [nodes for _, nodes in found]

    def _describe(
        self, nodes: list[str], links: Mapping[str, float], prefix: tuple[str, ...]
    ) -> CareerPath:
        legs: list[float] = []
        for source, target in zip(nodes, nodes[1:], strict=False):
            if source == PERSON:
                legs.append(float(links.get(target, 0.0)))
            else:
                legs.append(float(self.graph.edges[source, target]["effort_hours"]))
        return CareerPath(tuple(nodes), prefix + tuple(nodes[1:]), sum(legs), tuple(legs))
