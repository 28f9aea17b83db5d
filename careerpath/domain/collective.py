"""Collective diagnosis: a group's figures, and the anonymity rule every figure goes through.

A group (a service, a team, a cohort, a club) has two panels answering the same competency
questions: the **assistants** (their level today) and the **people they work for** (the level
needed tomorrow). The group sees, per category and competency, the distribution of both, the
collective gap (tomorrow's need minus today's level), the needs that rise, its strengths and
how many members could move to each role — never one person's answers.

## The anonymity rule (`publishable`, the one function that decides)

Every figure is a *candidate*: a key (what it is) and the answer cells it is computed from,
a cell being `(person, item)` — one person's answer to one competency (a category's figure
is computed from the cells of its competencies). Cells ignore dates: a person's answer at
two dates is taken as the same cell, so a comparison of two dates is protected as if nobody
had changed their answers (the worst case for differencing).

Candidates are taken in order of importance and one is published only when, together with
those already published, every *atom* — the cells covered by exactly the same published
figures — holds the answers of at least `k` distinct people (or none). Any sum or difference
of published figures is a union of atoms, so:

- no published figure is computed from fewer than `k` people;
- no combination of published figures (a category minus its other competencies, the whole
  group minus a sub-group, one date minus another) isolates fewer than `k` people: the
  figure that would complete such a deduction is suppressed too (complementary suppression).

`k` is 5 by default, configurable per deployment and per group, never below `MIN_K` (3).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from careerpath.domain.access import Actor, Role

MIN_K = 3
DEFAULT_K = 5
MAX_LEVEL = 4
STRENGTH_MIN = 3.0
"""A competency the assistants hold at « Maîtrise » on average is a strength of the group."""
PRACTICE_MIN = 2.0
"""Without any, what the group does on its own (« Application ») is named instead."""
RISING_GAP = 0.5
"""Tomorrow's need at least half a level above today's level: a rising need."""

Cell = tuple[str, str]
"""(person, item): one person's answer to one question."""


def effective_k(*values: int | None) -> int:
    """The threshold in force: the largest of those given, never below `MIN_K`."""
    return max([MIN_K, *(v for v in values if v is not None)])


class Panel(StrEnum):
    ASSISTANT = "assistant"
    """The assistants: their level today."""
    MANAGER = "manager"
    """The people they work for: the level they will need tomorrow."""


@dataclass(frozen=True)
class Candidate:
    """A figure that could be shown, and the answer cells it is computed from."""

    key: Hashable
    cells: frozenset[Cell]


def people(cells: Iterable[Cell]) -> int:
    """How many distinct people the cells belong to."""
    return len({person for person, _ in cells})


def publishable(candidates: Iterable[Candidate], k: int) -> frozenset[Hashable]:
    """THE anonymity rule: the keys of the candidates that may be shown, in order of importance.

    A candidate is kept when it and the ones kept before leave every atom (cells covered by
    exactly the same kept figures) with the answers of at least `k` people, or none.
    """
    k = effective_k(k)
    atom_of: dict[Cell, int] = {}
    atoms: dict[int, set[Cell]] = {}
    kept: list[Hashable] = []
    next_atom = 0
    for candidate in candidates:
        if people(candidate.cells) < k:
            continue
        touched: dict[int, set[Cell]] = {}
        fresh: set[Cell] = set()
        for cell in candidate.cells:
            atom = atom_of.get(cell)
            if atom is None:
                fresh.add(cell)
            else:
                touched.setdefault(atom, set()).add(cell)
        safe = not fresh or people(fresh) >= k
        splits = [(atom, inside) for atom, inside in touched.items() if inside != atoms[atom]]
        for atom, inside in splits:
            if not safe:
                break
            safe = people(inside) >= k and people(atoms[atom] - inside) >= k
        if not safe:
            continue
        for atom, inside in splits:
            atoms[atom] -= inside
            atoms[next_atom] = inside
            for cell in inside:
                atom_of[cell] = next_atom
            next_atom += 1
        if fresh:
            atoms[next_atom] = fresh
            for cell in fresh:
                atom_of[cell] = next_atom
            next_atom += 1
        kept.append(candidate.key)
    return frozenset(kept)


# -- who sees a group's figures -------------------------------------------------------


@dataclass(frozen=True)
class GroupFacts:
    organiser_id: str | None
    structure_id: int | None


def organiser_may(actor: Actor, facts: GroupFacts) -> bool:
    """The group's figures, plan and exports: its organiser, or a manager of the structure
    it belongs to. Nobody ever sees one member's answers (there is no such view)."""
    account = actor.account
    if account is None:
        return False
    if facts.organiser_id is not None and account.id == facts.organiser_id:
        return True
    return (
        account.role is Role.STRUCTURE_ADMIN
        and facts.structure_id is not None
        and account.structure_id == facts.structure_id
    )


