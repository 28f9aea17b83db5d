"""`POST /api/v1/recommend`: one assessment in, its recommendation out.

The same JSON contract as `careerpath recommend` (docs/engine.md, services/recommendation.py):
the request model describes the assessment format and refuses what the CLI refuses with
the CLI's own messages (custom pydantic errors named after `recommendation.MESSAGES`);
what depends on the referential in service (unknown competency or role) is checked by
`recommendation.parse_assessment`, as for the CLI. The answer models describe
`recommendation_json`; they let through fields they do not name yet (`extra="allow"`), so
a field added to the contract is never dropped on the way out.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

import anyio
from anyio.lowlevel import RunVar
from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from careerpath.api.access import Access, access
from careerpath.api.errors import quoted, request_locale
from careerpath.domain.assessment import (
    MAX_HORIZON_MONTHS,
    MAX_HOURS_PER_WEEK,
    MAX_QUALIFICATION_LEVEL,
    MIN_QUALIFICATION_LEVEL,
    AgeBand,
)
from careerpath.domain.explain import CONSTRAINT_LABELS
from careerpath.domain.funding import Route as FundingRoute
from careerpath.domain.planning import RouteKind as RouteKindOut
from careerpath.domain.planning import Step
from careerpath.domain.referential import MAX_RATING, Modality, Situation
from careerpath.services import recommendation
from careerpath.services.labels import Locale
from careerpath.services.recommendation import AssessmentError, AssessmentInvalid
from careerpath.services.referential import load_referential

router = APIRouter(tags=["recommandation"])

MAX_TOP = 500
MAX_OFFSET = 100_000
MAX_CODE = 200
MODALITIES = tuple(m.value for m in Modality)


def _fail(code: str, **params: object) -> PydanticCustomError:
    return PydanticCustomError(code, recommendation.MESSAGES[code]["en"], dict(params))


def _rating(value: object) -> object:
    integer = (
        value
        if isinstance(value, int) and not isinstance(value, bool)
        else int(value)
        if isinstance(value, float) and math.isfinite(value) and value.is_integer()
        else None
    )
    if integer is None:
        raise _fail("rating_not_integer", value=quoted(value))
    if not 0 <= integer <= MAX_RATING:
        raise _fail("rating_out_of_range", value=quoted(integer), maximum=MAX_RATING)
    return integer


def _code(value: object) -> object:
    if value is not None and not isinstance(value, str):
        raise _fail("not_code", value=quoted(value))
    return value


def _ratings(value: object) -> object:
    if not isinstance(value, dict):
        raise _fail("ratings_not_object")
    return value


def _constraints(value: object) -> object:
    if value is not None and not isinstance(value, dict):
        raise _fail("constraints_not_object")
    return value


def _limit(value: object) -> object:
    ok = value is None or (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )
    if not ok:
        raise _fail("not_number", value=quoted(value))
    return value


def _modalities(value: object) -> object:
    if value is None:
        return value
    if not isinstance(value, list):
        raise _fail("modalities_not_list", value=quoted(value))
    for item in value:
        if item not in MODALITIES:
            shown = item[:MAX_CODE] if isinstance(item, str) else quoted(item)
            raise _fail("unknown_modality", value=shown, allowed=", ".join(MODALITIES))
    return value


Rating = Annotated[int, Field(ge=0, le=MAX_RATING), BeforeValidator(_rating)]
RoleCode = Annotated[str | None, Field(max_length=MAX_CODE), BeforeValidator(_code)]
Limit = Annotated[float | None, Field(ge=0), BeforeValidator(_limit)]


def _positive(maximum: float) -> Any:
    def check(value: object) -> object:
        ok = value is None or (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
            and 0 < value <= maximum
        )
        if not ok:
            raise _fail("not_positive", value=quoted(value), maximum=f"{maximum:g}")
        return value

    return check


def _one_of(allowed: tuple[str, ...]) -> Any:
    def check(value: object) -> object:
        if value is None or value == "":
            return None
        if value not in allowed:
            shown = value[:MAX_CODE] if isinstance(value, str) else quoted(value)
            raise _fail("unknown_choice", value=shown, allowed=", ".join(allowed))
        return value

    return check


def _level(value: object) -> object:
    if value is None:
        return value
    integer = (
        value
        if isinstance(value, int) and not isinstance(value, bool)
        else int(value)
        if isinstance(value, float) and math.isfinite(value) and value.is_integer()
        else None
    )
    if integer is None or not MIN_QUALIFICATION_LEVEL <= integer <= MAX_QUALIFICATION_LEVEL:
        raise _fail("qualification_out_of_range", value=quoted(value))
    return integer


def _boolean(value: object) -> object:
    if value is None or isinstance(value, bool):
        return value
    raise _fail("not_boolean", value=quoted(value))


SITUATIONS = tuple(s.value for s in Situation)
AGE_BANDS = tuple(a.value for a in AgeBand)


class ConstraintsIn(BaseModel):
    """What the training plan must respect; null or absent means no limit."""

    max_hours: Limit = Field(None, description="heures de formation au plus")
    max_cost_eur: Limit = Field(
        None, description="reste à charge au plus, en euros (après les financements)"
    )
    modalities: Annotated[list[Modality] | None, BeforeValidator(_modalities)] = Field(
        None, description="modalités acceptées (toutes si null)"
    )
    hours_per_week: Annotated[
        float | None,
        Field(gt=0, le=MAX_HOURS_PER_WEEK),
        BeforeValidator(_positive(MAX_HOURS_PER_WEEK)),
    ] = Field(None, description="heures de formation par semaine (le rythme)")
    horizon_months: Annotated[
        float | None,
        Field(gt=0, le=MAX_HORIZON_MONTHS),
        BeforeValidator(_positive(MAX_HORIZON_MONTHS)),
    ] = Field(None, description="horizon en mois (avec le rythme, borne les semaines du plan)")
    cpf_balance_eur: Limit = Field(None, description="solde du compte personnel de formation")


class AssessmentIn(BaseModel):
    """One assessment, as `careerpath recommend` reads it; unknown extra keys are ignored."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "current_role": "secretaire",
                    "ratings": {"org-prioriser": 3, "rh-paie": 1},
                    "target": "gestionnaire-paie",
                    "constraints": {"max_cost_eur": 500, "modalities": ["distance"]},
                }
            ]
        }
    )

    current_role: RoleCode = Field(None, description="code du métier actuel")
    ratings: Annotated[dict[str, Rating], BeforeValidator(_ratings)] = Field(
        description="note de 0 (pas du tout) à 4 (expert·e) par code de compétence"
    )
    target: RoleCode = Field(None, description="code du métier visé (le paramètre target prime)")
    constraints: Annotated[ConstraintsIn | None, BeforeValidator(_constraints)] = None
    situation: Annotated[
        str | None,
        Field(json_schema_extra={"enum": [*SITUATIONS, None]}),
        BeforeValidator(_one_of(SITUATIONS)),
    ] = Field(None, description="situation : en poste, en recherche d'emploi, en formation")
    qualification_level: Annotated[
        int | None,
        Field(ge=MIN_QUALIFICATION_LEVEL, le=MAX_QUALIFICATION_LEVEL),
        BeforeValidator(_level),
    ] = Field(None, description="plus haut niveau de qualification (1 à 8)")
    age_band: Annotated[
        str | None,
        Field(json_schema_extra={"enum": [*AGE_BANDS, None]}),
        BeforeValidator(_one_of(AGE_BANDS)),
    ] = Field(None, description="tranche d'âge, utile seulement pour l'alternance")
    age_exception: Annotated[bool | None, BeforeValidator(_boolean)] = Field(
        None,
        description="une exception lève la limite d'âge de l'apprentissage (RQTH, projet de "
        "création ou de reprise d'entreprise, sportif·ve de haut niveau)",
    )
    preparing: RoleCode = Field(
        None, description="code du diplôme ou titre professionnel en préparation"
    )


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Requirement(_Open):
    competency: str
    has: int = Field(ge=0, le=MAX_RATING)
    needs: int = Field(ge=0, le=MAX_RATING)
    weight: str = Field(examples=["essential", "useful"])


