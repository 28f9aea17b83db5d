"""Keep and move, on a 390 px phone: delete asks first and clears the goal, « Copier le lien »
says it copied, a code moves the assessment to a second browser, and the journey in English
shows no French sentence of ours (each page's text is checked against the catalog).

The steps reach the pages by their URLs and by stable field names rather than through the
questionnaire's screens, so that these tests follow what they check, not the questionnaire.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import Browser, BrowserContext, Page, expect

from careerpath.i18n import DOMAIN, REFERENTIAL_DOMAIN, catalog_path
from tests.browser.conftest import VIEWPORTS, PageProblems, RunningApp

DEVICE_KEY = "careerpath_device"
ANSWERS_KEY = "careerpath.reponses"
CODE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")


@pytest.fixture
def phone(
    browser: Browser, app: RunningApp, page_problems: PageProblems
) -> Iterator[tuple[BrowserContext, Page]]:
    """A French-speaking phone (390 px), failing on any console error or failed request."""
    context = browser.new_context(base_url=app.url, locale="fr-FR", **VIEWPORTS["phone"])
    page = context.new_page()
    page.on("console", page_problems.on_console)
    page.on("requestfailed", page_problems.on_request_failed)
    page.on("response", page_problems.on_response)
    yield context, page
    context.close()
    assert not page_problems.items, "problems on the page:\n" + "\n".join(page_problems.items)


def visit(page: Page, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")


def start_assessment(page: Page, english: bool = False) -> None:
    """/bilan: in a job, as an assistant·e de direction; then one answer on step 1."""
    visit(page, "/bilan")
    page.locator("input[name=situation][value=en_poste]").check()
    page.locator("#recherche-metier").fill("assistante de dir")
    page.locator("input[name=role]").first.check()
    page.get_by_role("button", name="Start my review" if english else "Commencer mon bilan").click()
    expect(page).to_have_url(re.compile(r"/bilan/etape/1$"))
    first = page.locator("input[type=radio][data-competency]").nth(3)
    first.check()
    expect(first).to_be_checked()
    page.wait_for_load_state("networkidle")


def choose_goal(page: Page, english: bool = False) -> str:
    """/metiers → the first role shown → « Choisir comme objectif »; returns its title."""
    visit(page, "/metiers")
    see = page.get_by_role("link", name=re.compile(r"^(Voir ce métier|See this role)"))
    expect(see.first).to_be_visible()
    see.first.click()
    expect(page).to_have_url(re.compile(r"/metier/[^/]+$"))
    title = page.get_by_role("heading", level=1)
    expect(title).not_to_have_text(re.compile(r"^(Les métiers qui|The roles open)"))
    expect(title).to_be_visible()
    name = title.inner_text().strip()
    page.get_by_role(
        "button", name="Choose as my goal" if english else "Choisir comme objectif"
    ).click()
    expect(page).to_have_url(re.compile(r"/objectif$"))
    expect(page.get_by_role("heading", level=1, name=re.compile(re.escape(name)))).to_be_visible()
    return name


def test_delete_asks_first_then_clears_everything_including_the_goal(
    phone: tuple[BrowserContext, Page], screenshots_dir: Path
) -> None:
    _, page = phone
    start_assessment(page)
    goal = choose_goal(page)

    delete = page.get_by_role("button", name="Supprimer mes données")
    delete.click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("Tout supprimer ?")
    expect(confirm).to_contain_text("votre objectif")
    page.screenshot(path=screenshots_dir / "keep-suppression-confirmation.png", full_page=True)
    page.get_by_role("button", name="Annuler").click()
    expect(confirm).to_have_count(0)
    assert page.evaluate(f"localStorage.getItem('{DEVICE_KEY}')")  # nothing erased yet
    visit(page, "/objectif")
    expect(page.get_by_role("heading", level=1, name=re.compile(re.escape(goal)))).to_be_visible()

    page.get_by_role("button", name="Supprimer mes données").click()
    yes = page.get_by_role("button", name="Oui, tout supprimer")
    box = yes.bounding_box()
    assert box is not None and box["height"] >= 44
    yes.click()
    expect(page).to_have_url(re.compile(r"/bilan$"))
    expect(
        page.get_by_text("Vos données ont été supprimées de cet appareil et du serveur.")
    ).to_be_visible()
    assert page.evaluate(f"localStorage.getItem('{ANSWERS_KEY}')") is None

    visit(page, "/objectif")
    expect(page.get_by_text("Vous n'avez pas encore fait le point")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre objectif")
    expect(page.get_by_text(goal, exact=True)).to_have_count(0)


def test_copy_the_link_says_it_copied(phone: tuple[BrowserContext, Page]) -> None:
    context, page = phone
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    start_assessment(page)
    visit(page, "/profil")
    page.get_by_role("button", name="Créer un lien de partage").click()
    link = page.get_by_label("Lien de partage (lecture seule)")
    expect(link).to_have_value(re.compile(r"/partage/[A-Za-z0-9_-]{20,}$"))
    page.get_by_role("button", name="Copier le lien").click()
    expect(page.get_by_text("Lien copié : vous pouvez le coller dans un message.")).to_be_visible()
    expect(page.get_by_role("button", name="Lien copié ✓")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == link.input_value()


def test_a_code_moves_the_assessment_to_another_browser_and_the_first_keeps_nothing(
    phone: tuple[BrowserContext, Page],
    browser: Browser,
    app: RunningApp,
    page_problems: PageProblems,
    screenshots_dir: Path,
) -> None:
    _, page = phone
    start_assessment(page)
    visit(page, "/profil")
    expect(page.get_by_role("heading", level=1, name="Votre profil")).to_be_visible()
    page.get_by_role("button", name="Continuer sur un autre appareil").click()
    code = page.locator("#code-transfert")
    expect(code).to_have_text(CODE)
    qr = page.get_by_role("img", name="QR code qui ouvre ce bilan sur l'autre appareil")
    expect(qr).to_be_visible()
    assert str(qr.get_attribute("src")).startswith("data:image/svg+xml")
    page.screenshot(path=screenshots_dir / "keep-transfert-code.png", full_page=True)
    shown = code.inner_text()

    other = browser.new_context(base_url=app.url, locale="fr-FR", **VIEWPORTS["phone"])
    try:
        laptop = other.new_page()
        laptop.on("console", page_problems.on_console)
        visit(laptop, "/")
        laptop.get_by_role("link", name="Continuer un bilan commencé sur un autre appareil").click()
        expect(laptop).to_have_url(re.compile(r"/continuer$"))
        field = laptop.get_by_label("Code affiché sur l'autre appareil")
        field.fill("ZZZZ-0000")
        laptop.get_by_role("button", name="Continuer ici").click()
        expect(laptop.get_by_role("alert")).to_contain_text("pas le bon format")
        field.fill(shown.lower().replace("-", " "))
        laptop.get_by_role("button", name="Continuer ici").click()
        expect(laptop).to_have_url(re.compile(r"/profil$"))
        expect(laptop.get_by_role("heading", level=1, name="Votre profil")).to_be_visible()
        expect(laptop.get_by_text("Vous n'avez pas encore fait le point")).to_have_count(0)
        laptop.wait_for_load_state("networkidle")
    finally:
        other.close()

    expect(page.get_by_text("Votre bilan est maintenant sur l'autre appareil")).to_be_visible(
        timeout=15_000
    )
    expect(code).to_have_count(0)
    assert page.evaluate(f"localStorage.getItem('{ANSWERS_KEY}')") is None
    assert not page.evaluate(f"localStorage.getItem('{DEVICE_KEY}')")
    visit(page, "/profil")
    expect(page.get_by_text("Vous n'avez pas encore fait le point")).to_be_visible()


def _french_sentences() -> list[str]:
    """The catalogs' French msgids whose English differs (the app's sentences, and the
    curated referential's texts that have their English): none may show in English."""
    messages = []
    for domain in (DOMAIN, REFERENTIAL_DOMAIN):
        with catalog_path("en", domain).open("rb") as handle:
            messages.extend(m for m in read_po(handle) if m.string)
    found = []
    for message in messages:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in ids:
            # A French text its English quotes (« BTS Communication (two-year higher
            # diploma) ») is no French left.
            if not text or any(text in string for string in strings):
                continue
            if len(text) < 12 or " " not in text:
                continue
            # Placeholders and French spacing vary on screen: keep the longest literal run.
            pieces = re.split(r"\{\w*\}", text)
            longest = max(pieces, key=len).strip()
            if len(longest) >= 12:
                found.append(" ".join(longest.replace("\u00a0", " ").split()))
    return found


