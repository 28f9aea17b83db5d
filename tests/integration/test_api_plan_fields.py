"""The plan's JSON fields (route, funding, blocked_by, relaxed…) are all named in the answer
models, so the OpenAPI document describes what `/api/v1/recommend` really sends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import BaseModel
from starlette.testclient import TestClient

from careerpath.api.http import api_app
from careerpath.api.v1.recommend import RecommendationOut
from careerpath.services.referential import initialise_database

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