# -- the group's figures ----------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    """One member's answers at one date (`person` is opaque: a membership id)."""

    person: str
    panel: Panel
    ratings: Mapping[str, int]
    subgroup: str = ""
    ready_roles: frozenset[str] = frozenset()
    """Assistants: the roles the engine says they are ready for (« prêt·e maintenant »)."""


@dataclass(frozen=True)
class Item:
    """A competency question and its category."""

    code: str
    category: str


@dataclass(frozen=True)
class Distribution:
    """How many answers at each level 0–4, and their mean."""

    counts: tuple[int, ...]

    @property
    def n(self) -> int:
        return sum(self.counts)

    @property
    def mean(self) -> float:
        return sum(level * c for level, c in enumerate(self.counts)) / max(self.n, 1)


def distribution(levels: Iterable[int]) -> Distribution:
    counts = [0] * (MAX_LEVEL + 1)
    for level in levels:
        counts[max(0, min(int(level), MAX_LEVEL))] += 1
    return Distribution(tuple(counts))


def _gap(today: Distribution | None, tomorrow: Distribution | None) -> float | None:
    if today is None or tomorrow is None:
        return None
    return tomorrow.mean - today.mean


@dataclass(frozen=True)
class CompetencyFigures:
    code: str
    category: str
    today: Distribution | None
    """The assistants' levels today (None: not shown, too few people or deducible)."""
    tomorrow: Distribution | None
    """The level the people they work for will need tomorrow."""

    @property
    def gap(self) -> float | None:
        """The collective gap: tomorrow's need minus today's level (both shown), in levels."""
        return _gap(self.today, self.tomorrow)


@dataclass(frozen=True)
class CategoryFigures:
    category: str
    today: Distribution | None
    tomorrow: Distribution | None

    @property
    def gap(self) -> float | None:
        return _gap(self.today, self.tomorrow)


@dataclass(frozen=True)
class Bridge:
    """How many members could move to a role now (the engine's « prêt·e maintenant »)."""

    role: str
    ready: int


@dataclass(frozen=True)
class ScopeView:
    """The figures of one scope (the whole group, "", or a sub-group) at one date."""

    date: str
    scope: str
    assistants: int | None
    """How many assistants answered (None: fewer than k, or deducible)."""
    managers: int | None
    categories: tuple[CategoryFigures, ...]
    competencies: tuple[CompetencyFigures, ...]
    strengths: tuple[str, ...]
    """Competency codes, strongest first (assistants' mean ≥ `strengths_level`)."""
    strengths_level: float
    rising: tuple[str, ...]
    """Competency codes whose need tomorrow is ≥ `RISING_GAP` above today, largest first."""
    bridges: tuple[Bridge, ...] | None
    """Roles at least one member could move to now, most members first (None: not shown)."""

    @property
    def anything_shown(self) -> bool:
        return self.assistants is not None or self.managers is not None


@dataclass(frozen=True)
class GroupFigures:
    k: int
    views: tuple[ScopeView, ...]

    def view(self, date: str, scope: str = "") -> ScopeView:
        return next(v for v in self.views if v.date == date and v.scope == scope)


@dataclass(frozen=True)
class FigureKey:
    date: str
    scope: str
    panel: str
    """`assistant`, `manager`, or `bridges`."""
    item: str
    """`n` (respondents), `c:<competency>`, `k:<category>` or `ready`."""


BRIDGES = "bridges"


def _in_scope(responses: Sequence[Response], scope: str) -> list[Response]:
    return [r for r in responses if not scope or r.subgroup == scope]


def candidates(
    dates: Sequence[tuple[str, Sequence[Response]]],
    items: Sequence[Item],
    subgroups: Sequence[str] = (),
) -> list[Candidate]:
    """Every figure the group's views could show, most important first: the dates in the
    order given (the most recent first), the whole group before its sub-groups, the number
    of respondents, then categories, then competencies, then the bridges."""
    categories = list(dict.fromkeys(i.category for i in items))
    found: list[Candidate] = []
    for date, responses in dates:
        for scope in ["", *subgroups]:
            members = _in_scope(responses, scope)
            for panel in (Panel.ASSISTANT, Panel.MANAGER):
                answered = [r for r in members if r.panel is panel and r.ratings]
                found.append(
                    Candidate(
                        FigureKey(date, scope, panel.value, "n"),
                        frozenset((r.person, "#") for r in answered),
                    )
                )
                for category in categories:
                    codes = [i.code for i in items if i.category == category]
                    cells = frozenset(
                        (r.person, c) for r in answered for c in codes if c in r.ratings
                    )
                    found.append(
                        Candidate(FigureKey(date, scope, panel.value, f"k:{category}"), cells)
                    )
                for item in items:
                    cells = frozenset(
                        (r.person, item.code) for r in answered if item.code in r.ratings
                    )
                    found.append(
                        Candidate(FigureKey(date, scope, panel.value, f"c:{item.code}"), cells)
                    )
            assistants = [r for r in members if r.panel is Panel.ASSISTANT and r.ratings]
            found.append(
                Candidate(
                    FigureKey(date, scope, BRIDGES, "ready"),
                    frozenset((r.person, "ready") for r in assistants),
                )
            )
    return found


