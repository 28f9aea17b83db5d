"""The questionnaire on the curated referential: a first result within 25 questions for every
starting point, the most telling competencies first, everything else by category later."""

from __future__ import annotations

import pytest

from careerpath.data.importers.bundle import read_bundle
from careerpath.domain.referential import Weight
from careerpath.services.assessments import StoredAssessment
from careerpath.services.context import Context, context_of
from careerpath.services.profile import profile_view
from careerpath.services.questionnaire import (
    FIRST_RESULT_QUESTIONS,
    asked_competencies,
    assessment_steps,
    first_questions,
    step_view,
)
from careerpath.services.referential import CURATED_BUNDLE
from careerpath.services.value_words import value_text


@pytest.fixture(scope="module")
def ctx() -> Context:
    return context_of(read_bundle(CURATED_BUNDLE).referential)


def stored(role: str | None, ratings: dict[str, int] | None = None) -> StoredAssessment:
    return StoredAssessment(
        id="a" * 32,
        device_id="d" * 32,
        situation="en_poste" if role else "en_recherche",
        current_role=role,
        ratings=ratings or {},
    )


def test_every_starting_point_reaches_a_first_result_within_25_questions(ctx: Context) -> None:
    for role in [None, *(r.code for r in ctx.referential.roles)]:
        steps = assessment_steps(ctx, role)
        first = [c for s in steps if s.first for c in s.competencies]
        assert 10 <= len(first) <= FIRST_RESULT_QUESTIONS, role
        # Nothing asked twice, nothing forgotten: the rest waits in « Affiner mon bilan ».
        every = [c for s in steps for c in s.competencies]
        assert sorted(every) == sorted(asked_competencies(ctx.referential, role)), role
        assert all(s.category for s in steps if not s.first)
        # The first screens come first.
        assert [s.first for s in steps] == sorted((s.first for s in steps), reverse=True)


def test_the_current_roles_essentials_open_the_questionnaire(ctx: Context) -> None:
    first = first_questions(ctx, "secretaire")
    essentials = {
        q.competency
        for q in ctx.referential.requirements_by_role["secretaire"]
        if q.weight == Weight.ESSENTIAL
    }
    assert set(first[: len(essentials)]) == essentials


def test_what_comes_next_separates_the_likely_next_roles(ctx: Context) -> None:
    """After the role's own essentials, a competency some next roles need and others do not."""
    first = first_questions(ctx, "secretaire")
    essentials = {
        q.competency
        for q in ctx.referential.requirements_by_role["secretaire"]
        if q.weight == Weight.ESSENTIAL
    }
    after = [c for c in first if c not in essentials]
    assert after
    requiring = [
        r.code
        for r in ctx.referential.roles
        if any(q.competency == after[0] for q in ctx.referential.requirements_by_role[r.code])
    ]
    assert 0 < len(requiring) < len(ctx.referential.roles)


def test_the_last_first_screen_leads_to_the_first_results(ctx: Context) -> None:
    person = stored("assistant-direction")
    steps = assessment_steps(ctx, "assistant-direction")
    last_first = sum(1 for s in steps if s.first)
    view = step_view(ctx, person, last_first)
    assert view is not None and view.is_last and view.next_label == "Voir mes premiers résultats"
    assert view.progress_text == f"Étape {last_first} sur {last_first}"
    refine = step_view(ctx, person, last_first + 1)
    assert refine is not None and not refine.first
    assert refine.progress_text.startswith("Affiner mon bilan : catégorie 1 sur ")
    assert refine.time_text.startswith("Environ ")


def test_the_time_left_shrinks_as_the_person_answers(ctx: Context) -> None:
    first = first_questions(ctx, "secretaire")
    fresh = step_view(ctx, stored("secretaire"), 1)
    half = step_view(ctx, stored("secretaire", dict.fromkeys(first[:15], 2)), 1)
    assert fresh is not None and half is not None
    assert f"({len(first)} questions sans réponse)" in fresh.time_text
    assert f"({len(first) - 15} questions sans réponse)" in half.time_text


def test_the_value_in_words_names_the_invisible_work(ctx: Context) -> None:
    ratings = {
        "org-anticiper": 3,
        "coord-sans-autorite": 2,
        "org-prioriser": 4,
        "num-administrer-outils": 2,
        "org-planifier-agenda": 1,  # « Notions »: not a value to claim
    }
    value = value_text(ctx, stored("secretaire", ratings))
    assert [t.theme for t in value.themes] == [
        "anticipation",
        "prioritisation",
        "influence",
        "tools",
    ]
    anticipation = ctx.referential.competency_by_code["org-anticiper"].levels[2]
    assert anticipation.strip().rstrip(".") in value.text
    assert value.text.endswith(
        "(Auto-déclaré : ces phrases reprennent vos propres réponses au bilan careerpath.)"
    )


def test_a_modest_job_seeker_gets_named_strengths(ctx: Context) -> None:
    ratings = {code: 2 for code in first_questions(ctx, "agent-accueil")[:6]}
    profile = profile_view(ctx, stored("agent-accueil", ratings))
    assert profile.strengths_title == "Ce que vous faites en autonomie"
    assert len(profile.strengths) == 6
    assert not profile.value.empty
