"""Training plan as a route a counsellor recognises: recognition first, one long training at
most, short courses and on-the-job actions for the rest, what nothing covers shown.

The route (docs/engine.md, « Training plan »):

1. **Recognise what is there.** An eligible VAE (the person already meets `VAE_MIN_SHARE` of
   the certification's outcomes) whose certification *fits the target* (at the target's
   qualification level, or aligned with it) comes first whenever it fits the constraints.
2. **At most one long certifying training** (diploma, titre professionnel, RNCP
   certification with a level), only one *aligned* with the target, never at a level below the
   person's qualification, never the certification of the person's current job, never of the
   same level as the plan's VAE, and only when it closes at least `LONG_MIN_GAPS` gaps that
   no short item of the catalogue closes. The certification a student is preparing
   (`Profile.preparing`) is never proposed, neither as a training nor as a VAE, and the gaps
   its outcomes will close are `in_progress`, not planned a second time.
3. **Short courses and actions** (missions, tutorat, immersion, networks) for the rest.
4. Gaps nothing allowed closes stay `uncovered`.

Within those rules the choice is a lexicographic integer programme solved exactly with HiGHS
(`highspy`, one model re-solved per stage, `mip_rel_gap = 0`): maximise the covered gaps
(essential 2, useful 1), then minimise hours, then the out-of-pocket cost after funding (see `funding.py`; the
CPF balance is shared by the plan). Constraints: total hours, weeks (hours per week ×
horizon; an alternance training's centre hours run at `ALTERNANCE_HOURS_PER_WEEK`), the
out-of-pocket budget, modalities, prerequisites (entry level, situation). When the plan is
empty only because of the person's constraints, `blocked_by` names the smallest set of
constraints whose relaxation gives a plan, and `relaxed` is that plan.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from fractions import Fraction
from itertools import combinations

import highspy
import numpy as np

from careerpath.domain.assessment import AgeBand, Constraints, Profile
from careerpath.domain.effort import gap_hours
from careerpath.domain.funding import Funding, ItemFunding, item_funding, item_lines
from careerpath.domain.readiness import Gap
from careerpath.domain.referential import (
    Bloc,
    Modality,
    Referential,
    Requirement,
    Training,
    TrainingKind,
    Weight,
)

VAE_MIN_SHARE = Fraction(2, 3)
"""A VAE is eligible when the ratings already meet this share of its outcomes."""
ALIGN_MIN_SHARE = Fraction(1, 3)
"""A certification is aligned with a role when its outcomes alone give ≥ a third of its
coverage (the readiness coverage with the outcomes as ratings)."""
LONG_MIN_GAPS = 3
"""A long training must close at least this many gaps no short item closes."""
ALTERNANCE_HOURS_PER_WEEK = 15.0
"""Centre hours per week of an alternance contract (about one week in two at the centre)."""
DEFAULT_HOURS_PER_WEEK = 5.0
SOLVER_TIME_LIMIT_S = 2.0
MAX_SOLVER_CANDIDATES = 2000
ESSENTIAL_COVER_WEIGHT = 2
USEFUL_COVER_WEIGHT = 1

CONSTRAINT_GROUPS: tuple[tuple[str, ...], ...] = (
    ("max_cost_eur",),
    ("hours_per_week", "horizon_months"),
    ("max_hours",),
    ("modalities",),
)
"""The constraints a person sets, as they are relaxed together (pace = hours × horizon)."""


class Step(StrEnum):
    """Where an item sits in the route."""

    VAE = "vae"
    LONG = "long"
    SHORT = "short"
    ACTION = "action"


STEP_ORDER = {Step.VAE: 0, Step.LONG: 1, Step.SHORT: 2, Step.ACTION: 3}


class RouteKind(StrEnum):
    """What the route rests on."""

    VAE = "vae"
    TRAINING = "training"
    SHORT = "short"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class PlanItem:
    """A chosen training (or VAE, or action) and the gap competencies it closes."""

    training: str
    title: str
    kind: TrainingKind
    modality: str
    hours: float
    cost_eur: float
    cpf: bool
    covers: tuple[str, ...]
    step: Step = Step.SHORT
    level: int | None = None
    rncp: str = ""
    weeks: int = 0
    funding: tuple[Funding, ...] = ()
    out_of_pocket_eur: float = 0.0
    prerequisites: str = ""
    to_show: tuple[str, ...] = ()
    """For a VAE: the certification's outcomes the ratings do not meet yet."""
    met: int = 0
    total: int = 0
    blocs_met: tuple[str, ...] = ()
    """Blocs de compétences of this item's certification the ratings already meet (a partial
    VAE can have them validated; the training then covers the rest)."""


