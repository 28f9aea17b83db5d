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

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import flint

Cell = tuple[str, str]
"""(person, item): one version of one person's contribution to one figure."""

MAX_SUBSETS = 4000
"""At most this many sets of `k − 1` people are tried; beyond, the figure is refused."""


def people(cells: Iterable[Cell]) -> int:
    """How many distinct people the cells belong to."""
    return len({person for person, _ in cells})


def _rank(rows: Sequence[Sequence[int]], columns: Sequence[int]) -> int:
    if not rows or not columns:
        return 0
    matrix = flint.fmpz_mat(len(rows), len(columns), [row[c] for row in rows for c in columns])
    return int(matrix.rank())


def _cancelling(
    rows: Sequence[Sequence[int]], big: Sequence[int], small: Sequence[int]
) -> list[list[int]]:
    """A spanning set of W (the combinations of `rows` that cancel on the `big` columns),
    written on the `small` columns."""
    if not rows or not small:
        return []
    if not big:
        return [[row[c] for c in small] for row in rows]
    transposed = flint.fmpz_mat(
        len(big), len(rows), [rows[r][b] for b in big for r in range(len(rows))]
    )
    basis, nullity = transposed.nullspace()
    found: list[list[int]] = []
    for j in range(int(nullity)):
        y = [int(basis[r, j]) for r in range(len(rows))]
        found.append([sum(y[r] * rows[r][c] for r in range(len(rows))) for c in small])
    return found


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
        new_rows = [*old_rows, new_row]
        big = [c for c, size in enumerate(sizes) if size >= self.k]
        small = [c for c, size in enumerate(sizes) if size < self.k]
        everything = list(range(len(columns)))

        def dim_w(rows: Sequence[Sequence[int]]) -> int:
            return _rank(rows, everything) - _rank(rows, big)

        if dim_w(new_rows) == dim_w(old_rows):
            return True  # every small combination was computable before
        w_new = _cancelling(new_rows, big, small)
        w_old = _cancelling(old_rows, big, small)
        local = list(range(len(small)))
        touched_people = sorted(
            {
                person
                for i, c in enumerate(small)
                if any(v[i] for v in w_new)
                for person, _ in columns[c]
            }
        )
        if len(touched_people) < self.k:
            return False  # W grew, and all of it lies on fewer than k people
        owners = [frozenset(person for person, _ in columns[c]) for c in small]
        subsets = itertools.combinations(touched_people, self.k - 1)
        dim_new, dim_old = _rank(w_new, local), _rank(w_old, local)
        tried: set[frozenset[int]] = set()
        for count, chosen in enumerate(subsets):
            if count >= MAX_SUBSETS:
                return False
            group = set(chosen)
            within = frozenset(i for i in local if owners[i] <= group)
            if not within or within in tried:
                continue
            tried.add(within)
            rest = [i for i in local if i not in within]
            grown = dim_new - _rank(w_new, rest)
            before = dim_old - _rank(w_old, rest)
            if grown > before:
                return False
        return True
