"""What each journey screen shows for a stored assessment, and the PDF bilan it produces."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from careerpath.data.importers.bundle import read_bundle
from careerpath.domain.referential import Referential
from careerpath.services import bilan_pdf
from careerpath.services.assessments import StoredAssessment
from careerpath.services.bilan_pdf import bilan_report, render_bilan
from careerpath.services.constraints_form import parse_constraints
from careerpath.services.context import Context, context_of
from careerpath.services.next_roles_view import next_roles_view
from careerpath.services.plan_view import plan_view
from careerpath.services.profile import profile_view
from careerpath.services.questionnaire import (
    answered_count,
    answers_from_device,
    assessment_steps,
    resume_step,
    step_view,
)
from careerpath.services.role_page import role_view

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def referential() -> Referential:
    return read_bundle(ROOT / "tests" / "fixtures" / "bundle_min").referential


@pytest.fixture(scope="module")
def ctx(referential: Referential) -> Context:
    return context_of(referential)


def secretary(**changes: object) -> StoredAssessment:
    base: dict[str, object] = {
        "id": "a" * 32,
        "device_id": "d" * 32,
        "situation": "en_poste",
        "current_role": "SECRETAIRE",
        "ratings": {"ORG_AGENDA": 3, "ORG_CLASSEMENT": 4, "NUM_TABLEUR": 1, "COM_ECRIT": 0},
    }
    base.update(changes)
    return StoredAssessment(**base)  # type: ignore[arg-type]


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# -- answers kept on the device -------------------------------------------------------------


def test_only_valid_answers_the_server_lacks_are_taken_from_the_device(
    referential: Referential,
) -> None:
    kept = {
        "ORG_AGENDA": 3,  # the server has it already
        "NUM_TABLEUR": 2,  # changed on the device while offline
        "COM_ECRIT": 4,
        "INCONNUE": 2,  # not in the referential
        "ORG_CLASSEMENT": 7,  # outside 0–4
    }
    taken = answers_from_device(referential, secretary(), kept)
    assert taken == {"NUM_TABLEUR": 2, "COM_ECRIT": 4}
    assert answers_from_device(referential, secretary(), {"COM_ECRIT": True}) == {}
    assert answers_from_device(referential, secretary(), "not a mapping") == {}


# -- the questions ------------------------------------------------------------------------


def test_a_small_referential_is_asked_whole_before_the_first_result(ctx: Context) -> None:
    steps = assessment_steps(ctx, "OFFICE_MANAGER")
    # Four competencies: one screen, the office manager's essential ones first.
    assert [s.first for s in steps] == [True]
    assert set(steps[0].competencies[:2]) == {"ORG_AGENDA", "NUM_TABLEUR"}
    assert sorted(steps[0].competencies) == sorted(c.code for c in ctx.referential.competencies)


def test_a_step_offers_pas_encore_and_the_four_level_descriptors(ctx: Context) -> None:
    view = step_view(ctx, secretary(), 1)
    assert view is not None
    assert (view.number, view.total, view.first) == (1, 1, True)
    assert view.next_label == "Voir mes premiers résultats"
    agenda = next(q for q in view.questions if q.code == "ORG_AGENDA")
    assert agenda.label == "Gérer des agendas"
    assert agenda.category == "Organisation"
    assert agenda.rating == 3
    assert [o.level for o in agenda.options] == [0, 1, 2, 3, 4]
    assert agenda.options[0].name == "Pas encore"
    assert agenda.options[3].descriptor == "Arbitre les priorités de plusieurs agendas"
    # A competency without descriptors gets plain generic words, never an empty choice.
    filing = next(q for q in view.questions if q.code == "ORG_CLASSEMENT")
    assert all(o.descriptor for o in filing.options)


def test_unanswered_questions_are_told_apart_from_pas_encore(ctx: Context) -> None:
    view = step_view(ctx, secretary(ratings={"ORG_AGENDA": 0}), 1)
    assert view is not None
    assert sorted(q.rating for q in view.questions) == [-1, -1, -1, 0]
    assert view.answered == 1
    assert view.time_text.startswith("Environ 1 minute avant vos premiers résultats (3 questions")


def test_out_of_range_steps_are_refused(ctx: Context) -> None:
    assert step_view(ctx, secretary(), 0) is None
    assert step_view(ctx, secretary(), 2) is None


def test_resume_goes_to_the_first_step_with_a_missing_answer(ctx: Context) -> None:
    partial = secretary(ratings={"ORG_AGENDA": 2, "ORG_CLASSEMENT": 1}, step=0)
    assert resume_step(ctx, partial) == 1
    assert answered_count(ctx.referential, partial) == (2, 4)


# -- profile, next roles, role, plan ------------------------------------------------------


def test_profile_puts_strengths_first_with_their_descriptors(ctx: Context) -> None:
    profile = profile_view(ctx, secretary())
    assert profile.strengths_title == "Ce que vous maîtrisez"
    assert [s.label for s in profile.strengths] == ["Classer et archiver", "Gérer des agendas"]
    assert profile.strengths[1].level_name == "Maîtrise"
    assert profile.strengths[1].descriptor == "Arbitre les priorités de plusieurs agendas"
    levels = {c.category: c for c in profile.categories}
    assert levels["Organisation"].average == 3.5
    assert levels["Organisation"].average_text == "3,5"
    assert levels["Numérique"].percent == 25
    assert "Rédiger des écrits professionnels" in [g.label for g in profile.growth]


def test_a_modest_profile_still_gets_its_strengths_named(ctx: Context) -> None:
    """Nothing above « Application »: what the person does on their own is named."""
    modest = secretary(ratings={"ORG_AGENDA": 2, "NUM_TABLEUR": 1, "COM_ECRIT": 2})
    profile = profile_view(ctx, modest)
    assert profile.strengths_title == "Ce que vous faites en autonomie"
    assert {s.label for s in profile.strengths} == {
        "Gérer des agendas",
        "Rédiger des écrits professionnels",
    }
    assert all(s.level_name == "Application" for s in profile.strengths)
    assert profile.unanswered.unanswered == 1
    assert "ne peuvent que monter" in profile.unanswered.sentence


def test_a_skipped_category_is_not_rated_rather_than_zero(ctx: Context) -> None:
    profile = profile_view(ctx, secretary(ratings={"ORG_AGENDA": 2}))
    numerique = next(c for c in profile.categories if c.category == "Numérique")
    assert numerique.answered == 0


def test_next_roles_are_grouped_explained_and_hidden_roles_leave(ctx: Context) -> None:
    groups = next_roles_view(ctx, secretary())
    assert [g.title for g in groups] == [
        "Prêt·e maintenant",
        "À une formation près",
        "Projet à plus long terme",
    ]
    cards = {c.code: c for g in groups for c in g.cards}
    assert set(cards) == {"ASSISTANT_DIRECTION", "OFFICE_MANAGER"}  # not the current role
    office = cards["OFFICE_MANAGER"]
    # The sentence counts what the percentage counts: levels met, met in part.
    assert office.why == (
        "Compétences de ce métier : 1 sur 2 au niveau demandé, 1 en partie "
        "(compétences clés : 1 sur 2, comptées double). "
        "Une seule formation comble tout l'écart : Tableur : tableaux croisés."
    )
    assert office.gaps == ("Utiliser un tableur (Notions → Maîtrise)",)
    assert office.score_text.endswith("%")

    hidden = next_roles_view(ctx, secretary(hidden_roles=("OFFICE_MANAGER",)))
    assert {c.code for g in hidden for c in g.cards} == {"ASSISTANT_DIRECTION"}


def test_the_chosen_goal_is_never_hidden_and_groups_follow_their_percentages(ctx: Context) -> None:
    goal = secretary(hidden_roles=("OFFICE_MANAGER",), target="OFFICE_MANAGER")
    groups = next_roles_view(ctx, goal, per_group=0)
    shown = [c for g in groups for c in g.cards]
    assert [c.code for c in shown] == ["OFFICE_MANAGER"] and shown[0].is_target
    assert sum(g.more for g in groups) == 1  # « Voir plus » reveals the other one
    for group in next_roles_view(
        ctx, secretary(), extra={"ready": 99, "one_training": 99, "long_term": 99}
    ):
        scores = [c.score for c in group.cards]
        assert scores == sorted(scores, reverse=True)


def test_one_training_away_means_the_plan_closes_every_gap_with_one_item(ctx: Context) -> None:
    for group in next_roles_view(ctx, secretary(), extra={"one_training": 99}):
        if group.group != "one_training":
            continue
        for card in group.cards:
            plan = plan_view(ctx, secretary(target=card.code))
            assert plan is not None and len(plan.items) <= 1 and not plan.uncovered


def test_role_view_shows_acquired_and_missing_requirements(ctx: Context) -> None:
    view = role_view(ctx, "OFFICE_MANAGER", secretary())
    assert view is not None
    lines = {r.label: r for r in view.requirements}
    assert lines["Gérer des agendas"].acquired
    assert not lines["Utiliser un tableur"].acquired
    assert lines["Utiliser un tableur"].has_name == "Notions"
    assert view.paths and view.paths[0].steps[0] == "Secrétaire"
    assert view.paths[0].steps[-1] == "Office manager"


def test_an_unknown_role_code_gives_no_view(ctx: Context) -> None:
    assert role_view(ctx, "NOPE", secretary()) is None
    assert role_view(ctx, "<script>", None) is None


def test_the_plan_changes_with_the_budget(ctx: Context) -> None:
    free = plan_view(ctx, secretary(target="ASSISTANT_DIRECTION"))
    tight = plan_view(ctx, secretary(target="ASSISTANT_DIRECTION", budget_eur=100.0))
    assert free is not None and tight is not None
    # The alternance title would close one gap only: a long training is not chosen for that.
    assert [i.code for i in free.items] == ["TABLEUR_AVANCE"]
    assert free.uncovered == ("Rédiger des écrits professionnels",)
    assert free.uncovered_sentence == (
        "Aucune formation retenue ne couvre : rédiger des écrits professionnels."
    )
    assert tight.items == ()
    assert tight.blocked_by == ("max_cost_eur",)
    assert tight.relaxed is not None and [i.code for i in tight.relaxed.items] == ["TABLEUR_AVANCE"]
    assert tight.blocked_sentence.startswith(
        "Aucune formation ne tient dans vos contraintes : c'est votre budget qui bloque."
    )


def test_the_plan_duration_follows_the_pace(ctx: Context) -> None:
    plan = plan_view(ctx, secretary(target="OFFICE_MANAGER", hours_per_week=4.0))
    assert plan is not None
    assert [i.title for i in plan.items] == ["Tableur : tableaux croisés"]
    assert plan.weeks == 4  # 12.5 h at 4 h a week
    assert plan.weeks_text == "4 semaines"


def test_no_plan_without_a_known_target(ctx: Context) -> None:
    assert plan_view(ctx, secretary()) is None
    assert plan_view(ctx, secretary(target="GONE")) is None


def test_constraints_typed_by_a_person_are_read_or_explained() -> None:
    ok = parse_constraints(
        {"hours_per_week": "7,5", "budget": "1 200 €", "modality_distance": "on"}
    )
    assert (ok.hours_per_week, ok.budget_eur, ok.modalities, ok.errors) == (
        7.5,
        1200.0,
        ("distance",),
        (),
    )
    empty_budget = parse_constraints({"hours_per_week": "5", "modality_alternance": "on"})
    assert empty_budget.budget_eur is None and not empty_budget.errors
    bad = parse_constraints({"hours_per_week": "beaucoup", "budget": "-3"})
    assert len(bad.errors) == 3
    assert bad.errors[0].startswith("Indiquez un nombre d'heures")
    base = {"hours_per_week": "5", "modality_alternance": "on"}
    assert parse_constraints({**base, "age_exception": "yes"}).age_exception is True
    assert parse_constraints({**base, "age_exception": "no"}).age_exception is False
    assert parse_constraints({**base, "age_exception": ""}).age_exception is None
    forged = parse_constraints({**base, "age_exception": "peut-être"}, "en")
    assert forged.age_exception is None and forged.errors == ("Choose an answer from the list.",)


# -- the PDF ------------------------------------------------------------------------------


def test_the_pdf_holds_profile_target_plan_date_and_the_self_declared_note(
    ctx: Context,
) -> None:
    stored = secretary(target="ASSISTANT_DIRECTION")
    data = render_bilan(bilan_report(ctx, stored, today=date(2025, 3, 7)))
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "Mon bilan de compétences" in text
    assert "7 mars 2025" in text
    assert "Métier actuel : Secrétaire" in text
    assert "Ce que vous maîtrisez" in text and "Classer et archiver" in text
    # No curated theme in this bundle: the value in words is grouped by category.
    assert "Ma valeur en mots (auto-déclaré)" in text
    assert "Arbitre les priorités de plusieurs agendas." in text
    assert "Assistant·e de direction" in text  # the target, accents and "·" intact
    assert "Tableur : tableaux croisés" in text
    assert "Des formations courtes et des actions au travail suffisent" in text  # the route
    assert "Reste à charge estimé : 390 €" in text
    assert "à confirmer avec votre conseiller·ère ou votre OPCO" in " ".join(text.split())
    assert "auto-déclarés" in text


def test_the_role_page_states_the_route_and_why_its_hours_differ_from_the_plan(
    ctx: Context,
) -> None:
    view = role_view(ctx, "ASSISTANT_DIRECTION", secretary())
    assert view is not None
    assert view.route_sentence.startswith("Des formations courtes")
    assert view.paths and view.paths[0].hours_text.startswith("Environ")
    if view.effort_note:
        assert view.effort_note.startswith("Le plan de formation vers ce métier compte")


def test_the_pdf_is_made_even_without_a_unicode_font(
    ctx: Context, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(bilan_pdf, "FONT_DIRS", (tmp_path,))
    data = render_bilan(bilan_report(ctx, secretary(target="OFFICE_MANAGER")))
    text = pdf_text(data)
    assert "Office manager" in text
    assert "Secrétaire" in text


def test_the_pdf_speaks_english_when_asked(referential: Referential) -> None:
    text = pdf_text(
        render_bilan(
            bilan_report(context_of(referential, "en"), secretary(), today=date(2025, 3, 7))
        )
    )
    assert "My skills review" in text
    assert "No goal chosen yet." in text
    assert "self-declared" in text
