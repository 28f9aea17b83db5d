"""The recommendation engine: readiness, next roles, paths and training plans for a person.

An `Engine` is built once per referential version (`engine_for` keeps a few in an LRU): it
holds the requirement matrix, the proximity model, the role graph and the training
catalogue, so answering one assessment is a handful of vectorised passes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

import networkx as nx
import numpy as np

from careerpath.domain.assessment import Assessment
from careerpath.domain.explain import Voice, why_role
from careerpath.domain.graph import (
    DERIVED_PER_ROLE,
    build_graph,
    derived_array,
    derived_from_array,
    derived_targets,
    given_transitions,
)
from careerpath.domain.matrix import BoolArray, FloatArray, IntArray, build_matrix, gather_ranges
from careerpath.domain.paths import DEFAULT_PATHS, LINK_READINESS, CareerPath, PathFinder
from careerpath.domain.planning import (
    SOLVER_TIME_LIMIT_S,
    Person,
    TrainingCatalogue,
    TrainingPlan,
    VaeSuggestion,
    make_plan,
)
from careerpath.domain.proximity import W_CURATED, build_proximity, person_fit
from careerpath.domain.readiness import (
    ReadinessVector,
    RoleReadiness,
    ranking,
    role_detail,
    score_all,
)
from careerpath.domain.referential import MAX_LEVEL, Referential, TransitionKind
from careerpath.i18n import Locale, referential_gettext

READY_MIN_SCORE = 85.0
ONE_TRAINING_MIN_SCORE = 60.0
DEFAULT_TOP = 20
NEXT_ROLES_PAGE = 24  # roles explained at a time by iter_next_roles
PRIOR_CACHE_SIZE = 256  # current roles whose fit prior is kept (3,007 floats each on ESCO)


class RoleGroup(StrEnum):
    """How far a next role is: prêt·e maintenant, à une formation près, plus long terme."""

    READY = "ready"
    ONE_TRAINING = "one_training"
    LONG_TERM = "long_term"


@dataclass(frozen=True, slots=True)
class NextRole:
    """A role the person could move to, with its readiness, group and one-sentence reason."""

    role: str
    title: str
    score: float
    group: RoleGroup
    why: str
    fit: float


@dataclass(frozen=True, slots=True)
class RoleStanding:
    """A next role's place, unexplained: its score, engine group and whether one training
    of the catalogue (or an eligible VAE) reaches every gap, constraints aside."""

    role: str
    score: float
    group: RoleGroup
    one_training_reaches: bool


@dataclass(frozen=True, slots=True)
class Recommendation:
    """Everything the engine says about one assessment."""

    readiness: tuple[RoleReadiness, ...]
    scores: Mapping[str, float]
    next_roles: tuple[NextRole, ...]
    next_total: int  # how many next roles there are in all (next_roles may be one page)
    target: str | None
    paths: tuple[CareerPath, ...]
    plan: TrainingPlan | None
    vae_suggestions: tuple[VaeSuggestion, ...]


class RoleScores(Mapping[str, float]):
    """Every role's score by code, a read-only view of one readiness vector (no copy)."""

    def __init__(
        self, codes: tuple[str, ...], index: Mapping[str, int], vector: ReadinessVector
    ) -> None:
        self._codes = codes
        self._index = index
        self._tenths = vector.tenths

    def __getitem__(self, code: str) -> float:
        return int(self._tenths[self._index[code]]) / 10.0

    def __iter__(self) -> Iterator[str]:
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)


