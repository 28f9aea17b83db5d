"""The collective diagnosis's anonymity rule (domain/collective.py) as properties.

The oracle is independent of the rule's atoms: every sum or difference (coefficients −1, 0,
+1) of published figures sharing people is computed by brute force; its non-zero cells must
belong to at least k people.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Hashable, Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from careerpath.domain.collective import (
    MIN_K,
    Candidate,
    Cell,
    FigureKey,
    Item,
    Panel,
    Response,
    candidates,
    distribution,
    effective_k,
    group_figures,
    people,
    publishable,
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


# -- the group's figures ---------------------------------------------------------------

levels = st.integers(min_value=0, max_value=4)


@st.composite
def responses(draw: st.DrawFn, persons: Sequence[str]) -> list[Response]:
    found = []
    for person in persons:
        panel = draw(st.sampled_from(list(Panel)))
        codes = draw(st.lists(st.sampled_from([i.code for i in ITEMS]), unique=True, max_size=3))
        found.append(
            Response(
                person,
                panel,
                {c: draw(levels) for c in codes},
                draw(st.sampled_from(("", *SUBGROUPS))),
                frozenset(draw(st.lists(st.sampled_from(("r1", "r2")), unique=True))),
            )
        )
    return found


@st.composite
def two_dates(draw: st.DrawFn) -> list[tuple[str, list[Response]]]:
    """A group at two dates: some left, some joined, answers may change in between."""
    before = draw(responses(draw(st.lists(st.sampled_from(PERSONS), unique=True, max_size=10))))
    kept = [r for r in before if draw(st.booleans()) or draw(st.booleans())]
    changed = [
        Response(r.person, r.panel, {**r.ratings, "a1": draw(levels)}, r.subgroup, r.ready_roles)
        if draw(st.booleans())
        else r
        for r in kept
    ]
    others = [p for p in PERSONS if p not in {r.person for r in before}]
    joined = draw(responses(draw(st.lists(st.sampled_from(others), unique=True, max_size=6))))
    return [("2026-12-01", changed + joined), ("2026-06-01", before)]


def _cells_of(
    dates: list[tuple[str, list[Response]]], subgroups: Sequence[str]
) -> dict[Hashable, frozenset[Cell]]:
    return {c.key: c.cells for c in candidates(dates, ITEMS, subgroups)}


@settings(max_examples=120, deadline=None)
@given(two_dates(), st.sampled_from((3, 4, 5)))
def test_no_view_shows_a_number_from_fewer_than_k_people(
    dates: list[tuple[str, list[Response]]], k: int
) -> None:
    figures = group_figures(dates, ITEMS, k, SUBGROUPS)
    answers = dict(dates)
    for view in figures.views:
        members = [r for r in answers[view.date] if not view.scope or r.subgroup == view.scope]
        for panel, count in ((Panel.ASSISTANT, view.assistants), (Panel.MANAGER, view.managers)):
            if count is not None:
                assert count >= k
                assert count == sum(1 for r in members if r.panel is panel and r.ratings)
        for f in view.competencies:
            for panel, shown in ((Panel.ASSISTANT, f.today), (Panel.MANAGER, f.tomorrow)):
                if shown is None:
                    continue
                levels_now = [
                    r.ratings[f.code] for r in members if r.panel is panel and f.code in r.ratings
                ]
                assert shown == distribution(levels_now)  # oracle: the same figure, naively
                assert shown.n >= k  # one answer per person per competency
        for c in view.categories:
            codes = [i.code for i in ITEMS if i.category == c.category]
            for panel, shown in ((Panel.ASSISTANT, c.today), (Panel.MANAGER, c.tomorrow)):
                if shown is None:
                    continue
                who = [
                    r for r in members if r.panel is panel and any(x in r.ratings for x in codes)
                ]
                assert len(who) >= k
        if view.bridges is not None:
            assistants = [r for r in members if r.panel is Panel.ASSISTANT and r.ratings]
            assert len(assistants) >= k
            for bridge in view.bridges:
                assert bridge.ready == sum(1 for r in assistants if bridge.role in r.ready_roles)
                assert bridge.ready > 0


@settings(max_examples=80, deadline=None)
@given(two_dates(), st.sampled_from((3, 4, 5)))
def test_differencing_across_dates_and_subgroups_never_isolates_fewer_than_k(
    dates: list[tuple[str, list[Response]]], k: int
) -> None:
    """For each competency of each panel: the figures shown at both dates, for the whole group
    and each sub-group; and each category with its competencies at one date and scope."""
    figures = group_figures(dates, ITEMS, k, SUBGROUPS)
    cells = _cells_of(dates, SUBGROUPS)
    shown_keys: set[Hashable] = set()
    for view in figures.views:
        for f in view.competencies:
            if f.today is not None:
                shown_keys.add(FigureKey(view.date, view.scope, "assistant", f"c:{f.code}"))
            if f.tomorrow is not None:
                shown_keys.add(FigureKey(view.date, view.scope, "manager", f"c:{f.code}"))
        for c in view.categories:
            if c.today is not None:
                shown_keys.add(FigureKey(view.date, view.scope, "assistant", f"k:{c.category}"))
            if c.tomorrow is not None:
                shown_keys.add(FigureKey(view.date, view.scope, "manager", f"k:{c.category}"))
    for panel in ("assistant", "manager"):
        for item in ITEMS:
            family = [
                cells[key]
                for key in shown_keys
                if isinstance(key, FigureKey)
                and key.panel == panel
                and key.item == f"c:{item.code}"
            ]
            _check_no_deduction(family, k, limit=6)
        for view in figures.views:
            family = [
                cells[key]
                for key in shown_keys
                if isinstance(key, FigureKey)
                and (key.date, key.scope, key.panel) == (view.date, view.scope, panel)
                and key.item[2:] in {"A", "a1", "a2"}
            ]
            _check_no_deduction(family, k, limit=4)


def _assistant(
    person: str, ratings: dict[str, int], ready: frozenset[str] = frozenset()
) -> Response:
    return Response(person, Panel.ASSISTANT, ratings, ready_roles=ready)


def test_aggregates_appear_from_the_fifth_respondent() -> None:
    people_ = [_assistant(p, {"a1": 3, "a2": 1, "b1": 2}, frozenset({"r1"})) for p in PERSONS[:5]]
    managers = [Response(p, Panel.MANAGER, {"a1": 4, "a2": 3, "b1": 2}) for p in PERSONS[6:11]]
    four = group_figures([("d", people_[:4] + managers)], ITEMS, 5).view("d")
    assert four.assistants is None and four.managers == 5
    assert all(f.today is None and f.gap is None for f in four.competencies)
    assert four.bridges is None and four.strengths == ()
    five = group_figures([("d", people_ + managers)], ITEMS, 5).view("d")
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


def test_one_person_joining_between_two_dates_hides_the_older_figure() -> None:
    before = [_assistant(p, {"a1": 2}) for p in PERSONS[:5]]
    after = [*before, _assistant("p5", {"a1": 4})]
    figures = group_figures([("now", after), ("then", before)], ITEMS, 5)
    now_a1 = next(f for f in figures.view("now").competencies if f.code == "a1")
    then_a1 = next(f for f in figures.view("then").competencies if f.code == "a1")
    assert now_a1.today is not None and then_a1.today is None
    assert figures.view("then").assistants is None
    # five joining at once: both dates shown (the newcomers are five)
    more = [*before, *(_assistant(p, {"a1": 4}) for p in PERSONS[5:10])]
    figures = group_figures([("now", more), ("then", before)], ITEMS, 5)
    then_a1 = next(f for f in figures.view("then").competencies if f.code == "a1")
    assert then_a1.today is not None


def test_the_deployment_threshold_is_configurable_and_never_below_three() -> None:
    from careerpath.config import load_settings

    assert load_settings({}).anonymity_k == 5
    assert load_settings({"CAREERPATH_ANONYMITY_K": "7"}).anonymity_k == 7
    assert load_settings({"CAREERPATH_ANONYMITY_K": "2"}).anonymity_k == 3
    assert load_settings({"CAREERPATH_ANONYMITY_K": "cinq"}).anonymity_k == 5
