"""The plan's JSON fields (route, funding, blocked_by, relaxed…) are all named in the answer
models, so the OpenAPI document describes what `/api/v1/recommend` really sends.

The answer is not checked against `RecommendationOut` on every request (it was 1.3 ms of
9): the property test below holds that contract instead, on assessments drawn over the
whole curated referential (any current role, any target, any ratings and constraints)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from starlette.testclient import TestClient

from careerpath.api.http import api_app
from careerpath.api.v1.recommend import RecommendationOut
from careerpath.services.referential import initialise_database, load_referential

SECRETARY = {
    "current_role": "secretaire",
    "ratings": {"org-planifier-agenda": 4, "org-prioriser": 3, "num-traitement-texte": 3},
}


@pytest.fixture
def client(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("CAREERPATH_DATABASE_URL", sqlite_url)
    initialise_database(sqlite_url)
    with TestClient(api_app(), raise_server_exceptions=False) as test_client:
        yield test_client


def _undocumented(value: object, where: str = "") -> list[str]:
    """Every field of an answer that its model does not name (kept by `extra="allow"`)."""
    found: list[str] = []
    if isinstance(value, BaseModel):
        found += [f"{where}.{k}" for k in (value.__pydantic_extra__ or {})]
        for name in type(value).model_fields:
            found += _undocumented(getattr(value, name), f"{where}.{name}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _undocumented(item, f"{where}[{i}]")
    return found


@pytest.mark.parametrize(
    ("target", "constraints"),
    [
        ("gestionnaire-paie", None),
        ("assistant-direction", None),
        ("gestionnaire-paie", {"max_cost_eur": 0, "max_hours": 1}),
    ],
)
def test_every_field_of_the_plan_is_in_the_models(
    client: TestClient, target: str, constraints: dict[str, object] | None
) -> None:
    body = {**SECRETARY, "constraints": constraints} if constraints else SECRETARY
    answer = client.post("/api/v1/recommend", params={"target": target}, json=body)
    assert answer.status_code == 200, answer.text
    parsed = RecommendationOut.model_validate(answer.json())
    assert parsed.plan is not None
    assert _undocumented(parsed) == []
    if constraints:
        assert parsed.plan.blocked_by, "the tight constraints block the plan"
        assert parsed.plan.relaxed is not None and parsed.plan.blocked


def test_the_document_names_the_plan_fields_and_their_values(client: TestClient) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    plan = schemas["Plan"]["properties"]
    for field in ("route", "blocked_by", "relaxed", "out_of_pocket_eur", "weeks", "ask"):
        assert field in plan, field
    item = schemas["PlanItem"]["properties"]
    for field in ("funding", "step", "out_of_pocket_eur", "to_show", "vae"):
        assert field in item, field

    def enum_of(prop: dict[str, object]) -> set[str]:
        ref = str(prop.get("$ref") or "")
        return set(schemas[ref.rsplit("/", 1)[-1]]["enum"]) if ref else set()

    assert "cpf" in enum_of(schemas["FundingOut"]["properties"]["route"])
    assert enum_of(item["step"]) == {"vae", "long", "short", "action"}
    assert enum_of(schemas["RouteOut"]["properties"]["kind"]) == {
        "vae",
        "training",
        "short",
        "none",
    }
    assert "max_cost_eur" in plan["blocked_by"]["items"]["enum"]


@pytest.fixture(scope="module")
def curated(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('contract') / 'careerpath.db'}"
    initialise_database(url)
    return url


@pytest.fixture(scope="module")
def curated_client(curated: str) -> Any:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CAREERPATH_DATABASE_URL", curated)
        with TestClient(api_app(), raise_server_exceptions=False) as test_client:
            yield test_client


def _assessments(url: str) -> st.SearchStrategy[tuple[dict[str, Any], str | None]]:
    referential = load_referential(url)
    codes = [c.code for c in referential.competencies]
    roles = [r.code for r in referential.roles]
    constraints = st.fixed_dictionaries(
        {},
        optional={
            "max_cost_eur": st.integers(0, 20_000),
            "max_hours": st.integers(1, 3_000),
            "max_months": st.integers(1, 48),
        },
    )
    body = st.fixed_dictionaries(
        {
            "current_role": st.sampled_from(roles),
            "ratings": st.dictionaries(st.sampled_from(codes), st.integers(0, 4), max_size=40),
        },
        optional={"constraints": constraints},
    )
    return st.tuples(body, st.none() | st.sampled_from(roles))


def test_every_answer_for_a_valid_assessment_matches_its_document(
    curated_client: TestClient, curated: str
) -> None:
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_assessments(curated))
    def check(drawn: tuple[dict[str, Any], str | None]) -> None:
        body, target = drawn
        params = {"target": target} if target else {}
        answer = curated_client.post("/api/v1/recommend", params=params, json=body)
        assert answer.status_code == 200, answer.text
        parsed = RecommendationOut.model_validate(answer.json())
        assert _undocumented(parsed) == []
        assert (parsed.plan is not None) == (target is not None)

    check()