def group_figures(
    dates: Sequence[tuple[str, Sequence[Response]]],
    items: Sequence[Item],
    k: int = DEFAULT_K,
    subgroups: Sequence[str] = (),
) -> GroupFigures:
    """The group's views at each date (the most recent first) and for each sub-group, every
    figure through `publishable`: what is suppressed is None, never a number."""
    k = effective_k(k)
    shown = publishable(candidates(dates, items, subgroups), k)
    categories = list(dict.fromkeys(i.category for i in items))
    views = []
    for date, responses in dates:
        for scope in ["", *subgroups]:
            members = _in_scope(responses, scope)
            views.append(_view(date, scope, members, items, categories, shown))
    return GroupFigures(k, tuple(views))


def _view(
    date: str,
    scope: str,
    members: Sequence[Response],
    items: Sequence[Item],
    categories: Sequence[str],
    shown: frozenset[Hashable],
) -> ScopeView:
    by_panel = {
        panel: [r for r in members if r.panel is panel and r.ratings]
        for panel in (Panel.ASSISTANT, Panel.MANAGER)
    }

    def figure(panel: Panel, item: str, codes: Sequence[str]) -> Distribution | None:
        if FigureKey(date, scope, panel.value, item) not in shown:
            return None
        return distribution(r.ratings[c] for r in by_panel[panel] for c in codes if c in r.ratings)

    def count(panel: Panel) -> int | None:
        if FigureKey(date, scope, panel.value, "n") not in shown:
            return None
        return len(by_panel[panel])

    category_figures = tuple(
        CategoryFigures(
            category,
            figure(Panel.ASSISTANT, f"k:{category}", codes),
            figure(Panel.MANAGER, f"k:{category}", codes),
        )
        for category in categories
        for codes in [[i.code for i in items if i.category == category]]
    )
    competency_figures = tuple(
        CompetencyFigures(
            i.code,
            i.category,
            figure(Panel.ASSISTANT, f"c:{i.code}", [i.code]),
            figure(Panel.MANAGER, f"c:{i.code}", [i.code]),
        )
        for i in items
    )
    strengths, level = strengths_of(competency_figures)
    bridges: tuple[Bridge, ...] | None = None
    if FigureKey(date, scope, BRIDGES, "ready") in shown:
        bridges = bridges_of(by_panel[Panel.ASSISTANT])
    return ScopeView(
        date=date,
        scope=scope,
        assistants=count(Panel.ASSISTANT),
        managers=count(Panel.MANAGER),
        categories=category_figures,
        competencies=competency_figures,
        strengths=strengths,
        strengths_level=level,
        rising=rising_of(competency_figures),
        bridges=bridges,
    )


def strengths_of(figures: Sequence[CompetencyFigures]) -> tuple[tuple[str, ...], float]:
    """The group's strengths among shown figures: « Maîtrise » on average, else
    « Application » (a modest group still gets its strengths named), strongest first."""
    shown = [(f.code, f.today.mean) for f in figures if f.today is not None]
    for level in (STRENGTH_MIN, PRACTICE_MIN):
        found = sorted(((-mean, code) for code, mean in shown if mean >= level))
        if found:
            return tuple(code for _, code in found), level
    return (), STRENGTH_MIN


def rising_of(figures: Sequence[CompetencyFigures]) -> tuple[str, ...]:
    """Where tomorrow's need stands at least `RISING_GAP` above today's level, largest first."""
    found = sorted(
        (-gap, f.code) for f in figures for gap in [f.gap] if gap is not None and gap >= RISING_GAP
    )
    return tuple(code for _, code in found)


def bridges_of(assistants: Sequence[Response]) -> tuple[Bridge, ...]:
    """How many assistants are ready for each role (roles with nobody ready are left out)."""
    counts: dict[str, int] = {}
    for r in assistants:
        for role in r.ready_roles:
            counts[role] = counts.get(role, 0) + 1
    return tuple(Bridge(role, n) for role, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])))
