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
    with TestClient(api_app(), raise_server_exceptions=False) as test_client:
        yield test_client


SECRETARY = {
    "current_role": "secretaire",
    "ratings": {"org-planifier-agenda": 4, "org-prioriser": 3, "num-traitement-texte": 3},
}
V1 = "/api/v1"


def test_the_referential_in_service_is_described(client: TestClient) -> None:
    answer = client.get(f"{V1}/referential").json()
    assert answer["roles"] >= 30
    assert answer["competencies"] >= 80
    assert answer["version"]
    assert answer["provenance"]["licence"]


def test_roles_are_found_by_a_partial_title_without_accents(client: TestClient) -> None:
    found = client.get(f"{V1}/roles", params={"q": "assistante de dir"}).json()["roles"]
    assert found[0]["code"] == "assistant-direction"
    assert client.get(f"{V1}/roles", params={"q": ""}).json() == {"roles": []}


def test_an_assessment_gets_next_roles_and_a_plan_to_its_target(client: TestClient) -> None:
    response = client.post(
        f"{V1}/recommend", params={"target": "gestionnaire-paie", "top": 5}, json=SECRETARY
    )
    assert response.status_code == 200
    answer = response.json()
    assert len(answer["readiness"]) == 5
    assert all(n["role"] != "secretaire" for n in answer["next_roles"])
    assert answer["target"] == "gestionnaire-paie"
    assert answer["plan"]["items"], "a payroll plan proposes trainings"
    assert answer["paths"][0]["steps"][-1] == "gestionnaire-paie"
    assert "scores" not in answer, "scores only with all_scores"


def test_the_api_answers_exactly_what_the_cli_contract_gives(client: TestClient) -> None:
    """Same JSON as `careerpath recommend` (services.recommendation.recommend_one)."""
    from careerpath.services.recommendation import recommend_one
    from careerpath.services.referential import load_referential

    expected = recommend_one(
        SECRETARY, load_referential(), target="office-manager", top=3, all_scores=True
    )
    answer = client.post(
        f"{V1}/recommend",
        params={"target": "office-manager", "top": 3, "all_scores": "1"},
        json=SECRETARY,
    ).json()
    assert answer == expected


def test_the_profile_and_the_pace_reach_the_plan_over_http(client: TestClient) -> None:
    """What the CLI reads, the API reads: situation, level, age, the diploma in progress, the
    pace and horizon (the request model once dropped them silently)."""
    student = {
        "ratings": {"org-prioriser": 3, "com-rediger-courriers": 3},
        "target": "assistant-direction",
        "situation": "student",
        "qualification_level": 4,
        "age_band": "under_26",
        "preparing": "bts-sam",
        "constraints": {"hours_per_week": 5, "horizon_months": 24},
    }
    plan = client.post(f"{V1}/recommend", json=student).json()["plan"]
    assert plan["in_progress"]
    assert not {i["training"] for i in plan["items"]} & {"bts-sam", "vae-bts-sam"}
    seeker = {
        **student,
        "situation": "job_seeker",
        "age_band": "30_plus",
        "preparing": None,
        "target": "assistant-administratif",
    }
    routes = {
        f["route"]
        for i in client.post(f"{V1}/recommend", json=seeker).json()["plan"]["items"]
        for f in i["funding"]
    }
    assert "aif" in routes and "employer_plan" not in routes
    tight = {**seeker, "constraints": {"hours_per_week": 1, "horizon_months": 1, "max_cost_eur": 0}}
    blocked = client.post(f"{V1}/recommend", json=tight).json()["plan"]
    assert blocked["items"] == [] and blocked["blocked_by"]


def test_next_roles_page_through_with_offset(client: TestClient) -> None:
    """« Voir plus »: the next page of next roles follows the first, none repeated."""
    first = client.post(f"{V1}/recommend", params={"top": 4}, json=SECRETARY).json()
    second = client.post(f"{V1}/recommend", params={"top": 4, "offset": 4}, json=SECRETARY).json()
    everything = client.post(f"{V1}/recommend", params={"top": 500}, json=SECRETARY).json()
    pages = [n["role"] for n in first["next_roles"] + second["next_roles"]]
    assert pages == [n["role"] for n in everything["next_roles"][:8]]
    assert first["next_roles_total"] == second["next_roles_total"] > 8
    far = client.post(f"{V1}/recommend", params={"offset": 10_000}, json=SECRETARY).json()
    assert far["next_roles"] == [] and far["next_roles_total"] == first["next_roles_total"]


