"""The API against its own OpenAPI document: requests generated from it (schemathesis).

Every operation of /api/v1 is fuzzed in-process (the ASGI app, curated referential) with
both valid and invalid data for a bounded number of examples: no answer may be a server
error, contradict the documented status codes, content types, headers or schemas, or
accept data the document forbids. The referential decides which codes exist, so a
schema-valid assessment naming an unknown competency may get a documented 400; the
accounts decide who is signed in, so a well-formed sign-in may get a documented 401.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from starlette.routing import Mount

from careerpath.api.access import authorisation_table
from careerpath.api.http import api_app
from careerpath.api.v1 import PREFIX, v1_app
from careerpath.services.referential import initialise_database

EXAMPLES_PER_OPERATION = 150


@pytest.fixture(scope="module")
def curated_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'careerpath.db'}"
    initialise_database(url)
    return url


@pytest.fixture(autouse=True)
def _serve_the_curated_referential(curated_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREERPATH_DATABASE_URL", curated_database)


# Loading the document needs no database: it is generated from the models alone.
schema = schemathesis.openapi.from_asgi(f"{PREFIX}/openapi.json", api_app())
# Schema-valid yet refused, rightly: 400 a code the referential does not hold; 401/403 an
# operation for signed-in people (the fuzzer has no account); 429 the sign-in lockout the
# fuzzer's wrong passwords trigger.
# Schema-violating and refused for its size (the body or address limits): a rightful 413/414.
negative = schema.config.checks.negative_data_rejection
negative.expected_statuses = [*negative.expected_statuses, "413", "414"]
schema.config.checks.positive_data_acceptance.expected_statuses = [
    "2XX",
    "400",
    "401",
    "403",
    "429",
]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_generated_request_breaks_the_api_or_its_document(case: schemathesis.Case) -> None:
    case.call_and_validate()


def test_every_operation_of_v1_is_in_the_document_with_its_access() -> None:
    app = v1_app()
    documented = {
        (path, method.upper())
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    served = {
        (op.path, op.method)
        for op in authorisation_table(app)
        if not op.path.startswith("/docs") and op.method != "HEAD"
    }
    assert served == documented
    undeclared = [op for op in authorisation_table(app) if op.access is None]
    assert not undeclared, "every operation, documented or not, declares who may call it"
    for path, operations in app.openapi()["paths"].items():
        for method, operation in operations.items():
            assert operation["x-careerpath-access"], f"{method} {path} declares no access"
            assert "400" in operation["responses"] and "422" not in operation["responses"]


def test_the_document_is_openapi_3_1_served_under_v1() -> None:
    root = api_app()
    mounts = [route.path for route in root.routes if isinstance(route, Mount)]
    assert mounts[0] == PREFIX
    assert v1_app().openapi()["openapi"].startswith("3.1")


def test_every_operation_for_accounts_documents_the_token_refusals() -> None:
    """A bearer token may be refused (401) or throttled (429 with Retry-After) anywhere a
    token is accepted: the document says so on each of those operations."""
    secured = [
        (path, method, operation)
        for path, operations in v1_app().openapi()["paths"].items()
        for method, operation in operations.items()
        if operation.get("security")
    ]
    assert len(secured) > 10
    for path, method, operation in secured:
        responses = operation["responses"]
        assert "401" in responses and "429" in responses, f"{method} {path}"
        assert "jeton" in responses["401"]["description"]
        assert responses["429"]["headers"]["Retry-After"]["required"] is True
        for status in ("401", "429"):
            body = responses[status]["content"]["application/json"]["schema"]
            assert body == {"$ref": "#/components/schemas/ErrorBody"}, f"{method} {path}"
