"""Signing in and out in the browser, idle expiry, and « Déconnecter les autres appareils »."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import update
from sqlmodel import col, select

from careerpath.config import load_settings
from careerpath.data.account_tables import AccountRow, AuthSessionRow
from careerpath.data.database import engine_for
from careerpath.services.accounts import SESSION_COOKIE, Accounts, Role
from tests.browser.conftest import VIEWPORTS, PageProblems, RunningApp
from tests.browser.test_journey import visit

pytestmark = pytest.mark.browser
PASSWORD = "une phrase de passe pour le navigateur"
NAVIGATION_MS = 60_000  # a sign-in is one Argon2 hash: slow on a loaded 2-core machine


def _account(app: RunningApp) -> str:
    email = f"conseil-{uuid.uuid4().hex[:8]}@example.org"
    Accounts(app.database_url, settings=load_settings()).create(
        email, Role.COUNSELLOR, structure="CIO de Lyon", name="Camille", password=PASSWORD
    )
    return email


def _sign_in(page: Page, email: str, password: str = PASSWORD, suivant: str = "") -> None:
    page.goto(f"/connexion?suivant={suivant}" if suivant else "/connexion")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def _expected_401(problems: PageProblems) -> None:
    """A refused sign-in answers 401, which the page shows as a message: not a fault."""
    problems.items[:] = [
        p for p in problems.items if "/api/v1/session" not in p and "status of 401" not in p
    ]


def test_sign_in_then_sign_out(
    page: Page, app: RunningApp, page_problems: PageProblems, screenshots_dir, viewport_name: str
) -> None:
    email = _account(app)
    _sign_in(page, email, "pas le bon mot de passe du tout")
    expect(
        page.get_by_role("status").filter(has_text="E-mail ou mot de passe incorrect")
    ).to_be_visible()
    _expected_401(page_problems)
    _sign_in(page, email)
    # A counsellor lands on their workspace when no page was asked for.
    page.wait_for_url(re.compile(r"^[^?]*/espace$"), timeout=NAVIGATION_MS)
    expect(page.get_by_test_id("caseload-total")).to_be_visible()
    page.goto("/compte")
    expect(page.get_by_test_id("account-email")).to_have_text(email)
    expect(page.get_by_text("Conseiller·ère — CIO de Lyon")).to_be_visible()
    expect(page.get_by_test_id("session")).to_have_count(1)
    page.screenshot(path=screenshots_dir / f"compte-{viewport_name}.png", full_page=True)
    cookie = next(c for c in page.context.cookies() if c["name"] == SESSION_COOKIE)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
    assert page.evaluate("document.cookie").find(SESSION_COOKIE) < 0  # invisible to scripts

    page.get_by_role("link", name="Se déconnecter").click()
    page.wait_for_url(re.compile(r"/deconnexion"), timeout=NAVIGATION_MS)
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_test_id("signed-out")).to_be_visible()
    assert not [c for c in page.context.cookies() if c["name"] == SESSION_COOKIE]
    page.goto("/compte")
    page.wait_for_url(re.compile(r"/connexion\?suivant=/compte$"), timeout=NAVIGATION_MS)
    # Signing in from there comes back to the page asked for.
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"^[^?]*/compte$"), timeout=NAVIGATION_MS)


def _submit_natively(page: Page, email: str, password: str) -> None:
    """Post the form as the browser does before the page's script runs (no submit event)."""
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.locator("form[data-cp-auth=signin]").evaluate("form => form.submit()")


def test_the_form_signs_in_even_before_the_pages_script_runs(
    page: Page, app: RunningApp, viewport_name: str
) -> None:
    if viewport_name != "phone":
        pytest.skip("one size is enough: the form is the same")
    email = _account(app)
    page.goto("/connexion?suivant=/compte")
    _submit_natively(page, email, "pas le bon mot de passe du tout")
    page.wait_for_url(re.compile(r"/connexion\?erreur=invalid_credentials"), timeout=NAVIGATION_MS)
    expect(
        page.get_by_role("status").filter(has_text="E-mail ou mot de passe incorrect")
    ).to_be_visible()
    _submit_natively(page, email, PASSWORD)
    page.wait_for_url(re.compile(r"^[^?]*/compte$"), timeout=NAVIGATION_MS)
    expect(page.get_by_test_id("account-email")).to_have_text(email)


