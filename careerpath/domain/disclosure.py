"""What a family of published sums lets anyone deduce: the check behind `collective.publishable`.

Each published figure is a sum over a set of answer cells (a distribution is one sum per
level, a count one sum of ones). Whoever reads the figures can compute every linear
combination of them — sums and differences across categories, sub-groups and dates, with any
coefficients — and nothing else. A combination tells about the people whose cells it does
not cancel (its *support*). The rule: no combination with a non-zero support of fewer than
`k` people, except those already computable from what was published before this check
began (figures published under an earlier, smaller `k` stay what they were).

## How it is checked (`Span.admit`)

Cells covered by exactly the same figures form an *atom*; every combination is constant on
each atom, so a combination that touches an atom of `k` people or more already has a
support of `k` people. Hence:

- **every atom of the figure's connected family holds at least `k` people** (or none): safe
  at once, whatever the coefficients (the common case; no arithmetic);
- otherwise, exactly, on that family's incidence matrix `M` (figures × atoms, 0/1) with
  FLINT's integer arithmetic (`python-flint`, exact ranks, no rounding): the combinations
  that cancel on every large atom form `W = rowspace(M) ∩ {x : x_big = 0}`, of dimension
  `rank(M) − rank(M_big)`. If adding the figure leaves `W` as it was, every small combination
  was already computable: safe. If not, for every set `Q` of `k − 1` people among those `W`
  touches, the combinations supported on the atoms inside `Q` must be the ones already
  computable (equal dimensions); one that is new refuses the figure. Too many such sets
  (`MAX_SUBSETS`) refuse it too, never the other way round.

This is what lets a group's figures move on after someone leaves: the departed member's
cells form an atom of one person, yet no combination isolates it while the newcomers'
cells stay together in atoms of `k` (the earlier state minus the new one leaves the one who
left *and* the newcomers). The atom rule alone froze such a group until `k` of its earlier
members had left.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import flint

Cell = tuple[str, str]
"""(person, item): one version of one person's contribution to one figure."""

MAX_BRANCHES = 40
"""At most this many branches of the exact search for one figure; beyond, it is refused."""
BUDGET = 1_500
"""The exact work one `Span` (one publication) may do, in branches of the search plus one
per `WORK_CELLS` entries of a family's matrix: past it, a figure whose family holds a small
atom is refused without a check. Deterministic (the same figures give the same state on any
machine), it bounds a publication's time whatever the history; a refused figure only waits
for a later state."""
WORK_CELLS = 500


def people(cells: Iterable[Cell]) -> int:
    """How many distinct people the cells belong to."""
    return len({person for person, _ in cells})


Rows = list[list[int]]


def _matrix(rows: Sequence[Sequence[int]], columns: Sequence[int]) -> Any:
    return flint.fmpz_mat(len(rows), len(columns), [row[c] for row in rows for c in columns])


def _rank(rows: Sequence[Sequence[int]], columns: Sequence[int]) -> int:
    if not rows or not columns:
        return 0
    return int(_matrix(rows, columns).rank())


def _basis(rows: Sequence[Sequence[int]], width: int) -> Rows:
    """Independent integer rows spanning the same space (FLINT's exact row echelon form)."""
    if not rows or not width:
        return []
    echelon, _, rank = _matrix(rows, range(width)).rref()
    return [[int(echelon[r, c]) for c in range(width)] for r in range(int(rank))]


def _vanishing(rows: Sequence[Sequence[int]], zero: Sequence[int], keep: Sequence[int]) -> Rows:
    """A basis of the combinations of `rows` that vanish on the `zero` columns, written on the
    `keep` columns."""
    if not rows:
        return []
    if not zero:
        return _basis([[row[c] for c in keep] for row in rows], len(keep))
    null, nullity = _matrix(rows, zero).transpose().nullspace()
    if not int(nullity) or not keep:
        return []
    combine = flint.fmpz_mat(
        int(nullity), len(rows), [null[r, j] for j in range(int(nullity)) for r in range(len(rows))]
    )
    product = combine * _matrix(rows, keep)
    found = [[int(product[i, c]) for c in range(len(keep))] for i in range(int(nullity))]
    return _basis(found, len(keep))