@dataclass(frozen=True, slots=True)
class Route:
    """Why this route: the certification it rests on and the alternative set aside."""

    kind: RouteKind
    certification: str = ""
    title: str = ""
    met: int = 0
    total: int = 0
    alternative: str = ""
    """For a VAE: the training preparing the same certification, set aside."""
    alternative_title: str = ""
    closes: int = 0
    gaps: int = 0


@dataclass(frozen=True, slots=True)
class TrainingPlan:
    """The plan for one target: items in route order, totals, what stays uncovered."""

    target: str
    gaps: tuple[Gap, ...]
    items: tuple[PlanItem, ...]
    hours: float
    cost_eur: float
    uncovered: tuple[str, ...]
    optimal: bool
    out_of_pocket_eur: float = 0.0
    weeks: int = 0
    route: Route = Route(RouteKind.NONE)
    blocked_by: tuple[str, ...] = ()
    relaxed: TrainingPlan | None = None
    ask: tuple[str, ...] = ()
    """Profile fields left unknown that would change this plan (asked on the plan page)."""
    in_progress: tuple[str, ...] = ()
    """Gaps the certification the person is preparing will close (not planned again)."""
    preparing: str | None = None
    """That certification (a training code), when the person is preparing one."""

    @property
    def closing_item(self) -> PlanItem | None:
        """The plan's one item when it alone closes every gap, else None.

        This is what « À une formation près » means everywhere (the next-roles card, the
        plan page, the role page): the plan the person sees has one item and leaves nothing
        uncovered, within their constraints (a plan only found by relaxing them does not count).
        """
        if self.gaps and len(self.items) == 1 and not self.uncovered and not self.in_progress:
            return self.items[0]
        return None


@dataclass(frozen=True, slots=True)
class VaeSuggestion:
    """A VAE route the person's ratings already mostly qualify for."""

    training: str
    title: str
    certification: str
    met: int
    total: int
    covers: tuple[str, ...]
    blocs: tuple[str, ...] = ()
    """Partial VAE: the certification's blocs the ratings already meet in full."""
    bloc_total: int = 0
    """How many blocs the certification has (0: none described, or a whole VAE)."""

    @property
    def partial(self) -> bool:
        """A partial VAE: whole blocs met, the whole VAE not within reach (its other blocs,
        described or not, remain)."""
        return bool(self.blocs)


# -- the catalogue ----------------------------------------------------------------------------


def coverage(outcomes: Mapping[str, int], requirements: Iterable[Requirement]) -> Fraction:
    """Σ w·min(level, needs) / Σ w·needs of a role's requirements under these levels."""
    num = den = 0
    for req in requirements:
        w = 2 if req.weight == Weight.ESSENTIAL else 1
        num += w * min(outcomes.get(req.competency, 0), req.level)
        den += w * req.level
    return Fraction(num, den) if den else Fraction(0)


