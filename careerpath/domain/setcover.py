"""The former plan model, kept as the reference `benchmarks/plan_quality.py` compares with:
a set cover of the target's gaps (cover every gap, then least hours, then least list price).

It ignores the route rules (VAE first, one long training, funding) on purpose: it is what
careerpath proposed before `planning.py`'s route model. Not used by the app.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp

from careerpath.domain.assessment import Constraints
from careerpath.domain.planning import TrainingCatalogue
from careerpath.domain.readiness import Gap
from careerpath.domain.referential import Training, Weight

SOLVER_TIME_LIMIT_S = 2.0
MAX_SOLVER_CANDIDATES = 2000
ESSENTIAL_COVER_WEIGHT = 2
USEFUL_COVER_WEIGHT = 1


@dataclass(frozen=True, slots=True)
class SetCoverPlan:
    """A set-cover plan: the chosen training codes, totals and what stays uncovered."""

    items: tuple[Training, ...]
    hours: float
    cost_eur: float
    uncovered: tuple[str, ...]
    optimal: bool


def _cover_weight(gap: Gap) -> int:
    return ESSENTIAL_COVER_WEIGHT if gap.weight == Weight.ESSENTIAL else USEFUL_COVER_WEIGHT


@dataclass(frozen=True)
class CoverProblem:
    """Candidates × gaps incidence for one plan."""

    gaps: tuple[Gap, ...]
    candidates: tuple[Training, ...]
    covers: tuple[frozenset[int], ...]  # per candidate: indexes of gaps it closes
    max_hours: float | None
    max_cost: float | None

    @property
    def weights(self) -> list[int]:
        return [_cover_weight(g) for g in self.gaps]

    def covered(self, chosen: Sequence[int]) -> set[int]:
        result: set[int] = set()
        for i in chosen:
            result |= self.covers[i]
        return result

    def within_budget(self, chosen: Sequence[int]) -> bool:
        hours = sum(self.candidates[i].hours for i in chosen)
        cost = sum(self.candidates[i].cost_eur for i in chosen)
        return (self.max_hours is None or hours <= self.max_hours + 1e-9) and (
            self.max_cost is None or cost <= self.max_cost + 1e-9
        )


def cover_problem(
    catalogue: TrainingCatalogue,
    gaps: Sequence[Gap],
    ratings: Mapping[str, int],
    constraints: Constraints,
) -> CoverProblem:
    """Keep only allowed trainings closing at least one gap and fitting the budget alone."""
    candidates: list[Training] = []
    covers: list[frozenset[int]] = []
    for t in catalogue.allowed(ratings, constraints):
        if constraints.max_hours is not None and t.hours > constraints.max_hours + 1e-9:
            continue
        if constraints.max_cost_eur is not None and t.cost_eur > constraints.max_cost_eur + 1e-9:
            continue
        outcomes = catalogue.outcomes[t.code]
        closes = frozenset(
            i for i, g in enumerate(gaps) if outcomes.get(g.competency, 0) >= g.needs
        )
        if closes:
            candidates.append(t)
            covers.append(closes)
    return CoverProblem(
        tuple(gaps),
        tuple(candidates),
        tuple(covers),
        constraints.max_hours,
        constraints.max_cost_eur,
    )


def _solve(
    c: np.ndarray, constraints: list[LinearConstraint], n_vars: int, time_limit: float
) -> OptimizeResult:
    return milp(
        c,
        integrality=np.ones(n_vars),
        bounds=Bounds(0, 1),
        constraints=constraints,
        options={"time_limit": max(time_limit, 0.05), "mip_rel_gap": 0.0},
    )


def solve_milp(problem: CoverProblem, time_limit: float = SOLVER_TIME_LIMIT_S) -> list[int] | None:
    """Lexicographic optimum (cover, hours, cost) as candidate indexes; None if not proven."""
    n_t = len(problem.candidates)
    coverable = sorted(problem.covered(range(n_t)))
    n_g = len(coverable)
    hours = np.asarray([t.hours for t in problem.candidates], dtype=np.float64)
    cost = np.asarray([t.cost_eur for t in problem.candidates], dtype=np.float64)
    rows, cols = [], []
    for j, gap in enumerate(coverable):
        for i, closes in enumerate(problem.covers):
            if gap in closes:
                rows.append(j)
                cols.append(i)
    incidence = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_g, n_t))
    budgeted = problem.max_hours is not None or problem.max_cost is not None
    per_stage = time_limit / 3

    if not budgeted:
        base = [LinearConstraint(incidence, lb=1, ub=np.inf)]
        n_vars, pad = n_t, np.zeros(0)
    else:
        # Variables: x (trainings) then y (gap covered); y_g ≤ Σ a_gt x_t.
        n_vars, pad = n_t + n_g, np.zeros(n_g)
        link = sp.hstack([-incidence, sp.identity(n_g)]).tocsr()
        base = [LinearConstraint(link, lb=-np.inf, ub=0)]
        if problem.max_hours is not None:
            base.append(
                LinearConstraint(np.concatenate([hours, pad])[None, :], ub=problem.max_hours)
            )
        if problem.max_cost is not None:
            base.append(LinearConstraint(np.concatenate([cost, pad])[None, :], ub=problem.max_cost))
        weights = np.asarray([problem.weights[g] for g in coverable], dtype=np.float64)
        cover = np.concatenate([np.zeros(n_t), weights])
        stage0 = _solve(-cover, base, n_vars, per_stage)
        if stage0.status != 0:
            return None
        best_cover = -float(stage0.fun)
        base.append(LinearConstraint(cover[None, :], lb=best_cover - 0.5))

    hours_obj = np.concatenate([hours, pad])
    stage1 = _solve(hours_obj, base, n_vars, per_stage)
    if stage1.status != 0:
        return None
    best_hours = float(stage1.fun)
    tolerance = 1e-7 * max(1.0, abs(best_hours))
    base.append(LinearConstraint(hours_obj[None, :], ub=best_hours + tolerance))
    stage2 = _solve(np.concatenate([cost, pad]), base, n_vars, per_stage)
    if stage2.status != 0:
        return None
    x = np.asarray(stage2.x[:n_t])
    return [i for i in range(n_t) if x[i] > 0.5]


def solve_greedy(problem: CoverProblem) -> list[int]:
    """Pick the best cover-per-hour training until nothing more fits or helps."""
    weights = problem.weights
    chosen: list[int] = []
    covered: set[int] = set()
    hours = cost = 0.0
    while True:
        best: tuple[float, float, str] | None = None
        best_i = -1
        for i, t in enumerate(problem.candidates):
            if i in chosen:
                continue
            gain = sum(weights[g] for g in problem.covers[i] - covered)
            if gain == 0:
                continue
            if problem.max_hours is not None and hours + t.hours > problem.max_hours + 1e-9:
                continue
            if problem.max_cost is not None and cost + t.cost_eur > problem.max_cost + 1e-9:
                continue
            key = (-gain / (t.hours + 1.0), t.cost_eur, t.code)
            if best is None or key < best:
                best, best_i = key, i
        if best is None:
            break
        chosen.append(best_i)
        covered |= problem.covers[best_i]
        hours += problem.candidates[best_i].hours
        cost += problem.candidates[best_i].cost_eur
    return chosen


def prune(problem: CoverProblem, chosen: Sequence[int]) -> list[int]:
    """Drop items whose removal leaves the same gaps covered (costliest first)."""
    kept = list(chosen)
    target = problem.covered(kept)
    for i in sorted(
        chosen,
        key=lambda i: (
            -problem.candidates[i].hours,
            -problem.candidates[i].cost_eur,
            problem.candidates[i].code,
        ),
    ):
        rest = [j for j in kept if j != i]
        if problem.covered(rest) == target:
            kept = rest
    return sorted(kept, key=lambda i: problem.candidates[i].code)


def brute_force(problem: CoverProblem) -> list[int]:
    """Exhaustive lexicographic optimum (cover, hours, cost); for tests on small instances."""
    weights = problem.weights
    best_key: tuple[float, float, float] | None = None
    best: list[int] = []
    n = len(problem.candidates)
    for size in range(n + 1):
        for subset in combinations(range(n), size):
            if not problem.within_budget(subset):
                continue
            cover = sum(weights[g] for g in problem.covered(subset))
            hours = sum(problem.candidates[i].hours for i in subset)
            cost = sum(problem.candidates[i].cost_eur for i in subset)
            key = (-float(cover), hours, cost)
            if best_key is None or key < best_key:
                best_key, best = key, list(subset)
    return best


def make_plan(
    catalogue: TrainingCatalogue,
    target: str,
    gaps: Sequence[Gap],
    ratings: Mapping[str, int],
    constraints: Constraints,
    time_limit: float = SOLVER_TIME_LIMIT_S,
) -> SetCoverPlan:
    """The least-effort set cover of the target's gaps within the constraints."""
    problem = cover_problem(catalogue, gaps, ratings, constraints)
    optimal = True
    if not problem.candidates:
        chosen: list[int] = []
    elif len(problem.candidates) > MAX_SOLVER_CANDIDATES:
        chosen, optimal = solve_greedy(problem), False
    else:
        solved = solve_milp(problem, time_limit)
        if solved is None:
            chosen, optimal = solve_greedy(problem), False
        else:
            chosen = solved
    chosen = prune(problem, chosen)
    covered = problem.covered(chosen)
    items = tuple(problem.candidates[i] for i in chosen)
    return SetCoverPlan(
        items=items,
        hours=float(sum(t.hours for t in items)),
        cost_eur=float(sum(t.cost_eur for t in items)),
        uncovered=tuple(g.competency for i, g in enumerate(gaps) if i not in covered),
        optimal=optimal,
    )
