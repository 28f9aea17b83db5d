"""Progression maps a teacher can show a class, on the curated referential."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from careerpath.data.importers.bundle import read_bundle
from careerpath.domain.referential import Referential, TrainingOutcome
from careerpath.services.schools import (
    NEXT_PROXIMITY_SENTENCE,
    PROXIMITY_SENTENCE,
    UnknownDiploma,
    UnknownRole,
    diploma_profile,
    diploma_role,
    diplomas,
    map_roles,
    progression,
    ways_into,
)

CURATED = Path(__file__).resolve().parents[2] / "careerpath" / "data" / "curated"


@pytest.fixture(scope="module")
def curated() -> Referential:
    return read_bundle(CURATED).referential


def test_the_diploma_list_holds_the_school_diplomas_by_level(curated: Referential) -> None:
    listed = diplomas(curated)
    codes = [d.code for d in listed]
    assert {"bac-pro-agora", "bts-sam", "bts-gpme"} <= set(codes)
    assert not any(code.startswith("vae-") for code in codes)
    levels = [d.qualification_level or 0 for d in listed]
    assert levels == sorted(levels)
    assert codes.index("bac-pro-agora") < codes.index("bts-sam")


def test_bts_sam_leads_to_assistant_roles_then_beyond(curated: Referential) -> None:
    map_ = progression(curated, "bts-sam")
    first = [s.role for s in map_.first_roles]
    assert len(first) == 4
    assert any(
        code in first for code in ("assistant-direction", "assistant-equipe", "office-manager")
    )
    assert all(s.why.startswith("Le diplôme couvre") for s in map_.first_roles)
    for role in first:
        steps = map_.next_steps[role]
        assert steps, f"no next step after {role}"
        assert role not in {s.role for s in steps}
        assert not set(first) & {s.role for s in steps}


def test_a_progression_is_the_same_every_time(curated: Referential) -> None:
    assert progression(curated, "bts-gpme") == progression(curated, "bts-gpme")


def test_an_unknown_or_non_diploma_code_is_refused(curated: Referential) -> None:
    with pytest.raises(UnknownDiploma):
        progression(curated, "pas-un-diplome")
    with pytest.raises(UnknownDiploma):
        progression(curated, "fc-initiation-paie")


def test_next_steps_never_step_down_a_qualification_level(curated: Referential) -> None:
    for diploma in diplomas(curated):
        map_ = progression(curated, diploma.code)
        for role, steps in map_.next_steps.items():
            level = curated.role_by_code[role].qualification_level or 0
            assert all(
                (curated.role_by_code[s.role].qualification_level or 0) >= level for s in steps
            )


def test_a_map_is_computed_once_per_referential_version_and_language(curated: Referential) -> None:
    once = progression(curated, "bts-sam")
    assert progression(curated, "bts-sam") is once
    assert progression(curated, "bts-sam", locale="en") is not once
    assert progression(curated, "bts-sam", locale="en").first_roles[0].why.startswith("The diploma")
    with pytest.raises(TypeError):
        once.next_steps["x"] = ()  # type: ignore[index]  # shared between visitors: read-only


def test_every_list_of_the_map_is_sorted_by_the_proximity_it_shows(curated: Referential) -> None:
    for diploma in diplomas(curated):
        map_ = progression(curated, diploma.code)
        for steps in (map_.first_roles, *map_.next_steps.values()):
            scores = [s.score for s in steps]
            assert scores == sorted(scores, reverse=True), (diploma.code, scores)


def test_the_moves_after_a_first_job_speak_to_nobody(curated: Referential) -> None:
    """The profile after a first job is the diploma plus the job: no « vous » was assessed."""
    for diploma in diplomas(curated):
        for steps in progression(curated, diploma.code).next_steps.values():
            assert all(s.why == "" for s in steps)


def test_a_diploma_profile_is_its_outcomes_at_their_highest_level(curated: Referential) -> None:
    extra = (
        TrainingOutcome("bts-sam", "com-orthographe", 2),
        TrainingOutcome("bts-sam", "com-orthographe", 3),  # listed by two blocs
        TrainingOutcome("bts-sam", "pas-une-competence", 4),  # unknown: left out
    )
    changed = replace(curated, outcomes=curated.outcomes + extra)
    profile = diploma_profile(changed, "bts-sam")
    assert profile["com-orthographe"] == 3
    assert "pas-une-competence" not in profile
    assert diploma_profile(curated, "bts-sam") == {
        o.competency: o.level for o in curated.outcomes_by_training["bts-sam"]
    }


def test_the_map_read_backwards_finds_every_diploma_that_leads_to_a_role(
    curated: Referential,
) -> None:
    """« Pour devenir … » is the inverse of the maps: a diploma whose map shows a role as a
    first job is listed straight away; one that shows it only as a move, after a first job."""
    maps = {d.code: progression(curated, d.code) for d in diplomas(curated)}
    for role in sorted({r for m in maps.values() for r in map_roles(m)}):
        ways = ways_into(curated, role)
        direct = {w.diploma.code for w in ways.direct}
        after = {w.diploma.code for w in ways.after}
        for code, map_ in maps.items():
            firsts = {s.role for s in map_.first_roles}
            moves = {s.role for steps in map_.next_steps.values() for s in steps}
            assert (code in direct) == (role in firsts), (role, code)
            assert (code in after) == (role in moves and role not in firsts), (role, code)
        for way in ways.after:
            assert way.via is not None and role in {
                s.role for s in maps[way.diploma.code].next_steps[way.via.role]
            }
        for group in (ways.direct, ways.after):
            scores = [w.score for w in group]
            assert scores == sorted(scores, reverse=True)
    with pytest.raises(UnknownRole):
        ways_into(curated, "pas-un-metier")


def test_a_role_seen_from_a_diploma_speaks_of_the_diploma(curated: Referential) -> None:
    view = diploma_role(curated, "bts-sam", "assistant-direction")
    assert view.title == curated.role_by_code["assistant-direction"].title
    assert view.why.startswith("Le diplôme couvre")
    requirements = curated.requirements_by_role["assistant-direction"]
    assert len(view.covered) + len(view.to_learn) == len(requirements)
    assert view.to_learn and view.covered
    # What is left to learn comes essential first, as the role page orders gaps.
    essentials = [r.essential for r in view.to_learn]
    assert essentials == sorted(essentials, reverse=True)
    assert "bts-sam" in {w.diploma.code for w in view.ways_in.direct}
    texts = " ".join([view.why, *(s.why for s in view.next_steps)]).casefold()
    assert "vous" not in texts
    with pytest.raises(UnknownRole):
        diploma_role(curated, "bts-sam", "pas-un-metier")
    with pytest.raises(UnknownDiploma):
        diploma_role(curated, "pas-un-diplome", "assistant-direction")


def test_the_proximity_sentence_exists_in_both_languages() -> None:
    assert PROXIMITY_SENTENCE["fr"].startswith("Proximité : ")
    assert PROXIMITY_SENTENCE["en"].startswith("Closeness: ")
    assert set(NEXT_PROXIMITY_SENTENCE) == {"fr", "en"}