class TrainingCatalogue:
    """Trainings with their effective outcomes (VAE resolved to their certification)."""

    def __init__(self, referential: Referential) -> None:
        self.trainings: tuple[Training, ...] = tuple(
            sorted(referential.trainings, key=lambda t: t.code)
        )
        self.by_code = {t.code: t for t in self.trainings}
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
        self.blocs: Mapping[str, tuple[Bloc, ...]] = referential.blocs_by_certification
        self._requirements = referential.requirements_by_role
        self._role_level = {r.code: r.qualification_level for r in referential.roles}
        self._alignment: dict[tuple[str, str], Fraction] = {}
        self._job_certification: dict[str, str | None] = {}

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

    def blocs_met(self, code: str, ratings: Mapping[str, int]) -> tuple[str, ...]:
        """The blocs of `code`'s certification (itself, or the one its VAE leads to) whose
        every competency the ratings meet at the certification's level."""
        cert = self.certification.get(code, code)
        outcomes = self.outcomes.get(cert, {})
        return tuple(
            b.code
            for b in self.blocs.get(cert, ())
            if b.competencies
            and all(ratings.get(c, 0) >= outcomes.get(c, 0) for c in b.competencies)
        )

    def vae_eligible(self, code: str, ratings: Mapping[str, int]) -> bool:
        met, total = self.vae_share(code, ratings)
        return total > 0 and Fraction(met, total) >= VAE_MIN_SHARE

    def allowed(self, ratings: Mapping[str, int], constraints: Constraints) -> list[Training]:
        """Trainings the person may take: modality accepted, VAE only when eligible."""
        modalities = constraints.modalities
        return [
            t
            for t in self.trainings
            if (not modalities or str(t.modality) in modalities or t.kind == TrainingKind.ACTION)
            and (t.kind != TrainingKind.VAE or self.vae_eligible(t.code, ratings))
        ]

    def vae_hours(self, code: str, ratings: Mapping[str, int]) -> float:
        """Accompaniment hours plus the effort-model hours of the outcomes still to show."""
        t = self.by_code[code]
        rest = sum(
            gap_hours(ratings.get(comp, 0), level, True)
            for comp, level in self.outcomes[code].items()
        )
        return t.hours + rest

    def alignment(self, code: str, role: str) -> Fraction:
        """How much of a role a training's outcomes alone cover (0–1)."""
        key = (code, role)
        if key not in self._alignment:
            self._alignment[key] = coverage(
                self.outcomes.get(code, {}), self._requirements.get(role, ())
            )
        return self._alignment[key]

    def aligned(self, code: str, role: str) -> bool:
        return self.alignment(code, role) >= ALIGN_MIN_SHARE

    def fits(self, code: str, role: str) -> bool:
        """A certification fits a role: at the role's qualification level, or aligned."""
        level = self.by_code[code].qualification_level
        role_level = self._role_level.get(role)
        same_level = level is not None and role_level is not None and level == role_level
        return same_level or self.aligned(code, role)

    def job_certification(self, role: str) -> str | None:
        """The role's own certification: the best-aligned long training at its level."""
        if role not in self._job_certification:
            role_level = self._role_level.get(role)
            best: tuple[Fraction, str] | None = None
            for t in self.trainings:
                if not t.is_long or (
                    role_level is not None and t.qualification_level != role_level
                ):
                    continue
                share = self.alignment(t.code, role)
                if share >= ALIGN_MIN_SHARE and (
                    best is None or (-share, t.code) < (-best[0], best[1])
                ):
                    best = (share, t.code)
            self._job_certification[role] = best[1] if best else None
        return self._job_certification[role]

    def vae_suggestions(
        self,
        ratings: Mapping[str, int],
        gaps: Sequence[Gap] = (),
        target: str | None = None,
        preparing: str | None = None,
    ) -> list[VaeSuggestion]:
        """Eligible VAE routes, best-covered first (ties by code); then partial VAEs: a
        certification (fitting `target`, when given) whose whole VAE is not within reach yet
        but some of whose blocs the ratings already meet in full."""
        result: list[VaeSuggestion] = []
        partial: list[VaeSuggestion] = []
        for t in self.trainings:
            if t.kind != TrainingKind.VAE or prepares_same(self, t.code, preparing):
                continue
            met, total = self.vae_share(t.code, ratings)
            outcomes = self.outcomes[t.code]
            covers = tuple(g.competency for g in gaps if outcomes.get(g.competency, 0) >= g.needs)
            cert = self.certification.get(t.code, "")
            if self.vae_eligible(t.code, ratings):
                result.append(VaeSuggestion(t.code, t.title, cert, met, total, covers))
                continue
            blocs = self.blocs_met(t.code, ratings)
            if not blocs or (target is not None and not self.fits(t.code, target)):
                continue
            partial.append(
                VaeSuggestion(
                    t.code, t.title, cert, met, total, covers, blocs, len(self.blocs[cert])
                )
            )
        result.sort(key=lambda s: (-Fraction(s.met, s.total), s.training))
        partial.sort(key=lambda s: (-len(s.blocs), s.training))
        return result + partial


