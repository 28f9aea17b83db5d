"""The workspace's API twins over HTTP (in process): the same rules as the pages, the API's
error format, and the caseload's CSV neutralised against spreadsheet formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from starlette.testclient import TestClient

from careerpath.api.http import api_app
from careerpath.services.accounts import SESSION_COOKIE, Accounts, Role
from careerpath.services.assessments import AssessmentStore, new_device_id
from careerpath.services.referential import initialise_database
from careerpath.services.workspace import Invitations, Store

PASSWORD = "une phrase de passe assez longue"
PUBLIC = "https://careerpath.example.org"


@dataclass
class Api:
    client: TestClient
    url: str
    tokens: dict[str, str]
    device: str

    def call(self, method: str, path: str, who: str | None, **kwargs: object):  # noqa: ANN201
        self.client.cookies.clear()
        headers = dict(kwargs.pop("headers", {}) or {})  # type: ignore[call-overload]
        if who:
            headers["Cookie"] = f"{SESSION_COOKIE}={self.tokens[who]}"
        return self.client.request(method, path, headers=headers, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def api(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    monkeypatch.setenv("CAREERPATH_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("CAREERPATH_PUBLIC_URL", PUBLIC)
    initialise_database(sqlite_url)
    accounts = Accounts(sqlite_url)
    people = {
        "a": ("a@ml.fr", Role.COUNSELLOR, "Mission locale A"),
        "b": ("b@cio.fr", Role.COUNSELLOR, "CIO B"),
        "admin": ("root@careerpath.fr", Role.ADMIN, None),
    }
    tokens = {}
    for who, (email, role, structure) in people.items():
        accounts.create(email, role, structure=structure, name=who.upper(), password=PASSWORD)
        tokens[who] = accounts.sign_in(email, PASSWORD).token
    device = new_device_id()
    store = AssessmentStore(sqlite_url)
    stored = store.start(device, "en_recherche", "secretaire")
    store.rate_many(stored.id, {"org-prioriser": 2, "com-ecrire": 3})
    store.set_target(stored.id, "office-manager")
    with TestClient(api_app(), base_url=PUBLIC) as client:
        yield Api(client, sqlite_url, tokens, device)


def test_invite_then_list_one_beneficiary_and_its_plan(api: Api) -> None:
    made = api.call("POST", "/api/v1/invitations", "a", json={"label": "Camille D."})
    assert made.status_code == 201, made.text
    invitation = made.json()
    assert invitation["url"] == f"{PUBLIC}/invitation/{invitation['code']}"
    beneficiary = invitation["beneficiary_id"]
    Invitations(Store.of(api.url)).accept(invitation["code"], api.device)

    listed = api.call("GET", "/api/v1/beneficiaries", "a")
    assert listed.status_code == 200
    body = listed.json()
    assert body["total"] == 1 and body["pages"] == 1
    line = body["beneficiaries"][0]
    assert (line["id"], line["label"], line["goal"], line["sharing"]) == (
        beneficiary,
        "Camille D.",
        "office-manager",
        True,
    )
    assert 0 <= line["readiness"] <= 100 and line["change"] is None and not line["stale"]

    one = api.call("GET", f"/api/v1/beneficiaries/{beneficiary}", "a")
    assert one.status_code == 200
    assert len(one.json()["snapshots"]) == 1 and one.json()["history"][0]["counsellor"] == "A"
    plan = api.call("GET", f"/api/v1/beneficiaries/{beneficiary}/actions", "a")
    assert plan.status_code == 200 and plan.json() == {"objectives": [], "actions": []}


def test_the_same_rules_as_the_pages(api: Api) -> None:
    made = api.call("POST", "/api/v1/invitations", "a", json={"label": "Camille D."}).json()
    beneficiary = made["beneficiary_id"]
    for path in (
        f"/api/v1/beneficiaries/{beneficiary}",
        f"/api/v1/beneficiaries/{beneficiary}/actions",
    ):
        # Another structure's counsellor: the same 404 as an id that does not exist.
        refused = api.call("GET", path, "b")
        unknown = api.call("GET", path.replace(beneficiary, "0" * 32), "b")
        assert refused.status_code == unknown.status_code == 404
        assert refused.json() == unknown.json()
        assert api.call("GET", path, None).status_code == 401
        assert api.call("GET", path, "admin").status_code == 403
    assert api.call("GET", "/api/v1/beneficiaries", "b").json()["total"] == 0
    # Not shared yet: the line is visible, the plan is not.
    assert api.call("GET", f"/api/v1/beneficiaries/{beneficiary}/actions", "a").status_code == 403
    english = api.call("GET", "/api/v1/beneficiaries?lang=en", None)
    assert english.status_code == 401
    assert english.json() == {"errors": [{"field": None, "message": "you need to sign in"}]}


def test_bad_input_and_cross_site_writes_are_refused(api: Api) -> None:
    empty = api.call("POST", "/api/v1/invitations", "a", json={"label": "   "})
    assert empty.status_code == 400 and empty.json()["errors"][0]["field"] == "label"
    assert api.call("POST", "/api/v1/invitations", "a", json={}).status_code == 400
    assert api.call("GET", "/api/v1/beneficiaries?sort=nope", "a").status_code == 400
    assert api.call("GET", "/api/v1/beneficiaries?page_size=999", "a").status_code == 400
    cross = api.call(
        "POST",
        "/api/v1/invitations",
        "a",
        json={"label": "X"},
        headers={"Origin": "https://evil.example"},
    )
    assert cross.status_code == 403
    assert api.call("GET", "/api/v1/beneficiaries", "a").json()["total"] == 0


def test_the_caseload_as_csv_neutralises_formulas(api: Api) -> None:
    for label in ('=HYPERLINK("https://evil.example")', "Camille D.", "-2+3"):
        assert (
            api.call("POST", "/api/v1/invitations", "a", json={"label": label}).status_code == 201
        )
    answer = api.call("GET", "/api/v1/beneficiaries.csv", "a")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    text = answer.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Nom", "Statut", "Objectif"]
    names = sorted(r[0] for r in rows[1:])
    assert names == sorted(['\'=HYPERLINK("https://evil.example")', "Camille D.", "'-2+3"])
    assert all(r[1] == "en cours" for r in rows[1:])
    english = api.call("GET", "/api/v1/beneficiaries.csv?lang=en", "a").content.decode()
    assert english.lstrip("\ufeff").startswith("Name,Status,Goal")
    assert api.call("GET", "/api/v1/beneficiaries.csv", "b").content.decode().count("\n") == 1
    assert api.call("GET", "/api/v1/beneficiaries.csv", None).status_code == 401