def test_the_journey_in_english_shows_no_french_sentence_of_ours(
    browser: Browser, app: RunningApp, page_problems: PageProblems
) -> None:
    context = browser.new_context(base_url=app.url, locale="en-GB", **VIEWPORTS["phone"])
    context.add_init_script("localStorage.setItem('careerpath_lang', 'en')")
    page = context.new_page()
    page.on("console", _console_except_the_404_status(page_problems))
    french = _french_sentences()
    assert len(french) > 100

    def check(path: str | None = None) -> None:
        if path is not None:
            visit(page, path)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("main")).to_have_attribute("lang", "en")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        text = " ".join(page.locator("body").inner_text().replace("\u00a0", " ").split())
        left = [sentence for sentence in french if sentence in text]
        assert not left, f"{page.url} shows French: {left}"
        assert page.title() not in french, page.title()

    try:
        check("/")
        expect(page).to_have_title("careerpath — take stock of your skills as an assistant")
        check("/bilan")
        start_assessment(page, english=True)
        check()
        for path in ("/profil", "/metiers"):
            check(path)
        choose_goal(page, english=True)
        check()
        check("/continuer")
        check("/conseillers")
        check("/ecoles")
        check("/une-page-qui-n-existe-pas")
        expect(
            page.get_by_role("heading", level=1, name="This page does not exist")
        ).to_be_visible()
    finally:
        context.close()
    assert not page_problems.items, "\n".join(page_problems.items)


def _console_except_the_404_status(problems: PageProblems):  # type: ignore[no-untyped-def]
    """Chromium logs the 404 status of an unknown address: that one is the point."""

    def on_console(message) -> None:  # type: ignore[no-untyped-def]
        if "status of 404" not in message.text:
            problems.on_console(message)

    return on_console


def test_the_404_page_speaks_french_by_default(
    browser: Browser, app: RunningApp, page_problems: PageProblems
) -> None:
    context = browser.new_context(base_url=app.url, locale="fr-FR", **VIEWPORTS["phone"])
    page = context.new_page()
    page.on("console", _console_except_the_404_status(page_problems))
    page.goto("/nulle-part")
    expect(page.get_by_role("heading", level=1, name="Cette page n'existe pas")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("link", name="Retour à l'accueil")).to_have_attribute("href", "/")
    page.wait_for_load_state("networkidle")
    context.close()
    assert not page_problems.items, "\n".join(page_problems.items)