# -- the problem --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    """Who the plan is for: ratings, current role, profile."""

    ratings: Mapping[str, int]
    current_role: str | None = None
    profile: Profile = Profile()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A training the person may take toward the target, with its effective figures."""

    training: Training
    step: Step
    hours: float
    weeks: float
    covers: frozenset[int]
    funding: ItemFunding


def _cover_weight(gap: Gap) -> int:
    return ESSENTIAL_COVER_WEIGHT if gap.weight == Weight.ESSENTIAL else USEFUL_COVER_WEIGHT


def _step(t: Training) -> Step:
    if t.kind == TrainingKind.VAE:
        return Step.VAE
    if t.kind == TrainingKind.ACTION:
        return Step.ACTION
    return Step.LONG if t.is_long else Step.SHORT


@dataclass(frozen=True)
class RouteProblem:
    """Candidates × gaps for one plan, with the rules and the person's constraints."""

    gaps: tuple[Gap, ...]
    candidates: tuple[Candidate, ...]
    constraints: Constraints
    forced: int | None  # index of the VAE put first, when there is one
    ask: tuple[str, ...] = ()

    @property
    def weights(self) -> list[int]:
        return [_cover_weight(g) for g in self.gaps]

    def covered(self, chosen: Iterable[int]) -> set[int]:
        result: set[int] = set()
        for i in chosen:
            result |= self.candidates[i].covers
        return result

    def cover_weight(self, chosen: Iterable[int]) -> int:
        weights = self.weights
        return sum(weights[g] for g in self.covered(chosen))

    def hours(self, chosen: Iterable[int]) -> float:
        return sum(self.candidates[i].hours for i in chosen)

    def weeks(self, chosen: Iterable[int]) -> float:
        return sum(self.candidates[i].weeks for i in chosen)

    def out_of_pocket(self, chosen: Iterable[int]) -> float:
        """Residual after counted routes, minus the CPF balance shared by CPF items."""
        chosen = list(chosen)
        residual = sum(self.candidates[i].funding.residual_eur for i in chosen)
        balance = self.constraints.cpf_balance_eur or 0.0
        cpf_part = sum(
            self.candidates[i].funding.residual_eur
            for i in chosen
            if self.candidates[i].funding.cpf
        )
        return residual - min(balance, cpf_part)

    def rules_hold(self, chosen: Sequence[int]) -> bool:
        """At most one long training, one VAE, one certification per level; VAE first."""
        steps = [self.candidates[i].step for i in chosen]
        if steps.count(Step.LONG) > 1 or steps.count(Step.VAE) > 1:
            return False
        levels = [
            self.candidates[i].training.qualification_level
            for i in chosen
            if self.candidates[i].step in (Step.LONG, Step.VAE)
        ]
        known = [lv for lv in levels if lv is not None]
        if len(known) != len(set(known)):
            return False
        return self.forced is None or self.forced in chosen

    def within(self, chosen: Sequence[int]) -> bool:
        c = self.constraints
        eps = 1e-6
        if c.max_hours is not None and self.hours(chosen) > c.max_hours + eps:
            return False
        horizon = c.horizon_weeks
        if horizon is not None and self.weeks(chosen) > horizon + eps:
            return False
        return c.max_cost_eur is None or self.out_of_pocket(chosen) <= c.max_cost_eur + eps

    def feasible(self, chosen: Sequence[int]) -> bool:
        return self.rules_hold(chosen) and self.within(chosen)


def _pace(constraints: Constraints) -> float:
    return max(constraints.hours_per_week or DEFAULT_HOURS_PER_WEEK, 0.5)


def _weeks(t: Training, hours: float, constraints: Constraints) -> float:
    per_week = (
        ALTERNANCE_HOURS_PER_WEEK if t.modality == Modality.ALTERNANCE else _pace(constraints)
    )
    return hours / per_week


def in_progress_gaps(
    catalogue: TrainingCatalogue, gaps: Sequence[Gap], preparing: str | None
) -> frozenset[int]:
    """The gaps the certification being prepared will close (its outcomes reach the need)."""
    outcomes = catalogue.outcomes.get(preparing, {}) if preparing else {}
    return frozenset(i for i, g in enumerate(gaps) if outcomes.get(g.competency, 0) >= g.needs)


def prepares_same(catalogue: TrainingCatalogue, code: str, preparing: str | None) -> bool:
    """`code` is the certification being prepared, or its VAE."""
    return preparing is not None and preparing in (code, catalogue.certification.get(code))


