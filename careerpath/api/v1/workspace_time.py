"""The workspace over time and its exports, over HTTP (the twins of the beneficiary page):

- `GET /api/v1/beneficiaries/{beneficiary}/comparison?before=&after=`: two dated snapshots
  side by side (default: the latest against the one before);
- `POST /api/v1/beneficiaries/{beneficiary}/update-request`: « Demander une mise à jour »;
- `GET /api/v1/beneficiaries/{beneficiary}/actions.csv`: the action plan as CSV;
- `GET /api/v1/beneficiaries/{beneficiary}/bilan.pdf`: the bilan and the action plan, PDF.

The same session, rules and error format as `careerpath/api/v1/workspace.py`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from careerpath.api.access import Access, access
from careerpath.api.session import locale_of
from careerpath.api.v1.workspace import (
    DENIALS,
    BeneficiaryId,
    CsvResponse,
    Snapshot,
    _json,
    _serve,
)
from careerpath.services.accounts import Actor
from careerpath.services.context import current_context
from careerpath.services.workspace import CounsellorPlan, Follow, Store
from careerpath.services.workspace.export import actions_csv, beneficiary_pdf
from careerpath.services.workspace.follow import SnapshotSummary

router = APIRouter(tags=["espace conseiller·ère"])
SnapshotId = Annotated[str, Query(pattern="^([0-9a-f]{32})?$", description="id d'un bilan daté")]


class CompetencyChange(BaseModel):
    code: str
    label: str
    category: str
    before: int | None = Field(description="niveau 0 à 4 à la première date (absent : non noté)")
    after: int | None


class CategoryChange(BaseModel):
    category: str
    before: float | None = Field(description="niveau moyen 0 à 4 des compétences notées")
    after: float | None


class Comparison(BaseModel):
    """Two dated snapshots of the person, the earlier first."""

    before: Snapshot
    after: Snapshot
    goal: str | None
    goal_title: str
    competencies: list[CompetencyChange]
    categories: list[CategoryChange]


class UpdateRequestOut(BaseModel):
    link: str = Field(description="l'adresse que la personne ouvre sur son appareil")
    requested_at: datetime


def _snapshot(s: SnapshotSummary) -> Snapshot:
    return Snapshot(
        id=s.id,
        created_at=s.created_at,
        answered=s.answered,
        readiness=s.readiness,
        plan_hours=s.plan_hours,
    )


@router.get(
    "/beneficiaries/{beneficiary}/comparison",
    response_model=Comparison,
    responses=DENIALS,
    summary="Comparer deux bilans datés",
    openapi_extra=access(Access.COUNSELLOR),
)
def comparison(
    request: Request, beneficiary: BeneficiaryId, before: SnapshotId = "", after: SnapshotId = ""
) -> Response:
    """Par compétence avant → après, par catégorie, la proximité à l'objectif et les heures
    de formation restantes ; sans `before`/`after` : le dernier bilan et le précédent (avec
    un seul bilan daté, les deux côtés sont celui-là)."""
    locale = locale_of(request)

    def work(actor: Actor, store: Store) -> Response:
        found = Follow(store).compare_dates(
            actor, beneficiary, before, after, current_context(locale)
        )
        return _json(
            Comparison(
                before=_snapshot(found.before),
                after=_snapshot(found.after),
                goal=found.goal,
                goal_title=found.goal_title,
                competencies=[
                    CompetencyChange(
                        code=c.code,
                        label=c.label,
                        category=c.category,
                        before=c.before,
                        after=c.after,
                    )
                    for c in found.changes
                ],
                categories=[
                    CategoryChange(category=c.category, before=c.before, after=c.after)
                    for c in found.categories
                ],
            )
        )

    return _serve(request, work)


@router.post(
    "/beneficiaries/{beneficiary}/update-request",
    response_model=UpdateRequestOut,
    responses=DENIALS,
    summary="Demander une mise à jour du bilan",
    openapi_extra=access(Access.COUNSELLOR),
)
def update_request(request: Request, beneficiary: BeneficiaryId) -> Response:
    """Noté (la liste dit « Mise à jour demandée le … ») ; ce que la personne change ensuite
    devient un nouveau bilan daté. Répond le lien à lui envoyer."""

    def work(actor: Actor, store: Store) -> Response:
        asked = Follow(store).request_update(actor, beneficiary)
        return _json(UpdateRequestOut(link=asked.link, requested_at=asked.requested_at))

    return _serve(request, work)


@router.get(
    "/beneficiaries/{beneficiary}/actions.csv",
    responses={
        200: {
            "description": "le plan d'action en CSV",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        **DENIALS,
    },
    summary="Le plan d'action en CSV",
    openapi_extra=access(Access.COUNSELLOR),
)
def actions_as_csv(request: Request, beneficiary: BeneficiaryId) -> Response:
    """Une ligne par action, ses commentaires dans une cellule ; « ; » en français, « , » en
    anglais ; une cellule qui commence par =, +, -, @ est neutralisée."""
    locale = locale_of(request)

    def work(actor: Actor, store: Store) -> Response:
        text = actions_csv(Follow(store), CounsellorPlan(store), actor, beneficiary, locale)
        return CsvResponse(
            text.encode("utf-8"),
            headers={
                "Content-Disposition": 'attachment; filename="plan-d-action.csv"',
                "Cache-Control": "no-store",
            },
            media_type="text/csv; charset=utf-8",
        )

    return _serve(request, work)


@router.get(
    "/beneficiaries/{beneficiary}/bilan.pdf",
    responses={
        200: {
            "description": "le bilan et le plan d'action, à imprimer",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        },
        **DENIALS,
    },
    summary="Le bilan et le plan d'action en PDF",
    openapi_extra=access(Access.COUNSELLOR),
)
def bilan_as_pdf(request: Request, beneficiary: BeneficiaryId) -> Response:
    """Les bilans datés, le dernier bilan (comme le PDF de la personne) et le plan d'action ;
    jamais les notes privées."""
    locale = locale_of(request)

    def work(actor: Actor, store: Store) -> Response:
        data = beneficiary_pdf(Follow(store), CounsellorPlan(store), actor, beneficiary, locale)
        return Response(
            data,
            media_type="application/pdf",
            headers={
                "Content-Disposition": 'attachment; filename="bilan-et-plan.pdf"',
                "Cache-Control": "no-store",
            },
        )

    return _serve(request, work)