@dataclass
class Span:
    """The figures admitted so far, their atoms, and the exact check of one more."""

    k: int
    _figures: list[frozenset[Cell]] = field(default_factory=list)
    _seen: set[frozenset[Cell]] = field(default_factory=set)
    _atom_of: dict[Cell, int] = field(default_factory=dict)
    _atoms: dict[int, set[Cell]] = field(default_factory=dict)
    _figures_of: dict[int, set[int]] = field(default_factory=dict)
    """Atom → the figures covering it."""
    _atoms_of: dict[int, set[int]] = field(default_factory=dict)
    """Figure → its atoms."""
    _size: dict[int, int] = field(default_factory=dict)
    """Atom → how many people its cells belong to."""
    _next: int = 0
    spent: int = 0
    """Branches of the exact search used so far (`BUDGET`)."""

    def force(self, cells: frozenset[Cell]) -> None:
        """Admit a figure unconditionally (already published)."""
        self._add(cells, check=False)

    def admit(self, cells: frozenset[Cell]) -> bool:
        """Admit the figure if no new combination isolates fewer than `k` people."""
        return self._add(cells, check=True)

    # -- internals ---------------------------------------------------------------------

    def _add(self, cells: frozenset[Cell], check: bool) -> bool:
        if cells in self._seen:
            return True  # the same sum again tells nothing new
        touched: dict[int, set[Cell]] = {}
        fresh: set[Cell] = set()
        for cell in cells:
            atom = self._atom_of.get(cell)
            if atom is None:
                fresh.add(cell)
            else:
                touched.setdefault(atom, set()).add(cell)
        splits = {a: inside for a, inside in touched.items() if inside != self._atoms[a]}
        if check and not self._safe(touched, splits, fresh):
            return False
        self._apply(cells, touched, splits, fresh)
        return True

    def _apply(
        self,
        cells: frozenset[Cell],
        touched: dict[int, set[Cell]],
        splits: dict[int, set[Cell]],
        fresh: set[Cell],
    ) -> None:
        index = len(self._figures)
        self._figures.append(cells)
        self._seen.add(cells)
        mine: set[int] = set()
        for atom in touched:
            if atom in splits:
                inside = splits[atom]
                self._atoms[atom] -= inside
                self._size[atom] = people(self._atoms[atom])
                new = self._new_atom(inside)
                self._figures_of[new] = set(self._figures_of[atom])
                for figure in self._figures_of[atom]:
                    self._atoms_of[figure].add(new)
                mine.add(new)
            else:
                mine.add(atom)
        if fresh:
            new = self._new_atom(fresh)
            self._figures_of[new] = set()
            mine.add(new)
        for atom in mine:
            self._figures_of[atom].add(index)
        self._atoms_of[index] = mine

    def _new_atom(self, cells: set[Cell]) -> int:
        atom = self._next
        self._next += 1
        self._atoms[atom] = cells
        self._size[atom] = people(cells)
        for cell in cells:
            self._atom_of[cell] = atom
        return atom

    def _family(self, start: Iterable[int]) -> set[int]:
        """The figures connected to the given atoms through shared atoms."""
        figures: set[int] = set()
        todo = [f for atom in start for f in self._figures_of[atom]]
        while todo:
            figure = todo.pop()
            if figure in figures:
                continue
            figures.add(figure)
            for atom in self._atoms_of[figure]:
                todo.extend(f for f in self._figures_of[atom] if f not in figures)
        return figures

    def _safe(
        self, touched: dict[int, set[Cell]], splits: dict[int, set[Cell]], fresh: set[Cell]
    ) -> bool:
        family = self._family(touched)
        old_atoms = {a for f in family for a in self._atoms_of[f]} | set(touched)
        # the refined atoms of the family: each split atom becomes (outside, inside)
        if (
            all(self._size[a] >= self.k for a in old_atoms - set(splits))
            and all(
                people(inside) >= self.k and people(self._atoms[a] - inside) >= self.k
                for a, inside in splits.items()
            )
            and (not fresh or people(fresh) >= self.k)
        ):
            return True  # every combination touches an atom of k people
        if self.spent >= BUDGET:
            return False  # this publication's search budget is spent: the figure waits
        columns: list[frozenset[Cell]] = []
        where: dict[int, list[int]] = {}
        for atom in sorted(old_atoms):
            if atom in splits:
                inside = splits[atom]
                where[atom] = [len(columns), len(columns) + 1]
                columns += [frozenset(self._atoms[atom] - inside), frozenset(inside)]
            else:
                where[atom] = [len(columns)]
                columns.append(frozenset(self._atoms[atom]))
        if fresh:
            columns.append(frozenset(fresh))
        sizes = [people(column) for column in columns]
        old_rows = []
        for figure in sorted(family):
            row = [0] * len(columns)
            for atom in self._atoms_of[figure]:
                for column in where[atom]:
                    row[column] = 1
            old_rows.append(row)
        new_row = [0] * len(columns)
        for atom in touched:
            new_row[where[atom][-1]] = 1  # the inside part (or the whole atom)
        if fresh:
            new_row[-1] = 1
        big = [c for c, size in enumerate(sizes) if size >= self.k]
        small = [c for c, size in enumerate(sizes) if size < self.k]
        self.spent += 1 + len(old_rows) * len(columns) // WORK_CELLS
        split = _split(old_rows, new_row, big, small)
        if split is None:
            return True  # no new combination cancels on the large atoms
        fresh_direction, known = split
        width = len(small)
        if _rank([*known, fresh_direction], range(width)) == _rank(known, range(width)):
            return True  # every small combination was computable before
        owners = [frozenset(person for person, _ in columns[c]) for c in small]
        search = _Search(self.k, owners, allowance=BUDGET - self.spent)
        isolating = search.isolating(fresh_direction, _related(known, fresh_direction))
        self.spent += search.branches + search.work
        return not isolating


