"""Paths from the person to a target role: k shortest simple paths in the role graph.

The person is a virtual source node `PERSON`. It is linked, at the person's own gap effort,
to the roles the current role leads to (its graph successors) and to every role the person
is already fairly ready for (readiness ≥ `LINK_READINESS`). Later steps follow role-to-role
edges. The current role itself is the person's position: it is not a step of the search, but
the JSON `steps` start with it. When no realistic chain reaches the target, the person is
linked straight to it (a long-term project) so that a path is always shown.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice

import networkx as nx

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
    """Searches paths on a shared role graph; the virtual node is added under a lock."""

    def __init__(self, graph: nx.DiGraph) -> None:
        self.graph = graph
        self._lock = threading.Lock()

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
        with self._lock:
            found = self._search(target, links, current, k, hidden)
        if not found:
            found = [[PERSON, target]]
            links = {**links, target: direct_hours}
        return [self._describe(nodes, links, prefix) for nodes in found]

    def _search(
        self,
        target: str,
        links: Mapping[str, float],
        current: str | None,
        k: int,
        hidden: Iterable[str] = (),
    ) -> list[list[str]]:
        graph = self.graph
        if target not in graph or k <= 0:
            return []
        graph.add_node(PERSON)
        try:
            for role in sorted(links):
                if role in graph:
                    graph.add_edge(PERSON, role, weight=links[role] + STEP_HOURS)
            blocked = sorted({*hidden, *([current] if current else [])} & set(graph.nodes))
            view = nx.restricted_view(graph, blocked, [])
            paths: Iterator[list[str]] = nx.shortest_simple_paths(
                view, PERSON, target, weight="weight"
            )
            try:
                return [list(p) for p in islice(paths, k)]
            except nx.NetworkXNoPath:
                return []
        finally:
            graph.remove_node(PERSON)

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
