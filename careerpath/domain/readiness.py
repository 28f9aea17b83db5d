"""Readiness: how close a person's ratings are to each role's requirements (0–100).

Formula (see docs/engine.md): with weights essential 2, useful 1 (half-units),

    coverage = Σ w · min(has, needs) / Σ w · needs
    absent   = share of the role's essential requirements rated 0
    score    = 100 · coverage · (1 − ¼ · absent)

then floored to one decimal. Every term is non-decreasing in every rating, so raising a
rating never lowers a score; the score is exactly 100 iff every requirement is met, and a
score below 100 is never rounded up to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import scipy.sparse as sp

from careerpath.domain.effort import gap_hours_array
from careerpath.domain.matrix import FloatArray, IntArray, RequirementMatrix
from careerpath.domain.referential import MAX_LEVEL, Weight

ABSENT_ESSENTIAL_PENALTY_QUARTERS = 1  # ¼ of the score is at stake on absent essentials
STRENGTH_MIN_RATING = 3


@dataclass(frozen=True, slots=True)
class Gap:
    """An unmet requirement: the person rates `has`, the role needs `needs`."""

    competency: str
    has: int
    needs: int
    weight: Weight

    @property
    def size(self) -> int:
        return self.needs - self.has


@dataclass(frozen=True, slots=True)
class Strength:
    """A met requirement rated highly (≥ 3): what the score relies on."""

    competency: str
    has: int
    needs: int
    weight: Weight


@dataclass(frozen=True, slots=True)
class RoleReadiness:
    """One role's score for one person, with its gaps and strengths."""

    role: str
    score: float
    gaps: tuple[Gap, ...]
    strengths: tuple[Strength, ...]
    essentials_met: int
    essentials_total: int
    requirements_met: int
    requirements_total: int
    gap_hours: float


@dataclass(frozen=True, eq=False)
class ReadinessVector:
    """Scores of every role for one person, in role-index order, with the person's ratings."""

    tenths: IntArray  # score × 10, floored: exact integers
    ratings: IntArray  # the person's rating per competency index (dense)
    unmet: IntArray  # unmet requirements per role
    unmet_essentials: IntArray
    gap_hours: FloatArray
    entry_competency: IntArray  # the matrix's, to gather `has` only when asked

    @property
    def scores(self) -> FloatArray:
        result: FloatArray = self.tenths / 10.0
        return result

    @cached_property
    def has(self) -> IntArray:
        """The person's rating on each requirement entry (gathered on first use)."""
        result: IntArray = self.ratings[self.entry_competency]
        return result

    def has_at(self, entries: IntArray) -> IntArray:
        """The person's rating on some requirement entries."""
        result: IntArray = self.ratings[self.entry_competency[entries]]
        return result


def score_all(matrix: RequirementMatrix, ratings: IntArray) -> ReadinessVector:
    """Score every role at once from a dense ratings vector.

    Starts from the scores of a person who rated nothing (precomputed per matrix) and
    corrects only the entries of the competencies this person rated, so the cost follows
    the number of ratings, not the size of the referential.
    """
    n = matrix.n_roles
    rated = np.flatnonzero(ratings)
    entries = matrix.entries_of(rated)
    rows = matrix.entry_role[entries]
    has = ratings[matrix.entry_competency[entries]]
    level = matrix.entry_level[entries]
    essential = matrix.entry_essential[entries]
    met = np.minimum(has, level)
    numerator = np.rint(
        np.bincount(rows, weights=matrix.entry_units[entries] * met, minlength=n)
    ).astype(np.int64)
    # An entry rated 0 counts as absent; rated entries stop being absent once above 0
    # (a negative rating, never accepted upstream, stays absent as before).
    no_longer_absent = essential & (has > 0)
    absent = matrix.role_essentials - np.rint(
        np.bincount(rows, weights=no_longer_absent, minlength=n)
    ).astype(np.int64)
    now_met = has >= level
    unmet = matrix.role_requirements - np.rint(
        np.bincount(rows, weights=now_met, minlength=n)
    ).astype(np.int64)
    unmet_essentials = matrix.role_essentials - np.rint(
        np.bincount(rows, weights=now_met & essential, minlength=n)
    ).astype(np.int64)
    hour_change = gap_hours_array(has, level, essential) - matrix.entry_gap_hours[entries]
    hours = matrix.role_gap_hours + np.bincount(rows, weights=hour_change, minlength=n)
    tenths = readiness_tenths(numerator, matrix.role_units, absent, matrix.role_essentials)
    return ReadinessVector(
        tenths,
        ratings,
        unmet,
        unmet_essentials,
        np.asarray(hours, dtype=np.float64),
        matrix.entry_competency,
    )