def route_problem(
    catalogue: TrainingCatalogue,
    target: str,
    gaps: Sequence[Gap],
    person: Person,
    constraints: Constraints,
) -> RouteProblem:
    """The candidates the rules allow for this person toward `target`."""
    ratings, profile = person.ratings, person.profile
    gap_index = {g.competency: i for i, g in enumerate(gaps)}
    modalities = constraints.modalities
    level = profile.qualification_level
    job_cert = catalogue.job_certification(person.current_role) if person.current_role else None
    changes_job = person.current_role != target
    coming = in_progress_gaps(catalogue, gaps, profile.preparing)
    ask: set[str] = set()

    def closes(code: str) -> frozenset[int]:
        result = set()
        for comp, out_level in catalogue.outcomes.get(code, {}).items():
            i = gap_index.get(comp)
            if i is not None and i not in coming and out_level >= gaps[i].needs:
                result.add(i)
        return frozenset(result)

    pool: list[Candidate] = []
    for t in catalogue.trainings:
        if prepares_same(catalogue, t.code, profile.preparing):
            continue
        covers = closes(t.code)
        recognises = (
            t.kind == TrainingKind.VAE
            and catalogue.fits(t.code, target)
            and (level is None or t.qualification_level is None or level < t.qualification_level)
        )
        if not covers and not recognises:
            continue
        if modalities and t.kind != TrainingKind.ACTION and str(t.modality) not in modalities:
            continue
        if t.situations and profile.situation not in t.situations:
            if profile.situation is None:
                ask.add("situation")
            continue
        if t.entry_level is not None and level is None:
            ask.add("qualification_level")
        if t.entry_level is not None and level is not None and level < t.entry_level:
            continue
        step = _step(t)
        hours = t.hours
        if step == Step.VAE:
            if not catalogue.vae_eligible(t.code, ratings):
                continue
            hours = catalogue.vae_hours(t.code, ratings)
        if step == Step.LONG:
            if not catalogue.aligned(t.code, target) or t.code == job_cert:
                continue
            if profile.preparing:  # the diploma in progress is the person's long training
                continue
            if t.qualification_level is not None and level is None:
                ask.add("qualification_level")
            if (
                level is not None
                and t.qualification_level is not None
                and t.qualification_level < level
            ):
                continue
        funding = item_funding(t, profile, changes_job)
        if not funding.alternance_open:
            if profile.age_band is None:
                ask.add("age_band")
            elif (
                profile.age_band == AgeBand.FROM_30 and profile.age_exception is None and t.is_long
            ):
                ask.add("age_exception")
            if profile.situation is None:
                ask.add("situation")
            continue
        pool.append(Candidate(t, step, hours, _weeks(t, hours, constraints), covers, funding))
    # A long training must bring at least LONG_MIN_GAPS gaps no short item closes.
    short_cover: set[int] = set()
    for c in pool:
        if c.step in (Step.SHORT, Step.ACTION):
            short_cover |= c.covers
    candidates = tuple(
        c for c in pool if c.step != Step.LONG or len(c.covers - short_cover) >= LONG_MIN_GAPS
    )
    forced = _first_vae(catalogue, target, candidates, constraints, ratings, level)
    if constraints.cpf_balance_eur is None and any(c.funding.cpf for c in candidates):
        ask.add("cpf_balance_eur")
    return RouteProblem(tuple(gaps), candidates, constraints, forced, tuple(sorted(ask)))


def _first_vae(
    catalogue: TrainingCatalogue,
    target: str,
    candidates: Sequence[Candidate],
    constraints: Constraints,
    ratings: Mapping[str, int],
    level: int | None,
) -> int | None:
    """The VAE put first: fits the target, raises the person's qualification level (when
    known), best met share, within the constraints alone."""
    best: tuple[tuple[int, Fraction, str], int] | None = None
    probe = RouteProblem((), tuple(candidates), constraints, None)
    for i, c in enumerate(candidates):
        if c.step != Step.VAE or not catalogue.fits(c.training.code, target):
            continue
        vae_level = c.training.qualification_level
        if level is not None and vae_level is not None and level >= vae_level:
            continue
        if not probe.within([i]):
            continue
        met, total = catalogue.vae_share(c.training.code, ratings)
        key = (
            0 if catalogue.aligned(c.training.code, target) else 1,
            -Fraction(met, total),
            c.training.code,
        )
        if best is None or key < best[0]:
            best = (key, i)
    return best[1] if best else None


# -- solving ---------------------------------------------------------------------------------


def _new_highs() -> highspy.Highs:
    return highspy.Highs()  # type: ignore[no-untyped-call]


def _silence_banner() -> None:
    """HiGHS prints its banner on stdout when the process makes its first instance, and
    `careerpath recommend` writes JSON there: make that first instance with fd 1 silenced."""
    try:
        saved = os.dup(1)
    except OSError:  # no stdout at all: nothing to protect
        _new_highs()
        return
    try:
        sys.stdout.flush()
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            _new_highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


_silence_banner()


