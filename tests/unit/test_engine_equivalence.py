"""The faster engine algorithms give the same answers as the ones they replaced.

Each oracle below is the previous implementation, kept verbatim in spirit: readiness by a
gather over every requirement entry, groups and gap labels over every role, paths by
networkx's `shortest_simple_paths` on a copy of the graph with the person added. The
engine must agree with them on random referentials.
"""

from __future__ import annotations

from itertools import islice

import networkx as nx
import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_support import assessment, office_referential, ratings_for, referentials

from careerpath.domain.effort import gap_hours_array
from careerpath.domain.engine import Engine
from careerpath.domain.graph import STEP_HOURS
from careerpath.domain.paths import PERSON
from careerpath.domain.proximity import W_CURATED, fit_scores
from careerpath.domain.readiness import ranking, readiness_tenths
from careerpath.domain.referential import MAX_LEVEL


def old_score_all(engine: Engine, ratings: dict[str, int]) -> dict[str, list[float]]:
    """Readiness the way it was computed before: every entry of the matrix, every time."""
    matrix = engine.matrix
    has = matrix.ratings_vector(ratings)[matrix.entry_competency]
    met = np.minimum(has, matrix.entry_level)
    n = matrix.n_roles
    rows = matrix.entry_role
    numerator = np.rint(np.bincount(rows, weights=matrix.entry_units * met, minlength=n))
    absent = np.rint(np.bincount(rows, weights=matrix.entry_essential & (has <= 0), minlength=n))
    unmet_mask = has < matrix.entry_level
    unmet = np.rint(np.bincount(rows, weights=unmet_mask, minlength=n))
    unmet_essentials = np.rint(
        np.bincount(rows, weights=unmet_mask & matrix.entry_essential, minlength=n)
    )
    hours = np.bincount(
        rows,
        weights=gap_hours_array(has, matrix.entry_level, matrix.entry_essential),
        minlength=n,
    )
    tenths = readiness_tenths(
        numerator.astype(np.int64),
        matrix.role_units,
        absent.astype(np.int64),
        matrix.role_essentials,
    )
    return {
        "tenths": tenths.tolist(),
        "unmet": unmet.tolist(),
        "unmet_essentials": unmet_essentials.tolist(),
        "gap_hours": hours.tolist(),
        "has": has.tolist(),
    }


def reached(engine: Engine, k: int) -> sp.csr_matrix:
    """Trainings × competencies: 1 where a training's outcome reaches level k."""
    m = engine.matrix
    entries = [
        (i, m.competency_index[comp])
        for i, t in enumerate(engine.catalogue.trainings)
        for comp, level in engine.catalogue.outcomes[t.code].items()
        if level >= k and comp in m.competency_index
    ]
    rows = [i for i, _ in entries]
    cols = [j for _, j in entries]
    shape = (len(engine.catalogue.trainings), m.n_competencies)
    return sp.csr_matrix((np.ones(len(entries)), (rows, cols)), shape=shape)


def old_one_training_closes(engine: Engine, ratings: dict[str, int]) -> list[bool]:
    """The previous 'one training closes every gap' test, over every role at once."""
    m = engine.matrix
    vector = engine.readiness_vector(assessment(ratings))
    n = m.n_roles
    if not engine.catalogue.trainings:
        return [False] * n
    usable = np.asarray(
        [
            t.kind != "vae" or engine.catalogue.vae_eligible(t.code, ratings)
            for t in engine.catalogue.trainings
        ],
        dtype=np.float64,
    )
    has = m.ratings_vector(ratings)[m.entry_competency]
    unmet = has < m.entry_level
    counts = sp.csr_matrix((n, len(engine.catalogue.trainings)), dtype=np.float64)
    for k in range(1, MAX_LEVEL + 1):
        mask = unmet & (m.entry_level == k)
        if not mask.any():
            continue
        gaps = sp.csr_matrix(
            (np.ones(int(mask.sum())), (m.entry_role[mask], m.entry_competency[mask])),
            shape=(n, m.n_competencies),
        )
        counts = counts + gaps @ (sp.diags(usable) @ reached(engine, k)).T
    best = np.asarray(counts.max(axis=1).toarray()).ravel()
    result = (vector.unmet > 0) & (np.rint(best).astype(np.int64) == vector.unmet)
    return [bool(x) for x in result.tolist()]