def _split(
    old_rows: Rows, new_row: list[int], big: Sequence[int], small: Sequence[int]
) -> tuple[list[int], Rows] | None:
    """The combinations of the figures (old ones, then the new one) that cancel on the `big`
    columns, on the `small` ones: one that uses the new figure (None: there is none), and a
    basis of those the old figures alone give. One exact null space."""
    rows = [*old_rows, new_row]
    last = len(rows) - 1
    if not big:
        return [new_row[c] for c in small], _basis(
            [[r[c] for c in small] for r in old_rows], len(small)
        )
    null, nullity = _matrix(rows, big).transpose().nullspace()
    combos = [[int(null[r, j]) for r in range(len(rows))] for j in range(int(nullity))]
    pivot = next((y for y in combos if y[last]), None)
    if pivot is None:
        return None
    olds = [
        [pivot[last] * y[r] - y[last] * pivot[r] for r in range(len(rows))]
        for y in combos
        if y is not pivot
    ]
    values = _matrix(rows, small)

    def on_small(ys: Rows) -> Rows:
        if not ys:
            return []
        product = flint.fmpz_mat(len(ys), len(rows), [v for y in ys for v in y]) * values
        return [[int(product[i, c]) for c in range(len(small))] for i in range(len(ys))]

    direction = on_small([pivot])[0]
    return direction, _basis(on_small(olds), len(small))


def _related(known: Rows, direction: Sequence[int]) -> Rows:
    """The rows of `known` that can cancel part of `direction`: those connected to its
    support through shared columns. Adding any other only adds support, never removes it."""
    if not known:
        return []
    parent = list(range(len(direction)))

    def root(c: int) -> int:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for row in known:
        support = [c for c, v in enumerate(row) if v]
        for c in support[1:]:
            parent[root(c)] = root(support[0])
    reached = {root(c) for c, v in enumerate(direction) if v}
    return [row for row in known if any(v and root(c) in reached for c, v in enumerate(row))]


