"""The journey keeps its promises, on a 390 px phone: a first result within 25 answers,
strengths named for a modest profile, any goal reachable, words that fit the person."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.test_journey import main_text, settle, visit, wait_for_step

pytestmark = pytest.mark.parametrize("viewport_name", ["phone"])

PRIVACY = re.compile(
    r"^Sans compte\. Vos réponses sont gardées sur cet appareil et sur notre serveur"
)


def start(page: Page, situation: str, query: str, role: str) -> None:
    """/bilan: a situation, then a role found by typing (or « Je ne sais pas / aucun »)."""
    visit(page, "/bilan")
    page.get_by_role("radio", name=re.compile("^" + re.escape(situation))).check()
    page.locator("#recherche-metier").fill(query)
    page.get_by_role("radio", name=re.compile("^" + re.escape(role))).first.check()
    page.get_by_role("button", name="Commencer mon bilan").click()
    wait_for_step(page, 1)


def answer_first_screens(page: Page, level: int) -> int:
    """Every screen before the first result, every question at `level`; returns the count."""
    answered = 0
    total = wait_for_step(page, 1)
    for number in range(1, total + 1):
        wait_for_step(page, number)
        fieldsets = page.locator("fieldset.cp-fieldset")
        for i in range(fieldsets.count()):
            fieldsets.nth(i).get_by_role("radio").nth(level).check()
            answered += 1
        if number < total:
            page.get_by_role("button", name="Suivant", exact=True).click()
    page.get_by_role("button", name="Voir mes premiers résultats").click()
    expect(page.get_by_role("heading", level=1, name="Votre profil")).to_be_visible()
    return answered


def test_a_first_result_comes_within_25_answers(page: Page, screenshots_dir: Path) -> None:
    start(page, "En poste", "secretaire", "Secrétaire")
    expect(page.get_by_role("heading", level=1, name="Vos compétences clés")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"^Environ \d+ minutes? avant vos premiers résultats"))
    ).to_be_visible()
    # The five descriptors are one tap away, not spread out.
    first = page.locator("fieldset.cp-fieldset").first
    expect(first.locator("dl.cp-levels-list")).not_to_be_visible()
    first.get_by_text("Ce que veut dire chaque niveau").click()
    expect(first.locator("dl.cp-levels-list dt")).to_have_count(5)
    # « Suivant » with nothing answered asks first.
    page.get_by_role("button", name="Suivant", exact=True).click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Passer ces questions ?")
    page.get_by_role("button", name="Répondre").click()
    expect(dialog).to_have_count(0)
    wait_for_step(page, 1)

    answered = answer_first_screens(page, 2)
    assert answered <= 25
    # The results say how much waits and what answering more would change.
    refine = page.locator("section", has=page.get_by_role("heading", name="Affiner mon bilan"))
    expect(refine).to_contain_text("pas encore de réponse")
    expect(refine).to_contain_text("ne peuvent que monter")
    page.screenshot(path=screenshots_dir / "promesse-01-premiers-resultats.png", full_page=True)
    page.get_by_role("link", name="Affiner mon bilan").click()
    expect(
        page.get_by_text(re.compile(r"^Affiner mon bilan : catégorie \d+ sur \d+$"))
    ).to_be_visible()
    settle(page)


def test_a_modest_job_seeker_gets_her_strengths_and_value_named(page: Page) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    visit(page, "/bilan")
    page.get_by_role("radio", name=re.compile(r"^En recherche d'emploi")).check()
    expect(page.get_by_text("Votre dernier métier (ou celui que vous cherchez)")).to_be_visible()
    page.get_by_role("radio", name="Je ne sais pas / aucun").check()
    page.get_by_role("button", name="Commencer mon bilan").click()
    answer_first_screens(page, 2)  # « Application » everywhere: nothing rated higher

    expect(page.get_by_role("heading", name="Ce que vous faites en autonomie")).to_be_visible()
    expect(page.get_by_text("Aucune compétence notée")).to_have_count(0)
    expect(page.get_by_role("heading", name="Ma valeur en mots")).to_be_visible()
    expect(page.get_by_text(re.compile(r"lettre de motivation"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Auto-déclaré : "))).to_be_visible()
    page.get_by_role("button", name="Copier le texte").click()
    expect(page.get_by_text("Texte copié : collez-le où vous voulez.")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "Auto-déclaré" in copied and len(copied.split()) > 20

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger mon bilan (PDF)").click()
    data = Path(download_info.value.path()).read_bytes()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)
    assert "Ce que vous faites en autonomie" in text
    assert "Ma valeur en mots (auto-déclaré)" in text
    assert "Aucune compétence notée" not in text
    settle(page)


def test_any_goal_can_be_typed_and_planned(page: Page) -> None:
    start(page, "En poste", "secretaire", "Secrétaire")
    answer_first_screens(page, 1)
    visit(page, "/metiers")
    expect(page.get_by_role("heading", level=3).first).to_be_visible()
    # Inside each group, cards follow the percentage they show.
    for section in page.locator("main section").all():
        figures = [
            int(m.group(1))
            for m in re.finditer(r"Préparation\s*:\s*(\d+)\s*%", section.inner_text())
        ]
        assert figures == sorted(figures, reverse=True)
    # « Voir plus » reveals the rest of a group.
    more = page.get_by_role("button", name=re.compile(r"^Voir plus"))
    cards_before = page.get_by_role("heading", level=3).count()
    more.first.click()
    expect(page.get_by_role("heading", level=3)).not_to_have_count(cards_before)

    # A role typed anywhere becomes the goal, and is planned.
    visit(page, "/metiers")
    page.get_by_label("Cherchez n'importe quel métier").fill("gestionnaire de paie")
    page.get_by_role("link", name=re.compile(r"^Gestionnaire de paie")).first.click()
    expect(page.get_by_role("heading", level=1, name="Gestionnaire de paie")).to_be_visible()
    page.get_by_role("button", name="Choisir comme objectif").click()
    expect(page).to_have_url(re.compile(r"/objectif$"))
    expect(
        page.get_by_role("heading", level=1, name=re.compile("Gestionnaire de paie"))
    ).to_be_visible()
    # The chosen goal is never hidden by the group's size.
    visit(page, "/metiers")
    goal = page.locator("li", has=page.get_by_role("heading", level=3, name="Gestionnaire de paie"))
    expect(goal).to_be_visible()
    expect(goal).to_contain_text("Votre objectif")
    # …and browsing lists every role, from the plan page too.
    visit(page, "/objectif")
    page.get_by_text("Parcourir tous les métiers").click()
    expect(page.get_by_role("link", name="Travel manager")).to_be_visible()
    settle(page)


def test_words_fit_a_student_and_jargon_stays_in_the_details(page: Page) -> None:
    visit(page, "/")
    expect(page.get_by_text(PRIVACY)).to_be_visible()
    home_privacy = page.get_by_text(PRIVACY).inner_text()
    visit(page, "/bilan")
    assert page.get_by_text(PRIVACY).inner_text() == home_privacy

    # « alternante » typed as a role: the page points to the right situation.
    page.get_by_role("radio", name=re.compile(r"^En poste")).check()
    page.locator("#recherche-metier").fill("alternante")
    expect(page.get_by_text(re.compile(r"^Vous êtes en formation \?"))).to_be_visible()
    page.get_by_role("button", name="Je suis en formation").click()
    expect(page.get_by_role("radio", name=re.compile(r"^En formation"))).to_be_checked()
    expect(page.get_by_text("Le métier visé, ou le diplôme que vous préparez")).to_be_visible()
    # A diploma in progress finds the roles it leads to; the role picked becomes the goal.
    page.locator("#recherche-metier").fill("BTS SAM")
    choice = page.get_by_role("radio", name=re.compile(r"^Assistant·e de direction"))
    expect(
        page.get_by_text(re.compile(r"Un métier auquel mène le BTS Support")).first
    ).to_be_visible()
    choice.check()
    page.get_by_role("button", name="Commencer mon bilan").click()
    wait_for_step(page, 1)
    expect(page.get_by_text("Demandé dans votre métier actuel")).to_have_count(0)
    visit(page, "/objectif")
    expect(
        page.get_by_role("heading", level=1, name="Objectif : Assistant·e de direction")
    ).to_be_visible()
    # The BTS SAM being prepared is never proposed again: what it brings is « en cours ».
    expect(page.locator("#plan-in-progress")).to_contain_text(
        "Le diplôme que vous préparez (« BTS Support à l'action managériale (SAM) ») vous apportera"
    )
    expect(
        page.locator(".cp-timeline li", has_text="BTS Support à l'action managériale")
    ).to_have_count(0)

    # Plain words first, the codes one tap away.
    visit(page, "/metier/assistant-direction")
    expect(page.get_by_role("heading", name="Ce que demande ce métier")).to_be_visible()
    main = main_text(page)
    assert "Souvent accessible au niveau bac + 2" in main
    assert "ROME" not in main and "Niveau de qualification" not in main
    page.get_by_text("Codes officiels").click()
    expect(page.get_by_text(re.compile(r"^ROME M\d{4}"))).to_be_visible()
    settle(page)