def old_path_weights(
    engine: Engine, ratings: dict[str, int], current: str | None, target: str
) -> list[tuple[tuple[str, ...], float]]:
    """The 4 best paths and their weights by networkx, on a copy of the graph with the
    person added (the 4th tells whether the 3rd ties with a path left out)."""
    m = engine.matrix
    vector = engine.readiness_vector(assessment(ratings, current))
    target_index = m.role_index[target]
    linked = set(np.flatnonzero(vector.tenths >= 600).tolist())
    if current is not None:
        linked |= {m.role_index[s] for s in engine.graph.successors(current)}
    # Never through a role the person is already ready for (the engine's rule).
    ready = (vector.tenths >= 850) & (vector.unmet_essentials == 0)
    avoid = {m.role_codes[i] for i in np.flatnonzero(ready).tolist() if i != target_index}
    linked -= set(np.flatnonzero(ready).tolist()) - {target_index}
    links = {m.role_codes[i]: float(vector.gap_hours[i]) for i in sorted(linked)}
    links.pop(current or "", None)
    graph = engine.graph.copy()
    graph.add_node(PERSON)
    for role in sorted(links):
        graph.add_edge(PERSON, role, weight=links[role] + STEP_HOURS)
    graph.remove_nodes_from({*avoid, *([current] if current else [])} - {target})
    try:
        paths = list(islice(nx.shortest_simple_paths(graph, PERSON, target, weight="weight"), 4))
    except nx.NetworkXNoPath:
        return []
    return [(tuple(p), nx.path_weight(graph, p, "weight")) for p in paths]


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_readiness_touching_only_rated_competencies_equals_the_full_gather(
    data: st.DataObject,
) -> None:
    referential = data.draw(referentials())
    ratings = data.draw(ratings_for(referential))
    engine = Engine(referential, derived_per_role=0)
    vector = engine.readiness_vector(assessment(ratings))
    old = old_score_all(engine, ratings)
    assert vector.tenths.tolist() == old["tenths"]
    assert vector.unmet.tolist() == old["unmet"]
    assert vector.unmet_essentials.tolist() == old["unmet_essentials"]
    assert vector.gap_hours.tolist() == old["gap_hours"]
    assert vector.has.tolist() == old["has"]
    full = np.argsort(-vector.tenths, kind="stable").tolist()
    for top in range(len(full) + 2):
        assert ranking(vector, top).tolist() == full[:top]


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_page_of_next_roles_is_the_same_slice_of_the_whole_list(data: st.DataObject) -> None:
    referential = data.draw(referentials())
    codes = [r.code for r in referential.roles]
    ratings = data.draw(ratings_for(referential))
    person = assessment(ratings, data.draw(st.none() | st.sampled_from(codes)))
    engine = Engine(referential)
    everything = engine.next_roles(person)
    assert len(everything) == engine.next_role_count(person)
    offset = data.draw(st.integers(0, len(codes) + 1))
    limit = data.draw(st.integers(0, len(codes) + 1))
    page = engine.next_roles(person, limit=limit, offset=offset)
    assert page == everything[offset : offset + limit]
    assert list(engine.iter_next_roles(person, page=data.draw(st.integers(1, 4)))) == everything
    closes = old_one_training_closes(engine, ratings)
    vector = engine.readiness_vector(person)
    for item in everything:
        i = engine.matrix.role_index[item.role]
        score = vector.tenths[i] / 10
        expected = (
            "ready"
            if score >= 85 and vector.unmet_essentials[i] == 0
            else "one_training"
            if score >= 60 or closes[i]
            else "long_term"
        )
        assert item.group == expected


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_paths_by_yen_on_csr_arrays_equal_networkx_on_a_graph_with_the_person(
    data: st.DataObject,
) -> None:
    referential = data.draw(referentials())
    codes = [r.code for r in referential.roles]
    ratings = data.draw(ratings_for(referential))
    current = data.draw(st.none() | st.sampled_from(codes))
    target = data.draw(st.sampled_from([c for c in codes if c != current] or codes))
    if target == current:
        return
    engine = Engine(referential, derived_per_role=data.draw(st.integers(0, 3)))
    graph_before = nx.to_dict_of_dicts(engine.graph)
    old = old_path_weights(engine, ratings, current, target)
    paths = engine.paths(assessment(ratings, current), target, k=3)
    assert nx.to_dict_of_dicts(engine.graph) == graph_before, "the shared graph is untouched"
    if not old:
        assert [p.nodes for p in paths] == [(PERSON, target)]
        return
    new = [p.effort_hours + STEP_HOURS * len(p.leg_hours) for p in paths]
    weights = [w for _, w in old]
    assert new == weights[:3]
    if len(set(weights)) == len(weights):  # no tie (with the 4th either): the very same paths
        assert [p.nodes for p in paths] == [nodes for nodes, _ in old[:3]]