class Engine:
    """Precomputed structures for one referential version; safe to share between threads."""

    def __init__(
        self,
        referential: Referential,
        *,
        derived_per_role: int = DERIVED_PER_ROLE,
        derived: IntArray | None = None,
    ):
        """`derived`: the `derived_transitions` array of an engine built earlier on the same
        referential version (read from a cache: it is most of the build's time)."""
        self.referential = referential
        self.version = referential.version
        self.matrix = build_matrix(referential)
        self.proximity = build_proximity(referential, self.matrix)
        self.derived_per_role = derived_per_role
        given = given_transitions(referential, self.matrix)
        known = {source: set(targets) for source, targets in given.items()}
        if derived is None or derived.shape != (self.matrix.n_roles, derived_per_role):
            targets = (
                derived_targets(self.proximity, known, derived_per_role)
                if derived_per_role > 0
                else {}
            )
            derived = derived_array(targets, self.matrix.n_roles, derived_per_role)
        derived.setflags(write=False)
        self.derived_transitions: IntArray = derived
        self.graph: nx.DiGraph = build_graph(
            referential, self.proximity, derived_per_role, derived_from_array(derived)
        )
        self.paths_finder = PathFinder(self.graph)
        self.catalogue = TrainingCatalogue(referential)
        self._curated_from = self._curated_targets()
        self._training_codes = tuple(t.code for t in self.catalogue.trainings)
        self._reaching = self._training_levels()
        self._priors: OrderedDict[int, FloatArray] = OrderedDict()
        self._prior_lock = threading.Lock()
        labels = referential.competency_by_code
        self._labels = tuple(labels[c].label for c in self.matrix.competency_codes)

    # -- building -------------------------------------------------------------------------

    def _curated_targets(self) -> dict[int, IntArray]:
        index = self.matrix.role_index
        result: dict[int, list[int]] = {}
        for source, target, kind in self.graph.edges(data="kind"):
            if kind == TransitionKind.CURATED:
                result.setdefault(index[source], []).append(index[target])
        return {k: np.asarray(sorted(v), dtype=np.int64) for k, v in result.items()}

    def _training_levels(self) -> list[tuple[IntArray, IntArray]]:
        """Per level k: for each competency, the trainings with an outcome reaching k
        (CSR arrays: `trainings[indptr[c]:indptr[c + 1]]`, in training order)."""
        m = self.matrix
        comps: list[int] = []
        trainings: list[int] = []
        levels: list[int] = []
        for i, code in enumerate(self._training_codes):
            for comp, level in self.catalogue.outcomes[code].items():
                j = m.competency_index.get(comp)
                if j is not None:
                    comps.append(j)
                    trainings.append(i)
                    levels.append(level)
        comp_arr = np.asarray(comps, dtype=np.int64)
        training_arr = np.asarray(trainings, dtype=np.int64)
        level_arr = np.asarray(levels, dtype=np.int64)
        result = []
        for k in range(1, MAX_LEVEL + 1):
            reach = level_arr >= k
            order = np.lexsort((training_arr[reach], comp_arr[reach]))
            indptr = np.zeros(m.n_competencies + 1, dtype=np.int64)
            np.cumsum(np.bincount(comp_arr[reach], minlength=m.n_competencies), out=indptr[1:])
            result.append((indptr, training_arr[reach][order]))
        return result

    # -- readiness ------------------------------------------------------------------------

    def readiness_vector(self, assessment: Assessment) -> ReadinessVector:
        """Scores of every role (role-index order) for one assessment."""
        return score_all(self.matrix, self.matrix.ratings_vector(assessment.ratings))

    def _vector(self, assessment: Assessment, vector: ReadinessVector | None) -> ReadinessVector:
        return vector if vector is not None else self.readiness_vector(assessment)

    def scores(
        self, assessment: Assessment, vector: ReadinessVector | None = None
    ) -> Mapping[str, float]:
        """Every role's readiness score by role code (read from the vector on demand)."""
        return RoleScores(
            self.matrix.role_codes, self.matrix.role_index, self._vector(assessment, vector)
        )

    def readiness(
        self,
        assessment: Assessment,
        top: int | None = DEFAULT_TOP,
        vector: ReadinessVector | None = None,
    ) -> list[RoleReadiness]:
        """The best `top` roles (all when None), best first, with gaps and strengths."""
        vector = self._vector(assessment, vector)
        order = ranking(vector, None if top is None else max(top, 0))
        return [role_detail(self.matrix, vector, int(i)) for i in order]

    def role_readiness(
        self, assessment: Assessment, role: str, vector: ReadinessVector | None = None
    ) -> RoleReadiness:
        """One role's readiness detail (KeyError for an unknown role)."""
        vector = self._vector(assessment, vector)
        return role_detail(self.matrix, vector, self.matrix.role_index[role])

    # -- next roles -----------------------------------------------------------------------

    def fit(self, assessment: Assessment, vector: ReadinessVector | None = None) -> FloatArray:
        """Move fit of every role for the person (the scoring the derived edges use)."""
        m = self.matrix
        vector = self._vector(assessment, vector)
        current = m.role_index.get(assessment.current_role or "", -1)
        fit = person_fit(self.proximity, vector.ratings, vector.tenths, self._prior(current))
        if current >= 0 and current in self._curated_from:
            fit[self._curated_from[current]] += W_CURATED
        return fit

    def _prior(self, current: int) -> FloatArray:
        """The current role's part of the fit (titles, family, code, level), kept for the
        `PRIOR_CACHE_SIZE` roles last asked about: it does not depend on the ratings."""
        with self._prior_lock:
            cached = self._priors.get(current)
            if cached is not None:
                self._priors.move_to_end(current)
                return cached
        prior: FloatArray = self.proximity.from_current(np.asarray([current], dtype=np.int64))[0]
        prior.setflags(write=False)
        with self._prior_lock:
            self._priors[current] = prior
            while len(self._priors) > PRIOR_CACHE_SIZE:
                self._priors.popitem(last=False)
        return prior

    def next_role_order(
        self, assessment: Assessment, vector: ReadinessVector | None = None
    ) -> IntArray:
        """Role indexes best first by fit (ties by code), without the current role."""
        return self._order(assessment, self.fit(assessment, vector))

    def _order(self, assessment: Assessment, fit: FloatArray) -> IntArray:
        order: IntArray = np.lexsort((np.arange(len(fit)), -fit))
        current = self.matrix.role_index.get(assessment.current_role or "", -1)
        if current >= 0:
            order = order[order != current]
        return order

    def next_roles(
        self,
        assessment: Assessment,
        locale: Locale = "fr",
        limit: int | None = None,
        vector: ReadinessVector | None = None,
        voice: Voice = "person",
        offset: int = 0,
    ) -> list[NextRole]:
        """Roles but the current one, best move first, grouped and explained.

        Only the `limit` roles (all when None) from `offset` in that order are grouped and
        explained, so a screen that shows 20 roles pays for 20 sentences.
        `voice`: whom the reasons speak of, the person or (for a diploma's outcomes) the diploma.
        """
        vector = self._vector(assessment, vector)
        fit = self.fit(assessment, vector)
        order = self._order(assessment, fit)
        start = max(offset, 0)
        order = order[start:] if limit is None else order[start : start + max(limit, 0)]
        return self._explain(assessment, vector, fit, order, locale, voice)

    def iter_next_roles(
        self,
        assessment: Assessment,
        locale: Locale = "fr",
        vector: ReadinessVector | None = None,
        voice: Voice = "person",
        page: int = NEXT_ROLES_PAGE,
    ) -> Iterator[NextRole]:
        """`next_roles` one at a time, explained a page at a time: for a screen that skips
        some roles (hidden ones, full groups) and stops when it has enough."""
        vector = self._vector(assessment, vector)
        fit = self.fit(assessment, vector)
        order = self._order(assessment, fit)
        for start in range(0, len(order), max(page, 1)):
            chunk = order[start : start + max(page, 1)]
            yield from self._explain(assessment, vector, fit, chunk, locale, voice)

    def _explain(
        self,
        assessment: Assessment,
        vector: ReadinessVector,
        fit: FloatArray,
        order: IntArray,
        locale: Locale,
        voice: Voice,
    ) -> list[NextRole]:
        """Group and explain the roles of `order` (role indexes), in that order."""
        m = self.matrix
        groups = self._groups(assessment, vector, order)
        missing = self._missing_labels(vector, order)
        by_code = self.referential.role_by_code
        essentials = m.role_essentials[order].tolist()
        totals = m.role_requirements[order].tolist()
        unmet_essentials = vector.unmet_essentials[order].tolist()
        unmet_all = vector.unmet[order].tolist()
        tenths = vector.tenths[order].tolist()
        fits = fit[order].tolist()
        result: list[NextRole] = []
        for position, i in enumerate(order.tolist()):
            unmet_ess, unmet = unmet_essentials[position], unmet_all[position]
            why = why_role(
                essentials_met=essentials[position] - unmet_ess,
                essentials_total=essentials[position],
                requirements_met=totals[position] - unmet,
                requirements_total=totals[position],
                missing=[referential_gettext(label, locale) for label in missing.get(i, [])],
                missing_total=unmet_ess if unmet_ess else unmet,
                missing_are_essential=unmet_ess > 0,
                locale=locale,
                voice=voice,
            )
            code = m.role_codes[i]
            result.append(
                NextRole(
                    role=code,
                    title=referential_gettext(by_code[code].title, locale),
                    score=tenths[position] / 10.0,
                    group=groups[position],
                    why=why,
                    fit=fits[position],
                )
            )
        return result

    def standings(
        self, assessment: Assessment, vector: ReadinessVector | None = None
    ) -> list[RoleStanding]:
        """Every next role, best move first, with its score and group but no sentence: a
        screen that groups thousands of roles and explains a page of them starts here."""
        vector = self._vector(assessment, vector)
        order = self.next_role_order(assessment, vector)
        closes = self._one_training_closes(assessment, vector, order)
        groups = self._groups(assessment, vector, order, closes)
        reaches = closes.tolist()
        codes = self.matrix.role_codes
        tenths = vector.tenths[order].tolist()
        return [
            RoleStanding(codes[i], tenths[k] / 10.0, groups[k], reaches[k])
            for k, i in enumerate(order.tolist())
        ]

    def one_training_reaches(
        self,
        assessment: Assessment,
        roles: Iterable[str],
        vector: ReadinessVector | None = None,
    ) -> list[bool]:
        """For each of `roles` (codes): does one training of the catalogue (or an eligible
        VAE) reach every gap, constraints aside? The necessary condition of a one-item plan."""
        vector = self._vector(assessment, vector)
        index = self.matrix.role_index
        order = np.asarray([index[r] for r in roles], dtype=np.int64)
        result: list[bool] = self._one_training_closes(assessment, vector, order).tolist()
        return result

    def next_role_count(self, assessment: Assessment) -> int:
        """How many next roles there are in all (every role but the current one)."""
        current = assessment.current_role in self.matrix.role_index
        return self.matrix.n_roles - (1 if current else 0)

    def _groups(
        self,
        assessment: Assessment,
        vector: ReadinessVector,
        roles: IntArray,
        closes: BoolArray | None = None,
    ) -> list[RoleGroup]:
        """The group of each of `roles` (role indexes), in that order (`closes`: their
        `_one_training_closes`, when already known)."""
        scores = vector.tenths[roles] / 10.0
        ready = (scores >= READY_MIN_SCORE) & (vector.unmet_essentials[roles] == 0)
        if closes is None:
            closes = self._one_training_closes(assessment, vector, roles)
        near = (scores >= ONE_TRAINING_MIN_SCORE) | closes
        return [
            RoleGroup.READY if r else RoleGroup.ONE_TRAINING if n else RoleGroup.LONG_TERM
            for r, n in zip(ready.tolist(), near.tolist(), strict=True)
        ]

    def _one_training_closes(
        self, assessment: Assessment, vector: ReadinessVector, roles: IntArray
    ) -> BoolArray:
        """For each of `roles`: is its every gap closed by a single training (or eligible VAE)?"""
        m = self.matrix
        n = len(roles)
        n_trainings = len(self._training_codes)
        if not n_trainings or n == 0:
            return np.zeros(n, dtype=np.bool_)
        usable = np.asarray(
            [
                t.kind != "vae" or self.catalogue.vae_eligible(t.code, assessment.ratings)
                for t in self.catalogue.trainings
            ],
            dtype=np.bool_,
        )
        entries = m.role_entries(roles)
        row_of = np.repeat(np.arange(n, dtype=np.int64), m.role_requirements[roles])
        level = m.entry_level[entries]
        unmet = vector.has_at(entries) < level
        rows, entries, level = row_of[unmet], entries[unmet], level[unmet]
        # Every (gap, training reaching its level) pair, then the gaps each training closes
        # per role: counted exactly, in integers.
        counts = np.zeros(n * n_trainings, dtype=np.int64)
        for k in range(1, MAX_LEVEL + 1):
            at_k = level == k
            if not at_k.any():
                continue
            indptr, trainings = self._reaching[k - 1]
            comps = m.entry_competency[entries[at_k]]
            pair_rows = np.repeat(rows[at_k], indptr[comps + 1] - indptr[comps])
            pair_trainings = gather_ranges(indptr, comps, trainings)
            keep = usable[pair_trainings]
            counts += np.bincount(
                pair_rows[keep] * n_trainings + pair_trainings[keep], minlength=n * n_trainings
            )
        best = counts.reshape(n, n_trainings).max(axis=1)
        role_unmet = vector.unmet[roles]
        result: BoolArray = (role_unmet > 0) & (best == role_unmet)
        return result

    def _missing_labels(self, vector: ReadinessVector, roles: IntArray) -> dict[int, list[str]]:
        """Up to three gap labels per role: essential first, then largest, then code."""
        m = self.matrix
        entries = np.sort(m.role_entries(roles))  # entry order: by role, then stored order
        has = vector.has_at(entries)
        unmet = entries[has < m.entry_level[entries]]
        if len(unmet) == 0:
            return {}
        has = vector.has_at(unmet)
        role_of = m.entry_role[unmet]
        size = m.entry_level[unmet] - has
        # Entries are stored by role then competency code: a stable sort on
        # (role, useful?, larger gap first) keeps code order for ties.
        rank = (~m.entry_essential[unmet]).astype(np.int64) * (MAX_LEVEL + 1) + (MAX_LEVEL - size)
        order = np.argsort(role_of * 2 * (MAX_LEVEL + 1) + rank, kind="stable")
        unmet, role_of = unmet[order], role_of[order]
        starts = np.flatnonzero(np.r_[True, role_of[1:] != role_of[:-1]])
        group = np.cumsum(np.r_[False, role_of[1:] != role_of[:-1]])
        position = np.arange(len(unmet)) - starts[group]
        essential = m.entry_essential[unmet]
        same_class = essential == essential[starts][group]
        keep = (position < 3) & same_class
        labels = self._labels
        result: dict[int, list[str]] = {}
        for role, comp in zip(
            role_of[keep].tolist(), m.entry_competency[unmet[keep]].tolist(), strict=True
        ):
            result.setdefault(role, []).append(labels[comp])
        return result

    # -- paths and plans ------------------------------------------------------------------

    def paths(
        self,
        assessment: Assessment,
        target: str,
        k: int = DEFAULT_PATHS,
        vector: ReadinessVector | None = None,
    ) -> list[CareerPath]:
        """The k best distinct paths from the person to `target` (KeyError if unknown)."""
        m = self.matrix
        target_index = m.role_index[target]
        vector = self._vector(assessment, vector)
        linked = set(np.flatnonzero(vector.tenths >= 10 * LINK_READINESS).tolist())
        current = assessment.current_role if assessment.current_role in m.role_index else None
        if current is not None:
            linked |= {m.role_index[s] for s in self.graph.successors(current)}
        # Never through a role the person is already ready for: they would go from it to the
        # target with the role's levels, not their own, and the hours would not agree.
        ready = (vector.tenths >= 10 * READY_MIN_SCORE) & (vector.unmet_essentials == 0)
        avoid = [m.role_codes[i] for i in np.flatnonzero(ready).tolist() if i != target_index]
        linked -= set(np.flatnonzero(ready).tolist()) - {target_index}
        person_edges = {m.role_codes[i]: float(vector.gap_hours[i]) for i in sorted(linked)}
        return self.paths_finder.best_paths(
            target, person_edges, current, float(vector.gap_hours[target_index]), k, avoid
        )

    def plan(
        self,
        assessment: Assessment,
        target: str,
        time_limit: float = SOLVER_TIME_LIMIT_S,
        vector: ReadinessVector | None = None,
    ) -> TrainingPlan:
        """The route to `target` within the person's constraints (see planning.py)."""
        detail = self.role_readiness(assessment, target, vector)
        person = Person(assessment.ratings, assessment.current_role, assessment.profile)
        return make_plan(
            self.catalogue, target, detail.gaps, person, assessment.constraints, time_limit
        )

    def vae_suggestions(
        self,
        assessment: Assessment,
        target: str | None = None,
        vector: ReadinessVector | None = None,
    ) -> list[VaeSuggestion]:
        """VAE routes the person's ratings already mostly qualify for."""
        gaps = self.role_readiness(assessment, target, vector).gaps if target else ()
        return self.catalogue.vae_suggestions(
            assessment.ratings, gaps, target, assessment.profile.preparing
        )

    def recommend(
        self,
        assessment: Assessment,
        *,
        top: int | None = DEFAULT_TOP,
        locale: Locale = "fr",
        k_paths: int = DEFAULT_PATHS,
        target: str | None = None,
        next_limit: int | None = None,
        next_offset: int = 0,
    ) -> Recommendation:
        """Readiness, next roles, and — with a target — paths and plan, for one assessment.

        `next_limit` / `next_offset`: which next roles to explain (all by default).
        """
        chosen = target or assessment.target
        vector = self.readiness_vector(assessment)
        next_roles = self.next_roles(
            assessment, locale, limit=next_limit, vector=vector, offset=next_offset
        )
        return Recommendation(
            readiness=tuple(self.readiness(assessment, top, vector)),
            scores=self.scores(assessment, vector),
            next_roles=tuple(next_roles),
            next_total=self.next_role_count(assessment),
            target=chosen,
            paths=tuple(self.paths(assessment, chosen, k_paths, vector)) if chosen else (),
            plan=self.plan(assessment, chosen, vector=vector) if chosen else None,
            vae_suggestions=tuple(self.vae_suggestions(assessment, chosen, vector)),
        )


