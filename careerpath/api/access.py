"""Who may call an API operation: declared on the route, listed in the authorisation table.

Every operation of `/api/v1` declares its access with `openapi_extra=access(...)`; the
value lands in the OpenAPI document as `x-careerpath-access` (so an integrator reads it)
and `authorisation_table(app)` lists every operation with it (so a test can compare the
whole surface with the rules of the services). The check itself belongs to the services
(`careerpath/services`), which the route calls with the person it serves; this
declaration only says which check the route relies on.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

ACCESS_KEY = "x-careerpath-access"


class Access(StrEnum):
    """The kinds of caller an operation serves."""

    PUBLIC = "public"
    """Anyone, without an account: the referential, role search, anonymous recommendations."""
    SIGNED_IN = "signed_in"
    """A person with a session (or, later, a personal API token): their own data only."""
    COUNSELLOR = "counsellor"
    """A counsellor: the beneficiaries of their structure only."""
    MANAGER = "manager"
    """A structure's manager: their structure's counsellors."""
    ADMINISTRATOR = "administrator"
    """An administrator of the whole instance."""


def access(kind: Access) -> dict[str, Any]:
    """`openapi_extra` of a route: who may call it."""
    return {ACCESS_KEY: kind.value}


@dataclass(frozen=True, order=True)
class Operation:
    """One line of the authorisation table."""

    path: str
    method: str
    access: Access | None


def authorisation_table(app: FastAPI, prefix: str = "") -> list[Operation]:
    """Every operation of `app` (documented or not) with the access it declares."""
    table = []
    # FastAPI resolves included routers lazily: iter_route_contexts gives their effective
    # routes, with the path their prefixes make.
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute):
            continue
        declared = (route.openapi_extra or {}).get(ACCESS_KEY)
        for method in sorted(context.methods or ()):
            table.append(
                Operation(
                    prefix + str(context.path), method, Access(declared) if declared else None
                )
            )
    return sorted(table)
