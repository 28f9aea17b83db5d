"""The collective diagnosis in the browser: the organiser (desktop) creates a group; six
assistants and three people they work for join on their phones (separate contexts). The
assistants' figures appear only from the fifth, and the sixth changes nothing shown (a new
state needs five changes); the three managers answer tomorrow's needs (their figures stay
hidden) and one shares words by consent (not shown: words appear only with a published
state holding those of at least five members); the organiser cannot join their own group, builds
a shared action and exports the CSV and the PDF summary. Every page must stay free of
console errors and failed requests."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from careerpath.config import load_settings
from careerpath.services.accounts import SESSION_COOKIE, Accounts, Role
from careerpath.services.assessments import AssessmentStore, new_device_id
from tests.browser.conftest import VIEWPORTS, PageProblems, RunningApp

pytestmark = pytest.mark.browser
PASSWORD = "une phrase de passe assez longue"
TIMEOUT = 30_000


def _watched(context: BrowserContext, problems: PageProblems) -> Page:
    page = context.new_page()
    page.on("console", problems.on_console)
    page.on("requestfailed", problems.on_request_failed)
    page.on("response", problems.on_response)
    return page


def _assistant_device(app: RunningApp) -> str:
    """An assistant's bilan already made on the phone (the figures reuse it)."""
    device = new_device_id()
    store = AssessmentStore(app.database_url)
    stored = store.start(device, "en_poste", "secretaire")
    store.rate_many(stored.id, {"org-prioriser": 3, "num-tableur-avance": 1})
    return device


def _join(
    browser: Browser,
    app: RunningApp,
    problems: PageProblems,
    code: str,
    device: str,
    panel: str,
    words: str = "",
    shot: Path | None = None,
) -> None:
    context = browser.new_context(base_url=app.url, locale="fr-FR", **VIEWPORTS["phone"])
    context.add_init_script(f"localStorage.setItem('careerpath_device', '{device}');")
    try:
        page = _watched(context, problems)
        page.goto(f"/g/{code}")
        join = page.get_by_role("button", name="Rejoindre le groupe")
        join.wait_for(timeout=TIMEOUT)
        expect(page.get_by_text("jamais vos réponses une à une")).to_be_visible()
        if panel == "manager":
            page.locator("input[name=panel][value=manager]").check()
        join.click()
        expect(page.get_by_text("Vous participez au groupe")).to_be_visible(timeout=TIMEOUT)
        if panel == "manager":
            page.locator("select[name='num-tableur-avance']").select_option("3")
            page.get_by_role("button", name="Enregistrer mes réponses").click()
            expect(page.get_by_text("Merci : vos réponses sont enregistrées")).to_be_visible(
                timeout=TIMEOUT
            )
        if words:
            page.get_by_label("Un mot pour le groupe").fill(words)
            page.get_by_role("button", name="Partager ce texte").click()
            expect(page.get_by_text("Cochez la case")).to_be_visible(timeout=TIMEOUT)
            page.locator("input[name=consent]").check()
            page.get_by_role("button", name="Partager ce texte").click()
            expect(page.get_by_text("votre texte est partagé")).to_be_visible(timeout=TIMEOUT)
        if shot is not None:
            page.screenshot(path=shot, full_page=True)
    finally:
        context.close()


