"""Training plan: the trainings (or VAE routes) that close a target's gaps at least effort.

A gap is closed when the person's rating, or the outcome level of some chosen training,
reaches the level needed. The plan is a set-cover integer programme solved lexicographically
with HiGHS (`scipy.optimize.milp`):

1. when constraints (max hours, max cost) prevent full cover: maximise the covered gaps,
   essential counting twice a useful one;
2. minimise total hours at that cover;
3. minimise total cost at those hours.

Only trainings that close at least one gap (and pass the modality filter) are candidates.
`optimal` is true when HiGHS proved every stage optimal; otherwise (time limit, or a
candidate set too large) a greedy cover is returned with `optimal` false. Gaps that no
allowed training closes — or that the budget leaves open — are listed as `uncovered`.

VAE: a training of kind `vae` validates the certification sharing its RNCP code (or, with
no RNCP, the training `X` for a VAE coded `vae-X`); its outcomes are that certification's
outcomes. It is offered only when the person's ratings already meet at least
`VAE_MIN_SHARE` of those outcomes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp

from careerpath.domain.assessment import Constraints
from careerpath.domain.readiness import Gap
from careerpath.domain.referential import Referential, Training, TrainingKind, Weight

VAE_MIN_SHARE = Fraction(2, 3)
SOLVER_TIME_LIMIT_S = 2.0
MAX_SOLVER_CANDIDATES = 2000
ESSENTIAL_COVER_WEIGHT = 2
USEFUL_COVER_WEIGHT = 1


@dataclass(frozen=True, slots=True)
class PlanItem:
    """A chosen training and the gap competencies it closes."""

    training: str
    title: str
    kind: TrainingKind
    modality: str
    hours: float
    cost_eur: float
    cpf: bool
    covers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TrainingPlan:
    """The plan for one target: items, totals, what stays uncovered, and optimality."""

    target: str
    gaps: tuple[Gap, ...]
    items: tuple[PlanItem, ...]
    hours: float
    cost_eur: float
    uncovered: tuple[str, ...]
    optimal: bool


@dataclass(frozen=True, slots=True)
class VaeSuggestion:
    """A VAE route the person's ratings already mostly qualify for."""

    training: str
    title: str
    certification: str
    met: int
    total: int
    covers: tuple[str, ...]


class TrainingCatalogue:
    """Trainings with their effective outcomes (VAE resolved to their certification)."""

    def __init__(self, referential: Referential) -> None:
        self.trainings: tuple[Training, ...] = tuple(
            sorted(referential.trainings, key=lambda t: t.code)
        )
        own = {
            t.code: {
                o.competency: o.level for o in referential.outcomes_by_training.get(t.code, ())
            }
            for t in self.trainings
        }
        self.certification: dict[str, str] = {}
        self.outcomes: dict[str, dict[str, int]] = {}
        for t in self.trainings:
            outcomes = dict(own[t.code])
            if t.kind == TrainingKind.VAE:
                certs = self._certifications(t)
                if certs:
                    self.certification[t.code] = certs[0]
                for cert in certs:
                    for comp, level in own[cert].items():
                        outcomes[comp] = max(outcomes.get(comp, 0), level)
            self.outcomes[t.code] = outcomes
        self.by_competency: dict[str, list[tuple[str, int]]] = {}
        for code, outcomes in self.outcomes.items():
            for comp, level in sorted(outcomes.items()):
                self.by_competency.setdefault(comp, []).append((code, level))

    def _certifications(self, vae: Training) -> list[str]:
        if vae.rncp.strip():
            return [
                t.code
                for t in self.trainings
                if t.kind != TrainingKind.VAE and t.rncp.strip() == vae.rncp.strip()
            ]
        if vae.code.startswith("vae-"):
            cert = vae.code.removeprefix("vae-")
            if any(t.code == cert for t in self.trainings):
                return [cert]
        return []

    def vae_share(self, code: str, ratings: Mapping[str, int]) -> tuple[int, int]:
        """How many of a VAE's outcomes the ratings meet, out of how many."""
        outcomes = self.outcomes.get(code, {})
        met = sum(1 for comp, level in outcomes.items() if ratings.get(comp, 0) >= level)
        return met, len(outcomes)

    def vae_eligible(self, code: str, ratings: Mapping[str, int]) -> bool:
        met, total = self.vae_share(code, ratings)
        return total > 0 and Fraction(met, total) >= VAE_MIN_SHARE

    def allowed(self, ratings: Mapping[str, int], constraints: Constraints) -> list[Training]:
        """Trainings the person may take: modality accepted, VAE only when eligible."""
        modalities = constraints.modalities
        return [
            t
            for t in self.trainings
            if (not modalities or str(t.modality) in modalities)
            and (t.kind != TrainingKind.VAE or self.vae_eligible(t.code, ratings))
        ]

    def vae_suggestions(
        self, ratings: Mapping[str, int], gaps: Sequence[Gap] = ()
    ) -> list[VaeSuggestion]:
        """Eligible VAE routes, best-covered first (ties by code)."""
        result: list[VaeSuggestion] = []
        for t in self.trainings:
            if t.kind != TrainingKind.VAE or not self.vae_eligible(t.code, ratings):
                continue
            met, total = self.vae_share(t.code, ratings)
            outcomes = self.outcomes[t.code]
            covers = tuple(g.competency for g in gaps if outcomes.get(g.competency, 0) >= g.needs)
            result.append(
                VaeSuggestion(
                    t.code, t.title, self.certification.get(t.code, ""), met, total, covers
                )
            )
        result.sort(key=lambda s: (-Fraction(s.met, s.total), s.training))
        return result


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
) -> TrainingPlan:
    """The least-effort plan closing the target's gaps within the person's constraints."""
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
    items = tuple(
        PlanItem(
            training=t.code,
            title=t.title,
            kind=t.kind,
            modality=str(t.modality),
            hours=t.hours,
            cost_eur=t.cost_eur,
            cpf=t.cpf,
            covers=tuple(gaps[g].competency for g in sorted(problem.covers[i])),
        )
        for i in chosen
        for t in (problem.candidates[i],)
    )
    return TrainingPlan(
        target=target,
        gaps=tuple(gaps),
        items=items,
        hours=float(sum(item.hours for item in items)),
        cost_eur=float(sum(item.cost_eur for item in items)),
        uncovered=tuple(g.competency for i, g in enumerate(gaps) if i not in covered),
        optimal=optimal,
    )
