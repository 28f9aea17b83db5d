"""The collective diagnosis in the browser: the organiser (desktop) creates a group, assistants
join on their phones (separate contexts) and the figures appear only from the fifth; people
they work for join and answer tomorrow's needs (three: their figures stay hidden); the
organiser adds a shared action and exports the CSV."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from careerpath.config import load_settings
from careerpath.services.accounts import SESSION_COOKIE, Accounts, Role
from careerpath.services.assessments import AssessmentStore, new_device_id
from tests.browser.conftest import VIEWPORTS, RunningApp

pytestmark = pytest.mark.browser
PASSWORD = "une phrase de passe assez longue"
TIMEOUT = 30_000


def _phone(browser: Browser, app: RunningApp, device: str) -> BrowserContext:
    context = browser.new_context(base_url=app.url, locale="fr-FR", **VIEWPORTS["phone"])
    context.add_init_script(f"localStorage.setItem('careerpath_device', '{device}');")
    return context


def _assistant_device(app: RunningApp) -> str:
    device = new_device_id()
    store = AssessmentStore(app.database_url)
    stored = store.start(device, "en_poste", "secretaire")
    store.rate_many(stored.id, {"org-prioriser": 3, "num-tableur-avance": 1})
    return device


def _join(browser: Browser, app: RunningApp, code: str, device: str, panel: str) -> None:
    context = _phone(browser, app, device)
    try:
        page = context.new_page()
        page.goto(f"/g/{code}")
        page.get_by_role("button", name="Rejoindre le groupe").wait_for(timeout=TIMEOUT)
        if panel == "manager":
            page.locator("input[name=panel][value=manager]").check()
        page.get_by_role("button", name="Rejoindre le groupe").click()
        expect(page.get_by_text("Vous participez au groupe")).to_be_visible(timeout=TIMEOUT)
        if panel == "manager":
            page.locator("select[name='num-tableur-avance']").select_option("3")
            page.get_by_role("button", name="Enregistrer mes réponses").click()
            expect(page.get_by_text("vos réponses sont enregistrées")).to_be_visible(
                timeout=TIMEOUT
            )
    finally:
        context.close()


def test_a_group_from_creation_to_export(browser: Browser, app: RunningApp) -> None:
    accounts = Accounts(app.database_url, settings=load_settings({}))
    accounts.create("orga@cdg.fr", Role.COUNSELLOR, structure="CDG 69", password=PASSWORD)
    token = accounts.sign_in("orga@cdg.fr", PASSWORD).token
    organiser = browser.new_context(base_url=app.url, locale="fr-FR", **VIEWPORTS["desktop"])
    organiser.add_cookies(
        [{"name": SESSION_COOKIE, "value": token, "url": app.url, "httpOnly": True}]
    )
    page = organiser.new_page()
    page.goto("/groupes")
    page.get_by_label("Nom du groupe").fill("Service RH")
    page.get_by_role("button", name="Créer le groupe").click()
    counts = page.get_by_test_id("group-counts")
    expect(counts).to_be_visible(timeout=TIMEOUT)
    shown = page.get_by_text(re.compile(r"Code à partager")).inner_text()
    code = re.sub(r"[^A-Z0-9]", "", shown.split(":")[-1])
    assert len(code) == 8

    for _ in range(4):
        _join(browser, app, code, _assistant_device(app), "assistant")
    page.reload()
    expect(page.get_by_test_id("group-counts")).to_contain_text("Assistant·es : –", timeout=TIMEOUT)
    _join(browser, app, code, _assistant_device(app), "assistant")
    for _ in range(3):
        _join(browser, app, code, new_device_id(), "manager")
    page.reload()
    counts = page.get_by_test_id("group-counts")
    expect(counts).to_contain_text("Assistant·es : 5", timeout=TIMEOUT)
    expect(counts).to_contain_text("travaillent : –")
    expect(page.get_by_text(re.compile(r"\(n=5\)")).first).to_be_visible()

    page.get_by_label("Nouvelle action").fill("Club des assistantes")
    page.get_by_role("button", name="Ajouter l'action").click()
    expect(page.get_by_text("Club des assistantes")).to_be_visible(timeout=TIMEOUT)
    with page.expect_download(timeout=TIMEOUT) as download:
        page.get_by_role("button", name="Exporter en CSV").click()
    text = open(download.value.path(), encoding="utf-8").read()  # noqa: SIM115
    assert text.startswith("Catégorie,") and "Club des assistantes" in text
    organiser.close()