@dataclass
class _Search:
    """Is there a combination, not computable before, on fewer than `k` people?

    The new combinations are `t·direction + w` (t ≠ 0, `w` among those already computable,
    written on the small atoms): a coset. A person is *forced* when every element of the
    coset is non-zero on one of their atoms (the direction restricted to their atoms is no
    combination of the known rows restricted alike: two exact ranks), so they are in every
    support. Forced people of `k` or more: none isolates fewer. Otherwise an element on
    fewer than `k` people vanishes on all the atoms of at least one of any `k − |forced|`
    unforced people it touches; the search branches on which, each branch a smaller coset.
    Branches are bounded (`MAX_BRANCHES`, then the figure is refused)."""

    k: int
    owners: Sequence[frozenset[str]]
    """Each small atom's people."""
    allowance: int = BUDGET
    """What is left of the publication's budget: past it, the search refuses."""
    branches: int = 0
    work: int = 0
    """Matrix entries handled, in units of `WORK_CELLS` (counted in the publication's budget)."""

    def isolating(self, direction: Sequence[int], known: Rows) -> bool:
        return self._isolating(list(direction), known, self.owners, frozenset(), set())

    def _isolating(
        self,
        direction: list[int],
        known: Rows,
        owners: Sequence[frozenset[str]],
        left_out: frozenset[str],
        tried: set[frozenset[str]],
    ) -> bool:
        if left_out in tried:
            return False
        tried.add(left_out)
        self.branches += 1
        if self.branches > MAX_BRANCHES:
            return True  # too many to try: refused, never the other way round
        # only the columns some element touches, and the known rows that reach them
        known = _related(known, direction)
        support = [c for c in range(len(owners)) if direction[c] or any(row[c] for row in known)]
        direction = [direction[c] for c in support]
        known = [[row[c] for c in support] for row in known]
        owners = [owners[c] for c in support]
        self.work += (len(known) + 1) * len(support) // WORK_CELLS
        if self.branches + self.work > self.allowance:
            return True  # the publication's budget is spent: refused
        columns_of: dict[str, list[int]] = {}
        for c, holders in enumerate(owners):
            for person in holders:
                columns_of.setdefault(person, []).append(c)
        if len(columns_of) < self.k:
            return True  # every element lies on fewer than k people
        free = []
        forced = 0
        for person in sorted(columns_of):
            mine = columns_of[person]
            rows = [row for row in known if any(row[c] for c in mine)]
            if (
                any(direction[c] for c in mine)
                if not rows
                else _rank([direction, *rows], mine) > _rank(rows, mine)
            ):
                forced += 1
            else:
                free.append(person)
        if forced >= self.k:
            return False
        free.sort(key=lambda person: (-len(columns_of[person]), person))
        for person in free[: self.k - forced]:
            narrowed = _narrow(direction, known, columns_of[person], len(support))
            if narrowed is not None and self._isolating(
                narrowed[0], narrowed[1], owners, left_out | {person}, tried
            ):
                return True
        return False


def _narrow(
    direction: Sequence[int], known: Rows, zero: Sequence[int], width: int
) -> tuple[list[int], Rows] | None:
    """The coset's elements that vanish on the `zero` columns: a new direction and the known
    rows that vanish there (None: no element of the coset does)."""
    rows = [list(direction), *known]
    everything = range(width)
    null, nullity = _matrix(rows, zero).transpose().nullspace()
    pick = next((j for j in range(int(nullity)) if int(null[0, j])), None)
    if pick is None:
        return None
    combine = flint.fmpz_mat(1, len(rows), [null[r, pick] for r in range(len(rows))])
    product = combine * _matrix(rows, everything)
    narrowed = [int(product[0, c]) for c in everything]
    return narrowed, _vanishing(known, zero, everything)
