"""The two other ways in: a teacher maps a diploma to jobs, a counsellor learns how to use
careerpath with a beneficiary. Neither needs an account."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect


def no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_a_teacher_follows_a_diploma_to_jobs_and_beyond(
    page: Page, viewport_name: str, screenshots_dir: Path
) -> None:
    page.goto("/")
    page.get_by_role("link", name="Vous enseignez ?").click()
    expect(page.get_by_role("heading", level=1, name="Du diplôme au métier")).to_be_visible()
    diplomas = page.get_by_role("main").get_by_role("listitem")
    expect(diplomas.first).to_be_visible()
    assert diplomas.count() >= 8
    expect(page.get_by_role("link", name="Bac pro").first).to_be_visible()
    no_sideways_scroll(page)
    page.screenshot(path=screenshots_dir / f"ecoles-{viewport_name}.png", full_page=True)

    page.get_by_role("link", name="BTS Support à l'action managériale").first.click()
    expect(page).to_have_url(re.compile(r"/ecoles/bts-sam$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("BTS")
    expect(page.get_by_role("heading", level=2, name="Premiers métiers")).to_be_visible()
    cards = page.get_by_role("heading", level=3)
    expect(cards).to_have_count(4)
    expect(page.get_by_text("Diplôme · Niveau 5")).to_be_visible()
    # The reasons speak of the diploma (nobody was assessed); figures in French typography.
    expect(
        page.get_by_text(re.compile(r"^Le diplôme couvre déjà \d+ des \d+")).first
    ).to_be_visible()
    expect(page.get_by_text("Vous maîtrisez")).to_have_count(0)
    figure = page.locator(".cp-figure").first
    assert re.fullmatch("Proximité\\s: \\d+\u202f%", figure.text_content() or "")
    expect(
        page.get_by_text(re.compile(r"^Proximité\s: ce que le diplôme apporte déjà"))
    ).to_be_visible()
    expect(page.get_by_text("Et ensuite, avec l'expérience").first).to_be_visible()
    no_sideways_scroll(page)
    page.screenshot(path=screenshots_dir / f"ecoles-bts-sam-{viewport_name}.png", full_page=True)

    first_role = cards.first.inner_text()
    page.get_by_role("link", name=f"Voir ce métier : {first_role}").click()
    # The role seen from the diploma: what it brings, not what « vous » master.
    expect(page).to_have_url(re.compile(r"/ecoles/bts-sam/metier/[a-z-]+$"))
    expect(page.get_by_role("heading", level=1, name=first_role)).to_be_visible()
    expect(page.get_by_role("heading", name="Ce que le diplôme apporte")).to_be_visible()
    expect(page.get_by_text("Vous maîtrisez")).to_have_count(0)


def test_an_unknown_diploma_gets_a_plain_message(page: Page) -> None:
    page.goto("/ecoles/diplome-inconnu")
    expect(page.get_by_role("heading", level=1, name="Diplôme introuvable")).to_be_visible()
    expect(page.get_by_text("diplome-inconnu")).to_be_visible()
    page.get_by_role("link", name="Voir tous les diplômes").click()
    expect(page.get_by_role("heading", level=1, name="Du diplôme au métier")).to_be_visible()


def test_a_counsellor_learns_what_careerpath_offers_and_where_the_workspace_is(
    page: Page, viewport_name: str, screenshots_dir: Path
) -> None:
    page.goto("/")
    page.get_by_role("link", name="Vous accompagnez des personnes ?").click()
    expect(page.get_by_role("heading", level=1, name="Accompagner avec careerpath")).to_be_visible()
    assert page.get_by_text("Pas encore disponible").count() == 0
    expect(
        page.get_by_role("link", name="Se connecter à l'espace conseiller·ère")
    ).to_have_attribute("href", "/connexion?suivant=/espace")
    expect(page.get_by_role("link", name="Déjà connecté·e : ouvrir mon espace")).to_have_attribute(
        "href", "/espace"
    )
    no_sideways_scroll(page)
    page.screenshot(path=screenshots_dir / f"conseillers-{viewport_name}.png", full_page=True)
    page.get_by_role("link", name="Commencer un bilan").click()
    expect(page).to_have_url(re.compile(r"/bilan$"))
