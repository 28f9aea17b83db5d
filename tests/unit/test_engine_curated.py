"""The engine on the project's curated referential (careerpath/data/curated)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from careerpath.data.importers.bundle import read_bundle
from careerpath.domain.assessment import Assessment, Constraints
from careerpath.domain.engine import Engine, RoleGroup
from careerpath.domain.referential import Referential, TrainingKind

CURATED = Path(__file__).resolve().parents[2] / "careerpath" / "data" / "curated"
ROOT = CURATED.parents[2]


@pytest.fixture(scope="module")
def curated() -> Referential:
    return read_bundle(CURATED).referential


@pytest.fixture(scope="module")
def engine(curated: Referential) -> Engine:
    return Engine(curated)


def organised_secretary(curated: Referential, **constraints: object) -> Assessment:
    """A secrétaire meeting her role, at 3 in every organisation competency, 0 in payroll."""
    ratings = {q.competency: q.level for q in curated.requirements_by_role["secretaire"]}
    ratings.update({c.code: 3 for c in curated.competencies if c.category == "Organisation"})
    ratings["rh-paie"] = 0
    return Assessment(
        ratings=ratings,
        current_role="secretaire",
        target="gestionnaire-paie",
        constraints=Constraints(**constraints),  # type: ignore[arg-type]
    )


def test_direction_and_office_management_come_before_payroll(
    engine: Engine, curated: Referential
) -> None:
    order = [n.role for n in engine.next_roles(organised_secretary(curated))]
    assert order.index("assistant-direction") < order.index("gestionnaire-paie")
    assert order.index("office-manager") < order.index("gestionnaire-paie")
    assert "secretaire" not in order


def test_payroll_is_a_long_term_project_explained_by_its_missing_key_competencies(
    engine: Engine, curated: Referential
) -> None:
    person = organised_secretary(curated)
    payroll = next(n for n in engine.next_roles(person) if n.role == "gestionnaire-paie")
    assert payroll.group == RoleGroup.LONG_TERM
    essentials = [
        q for q in curated.requirements_by_role["gestionnaire-paie"] if q.weight == "essential"
    ]
    met = sum(person.level(q.competency) >= q.level for q in essentials)
    missing = len(essentials) - met
    assert payroll.why.startswith(
        f"Vous maîtrisez déjà {met} des {len(essentials)} compétences clés ; il vous manque : "
    )
    assert payroll.why.endswith(f" et {missing - 3} autres.")


def test_the_plan_to_payroll_contains_a_payroll_training(
    engine: Engine, curated: Referential
) -> None:
    plan = engine.plan(organised_secretary(curated), "gestionnaire-paie")
    assert plan.optimal
    assert plan.uncovered == ()
    payroll_items = [i for i in plan.items if "rh-paie" in i.covers]
    assert payroll_items, "a training closing the payroll gap is in the plan"
    assert sum(i.hours for i in plan.items) == plan.hours


def test_a_500_euro_budget_changes_the_plan_and_shows_the_gaps_left_open(
    engine: Engine, curated: Referential
) -> None:
    free = engine.plan(organised_secretary(curated), "gestionnaire-paie")
    tight = engine.plan(organised_secretary(curated, max_cost_eur=500), "gestionnaire-paie")
    assert tight.items != free.items
    assert tight.cost_eur <= 500
    assert "rh-paie" in tight.uncovered
    covered = {c for item in tight.items for c in item.covers}
    assert set(tight.uncovered) == {g.competency for g in tight.gaps} - covered


def test_experience_covering_most_of_the_payroll_title_suggests_its_vae(
    engine: Engine, curated: Referential
) -> None:
    outcomes = curated.outcomes_by_training["tp-gestionnaire-paie"]
    ratings = {o.competency: o.level for o in outcomes[: len(outcomes) * 2 // 3 + 1]}
    person = Assessment(ratings=ratings, current_role="assistant-rh")
    suggested = [s.training for s in engine.vae_suggestions(person, "gestionnaire-paie")]
    assert "vae-tp-gestionnaire-paie" in suggested
    plan = engine.plan(person, "gestionnaire-paie")
    assert any(i.kind == TrainingKind.VAE for i in plan.items)


def test_paths_to_payroll_start_at_the_secretary_and_end_at_payroll(
    engine: Engine, curated: Referential
) -> None:
    paths = engine.paths(organised_secretary(curated), "gestionnaire-paie")
    assert len(paths) == 3
    assert all(p.steps[0] == "secretaire" and p.steps[-1] == "gestionnaire-paie" for p in paths)
    assert [p.effort_hours for p in paths] == sorted(p.effort_hours for p in paths)


def test_the_command_answers_from_the_database_it_initialises(tmp_path: Path) -> None:
    file = tmp_path / "bilans.jsonl"
    file.write_text(
        json.dumps(
            {
                "current_role": "secretaire",
                "ratings": {"org-prioriser": 3, "rh-paie": 0},
                "target": "gestionnaire-paie",
            }
        )
        + "\n"
        + json.dumps({"ratings": {"rh-paie": 9}})
        + "\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "careerpath.cli.main",
            "recommend",
            str(file),
            "--database-url",
            f"sqlite:///{tmp_path / 'careerpath.db'}",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 2
    [answer] = [json.loads(line) for line in done.stdout.splitlines()]
    assert answer["paths"][0]["steps"][0] == "secretaire"
    assert any("rh-paie" in item["covers"] for item in answer["plan"]["items"])
    assert done.stderr.strip() == (
        "ligne 2, champ « ratings.rh-paie » : la note 9 est hors de l'intervalle 0 à 4"
    )