class _Model:
    """One HiGHS model solved in lexicographic stages (highspy: no rebuild between stages).

    `rows` are (coefficients, upper bound) pairs: every constraint is `row · v ≤ ub`."""

    def __init__(
        self,
        n: int,
        rows: list[tuple[np.ndarray, float]],
        lower: np.ndarray,
        upper: np.ndarray,
        integral: np.ndarray,
        time_limit: float,
    ) -> None:
        h = _new_highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 0.0)
        h.setOptionValue("time_limit", max(time_limit / 3, 0.05))  # per stage
        h.setOptionValue("threads", 1)
        h.addVars(n, lower, upper)
        # HiGHS integrality codes: 0 continuous, 1 integer.
        h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), integral.astype(np.uint8))
        if rows:
            dense = np.vstack([r for r, _ in rows])
            upper_bounds = np.asarray([ub for _, ub in rows], dtype=np.float64)
            starts: list[int] = []
            index: list[int] = []
            values: list[float] = []
            for r in dense:
                nz = np.flatnonzero(r)
                starts.append(len(index))
                index.extend(nz.tolist())
                values.extend(r[nz].tolist())
            h.addRows(
                len(rows),
                np.full(len(rows), -np.inf),
                upper_bounds,
                len(index),
                np.asarray(starts, dtype=np.int32),
                np.asarray(index, dtype=np.int32),
                np.asarray(values, dtype=np.float64),
            )
        self.h = h
        self.n = n

    def minimise(self, cost: np.ndarray) -> float | None:
        """The optimum of this objective, or None when HiGHS did not prove it."""
        h = self.h
        h.changeColsCost(self.n, np.arange(self.n, dtype=np.int32), cost.astype(np.float64))
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return float(h.getInfo().objective_function_value)

    def add_row(self, coefficients: np.ndarray, lb: float, ub: float) -> None:
        nz = np.flatnonzero(coefficients)
        self.h.addRow(lb, ub, len(nz), nz.astype(np.int32), coefficients[nz].astype(np.float64))

    def values(self) -> np.ndarray:
        return np.asarray(self.h.getSolution().col_value)


def solve_milp(problem: RouteProblem, time_limit: float = SOLVER_TIME_LIMIT_S) -> list[int] | None:
    """Lexicographic optimum (cover, hours, out-of-pocket) as candidate indexes; None if
    HiGHS did not prove every stage optimal."""
    cands = problem.candidates
    n_t = len(cands)
    coverable = sorted(problem.covered(range(n_t)))
    n_g = len(coverable)
    cons = problem.constraints
    balance = cons.cpf_balance_eur or 0.0
    has_cpf = balance > 0 and any(c.funding.cpf for c in cands)
    n_c = 1 if has_cpf else 0
    n = n_t + n_g + n_c
    # Rows are dense (a plan has at most a few hundred variables): y_g − Σ a_gt x_t ≤ 0.
    link = np.zeros((n_g, n))
    for j, gap in enumerate(coverable):
        for i, c in enumerate(cands):
            if gap in c.covers:
                link[j, i] = -1.0
        link[j, n_t + j] = 1.0
    base: list[tuple[np.ndarray, float]] = [(r, 0.0) for r in link]

    def row(values: Iterable[float], cpf: float = 0.0) -> np.ndarray:
        vec = np.zeros(n)
        vec[:n_t] = list(values)
        if n_c:
            vec[-1] = cpf
        return vec

    def one_at_most(mask: list[bool]) -> None:
        if sum(mask) > 1:
            base.append((row(1.0 if m else 0.0 for m in mask), 1.0))

    one_at_most([c.step == Step.LONG for c in cands])
    one_at_most([c.step == Step.VAE for c in cands])
    levels = {
        c.training.qualification_level
        for c in cands
        if c.step in (Step.LONG, Step.VAE) and c.training.qualification_level is not None
    }
    for lv in sorted(levels):
        one_at_most(
            [
                c.step in (Step.LONG, Step.VAE) and c.training.qualification_level == lv
                for c in cands
            ]
        )
    hours = np.asarray([c.hours for c in cands], dtype=np.float64)
    if cons.max_hours is not None:
        base.append((row(hours), cons.max_hours))
    if cons.horizon_weeks is not None:
        base.append((row(c.weeks for c in cands), cons.horizon_weeks))
    residual = [c.funding.residual_eur for c in cands]
    oop = row(residual, -1.0)
    if cons.max_cost_eur is not None:
        base.append((oop, cons.max_cost_eur))
    if n_c:
        cpf_residual = [r if c.funding.cpf else 0.0 for r, c in zip(residual, cands, strict=True)]
        base.append((-row(cpf_residual, -1.0), 0.0))
    lower = np.zeros(n)
    upper = np.ones(n)
    if n_c:
        upper[-1] = balance
    if problem.forced is not None:
        lower[problem.forced] = 1
    integral = np.ones(n, dtype=bool)
    if n_c:
        integral[-1] = False
    weights = problem.weights
    cover = np.zeros(n)
    cover[n_t : n_t + n_g] = [weights[g] for g in coverable]
    model = _Model(n, base, lower, upper, integral, time_limit)
    best_cover = model.minimise(-cover)
    if best_cover is None:
        return None
    model.add_row(cover, -best_cover - 0.5, np.inf)
    hours_obj = row(hours)
    best_hours = model.minimise(hours_obj)
    if best_hours is None:
        return None
    model.add_row(hours_obj, -np.inf, best_hours + 1e-7 * max(1.0, best_hours))
    if model.minimise(oop) is None:
        return None
    x = model.values()[:n_t]
    return [i for i in range(n_t) if x[i] > 0.5]


