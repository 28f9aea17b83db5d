"""The referential: roles, competencies, requirements, transitions and trainings.

These immutable dataclasses are what every importer produces and what the engine reads.
A `Referential` is a complete, validated snapshot; its `version` identifies the content so
that expensive derived structures (the role graph, matrices) can be cached per version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

MIN_LEVEL = 1
MAX_LEVEL = 4
MAX_RATING = 4


class Weight(StrEnum):
    """How much a requirement matters for a role."""

    ESSENTIAL = "essential"
    USEFUL = "useful"


class TransitionKind(StrEnum):
    """Where a role-to-role transition comes from."""

    CURATED = "curated"
    DERIVED = "derived"


class TrainingKind(StrEnum):
    """The kinds of training the plan can propose."""

    DIPLOME = "diplome"
    TITRE_PRO = "titre_pro"
    CERTIFICATION = "certification"
    FORMATION_COURTE = "formation_courte"
    VAE = "vae"
    ACTION = "action"
    """An on-the-job action rather than a course: a mission or tutorat at work, an immersion
    (PMSMP), joining a professional network."""


LONG_KINDS = frozenset({TrainingKind.DIPLOME, TrainingKind.TITRE_PRO})
"""Long certifying trainings: a plan holds at most one (see `Training.is_long`)."""


class Situation(StrEnum):
    """Where a person stands, for funding routes and on-the-job actions."""

    EMPLOYED = "employed"
    JOB_SEEKER = "job_seeker"
    STUDENT = "student"


class Modality(StrEnum):
    """How a training is delivered."""

    PRESENTIEL = "presentiel"
    DISTANCE = "distance"
    HYBRIDE = "hybride"
    ALTERNANCE = "alternance"


@dataclass(frozen=True, slots=True)
class Competency:
    """A competency a person can rate from 0 (pas encore) to 4 (expertise)."""

    code: str
    label: str
    category: str
    description: str = ""
    levels: tuple[str, str, str, str] = ("", "", "", "")


@dataclass(frozen=True, slots=True)
class Role:
    """A job, with its inclusive title and the facts a person needs to recognise it."""

    code: str
    title: str
    family: str = ""
    rome_code: str = ""
    qualification_level: int | None = None
    description: str = ""
    alt_titles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Requirement:
    """A role needs a competency at a level (1–4), either essential or merely useful."""

    role: str
    competency: str
    level: int
    weight: Weight = Weight.ESSENTIAL


@dataclass(frozen=True, slots=True)
class Transition:
    """A realistic move from one role to another."""

    from_role: str
    to_role: str
    kind: TransitionKind = TransitionKind.CURATED


@dataclass(frozen=True, slots=True)
class Training:
    """A training, a certification or a VAE route, with what it costs in time and money."""

    code: str
    title: str
    kind: TrainingKind
    hours: float
    cost_eur: float
    modality: Modality = Modality.PRESENTIEL
    cpf: bool = False
    rncp: str = ""
    qualification_level: int | None = None
    prerequisites: str = ""
    entry_level: int | None = None
    """The qualification level (1–8) needed to enter; None when anyone may (prerequisites)."""
    situations: frozenset[Situation] = frozenset()
    """Who may take it (e.g. a PMSMP: job seekers); empty means everyone."""

    @property
    def is_long(self) -> bool:
        """A long certifying training: a diploma, a titre professionnel, or an RNCP
        certification with a qualification level (not a short RS certification)."""
        return self.kind in LONG_KINDS or (
            self.kind == TrainingKind.CERTIFICATION and self.qualification_level is not None
        )

    @property
    def is_certifying(self) -> bool:
        """Leads to a certification of a qualification level (long training or its VAE)."""
        return self.is_long or (
            self.kind == TrainingKind.VAE and self.qualification_level is not None
        )


@dataclass(frozen=True, slots=True)
class TrainingOutcome:
    """Completing a training brings a competency up to a level."""

    training: str
    competency: str
    level: int


@dataclass(frozen=True, slots=True)
class Bloc:
    """A bloc de compétences of a certification: a part that can be validated on its own
    (by VAE or by training), named as the certification's référentiel names it."""

    certification: str
    code: str
    title: str
    competencies: tuple[str, ...]
    """Competencies of the certification's outcomes this bloc certifies."""


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a referential comes from, so every screen and export can credit it."""

    source: str = "careerpath"
    version: str = ""
    date: str = ""
    licence: str = ""


@dataclass(frozen=True)
class Referential:
    """A complete snapshot of roles, competencies and trainings, with lookup indexes."""

    competencies: tuple[Competency, ...] = ()
    roles: tuple[Role, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    transitions: tuple[Transition, ...] = ()
    trainings: tuple[Training, ...] = ()
    outcomes: tuple[TrainingOutcome, ...] = ()
    provenance: Provenance = field(default_factory=Provenance)
    blocs: tuple[Bloc, ...] = ()

    @cached_property
    def competency_by_code(self) -> Mapping[str, Competency]:
        return {c.code: c for c in self.competencies}

    @cached_property
    def role_by_code(self) -> Mapping[str, Role]:
        return {r.code: r for r in self.roles}

    @cached_property
    def training_by_code(self) -> Mapping[str, Training]:
        return {t.code: t for t in self.trainings}

    @cached_property
    def requirements_by_role(self) -> Mapping[str, tuple[Requirement, ...]]:
        grouped: dict[str, list[Requirement]] = {r.code: [] for r in self.roles}
        for req in self.requirements:
            grouped.setdefault(req.role, []).append(req)
        return {
            code: tuple(sorted(reqs, key=lambda q: q.competency)) for code, reqs in grouped.items()
        }

    @cached_property
    def outcomes_by_training(self) -> Mapping[str, tuple[TrainingOutcome, ...]]:
        grouped: dict[str, list[TrainingOutcome]] = {t.code: [] for t in self.trainings}
        for out in self.outcomes:
            grouped.setdefault(out.training, []).append(out)
        return {
            code: tuple(sorted(outs, key=lambda o: o.competency)) for code, outs in grouped.items()
        }

    @cached_property
    def blocs_by_certification(self) -> Mapping[str, tuple[Bloc, ...]]:
        grouped: dict[str, list[Bloc]] = {}
        for bloc in self.blocs:
            grouped.setdefault(bloc.certification, []).append(bloc)
        return {code: tuple(blocs) for code, blocs in grouped.items()}

    @cached_property
    def categories(self) -> tuple[str, ...]:
        """Competency categories in first-seen order (the order a person rates them)."""
        return tuple(dict.fromkeys(c.category for c in self.competencies))

    @cached_property
    def version(self) -> str:
        """A short content hash: equal referentials share it, any change (order included,
        since order is what a person sees) alters it."""
        digest = hashlib.sha256()
        for part in (
            self.competencies,
            self.roles,
            self.requirements,
            self.transitions,
            self.trainings,
            self.outcomes,
            *((self.blocs,) if self.blocs else ()),  # referentials without blocs keep their hash
        ):
            digest.update(repr(part).encode())
            digest.update(b"\x00")
        return digest.hexdigest()[:16]