class DerivedStore(Protocol):
    """Where engines keep what they derive, per referential version (e.g. a cache file)."""

    def load(self, version: str, per_role: int) -> IntArray | None: ...

    def save(self, version: str, per_role: int, derived: IntArray) -> None: ...


_CACHE: OrderedDict[str, Engine] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_BUILD_LOCK = threading.Lock()
CACHE_SIZE = 4
_store: DerivedStore | None = None


def use_derived_store(store: DerivedStore | None) -> None:
    """Make `engine_for` read and write derived transitions through `store`."""
    global _store
    _store = store


def engine_for(referential: Referential) -> Engine:
    """The engine of this referential version, built on first use and kept in a small LRU.

    Threads asking for the same new version wait for one build instead of each building
    their own; with a derived store, the build reads the derived transitions from it (or
    writes them there), so only the first process ever on a version pays that part.
    """
    version = referential.version
    with _CACHE_LOCK:
        engine = _CACHE.get(version)
        if engine is not None:
            _CACHE.move_to_end(version)
            return engine
    with _BUILD_LOCK:
        with _CACHE_LOCK:
            engine = _CACHE.get(version)
        if engine is None:
            engine = _build(referential)
    with _CACHE_LOCK:
        _CACHE[version] = engine
        _CACHE.move_to_end(version)
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return engine


def _build(referential: Referential) -> Engine:
    store = _store
    derived = store.load(referential.version, DERIVED_PER_ROLE) if store else None
    engine = Engine(referential, derived=derived)
    if store is not None and derived is None:
        store.save(referential.version, DERIVED_PER_ROLE, engine.derived_transitions)
    return engine
