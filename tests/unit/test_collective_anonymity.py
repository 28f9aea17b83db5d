"""The collective diagnosis's anonymity rule (domain/collective.py) as properties.

Two oracles. One is independent of the rule's atoms: every sum or difference (coefficients
−1, 0, +1) of published figures sharing people is computed by brute force; its non-zero
cells must belong to at least k people. The other is independent of the cells themselves:
from the raw answers (person, competency, level) of each moment, any two shown figures must
differ by nobody or by at least k people (weakening how cells are versioned makes it fail:
cells without marks, or with the assessment's version instead of each answer's).
"""

from __future__ import annotations

import itertools
import logging
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from careerpath.domain.collective import (
    BRIDGES,
    MIN_K,
    PLAN,
    READY,
    TEXT,
    Candidate,
    Cell,
    FigureKey,
    Item,
    Panel,
    PanelState,
    Response,
    ScopeView,
    changed_people,
    distribution,
    effective_k,
    in_force,
    people,
    publish_state,
    publishable,
    scope_view,
    state_candidates,
    trace_of,
)

ITEMS = (Item("a1", "A"), Item("a2", "A"), Item("b1", "B"))
SUBGROUPS = ("s1", "s2")
PERSONS = [f"p{i}" for i in range(12)]


def _isolates_too_few(chosen: Sequence[frozenset[Cell]], k: int) -> Cell | None:
    """A ±1 combination of the chosen cell sets whose non-zero cells belong to fewer than k
    people (returned as one of those cells), or None."""
    for signs in itertools.product((-1, 0, 1), repeat=len(chosen)):
        if not any(signs):
            continue
        total: Counter[Cell] = Counter()
        for sign, cells in zip(signs, chosen, strict=True):
            for cell in cells:
                total[cell] += sign
        support = [cell for cell, value in total.items() if value]
        if support and people(support) < k:
            return support[0]
    return None


def _check_no_deduction(shown: list[frozenset[Cell]], k: int, limit: int = 7) -> None:
    """Every published family of figures that share cells, up to `limit` at a time."""
    for cells in shown:
        assert people(cells) >= k
    # figures sharing no cell cannot combine into anything smaller: check connected families
    for size in range(2, min(limit, len(shown)) + 1):
        for family in itertools.combinations(shown, size):
            union = frozenset().union(*family)
            if sum(len(f) for f in family) == len(union):
                continue  # pairwise disjoint: every combination is a union of figures
            found = _isolates_too_few(family, k)
            assert found is None, (family, found)


cell_sets = st.frozensets(
    st.tuples(st.sampled_from(PERSONS[:8]), st.sampled_from(("x", "y"))), max_size=16
)


@settings(max_examples=150, deadline=None)
@given(st.lists(cell_sets, min_size=1, max_size=6), st.integers(min_value=0, max_value=6))
def test_no_published_combination_isolates_fewer_than_k_people(
    sets: list[frozenset[Cell]], k: int
) -> None:
    family = [Candidate(i, cells) for i, cells in enumerate(sets)]
    kept = publishable(family, k)
    shown = [c.cells for c in family if c.key in kept]
    _check_no_deduction(shown, effective_k(k))


