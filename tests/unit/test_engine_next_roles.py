"""Next roles: every other role, grouped, explained in one sentence; deterministic."""

from __future__ import annotations

import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_support import assessment, office_referential, ratings_for, referentials

from careerpath.domain.engine import Engine, RoleGroup, engine_for
from careerpath.domain.explain import enumerate_labels, lower_first
from careerpath.services.recommendation import recommendation_json


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_next_roles_are_all_other_roles_once_never_the_current_one(data: st.DataObject) -> None:
    referential = data.draw(referentials())
    codes = [r.code for r in referential.roles]
    current = data.draw(st.none() | st.sampled_from(codes))
    ratings = data.draw(ratings_for(referential))
    roles = [n.role for n in Engine(referential).next_roles(assessment(ratings, current))]
    assert sorted(roles) == sorted(c for c in codes if c != current)


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_the_same_input_gives_the_same_output(data: st.DataObject) -> None:
    referential = data.draw(referentials())
    codes = [r.code for r in referential.roles]
    person = assessment(
        data.draw(ratings_for(referential)),
        data.draw(st.none() | st.sampled_from(codes)),
        data.draw(st.none() | st.sampled_from(codes)),
    )
    first = Engine(referential)
    again = Engine(referential)
    one = recommendation_json(first.recommend(person), first, all_scores=True)
    two = recommendation_json(again.recommend(person), again, all_scores=True)
    assert one == two
    assert one == recommendation_json(first.recommend(person), first, all_scores=True)


def _secretary() -> dict[str, int]:
    return {"org-agenda": 3, "org-priorites": 3, "com-ecrit": 3, "num-bureautique": 3}


def test_a_secretary_sees_direction_and_office_before_payroll_each_grouped_and_explained() -> None:
    engine = Engine(office_referential())
    roles = engine.next_roles(assessment({**_secretary(), "rh-paie": 0}, "secretaire"))
    order = [n.role for n in roles]
    assert order.index("assistant-direction") < order.index("gestionnaire-paie")
    assert order.index("office-manager") < order.index("gestionnaire-paie")
    by_role = {n.role: n for n in roles}
    assert by_role["assistant-direction"].group == RoleGroup.READY
    # Payroll's two gaps (paie, droit social) are closed by one training: tp-paie.
    assert by_role["gestionnaire-paie"].group == RoleGroup.ONE_TRAINING
    assert by_role["gestionnaire-paie"].why == (
        "Vous ne maîtrisez encore aucune des 2 compétences clés ; "
        "il vous manque : droit social et paie."
    )
    assert by_role["responsable-rh"].group == RoleGroup.LONG_TERM
    assert by_role["office-manager"].why == (
        "Vous maîtrisez déjà 1 des 3 compétences clés ; "
        "il vous manque : coordination de projets et suivi budgétaire."
    )


def test_explanations_exist_in_english_too() -> None:
    engine = Engine(office_referential())
    roles = engine.next_roles(assessment(_secretary(), "secretaire"), locale="en")
    office = next(n for n in roles if n.role == "office-manager")
    assert office.why == (
        "You already master 1 of the 3 key competencies; "
        "missing: coordination de projets and suivi budgétaire."
    )


def test_a_diploma_s_outcomes_are_explained_as_what_the_diploma_covers() -> None:
    # The schools' map ranks roles from a diploma's outcomes: the reason speaks of the
    # diploma, never of a "vous" who has not been assessed.
    engine = Engine(office_referential())
    person = assessment(_secretary(), None)
    for locale, diploma_says, person_says in (
        ("fr", "Le diplôme couvre déjà 1 des 3 compétences clés ; il manque :", "Vous"),
        ("en", "The diploma already covers 1 of the 3 key competencies; missing:", "You"),
    ):
        as_diploma = {n.role: n for n in engine.next_roles(person, locale, voice="diploma")}
        as_person = {n.role: n for n in engine.next_roles(person, locale)}
        assert as_diploma["office-manager"].why.startswith(diploma_says)
        assert as_person["office-manager"].why.startswith(person_says)
        assert not any(n.why.startswith(person_says) for n in as_diploma.values())
        # Same ranking and groups: only the wording changes.
        assert list(as_diploma) == list(as_person)
        assert {r: n.group for r, n in as_diploma.items()} == {
            r: n.group for r, n in as_person.items()
        }


def test_label_lists_are_lower_case_with_et_and_a_count_beyond_three() -> None:
    assert lower_first("Gestion de la paie") == "gestion de la paie"
    assert lower_first("RGPD") == "RGPD"
    assert enumerate_labels(["Paie", "Droit social"], 2) == "paie et droit social"
    assert enumerate_labels(["A", "B", "C"], 6) == "a, b, c et 3 autres"
    assert enumerate_labels(["A", "B"], 2, "en") == "a and b"


def test_engines_are_cached_per_referential_version() -> None:
    referential = office_referential()
    assert engine_for(referential) is engine_for(office_referential())


DETERMINISM_SCRIPT = """
import json, random, sys
sys.path.insert(0, sys.argv[1])
from test_engine_support import assessment, office_referential
from careerpath.domain.engine import Engine
from careerpath.domain.referential import Competency, Referential, Requirement, Role, Weight
from careerpath.services.recommendation import recommendation_json

rng = random.Random(7)
words = "gestion paie accueil client budget projet agenda courrier contrat achat vente".split()
comps = tuple(Competency(f"c{i}", " ".join(rng.sample(words, 3)), f"k{i % 4}") for i in range(40))
roles = tuple(Role(f"r{i:02d}", " ".join(rng.sample(words, 2)), f"f{i % 3}") for i in range(30))
reqs = tuple(
    Requirement(r.code, c.code, rng.randint(1, 4), rng.choice(list(Weight)))
    for r in roles for c in rng.sample(comps, 6)
)
synthetic = Referential(competencies=comps, roles=roles, requirements=reqs)
out = []
for referential, current in ((office_referential(), "secretaire"), (synthetic, "r03")):
    engine = Engine(referential)
    person = assessment({c.code: rng.randint(0, 4) for c in referential.competencies[:12]},
                        current, referential.roles[-1].code)
    out.append(recommendation_json(engine.recommend(person), engine, all_scores=True))
print(json.dumps(out, sort_keys=True))
"""


def test_the_output_does_not_depend_on_the_process_hash_seed() -> None:
    import os
    import subprocess
    from pathlib import Path

    here = Path(__file__).resolve().parent
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", DETERMINISM_SCRIPT, str(here)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert '"next_roles"' in outputs[0]