class Readiness(_Open):
    role: str
    title: str
    score: float = Field(ge=0, le=100)
    gaps: list[Requirement]
    strengths: list[Requirement]


class NextRole(_Open):
    role: str
    title: str
    score: float = Field(ge=0, le=100)
    group: str = Field(examples=["ready", "one_training", "long_term"])
    why: str


class CareerPath(_Open):
    steps: list[str] = Field(description="codes des métiers, du métier actuel à la cible")
    effort_hours: float = Field(ge=0)
    why: str


class FundingOut(_Open):
    """One way the item can be paid for, and the amount counted from it."""

    route: FundingRoute = Field(description="dispositif de financement")
    amount_eur: float | None = Field(
        ge=0,
        description="montant compté, en euros (null : possible, montant décidé par le "
        "financeur, non compté dans le reste à charge)",
    )


class PlanItem(_Open):
    training: str
    title: str
    kind: str
    step: Step = Field(description="place dans le parcours : VAE, formation longue, courte, action")
    modality: str
    cpf: bool
    level: int | None = Field(None, ge=1, le=8, description="niveau de qualification (1 à 8)")
    rncp: str | None = Field(None, description="fiche RNCP de la certification")
    hours: float = Field(ge=0)
    weeks: int = Field(ge=0, description="semaines au rythme choisi")
    cost_eur: float = Field(ge=0)
    funding: list[FundingOut]
    out_of_pocket_eur: float = Field(ge=0, description="reste à charge estimé, en euros")
    covers: list[str]
    prerequisites: str
    why: str
    to_show: list[str] | None = Field(
        None, description="VAE : compétences de la certification qu'il reste à montrer"
    )
    vae: str | None = Field(None, description="VAE : les étapes, en une phrase")
    blocs_met: list[str] = Field(
        default_factory=list,
        description="blocs de compétences de la certification déjà maîtrisés en entier "
        "(une VAE partielle peut les faire valider)",
    )


