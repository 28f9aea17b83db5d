"""Funding routes: who pays for a training, for this person, and what is left to pay.

The French routes modelled, with their eligibility (what the person tells us decides it):

| route | open when | counted in the estimate |
| --- | --- | --- |
| `apprenticeship` | alternance, long certifying training, under 30 at entry, or 30 and over with an exception the person confirms (`age_exception`: RQTH, a business creation or takeover project, a listed high-level athlete; asked only when it changes the plan) | the whole price (the OPCO pays the centre) |
| `contrat_pro` | alternance, under 26, or a job seeker of 26 and over | the whole price |
| `pro_a` | alternance, employed, qualification below licence (level < 6) | the whole price (with the employer's agreement) |
| `cpf` | the certification is CPF-eligible (RNCP or RS), employed or job seeker | up to the balance the person gave, shared by the plan |
| `employer_plan` | employed (plan de développement des compétences) | nothing: the employer decides |
| `transitions_pro` | employed, long certifying training, the target is another job | nothing: the commission decides |
| `aif` | job seeker (aide individuelle à la formation, France Travail) | nothing: France Travail decides |

An alternance training is a modality with eligibility, not a free training: when no
alternance route is open to the person (or their age or situation is unknown) it is not a
candidate at all. Every figure is an estimate, to confirm with a counsellor or the OPCO.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from careerpath.domain.assessment import AgeBand, Profile
from careerpath.domain.referential import Modality, Situation, Training, TrainingKind

LICENCE_LEVEL = 6


class Route(StrEnum):
    """A way a training gets paid for."""

    APPRENTICESHIP = "apprenticeship"
    CONTRAT_PRO = "contrat_pro"
    PRO_A = "pro_a"
    CPF = "cpf"
    EMPLOYER_PLAN = "employer_plan"
    TRANSITIONS_PRO = "transitions_pro"
    AIF = "aif"


ALTERNANCE_ROUTES = (Route.APPRENTICESHIP, Route.CONTRAT_PRO, Route.PRO_A)


@dataclass(frozen=True, slots=True)
class Funding:
    """One open route and the amount counted from it (None: possible, amount decided by
    the funder, so not counted in the out-of-pocket estimate)."""

    route: Route
    amount_eur: float | None


@dataclass(frozen=True, slots=True)
class ItemFunding:
    """The routes open for one training before the CPF is shared out across the plan.

    `residual_eur` is what remains after the counted non-CPF routes; `cpf` says whether the
    CPF may pay part of that residual.
    """

    routes: tuple[Route, ...]
    residual_eur: float
    cpf: bool
    alternance_open: bool


def apprenticeship_age(profile: Profile) -> bool:
    """Under 30 at entry, or 30 and over with an exception (RQTH, a business creation or
    takeover project, a high-level athlete: `Profile.age_exception`)."""
    age = profile.age_band
    if age in (AgeBand.UNDER_26, AgeBand.FROM_26_TO_29):
        return True
    return age == AgeBand.FROM_30 and profile.age_exception is True


def alternance_routes(training: Training, profile: Profile) -> tuple[Route, ...]:
    """The alternance contracts open to this person for this training (in preference order)."""
    if training.modality != Modality.ALTERNANCE:
        return ()
    routes: list[Route] = []
    age, situation = profile.age_band, profile.situation
    if training.is_long and apprenticeship_age(profile):
        routes.append(Route.APPRENTICESHIP)
    if age == AgeBand.UNDER_26 or (
        situation == Situation.JOB_SEEKER and age in (AgeBand.FROM_26_TO_29, AgeBand.FROM_30)
    ):
        routes.append(Route.CONTRAT_PRO)
    if (
        situation == Situation.EMPLOYED
        and profile.qualification_level is not None
        and profile.qualification_level < LICENCE_LEVEL
        and training.is_long
    ):
        routes.append(Route.PRO_A)
    return tuple(routes)


def item_funding(training: Training, profile: Profile, changes_job: bool) -> ItemFunding:
    """The routes open to this person for this training, and the residual before the CPF."""
    price = training.cost_eur
    if training.kind == TrainingKind.ACTION:
        return ItemFunding((), price, False, True)
    if training.modality == Modality.ALTERNANCE:
        contracts = alternance_routes(training, profile)
        return ItemFunding(contracts, 0.0 if contracts else price, False, bool(contracts))
    situation = profile.situation
    routes: list[Route] = []
    cpf = training.cpf and situation in (None, Situation.EMPLOYED, Situation.JOB_SEEKER)
    if cpf:
        routes.append(Route.CPF)
    if situation == Situation.EMPLOYED:
        routes.append(Route.EMPLOYER_PLAN)
        if training.is_long and changes_job:
            routes.append(Route.TRANSITIONS_PRO)
    if situation == Situation.JOB_SEEKER:
        routes.append(Route.AIF)
    return ItemFunding(tuple(routes), price, cpf, True)


def item_lines(
    training: Training, funding: ItemFunding, cpf_used: float, cpf_known: bool
) -> tuple[tuple[Funding, ...], float]:
    """The funding lines shown for one item and its out-of-pocket estimate."""
    lines: list[Funding] = []
    for route in funding.routes:
        if route in ALTERNANCE_ROUTES:
            # Only the first open contract is counted: one contract pays the training.
            counted = training.cost_eur if route == funding.routes[0] else None
            lines.append(Funding(route, counted))
        elif route == Route.CPF:
            lines.append(Funding(route, round(cpf_used, 2) if cpf_known else None))
        else:
            lines.append(Funding(route, None))
    return tuple(lines), max(round(funding.residual_eur - cpf_used, 2), 0.0)