def test_the_office_answers_are_unchanged_page_by_page() -> None:
    engine = Engine(office_referential())
    person = assessment({"org-agenda": 3, "com-ecrit": 2, "rh-paie": 1}, "secretaire")
    everything = engine.next_roles(person)
    pages = [engine.next_roles(person, limit=2, offset=o) for o in range(0, 4, 2)]
    assert pages[0] + pages[1] == everything


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_one_persons_fit_from_rated_rows_equals_the_sparse_block_fit(data: st.DataObject) -> None:
    referential = data.draw(referentials())
    codes = [r.code for r in referential.roles]
    ratings = data.draw(ratings_for(referential))
    current = data.draw(st.none() | st.sampled_from(codes))
    engine = Engine(referential, derived_per_role=0)
    person = assessment(ratings, current)
    m = engine.matrix
    index = m.role_index.get(current or "", -1)
    profile = sp.csr_matrix(m.ratings_vector(ratings).astype(np.float64)[None, :])
    vector = engine.readiness_vector(person)
    old = fit_scores(engine.proximity, profile, vector.tenths[None, :], np.asarray([index]))[0]
    if index in engine._curated_from:
        old[engine._curated_from[index]] += W_CURATED
    new = engine.fit(person)
    assert np.allclose(new, old, rtol=1e-12, atol=1e-12)
    old_order = np.lexsort((np.arange(len(old)), -old))
    new_order = engine._order(person, new).tolist()
    # The same order, but for roles whose fits differ by rounding only.
    expected = [i for i in old_order.tolist() if i != index]
    for a, b in zip(new_order, expected, strict=True):
        assert a == b or abs(old[a] - old[b]) < 1e-9


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_edge_efforts_and_deltas_computed_at_once_equal_the_edge_by_edge_ones(
    data: st.DataObject,
) -> None:
    referential = data.draw(referentials())
    engine = Engine(referential, derived_per_role=data.draw(st.integers(0, 3)))
    m = engine.matrix
    for source, target, edge in engine.graph.edges(data=True):
        has = np.zeros(m.n_competencies, dtype=np.int64)
        span = m.entries(m.role_index[source])
        has[m.entry_competency[span]] = m.entry_level[span]
        span = m.entries(m.role_index[target])
        comps, needs = m.entry_competency[span], m.entry_level[span]
        hours = float(gap_hours_array(has[comps], needs, m.entry_essential[span]).sum())
        delta = {
            m.competency_codes[c]: (int(has[c]), int(n))
            for c, n in zip(comps.tolist(), needs.tolist(), strict=True)
            if has[c] < n
        }
        assert edge["effort_hours"] == hours
        assert edge["weight"] == hours + STEP_HOURS
        assert dict(edge["delta"]) == delta