class RouteOut(_Open):
    """What the route rests on (a VAE, one long training, short courses, nothing), and why."""

    kind: RouteKindOut
    certification: str | None = Field(None, description="code de la certification visée")
    why: str


BlockedBy = Annotated[
    str,
    Field(
        json_schema_extra={"enum": list(CONSTRAINT_LABELS["fr"])},
        description="une contrainte de la personne qui empêche tout plan",
    ),
]


class PlanBase(_Open):
    items: list[PlanItem] = Field(description="dans l'ordre du parcours")
    hours: float = Field(ge=0)
    weeks: int = Field(ge=0)
    cost_eur: float = Field(ge=0)
    out_of_pocket_eur: float = Field(ge=0)
    estimate: str = Field(description="la phrase qui dit que le reste à charge est estimé")
    uncovered: list[str]
    in_progress: list[str] = Field(
        default_factory=list,
        description="écarts que comblera le diplôme en préparation (jamais proposé à nouveau)",
    )
    optimal: bool
    route: RouteOut
    ask: list[str] = Field(
        description="champs du profil laissés vides qui changeraient ce plan "
        "(situation, qualification_level, age_band, cpf_balance_eur)"
    )
    blocked_by: list[BlockedBy] = Field(
        description="le plus petit ensemble de contraintes qui vide le plan (vide sinon)"
    )


class RelaxedPlan(PlanBase):
    """The plan once the blocking constraints are lifted (never nested further)."""


class Plan(PlanBase):
    relaxed: RelaxedPlan | None = Field(
        None, description="le plan sans les contraintes de blocked_by (null sans blocage)"
    )
    blocked: str = Field("", description="la phrase qui dit ce qui bloque (vide sinon)")


class VaeSuggestion(_Open):
    training: str
    title: str
    certification: str
    met: int = Field(ge=0)
    total: int = Field(ge=0)
    covers: list[str]
    blocs: list[str] = Field(
        default_factory=list,
        description="VAE partielle : les blocs de compétences déjà maîtrisés en entier",
    )
    bloc_total: int = Field(
        0, ge=0, description="VAE partielle : nombre de blocs de la certification"
    )
    why: str


class RecommendationOut(_Open):
    """Readiness, next roles and, with a target, paths and a training plan (docs/engine.md)."""

    readiness: list[Readiness] = Field(description="les `top` métiers les plus à portée")
    scores: dict[str, float] | None = Field(
        None, description="score de chaque métier (avec all_scores seulement)"
    )
    next_roles: list[NextRole]
    next_roles_total: int | None = Field(
        None, description="combien de métiers possibles en tout (next_roles en montre `top`)"
    )
    target: str | None = None
    paths: list[CareerPath] | None = None
    plan: Plan | None = None
    vae_suggestions: list[VaeSuggestion]


