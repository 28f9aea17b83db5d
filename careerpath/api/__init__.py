"""The HTTP API: `/api/v1`, a FastAPI app beside the Reflex app on the same port.

Layout
------
- `http.py`      what `careerpath/ui/app.py` gives Reflex (`api_transformer`): `api_app()`
                 mounts `/api/v1` and the deprecated `/api/…`, each behind the guard;
                 `with_security_headers` wraps the whole app.
- `v1/`          the FastAPI app of version 1: `v1/__init__.py` (`ROUTERS`, `v1_app()`,
                 OpenAPI 3.1 at `/api/v1/openapi.json`), one module per router with its
                 pydantic request and answer models (`referential.py`, `recommend.py`).
- `docs.py`      `/api/v1/docs`: Swagger UI from the app's own files, no CDN.
- `errors.py`    the one error format, `{"errors": [{"field", "message"}]}`, French first
                 (English with `?lang=en` or an English `Accept-Language`), for every status.
- `guard.py`     before any route: address length (414), body size while reading (413),
                 body time limit (408), JSON-only bodies (415), quiet client disconnects.
- `access.py`    who may call each operation, and the authorisation table built from it.
- `legacy.py`    the old `/api/referential|roles|recommend`, with `Deprecation` and `Link`.
- `security.py`  security headers (CSP, nosniff, referrer, frames, HSTS under https).

Adding a router (accounts, counsellors, collective work…)
---------------------------------------------------------
1. Write `careerpath/api/v1/<name>.py` with `router = APIRouter(tags=["<name>"])`, its
   pydantic models (request bodies and answers: FastAPI generates the document from
   them, so an operation's answer is a model or `-> Model` return type, never a bare dict),
   and thin handlers that only call `careerpath.services` (the architecture test forbids
   the data layer, the database modules and the UI here). Authorisation is decided by the
   services (e.g. `services.accounts`), not in the handler.
2. Declare on every operation who may call it: `openapi_extra=access(Access.SIGNED_IN)`
   (see `Access`). It shows in the document as `x-careerpath-access` and in
   `authorisation_table(v1_app(), PREFIX)`, which the authorisation-table test compares
   with the services' rules; an operation without it fails
   `tests/integration/test_api_schema.py`.
3. Add the router to `ROUTERS` in `careerpath/api/v1/__init__.py`. It is then in the
   OpenAPI document, in `/api/v1/docs`, fuzzed by the schemathesis test, and its errors
   are the API's (raise `HTTPException(status)` or let pydantic refuse; a validation error
   is a 400 whose message `errors.VALIDATION_MESSAGES` words in French and English — add
   a message there for a new pydantic error type, or raise a `PydanticCustomError` whose
   type names a message of your module).
4. Handlers that touch the database or compute are plain `def` (FastAPI runs them in a
   thread: the event loop never blocks); bodies are JSON, at most 256 KB (the guard).
5. Document the endpoints in README's API section; `?lang=`/`Accept-Language` choose
   the language (`errors.request_locale(request)`).
"""
