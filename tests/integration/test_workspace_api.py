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
        "a2": ("a2@ml.fr", Role.COUNSELLOR, "Mission locale A"),
        "chef": ("chef@ml.fr", Role.STRUCTURE_ADMIN, "Mission locale A"),
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


def _shared(api: Api) -> str:
    """A beneficiary of counsellor A who shares their assessment."""
    made = api.call("POST", "/api/v1/invitations", "a", json={"label": "Camille D."}).json()
    Invitations(Store.of(api.url)).accept(made["code"], api.device)
    return str(made["beneficiary_id"])


def test_the_action_plan_is_written_over_http(api: Api) -> None:
    beneficiary = _shared(api)
    base = f"/api/v1/beneficiaries/{beneficiary}"
    goal = api.call("POST", f"{base}/objectives", "a", json={"role": "office-manager"})
    assert goal.status_code == 201, goal.text
    objective = goal.json()
    assert objective["role"] == "office-manager" and objective["title"]
    renamed = api.call(
        "PATCH", f"{base}/objectives/{objective['id']}", "a", json={"title": "Office manager"}
    )
    assert renamed.status_code == 200 and renamed.json()["title"] == "Office manager"

    made = api.call(
        "POST",
        f"{base}/actions",
        "a",
        json={
            "kind": "immersion",
            "title": "PMSMP d'une semaine",
            "start": "2027-01-04",
            "due": "2027-01-08",
            "objective_id": objective["id"],
        },
    )
    assert made.status_code == 201, made.text
    action = made.json()
    assert (action["kind"], action["status"], action["created_by"], action["objective_id"]) == (
        "immersion",
        "todo",
        "counsellor",
        objective["id"],
    )
    path = f"{base}/actions/{action['id']}"
    changed = api.call("PATCH", path, "a", json={"status": "doing", "due": "2027-01-15"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["status"], changed.json()["due"], changed.json()["start"]) == (
        "doing",
        "2027-01-15",
        "2027-01-04",
    )
    # Bad dates: a clear message in the request's language, the action as it was.
    for body, field, english in (
        ({"due": "2026-12-01"}, "due", "The due date must come after the start date."),
        ({"start": "04/01/2027"}, "start", "Invalid date: use the YYYY-MM-DD format."),
        ({"due": "2027-02-30"}, "due", "Invalid date: use the YYYY-MM-DD format."),
        ({"title": "  "}, "title", None),
        ({"objective_id": 999999}, "objective_id", None),
    ):
        refused = api.call("PATCH", path + "?lang=en", "a", json={"status": "done", **body})
        assert refused.status_code in (400, 404), refused.text
        error = refused.json()["errors"][0]
        assert error["field"] == field and error["message"]
        if english:
            assert error["message"] == english
    kept = api.call("GET", f"{base}/actions", "a").json()["actions"][0]
    assert (kept["status"], kept["due"], kept["title"]) == (
        "doing",
        "2027-01-15",
        "PMSMP d'une semaine",
    )
    french = api.call("PATCH", path, "a", json={"start": "2027-02-01"})
    assert french.json()["errors"][0]["message"] == "L'échéance doit venir après le début."
    # null clears a date.
    cleared = api.call("PATCH", path, "a", json={"start": None})
    assert cleared.status_code == 200 and cleared.json()["start"] is None

    said = api.call("POST", f"{path}/comments", "a", json={"text": "On en reparle lundi."})
    assert said.status_code == 201
    assert (said.json()["author"], said.json()["text"]) == ("counsellor", "On en reparle lundi.")
    empty = api.call("POST", f"{path}/comments", "a", json={"text": "   "})
    assert empty.status_code == 400 and empty.json()["errors"][0]["field"] == "text"

    # From the person's training plan (kind and title from the catalogue); a training of
    # the catalogue outside that plan is refused.
    from careerpath.services.assessments import AssessmentStore
    from careerpath.services.context import context_of
    from careerpath.services.referential import load_referential
    from careerpath.services.workspace.follow import plan_items_of

    ctx = context_of(load_referential(api.url))
    latest = AssessmentStore(api.url).current(api.device)
    in_plan = [i.training for i in plan_items_of(ctx, latest)]
    outside = next(t.code for t in ctx.referential.trainings if t.code not in in_plan)
    refused = api.call("POST", f"{base}/actions?lang=en", "a", json={"training": outside})
    assert refused.status_code == 400, refused.text
    assert refused.json()["errors"][0]["field"] == "training"
    assert "training plan" in refused.json()["errors"][0]["message"]
    from_plan = api.call("POST", f"{base}/actions", "a", json={"training": in_plan[0]})
    assert from_plan.status_code == 201 and from_plan.json()["training"] == in_plan[0]
    # A group's kinds are not a beneficiary's.
    assert api.call("POST", f"{base}/actions", "a", json={"kind": "meeting"}).status_code == 400

    # Deleting the objective keeps its actions, under no objective.
    gone = api.call("DELETE", f"{base}/objectives/{objective['id']}", "a")
    assert gone.status_code == 204
    again = api.call("DELETE", f"{base}/objectives/{objective['id']}", "a")
    assert again.status_code == 204  # gone already
    plan = api.call("GET", f"{base}/actions", "a").json()
    assert plan["objectives"] == [] and len(plan["actions"]) == 2
    assert all(a["objective_id"] is None for a in plan["actions"])


def test_counsellor_b_never_reaches_a_beneficiary_of_a_by_any_id(api: Api) -> None:
    beneficiary = _shared(api)
    base = f"/api/v1/beneficiaries/{beneficiary}"
    objective = api.call("POST", f"{base}/objectives", "a", json={"title": "Objectif"}).json()
    action = api.call("POST", f"{base}/actions", "a", json={"title": "Candidater"}).json()
    # B's own beneficiary, to try A's action and objective ids through it.
    mine = api.call("POST", "/api/v1/invitations", "b", json={"label": "Chez B"}).json()
    theirs = f"/api/v1/beneficiaries/{mine['beneficiary_id']}"
    other_device = new_device_id()
    stored = AssessmentStore(api.url).start(other_device, "en_recherche", "secretaire")
    assert stored is not None
    Invitations(Store.of(api.url)).accept(mine["code"], other_device)
    attempts = [
        ("POST", f"{base}/objectives", {"title": "x"}),
        ("PATCH", f"{base}/objectives/{objective['id']}", {"title": "x"}),
        ("DELETE", f"{base}/objectives/{objective['id']}", None),
        ("POST", f"{base}/actions", {"title": "x"}),
        ("PATCH", f"{base}/actions/{action['id']}", {"status": "done"}),
        ("POST", f"{base}/actions/{action['id']}/comments", {"text": "x"}),
        ("GET", f"{base}/counsellors", None),
        ("PUT", f"{base}/counsellor", {"counsellor": "b@cio.fr"}),
        # A's ids under B's own beneficiary: not in that plan.
        ("PATCH", f"{theirs}/actions/{action['id']}", {"status": "done"}),
        ("POST", f"{theirs}/actions/{action['id']}/comments", {"text": "x"}),
        ("PATCH", f"{theirs}/objectives/{objective['id']}", {"title": "x"}),
        ("POST", f"{theirs}/actions", {"title": "x", "objective_id": objective["id"]}),
    ]
    for method, path, body in attempts:
        answer = api.call(method, path, "b", json=body)
        assert answer.status_code == 404, (method, path, answer.text)
        assert answer.json()["errors"][0]["message"]
        assert api.call(method, path, None, json=body).status_code == 401
        assert api.call(method, path, "admin", json=body).status_code == 403
    # Removing A's objective through B's own beneficiary: nothing of that plan, nothing done.
    assert api.call("DELETE", f"{theirs}/objectives/{objective['id']}", "b").status_code == 204
    plan = api.call("GET", f"{base}/actions", "a").json()
    assert [o["title"] for o in plan["objectives"]] == ["Objectif"]
    assert [(a["title"], a["status"], a["comments"]) for a in plan["actions"]] == [
        ("Candidater", "todo", [])
    ]
    assert api.call("GET", f"{theirs}/actions", "b").json()["actions"] == []


def test_a_manager_reassigns_over_http_within_the_structure_only(api: Api) -> None:
    beneficiary = _shared(api)
    base = f"/api/v1/beneficiaries/{beneficiary}"
    refused = api.call("PUT", f"{base}/counsellor", "a", json={"counsellor": "a2@ml.fr"})
    assert refused.status_code == 403
    assert "responsable" in refused.json()["errors"][0]["message"]
    assert api.call("GET", f"{base}/counsellors", "a").status_code == 403
    options = api.call("GET", f"{base}/counsellors", "chef").json()
    assert {o["email"] for o in options} == {"a@ml.fr", "a2@ml.fr", "chef@ml.fr"}
    assert options[0] == {"email": "a@ml.fr", "name": "A", "current": True}
    other = api.call("PUT", f"{base}/counsellor", "chef", json={"counsellor": "b@cio.fr"})
    assert other.status_code == 400 and other.json()["errors"][0]["field"] == "counsellor"
    done = api.call("PUT", f"{base}/counsellor", "chef", json={"counsellor": "a2@ml.fr"})
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["counsellor"] == "A2"
    assert [(h["counsellor"], h["ended_at"] is None) for h in body["history"]] == [
        ("A", False),
        ("A2", True),
    ]
    assert api.call("GET", base, "a").status_code == 404
    assert api.call("GET", base, "a2").status_code == 200
    # Closed: read-only, for the plan and for the reassignment.
    from careerpath.services.workspace import Follow

    manager = Accounts(api.url).resolve(api.tokens["chef"])
    Follow(Store.of(api.url)).close(manager, beneficiary, "Emploi trouvé")
    again = api.call("PUT", f"{base}/counsellor", "chef", json={"counsellor": "a@ml.fr"})
    assert again.status_code == 409
    assert api.call("POST", f"{base}/actions", "a2", json={"title": "x"}).status_code == 409
    assert api.call("POST", f"{base}/objectives", "a2", json={"title": "x"}).status_code == 409
