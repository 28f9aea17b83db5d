"""Requirement matrices: the referential's roles × competencies as flat NumPy arrays.

Built once per referential version, they let the engine score every role for one person in
a few vectorised passes (ESCO has about 3,000 roles × 14,000 competencies but only 124,000
requirements, so the data is kept sparse: one entry per requirement, grouped by role).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from careerpath.domain.effort import gap_hours_array
from careerpath.domain.referential import MAX_LEVEL, Referential, Weight

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

# Requirement weights in half-units, so that weighted sums stay exact integers.
ESSENTIAL_UNITS = 2
USEFUL_UNITS = 1


@dataclass(frozen=True, eq=False)
class RequirementMatrix:
    """Every requirement as one entry (role, competency, level, essential), grouped by role.

    Roles and competencies are indexed in code order, so sorting by index breaks ties by code.
    """

    role_codes: tuple[str, ...]
    competency_codes: tuple[str, ...]
    role_index: Mapping[str, int]
    competency_index: Mapping[str, int]
    indptr: IntArray
    entry_role: IntArray
    entry_competency: IntArray
    entry_level: IntArray
    entry_essential: BoolArray
    entry_units: IntArray
    role_units: IntArray
    role_essentials: IntArray
    role_requirements: IntArray
    # Entries by competency (a CSC view): the entries requiring competency j are
    # `competency_entries[competency_indptr[j]:competency_indptr[j + 1]]`, so one person's
    # scores touch only the entries of the competencies they rated.
    competency_indptr: IntArray
    competency_entries: IntArray
    role_gap_hours: FloatArray  # each role's gap hours for a person who rated nothing
    entry_gap_hours: FloatArray  # each entry's gap hours from level 0

    @property
    def n_roles(self) -> int:
        return len(self.role_codes)

    @property
    def n_competencies(self) -> int:
        return len(self.competency_codes)

    def entries(self, role: int) -> slice:
        """The slice of entry arrays holding one role's requirements (sorted by competency)."""
        return slice(int(self.indptr[role]), int(self.indptr[role + 1]))

    def entries_of(self, competencies: IntArray) -> IntArray:
        """The entry indexes requiring any of `competencies` (grouped by competency)."""
        return gather_ranges(self.competency_indptr, competencies, self.competency_entries)

    def role_entries(self, roles: IntArray) -> IntArray:
        """The entry indexes of `roles`, role by role, each role's in stored order."""
        return gather_ranges(self.indptr, roles)

    def ratings_vector(self, ratings: Mapping[str, int]) -> IntArray:
        """A dense rating per competency index (unknown codes are ignored, missing count as 0)."""
        vector = np.zeros(self.n_competencies, dtype=np.int64)
        for code, value in ratings.items():
            index = self.competency_index.get(code)
            if index is not None:
                vector[index] = value
        return vector

    def level_matrix(self, dtype: type = np.float64) -> sp.csr_matrix:
        """Roles × competencies sparse matrix of required levels."""
        return sp.csr_matrix(
            (self.entry_level.astype(dtype), self.entry_competency, self.indptr),
            shape=(self.n_roles, self.n_competencies),
        )

    def role_levels(self, role: int) -> FloatArray:
        """One role's requirement profile as a dense level vector over competencies."""
        vector = np.zeros(self.n_competencies, dtype=np.float64)
        span = self.entries(role)
        vector[self.entry_competency[span]] = self.entry_level[span]
        return vector


def gather_ranges(indptr: IntArray, rows: IntArray, values: IntArray | None = None) -> IntArray:
    """Concatenate `values[indptr[r]:indptr[r + 1]]` for each r of `rows` (the positions
    themselves when `values` is None), without a Python loop."""
    starts = indptr[rows]
    lengths = indptr[rows + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(lengths)
    # position k of the output belongs to row i: start_i + (k - (ends_i - length_i))
    offsets = np.repeat(starts - (ends - lengths), lengths)
    positions: IntArray = np.arange(total, dtype=np.int64) + offsets
    return positions if values is None else values[positions]


def build_matrix(referential: Referential) -> RequirementMatrix:
    """Flatten the referential's requirements into per-role sorted entry arrays."""
    role_codes = tuple(sorted(r.code for r in referential.roles))
    competency_codes = tuple(sorted(c.code for c in referential.competencies))
    role_index = {code: i for i, code in enumerate(role_codes)}
    competency_index = {code: i for i, code in enumerate(competency_codes)}

    rows: list[int] = []
    cols: list[int] = []
    levels: list[int] = []
    essential: list[bool] = []
    for req in referential.requirements:
        role = role_index.get(req.role)
        comp = competency_index.get(req.competency)
        if role is None or comp is None:
            continue
        rows.append(role)
        cols.append(comp)
        levels.append(min(max(req.level, 1), MAX_LEVEL))
        essential.append(req.weight == Weight.ESSENTIAL)

    row_arr = np.asarray(rows, dtype=np.int64)
    col_arr = np.asarray(cols, dtype=np.int64)
    level_arr = np.asarray(levels, dtype=np.int64)
    essential_arr = np.asarray(essential, dtype=np.bool_)
    order = np.lexsort((~essential_arr, -level_arr, col_arr, row_arr))
    row_arr, col_arr = row_arr[order], col_arr[order]
    level_arr, essential_arr = level_arr[order], essential_arr[order]
    # A duplicated (role, competency) pair keeps only its highest, essential-first entry.
    if len(row_arr):
        keep = np.ones(len(row_arr), dtype=np.bool_)
        keep[1:] = (row_arr[1:] != row_arr[:-1]) | (col_arr[1:] != col_arr[:-1])
        row_arr, col_arr = row_arr[keep], col_arr[keep]
        level_arr, essential_arr = level_arr[keep], essential_arr[keep]

    n_roles = len(role_codes)
    counts = np.bincount(row_arr, minlength=n_roles).astype(np.int64)
    indptr = np.zeros(n_roles + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    units = np.where(essential_arr, ESSENTIAL_UNITS, USEFUL_UNITS).astype(np.int64)
    role_units = np.bincount(row_arr, weights=units * level_arr, minlength=n_roles)
    role_essentials = np.bincount(row_arr, weights=essential_arr, minlength=n_roles)
    n_comps = len(competency_codes)
    by_competency = np.argsort(col_arr, kind="stable").astype(np.int64)
    competency_indptr = np.zeros(n_comps + 1, dtype=np.int64)
    np.cumsum(np.bincount(col_arr, minlength=n_comps), out=competency_indptr[1:])
    entry_gap_hours = gap_hours_array(np.zeros_like(level_arr), level_arr, essential_arr)
    role_gap_hours = np.asarray(
        np.bincount(row_arr, weights=entry_gap_hours, minlength=n_roles), dtype=np.float64
    )
    return RequirementMatrix(
        role_codes=role_codes,
        competency_codes=competency_codes,
        role_index=role_index,
        competency_index=competency_index,
        indptr=indptr,
        entry_role=row_arr,
        entry_competency=col_arr,
        entry_level=level_arr,
        entry_essential=essential_arr,
        entry_units=units,
        role_units=np.rint(role_units).astype(np.int64),
        role_essentials=np.rint(role_essentials).astype(np.int64),
        role_requirements=counts,
        competency_indptr=competency_indptr,
        competency_entries=by_competency,
        role_gap_hours=role_gap_hours,
        entry_gap_hours=entry_gap_hours,
    )
