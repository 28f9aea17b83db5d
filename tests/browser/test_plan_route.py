"""The plan page at phone size: a VAE-first route, a blocked plan with its relaxed
alternative one tap away, and a job seeker's funding (issue 10).

Each test stores an assessment for a fresh device id in the app's own database, as the
journey would, then opens /objectif on that device.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from careerpath.data.importers.bundle import read_bundle
from careerpath.services.assessments import AssessmentStore, new_device_id
from careerpath.ui.states.device import DEVICE_KEY
from tests.browser.conftest import RunningApp
from tests.browser.test_journey import settle, visit

CURATED = Path(__file__).resolve().parents[2] / "careerpath" / "data" / "curated"

pytestmark = pytest.mark.parametrize("viewport_name", ["phone"], indirect=True)


def _secretary() -> dict[str, int]:
    ref = read_bundle(CURATED).referential
    return {q.competency: q.level for q in ref.requirements_by_role["secretaire"]}


def _open_plan_as(
    page: Page,
    app: RunningApp,
    situation: str,
    ratings: dict[str, int],
    target: str,
    **kw: object,
) -> None:
    store = AssessmentStore(app.database_url)
    device = new_device_id()
    stored = store.start(device, situation, "secretaire")
    store.rate_many(stored.id, ratings)
    store.set_target(stored.id, target)
    store.set_constraints(
        stored.id,
        kw.get("hours_per_week"),  # type: ignore[arg-type]
        kw.get("budget_eur"),  # type: ignore[arg-type]
        kw.get("modalities", ()),  # type: ignore[arg-type]
    )
    store.set_profile(
        stored.id,
        kw.get("qualification_level"),  # type: ignore[arg-type]
        kw.get("age_band"),  # type: ignore[arg-type]
        kw.get("horizon_months"),  # type: ignore[arg-type]
        kw.get("cpf_balance_eur"),  # type: ignore[arg-type]
    )
    page.context.add_init_script(f"localStorage.setItem('{DEVICE_KEY}', '{device}')")
    visit(page, "/objectif")


def test_an_experienced_secretary_sees_the_vae_first_and_what_it_involves(
    page: Page,
    app: RunningApp,
    screenshots_dir: Path,
) -> None:
    ratings = _secretary()
    outcomes = read_bundle(CURATED).referential.outcomes_by_training["tp-assistant-direction"]
    for o in outcomes[2:]:
        ratings[o.competency] = max(ratings.get(o.competency, 0), o.level)
    _open_plan_as(
        page,
        app,
        "en_poste",
        ratings,
        "office-manager",
        qualification_level=4,
        age_band="30_plus",
        cpf_balance_eur=1000.0,
    )
    expect(page.locator("#plan-route")).to_have_text(
        "La VAE du TP Assistant de direction plutôt que la formation : vous en couvrez déjà "
        "10 des 12 compétences."
    )
    first = page.locator("ol.cp-timeline > li").first
    expect(first.get_by_role("heading", name="VAE TP Assistant de direction")).to_be_visible()
    expect(
        first.get_by_text(re.compile("Compte personnel de formation \\(CPF\\) \\(1[\\s\u202f]000"))
    ).to_be_visible()
    expect(first.get_by_text(re.compile(r"Reste à charge estimé\s:\s1\s200"))).to_be_visible()
    expect(first.get_by_text(re.compile("France VAE.*recevabilité.*jury"))).to_be_visible()
    expect(first.get_by_text(re.compile("en lien direct avec la certification"))).to_be_visible()
    expect(
        page.get_by_text("à confirmer avec votre conseiller·ère ou votre OPCO", exact=False)
    ).to_be_visible()
    settle(page)
    page.screenshot(path=screenshots_dir / "plan-vae-first.png", full_page=True)


def test_a_blocked_plan_names_the_budget_and_shows_the_relaxed_plan_on_one_tap(
    page: Page,
    app: RunningApp,
    screenshots_dir: Path,
) -> None:
    _open_plan_as(
        page,
        app,
        "en_formation",
        _secretary(),
        "office-manager",
        budget_eur=500.0,  # a student: no mission at work to fall back on
        hours_per_week=3.0,
        horizon_months=6.0,
        modalities=("distance",),
    )
    blocked = page.locator("#plan-blocked")
    expect(blocked).to_contain_text("c'est votre budget qui bloque")
    expect(page.locator("#plan-relaxed")).to_have_count(0)
    toggle = page.get_by_role("button", name="Voir le plan sans cette limite")
    box = toggle.bounding_box()
    assert box is not None and box["height"] >= 44
    toggle.click()
    relaxed = page.locator("#plan-relaxed > li")
    expect(relaxed.first).to_be_visible()
    expect(relaxed.first.get_by_text(re.compile(r"^Reste à charge estimé"))).to_be_visible()
    settle(page)
    page.screenshot(path=screenshots_dir / "plan-blocked-relaxed.png", full_page=True)


def test_a_job_seeker_sees_france_travail_funding_and_an_immersion_not_the_employer(
    page: Page,
    app: RunningApp,
    screenshots_dir: Path,
) -> None:
    _open_plan_as(
        page,
        app,
        "en_recherche",
        _secretary(),
        "assistant-administratif",
        qualification_level=4,
        age_band="30_plus",
        cpf_balance_eur=500.0,
    )
    main = page.locator("main")
    expect(
        main.get_by_text(
            "Aide individuelle à la formation (AIF, France Travail)", exact=False
        ).first
    ).to_be_visible()
    expect(
        main.get_by_role("heading", name=re.compile("Immersion en entreprise \\(PMSMP\\)"))
    ).to_be_visible()
    assert "Plan de développement des compétences" not in main.inner_text()
    assert "votre manager" not in main.inner_text()
    settle(page)
    page.screenshot(path=screenshots_dir / "plan-job-seeker.png", full_page=True)


def test_a_bad_horizon_gets_a_french_message_and_changes_nothing(
    page: Page, app: RunningApp
) -> None:
    _open_plan_as(
        page, app, "en_poste", _secretary(), "assistant-administratif", horizon_months=12.0
    )
    before = page.locator("ol.cp-timeline").first.inner_text()
    page.get_by_label("Horizon (en mois)").fill("beaucoup")
    page.get_by_role("button", name="Mettre à jour le plan").click()
    expect(
        page.get_by_role("alert").get_by_text(re.compile("^Indiquez un horizon en mois"))
    ).to_be_visible()
    assert page.locator("ol.cp-timeline").first.inner_text() == before
    page.get_by_label("Horizon (en mois)").fill("3")
    page.get_by_role("button", name="Mettre à jour le plan").click()
    expect(page.get_by_text("Plan mis à jour selon vos contraintes.")).to_be_visible()
    expect(page.get_by_label("Horizon (en mois)")).to_have_value("3")


def test_a_student_over_30_is_asked_about_the_age_exception_and_then_offered_the_apprenticeship(
    page: Page, app: RunningApp
) -> None:
    _open_plan_as(
        page,
        app,
        "en_formation",
        _secretary(),
        "assistant-direction",
        qualification_level=4,
        age_band="30_plus",
    )
    main = page.locator("main")
    question = page.get_by_label(re.compile(r"^Après 30 ans, l'apprentissage reste possible"))
    expect(question).to_be_visible()
    expect(main.get_by_text("Contrat d'apprentissage")).to_have_count(0)
    question.select_option("yes")
    page.get_by_role("button", name="Mettre à jour le plan").click()
    expect(page.get_by_text("Plan mis à jour selon vos contraintes.")).to_be_visible()
    expect(main.get_by_text("Contrat d'apprentissage").first).to_be_visible()
    expect(
        page.locator(".cp-timeline li", has_text="BTS Support à l'action managériale")
    ).to_have_count(1)
    expect(question).to_have_value("yes")
    settle(page)


def test_a_secretary_who_runs_projects_sees_the_partial_vae_of_a_bloc(
    page: Page, app: RunningApp
) -> None:
    ref = read_bundle(CURATED).referential
    bts = {o.competency: o.level for o in ref.outcomes_by_training["bts-sam"]}
    [project] = [b for b in ref.blocs_by_certification["bts-sam"] if b.code == "bloc-2"]
    ratings = {**_secretary(), **{c: bts[c] for c in project.competencies}}
    _open_plan_as(page, app, "en_poste", ratings, "assistant-direction", qualification_level=4)
    main = page.locator("main")
    expect(
        main.get_by_text(
            re.compile(
                r"^VAE partielle de « BTS Support à l'action managériale \(SAM\) » : vous "
                r"maîtrisez déjà 1 de ses 3 blocs professionnels \(« Gestion de projet »\)"
            )
        )
    ).to_be_visible()
    settle(page)