def _exact_rank(rows: list[list[int]]) -> int:
    """Rank over the rationals, by plain Gaussian elimination with fractions (the oracle's
    own arithmetic, independent of the rule's)."""
    from fractions import Fraction

    matrix = [[Fraction(v) for v in row] for row in rows]
    rank = 0
    width = len(matrix[0]) if matrix else 0
    for column in range(width):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][column]), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for r in range(len(matrix)):
            if r != rank and matrix[r][column]:
                factor = matrix[r][column] / matrix[rank][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        rank += 1
    return rank


def _supported_on(figures: list[frozenset[Cell]], group: set[str]) -> int:
    """The dimension of the combinations of the figures (any rational coefficients) whose
    non-zero cells all belong to the people of `group`."""
    cells = sorted({c for f in figures for c in f})
    rows = [[int(c in f) for c in cells] for f in figures]
    outside = [i for i, c in enumerate(cells) if c[0] not in group]
    return _exact_rank(rows) - _exact_rank([[row[i] for i in outside] for row in rows])


@settings(max_examples=150, deadline=None)
@given(st.lists(cell_sets, min_size=1, max_size=6), st.integers(min_value=3, max_value=5))
def test_no_combination_with_any_coefficients_isolates_fewer_than_k_people(
    sets: list[frozenset[Cell]], k: int
) -> None:
    """The exact oracle, independent of atoms: for every set of fewer than k people, no
    combination of the shown figures, with any rational coefficients (not only ±1), lies on
    their cells alone."""
    family = [Candidate(i, cells) for i, cells in enumerate(sets)]
    kept = publishable(family, k)
    shown = [c.cells for c in family if c.key in kept]
    everyone = sorted({p for f in sets for p, _ in f})
    for size in range(1, k):
        for group in itertools.combinations(everyone, size):
            assert _supported_on(shown, set(group)) == 0, (group, shown)


@given(st.integers(min_value=-10, max_value=20))
def test_k_is_never_below_three(k: int) -> None:
    assert effective_k(k) >= MIN_K
    assert effective_k(k) == max(k, MIN_K)
    lonely = Candidate("x", frozenset({("p1", "a"), ("p2", "a")}))
    assert publishable([lonely], k) == frozenset()


def test_a_figure_of_k_people_is_shown_and_of_k_minus_one_is_not() -> None:
    five = frozenset((p, "a") for p in PERSONS[:5])
    assert publishable([Candidate("x", five)], 5) == {"x"}
    assert publishable([Candidate("x", frozenset(list(five)[:4]))], 5) == frozenset()


def test_the_whole_group_minus_a_subgroup_is_suppressed_when_it_leaves_too_few() -> None:
    whole = frozenset((p, "a") for p in PERSONS[:7])
    sub = frozenset((p, "a") for p in PERSONS[:5])
    kept = publishable([Candidate("whole", whole), Candidate("sub", sub)], 5)
    assert kept == {"whole"}
    # three sub-groups, one too small: the two others may not both be shown with the whole
    s1 = frozenset((p, "a") for p in PERSONS[:5])
    s2 = frozenset((p, "a") for p in PERSONS[5:10])
    big = s1 | s2 | {("p10", "a")}
    kept = publishable([Candidate("whole", big), Candidate("s1", s1), Candidate("s2", s2)], 5)
    assert kept == {"whole", "s1"}  # s2 too would leave whole − s1 − s2: one person


def test_a_category_with_one_small_competency_hides_a_second_one() -> None:
    c1 = frozenset((p, "c1") for p in PERSONS[:6])
    c2 = frozenset((p, "c2") for p in PERSONS[:6])
    c3 = frozenset((p, "c3") for p in PERSONS[:2])
    cat = c1 | c2 | c3
    kept = publishable(
        [Candidate("cat", cat), Candidate("c1", c1), Candidate("c2", c2), Candidate("c3", c3)], 5
    )
    assert kept == {"cat", "c1"}  # c3: too few; c2 too, else cat − c1 − c2 = c3


# -- the group's published states --------------------------------------------------------

levels = st.integers(min_value=0, max_value=4)
SECOND = ("a1", "a2", "b1")


def marked(response: Response) -> Response:
    """The response with the marks the service gives (a digest of each contribution's
    content, here the content itself): they change exactly when the contribution does."""
    marks = {code: f"L{level}" for code, level in response.ratings.items()}
    marks[READY] = ",".join(sorted(response.ready_roles))
    marks.update({PLAN + t: "1" for t in response.plan_trainings})
    if response.text:
        marks[TEXT] = response.text
    return replace(response, marks=marks)


@st.composite
def response_of(draw: st.DrawFn, person: str, panel: Panel, version: int) -> Response:
    codes = draw(st.lists(st.sampled_from([i.code for i in ITEMS]), unique=True, max_size=3))
    return marked(
        Response(
            person,
            panel,
            {c: draw(levels) for c in codes},
            draw(st.sampled_from(("", *SUBGROUPS))),
            frozenset(draw(st.lists(st.sampled_from(("r1", "r2")), unique=True))),
            f"v{version}",
            frozenset(draw(st.lists(st.sampled_from(("t1", "t2")), unique=True)))
            if panel is Panel.ASSISTANT
            else frozenset(),
        )
    )


@st.composite
def histories(draw: st.DrawFn) -> list[list[Response]]:
    """A group over several moments: at each, some join, some leave, some re-assess (a new
    version of their answers, possibly a new sub-group)."""
    moments: list[list[Response]] = []
    current: dict[str, Response] = {}
    for version in range(1, draw(st.integers(min_value=1, max_value=5)) + 1):
        for person in draw(st.lists(st.sampled_from(PERSONS), unique=True, max_size=7)):
            step = draw(st.sampled_from(("leave", "navigate", "one", "anew")))
            was = current.get(person)
            if was is not None and step == "leave":
                del current[person]
            elif was is not None and step == "navigate":
                # moved through the pages: the assessment's version, not one answer, changes
                current[person] = replace(was, version=f"v{version}")
            elif was is not None and step == "one" and was.ratings:
                # one answer changed, everything else as it was
                code = draw(st.sampled_from(sorted(was.ratings)))
                ratings = {**was.ratings, code: draw(levels)}
                current[person] = marked(replace(was, ratings=ratings, version=f"v{version}"))
            else:
                panel = was.panel if was is not None else draw(st.sampled_from(list(Panel)))
                current[person] = draw(response_of(person, panel, version))
        moments.append(list(current.values()))
    return moments


def _run(moments: list[list[Response]], k: int) -> list[tuple[int, PanelState]]:
    """Publish after each moment, as the group's views do: (moment, state) for every state."""
    published: list[tuple[int, PanelState]] = []
    for index, responses in enumerate(moments):
        for panel in Panel:
            earlier = [s for _, s in published if s.panel is panel]
            fresh = publish_state(earlier, responses, panel, ITEMS, k, SUBGROUPS)
            if fresh is not None:
                published.append((index, fresh))
    return published


def _last(published: list[tuple[int, PanelState]], panel: Panel, moment: int) -> PanelState | None:
    found = [s for m, s in published if s.panel is panel and m <= moment]
    return found[-1] if found else None


def _displays(
    moments: list[list[Response]], published: list[tuple[int, PanelState]], k: int
) -> list[tuple[int, ScopeView]]:
    """Every view the organiser could have looked at: each moment, each scope."""
    shown = []
    for moment, responses in enumerate(moments):
        for scope in ("", *SUBGROUPS):
            a = in_force(_last(published, Panel.ASSISTANT, moment), responses, k, scope)
            m = in_force(_last(published, Panel.MANAGER, moment), responses, k, scope)
            shown.append((moment, scope_view(str(moment), scope, ITEMS, a, m)))
    return shown


@settings(max_examples=150, deadline=None)
@given(histories(), st.sampled_from((3, 4, 5)))
def test_no_displayed_number_is_computed_from_fewer_than_k_people(
    moments: list[list[Response]], k: int
) -> None:
    published = _run(moments, k)
    for index, state in published:
        members = [r for r in moments[index] if r.panel is state.panel and r.ratings]
        for scope in state.scopes:
            here = [r for r in members if not scope.scope or r.subgroup == scope.scope]
            if scope.n is not None:
                assert scope.n == len(here) >= k
            for code, shown in scope.competencies:
                if shown is not None:  # oracle: the same figure computed naively
                    assert shown == distribution(r.ratings[code] for r in here if code in r.ratings)
                    assert shown.n >= k  # one answer per person per competency
            for category, shown in scope.categories:
                if shown is not None:
                    codes = [i.code for i in ITEMS if i.category == category]
                    assert len([r for r in here if any(c in r.ratings for c in codes)]) >= k
            for shared in scope.trainings:
                assert shared.ready == sum(1 for r in here if shared.role in r.plan_trainings)
                assert shared.ready >= k
            if scope.bridges is not None:
                assert len(here) >= k
                for bridge in scope.bridges:
                    assert bridge.ready == sum(1 for r in here if bridge.role in r.ready_roles) > 0
    for _, view in _displays(moments, published, k):
        for count in (view.assistants, view.managers):
            assert count is None or count >= k


@settings(max_examples=120, deadline=None)
@given(histories(), st.sampled_from((3, 4, 5)))
def test_no_two_displays_differ_by_fewer_than_k_people(
    moments: list[list[Response]], k: int
) -> None:
    """Across time (every published state), sub-groups and the whole group, categories and
    their competencies: any ±1 combination of the shown figures' answer cells covers at
    least k people or none. The cells are the rule's own (`state_candidates`): this checks
    the atoms against brute force; whether the cells are the right ones is checked by the
    raw-answer oracle, `test_any_two_shown_figures_differ_by_no_one_or_at_least_k_people`."""
    published = _run(moments, k)
    shown: dict[tuple[str, str], list[frozenset[Cell]]] = {}
    for index, (_, state) in enumerate(published):
        for c in state_candidates(
            f"s{index}", state.panel, state.traces, state.items, state.subgroups
        ):
            assert isinstance(c.key, FigureKey)
            if c.key.inside() in state.shown:
                shown.setdefault((state.panel.value, c.key.item), []).append(c.cells)
                shown.setdefault((state.panel.value, f"state{index}:{c.key.scope}"), []).append(
                    c.cells
                )
    for family in shown.values():
        _check_no_deduction(family, k, limit=5)
    # consecutive states of a panel: at least k people changed in between
    for panel in Panel:
        chain = [s for _, s in published if s.panel is panel]
        for before, after in zip(chain, chain[1:], strict=False):
            assert changed_people(before.traces, after.traces) >= k


Contribution = frozenset[tuple[Hashable, ...]]


def _contributions(
    responses: Sequence[Response], panel: Panel, scope: str, item: str, figure_panel: str
) -> dict[str, Contribution]:
    """The oracle's own reading of one shown figure, from the raw answers of its moment: what
    each person puts into it (levels, roles, trainings) — no cell, no mark, no trace."""
    found: dict[str, Contribution] = {}
    for r in responses:
        if r.panel is not panel or not r.ratings or (scope and r.subgroup != scope):
            continue
        facts: set[tuple[Hashable, ...]] = set()
        if item == "n":
            facts.add(("#",))
        elif figure_panel == BRIDGES and item == READY:
            facts.add((READY, frozenset(r.ready_roles)))
        elif figure_panel == BRIDGES:
            if item[len(PLAN) :] in r.plan_trainings:
                facts.add((item,))
        elif item.startswith("c:"):
            code = item[2:]
            if code in r.ratings:
                facts.add((code, r.ratings[code]))
        else:  # k:<category>
            category = item[2:]
            facts.update(
                (i.code, r.ratings[i.code])
                for i in ITEMS
                if i.category == category and i.code in r.ratings
            )
        if facts:
            found[r.person] = frozenset(facts)
    return found


def _differing(a: dict[str, Contribution], b: dict[str, Contribution]) -> set[str]:
    return {p for p in a.keys() | b.keys() if a.get(p) != b.get(p)}


@settings(max_examples=250, deadline=None)
@given(histories(), st.sampled_from((3, 4, 5)))
def test_any_two_shown_figures_differ_by_no_one_or_at_least_k_people(
    moments: list[list[Response]], k: int
) -> None:
    """The independent oracle: for every figure any published state shows (every state,
    scope, category, competency, count, bridge, shared training), what each person
    contributes is read from the raw answers of the moment it was published; for any two
    shown figures, the people whose contribution differs are nobody or at least k. Histories
    mix arrivals, departures, new answers, one answer changed while others only moved
    through the pages (their assessment's version changes, not their answers)."""
    published = _run(moments, k)
    shown: list[tuple[str, dict[str, Contribution]]] = []
    for index, (moment, state) in enumerate(published):
        for key in sorted(state.shown, key=repr):
            label = f"s{index}:{key.scope}:{key.panel}:{key.item}"
            shown.append(
                (
                    label,
                    _contributions(moments[moment], state.panel, key.scope, key.item, key.panel),
                )
            )
    for (label_a, a), (label_b, b) in itertools.combinations(shown, 2):
        differing = _differing(a, b)
        assert not differing or len(differing) >= k, (label_a, label_b, sorted(differing))


@settings(max_examples=200, deadline=None)
@given(histories(), st.lists(st.sampled_from((3, 4, 5, 6)), min_size=5, max_size=5))
def test_a_threshold_raised_within_a_history_still_protects_every_earlier_figure(
    moments: list[list[Response]], raised: list[int]
) -> None:
    """The deployment's k rises between dates (never falls): figures published under the
    old, smaller k are never judged again and never dropped from the check, so any two shown
    figures still differ by nobody or by at least the smaller of the two states' k (the
    raw-answer oracle, as above)."""
    ks = list(itertools.accumulate(raised, max))
    published: list[tuple[int, int, PanelState]] = []
    for index, responses in enumerate(moments):
        for panel in Panel:
            earlier = [s for _, _, s in published if s.panel is panel]
            fresh = publish_state(earlier, responses, panel, ITEMS, ks[index], SUBGROUPS)
            if fresh is not None:
                published.append((index, ks[index], fresh))
    shown: list[tuple[str, int, dict[str, Contribution]]] = []
    for index, (moment, k, state) in enumerate(published):
        for key in sorted(state.shown, key=repr):
            figure = _contributions(moments[moment], state.panel, key.scope, key.item, key.panel)
            shown.append((f"s{index}:{key.scope}:{key.panel}:{key.item}", k, figure))
    for (label_a, k_a, a), (label_b, k_b, b) in itertools.combinations(shown, 2):
        differing = _differing(a, b)
        assert not differing or len(differing) >= min(k_a, k_b), (label_a, label_b, differing)


def test_raising_k_keeps_the_figures_published_under_the_old_one_in_the_check() -> None:
    """The reviewer's sequence: three assistants published at k=3; the deployment's k rises
    to 5; they change another answer only, two join. The new state may not show a1 as
    (0,0,3,0,2): minus the earlier (0,0,3,0,0) it would give the two newcomers' levels."""
    first = [_assistant(p, {"a1": 2, "a2": 2, "b1": 2}) for p in PERSONS[:3]]
    states = [s for s in _publish([], first, k=3) if s.panel is Panel.ASSISTANT]
    assert len(states) == 1 and dict(states[0].scopes[0].competencies)["a1"] is not None
    later = [_assistant(p, {"a1": 2, "a2": 2, "b1": 1}) for p in PERSONS[:3]]
    later += [_assistant("p3", {"a1": 4, "a2": 0, "b1": 4})]
    later += [_assistant("p4", {"a1": 4, "a2": 1, "b1": 4})]
    fresh = publish_state(states, later, Panel.ASSISTANT, ITEMS, 5, SUBGROUPS)
    if fresh is not None:
        a1 = dict(fresh.scopes[0].competencies)["a1"]
        assert a1 is None or a1.counts[4] != 2


def test_one_changed_answer_and_four_who_only_moved_through_pages_publish_nothing() -> None:
    """The reviewer's attack: ten assistants; p0 changes a1 2→3 while p1–p4 only move
    through the pages. Five people have a new assessment version, one a new answer: no new
    state. Four others then change b1: five changes, a new state — but a1, changed for one
    person, is not shown in it (nor its category)."""
    base = [_assistant(p, {"a1": 2, "b1": 2}) for p in PERSONS[:10]]
    states = _publish([], base)
    assert dict(states[0].scopes[0].competencies)["a1"] == distribution([2] * 10)
    moved = [
        _assistant("p0", {"a1": 3, "b1": 2}, version="2"),
        *(replace(r, version="2") for r in base[1:5]),
        *base[5:],
    ]
    assert _publish(states, moved) == states
    others = [*moved[:5], *(_assistant(r.person, {"a1": 2, "b1": 3}) for r in moved[5:9])]
    others.append(moved[9])
    grown = _publish(states, others)
    assert len(grown) == 2
    figures = dict(grown[1].scopes[0].competencies)
    assert figures["a1"] is None and dict(grown[1].scopes[0].categories)["A"] is None


def _assistant(
    person: str, ratings: dict[str, int], ready: frozenset[str] = frozenset(), version: str = "1"
) -> Response:
    return marked(Response(person, Panel.ASSISTANT, ratings, ready_roles=ready, version=version))


def _view(
    states: list[PanelState], responses: list[Response], k: int = 5, scope: str = ""
) -> ScopeView:
    def last(panel: Panel) -> PanelState | None:
        found = [s for s in states if s.panel is panel]
        return found[-1] if found else None

    return scope_view(
        "d",
        scope,
        ITEMS,
        in_force(last(Panel.ASSISTANT), responses, k, scope),
        in_force(last(Panel.MANAGER), responses, k, scope),
    )


def _publish(states: list[PanelState], responses: list[Response], k: int = 5) -> list[PanelState]:
    found = list(states)
    for panel in Panel:
        fresh = publish_state(
            [s for s in found if s.panel is panel], responses, panel, ITEMS, k, SUBGROUPS
        )
        if fresh is not None:
            found.append(fresh)
    return found


def test_aggregates_appear_from_the_fifth_respondent() -> None:
    people_ = [_assistant(p, {"a1": 3, "a2": 1, "b1": 2}, frozenset({"r1"})) for p in PERSONS[:5]]
    managers = [
        Response(p, Panel.MANAGER, {"a1": 4, "a2": 3, "b1": 2}, version="1") for p in PERSONS[6:11]
    ]
    states = _publish([], people_[:4] + managers)
    four = _view(states, people_[:4] + managers)
    assert four.assistants is None and four.managers == 5
    assert all(f.today is None and f.gap is None for f in four.competencies)
    assert four.bridges is None and four.strengths == ()
    states = _publish(states, people_ + managers)
    five = _view(states, people_ + managers)
    assert five.assistants == 5
    a1 = next(f for f in five.competencies if f.code == "a1")
    assert a1.today is not None and a1.today.counts == (0, 0, 0, 5, 0)
    assert a1.gap == 1.0
    a2 = next(f for f in five.competencies if f.code == "a2")
    assert a2.gap == 2.0
    assert five.rising == ("a2", "a1")  # b1: need equals today's level
    assert five.strengths == ("a1",)
    assert five.bridges is not None and [(b.role, b.ready) for b in five.bridges] == [("r1", 5)]
    category_a = next(c for c in five.categories if c.category == "A")
    assert category_a.today is not None and category_a.today.mean == 2.0


def test_looking_before_and_after_one_change_shows_the_same_numbers() -> None:
    """The leak of separate views: one joins, one leaves, one re-assesses — each time the
    organiser looks again, and sees exactly what was shown before."""
    base = [_assistant(p, {"a1": 2, "a2": 2}) for p in PERSONS[:6]]
    states = _publish([], base)
    first = _view(states, base)
    assert first.assistants == 6
    for after in (
        [*base, _assistant("p6", {"a1": 4, "a2": 0})],  # joins
        base[1:],  # leaves
        [_assistant("p0", {"a1": 4, "a2": 4}, version="2"), *base[1:]],  # re-assesses
    ):
        states_after = _publish(states, after)
        assert states_after == states  # nothing new published
        assert _view(states_after, after) == first


def test_two_dates_are_compared_only_through_published_states() -> None:
    """Differencing across two dates: four newcomers — still the first state; the fifth
    publishes a new one. Re-assessments likewise: a state of ten changes when five of them
    re-assess (and five stay as they were), never for four."""
    base = [_assistant(p, {"a1": 2}) for p in PERSONS[:5]]
    states = _publish([], base)
    four = [*base, *(_assistant(p, {"a1": 0}) for p in PERSONS[5:9])]
    assert _publish(states, four) == states
    five = [*four, _assistant("p9", {"a1": 1})]
    grown = _publish(states, five)
    assert len(grown) == 2
    assert changed_people(grown[0].traces, grown[1].traces) == 5
    a1 = dict(grown[1].scopes[0].competencies)["a1"]
    assert a1 is not None and a1.n == 10 and a1.counts == (4, 1, 5, 0, 0)
    redone = [_assistant(r.person, {"a1": 4}, version="2") for r in five[:4]] + five[4:]
    assert _publish(grown, redone) == grown
    redone = [_assistant(r.person, {"a1": 4}, version="2") for r in five[:5]] + five[5:]
    again = _publish(grown, redone)
    assert len(again) == 3
    a1 = dict(again[2].scopes[0].competencies)["a1"]
    assert a1 is not None and a1.counts == (4, 1, 0, 0, 5)


def test_a_subgroup_one_person_short_of_the_whole_group_is_suppressed() -> None:
    """Differencing across sub-groups: the whole group minus « s1 » would be one person."""
    people_ = [
        Response(p, Panel.ASSISTANT, {"a1": 2}, "s1" if i < 5 else "s2", version="1")
        for i, p in enumerate(PERSONS[:6])
    ]
    states = _publish([], people_)
    assert _view(states, people_).assistants == 6
    assert _view(states, people_, scope="s1").assistants is None
    assert _view(states, people_, scope="s2").assistants is None


def test_departures_under_k_show_nothing_and_returns_show_the_last_state() -> None:
    base = [_assistant(p, {"a1": 2}) for p in PERSONS[:5]]
    states = _publish([], base)
    assert _view(states, base).assistants == 5
    assert _view(_publish(states, base[:4]), base[:4]).assistants is None
    assert _view(states, [*base[:4], _assistant("p9", {"a1": 1})]).assistants == 5


def test_a_person_who_rejoins_counts_as_someone_else_and_is_still_isolated() -> None:
    """Leaving and rejoining makes a new membership id each time. One device does it five
    times, with new answers each time, and the group looks after every step: the changes
    since the last state never exceed that device's old and new ids (two people by count),
    no state is ever published, and the group always sees the first one."""
    base = [_assistant(p, {"a1": 2}) for p in PERSONS[:6]]
    states = _publish([], base)
    first = _view(states, base)
    assert first.assistants == 6
    for cycle in range(1, 6):
        left = base[:5]  # p5 leaves…
        states = _publish(states, left)
        assert _view(states, left) == first
        again = [*left, _assistant(f"p5-again-{cycle}", {"a1": cycle % 5})]  # … and rejoins
        states = _publish(states, again)
        assert _view(states, again) == first
        assert changed_people(states[0].traces, (trace_of(r) for r in again)) == 2
    assert len(states) == 1


def test_the_deployment_threshold_is_configurable_and_never_below_three() -> None:
    from careerpath.config import load_settings

    assert load_settings({}).anonymity_k == 5
    assert load_settings({"CAREERPATH_ANONYMITY_K": "7"}).anonymity_k == 7
    assert load_settings({"CAREERPATH_ANONYMITY_K": "2"}).anonymity_k == 3
    assert load_settings({"CAREERPATH_ANONYMITY_K": "cinq"}).anonymity_k == 5


@pytest.mark.parametrize("bad", ["inf", "-inf", "nan", "-3", "1e300", "demain"])
def test_a_bad_interval_or_delay_falls_back_to_a_day_with_a_warning(
    bad: str, caplog: pytest.LogCaptureFixture
) -> None:
    """`timedelta(hours=inf)` would make every group view fail: a setting in hours that is
    not a finite number between 0 and ten years is refused, named in a warning, and the
    default (24 h) applies."""
    from careerpath.config import _warn_once, load_settings

    _warn_once.cache_clear()  # reported once per process: this test wants to see it
    for name, field_ in (
        ("CAREERPATH_COLLECTIVE_INTERVAL_HOURS", "collective_interval_h"),
        ("CAREERPATH_COLLECTIVE_JOIN_DELAY_HOURS", "collective_join_delay_h"),
    ):
        with caplog.at_level(logging.WARNING, logger="careerpath.config"):
            settings_ = load_settings({name: bad})
        assert getattr(settings_, field_) == 24.0
        assert any(name in r.getMessage() and bad in r.getMessage() for r in caplog.records)
        timedelta(hours=getattr(settings_, field_))  # usable
    good = load_settings({"CAREERPATH_COLLECTIVE_INTERVAL_HOURS": "0.5"})
    assert good.collective_interval_h == 0.5 and good.collective_join_delay_h == 24.0


def test_each_contribution_is_marked_by_its_own_content_only() -> None:
    """The service's marks (`Response.marks`): a changed level changes that answer's mark
    only; readiness and plan trainings are marked by what they are (the same roles after a
    referential update: the same mark), the whole figure a function of its cells."""
    from careerpath.services.collective.groups import _marks, _text_mark

    before = _marks("g", "m", {"a1": 2, "a2": 3}, frozenset({"r1"}), frozenset({"t1"}), True)
    after = _marks("g", "m", {"a1": 3, "a2": 3}, frozenset({"r1"}), frozenset({"t1"}), True)
    assert before == _marks(
        "g", "m", {"a2": 3, "a1": 2}, frozenset({"r1"}), frozenset({"t1"}), True
    )
    assert {c for c in before if before[c] != after[c]} == {"a1"}
    changed = _marks("g", "m", {"a1": 2, "a2": 3}, frozenset({"r1", "r2"}), frozenset(), True)
    assert {c for c in before.keys() | changed.keys() if before.get(c) != changed.get(c)} == {
        READY,
        PLAN + "t1",
    }
    assert _marks("g", "other", {"a1": 2}, frozenset(), frozenset(), True)["a1"] != before["a1"]
    assert READY not in _marks("g", "m", {"a1": 2}, frozenset(), frozenset(), False)
    assert len(before["a1"]) == 16 and before["a1"] != "2"  # a digest, not the level
    assert _text_mark("g", "m", "") == {}
    assert _text_mark("g", "m", "Un club") != _text_mark("g", "m", "Un réseau")


def test_a_stored_state_reads_back_as_it_was_published() -> None:
    from careerpath.services.collective.states import RetiredState, dump, load, retired

    people_ = [_assistant(p, {"a1": 2, "b1": 3}, frozenset({"r1"})) for p in PERSONS[:6]]
    people_ = [replace(r, text=f"mot {r.person}") for r in people_]
    state = publish_state([], [marked(r) for r in people_], Panel.ASSISTANT, ITEMS, 5)
    assert state is not None and len(state.texts) == 6
    assert load(dump(state)) == state
    # a state stored before contributions were marked with the key can never match today's
    # marks: it is retired, never read back to check a new state against
    old = '{"panel": "assistant", "items": [["a1", "A"]], "subgroups": [], "traces": '
    old += '[["p0", "", "v1", ["a1"]]], "shown": [], "scopes": []}'
    assert retired(old) and not retired(dump(state))
    with pytest.raises(RetiredState):
        load(old)


def test_a_stored_state_tells_no_level_nor_training_without_the_deployment_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The reviewer's recovery: the traces keep the group and membership ids in clear and
    5 possible levels, so unkeyed digests of (group, member, item, level) gave every level
    back. The marks are keyed with a secret the database never holds: trying every level
    with the plain digest, or with a guessed key, recovers nothing; the trainings of one
    member's plan are not in clear either."""
    import hashlib
    import hmac
    import json

    from careerpath.services.collective.groups import _marks, _names, _text_mark
    from careerpath.services.collective.states import dump

    monkeypatch.setenv("CAREERPATH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CAREERPATH_COLLECTIVE_SECRET", "la clé du déploiement, hors base")
    members = [f"member-{i}" for i in range(5)]
    levels = {p: {"a1": i % 5, "a2": (i * 3) % 5, "b1": 4 - i % 5} for i, p in enumerate(members)}
    responses = []
    for i, p in enumerate(members):
        plan = frozenset({"TRN-EXCEL"}) if i == 2 else frozenset()
        marks = _marks("grp", p, levels[p], frozenset(), plan, True) | _text_mark("grp", p, "")
        responses.append(
            Response(
                p,
                Panel.ASSISTANT,
                levels[p],
                plan_trainings=plan,
                marks=marks,
                names=_names("grp", plan),
            )
        )
    state = publish_state([], responses, Panel.ASSISTANT, ITEMS, 5)
    assert state is not None
    body = dump(state)
    assert "TRN-EXCEL" not in body  # one member's plan: neither a figure nor in a trace
    assert "la clé" not in body

    def plain(*parts: object) -> str:
        return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:16]

    def keyed(key: bytes, *parts: object) -> str:
        text = "|".join(map(str, parts)).encode()
        return hmac.new(key, text, hashlib.sha256).hexdigest()[:16]

    guesses = [plain] + [
        lambda *parts, key=key: keyed(key, *parts) for key in (b"", b"careerpath", b"secret")
    ]
    found = 0
    for person, _, items in json.loads(body)["traces"]:
        for entry in items:
            item, digest = entry.rsplit("@", 1)
            for guess in guesses:
                found += sum(
                    guess("collective-mark", "grp", person, item, lv) == digest for lv in range(5)
                )
    assert found == 0
    # with the key, the same marks come back: the state is checked against them next time
    again = _marks("grp", "member-1", levels["member-1"], frozenset(), frozenset(), True)
    assert again == responses[1].marks
    monkeypatch.setenv("CAREERPATH_COLLECTIVE_SECRET", "une autre clé")
    assert _marks("grp", "member-1", levels["member-1"], frozenset(), frozenset(), True) != again


