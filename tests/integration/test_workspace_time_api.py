"""The over-time and export twins over HTTP (in process): comparison of two dates, « Demander
une mise à jour », the action plan as CSV (formulas neutralised) and the PDF, with the same
rules and error format as the rest of the workspace's API."""

from __future__ import annotations

import csv
import io

from pypdf import PdfReader

from careerpath.domain.access import Actor
from careerpath.services.accounts import Accounts
from careerpath.services.assessments import AssessmentStore
from careerpath.services.workspace import CounsellorPlan, Invitations, Person, Store
from careerpath.services.workspace.follow import Follow
from tests.integration.test_workspace_api import Api, api  # noqa: F401  (the fixture)


def _shared(api: Api, label: str = "Camille D.") -> str:  # noqa: F811
    made = api.call("POST", "/api/v1/invitations", "a", json={"label": label}).json()
    Invitations(Store.of(api.url)).accept(made["code"], api.device)
    return str(made["beneficiary_id"])


def _change(api: Api, ratings: dict[str, int]) -> None:  # noqa: F811
    store = AssessmentStore(api.url)
    current = store.current(api.device)
    assert current is not None
    store.rate_many(current.id, ratings)


def test_two_dates_compared_default_and_chosen(api: Api) -> None:  # noqa: F811
    beneficiary = _shared(api)
    path = f"/api/v1/beneficiaries/{beneficiary}/comparison"
    one = api.call("GET", path, "a")
    assert one.status_code == 200, one.text
    assert one.json()["before"]["id"] == one.json()["after"]["id"]  # one dated snapshot

    _change(api, {"org-prioriser": 4, "rh-paie": 2})  # after consent: a new dated snapshot
    answer = api.call("GET", path, "a")
    assert answer.status_code == 200
    body = answer.json()
    assert body["before"]["id"] != body["after"]["id"]
    assert body["before"]["created_at"] <= body["after"]["created_at"]
    changes = {c["code"]: (c["before"], c["after"]) for c in body["competencies"]}
    assert changes["org-prioriser"] == (2, 4) and changes["rh-paie"] == (None, 2)
    assert body["after"]["readiness"] >= body["before"]["readiness"]
    assert body["categories"] and all("before" in c for c in body["categories"])
    # Chosen explicitly, in either order, the same answer.
    chosen = api.call(
        "GET", f"{path}?before={body['after']['id']}&after={body['before']['id']}", "a"
    )
    assert chosen.json() == body

    # Someone else's snapshot, a malformed id, another structure's counsellor.
    foreign = AssessmentStore(api.url).start("f" * 32, "en_poste", "secretaire")
    refused = api.call("GET", f"{path}?before={foreign.id}", "a")
    assert refused.status_code == 404
    assert refused.json()["errors"][0]["message"].startswith("Ce bilan daté")
    assert api.call("GET", f"{path}?before=nope", "a").status_code == 400
    assert api.call("GET", path, "b").status_code == 404
    assert api.call("GET", path, None).status_code == 401
    assert api.call("GET", path, "admin").status_code == 403


def test_an_update_request_is_noted_and_the_next_change_is_a_new_date(api: Api) -> None:  # noqa: F811
    beneficiary = _shared(api)
    path = f"/api/v1/beneficiaries/{beneficiary}/update-request"
    assert api.call("POST", path, "b").status_code == 404
    cross = api.call("POST", path, "a", headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403
    line = api.call("GET", "/api/v1/beneficiaries", "a").json()["beneficiaries"][0]
    assert line["update_requested_at"] is None
    asked = api.call("POST", path, "a")
    assert asked.status_code == 200, asked.text
    assert asked.json()["link"] == "https://careerpath.example.org/mon-suivi"
    line = api.call("GET", "/api/v1/beneficiaries", "a").json()["beneficiaries"][0]
    assert line["update_requested_at"] == asked.json()["requested_at"]
    _change(api, {"org-prioriser": 3})
    one = api.call("GET", f"/api/v1/beneficiaries/{beneficiary}", "a").json()
    assert len(one["snapshots"]) == 2
    # Once the person stopped sharing: refused, in the API's error format.
    Person(Store.of(api.url)).stop_sharing(Actor(device_id=api.device), beneficiary)
    gone = api.call("POST", path, "a")
    assert gone.status_code == 403 and gone.json()["errors"][0]["message"]


def test_the_action_plan_as_csv_neutralises_formulas(api: Api) -> None:  # noqa: F811
    beneficiary = _shared(api)
    store = Store.of(api.url)
    actor = Accounts(api.url).resolve(api.tokens["a"])
    plan = CounsellorPlan(store)
    first = plan.add_action(actor, beneficiary, "application", '=HYPERLINK("https://x.example")')
    plan.add_action(actor, beneficiary, "free", "Appeler le réseau", due="2026-01-15")
    Person(store).comment(Actor(device_id=api.device), beneficiary, first, "@cmd fait")
    answer = api.call("GET", f"/api/v1/beneficiaries/{beneficiary}/actions.csv", "a")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    text = answer.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][:4] == ["Objectif", "Action", "Type", "Statut"]
    by_title = {r[1]: r for r in rows[1:]}
    assert '\'=HYPERLINK("https://x.example")' in by_title
    formula = by_title['\'=HYPERLINK("https://x.example")']
    assert formula[2:4] == ["Candidature", "À faire"] and "@cmd fait" in formula[8]
    assert by_title["Appeler le réseau"][5] == "2026-01-15"
    english = api.call("GET", f"/api/v1/beneficiaries/{beneficiary}/actions.csv?lang=en", "a")
    header = next(csv.reader(io.StringIO(english.content.decode("utf-8")[1:])))
    assert (header[0], header[1], header[3]) == ("Goal", "Action", "Status")
    assert api.call("GET", f"/api/v1/beneficiaries/{beneficiary}/actions.csv", "b").status_code == (
        404
    )


def test_the_pdf_holds_the_dates_the_bilan_and_the_plan_but_no_private_note(api: Api) -> None:  # noqa: F811
    beneficiary = _shared(api, "Camille D.")
    store = Store.of(api.url)
    actor = Accounts(api.url).resolve(api.tokens["a"])
    CounsellorPlan(store).add_action(actor, beneficiary, "interview", "Entretien chez Dupont")
    Follow(store).add_note(actor, beneficiary, "Note très privée")
    _change(api, {"org-prioriser": 4})
    answer = api.call("GET", f"/api/v1/beneficiaries/{beneficiary}/bilan.pdf", "a")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    text = " ".join(
        page.extract_text() or "" for page in PdfReader(io.BytesIO(answer.content)).pages
    )
    for expected in (
        "Bilan et plan d'action",
        "Camille D.",
        "Bilans datés",
        "Mon bilan de compétences",
        "Plan d'action",
        "Entretien chez Dupont",
    ):
        assert expected in text, expected
    assert "Note très privée" not in text
    english = api.call("GET", f"/api/v1/beneficiaries/{beneficiary}/bilan.pdf?lang=en", "a")
    english_text = " ".join(
        p.extract_text() or "" for p in PdfReader(io.BytesIO(english.content)).pages
    )
    assert "Assessment and action plan" in english_text
    assert api.call("GET", f"/api/v1/beneficiaries/{beneficiary}/bilan.pdf", "b").status_code == (
        404
    )
    assert api.call("GET", f"/api/v1/beneficiaries/{beneficiary}/bilan.pdf", None).status_code == (
        401
    )
