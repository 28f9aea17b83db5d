"""The assistant's journey on a phone and on a desktop, as a new user lives it.

Search a role, rate every category, read the profile, open a next role, choose it as the
goal, change the budget, download the PDF, share a read-only link, delete everything.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from playwright.sync_api import Browser, Page, Request, expect
from pypdf import PdfReader

STEP_TEXT = re.compile(r"Étape (\d+) sur (\d+)")
ROLE = "Assistant·e de direction"
ANSWERS_KEY = "careerpath.reponses"


# -- steps shared with the accessibility tests ---------------------------------------------


_PENDING: dict[int, tuple[Page, set[Request]]] = {}


def _pending(page: Page) -> set[Request]:
    """Requests of this page not finished yet (tracked from the first visit on)."""
    entry = _PENDING.get(id(page))
    if entry is None or entry[0] is not page:
        pending: set[Request] = set()
        page.on("request", lambda request: pending.add(request))
        page.on("requestfinished", lambda request: pending.discard(request))
        page.on("requestfailed", lambda request: pending.discard(request))
        entry = _PENDING[id(page)] = (page, pending)
    return entry[1]


def settle(page: Page) -> None:
    """Let the page finish what it is loading (scripts start after the first paint; the
    browser fetches the favicon again after each navigation): leaving it earlier would
    abort those requests, which the harness reports as failures."""
    pending = _pending(page)
    quiet = 0
    for _ in range(200):
        page.wait_for_timeout(50)  # lets Playwright deliver the request events
        quiet = quiet + 1 if not pending else 0
        if quiet >= 2:
            return


def visit(page: Page, path: str) -> None:
    settle(page)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    settle(page)


def reload(page: Page) -> None:
    settle(page)
    page.reload()
    page.wait_for_load_state("networkidle")
    settle(page)


def choose_role(
    page: Page, query: str = "assistante de dir", role: str = ROLE, *, open_page: bool = True
) -> None:
    """On /bilan: "en poste", type part of the job title, pick the role in the list."""
    if open_page:
        visit(page, "/bilan")
    page.get_by_role("radio", name=re.compile(r"^En poste")).check()
    page.get_by_label("Votre métier actuel (ou le dernier exercé)").fill(query)
    page.get_by_role("radio", name=re.compile("^" + re.escape(role))).check()


def start_assessment(page: Page) -> None:
    choose_role(page)
    page.get_by_role("button", name="Commencer mon bilan").click()
    wait_for_step(page, 1)


def wait_for_step(page: Page, number: int) -> int:
    """Wait until step `number` shows; returns how many steps there are."""
    progress = page.get_by_text(re.compile(rf"^Étape {number} sur \d+$"))
    expect(progress).to_be_visible()
    match = STEP_TEXT.search(progress.inner_text())
    assert match is not None
    return int(match.group(2))


def answer_step(page: Page, number: int) -> dict[str, int]:
    """Rate every competency of the step shown; returns competency → level given."""
    given: dict[str, int] = {}
    fieldsets = page.locator("fieldset.cp-fieldset")
    for i in range(fieldsets.count()):
        level = (i + number) % 5
        radio = fieldsets.nth(i).get_by_role("radio").nth(level)
        radio.check()
        given[str(radio.get_attribute("name"))] = level
    return given


def rate_everything(page: Page, screenshot: Path | None = None) -> int:
    """From step 1, answer every screen before the first result and open the profile;
    returns the number of questions answered."""
    answered = 0
    total = wait_for_step(page, 1)
    for number in range(1, total + 1):
        wait_for_step(page, number)
        answered += len(answer_step(page, number))
        if screenshot is not None and number == 1:
            page.screenshot(path=screenshot)
        if number < total:
            page.get_by_role("button", name="Suivant", exact=True).click()
    page.get_by_role("button", name="Voir mes premiers résultats").click()
    expect(page.get_by_role("heading", level=1, name="Votre profil")).to_be_visible()
    return answered


def main_text(page: Page) -> str:
    return " ".join(page.locator("main").inner_text().split())


def euros(text: str) -> int:
    """The first euro amount in a text: '3 étapes · 712 h · 6 890 € · …' → 6890."""
    match = re.search(r"(\d[\d\s]*)\s*€", text)
    assert match is not None, text
    return int(re.sub(r"\s", "", match.group(1)))


def checked_levels(page: Page) -> dict[str, int]:
    """competency → level of every checked rating radio on the page."""
    return page.evaluate(
        """() => Object.fromEntries(
            [...document.querySelectorAll('input[type=radio][data-competency]:checked')]
              .map(i => [i.name, parseInt(i.value, 10)]))"""
    )


# -- the journey ----------------------------------------------------------------------------


def test_a_new_user_walks_the_whole_journey(
    page: Page, browser: Browser, viewport_name: str, screenshots_dir: Path
) -> None:
    def shot(name: str) -> None:
        if viewport_name == "phone":
            page.screenshot(path=screenshots_dir / f"journey-{name}.png", full_page=True)

    # 1. From the home page to /bilan: situation and role, found by typing part of it.
    visit(page, "/")
    page.get_by_role("link", name="Faire le point sur mes compétences").click()
    expect(page).to_have_url(re.compile(r"/bilan$"))
    choose_role(page, open_page=False)
    expect(page.get_by_role("radio", name=re.compile("^" + re.escape(ROLE)))).to_be_checked()
    shot("01-bilan")
    page.get_by_role("button", name="Commencer mon bilan").click()

    # 2. A first result within 25 answers: compact ratings, a progress bar, the time left.
    expect(page.get_by_role("progressbar")).to_be_visible()
    expect(page.get_by_text("Vos réponses sont auto-déclarées")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"^Environ \d+ minutes? avant vos premiers résultats"))
    ).to_be_visible()
    first_option = page.locator("label.cp-choice").first.bounding_box()
    assert first_option is not None and first_option["height"] >= 44
    answered = rate_everything(page, screenshots_dir / "journey-02-etape-1.png")
    assert 10 <= answered <= 25

    # 3. The profile: strengths first, levels by category with their figures, what can grow.
    expect(page.get_by_role("heading", name="Ce que vous maîtrisez")).to_be_visible()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Organisation")
    expect(table).to_contain_text(re.compile(r"\d(,\d)? / 4"))
    strengths_y = page.get_by_role("heading", name="Ce que vous maîtrisez").bounding_box()
    growth_y = page.get_by_role("heading", name="Ce qui peut grandir").bounding_box()
    assert strengths_y and growth_y and strengths_y["y"] < growth_y["y"]
    shot("03-profil")

    # 4. Next roles in three groups; "Pas pour moi" hides one and the list refills.
    page.get_by_role("link", name="Voir les métiers possibles").click()
    expect(
        page.get_by_role("heading", level=1, name="Les métiers qui s'offrent à vous")
    ).to_be_visible()
    for group in ("Prêt·e maintenant", "À une formation près", "Projet à plus long terme"):
        expect(page.get_by_role("heading", level=2, name=group)).to_be_visible()
    cards = page.get_by_role("heading", level=3)
    expect(cards.first).to_be_visible()
    count_before = cards.count()
    hidden_title = cards.first.inner_text()
    expect(page.get_by_text(re.compile(r"Préparation\s*:\s*\d+\s*%")).first).to_be_visible()
    # A card's two actions: stacked full width for a thumb, side by side on a desktop.
    see = page.get_by_role("link", name=re.compile(r"^Voir ce métier\s*:\s*")).first
    not_for_me = page.get_by_role("button", name=re.compile(r"^Pas pour moi\s*:\s*")).first
    see_box, not_for_me_box = see.bounding_box(), not_for_me.bounding_box()
    assert see_box and not_for_me_box and not_for_me_box["height"] >= 44
    if viewport_name == "phone":
        assert not_for_me_box["y"] >= see_box["y"] + see_box["height"]
    else:
        assert abs(not_for_me_box["y"] - see_box["y"]) < 8
        assert not_for_me_box["x"] >= see_box["x"] + see_box["width"]
    page.get_by_role(
        "button", name=re.compile(r"^Pas pour moi\s*:\s*" + re.escape(hidden_title))
    ).click()
    expect(page.get_by_role("heading", level=3, name=hidden_title, exact=True)).to_have_count(0)
    expect(cards).to_have_count(count_before)  # another role took its place
    shot("04-metiers")

    # 5. One role: requirements against the person's ratings, paths, "Choisir comme objectif".
    target = cards.first.inner_text()
    page.get_by_role("link", name=re.compile(r"^Voir ce métier\s*:\s*" + re.escape(target))).click()
    expect(page.get_by_role("heading", level=1, name=target)).to_be_visible()
    expect(page.get_by_role("heading", name="Ce que demande ce métier")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^(Acquis|À développer)$")).first).to_be_visible()
    expect(page.get_by_role("heading", name="Comment y arriver")).to_be_visible()
    shot("05-metier")
    page.get_by_role("button", name="Choisir comme objectif").click()

    # 6. The plan: a timeline of trainings; a smaller budget changes it.
    expect(page).to_have_url(re.compile(r"/objectif$"))
    expect(page.get_by_role("heading", level=1, name=re.compile(re.escape(target)))).to_be_visible()
    summary = page.get_by_text(re.compile(r"étapes? · .* semaines? à"))
    expect(summary).to_be_visible()
    before = summary.inner_text()
    cost = euros(before)
    assert cost > 0, "this journey expects a plan that costs something"
    shot("06-objectif")
    page.get_by_label("Budget maximum (€)").fill(str(cost - 1))
    page.get_by_role("button", name="Mettre à jour le plan").click()
    expect(page.get_by_text("Plan mis à jour selon vos contraintes.")).to_be_visible()
    expect(page.get_by_label("Budget maximum (€)")).to_have_value(str(cost - 1))
    after = main_text(page)
    assert before not in after
    updated = page.get_by_text(re.compile(r"étapes? · .* semaines? à"))
    if updated.count():
        assert euros(updated.inner_text()) <= cost - 1
    shot("06b-objectif-budget")

    # 7. Keep and share: the PDF, a read-only link in another browser, then delete everything.
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger mon bilan (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    pdf_text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages
    )
    assert target in pdf_text
    assert "auto-déclarés" in pdf_text

    page.get_by_role("button", name="Créer un lien de partage").click()
    link = page.get_by_label("Lien de partage (lecture seule)")
    expect(link).to_have_value(re.compile(r"/partage/[A-Za-z0-9_-]{20,}$"))
    share_url = link.input_value()
    shot("07-partage-lien")

    other = browser.new_context(locale="fr-FR")
    try:
        shared = other.new_page()
        visit(shared, share_url)
        expect(shared.get_by_role("heading", level=1, name="Bilan partagé")).to_be_visible()
        expect(shared.get_by_text(target, exact=True)).to_be_visible()
        expect(shared.get_by_role("button", name="Supprimer mes données")).to_have_count(0)
        if viewport_name == "phone":
            shared.screenshot(path=screenshots_dir / "journey-08-bilan-partage.png", full_page=True)

        page.get_by_role("button", name="Supprimer mes données").click()
        page.get_by_role("button", name="Oui, tout supprimer").click()
        expect(page).to_have_url(re.compile(r"/bilan$"))
        expect(
            page.get_by_text("Vos données ont été supprimées de cet appareil et du serveur.")
        ).to_be_visible()
        expect(page.get_by_role("button", name="Reprendre mon bilan")).to_have_count(0)
        expect(page.get_by_role("radio", name=re.compile(r"^En poste"))).not_to_be_checked()
        assert page.evaluate(f"localStorage.getItem('{ANSWERS_KEY}')") is None
        shot("09-donnees-supprimees")

        reload(shared)
        expect(
            shared.get_by_role("heading", level=1, name="Lien de partage introuvable")
        ).to_be_visible()
    finally:
        settle(shared)
        other.close()

    visit(page, "/profil")
    expect(
        page.get_by_text("Vous n'avez pas encore fait le point sur vos compétences")
    ).to_be_visible()
    settle(page)


def test_reloading_or_closing_the_tab_mid_assessment_loses_no_answer(
    page: Page, viewport_name: str, screenshots_dir: Path
) -> None:
    start_assessment(page)
    first = answer_step(page, 1)
    page.get_by_role("button", name="Suivant", exact=True).click()
    wait_for_step(page, 2)
    second = answer_step(page, 2)
    # The device keeps the answers too, the moment they are given.
    kept = page.evaluate(f"JSON.parse(localStorage.getItem('{ANSWERS_KEY}')).ratings")
    assert kept == {**first, **second}

    reload(page)
    wait_for_step(page, 2)
    expect(page.locator("input[data-competency]:checked")).to_have_count(len(second))
    assert checked_levels(page) == second
    if viewport_name == "phone":
        page.screenshot(path=screenshots_dir / "journey-reprise-apres-rechargement.png")

    # Close the tab, come back later: /bilan offers to resume, at the first unfinished step.
    context = page.context
    settle(page)
    page.close()
    again = context.new_page()
    visit(again, "/bilan")
    expect(again.get_by_text(f"{len(first) + len(second)} réponses sur")).to_be_visible()
    again.get_by_role("button", name="Reprendre mon bilan").click()
    wait_for_step(again, 3)
    again.get_by_role("button", name="Précédent").click()
    wait_for_step(again, 2)
    expect(again.locator("input[data-competency]:checked")).to_have_count(len(second))
    again.get_by_role("button", name="Précédent").click()
    wait_for_step(again, 1)
    expect(again.locator("input[data-competency]:checked")).to_have_count(len(first))
    assert checked_levels(again) == first
    settle(again)


def test_answers_kept_on_the_device_reach_a_server_that_missed_them(page: Page) -> None:
    """The device copy is replayed: an answer the server never saw is not lost."""
    start_assessment(page)
    given = answer_step(page, 1)
    code, level = next(iter(given.items()))
    changed = (level + 1) % 5
    # As if this answer had been given while the connection was down: only the device has it.
    page.evaluate(
        """([key, code, level]) => {
            const value = JSON.parse(localStorage.getItem(key));
            value.ratings[code] = level;
            localStorage.setItem(key, JSON.stringify(value));
        }""",
        [ANSWERS_KEY, code, changed],
    )
    reload(page)
    wait_for_step(page, 1)
    expect(page.locator(f'input[data-competency="{code}"][value="{changed}"]')).to_be_checked()
    # …and the server now has it: a fresh tab without the device copy shows it too.
    page.evaluate(f"localStorage.removeItem('{ANSWERS_KEY}')")
    reload(page)
    wait_for_step(page, 1)
    expect(page.locator(f'input[data-competency="{code}"][value="{changed}"]')).to_be_checked()
    settle(page)


def test_bad_input_gets_a_helpful_french_message(page: Page) -> None:
    visit(page, "/metier/METIER-QUI-N-EXISTE-PAS")
    expect(page.get_by_role("heading", level=1, name="Métier introuvable")).to_be_visible()
    expect(page.get_by_text(re.compile("METIER-QUI-N-EXISTE-PAS"))).to_be_visible()

    visit(page, "/partage/jeton-trafique-0123456789")
    expect(page.get_by_role("heading", level=1, name="Lien de partage introuvable")).to_be_visible()

    visit(page, "/objectif")
    expect(page.get_by_text("Vous n'avez pas encore fait le point")).to_be_visible()

    visit(page, "/bilan")
    page.get_by_role("button", name="Commencer mon bilan").click()
    expect(page.get_by_text("Choisissez d'abord votre situation.")).to_be_visible()
    page.get_by_role("radio", name=re.compile(r"^En poste")).check()
    search = page.get_by_label("Votre métier actuel (ou le dernier exercé)")
    search.fill("zzzqqq")
    expect(page.get_by_text(re.compile(r"Aucun métier ne correspond à \W*zzzqqq"))).to_be_visible()
    page.get_by_role("button", name="Commencer mon bilan").click()
    expect(
        page.get_by_text("Cherchez votre métier et choisissez-le dans la liste.")
    ).to_be_visible()
    search.fill("")
    expect(page.get_by_role("radio", name=re.compile(r"^Assistant"))).to_have_count(0)

    # Job seekers may start without a role; a step number that does not exist is explained.
    page.get_by_role("radio", name=re.compile(r"^En recherche d'emploi")).check()
    page.get_by_role("radio", name="Je ne sais pas / aucun").check()
    page.get_by_role("button", name="Commencer mon bilan").click()
    wait_for_step(page, 1)
    visit(page, "/bilan/etape/99")
    expect(page.get_by_role("heading", level=1, name="Cette étape n'existe pas")).to_be_visible()
    settle(page)


def test_search_ignores_accents_and_case(page: Page) -> None:
    visit(page, "/bilan")
    search = page.get_by_label("Votre métier actuel (ou le dernier exercé)")
    search.fill("SECRETAIRE")
    expect(page.get_by_role("radio", name=re.compile(r"^Secrétaire"))).not_to_have_count(0)
    results = page.locator("input[name=role]")
    assert 1 <= results.count() <= 8
    settle(page)


def test_the_journey_switches_to_english_and_back(page: Page) -> None:
    visit(page, "/bilan")
    expect(
        page.get_by_role("heading", level=1, name="Faire le point sur mes compétences")
    ).to_be_visible()
    settle(page)
    page.get_by_role("button", name="Switch to English").click()
    expect(page.get_by_role("heading", level=1, name="Rate my competencies")).to_be_visible()
    expect(page.locator("main")).to_have_attribute("lang", "en")
    page.wait_for_load_state("networkidle")
    visit(page, "/metier/NOPE")
    expect(page.get_by_role("heading", level=1, name="Role not found")).to_be_visible()
    settle(page)
    page.get_by_role("button", name="Passer en français").click()
    expect(page.get_by_role("heading", level=1, name="Métier introuvable")).to_be_visible()
    settle(page)
