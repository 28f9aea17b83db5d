"""The counsellor workspace in two browsers at once: a counsellor at 1280 px, the person on
their phone at 360 px. Invite → the person accepts on the phone → the counsellor sees them,
their assessment and adds an action → the person marks it « fait » and comments in « Mon
suivi », which the counsellor sees → the counsellor asks for an update → the person
re-assesses on the phone → the counsellor compares the two dates (before → after, a chart,
also at 390 px) and downloads the PDF and the CSV → the person stops sharing → the counsellor
loses access at once, by the list and by the saved address."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from careerpath.config import load_settings
from careerpath.services.accounts import SESSION_COOKIE, Accounts, Role
from careerpath.services.assessments import AssessmentStore, new_device_id
from careerpath.services.referential import load_referential
from tests.browser.conftest import VIEWPORTS, PageProblems, RunningApp
from tests.browser.test_accessibility import (  # noqa: F401  (the fixture)
    assert_no_serious_violation,
    axe_source,
)

pytestmark = pytest.mark.browser
PASSWORD = "une phrase de passe pour l'espace conseil"
WAIT_MS = 30_000
PHONE_360 = {**VIEWPORTS["phone"], "viewport": {"width": 360, "height": 780}}


def _counsellor(
    browser: Browser, app: RunningApp, viewport: dict[str, Any] | None = None
) -> BrowserContext:
    email = f"conseil-{uuid.uuid4().hex[:8]}@example.org"
    accounts = Accounts(app.database_url, settings=load_settings())
    accounts.create(
        email, Role.COUNSELLOR, structure="Mission locale de Nantes", name="Sam", password=PASSWORD
    )
    token = accounts.sign_in(email, PASSWORD).token
    context = browser.new_context(
        base_url=app.url, locale="fr-FR", **(viewport or VIEWPORTS["desktop"])
    )
    context.add_cookies(
        [
            {
                "name": SESSION_COOKIE,
                "value": token,
                "url": app.url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )
    return context


def _person(
    browser: Browser, app: RunningApp, viewport: dict[str, Any] | None = None
) -> tuple[BrowserContext, str, str]:
    """A phone whose device already holds an assessment with a goal."""
    device = new_device_id()
    store = AssessmentStore(app.database_url)
    referential = load_referential(app.database_url)
    roles = referential.roles
    stored = store.start(device, "en_recherche", roles[0].code)
    store.rate_many(stored.id, {c.code: 2 for c in referential.competencies[:6]})
    store.set_target(stored.id, roles[1].code)
    context = browser.new_context(base_url=app.url, locale="fr-FR", **(viewport or PHONE_360))
    context.add_init_script(f"localStorage.setItem('careerpath_device', '{device}');")
    return context, roles[1].title, device


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def _watch(page: Page, problems: PageProblems) -> None:
    page.on("console", problems.on_console)
    page.on("requestfailed", problems.on_request_failed)
    page.on("response", problems.on_response)


def test_invite_accept_follow_then_stop_sharing(
    browser: Browser, app: RunningApp, screenshots_dir: Path
) -> None:
    screenshots = screenshots_dir
    problems = PageProblems()
    desk_context = _counsellor(browser, app)
    phone_context, goal_title, device = _person(browser, app)
    try:
        desk = desk_context.new_page()
        phone = phone_context.new_page()
        _watch(desk, problems)
        _watch(phone, problems)

        # The counsellor invites someone.
        desk.goto("/espace")
        expect(desk.get_by_test_id("caseload-total")).to_contain_text("0", timeout=WAIT_MS)
        desk.get_by_role("button", name="Inviter une personne").click()
        desk.get_by_label("Nom ou surnom de la personne").fill("Camille D.")
        desk.get_by_role("button", name="Créer l'invitation").click()
        link = desk.get_by_test_id("invitation-link")
        expect(link).to_be_visible(timeout=WAIT_MS)
        code = desk.get_by_test_id("invitation-code").inner_text().replace(" ", "")
        assert re.fullmatch(r"[ACDEFGHJKMNPQRTWXY34679]{8}", code)
        assert desk.get_by_role("img", name="QR code de l'invitation").count() == 1
        invitation_path = urlsplit(link.get_attribute("href") or "").path
        assert invitation_path == f"/invitation/{code}"

        # On the phone, without an account: who asks, what and how long; then accept.
        phone.goto(invitation_path)
        who = phone.get_by_test_id("invite-who")
        expect(who).to_contain_text("Sam", timeout=WAIT_MS)
        expect(who).to_contain_text("Mission locale de Nantes")
        expect(phone.get_by_text("Ce qui sera partagé")).to_be_visible()
        expect(phone.get_by_text("Pour combien de temps")).to_be_visible()
        _fits(phone)
        phone.screenshot(path=screenshots / "invitation-phone.png", full_page=True)
        phone.get_by_test_id("accept").click()
        expect(phone.get_by_test_id("accepted")).to_be_visible(timeout=WAIT_MS)

        # The counsellor sees the beneficiary, their goal and assessment, adds an action.
        desk.goto("/espace")
        row = desk.get_by_test_id("caseload-row").filter(has_text="Camille D.")
        expect(row).to_contain_text(goal_title, timeout=WAIT_MS)
        expect(row).to_contain_text("%")
        # The caseload as CSV, with this browser's session.
        with desk.expect_download() as download:
            desk.get_by_test_id("caseload-csv").click()
        csv_text = open(download.value.path(), encoding="utf-8").read()  # noqa: SIM115
        assert csv_text.startswith("\ufeffNom;Statut;Objectif") and "Camille D." in csv_text
        desk.screenshot(path=screenshots / "espace-desktop.png", full_page=True)
        row.get_by_test_id("beneficiary-link").click()
        desk.wait_for_url(re.compile(r"/espace/beneficiaire/[0-9a-f]{32}$"), timeout=WAIT_MS)
        saved_url = desk.url
        expect(desk.get_by_test_id("beneficiary-label")).to_have_text("Camille D.")
        expect(desk.get_by_test_id("snapshot")).to_have_count(1)
        desk.get_by_label("Type d'action").select_option("immersion")
        desk.get_by_label("Intitulé").fill("Immersion d'une semaine en cabinet")
        desk.get_by_role("button", name="Ajouter l'action").click()
        expect(desk.get_by_test_id("action")).to_contain_text(
            "Immersion d'une semaine en cabinet", timeout=WAIT_MS
        )

        desk.get_by_label("Nouvelle note (privée)").fill("Motivée, à relancer en janvier")
        desk.get_by_role("button", name="Enregistrer la note").click()
        expect(desk.get_by_test_id("notes")).to_contain_text(
            "Motivée, à relancer en janvier", timeout=WAIT_MS
        )

        # The person sees with whom they share, the action (never the notes), and stops sharing.
        phone.goto("/mon-suivi")
        expect(phone.get_by_test_id("share-with")).to_contain_text("Sam", timeout=WAIT_MS)
        expect(phone.get_by_test_id("my-action")).to_contain_text("Immersion d'une semaine")
        assert phone.get_by_text("Motivée, à relancer").count() == 0
        _fits(phone)
        phone.get_by_test_id("my-action-status").select_option("done")
        expect(phone.get_by_test_id("my-action-status")).to_have_value("done", timeout=WAIT_MS)
        phone.get_by_label("Un commentaire pour votre conseiller·ère").fill("Très bien passé")
        phone.get_by_role("button", name="Envoyer le commentaire").click()
        expect(phone.get_by_test_id("my-action")).to_contain_text(
            "Très bien passé", timeout=WAIT_MS
        )
        phone.screenshot(path=screenshots / "mon-suivi-phone.png", full_page=True)

        # The counsellor sees it done, with the person's comment.
        desk.goto(saved_url)
        action = desk.get_by_test_id("action")
        expect(action.get_by_test_id("action-status")).to_have_text("Fait", timeout=WAIT_MS)
        expect(action).to_contain_text("Très bien passé")
        expect(action).to_contain_text("la personne")

        # The counsellor asks for an update: a message with the link, noted on the page.
        desk.get_by_test_id("request-update").click()
        expect(desk.get_by_test_id("update-link")).to_contain_text("/mon-suivi", timeout=WAIT_MS)
        expect(desk.get_by_test_id("update-message")).to_have_value(re.compile("/mon-suivi"))
        expect(desk.get_by_test_id("update-requested").first).to_contain_text(
            "Mise à jour demandée le"
        )

        # The person re-assesses from the phone: « Mettre à jour mon bilan », one answer
        # changed; the counsellor gets a new dated snapshot, the first kept as it was.
        phone.goto("/mon-suivi")
        expect(phone.get_by_test_id("update-asked")).to_contain_text(
            "vous a demandé de mettre à jour votre bilan", timeout=WAIT_MS
        )
        phone.get_by_test_id("update-my-bilan").get_by_role("link").click()
        phone.wait_for_url(re.compile(r"^[^?]*/bilan/etape/1$"), timeout=WAIT_MS)
        radios = phone.locator("fieldset.cp-fieldset").first.get_by_role("radio")
        expect(radios.first).to_be_visible(timeout=WAIT_MS)
        radios.last.check()  # « Expertise » (4)
        _fits(phone)
        store = AssessmentStore(app.database_url)
        for _ in range(300):
            if store.count_for_device(device) == 2:
                break
            phone.wait_for_timeout(100)
        assert store.count_for_device(device) == 2
        desk.goto(saved_url)
        expect(desk.get_by_test_id("snapshot")).to_have_count(2, timeout=WAIT_MS)
        # Two dates side by side (default: the previous against the latest), with a chart.
        panel = desk.get_by_test_id("compare-panel")
        expect(panel.get_by_test_id("comparison")).to_contain_text("Proximité à l'objectif")
        expect(panel.get_by_test_id("change-moved")).to_have_count(1)
        expect(panel.get_by_test_id("change-moved")).to_contain_text("4")
        expect(panel.get_by_test_id("compare-hours")).to_contain_text("h")
        expect(desk.get_by_test_id("comparison-chart").locator("svg").first).to_be_visible()
        # Both selects on the latest date: nothing changed; back to the older one.
        latest = desk.get_by_label("Après").input_value()
        older = desk.get_by_label("Avant").input_value()
        assert latest != older
        desk.get_by_label("Avant").select_option(latest)
        expect(panel.get_by_test_id("moved-count")).to_contain_text(": 0", timeout=WAIT_MS)
        desk.get_by_label("Avant").select_option(older)
        expect(panel.get_by_test_id("change-moved")).to_have_count(1, timeout=WAIT_MS)
        # Still usable on a 390 px phone.
        desk.set_viewport_size({"width": 390, "height": 844})
        expect(desk.get_by_test_id("comparison-chart").locator("svg").first).to_be_visible()
        _fits(desk)
        desk.screenshot(path=screenshots / "comparaison-390.png", full_page=True)
        desk.set_viewport_size(VIEWPORTS["desktop"]["viewport"])

        # The exports: the bilan and the plan as PDF, the actions as CSV.
        with desk.expect_download() as download:
            desk.get_by_test_id("export-pdf").click()
        assert open(download.value.path(), "rb").read(5) == b"%PDF-"  # noqa: SIM115
        with desk.expect_download() as download:
            desk.get_by_test_id("export-csv").click()
        actions_text = open(download.value.path(), encoding="utf-8").read()  # noqa: SIM115
        assert actions_text.startswith("\ufeffObjectif;Action;Type;Statut")
        assert "Immersion d'une semaine en cabinet" in actions_text
        assert "Très bien passé" in actions_text

        # « Ajouter au plan d'action » on an item of the person's training plan.
        first_item = desk.get_by_test_id("plan-item").first
        expect(first_item).to_be_visible()
        first_item.get_by_test_id("add-training").click()
        expect(desk.get_by_test_id("action")).to_have_count(2, timeout=WAIT_MS)
        desk.screenshot(path=screenshots / "beneficiaire-desktop.png", full_page=True)

        # Then the person stops sharing.
        phone.goto("/mon-suivi")
        phone.get_by_test_id("stop-sharing").click()
        phone.get_by_test_id("confirm-stop").click()
        expect(phone.get_by_test_id("stopped")).to_be_visible(timeout=WAIT_MS)
        expect(phone.get_by_test_id("nothing-shared")).to_be_visible()

        # At once: the saved address shows only the name and the reason, nothing shared.
        desk.goto(saved_url)
        expect(desk.get_by_test_id("not-shared")).to_be_visible(timeout=WAIT_MS)
        expect(desk.get_by_text("Partage arrêté par la personne")).to_be_visible()
        assert desk.get_by_test_id("snapshot").count() == 0
        assert desk.get_by_test_id("action").count() == 0
        # The list of follow-ups in progress no longer holds them.
        desk.goto("/espace")
        expect(desk.get_by_test_id("caseload-total")).to_contain_text("0", timeout=WAIT_MS)
        assert desk.get_by_test_id("caseload-row").count() == 0
    finally:
        desk_context.close()
        phone_context.close()
    assert not problems.items, "\n".join(problems.items)


def test_in_english_on_a_360_px_phone_the_person_refuses(browser: Browser, app: RunningApp) -> None:
    """The workspace fits a 360 px phone for the counsellor too, and reads in English."""
    problems = PageProblems()
    desk_context = _counsellor(browser, app, viewport=PHONE_360)
    desk_context.add_init_script("localStorage.setItem('careerpath_lang', 'en')")
    phone_context, _, _ = _person(browser, app)
    phone_context.add_init_script("localStorage.setItem('careerpath_lang', 'en')")
    try:
        desk = desk_context.new_page()
        phone = phone_context.new_page()
        _watch(desk, problems)
        _watch(phone, problems)
        desk.goto("/espace")
        expect(desk.get_by_role("heading", level=1)).to_have_text(
            "Counsellor workspace", timeout=WAIT_MS
        )
        desk.get_by_role("button", name="Invite a person").click()
        desk.get_by_label("The person's name or nickname").fill("Dominique")
        desk.get_by_role("button", name="Create the invitation").click()
        link = desk.get_by_test_id("invitation-link")
        expect(link).to_be_visible(timeout=WAIT_MS)
        _fits(desk)
        phone.goto(urlsplit(link.get_attribute("href") or "").path)
        expect(phone.get_by_text("What will be shared")).to_be_visible(timeout=WAIT_MS)
        phone.get_by_test_id("refuse").click()
        expect(phone.get_by_test_id("refused")).to_have_text(
            "You refused: nothing is shared.", timeout=WAIT_MS
        )
        desk.goto("/espace")
        row = desk.get_by_test_id("caseload-row").filter(has_text="Dominique")
        expect(row).to_contain_text("Does not share their data", timeout=WAIT_MS)
        _fits(desk)
        # Closing asks for a reason, then the follow-up is read-only.
        row.get_by_test_id("beneficiary-link").click()
        expect(desk.get_by_test_id("not-shared")).to_be_visible(timeout=WAIT_MS)
        desk.get_by_text("Close the follow-up").click()
        desk.get_by_label("Closing reason").fill("Refused to share")
        desk.get_by_role("button", name="Close", exact=True).click()
        expect(desk.get_by_text("Closed — Refused to share")).to_be_visible(timeout=WAIT_MS)
        expect(desk.get_by_role("heading", name="Followed by")).to_be_visible()
        expect(desk.get_by_test_id("history")).to_contain_text("since")
        assert desk.get_by_text("Close the follow-up").count() == 0
        _fits(desk)
    finally:
        desk_context.close()
        phone_context.close()
    assert not problems.items, "\n".join(problems.items)


def test_the_workspace_pages_pass_axe(
    browser: Browser,
    app: RunningApp,
    axe_source: str,  # noqa: F811  (the fixture of test_accessibility)
) -> None:
    """No serious or critical axe violation on the four pages of the workspace."""
    desk_context = _counsellor(browser, app)
    phone_context, _, _ = _person(browser, app)
    try:
        desk = desk_context.new_page()
        phone = phone_context.new_page()
        desk.goto("/espace")
        desk.get_by_role("button", name="Inviter une personne").click()
        desk.get_by_label("Nom ou surnom de la personne").fill("Alex")
        desk.get_by_role("button", name="Créer l'invitation").click()
        link = desk.get_by_test_id("invitation-link")
        expect(link).to_be_visible(timeout=WAIT_MS)
        assert_no_serious_violation(desk, axe_source, "/espace")
        phone.goto(urlsplit(link.get_attribute("href") or "").path)
        expect(phone.get_by_test_id("accept")).to_be_visible(timeout=WAIT_MS)
        assert_no_serious_violation(phone, axe_source, "/invitation/[code]")
        phone.get_by_test_id("accept").click()
        expect(phone.get_by_test_id("accepted")).to_be_visible(timeout=WAIT_MS)
        phone.goto("/mon-suivi")
        expect(phone.get_by_test_id("share-with")).to_be_visible(timeout=WAIT_MS)
        assert_no_serious_violation(phone, axe_source, "/mon-suivi")
        desk.goto("/espace")
        desk.get_by_test_id("caseload-row").filter(has_text="Alex").get_by_test_id(
            "beneficiary-link"
        ).click()
        expect(desk.get_by_test_id("beneficiary-label")).to_have_text("Alex", timeout=WAIT_MS)
        assert_no_serious_violation(desk, axe_source, "/espace/beneficiaire/[id]")
    finally:
        desk_context.close()
        phone_context.close()


def _signed_in(
    browser: Browser, app: RunningApp, email: str, viewport: dict[str, Any]
) -> BrowserContext:
    token = Accounts(app.database_url, settings=load_settings()).sign_in(email, PASSWORD).token
    context = browser.new_context(base_url=app.url, locale="fr-FR", **viewport)
    context.add_cookies(
        [
            {
                "name": SESSION_COOKIE,
                "value": token,
                "url": app.url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )
    return context


def test_the_counsellor_edits_an_action_the_manager_reassigns_the_person_sees_both(
    browser: Browser,
    app: RunningApp,
    screenshots_dir: Path,
    axe_source: str,  # noqa: F811  (the fixture of test_accessibility)
) -> None:
    """A counsellor at 1280 px sets an action's status and dates (a due date before the
    start is refused, nothing changes), the person at 390 px sees it and its overdue flag
    and adds their own, the structure's manager gives the follow-up to another counsellor
    (only theirs are offered), and the first counsellor can no longer open it."""
    from datetime import date, timedelta

    from careerpath.services.workspace import Invitations, Store

    problems = PageProblems()
    run = uuid.uuid4().hex[:8]
    structure = f"Mission locale de Brest {run}"
    accounts = Accounts(app.database_url, settings=load_settings())
    emails = {}
    for who, role, name in (
        ("first", Role.COUNSELLOR, "Alix Premier"),
        ("second", Role.COUNSELLOR, "Bastien Second"),
        ("manager", Role.STRUCTURE_ADMIN, "Chloé Responsable"),
    ):
        emails[who] = f"{who}-{run}@example.org"
        accounts.create(emails[who], role, structure=structure, name=name, password=PASSWORD)
    accounts.create(
        f"ailleurs-{run}@example.org",
        Role.COUNSELLOR,
        structure=f"CIO ailleurs {run}",
        name="Dana Ailleurs",
        password=PASSWORD,
    )
    first = accounts.resolve(accounts.sign_in(emails["first"], PASSWORD).token)
    phone_context, goal_title, device = _person(browser, app, VIEWPORTS["phone"])
    invitations = Invitations(Store.of(app.database_url))
    beneficiary = invitations.accept(invitations.create(first, "Yasmine K.").code, device)
    desk_context = _signed_in(browser, app, emails["first"], VIEWPORTS["desktop"])
    manager_context = _signed_in(browser, app, emails["manager"], VIEWPORTS["desktop"])
    today = date.today()
    start, due = today - timedelta(days=20), today - timedelta(days=2)
    try:
        desk, phone, chief = (
            desk_context.new_page(),
            phone_context.new_page(),
            manager_context.new_page(),
        )
        for page in (desk, phone, chief):
            _watch(page, problems)
        path = f"/espace/beneficiaire/{beneficiary}"
        desk.goto(path)
        expect(desk.get_by_test_id("beneficiary-label")).to_have_text("Yasmine K.", timeout=WAIT_MS)
        assert desk.get_by_test_id("reassign-form").count() == 0  # the manager's, not hers
        expect(desk.get_by_test_id("history")).to_contain_text("Alix Premier")
        # The person's goal becomes an objective; an action goes under it.
        desk.get_by_test_id("add-goal-objective").click()
        expect(desk.get_by_test_id("objective-title")).to_have_text(goal_title, timeout=WAIT_MS)
        desk.get_by_label("Type d'action").select_option("application")
        desk.get_by_label("Intitulé", exact=True).fill("Candidater au cabinet Martin")
        desk.locator("#champ-objective").select_option(label=goal_title)
        desk.get_by_role("button", name="Ajouter l'action").click()
        action = desk.get_by_test_id("action").filter(has_text="Candidater au cabinet Martin")
        expect(action).to_be_visible(timeout=WAIT_MS)
        expect(action.get_by_test_id("action-status")).to_have_text("À faire")
        expect(
            desk.get_by_test_id("objective").filter(has_text=goal_title).get_by_test_id("action")
        ).to_have_count(1)

        # Status and dates in one save; the due date has passed: overdue.
        action.get_by_text("Modifier", exact=True).click()
        action.get_by_label("Statut").select_option("doing")
        action.get_by_label("Début").fill(start.isoformat())
        action.get_by_label("Échéance").fill(due.isoformat())
        action.get_by_test_id("save-action").click()
        expect(action.get_by_test_id("action-status")).to_have_text("En cours", timeout=WAIT_MS)
        expect(action.get_by_test_id("overdue")).to_be_visible()
        expect(action.get_by_test_id("action-dates")).to_contain_text("début :")
        # A due date before the start: said in French, and nothing changes.
        action.get_by_text("Modifier", exact=True).click()
        action.get_by_label("Statut").select_option("done")
        action.get_by_label("Échéance").fill((start - timedelta(days=1)).isoformat())
        action.get_by_test_id("save-action").click()
        expect(action.get_by_test_id("edit-error")).to_have_text(
            "L'échéance doit venir après le début.", timeout=WAIT_MS
        )
        desk.reload()
        action = desk.get_by_test_id("action").filter(has_text="Candidater au cabinet Martin")
        expect(action.get_by_test_id("action-status")).to_have_text("En cours", timeout=WAIT_MS)
        expect(action.get_by_test_id("overdue")).to_be_visible()
        desk.screenshot(path=screenshots_dir / "plan-action-desktop.png", full_page=True)
        assert_no_serious_violation(desk, axe_source, "/espace/beneficiaire/[id] with a plan")

        # On the phone: the change, the overdue flag, who added it; then an action of hers.
        phone.goto("/mon-suivi")
        mine = phone.get_by_test_id("my-action").filter(has_text="Candidater au cabinet Martin")
        expect(mine.get_by_test_id("my-action-status")).to_have_value("doing", timeout=WAIT_MS)
        expect(mine.get_by_test_id("my-overdue")).to_be_visible()
        expect(mine.get_by_test_id("my-action-author")).to_contain_text("conseiller·ère")
        expect(mine).to_contain_text(goal_title)
        _fits(phone)
        phone.get_by_test_id("my-add-action").click()
        phone.get_by_label("Intitulé").fill("Relancer mon réseau d'anciens collègues")
        # A due date before the start is refused and what the person typed stays.
        phone.get_by_label("Début (facultatif)").fill("2027-03-10")
        phone.get_by_label("Échéance (facultative)").fill("2027-03-01")
        phone.get_by_role("button", name="Ajouter l'action").click()
        expect(phone.get_by_text("L'échéance doit venir après le début.")).to_be_visible(
            timeout=WAIT_MS
        )
        expect(phone.get_by_label("Intitulé")).to_have_value(
            "Relancer mon réseau d'anciens collègues"
        )
        expect(phone.get_by_label("Début (facultatif)")).to_have_value("2027-03-10")
        phone.get_by_label("Échéance (facultative)").fill("2027-03-20")
        phone.get_by_role("button", name="Ajouter l'action").click()
        own = phone.get_by_test_id("my-action").filter(has_text="Relancer mon réseau")
        expect(own.get_by_test_id("my-action-author")).to_contain_text("vous", timeout=WAIT_MS)
        # Added: the form starts empty again.
        expect(phone.get_by_label("Intitulé")).to_have_value("", timeout=WAIT_MS)
        _fits(phone)
        phone.screenshot(path=screenshots_dir / "mon-suivi-plan-phone.png", full_page=True)
        assert_no_serious_violation(phone, axe_source, "/mon-suivi with a plan")
        desk.reload()
        expect(
            desk.get_by_test_id("action").filter(has_text="Relancer mon réseau")
        ).to_contain_text("ajoutée par la personne", timeout=WAIT_MS)

        # The manager gives the follow-up to the second counsellor (only theirs offered).
        chief.goto("/espace")
        line = chief.get_by_test_id("caseload-row").filter(has_text="Yasmine K.")
        expect(line.get_by_test_id("followed-by")).to_have_text(
            "Suivi·e par Alix Premier", timeout=WAIT_MS
        )
        line.get_by_test_id("beneficiary-link").click()
        chief.wait_for_url(re.compile(f"{path}$"), timeout=WAIT_MS)
        form = chief.get_by_test_id("reassign-form")
        expect(form).to_be_visible(timeout=WAIT_MS)
        choices = form.locator("option").all_inner_texts()
        assert any("Bastien Second" in c for c in choices)
        assert not any("Dana Ailleurs" in c for c in choices)
        form.get_by_label("Confier le suivi à").select_option(emails["second"])
        form.get_by_role("button", name="Réaffecter").click()
        expect(chief.get_by_test_id("reassigned")).to_contain_text(
            "Bastien Second", timeout=WAIT_MS
        )
        history = chief.get_by_test_id("history")
        expect(history).to_have_count(2)
        expect(history.first).to_contain_text("Bastien Second")
        expect(history.first).to_contain_text("depuis le")
        expect(history.nth(1)).to_contain_text("Alix Premier")
        expect(history.nth(1)).to_contain_text(" au ")
        chief.screenshot(path=screenshots_dir / "reaffectation-desktop.png", full_page=True)
        chief.goto("/espace")
        expect(
            chief.get_by_test_id("caseload-row")
            .filter(has_text="Yasmine K.")
            .get_by_test_id("followed-by")
        ).to_have_text("Suivi·e par Bastien Second", timeout=WAIT_MS)

        # The first counsellor no longer reaches it; the phone says who follows now.
        desk.reload()
        expect(desk.get_by_test_id("access-denied")).to_be_visible(timeout=WAIT_MS)
        phone.reload()
        expect(phone.get_by_test_id("share-with")).to_contain_text(
            "Bastien Second", timeout=WAIT_MS
        )
        expect(mine.get_by_test_id("my-overdue")).to_be_visible()
    finally:
        desk_context.close()
        phone_context.close()
        manager_context.close()
    assert not problems.items, "\n".join(problems.items)


def test_an_administrator_sees_the_structures_in_numbers_and_no_person(
    browser: Browser, app: RunningApp
) -> None:
    problems = PageProblems()
    email = f"admin-{uuid.uuid4().hex[:8]}@example.org"
    Accounts(app.database_url, settings=load_settings()).create(
        email, Role.ADMIN, name="Root", password=PASSWORD
    )
    context = _signed_in(browser, app, email, VIEWPORTS["phone"])
    try:
        page = context.new_page()
        _watch(page, problems)
        page.goto("/espace")
        expect(page.get_by_test_id("admin-overview")).to_be_visible(timeout=WAIT_MS)
        expect(page.get_by_test_id("structure-counts").first).to_contain_text(
            "Accompagnements en cours"
        )
        assert page.get_by_test_id("caseload-row").count() == 0
        assert page.get_by_test_id("access-denied").count() == 0
        expect(page.get_by_role("link", name="Comptes des structures")).to_have_attribute(
            "href", "/compte/equipe"
        )
        _fits(page)
    finally:
        context.close()
    assert not problems.items, "\n".join(problems.items)
