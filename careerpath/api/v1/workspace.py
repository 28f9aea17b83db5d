"""The counsellor workspace over HTTP: the twins of /espace and /espace/beneficiaire/[id].

- `GET /api/v1/beneficiaries`: the caseload, one page (search, sort, status);
- `GET /api/v1/beneficiaries.csv`: the whole caseload as CSV (cells a spreadsheet would
  run are neutralised, `careerpath.data.csv_cells`);
- `GET /api/v1/beneficiaries/{beneficiary}`: one beneficiary with their dated snapshots;
- `GET /api/v1/beneficiaries/{beneficiary}/actions`: their action plan;
- `POST /api/v1/invitations`: a new beneficiary and their invitation (code, link, 14 days);
- `POST …/{beneficiary}/objectives`, `PATCH`/`DELETE …/objectives/{objective}`: objectives;
- `POST …/{beneficiary}/actions`, `PATCH …/actions/{action}` (status, dates, title,
  objective), `POST …/actions/{action}/comments`: the action plan;
- `GET …/{beneficiary}/counsellors`, `PUT …/{beneficiary}/counsellor`: a manager gives the
  follow-up to another counsellor of the structure (409 once closed).

Signed in by the session cookie, like the pages. The services decide (the same rules as
the pages): no session 401, not a counsellor or manager of a structure 403, a beneficiary
this account may not reach 404 — the same answer as an id that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from careerpath.api.access import Access, access
from careerpath.api.errors import ErrorBody
from careerpath.api.session import actor_of, bearer_token, locale_of
from careerpath.i18n import by_locale
from careerpath.services.accounts import AccessDenied, Accounts, Actor
from careerpath.services.workspace import (
    CounsellorPlan,
    Follow,
    Invitations,
    Store,
    WorkspaceError,
)
from careerpath.services.workspace.base import MAX_ID
from careerpath.services.workspace.export import caseload_csv
from careerpath.services.workspace.follow import MAX_PAGE_SIZE, PAGE_SIZE, CaseloadRow
from careerpath.services.workspace.invitations import MAX_LABEL
from careerpath.services.workspace.plans import KEEP, ActionEdit

router = APIRouter(tags=["espace conseiller·ère"])
T = TypeVar("T")

SIGN_IN = by_locale("connexion requise")
FORBIDDEN = by_locale("réservé aux conseiller·ères et responsables d'une structure")
CROSS_SITE = by_locale("cette requête vient d'un autre site : refusée")
DENIALS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "pas de session, ou jeton d'API refusé"},
    403: {"model": ErrorBody, "description": "ni conseiller·ère ni responsable de structure"},
}


class BeneficiaryLine(BaseModel):
    """One line of the caseload."""

    id: str
    label: str = Field(description="le nom ou surnom donné par le ou la conseiller·ère")
    status: Literal["open", "closed"]
    sharing: bool = Field(description="la personne partage ses données")
    goal: str | None = Field(description="code du métier visé")
    goal_title: str
    last_activity: datetime
    readiness: float | None = Field(description="proximité à l'objectif, 0 à 100")
    change: float | None = Field(description="évolution depuis le bilan daté précédent, points")
    stale: bool = Field(description="sans nouvelles depuis 2 mois")
    overdue_actions: int
    counsellor: str
    update_requested_at: datetime | None = Field(
        default=None, description="« Mise à jour demandée le … » (la dernière demande)"
    )


class Caseload(BaseModel):
    beneficiaries: list[BeneficiaryLine]
    total: int
    page: int
    pages: int


class Snapshot(BaseModel):
    """A dated assessment of the person."""

    id: str
    created_at: datetime
    answered: int
    readiness: float | None
    plan_hours: float | None


class FollowedBy(BaseModel):
    counsellor: str
    started_at: datetime
    ended_at: datetime | None


class Beneficiary(BaseModel):
    """One beneficiary: what the person shares appears only while they share it."""

    id: str
    label: str
    status: Literal["open", "closed"]
    closed_reason: str
    sharing: bool
    counsellor: str
    goal: str | None
    goal_title: str
    snapshots: list[Snapshot]
    history: list[FollowedBy]


class Comment(BaseModel):
    author: Literal["counsellor", "beneficiary", "organiser"]
    author_name: str
    text: str
    created_at: datetime


class Action(BaseModel):
    id: int
    kind: str
    title: str
    training: str | None
    start: date | None
    due: date | None
    status: Literal["todo", "doing", "done", "abandoned", "waiting"]
    created_by: str
    overdue: bool
    objective_id: int | None
    comments: list[Comment]


class Objective(BaseModel):
    id: int
    title: str
    role: str | None


class ActionPlan(BaseModel):
    objectives: list[Objective]
    actions: list[Action]


class NewInvitation(BaseModel):
    """What `POST /api/v1/invitations` reads."""

    label: str = Field(
        min_length=1,
        max_length=MAX_LABEL,
        description="le nom ou surnom de la personne (vu par la structure seulement)",
    )


class InvitationOut(BaseModel):
    code: str
    shown_code: str = Field(examples=["ACDE FGHJ"])
    url: str
    expires_at: datetime
    beneficiary_id: str


class CsvResponse(Response):
    media_type = "text/csv"


def _error(status: int, message: str, field: str | None = None) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"field": field, "message": message}]},
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


def _serve(request: Request, work: Callable[[Actor, Store], T]) -> T | JSONResponse:
    """The actor behind the request's session, then the services' answer or refusal."""
    locale = locale_of(request)
    accounts = Accounts()
    origin = request.headers.get("origin")
    own = f"{request.url.scheme}://{request.url.netloc}"
    cross_site = origin and origin not in (own, accounts.settings.public_url)
    # The Origin check guards the cookie (a page of another site can make the browser send
    # it); a bearer token is sent only by whoever holds it, so a token's write from another
    # site's page (an integration's web front) is served — on the token path only.
    if request.method != "GET" and cross_site and bearer_token(request) is None:
        return _error(403, CROSS_SITE[locale])  # a cookie-signed write from another site
    actor = actor_of(request, accounts)
    try:
        return work(actor, Store.of())
    except AccessDenied as denied:
        if denied.code == "sign_in":
            return _error(401, SIGN_IN[locale])
        return _error(403, FORBIDDEN[locale])
    except WorkspaceError as refused:
        return _error(refused.status, refused.message(locale), refused.field)


def _json(model: BaseModel, status: int = 200) -> JSONResponse:
    return JSONResponse(
        model.model_dump(mode="json"), status_code=status, headers={"Cache-Control": "no-store"}
    )


def _line(row: CaseloadRow) -> BeneficiaryLine:
    return BeneficiaryLine(
        id=row.id,
        label=row.label,
        status="closed" if row.status == "closed" else "open",
        sharing=row.sharing,
        goal=row.goal,
        goal_title=row.goal_title,
        last_activity=row.last_activity,
        readiness=row.readiness,
        change=row.change,
        stale=row.stale,
        overdue_actions=row.overdue,
        counsellor=row.counsellor,
        update_requested_at=row.update_requested,
    )


BeneficiaryId = Annotated[
    str, Path(pattern="^[0-9a-f]{32}$", description="id d'un·e bénéficiaire (32 hex)")
]
Sort = Literal["activity", "label", "readiness", "status"]
StatusFilter = Literal["open", "closed", "all"]


@router.get(
    "/beneficiaries",
    response_model=Caseload,
    responses=DENIALS,
    summary="Mes bénéficiaires (une page)",
    openapi_extra=access(Access.COUNSELLOR),
)
def caseload(
    request: Request,
    q: Annotated[str, Query(max_length=100, description="partie du nom")] = "",
    sort: Sort = "activity",
    status: StatusFilter = "open",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = PAGE_SIZE,
) -> Response:
    """Les bénéficiaires que suit ce compte (ceux de la structure pour un·e responsable)."""

    def work(actor: Actor, store: Store) -> Response:
        found = Follow(store).caseload(actor, q, sort, page, page_size, status=status)
        return _json(
            Caseload(
                beneficiaries=[_line(r) for r in found.rows],
                total=found.total,
                page=found.page,
                pages=found.pages,
            )
        )

    return _serve(request, work)


@router.get(
    "/beneficiaries.csv",
    responses={
        200: {
            "description": "la liste en CSV",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        **DENIALS,
    },
    summary="Mes bénéficiaires en CSV (tous)",
    openapi_extra=access(Access.COUNSELLOR),
)
def caseload_as_csv(request: Request) -> Response:
    """Toute la liste, close ou en cours ; séparateur « ; » en français, « , » en anglais."""
    locale = locale_of(request)

    def work(actor: Actor, store: Store) -> Response:
        text = caseload_csv(Follow(store), actor, locale)
        return CsvResponse(
            text.encode("utf-8"),
            headers={
                "Content-Disposition": 'attachment; filename="beneficiaires.csv"',
                "Cache-Control": "no-store",
            },
            media_type="text/csv; charset=utf-8",
        )

    return _serve(request, work)


@router.get(
    "/beneficiaries/{beneficiary}",
    response_model=Beneficiary,
    responses=DENIALS,
    summary="Un·e bénéficiaire et ses bilans datés",
    openapi_extra=access(Access.COUNSELLOR),
)
def one_beneficiary(request: Request, beneficiary: BeneficiaryId) -> Response:
    def work(actor: Actor, store: Store) -> Response:
        d = Follow(store).detail(actor, beneficiary)
        return _json(
            Beneficiary(
                id=d.id,
                label=d.label,
                status="closed" if d.status == "closed" else "open",
                closed_reason=d.closed_reason,
                sharing=d.sharing,
                counsellor=d.counsellor,
                goal=d.goal,
                goal_title=d.goal_title,
                snapshots=[
                    Snapshot(
                        id=s.id,
                        created_at=s.created_at,
                        answered=s.answered,
                        readiness=s.readiness,
                        plan_hours=s.plan_hours,
                    )
                    for s in d.snapshots
                ],
                history=[
                    FollowedBy(
                        counsellor=h.counsellor, started_at=h.started_at, ended_at=h.ended_at
                    )
                    for h in d.history
                ],
            )
        )

    return _serve(request, work)


@router.get(
    "/beneficiaries/{beneficiary}/actions",
    response_model=ActionPlan,
    responses=DENIALS,
    summary="Le plan d'action d'un·e bénéficiaire",
    openapi_extra=access(Access.COUNSELLOR),
)
def action_plan(request: Request, beneficiary: BeneficiaryId) -> Response:
    def work(actor: Actor, store: Store) -> Response:
        plan = CounsellorPlan(store).read(actor, beneficiary)
        return _json(
            ActionPlan(
                objectives=[
                    Objective(id=o.id, title=o.title, role=o.role) for o in plan.objectives
                ],
                actions=[_action_out(a) for a in plan.actions],
            )
        )

    return _serve(request, work)


@router.post(
    "/invitations",
    status_code=201,
    response_model=InvitationOut,
    responses=DENIALS,
    summary="Inviter une personne (code, lien, 14 jours)",
    openapi_extra=access(Access.COUNSELLOR),
)
def invite(request: Request, body: NewInvitation) -> Response:
    """Un·e nouveau·elle bénéficiaire suivi·e par ce compte, et son invitation."""

    def work(actor: Actor, store: Store) -> Response:
        made = Invitations(store).create(actor, body.label)
        return _json(
            InvitationOut(
                code=made.code,
                shown_code=made.shown_code,
                url=made.url,
                expires_at=made.expires_at,
                beneficiary_id=made.beneficiary_id,
            ),
            201,
        )

    return _serve(request, work)


# -- the action plan's writes and reassignment (the twins of the beneficiary page) ----------

ObjectiveId = Annotated[int, Path(ge=1, le=MAX_ID, description="id d'un objectif")]
ActionId = Annotated[int, Path(ge=1, le=MAX_ID, description="id d'une action")]
PLAN_DENIALS: dict[int | str, dict[str, Any]] = {
    **DENIALS,
    404: {"model": ErrorBody, "description": "bénéficiaire, action ou objectif hors de portée"},
    409: {"model": ErrorBody, "description": "accompagnement clos : lecture seule"},
}


class NewObjective(BaseModel):
    """What `POST …/objectives` reads: a title, or a goal role (its title by default)."""

    title: str = Field(default="", max_length=400)
    role: str | None = Field(default=None, max_length=512, description="code d'un métier visé")


class ObjectiveTitle(BaseModel):
    title: str = Field(max_length=400)


class NewAction(BaseModel):
    """What `POST …/actions` reads. With `training` (a code of the person's training plan),
    the kind and title come from the catalogue, as « Ajouter au plan d'action » does."""

    kind: Literal["training", "vae", "immersion", "application", "interview", "network", "free"] = (
        "free"
    )
    title: str = Field(default="", max_length=400)
    start: str | None = Field(default=None, max_length=40, description="AAAA-MM-JJ")
    due: str | None = Field(default=None, max_length=40, description="AAAA-MM-JJ")
    objective_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    training: str | None = Field(default=None, max_length=512)


class ActionChange(BaseModel):
    """What `PATCH …/actions/{action}` reads: only the fields sent change (null clears a
    date or the objective); all are checked before any is written."""

    title: str | None = Field(default=None, max_length=400)
    status: Literal["todo", "doing", "done", "abandoned", "waiting"] | None = None
    start: str | None = Field(default=None, max_length=40, description="AAAA-MM-JJ ou null")
    due: str | None = Field(default=None, max_length=40, description="AAAA-MM-JJ ou null")
    objective_id: int | None = Field(default=None, ge=1, le=MAX_ID)


class NewComment(BaseModel):
    text: str = Field(max_length=4000, description="visible des deux côtés (2 000 caractères)")


class NewCounsellor(BaseModel):
    """What `PUT …/counsellor` reads: the e-mail of a counsellor of the same structure."""

    counsellor: str = Field(max_length=254, description="e-mail du compte")


class CounsellorOption(BaseModel):
    email: str
    name: str
    current: bool


class FollowedNow(BaseModel):
    counsellor: str
    history: list[FollowedBy]


def _action_out(a: Any) -> Action:
    return Action(
        id=a.id,
        kind=a.kind.value,
        title=a.title,
        training=a.training,
        start=a.start,
        due=a.due,
        status=a.status.value,
        created_by=a.created_by.value,
        overdue=a.overdue,
        objective_id=a.objective_id,
        comments=[
            Comment(
                author=c.author.value,
                author_name=c.author_name,
                text=c.text,
                created_at=c.created_at,
            )
            for c in a.comments
        ],
    )


def _objective_out(plan: Any, objective_id: int) -> Objective:
    found = next(o for o in plan.objectives if o.id == objective_id)
    return Objective(id=found.id, title=found.title, role=found.role)


@router.post(
    "/beneficiaries/{beneficiary}/objectives",
    status_code=201,
    response_model=Objective,
    responses=PLAN_DENIALS,
    summary="Ajouter un objectif (souvent un métier visé)",
    openapi_extra=access(Access.COUNSELLOR),
)
def add_objective(request: Request, beneficiary: BeneficiaryId, body: NewObjective) -> Response:
    def work(actor: Actor, store: Store) -> Response:
        plan = CounsellorPlan(store)
        made = plan.add_objective(actor, beneficiary, body.title, body.role)
        return _json(_objective_out(plan.read(actor, beneficiary), made), 201)

    return _serve(request, work)


@router.patch(
    "/beneficiaries/{beneficiary}/objectives/{objective}",
    response_model=Objective,
    responses=PLAN_DENIALS,
    summary="Renommer un objectif",
    openapi_extra=access(Access.COUNSELLOR),
)
def rename_objective(
    request: Request, beneficiary: BeneficiaryId, objective: ObjectiveId, body: ObjectiveTitle
) -> Response:
    def work(actor: Actor, store: Store) -> Response:
        plan = CounsellorPlan(store)
        plan.rename_objective(actor, beneficiary, objective, body.title)
        return _json(_objective_out(plan.read(actor, beneficiary), objective))

    return _serve(request, work)


@router.delete(
    "/beneficiaries/{beneficiary}/objectives/{objective}",
    status_code=204,
    responses=PLAN_DENIALS,
    summary="Retirer un objectif (ses actions restent, sans objectif)",
    openapi_extra=access(Access.COUNSELLOR),
)
def delete_objective(
    request: Request, beneficiary: BeneficiaryId, objective: ObjectiveId
) -> Response:
    def work(actor: Actor, store: Store) -> Response:
        CounsellorPlan(store).delete_objective(actor, beneficiary, objective)
        return Response(status_code=204, headers={"Cache-Control": "no-store"})

    return _serve(request, work)


@router.post(
    "/beneficiaries/{beneficiary}/actions",
    status_code=201,
    response_model=Action,
    responses=PLAN_DENIALS,
    summary="Ajouter une action (créée par le ou la conseiller·ère)",
    openapi_extra=access(Access.COUNSELLOR),
)
def add_action(request: Request, beneficiary: BeneficiaryId, body: NewAction) -> Response:
    def work(actor: Actor, store: Store) -> Response:
        plan = CounsellorPlan(store)
        if body.training:
            made = plan.add_training(
                actor, beneficiary, body.training, objective_id=body.objective_id
            )
        else:
            made = plan.add_action(
                actor,
                beneficiary,
                body.kind,
                body.title,
                body.start or "",
                body.due or "",
                body.objective_id,
            )
        return _json(_action_out(plan.action(actor, beneficiary, made)), 201)

    return _serve(request, work)


@router.patch(
    "/beneficiaries/{beneficiary}/actions/{action}",
    response_model=Action,
    responses=PLAN_DENIALS,
    summary="Modifier une action : statut, dates, intitulé, objectif",
    openapi_extra=access(Access.COUNSELLOR),
)
def change_action(
    request: Request, beneficiary: BeneficiaryId, action: ActionId, body: ActionChange
) -> Response:
    sent = body.model_fields_set

    def work(actor: Actor, store: Store) -> Response:
        edit = ActionEdit(
            title=body.title if "title" in sent and body.title is not None else KEEP,
            status=body.status if "status" in sent and body.status is not None else KEEP,
            start=body.start if "start" in sent else KEEP,
            due=body.due if "due" in sent else KEEP,
            objective_id=body.objective_id if "objective_id" in sent else KEEP,
        )
        plan = CounsellorPlan(store)
        plan.update_action(actor, beneficiary, action, edit)
        return _json(_action_out(plan.action(actor, beneficiary, action)))

    return _serve(request, work)


@router.post(
    "/beneficiaries/{beneficiary}/actions/{action}/comments",
    status_code=201,
    response_model=Comment,
    responses=PLAN_DENIALS,
    summary="Commenter une action (visible des deux côtés)",
    openapi_extra=access(Access.COUNSELLOR),
)
def comment_action(
    request: Request, beneficiary: BeneficiaryId, action: ActionId, body: NewComment
) -> Response:
    def work(actor: Actor, store: Store) -> Response:
        plan = CounsellorPlan(store)
        plan.comment(actor, beneficiary, action, body.text)
        last = plan.action(actor, beneficiary, action).comments[-1]
        return _json(
            Comment(
                author=last.author.value,
                author_name=last.author_name,
                text=last.text,
                created_at=last.created_at,
            ),
            201,
        )

    return _serve(request, work)


@router.get(
    "/beneficiaries/{beneficiary}/counsellors",
    response_model=list[CounsellorOption],
    responses=PLAN_DENIALS,
    summary="À qui un·e responsable peut confier ce suivi (sa structure seulement)",
    openapi_extra=access(Access.MANAGER),
)
def counsellor_options(request: Request, beneficiary: BeneficiaryId) -> Response:
    def work(actor: Actor, store: Store) -> Response:
        found = Follow(store).counsellors(actor, beneficiary)
        return JSONResponse(
            [
                CounsellorOption(email=c.email, name=c.name, current=c.current).model_dump()
                for c in found
            ],
            headers={"Cache-Control": "no-store"},
        )

    return _serve(request, work)


@router.put(
    "/beneficiaries/{beneficiary}/counsellor",
    response_model=FollowedNow,
    responses=PLAN_DENIALS,
    summary="Confier le suivi à un·e autre conseiller·ère de la structure (responsable)",
    openapi_extra=access(Access.MANAGER),
)
def reassign(request: Request, beneficiary: BeneficiaryId, body: NewCounsellor) -> Response:
    """Réservé au ou à la responsable de la structure ; l'historique dit qui a suivi quand."""

    def work(actor: Actor, store: Store) -> Response:
        follow = Follow(store)
        follow.reassign(actor, beneficiary, body.counsellor)
        d = follow.detail(actor, beneficiary)
        return _json(
            FollowedNow(
                counsellor=d.counsellor,
                history=[
                    FollowedBy(
                        counsellor=h.counsellor, started_at=h.started_at, ended_at=h.ended_at
                    )
                    for h in d.history
                ],
            )
        )

    return _serve(request, work)