@pytest.mark.parametrize(
    ("request_args", "field", "french"),
    [
        (
            {"json": {**SECRETARY, "ratings": {"org-planifier-agenda": 7}}},
            "ratings.org-planifier-agenda",
            "la note 7 est hors de l'intervalle 0 à 4",
        ),
        (
            {"json": {**SECRETARY, "ratings": {"org-planifier-agenda": 2.5}}},
            "ratings.org-planifier-agenda",
            "la note 2.5 n'est pas un nombre entier",
        ),
        (
            {"json": {**SECRETARY, "ratings": {"inconnue": 2}}},
            "ratings.inconnue",
            "compétence inconnue « inconnue »",
        ),
        (
            {"json": {**SECRETARY, "current_role": "astronaute"}},
            "current_role",
            "métier inconnu « astronaute »",
        ),
        ({"json": {"current_role": "secretaire"}}, "ratings", "champ obligatoire manquant"),
        (
            {"json": {**SECRETARY, "constraints": {"modalities": ["en rêve"]}}},
            "constraints.modalities",
            "modalité inconnue « en rêve »",
        ),
        (
            {"json": {**SECRETARY, "constraints": {"max_hours": -3}}},
            "constraints.max_hours",
            "un nombre positif ou null est attendu, pas -3",
        ),
        (
            {"content": b"{pas du json", "headers": {"content-type": "application/json"}},
            None,
            "JSON invalide",
        ),
        ({"json": [SECRETARY]}, None, "un objet JSON"),
        ({"content": b"", "headers": {"content-type": "application/json"}}, None, "vide"),
        ({"json": SECRETARY, "params": {"target": "inconnu"}}, "target", "inconnu"),
        ({"json": SECRETARY, "params": {"top": "0"}}, "top", "au moins 1"),
        ({"json": SECRETARY, "params": {"top": "501"}}, "top", "au plus 500"),
        ({"json": SECRETARY, "params": {"offset": "-1"}}, "offset", "au moins 0"),
        ({"json": SECRETARY, "params": {"offset": "dix"}}, "offset", "nombre entier"),
        ({"json": SECRETARY, "params": {"all_scores": "peut-être"}}, "all_scores", "oui ou non"),
        ({"json": {**SECRETARY, "situation": "retraite"}}, "situation", "valeur inconnue"),
        (
            {"json": {**SECRETARY, "qualification_level": 9}},
            "qualification_level",
            "un niveau de qualification entier de 1 à 8",
        ),
        ({"json": {**SECRETARY, "age_exception": "oui"}}, "age_exception", "true, false ou null"),
        (
            {"json": {**SECRETARY, "preparing": "fc-notes-frais"}},
            "preparing",
            "diplôme ou titre professionnel inconnu",
        ),
        (
            {"json": {**SECRETARY, "constraints": {"hours_per_week": 0}}},
            "constraints.hours_per_week",
            "un nombre strictement positif (au plus 80)",
        ),
    ],
)
def test_bad_input_gets_a_400_naming_the_field_in_french(
    client: TestClient, request_args: dict[str, object], field: str | None, french: str
) -> None:
    response = client.post(f"{V1}/recommend", **request_args)  # type: ignore[arg-type]
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    errors = response.json()["errors"]
    assert errors[0]["field"] == field
    assert french in errors[0]["message"]


def test_errors_speak_english_when_asked(client: TestClient) -> None:
    bad = {**SECRETARY, "ratings": {"org-planifier-agenda": 9}}
    by_parameter = client.post(f"{V1}/recommend", params={"lang": "en"}, json=bad)
    by_header = client.post(f"{V1}/recommend", headers={"accept-language": "en-GB,en"}, json=bad)
    for response in (by_parameter, by_header):
        assert response.status_code == 400
        assert response.json()["errors"][0]["message"] == "the rating 9 is outside the range 0 to 4"


def test_every_error_lists_every_problem_of_the_assessment(client: TestClient) -> None:
    response = client.post(
        f"{V1}/recommend",
        json={"current_role": 12, "ratings": {"org-prioriser": 9, "num-traitement-texte": "3"}},
    )
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"current_role", "ratings.org-prioriser", "ratings.num-traitement-texte"}
