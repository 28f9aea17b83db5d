"""`GET /api/v1/referential` and `GET /api/v1/roles`: the referential in service, role search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from careerpath.api.access import Access, access
from careerpath.services import search
from careerpath.services.referential import load_referential

router = APIRouter(tags=["référentiel"])

MAX_QUERY = 200
MAX_ROLES = 10


class Provenance(BaseModel):
    """Where the referential comes from (credited on every screen and export)."""

    source: str = Field(examples=["careerpath"])
    version: str
    date: str
    licence: str


class ReferentialInfo(BaseModel):
    """The referential in service: its version, provenance and size."""

    version: str = Field(description="version stockée (change à chaque import)")
    provenance: Provenance
    roles: int = Field(ge=0, description="nombre de métiers")
    competencies: int = Field(ge=0, description="nombre de compétences")
    trainings: int = Field(ge=0, description="nombre de formations (VAE comprises)")


class RoleMatch(BaseModel):
    """A role whose title or one of its alternative titles matches the text typed."""

    code: str
    title: str
    matched_title: str = Field(description="l'intitulé qui correspond à la recherche")


class RoleMatches(BaseModel):
    """The roles found, closest first."""

    roles: list[RoleMatch]


@router.get(
    "/referential",
    summary="Le référentiel en service",
    openapi_extra=access(Access.PUBLIC),
)
def referential_info() -> ReferentialInfo:
    """Quel référentiel répond (version, provenance) et combien de métiers, de compétences et
    de formations il compte."""
    referential = load_referential()
    provenance = referential.provenance
    return ReferentialInfo(
        version=referential.version,
        provenance=Provenance(
            source=provenance.source,
            version=provenance.version,
            date=provenance.date,
            licence=provenance.licence,
        ),
        roles=len(referential.roles),
        competencies=len(referential.competencies),
        trainings=len(referential.trainings),
    )


@router.get("/roles", summary="Chercher un métier", openapi_extra=access(Access.PUBLIC))
def roles(
    q: Annotated[
        str,
        Query(
            max_length=MAX_QUERY,
            description="texte tapé : intitulé partiel, sans accents si l'on veut",
            examples=["assistante de dir"],
        ),
    ] = "",
) -> RoleMatches:
    """Jusqu'à 10 métiers dont l'intitulé (ou un intitulé voisin) correspond à `q`, le plus
    proche d'abord ; aucun pour un `q` vide."""
    found = search.search_roles(load_referential(), q, limit=MAX_ROLES)
    return RoleMatches(
        roles=[RoleMatch(code=m.code, title=m.title, matched_title=m.matched_title) for m in found]
    )