def test_a_group_from_creation_to_export(
    browser: Browser, app: RunningApp, screenshots_dir: Path
) -> None:
    problems = PageProblems()
    accounts = Accounts(app.database_url, settings=load_settings({}))
    accounts.create("orga@cdg.fr", Role.COUNSELLOR, structure="CDG 69", password=PASSWORD)
    token = accounts.sign_in("orga@cdg.fr", PASSWORD).token
    organiser = browser.new_context(
        base_url=app.url, locale="fr-FR", accept_downloads=True, **VIEWPORTS["desktop"]
    )
    organiser.add_cookies(
        [{"name": SESSION_COOKIE, "value": token, "url": app.url, "httpOnly": True}]
    )
    page = _watched(organiser, problems)
    page.goto("/groupes")
    page.get_by_label("Nom du groupe").fill("Service RH")
    page.get_by_role("button", name="Créer le groupe").click()
    expect(page.get_by_test_id("group-counts")).to_be_visible(timeout=TIMEOUT)
    shown = page.get_by_text(re.compile(r"Code à partager")).inner_text()
    code = re.sub(r"[^A-Z0-9]", "", shown.split(":")[-1])
    assert len(code) == 8

    # the organiser, signed in, cannot join their own group
    page.goto(f"/g/{code}")
    page.get_by_role("button", name="Rejoindre le groupe").click()
    expect(page.get_by_text("Vous organisez ce groupe")).to_be_visible(timeout=TIMEOUT)

    for _ in range(4):
        _join(browser, app, problems, code, _assistant_device(app), "assistant")
    page.goto("/groupes")
    page.get_by_role("button", name=re.compile("Service RH")).click()
    counts = page.get_by_test_id("group-counts")
    expect(counts).to_contain_text("Assistant·es : –", timeout=TIMEOUT)
    expect(page.get_by_test_id("group-charts")).to_have_count(0)

    _join(browser, app, problems, code, _assistant_device(app), "assistant")
    page.reload()
    page.get_by_role("button", name=re.compile("Service RH")).click()
    expect(counts).to_contain_text("Assistant·es : 5", timeout=TIMEOUT)
    expect(page.get_by_text(re.compile(r"\(n=5\)")).first).to_be_visible()
    expect(page.get_by_test_id("group-charts").locator(".recharts-bar").first).to_be_visible()
    expect(page.get_by_text("Chiffres publiés le")).to_be_visible()

    # a sixth assistant: one change, nothing new is published (it would show her answers)
    _join(browser, app, problems, code, _assistant_device(app), "assistant")
    for index in range(3):
        words = "Un club d'assistantes chaque mois" if index == 0 else ""
        shot = screenshots_dir / "collective-member-phone.png" if words else None
        _join(browser, app, problems, code, new_device_id(), "manager", words, shot)
    page.reload()
    page.get_by_role("button", name=re.compile("Service RH")).click()
    expect(counts).to_contain_text("Assistant·es : 5", timeout=TIMEOUT)
    expect(counts).to_contain_text("travaillent : –")
    # one manager's words: their panel has three respondents and one text, fewer than five —
    # no published state holds them, nothing is shown
    expect(page.get_by_text("Un club d'assistantes chaque mois")).to_have_count(0)
    expect(page.get_by_text("Ce que des membres ont accepté de partager")).to_have_count(0)
    page.screenshot(path=screenshots_dir / "collective-organiser.png", full_page=True)

    # two dates: yesterday nothing was published, today the state of five
    today = datetime.now(UTC).date()  # the server dates publications in UTC
    page.get_by_label("Première date").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Seconde date").fill(today.isoformat())
    page.get_by_role("button", name="Comparer", exact=True).click()
    comparison = page.get_by_test_id("comparison")
    expect(comparison).to_contain_text("Assistant·es", timeout=TIMEOUT)
    expect(comparison.locator("tr").first).to_contain_text("5")

    page.get_by_label("Nouvelle action").fill("Club des assistantes")
    page.get_by_role("button", name="Ajouter l'action").click()
    expect(page.get_by_text("Club des assistantes", exact=False).first).to_be_visible(
        timeout=TIMEOUT
    )
    with page.expect_download(timeout=TIMEOUT) as download:
        page.get_by_role("button", name="Exporter en CSV").click()
    text = open(download.value.path(), encoding="utf-8").read()  # noqa: SIM115
    assert text.startswith("Catégorie,") and "Club des assistantes" in text
    with page.expect_download(timeout=TIMEOUT) as download:
        page.get_by_role("button", name="Exporter la synthèse (PDF)").click()
    assert open(download.value.path(), "rb").read(4) == b"%PDF"  # noqa: SIM115
    organiser.close()
    assert not problems.items, "problems on the pages:\n" + "\n".join(problems.items)