def test_without_a_configured_secret_the_key_lives_in_the_data_dir_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from careerpath.config import COLLECTIVE_KEY_FILE, load_settings

    monkeypatch.delenv("CAREERPATH_COLLECTIVE_SECRET", raising=False)
    settings_ = load_settings({"CAREERPATH_DATA_DIR": str(tmp_path)})
    key = settings_.collective_key
    stored = tmp_path / COLLECTIVE_KEY_FILE
    assert len(key) == 64 and stored.read_text().strip().encode() == key
    assert stored.stat().st_mode & 0o077 == 0  # the owner's only
    assert load_settings({"CAREERPATH_DATA_DIR": str(tmp_path)}).collective_key == key
    other = load_settings({"CAREERPATH_DATA_DIR": str(tmp_path / "elsewhere")}).collective_key
    assert other != key
    configured = load_settings({"CAREERPATH_COLLECTIVE_SECRET": "partagée entre machines"})
    assert configured.collective_key == "partagée entre machines".encode()


def test_one_departure_and_four_newcomers_never_give_the_leavers_level_away() -> None:
    """Why a departure waits for k of them (the reviewer's counterexample to a rule that
    only asked every combination of figures to touch k people): p0 answered a1 at level 0,
    the nine others 2 or 3. p0 leaves and four join at 1 to 3. Published, the new state's
    a1 would go from (1,0,4,5,0) to (0,1,6,6,0): the level-0 count falls by one, and p0 is
    the only one who left — p0's level is read off, although the difference touches five
    people. Counts cannot go below zero: a difference of figures tells more than its linear
    span. Every set of cells covered by the same figures must hold k people, so nothing new
    is published until k of the earlier members have left (or nobody has)."""
    base = [_assistant("p0", {"a1": 0})]
    base += [_assistant(p, {"a1": 2 if i < 4 else 3}) for i, p in enumerate(PERSONS[1:10])]
    states = _publish([], base)
    assert dict(states[0].scopes[0].competencies)["a1"] == distribution(
        [0, 2, 2, 2, 2, 3, 3, 3, 3, 3]
    )
    after = [*base[1:], *(_assistant(f"n{i}", {"a1": 1 + i % 3}) for i in range(4))]
    assert changed_people(states[0].traces, (trace_of(r) for r in after)) == 5
    assert _publish(states, after) == states
    assert _view(states, after).assistants == 10  # the group still sees the last state
    # four more earlier members leave: five departures, their levels mixed with four others'
    later = [*after[4:], *(_assistant(f"m{i}", {"a1": i % 5}) for i in range(5))]
    grown = _publish(states, later)
    assert len(grown) == 2 and _view(grown, later).assistants == len(later)
