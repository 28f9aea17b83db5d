"""THE authorisation table: every page and API route × every kind of visitor.

Tests generated from it:
- tests/unit/test_access_table.py fails when a route of the app (an `@rx.page`, or an API
  route under /api) is missing here, or a row names a route that no longer exists;
- tests/browser/test_access_matrix.py opens every page in Chromium and calls every API
  route over HTTP, as each visitor, against the real app, and checks the expectation.

## Adding your route (every new route must be added, or the unit test fails)

1. Add one row to PAGES (an `@rx.page`) or API (an HTTP route), with Reflex's route syntax
   for pages (`/conseiller/beneficiaire/[id]`) or FastAPI's for the API (`/api/v1/x/{id}`).
2. Give one expectation per visitor, in the order of ACTORS:
   - pages: `A` allowed (the page shows, no redirect to /connexion, no denial), `D` denied
     (the page shows `access-denied`: use `access_gate` from ui/components/access.py), `S`
     sign in first (the browser ends on /connexion?suivant=…);
   - API: the HTTP status expected (200, 204, 401, 403, 404…).
3. A bracketed part of the path is filled from the test world (tests/browser/
   test_access_matrix.py, `World.values`): `code` a role, `diplome` a diploma, `etape` 1,
   `role` a role, `token` the owner's share token, `poll` a running class poll's code,
   `jeton` an unknown link token, `id`/`subject` the owner's
   subject id, `beneficiary` the owner as counsellor A's beneficiary (shared), `invitation`
   a pending invitation's code (counsellor A follows the owner; B, of another structure, does not). Add a
   value there when your route needs a new kind of parameter; when a parameter's name means
   something else than the world value of that name, say which value fills it:
   `page("/c/[code]", …, params={"code": "poll"})`.
4. API rows with a body: `body` names a body builder of the world (`credentials`: the
   visitor's own e-mail and password, or unknown ones; `assessment`: a valid assessment; `invitation`: a name to invite;
   `objective`, `action`, `action_change`, `comment`: the action plan's writes; `reassign`:
   counsellor A's e-mail).

The visitors: `anonymous` (a fresh browser), `owner` (the device holding the assessment that
the world files), `other_device` (another device), `counsellor_a` (structure A, follows the
owner), `counsellor_b` (structure B), `manager` (structure manager of A), `admin`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Page(Enum):
    A = "allow"
    D = "deny"
    S = "sign_in"


A, D, S = Page.A, Page.D, Page.S

ACTORS = (
    "anonymous",
    "owner",
    "other_device",
    "counsellor_a",
    "counsellor_b",
    "manager",
    "admin",
)


@dataclass(frozen=True)
class PageRow:
    route: str
    expect: tuple[Page, ...]
    params: tuple[tuple[str, str], ...] = ()
    """Route parameter → name of the world value that fills it, when not the same name."""

    def expected(self, actor: str) -> Page:
        return self.expect[ACTORS.index(actor)]


@dataclass(frozen=True)
class ApiRow:
    method: str
    path: str
    expect: tuple[int, ...]
    body: str | None = None
    params: tuple[tuple[str, str], ...] = ()
    """Path parameter → name of the world value that fills it, when not the same name."""

    def expected(self, actor: str) -> int:
        return self.expect[ACTORS.index(actor)]


def page(route: str, *expect: Page, params: dict[str, str] | None = None) -> PageRow:
    assert len(expect) == len(ACTORS), route
    return PageRow(route, expect, tuple((params or {}).items()))


def api(
    method: str,
    path: str,
    *expect: int,
    body: str | None = None,
    params: dict[str, str] | None = None,
) -> ApiRow:
    assert len(expect) == len(ACTORS), path
    return ApiRow(method, path, expect, body, tuple((params or {}).items()))


# fmt: off
PAGES = (
    #     route                      anon owner other cnsA cnsB mgr admin
    page("/",                          A,   A,    A,   A,   A,   A,   A),
    page("/bilan",                     A,   A,    A,   A,   A,   A,   A),
    page("/bilan/etape/[etape]",       A,   A,    A,   A,   A,   A,   A),
    page("/profil",                    A,   A,    A,   A,   A,   A,   A),
    page("/metiers",                   A,   A,    A,   A,   A,   A,   A),
    page("/metier/[code]",             A,   A,    A,   A,   A,   A,   A),
    page("/objectif",                  A,   A,    A,   A,   A,   A,   A),
    # A share link is a capability: whoever holds it reads that one result, read-only.
    page("/partage/[token]",           A,   A,    A,   A,   A,   A,   A),
    page("/ecoles",                    A,   A,    A,   A,   A,   A,   A),
    page("/ecoles/[diplome]",          A,   A,    A,   A,   A,   A,   A),
    page("/ecoles/[diplome]/metier/[role]", A, A,   A,   A,   A,   A,   A),
    page("/ecoles/devenir/[role]",     A,   A,    A,   A,   A,   A,   A),
    # A class display and its poll: no account, whoever has the code takes part.
    page("/ecoles/[diplome]/classe",   A,   A,    A,   A,   A,   A,   A),
    page("/c/[code]",                  A,   A,    A,   A,   A,   A,   A, params={"code": "poll"}),
    page("/conseillers",               A,   A,    A,   A,   A,   A,   A),
    # Collective diagnosis: any account organises groups (each sees only its own, or its
    # structure's as manager); joining is open to whoever has the code (an unknown one is
    # refused on the page, which still shows).
    page("/groupes",                   S,   S,    S,   A,   A,   A,   A),
    page("/g/[code]",                  A,   A,    A,   A,   A,   A,   A, params={"code": "poll"}),
    # « Continuer sur un autre appareil »: the code is the capability, the page is open.
    page("/continuer",                 A,   A,    A,   A,   A,   A,   A),
    page("/404",                       A,   A,    A,   A,   A,   A,   A),
    page("/connexion",                 A,   A,    A,   A,   A,   A,   A),
    page("/deconnexion",               A,   A,    A,   A,   A,   A,   A),
    page("/mot-de-passe-oublie",       A,   A,    A,   A,   A,   A,   A),
    page("/mot-de-passe/[jeton]",      A,   A,    A,   A,   A,   A,   A),
    page("/compte",                    S,   S,    S,   A,   A,   A,   A),
    page("/compte/journal",            S,   S,    S,   D,   D,   A,   A),
    page("/compte/equipe",             S,   S,    S,   D,   D,   A,   A),
    # The referential from the browser: administrators only (a manager is refused too).
    page("/admin/referentiel",         S,   S,    S,   D,   D,   D,   A),
    # The counsellor workspace: counsellors and managers of a structure; one beneficiary
    # only for whoever follows them or their manager — counsellor B gets the same denial as
    # for an id that does not exist. An administrator belongs to no structure: /espace
    # shows them each structure in numbers (no person), never a beneficiary.
    page("/espace",                    S,   S,    S,   A,   A,   A,   A),
    page("/espace/beneficiaire/[id]",  S,   S,    S,   A,   D,   A,   D,
         params={"id": "beneficiary"}),
    # On the person's phone, no account: the invitation's code is the capability, and
    # /mon-suivi shows only what this very device shares (nothing for anyone else).
    page("/invitation/[code]",         A,   A,    A,   A,   A,   A,   A,
         params={"code": "invitation"}),
    page("/mon-suivi",                 A,   A,    A,   A,   A,   A,   A),
)

API = (
    #    method  path                 anon owner other cnsA cnsB mgr admin
    api("GET",  "/api/v1/referential", 200, 200, 200, 200, 200, 200, 200),
    api("GET",  "/api/v1/roles",       200, 200, 200, 200, 200, 200, 200),
    api("POST", "/api/v1/recommend",   200, 200, 200, 200, 200, 200, 200, body="assessment"),
    api("GET",  "/api/v1/docs",        200, 200, 200, 200, 200, 200, 200),
    api("GET",  "/api/v1/docs/assets/{name}", 200, 200, 200, 200, 200, 200, 200),
    # "/api" itself names nothing: a JSON 404, never a Reflex page.
    api("GET",  "/api",                404, 404, 404, 404, 404, 404, 404),
    # Deprecated for one release (careerpath/api/legacy.py): the same as their successors.
    api("GET",  "/api/referential",    200, 200, 200, 200, 200, 200, 200),
    api("GET",  "/api/roles",          200, 200, 200, 200, 200, 200, 200),
    api("POST", "/api/recommend",      200, 200, 200, 200, 200, 200, 200, body="assessment"),
    # Signing in with one's own credentials (visitors without an account: unknown ones).
    api("POST", "/api/v1/session",     401, 401, 401, 204, 204, 204, 204, body="credentials"),
    api("DELETE", "/api/v1/session",   204, 204, 204, 204, 204, 204, 204),
    api("GET",  "/api/v1/me",          401, 401, 401, 200, 200, 200, 200),
    # The workspace's twins: the pages' rules (an administrator belongs to no structure;
    # counsellor B gets the 404 of an id that does not exist).
    api("GET",  "/api/v1/beneficiaries", 401, 401, 401, 200, 200, 200, 403),
    api("GET",  "/api/v1/beneficiaries.csv", 401, 401, 401, 200, 200, 200, 403),
    api("GET",  "/api/v1/beneficiaries/{beneficiary}", 401, 401, 401, 200, 404, 200, 403),
    api("GET",  "/api/v1/beneficiaries/{beneficiary}/actions",
        401, 401, 401, 200, 404, 200, 403),
    api("POST", "/api/v1/invitations", 401, 401, 401, 201, 201, 201, 403, body="invitation"),
    # Over time and exports (careerpath/api/v1/workspace_time.py): the same rules.
    api("GET",  "/api/v1/beneficiaries/{beneficiary}/comparison",
        401, 401, 401, 200, 404, 200, 403),
    api("POST", "/api/v1/beneficiaries/{beneficiary}/update-request",
        401, 401, 401, 200, 404, 200, 403),
    api("GET",  "/api/v1/beneficiaries/{beneficiary}/actions.csv",
        401, 401, 401, 200, 404, 200, 403),
    api("GET",  "/api/v1/beneficiaries/{beneficiary}/bilan.pdf",
        401, 401, 401, 200, 404, 200, 403),
    # The action plan's writes: whoever may write the beneficiary's plan (their counsellor,
    # the structure's manager, while open and shared); B the 404 of an unknown id.
    api("POST", "/api/v1/beneficiaries/{beneficiary}/objectives",
        401, 401, 401, 201, 404, 201, 403, body="objective"),
    api("PATCH", "/api/v1/beneficiaries/{beneficiary}/objectives/{objective}",
        401, 401, 401, 200, 404, 200, 403, body="objective"),
    # Removing an objective gone already is no error (204): A removes it, then the manager
    # (another objective than the one the PATCH renames).
    api("DELETE", "/api/v1/beneficiaries/{beneficiary}/objectives/{objective}",
        401, 401, 401, 204, 404, 204, 403, params={"objective": "objective_to_remove"}),
    api("POST", "/api/v1/beneficiaries/{beneficiary}/actions",
        401, 401, 401, 201, 404, 201, 403, body="action"),
    api("PATCH", "/api/v1/beneficiaries/{beneficiary}/actions/{action}",
        401, 401, 401, 200, 404, 200, 403, body="action_change"),
    api("POST", "/api/v1/beneficiaries/{beneficiary}/actions/{action}/comments",
        401, 401, 401, 201, 404, 201, 403, body="comment"),
    # Reassignment is the structure manager's: the counsellor following them is told so
    # (403); the body names counsellor A, who follows them already (no change).
    api("GET",  "/api/v1/beneficiaries/{beneficiary}/counsellors",
        401, 401, 401, 403, 404, 200, 403),
    api("PUT",  "/api/v1/beneficiaries/{beneficiary}/counsellor",
        401, 401, 401, 403, 404, 200, 403, body="reassign"),
)
# fmt: on
