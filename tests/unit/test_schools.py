"""Progression maps a teacher can show a class, on the curated referential."""

from __future__ import annotations

from pathlib import Path

import pytest

from careerpath.data.importers.bundle import read_bundle
from careerpath.domain.referential import Referential
from careerpath.services.schools import UnknownDiploma, diplomas, progression

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