def solve_greedy(problem: RouteProblem) -> list[int]:
    """The forced VAE, then the best cover-per-hour candidate while the rules and
    constraints hold (a fallback when the solver cannot prove optimality)."""
    weights = problem.weights
    chosen: list[int] = [problem.forced] if problem.forced is not None else []
    covered = problem.covered(chosen)
    while True:
        best: tuple[float, float, str] | None = None
        best_i = -1
        for i, c in enumerate(problem.candidates):
            if i in chosen:
                continue
            gain = sum(weights[g] for g in c.covers - covered)
            if gain == 0 or not problem.feasible([*chosen, i]):
                continue
            key = (-gain / (c.hours + 1.0), c.funding.residual_eur, c.training.code)
            if best is None or key < best:
                best, best_i = key, i
        if best is None:
            return chosen
        chosen.append(best_i)
        covered |= problem.candidates[best_i].covers


def prune(problem: RouteProblem, chosen: Sequence[int]) -> list[int]:
    """Drop items whose removal leaves the same gaps covered (longest first), but not the
    VAE put first."""
    kept = list(chosen)
    target = problem.covered(kept)
    for i in sorted(
        chosen,
        key=lambda i: (-problem.candidates[i].hours, problem.candidates[i].training.code),
    ):
        if i == problem.forced:
            continue
        rest = [j for j in kept if j != i]
        if problem.covered(rest) == target:
            kept = rest
    return kept


def brute_force(problem: RouteProblem) -> list[int]:
    """Exhaustive lexicographic optimum (cover, hours, out-of-pocket); for tests only."""
    best_key: tuple[float, float, float] | None = None
    best: list[int] = []
    n = len(problem.candidates)
    for size in range(n + 1):
        for subset in combinations(range(n), size):
            if not problem.feasible(subset):
                continue
            key = (
                -float(problem.cover_weight(subset)),
                problem.hours(subset),
                problem.out_of_pocket(subset),
            )
            if best_key is None or key < best_key:
                best_key, best = key, list(subset)
    return best


# -- the plan ----------------------------------------------------------------------------------


def _relax(constraints: Constraints, names: Iterable[str]) -> Constraints:
    changes: dict[str, object] = {}
    for name in names:
        changes[name] = None
    return replace(constraints, **changes)  # type: ignore[arg-type]


def _set(constraints: Constraints, group: tuple[str, ...]) -> bool:
    return any(getattr(constraints, name) is not None for name in group)


def make_plan(
    catalogue: TrainingCatalogue,
    target: str,
    gaps: Sequence[Gap],
    person: Person | Mapping[str, int],
    constraints: Constraints,
    time_limit: float = SOLVER_TIME_LIMIT_S,
) -> TrainingPlan:
    """The route to `target` within the person's constraints, or — when they empty it — the
    constraints that block and the plan without them."""
    if not isinstance(person, Person):
        person = Person(person)
    plan = _plan(catalogue, target, gaps, person, constraints, time_limit)
    # Empty with gaps (the diploma in progress may bring them all): say which constraints
    # block, when relaxing them gives a plan. Without gaps nothing is needed, nothing blocks.
    if plan.items or not plan.gaps:
        return plan
    groups = [g for g in CONSTRAINT_GROUPS if _set(constraints, g)]
    for size in range(1, len(groups) + 1):
        for chosen in combinations(groups, size):
            names = tuple(name for group in chosen for name in group)
            relaxed = _plan(catalogue, target, gaps, person, _relax(constraints, names), time_limit)
            if relaxed.items:
                blocked = tuple(n for n in names if getattr(constraints, n) is not None)
                return replace(plan, blocked_by=blocked, relaxed=relaxed)
    return plan


