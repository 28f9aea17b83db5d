"""The recommendation engine: readiness, next roles, paths and training plans for a person.

An `Engine` is built once per referential version (`engine_for` keeps a few in an LRU): it
holds the requirement matrix, the proximity model, the role graph and the training
catalogue, so answering one assessment is a handful of vectorised passes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import networkx as nx
import numpy as np
import scipy.sparse as sp

from careerpath.domain.assessment import Assessment
from careerpath.domain.explain import Voice, why_role
from careerpath.domain.graph import DERIVED_PER_ROLE, build_graph
from careerpath.domain.matrix import BoolArray, FloatArray, IntArray, build_matrix
from careerpath.domain.paths import DEFAULT_PATHS, LINK_READINESS, CareerPath, PathFinder
from careerpath.domain.planning import (
    SOLVER_TIME_LIMIT_S,
    Person,
    TrainingCatalogue,
    TrainingPlan,
    VaeSuggestion,
    make_plan,
)
from careerpath.domain.proximity import W_CURATED, build_proximity, fit_scores
from careerpath.domain.readiness import (
    ReadinessVector,
    RoleReadiness,
    ranking,
    role_detail,
    score_all,
)
from careerpath.domain.referential import MAX_LEVEL, Referential, TransitionKind
from careerpath.i18n import Locale

READY_MIN_SCORE = 85.0
ONE_TRAINING_MIN_SCORE = 60.0
DEFAULT_TOP = 20


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
class Recommendation:
    """Everything the engine says about one assessment."""

    readiness: tuple[RoleReadiness, ...]
    scores: Mapping[str, float]
    next_roles: tuple[NextRole, ...]
    target: str | None
    paths: tuple[CareerPath, ...]
    plan: TrainingPlan | None
    vae_suggestions: tuple[VaeSuggestion, ...]


class Engine:
    """Precomputed structures for one referential version; safe to share between threads."""

    def __init__(self, referential: Referential, *, derived_per_role: int = DERIVED_PER_ROLE):
        self.referential = referential
        self.version = referential.version
        self.matrix = build_matrix(referential)
        self.proximity = build_proximity(referential, self.matrix)
        self.graph: nx.DiGraph = build_graph(referential, self.proximity, derived_per_role)
        self.paths_finder = PathFinder(self.graph)
        self.catalogue = TrainingCatalogue(referential)
        self._curated_from = self._curated_targets()
        self._training_codes = tuple(t.code for t in self.catalogue.trainings)
        self._reached = self._training_levels()
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

    def _training_levels(self) -> list[sp.csr_matrix]:
        """Per level k: trainings × competencies indicator of an outcome reaching k."""
        m = self.matrix
        rows: list[int] = []
        cols: list[int] = []
        levels: list[int] = []
        for i, code in enumerate(self._training_codes):
            for comp, level in self.catalogue.outcomes[code].items():
                j = m.competency_index.get(comp)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
                    levels.append(level)
        level_arr = np.asarray(levels, dtype=np.int64)
        shape = (len(self._training_codes), m.n_competencies)
        return [
            sp.csr_matrix(((level_arr >= k).astype(np.float64), (rows, cols)), shape=shape)
            for k in range(1, MAX_LEVEL + 1)
        ]

    # -- readiness ------------------------------------------------------------------------

    def readiness_vector(self, assessment: Assessment) -> ReadinessVector:
        """Scores of every role (role-index order) for one assessment."""
        return score_all(self.matrix, self.matrix.ratings_vector(assessment.ratings))

    def _vector(self, assessment: Assessment, vector: ReadinessVector | None) -> ReadinessVector:
        return vector if vector is not None else self.readiness_vector(assessment)

    def scores(
        self, assessment: Assessment, vector: ReadinessVector | None = None
    ) -> dict[str, float]:
        """Every role's readiness score by role code."""
        vector = self._vector(assessment, vector)
        return dict(zip(self.matrix.role_codes, vector.scores.tolist(), strict=True))

    def readiness(
        self,
        assessment: Assessment,
        top: int | None = DEFAULT_TOP,
        vector: ReadinessVector | None = None,
    ) -> list[RoleReadiness]:
        """The best `top` roles (all when None), best first, with gaps and strengths."""
        vector = self._vector(assessment, vector)
        order = ranking(vector)
        if top is not None:
            order = order[: max(top, 0)]
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
        ratings = m.ratings_vector(assessment.ratings).astype(np.float64)
        profile = sp.csr_matrix(ratings[None, :])
        current = m.role_index.get(assessment.current_role or "", -1)
        fits = fit_scores(self.proximity, profile, vector.tenths[None, :], np.asarray([current]))
        fit: FloatArray = fits[0]
        if current >= 0 and current in self._curated_from:
            fit[self._curated_from[current]] += W_CURATED
        return fit

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
    ) -> list[NextRole]:
        """All roles but the current one, best move first, grouped and explained.

        `voice`: whom the reasons speak of, the person or (for a diploma's outcomes) the diploma.
        """
        m = self.matrix
        vector = self._vector(assessment, vector)
        fit = self.fit(assessment, vector)
        order = self._order(assessment, fit)
        if limit is not None:
            order = order[: max(limit, 0)]
        groups = self._groups(assessment, vector)
        missing = self._missing_labels(vector, order)
        by_code = self.referential.role_by_code
        essentials = m.role_essentials.tolist()
        totals = m.role_requirements.tolist()
        unmet_essentials = vector.unmet_essentials.tolist()
        unmet_all = vector.unmet.tolist()
        tenths = vector.tenths.tolist()
        fits = fit.tolist()
        result: list[NextRole] = []
        for i in order.tolist():
            unmet_ess, unmet = unmet_essentials[i], unmet_all[i]
            why = why_role(
                essentials_met=essentials[i] - unmet_ess,
                essentials_total=essentials[i],
                requirements_met=totals[i] - unmet,
                requirements_total=totals[i],
                missing=missing.get(i, []),
                missing_total=unmet_ess if unmet_ess else unmet,
                missing_are_essential=unmet_ess > 0,
                locale=locale,
                voice=voice,
            )
            code = m.role_codes[i]
            result.append(
                NextRole(
                    role=code,
                    title=by_code[code].title,
                    score=tenths[i] / 10.0,
                    group=groups[i],
                    why=why,
                    fit=fits[i],
                )
            )
        return result

    def _groups(self, assessment: Assessment, vector: ReadinessVector) -> list[RoleGroup]:
        scores = vector.tenths / 10.0
        ready = (scores >= READY_MIN_SCORE) & (vector.unmet_essentials == 0)
        near = (scores >= ONE_TRAINING_MIN_SCORE) | self._one_training_closes(assessment, vector)
        return [
            RoleGroup.READY if r else RoleGroup.ONE_TRAINING if n else RoleGroup.LONG_TERM
            for r, n in zip(ready.tolist(), near.tolist(), strict=True)
        ]

    def _one_training_closes(self, assessment: Assessment, vector: ReadinessVector) -> BoolArray:
        """Roles whose every gap a single training (or an eligible VAE) closes."""
        m = self.matrix
        n = m.n_roles
        if not self._training_codes:
            return np.zeros(n, dtype=np.bool_)
        usable = np.asarray(
            [
                t.kind != "vae" or self.catalogue.vae_eligible(t.code, assessment.ratings)
                for t in self.catalogue.trainings
            ],
            dtype=np.float64,
        )
        unmet = vector.has < m.entry_level
        counts = sp.csr_matrix((n, len(self._training_codes)), dtype=np.float64)
        for k in range(1, MAX_LEVEL + 1):
            mask = unmet & (m.entry_level == k)
            if not mask.any():
                continue
            gaps = sp.csr_matrix(
                (np.ones(int(mask.sum())), (m.entry_role[mask], m.entry_competency[mask])),
                shape=(n, m.n_competencies),
            )
            counts = counts + gaps @ (sp.diags(usable) @ self._reached[k - 1]).T
        best = np.asarray(counts.max(axis=1).toarray()).ravel()
        result: BoolArray = (vector.unmet > 0) & (np.rint(best).astype(np.int64) == vector.unmet)
        return result

    def _missing_labels(self, vector: ReadinessVector, roles: IntArray) -> dict[int, list[str]]:
        """Up to three gap labels per role: essential first, then largest, then code."""
        m = self.matrix
        unmet = np.flatnonzero(vector.has < m.entry_level)
        if len(unmet) == 0:
            return {}
        role_of = m.entry_role[unmet]
        wanted = np.zeros(m.n_roles, dtype=np.bool_)
        wanted[roles] = True
        unmet = unmet[wanted[role_of]]
        if len(unmet) == 0:
            return {}
        role_of = m.entry_role[unmet]
        size = m.entry_level[unmet] - vector.has[unmet]
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
        return self.catalogue.vae_suggestions(assessment.ratings, gaps)

    def recommend(
        self,
        assessment: Assessment,
        *,
        top: int | None = DEFAULT_TOP,
        locale: Locale = "fr",
        k_paths: int = DEFAULT_PATHS,
        target: str | None = None,
    ) -> Recommendation:
        """Readiness, next roles, and — with a target — paths and plan, for one assessment."""
        chosen = target or assessment.target
        vector = self.readiness_vector(assessment)
        return Recommendation(
            readiness=tuple(self.readiness(assessment, top, vector)),
            scores=self.scores(assessment, vector),
            next_roles=tuple(self.next_roles(assessment, locale, vector=vector)),
            target=chosen,
            paths=tuple(self.paths(assessment, chosen, k_paths, vector)) if chosen else (),
            plan=self.plan(assessment, chosen, vector=vector) if chosen else None,
            vae_suggestions=tuple(self.vae_suggestions(assessment, chosen, vector)),
        )


_CACHE: OrderedDict[str, Engine] = OrderedDict()
_CACHE_LOCK = threading.Lock()
CACHE_SIZE = 4


def engine_for(referential: Referential) -> Engine:
    """The engine of this referential version, built on first use and kept in a small LRU."""
    version = referential.version
    with _CACHE_LOCK:
        engine = _CACHE.get(version)
        if engine is not None:
            _CACHE.move_to_end(version)
            return engine
    engine = Engine(referential)
    with _CACHE_LOCK:
        _CACHE[version] = engine
        _CACHE.move_to_end(version)
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return engine