def _backdate(app: RunningApp, email: str, minutes: int) -> None:
    """Make the account's sessions look idle for `minutes` (what the server's clock reads)."""
    engine = engine_for(app.database_url)
    with engine.begin() as connection:
        account = select(AccountRow.id).where(AccountRow.email == email).scalar_subquery()
        connection.execute(
            update(AuthSessionRow)
            .where(col(AuthSessionRow.account_id) == account)
            .values(last_seen_at=datetime.now(UTC) - timedelta(minutes=minutes))
        )


def test_an_idle_session_ends_at_the_next_click(
    page: Page, app: RunningApp, viewport_name: str
) -> None:
    if viewport_name != "desktop":
        pytest.skip("one size is enough: the rule is the server's")
    email = _account(app)
    _sign_in(page, email, suivant="/compte")
    page.wait_for_url(re.compile(r"^[^?]*/compte$"), timeout=NAVIGATION_MS)
    _backdate(app, email, 29)
    page.get_by_label("Mot de passe actuel").fill("x" * 12)
    page.get_by_label("Nouveau mot de passe", exact=True).fill("y" * 12)
    page.get_by_label("Nouveau mot de passe, encore").fill("z" * 12)
    page.get_by_role("button", name="Changer le mot de passe").click()
    expect(page.get_by_text("ne sont pas identiques")).to_be_visible()  # still signed in
    _backdate(app, email, 31)
    page.get_by_label("Mot de passe actuel").fill("x" * 12)
    page.get_by_label("Nouveau mot de passe", exact=True).fill("y" * 12)
    page.get_by_label("Nouveau mot de passe, encore").fill("y" * 12)
    page.get_by_role("button", name="Changer le mot de passe").click()
    page.wait_for_url(re.compile(r"/connexion\?suivant=/compte$"), timeout=NAVIGATION_MS)


def _signed_in_context(
    browser: Browser, app: RunningApp, email: str, size: str
) -> tuple[BrowserContext, Page]:
    context = browser.new_context(base_url=app.url, locale="fr-FR", **VIEWPORTS[size])
    page = context.new_page()
    _sign_in(page, email, suivant="/compte")
    page.wait_for_url(re.compile(r"^[^?]*/compte$"), timeout=NAVIGATION_MS)
    return context, page


def test_sign_out_the_other_devices(browser: Browser, app: RunningApp, viewport_name: str) -> None:
    if viewport_name != "desktop":
        pytest.skip("the phone is the other device here")
    email = _account(app)
    phone_context, phone = _signed_in_context(browser, app, email, "phone")
    desk_context, desk = _signed_in_context(browser, app, email, "desktop")
    try:
        expect(desk.get_by_test_id("session")).to_have_count(2)
        expect(desk.get_by_test_id("session").first).to_contain_text("cet appareil")
        desk.get_by_role("button", name="Déconnecter les autres appareils").click()
        expect(desk.get_by_text("1 autre appareil déconnecté.")).to_be_visible()
        expect(desk.get_by_test_id("session")).to_have_count(1)
        # The phone's page is still open: its next event finds the session gone.
        phone.get_by_label("Mot de passe actuel").fill("x" * 12)
        phone.get_by_label("Nouveau mot de passe", exact=True).fill("y" * 12)
        phone.get_by_label("Nouveau mot de passe, encore").fill("y" * 12)
        phone.get_by_role("button", name="Changer le mot de passe").click()
        phone.wait_for_url(re.compile(r"/connexion\?suivant=/compte$"), timeout=NAVIGATION_MS)
        desk.reload()
        expect(desk.get_by_test_id("account-email")).to_have_text(email)
    finally:
        phone_context.close()
        desk_context.close()


