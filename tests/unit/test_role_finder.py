"""What a person types to find a role, and the rules of the /bilan form."""

from __future__ import annotations

import pytest

from careerpath.data.importers.bundle import read_bundle
from careerpath.services.context import Context, context_of
from careerpath.services.referential import CURATED_BUNDLE
from careerpath.services.role_finder import find_roles
from careerpath.services.role_page import role_view
from careerpath.services.start_rules import NO_ROLE, start_choice


@pytest.fixture(scope="module")
def ctx() -> Context:
    return context_of(read_bundle(CURATED_BUNDLE).referential)


def test_a_diploma_in_progress_finds_the_roles_it_leads_to(ctx: Context) -> None:
    found = find_roles(ctx, "BTS SAM")
    assert found.roles and not found.message
    assert all("BTS Support à l'action managériale" in r.also for r in found.roles)
    assert "assistant-direction" in {r.code for r in found.roles}
    assert {r.diploma for r in found.roles} == {"bts-sam"}


def test_the_diploma_typed_is_kept_only_for_a_person_in_training(ctx: Context) -> None:
    ref = ctx.referential
    student = start_choice(ref, "en_formation", "assistant-direction", diploma="bts-sam")
    assert (student.target, student.preparing) == ("assistant-direction", "bts-sam")
    worker = start_choice(ref, "en_poste", "assistant-direction", diploma="bts-sam")
    assert worker.preparing is None
    # Only a diploma or titre professionnel of the referential is kept.
    assert (
        start_choice(ref, "en_formation", "secretaire", diploma="fc-notes-frais").preparing is None
    )
    assert start_choice(ref, "en_formation", "secretaire", diploma="GONE").preparing is None


@pytest.mark.parametrize("word", ["étudiante", "alternante", "Apprentie", "stagiaire"])
def test_words_of_a_situation_point_to_it(ctx: Context, word: str) -> None:
    found = find_roles(ctx, word)
    assert found.situation == "en_formation"
    assert found.message.startswith("Vous êtes en formation ?")


def test_a_job_seeker_word_points_to_looking_for_a_job(ctx: Context) -> None:
    found = find_roles(context_of(ctx.referential, "en"), "demandeuse d'emploi")
    assert found.situation == "en_recherche"
    assert found.message.startswith("Looking for a job?")


def test_nothing_found_says_what_to_try(ctx: Context) -> None:
    found = find_roles(ctx, "zzzqqq")
    assert not found.roles and "« BTS SAM »" in found.message


def test_a_role_is_required_unless_job_seeking_or_in_training(ctx: Context) -> None:
    ref = ctx.referential
    assert start_choice(ref, "", "secretaire").error == "Choisissez d'abord votre situation."
    assert start_choice(ref, "en_poste", NO_ROLE).error.startswith("Cherchez votre métier")
    assert start_choice(ref, "en_poste", "GONE").error.startswith("Ce métier n'existe plus")
    assert not start_choice(ref, "en_recherche", NO_ROLE).error
    worker = start_choice(ref, "en_poste", "secretaire")
    assert (worker.current_role, worker.target) == ("secretaire", None)
    # In training, the role typed is the one aimed for: the goal, not a « métier actuel ».
    student = start_choice(ref, "en_formation", "assistant-direction")
    assert (student.current_role, student.target, student.error) == (
        None,
        "assistant-direction",
        "",
    )


def test_a_role_page_speaks_plain_words_and_keeps_the_codes_aside(ctx: Context) -> None:
    view = role_view(ctx, "assistant-direction", None)
    assert view is not None
    assert "Souvent accessible au niveau bac + 2 (BTS, BUT en cours…)" in view.facts
    assert not any("ROME" in f or "qualification" in f for f in view.facts)
    assert view.codes.startswith("ROME M") and view.codes.endswith("niveau de qualification 5")


@pytest.mark.parametrize("typed", ["secrétaire", "comptable", "gestion", "BTS"])
def test_words_that_do_not_name_one_diploma_record_none(ctx: Context, typed: str) -> None:
    """« secrétaire » also matches the TP Secrétaire assistant's title: it is a role typed,
    not a diploma being prepared; « BTS » alone names no one BTS."""
    assert {r.diploma for r in find_roles(ctx, typed).roles} <= {""}