def readiness_tenths(
    numerator: IntArray, denominator: IntArray, absent: IntArray, essentials: IntArray
) -> IntArray:
    """Exact floored score × 10 from the integer terms of the formula."""
    quarters = 4 * essentials
    penalty = np.where(
        essentials > 0, quarters - ABSENT_ESSENTIAL_PENALTY_QUARTERS * absent, 1
    ).astype(np.int64)
    scale = np.where(essentials > 0, quarters, 1).astype(np.int64)
    top = 1000 * numerator * penalty
    bottom = np.maximum(denominator, 1) * scale
    tenths = np.where(denominator > 0, top // bottom, 1000)
    result: IntArray = tenths.astype(np.int64)
    return result


def role_detail(matrix: RequirementMatrix, vector: ReadinessVector, role: int) -> RoleReadiness:
    """Gaps (essential first, then largest, then code) and strengths of one role."""
    span = matrix.entries(role)
    comps = matrix.entry_competency[span]
    needs = matrix.entry_level[span]
    essential = matrix.entry_essential[span]
    has = vector.ratings[comps]
    gaps: list[Gap] = []
    strengths: list[Strength] = []
    for comp, h, n, e in zip(
        comps.tolist(), has.tolist(), needs.tolist(), essential.tolist(), strict=True
    ):
        weight = Weight.ESSENTIAL if e else Weight.USEFUL
        code = matrix.competency_codes[comp]
        if h < n:
            gaps.append(Gap(code, max(h, 0), n, weight))
        elif h >= STRENGTH_MIN_RATING:
            strengths.append(Strength(code, h, n, weight))
    gaps.sort(key=lambda g: (g.weight != Weight.ESSENTIAL, -g.size, g.competency))
    strengths.sort(key=lambda s: (s.weight != Weight.ESSENTIAL, -s.has, s.competency))
    essentials_total = int(matrix.role_essentials[role])
    total = int(matrix.role_requirements[role])
    return RoleReadiness(
        role=matrix.role_codes[role],
        score=int(vector.tenths[role]) / 10.0,
        gaps=tuple(gaps),
        strengths=tuple(strengths),
        essentials_met=essentials_total - int(vector.unmet_essentials[role]),
        essentials_total=essentials_total,
        requirements_met=total - int(vector.unmet[role]),
        requirements_total=total,
        gap_hours=float(vector.gap_hours[role]),
    )


def ranking(vector: ReadinessVector, top: int | None = None) -> IntArray:
    """Role indexes best first (the `top` first only, when given); equal scores keep code
    order. With `top`, only the roles scoring at least the top-th score are sorted."""
    tenths = vector.tenths
    if top is not None and top < len(tenths):
        if top <= 0:
            return np.zeros(0, dtype=np.int64)
        threshold = np.partition(tenths, len(tenths) - top)[len(tenths) - top]
        candidates = np.flatnonzero(tenths >= threshold)
        best: IntArray = candidates[np.argsort(-tenths[candidates], kind="stable")][:top]
        return best
    order: IntArray = np.argsort(-tenths, kind="stable")
    return order


def score_profiles(matrix: RequirementMatrix, profiles: sp.csr_matrix) -> IntArray:
    """Score every role for many rating profiles at once (rows × roles score tenths).

    Uses min(has, needs) = Σₖ [has ≥ k]·[needs ≥ k] over levels k = 1…4, so the whole block
    is a handful of sparse products; the integers equal those of `score_all` row by row.
    """
    n_roles, n_comps = matrix.n_roles, matrix.n_competencies
    k_rows = profiles.shape[0]
    numerator = np.zeros((k_rows, n_roles), dtype=np.float64)
    for level in range(1, MAX_LEVEL + 1):
        reached = sp.csr_matrix(profiles >= level, dtype=np.float64)
        mask = matrix.entry_level >= level
        required = sp.csr_matrix(
            (
                (matrix.entry_units * mask).astype(np.float64),
                matrix.entry_competency,
                matrix.indptr,
            ),
            shape=(n_roles, n_comps),
        )
        numerator += (reached @ required.T).toarray()
    rated = sp.csr_matrix(profiles >= 1, dtype=np.float64)
    essential = sp.csr_matrix(
        (matrix.entry_essential.astype(np.float64), matrix.entry_competency, matrix.indptr),
        shape=(n_roles, n_comps),
    )
    present_essentials = (rated @ essential.T).toarray()
    absent = matrix.role_essentials[None, :] - np.rint(present_essentials).astype(np.int64)
    return readiness_tenths(
        np.rint(numerator).astype(np.int64),
        np.broadcast_to(matrix.role_units, (k_rows, n_roles)),
        absent,
        np.broadcast_to(matrix.role_essentials, (k_rows, n_roles)),
    )