def test_a_manager_creates_a_counsellor_who_activates_the_account(
    browser: Browser, app: RunningApp, viewport_name: str
) -> None:
    if viewport_name != "desktop":
        pytest.skip("the new counsellor uses a phone here")
    manager = f"chef-{uuid.uuid4().hex[:8]}@example.org"
    Accounts(app.database_url, settings=load_settings()).create(
        manager, Role.STRUCTURE_ADMIN, structure="Mission locale de Lens", password=PASSWORD
    )
    newcomer = f"nouvelle-{uuid.uuid4().hex[:8]}@example.org"
    desk_context, desk = _signed_in_context(browser, app, manager, "desktop")
    phone_context = browser.new_context(base_url=app.url, locale="fr-FR", **VIEWPORTS["phone"])
    try:
        desk.get_by_role("link", name="Comptes de la structure").click()
        desk.wait_for_url(re.compile(r"^[^?]*/compte/equipe$"), timeout=NAVIGATION_MS)
        desk.get_by_label("E-mail").fill(newcomer)
        desk.get_by_label("Nom").fill("Dominique")
        desk.get_by_role("button", name="Créer le compte").click()
        expect(desk.get_by_test_id("team-message")).to_contain_text("Aucun e-mail n'est parti")
        link = desk.get_by_test_id("issued-link").inner_text()
        assert "/mot-de-passe/" in link
        expect(desk.get_by_test_id("team-account").filter(has_text=newcomer)).to_contain_text(
            "en attente d'activation"
        )

        phone = phone_context.new_page()
        phone.goto(urlsplit(link).path)
        expect(phone.get_by_role("heading", name="Activer votre compte")).to_be_visible()
        phone.get_by_label("Mot de passe", exact=True).fill("motdepasse12")
        phone.get_by_label("Mot de passe, encore").fill("motdepasse12")
        phone.get_by_role("button", name="Enregistrer le mot de passe").click()
        expect(phone.get_by_text("trop courant")).to_be_visible()
        phone.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
        phone.get_by_label("Mot de passe, encore").fill(PASSWORD)
        phone.get_by_role("button", name="Enregistrer le mot de passe").click()
        expect(phone.get_by_test_id("password-saved")).to_be_visible()
        phone.reload()
        expect(phone.get_by_test_id("link-invalid")).to_be_visible()  # single use
        _sign_in(phone, newcomer)
        phone.wait_for_url(re.compile(r"^[^?]*/espace$"), timeout=NAVIGATION_MS)
        phone.goto("/compte")
        expect(phone.get_by_text("Conseiller·ère — Mission locale de Lens")).to_be_visible()

        desk.goto("/compte/journal")
        expect(desk.get_by_test_id("audit-row").filter(has_text=newcomer).first).to_be_visible()
        expect(desk.get_by_test_id("audit-row").filter(has_text="Compte activé")).to_have_count(1)

        desk.goto("/compte/equipe")
        desk.get_by_test_id("team-account").filter(has_text=newcomer).get_by_role(
            "button", name="Désactiver"
        ).click()
        expect(desk.get_by_test_id("team-message")).to_contain_text("Compte désactivé")
        phone.reload()
        phone.wait_for_url(re.compile(r"/connexion\?suivant=/compte$"), timeout=NAVIGATION_MS)
    finally:
        desk_context.close()
        phone_context.close()


def test_forgotten_password_without_mail_says_no_mail_left(page: Page) -> None:
    # Once the page's script runs (a tap before it submits the form natively: see the
    # closing note of session 7).
    visit(page, "/mot-de-passe-oublie")
    page.get_by_label("E-mail").fill("quelquun@example.org")
    page.get_by_role("button", name="Recevoir un lien").click()
    expect(page.get_by_test_id("reset-no-mail")).to_contain_text("aucun message n'est parti")


def test_a_form_tapped_before_the_app_runs_never_puts_its_fields_in_the_address(
    browser: Browser, app: RunningApp, page_problems: PageProblems
) -> None:
    """A slow phone: the page is painted, its JavaScript not there yet, and the person taps
    « Recevoir un lien » (or « Continuer » with a code). The form is not sent natively (a GET
    that would put the e-mail in the address bar, the history and the server's logs); once
    the app runs, the same tap works."""
    context = browser.new_context(
        base_url=app.url, locale="fr-FR", service_workers="block", **VIEWPORTS["phone"]
    )
    try:
        page = context.new_page()
        page.on("console", page_problems.on_console)
        from tests.browser.test_early_paint import HeldScripts

        held = HeldScripts(page)
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto("/mot-de-passe-oublie", wait_until="domcontentloaded")
        page.get_by_label("E-mail").fill("quelquun@example.org")
        page.get_by_role("button", name="Recevoir un lien").click()
        page.wait_for_timeout(1_000)
        assert urlsplit(page.url).query == ""
        assert not any("quelquun" in url for url in requested)
        held.release()
        visit(page, "/mot-de-passe-oublie")
        page.get_by_label("E-mail").fill("quelquun@example.org")
        page.get_by_role("button", name="Recevoir un lien").click()
        expect(page.get_by_test_id("reset-no-mail")).to_contain_text("aucun message n'est parti")
        assert not any("quelquun" in url for url in requested)
    finally:
        context.close()