def _plan(
    catalogue: TrainingCatalogue,
    target: str,
    gaps: Sequence[Gap],
    person: Person,
    constraints: Constraints,
    time_limit: float,
) -> TrainingPlan:
    problem = route_problem(catalogue, target, gaps, person, constraints)
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
    chosen.sort(
        key=lambda i: (STEP_ORDER[problem.candidates[i].step], problem.candidates[i].training.code)
    )
    covered = problem.covered(chosen)
    balance = constraints.cpf_balance_eur
    cpf_left = balance or 0.0
    items: list[PlanItem] = []
    for i in chosen:
        c = problem.candidates[i]
        t = c.training
        used = min(cpf_left, c.funding.residual_eur) if c.funding.cpf else 0.0
        cpf_left -= used
        lines, out_of_pocket = item_lines(t, c.funding, used, balance is not None)
        met, total = catalogue.vae_share(t.code, person.ratings) if c.step == Step.VAE else (0, 0)
        to_show = (
            tuple(
                comp
                for comp, lv in sorted(catalogue.outcomes[t.code].items())
                if person.ratings.get(comp, 0) < lv
            )
            if c.step == Step.VAE
            else ()
        )
        items.append(
            PlanItem(
                training=t.code,
                title=t.title,
                kind=t.kind,
                modality=str(t.modality),
                hours=c.hours,
                cost_eur=t.cost_eur,
                cpf=t.cpf,
                covers=tuple(gaps[g].competency for g in sorted(c.covers)),
                step=c.step,
                level=t.qualification_level,
                rncp=t.rncp,
                weeks=math.ceil(c.weeks - 1e-9) if c.hours > 0 else 0,
                funding=lines,
                out_of_pocket_eur=out_of_pocket,
                prerequisites=t.prerequisites,
                to_show=to_show,
                met=met,
                total=total,
                blocs_met=catalogue.blocs_met(t.code, person.ratings)
                if c.step in (Step.LONG, Step.VAE)
                else (),
            )
        )
    total_weeks = problem.weeks(chosen)
    coming = in_progress_gaps(catalogue, gaps, person.profile.preparing)
    return TrainingPlan(
        target=target,
        gaps=tuple(gaps),
        items=tuple(items),
        hours=float(sum(item.hours for item in items)),
        cost_eur=float(sum(item.cost_eur for item in items)),
        uncovered=tuple(
            g.competency for i, g in enumerate(gaps) if i not in covered and i not in coming
        ),
        optimal=optimal,
        out_of_pocket_eur=round(sum(item.out_of_pocket_eur for item in items), 2),
        weeks=math.ceil(total_weeks - 1e-9) if items else 0,
        route=_route(catalogue, target, problem, chosen, person.ratings),
        ask=problem.ask,
        in_progress=tuple(g.competency for i, g in enumerate(gaps) if i in coming),
        preparing=person.profile.preparing,
    )


def _route(
    catalogue: TrainingCatalogue,
    target: str,
    problem: RouteProblem,
    chosen: Sequence[int],
    ratings: Mapping[str, int],
) -> Route:
    n_gaps = len(problem.gaps)
    for step in (Step.VAE, Step.LONG):
        for i in chosen:
            c = problem.candidates[i]
            if c.step != step:
                continue
            t = c.training
            if step == Step.VAE:
                met, total = catalogue.vae_share(t.code, ratings)
                cert = catalogue.certification.get(t.code, "")
                cert_title = catalogue.by_code[cert].title if cert else ""
                return Route(
                    RouteKind.VAE,
                    t.code,
                    t.title,
                    met,
                    total,
                    cert,
                    cert_title,
                    len(c.covers),
                    n_gaps,
                )
            # The VAE of the same certification, set aside: say how far it is.
            vae = next(
                (
                    v.code
                    for v in catalogue.trainings
                    if v.kind == TrainingKind.VAE and catalogue.certification.get(v.code) == t.code
                ),
                "",
            )
            vae_met, vae_total = catalogue.vae_share(vae, ratings) if vae else (0, 0)
            return Route(
                RouteKind.TRAINING,
                t.code,
                t.title,
                vae_met,
                vae_total,
                vae,
                catalogue.by_code[vae].title if vae else "",
                len(c.covers),
                n_gaps,
            )
    if chosen:
        return Route(RouteKind.SHORT, closes=len(problem.covered(chosen)), gaps=n_gaps)
    return Route(RouteKind.NONE, gaps=n_gaps)
