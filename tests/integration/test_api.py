"""The HTTP API as an integrator's program sees it: JSON in, JSON out, clear errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from careerpath.api.http import api_app
from careerpath.services.referential import initialise_database


@pytest.fixture
def client(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("CAREERPATH_DATABASE_URL", sqlite_url)
    initialise_database(sqlite_url)
    with TestClient(api_app()) as test_client:
        yield test_client


SECRETARY = {
    "current_role": "secretaire",
    "ratings": {"org-planifier-agenda": 4, "org-prioriser": 3, "num-traitement-texte": 3},
}


def test_the_referential_in_service_is_described(client: TestClient) -> None:
    answer = client.get("/api/referential").json()
    assert answer["roles"] >= 30
    assert answer["competencies"] >= 80
    assert answer["version"]


def test_roles_are_found_by_a_partial_title_without_accents(client: TestClient) -> None:
    found = client.get("/api/roles", params={"q": "assistante de dir"}).json()["roles"]
    assert found[0]["code"] == "assistant-direction"
    assert client.get("/api/roles", params={"q": ""}).json() == {"roles": []}


def test_an_assessment_gets_next_roles_and_a_plan_to_its_target(client: TestClient) -> None:
    response = client.post(
        "/api/recommend", params={"target": "gestionnaire-paie", "top": 5}, json=SECRETARY
    )
    assert response.status_code == 200
    answer = response.json()
    assert len(answer["readiness"]) == 5
    assert all(n["role"] != "secretaire" for n in answer["next_roles"])
    assert answer["target"] == "gestionnaire-paie"
    assert answer["plan"]["items"], "a payroll plan proposes trainings"
    assert answer["paths"][0]["steps"][-1] == "gestionnaire-paie"


@pytest.mark.parametrize(
    ("request_args", "field", "french"),
    [
        (
            {"json": {**SECRETARY, "ratings": {"org-planifier-agenda": 7}}},
            "ratings.org-planifier-agenda",
            "0",
        ),
        ({"json": {**SECRETARY, "current_role": "astronaute"}}, "current_role", "astronaute"),
        (
            {"content": b"{pas du json", "headers": {"content-type": "application/json"}},
            None,
            "JSON",
        ),
        ({"json": SECRETARY, "params": {"target": "inconnu"}}, "target", "inconnu"),
        ({"json": SECRETARY, "params": {"top": "0"}}, None, "top"),
    ],
)
def test_bad_input_gets_a_400_naming_the_field_in_french(
    client: TestClient, request_args: dict[str, object], field: str | None, french: str
) -> None:
    response = client.post("/api/recommend", **request_args)  # type: ignore[arg-type]
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors[0]["field"] == field
    assert french in errors[0]["message"]


def test_errors_speak_english_when_asked(client: TestClient) -> None:
    response = client.post(
        "/api/recommend",
        params={"lang": "en"},
        json={**SECRETARY, "ratings": {"org-planifier-agenda": 9}},
    )
    assert response.status_code == 400
    assert "range" in response.json()["errors"][0]["message"]


def test_an_oversized_request_is_refused(client: TestClient) -> None:
    response = client.post("/api/recommend", content=b"{" + b" " * 300_000 + b"}")
    assert response.status_code == 413