def _invalid(errors: list[AssessmentError], locale: Locale) -> RequestValidationError:
    # Raised as a validation error, so it shares the API's one 400 format and language.
    return RequestValidationError(
        [
            {
                "type": e.code,
                "loc": ("body", *(e.field.split(".", 1) if e.field else ())),
                "msg": e.reason("en"),
                "ctx": dict(e.params),
            }
            for e in errors
        ]
    )


@router.post(
    "/recommend",
    summary="Recommander à partir d'une évaluation",
    openapi_extra=access(Access.PUBLIC),
    response_model_exclude_none=True,
)
async def recommend(
    request: Request,
    assessment: AssessmentIn,
    target: Annotated[
        str | None, Query(max_length=MAX_CODE, description="code du métier visé")
    ] = None,
    top: Annotated[int, Query(ge=1, le=MAX_TOP, description="nombre de métiers dans readiness")] = (
        recommendation.DEFAULT_TOP
    ),
    offset: Annotated[
        int,
        Query(
            ge=0,
            le=MAX_OFFSET,
            description="next_roles à partir de ce rang (0 : les premiers ; « Voir plus » : top)",
        ),
    ] = 0,
    all_scores: Annotated[bool, Query(description="ajouter le score de chaque métier")] = False,
    # Declared for the document and checked; request_locale reads it (or Accept-Language).
    lang: Annotated[
        Locale | None, Query(description="langue des messages et des phrases (fr par défaut)")
    ] = None,
) -> RecommendationOut:
    """La préparation aux `top` métiers les plus à portée, chaque métier possible ensuite (du
    plus naturel au moins naturel) avec sa raison et, avec un métier visé (paramètre ou
    corps), les chemins qui y mènent et le plan de formation le moins lourd.

    Le corps est l'évaluation que lit `careerpath recommend` ; une erreur nomme le champ
    (`ratings.org-prioriser`), en français, ou en anglais avec `lang=en`."""
    locale = request_locale(request)
    # CPU-bound work, on the worker's engine threads (at most ENGINE_THREADS at a time,
    # however many requests wait): the event loop stays free for every other user. The
    # JSON is made there too (on ESCO with all_scores, a large text).
    response = await anyio.to_thread.run_sync(
        _recommendation,
        assessment,
        target or None,
        top,
        offset,
        all_scores,
        locale,
        limiter=engine_limiter(),
    )
    # The answer model documents this JSON (response_model), the JSON itself is the CLI's.
    return response  # type: ignore[return-value]


ENGINE_THREADS = 2
"""How many threads of a worker compute recommendations at once. The engine's work holds
Python's lock (the GIL) nearly all the time, so more threads only take turns with it: with
FastAPI's default pool (40 threads), 32 waiting requests cost each about 40 % more CPU than
one at a time (`benchmarks/load.py`). Two let one request's database read overlap another's
computation."""

_limiter: RunVar[anyio.CapacityLimiter] = RunVar("careerpath_engine_limiter")


def engine_limiter() -> anyio.CapacityLimiter:
    """The event loop's one limiter for engine work (one per loop, as anyio keeps its own
    default limiter: a limiter belongs to the loop it was made in)."""
    try:
        return _limiter.get()
    except LookupError:
        limiter = anyio.CapacityLimiter(ENGINE_THREADS)
        _limiter.set(limiter)
        return limiter


def _recommendation(
    assessment: AssessmentIn,
    target: str | None,
    top: int,
    offset: int,
    all_scores: bool,
    locale: Locale,
) -> JSONResponse:
    referential = load_referential()
    unknown = recommendation.check_target(target, referential)
    if unknown is not None:
        raise _invalid([unknown], locale)
    try:
        answer = recommendation.recommend_one(
            assessment.model_dump(mode="json"),
            referential,
            target=target,
            top=top,
            all_scores=all_scores,
            locale=locale,
            offset=offset,
        )
    except AssessmentInvalid as invalid:
        raise _invalid(invalid.errors, locale) from None
    return JSONResponse(answer)
