"""The collective diagnosis in the browser: the organiser (desktop) creates a group; six
assistants and three people they work for join on their phones (separate contexts). The
assistants' figures appear only from the fifth, and the sixth changes nothing shown (a new
state needs five changes); the three managers answer tomorrow's needs one category per step
on a 360 px phone, each answer saved as it is chosen, and come back where they left off
(their figures stay hidden); one shares words by consent (not shown: words appear only with
a published state holding those of at least five members); the organiser cannot join their
own group, builds a shared action and exports the CSV and the PDF summary. Then members'
words: six shown, one withdrawn on a phone disappears at once, one member leaves and the
four left are not shown at all. Every page must stay free of console errors and failed
requests."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from careerpath.config import load_settings
from careerpath.services.accounts import SESSION_COOKIE, Accounts, Role
from careerpath.services.assessments import AssessmentStore, new_device_id
from careerpath.services.collective import Groups
from careerpath.services.workspace import Store
from tests.browser.conftest import VIEWPORTS, PageProblems, RunningApp, service_workers

pytestmark = pytest.mark.browser
PASSWORD = "une phrase de passe assez longue"
TIMEOUT = 30_000
SMALL_PHONE = {**VIEWPORTS["phone"], "viewport": {"width": 360, "height": 740}}


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
    context = _phone(browser, app, device)
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
            _answer_needs_step_by_step(page)
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


def _phone(browser: Browser, app: RunningApp, device: str) -> BrowserContext:
    """A 360 px phone whose device id is `device`."""
    context = browser.new_context(base_url=app.url, locale="fr-FR", **SMALL_PHONE)
    context.add_init_script(f"localStorage.setItem('careerpath_device', '{device}');")
    return context


def _fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide on a 360 px phone"


def _answer_needs_step_by_step(page: Page) -> None:
    """One category per step: the first competency of the first one, then « Suivant » up to
    the category holding the spreadsheet competency; « Précédent » shows the first answer
    kept (saved as it was chosen)."""
    progress = page.get_by_test_id("needs-progress")
    expect(progress).to_have_text(re.compile(r"Catégorie 1 sur \d+"), timeout=TIMEOUT)
    total = int(progress.inner_text().rsplit(" ", 1)[-1])
    assert total > 3  # every competency at once would be a very long page
    _fits_the_screen(page)
    first = page.locator("form select").first
    first_code = first.get_attribute("name")
    first.select_option("2")
    expect(
        page.get_by_text(re.compile(r"Réponses dans cette catégorie\s*:\s*1 sur"))
    ).to_be_visible(timeout=TIMEOUT)
    # an answer chosen, then « Sans réponse »: taken back (it counts no more)
    second = page.locator("form select").nth(1)
    second_code = second.get_attribute("name")
    second.select_option("1")
    expect(
        page.get_by_text(re.compile(r"Réponses dans cette catégorie\s*:\s*2 sur"))
    ).to_be_visible(timeout=TIMEOUT)
    second.select_option("")
    expect(
        page.get_by_text(re.compile(r"Réponses dans cette catégorie\s*:\s*1 sur"))
    ).to_be_visible(timeout=TIMEOUT)
    spreadsheet = page.locator("select[name='num-tableur-avance']")
    for step in range(2, total + 1):
        page.get_by_role("button", name="Suivant").click()
        expect(progress).to_have_text(f"Catégorie {step} sur {total}", timeout=TIMEOUT)
        if spreadsheet.count():
            break
    spreadsheet.select_option("3")
    expect(
        page.get_by_text(re.compile(r"Réponses dans cette catégorie\s*:\s*1 sur"))
    ).to_be_visible(timeout=TIMEOUT)
    # back to the first category and return: both answers are kept
    reached = progress.inner_text()
    for _ in range(step - 1):
        page.get_by_role("button", name="Précédent").click()
    expect(progress).to_have_text(f"Catégorie 1 sur {total}", timeout=TIMEOUT)
    expect(page.locator(f"select[name='{first_code}']")).to_have_value("2")
    expect(page.locator(f"select[name='{second_code}']")).to_have_value("")
    for _ in range(step - 1):
        page.get_by_role("button", name="Suivant").click()
    expect(progress).to_have_text(reached, timeout=TIMEOUT)
    expect(spreadsheet).to_have_value("3")


def test_a_group_from_creation_to_export(
    browser: Browser, app: RunningApp, screenshots_dir: Path
) -> None:
    problems = PageProblems()
    accounts = Accounts(app.database_url, settings=load_settings({}))
    accounts.create("orga@cdg.fr", Role.COUNSELLOR, structure="CDG 69", password=PASSWORD)
    token = accounts.sign_in("orga@cdg.fr", PASSWORD).token
    organiser = browser.new_context(
        base_url=app.url,
        locale="fr-FR",
        accept_downloads=True,
        service_workers=service_workers("desktop"),
        **VIEWPORTS["desktop"],
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
    managers = [new_device_id() for _ in range(3)]
    for index, device in enumerate(managers):
        words = "Un club d'assistantes chaque mois" if index == 0 else ""
        shot = screenshots_dir / "collective-member-phone.png" if words else None
        _join(browser, app, problems, code, device, "manager", words, shot)
    # a manager comes back on their phone: the category of their last answer, answers kept
    again = _phone(browser, app, managers[1])
    phone = _watched(again, problems)
    phone.goto(f"/g/{code}")
    expect(phone.locator("select[name='num-tableur-avance']")).to_have_value("3", timeout=TIMEOUT)
    expect(phone.get_by_test_id("needs-progress")).not_to_have_text(re.compile("Catégorie 1 sur"))
    phone.screenshot(path=screenshots_dir / "collective-needs-step-phone.png", full_page=True)
    again.close()
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


def test_withdrawn_or_departed_members_words_disappear_at_once(
    browser: Browser, app: RunningApp, screenshots_dir: Path
) -> None:
    """Six assistants shared words: the organiser sees the six. One withdraws hers on her
    phone: it is gone at the organiser's next look, the five others stay (no new state was
    published: the figures are the same). One leaves: four texts left, fewer than five —
    the words are not shown at all."""
    problems = PageProblems()
    accounts = Accounts(app.database_url, settings=load_settings({}))
    accounts.create("club@cdg.fr", Role.COUNSELLOR, structure="CDG 69", password=PASSWORD)
    token = accounts.sign_in("club@cdg.fr", PASSWORD).token
    groups = Groups(Store.of(app.database_url))
    card = groups.create(accounts.resolve(token), "Club des assistantes", "club")
    devices = [_assistant_device(app) for _ in range(6)]
    words = [f"Notre idée numéro {i}" for i in range(6)]
    for device, text in zip(devices, words, strict=True):
        groups.join(card.code, device, "assistant")
        groups.share_text(card.code, device, text, consent=True)

    organiser = browser.new_context(
        base_url=app.url,
        locale="fr-FR",
        service_workers=service_workers("desktop"),
        **VIEWPORTS["desktop"],
    )
    organiser.add_cookies(
        [{"name": SESSION_COOKIE, "value": token, "url": app.url, "httpOnly": True}]
    )
    page = _watched(organiser, problems)

    def look() -> None:
        page.goto("/groupes")
        page.get_by_role("button", name=re.compile("Club des assistantes")).click()
        expect(page.get_by_test_id("group-counts")).to_contain_text(
            "Assistant·es : 6", timeout=TIMEOUT
        )

    look()
    for text in words:
        expect(page.get_by_text(text, exact=True)).to_be_visible()

    phone = _phone(browser, app, devices[0])
    member = _watched(phone, problems)
    member.goto(f"/g/{card.code}")
    field = member.get_by_label("Un mot pour le groupe")
    expect(field).to_have_value(words[0], timeout=TIMEOUT)
    _fits_the_screen(member)
    field.fill("")
    member.get_by_role("button", name="Partager ce texte").click()
    expect(member.get_by_text("Votre texte n'est plus partagé.")).to_be_visible(timeout=TIMEOUT)
    member.screenshot(path=screenshots_dir / "collective-words-withdrawn-phone.png")
    phone.close()

    look()
    expect(page.get_by_text(words[1], exact=True)).to_be_visible()
    expect(page.get_by_text(words[0], exact=True)).to_have_count(0)
    for text in words[1:]:
        expect(page.get_by_text(text, exact=True)).to_be_visible()

    phone = _phone(browser, app, devices[1])
    member = _watched(phone, problems)
    member.goto(f"/g/{card.code}")
    member.get_by_role("button", name="Quitter le groupe").click()
    expect(member.get_by_text("Vous avez quitté le groupe")).to_be_visible(timeout=TIMEOUT)
    phone.close()

    page.goto("/groupes")
    page.get_by_role("button", name=re.compile("Club des assistantes")).click()
    expect(page.get_by_test_id("group-counts")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("Ce que des membres ont accepté de partager")).to_have_count(0)
    for text in words:
        expect(page.get_by_text(text, exact=True)).to_have_count(0)
    organiser.close()
    assert not problems.items, "problems on the pages:\n" + "\n".join(problems.items)
