"""`careerpath recommend`: JSON / JSON Lines in, one JSON object per valid line out."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from test_engine_support import office_referential

import careerpath.services.referential as referential_service
from careerpath.cli.recommend import main
from careerpath.services.recommendation import read_documents

SECRETARY = {"org-agenda": 3, "org-priorites": 3, "com-ecrit": 3, "num-bureautique": 3}


@pytest.fixture(autouse=True)
def office(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The CLI loads the referential through the service; here it gets the office one."""
    urls: list[str | None] = []

    def load(url: str | None = None):  # type: ignore[no-untyped-def]
        urls.append(url)
        return office_referential()

    monkeypatch.setattr(referential_service, "load_referential", load)
    return urls


def run(argv: list[str], stdin: str = "") -> tuple[int, list[dict], str]:  # type: ignore[type-arg]
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    return code, answers, err.getvalue()


def line(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


def test_one_assessment_gets_readiness_next_roles_paths_and_plan(tmp_path: Path) -> None:
    file = tmp_path / "bilan.json"
    file.write_text(
        json.dumps(
            {
                "current_role": "secretaire",
                "ratings": SECRETARY,
                "target": "gestionnaire-paie",
                "constraints": {"max_hours": None, "max_cost_eur": None, "modalities": None},
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    code, answers, err = run([str(file)])
    assert (code, err) == (0, "")
    [answer] = answers
    assert answer["readiness"][0] == {
        "role": "secretaire",
        "title": "Secrétaire",
        "score": 100.0,
        "gaps": [],
        "strengths": answer["readiness"][0]["strengths"],
    }
    assert {"competency", "has", "needs", "weight"} == set(answer["readiness"][1]["gaps"][0])
    assert "scores" not in answer
    assert "secretaire" not in [n["role"] for n in answer["next_roles"]]
    assert {n["group"] for n in answer["next_roles"]} <= {"ready", "one_training", "long_term"}
    assert all(n["why"].endswith(".") for n in answer["next_roles"])
    assert answer["paths"][0]["steps"] == ["secretaire", "gestionnaire-paie"]
    assert answer["paths"][0]["effort_hours"] > 0
    plan = answer["plan"]
    assert [i["training"] for i in plan["items"]] == ["droit-social", "paie-courte"]
    assert plan["items"][1]["covers"] == ["rh-paie"]
    assert (plan["hours"], plan["cost_eur"], plan["uncovered"], plan["optimal"]) == (
        105.0,
        2400.0,
        [],
        True,
    )


def test_json_lines_are_answered_in_order_and_bad_lines_reported_with_field() -> None:
    lines = [
        line(current_role="secretaire", ratings=SECRETARY),
        line(current_role="secretaire", ratings={**SECRETARY, "rh-paie": 7}),
        line(current_role=None, ratings={"rh-paie": 3}),
    ]
    code, answers, err = run(["-"], "\n".join(lines) + "\n")
    assert code == 2
    assert len(answers) == 2
    assert answers[0]["readiness"][0]["role"] == "secretaire"
    assert answers[1]["readiness"][0]["role"] != "secretaire"
    assert err.strip() == (
        "ligne 2, champ « ratings.rh-paie » : la note 7 est hors de l'intervalle 0 à 4"
    )


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            line(ratings={"inconnue": 2}),
            "ligne 1, champ « ratings.inconnue » : compétence inconnue « inconnue »",
        ),
        (
            line(ratings={"rh-paie": 2.5}),
            "ligne 1, champ « ratings.rh-paie » : la note 2.5 n'est pas un nombre entier",
        ),
        (
            line(ratings={"rh-paie": "3"}),
            'ligne 1, champ « ratings.rh-paie » : la note "3" n\'est pas un nombre entier',
        ),
        (
            line(current_role="astronaute", ratings={}),
            "ligne 1, champ « current_role » : métier inconnu « astronaute »",
        ),
        (
            line(target="astronaute", ratings={}),
            "ligne 1, champ « target » : métier inconnu « astronaute »",
        ),
        (
            line(current_role="secretaire"),
            "ligne 1, champ « ratings » : champ obligatoire manquant",
        ),
        ('{"ratings": {', "ligne 1 : JSON invalide"),
        (
            line(ratings={}, constraints={"modalities": ["en vol"]}),
            "ligne 1, champ « constraints.modalities » : modalité inconnue « en vol »",
        ),
        (
            line(ratings={}, constraints={"max_cost_eur": -5}),
            "ligne 1, champ « constraints.max_cost_eur » : un nombre positif ou null est attendu, pas -5",
        ),
        ("[1, 2]", "ligne 1 : une évaluation doit être un objet JSON"),
    ],
)
def test_invalid_assessments_are_named_by_line_and_field(payload: str, message: str) -> None:
    code, answers, err = run(["-"], payload)
    assert code == 2 and answers == []
    assert err.startswith(message)


def test_command_line_target_overrides_the_files_and_top_and_all_scores_apply(
    office: list[str | None],
) -> None:
    payload = line(current_role="secretaire", ratings=SECRETARY, target="office-manager")
    code, [answer], _ = run(
        [
            "-",
            "--target",
            "gestionnaire-paie",
            "--top",
            "2",
            "--all-scores",
            "--database-url",
            "sqlite:///elsewhere.db",
        ],
        payload,
    )
    assert code == 0
    assert office == ["sqlite:///elsewhere.db"]
    assert answer["target"] == "gestionnaire-paie"
    assert answer["paths"][0]["steps"][-1] == "gestionnaire-paie"
    assert len(answer["readiness"]) == 2
    assert set(answer["scores"]) == {r.code for r in office_referential().roles}
    assert answer["scores"]["secretaire"] == 100.0


def test_an_unknown_command_line_target_is_refused_before_anything_is_written() -> None:
    code, answers, err = run(["-", "--target", "astronaute"], line(ratings={}))
    assert (code, answers) == (2, [])
    assert "astronaute" in err


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    code, answers, err = run([str(tmp_path / "absent.json")])
    assert (code, answers) == (2, [])
    assert "absent.json" in err


def test_a_pretty_printed_object_with_an_error_reports_the_line_of_the_error() -> None:
    [document] = read_documents('{\n  "ratings": {\n    "rh-paie": 3,\n  }\n}\n')
    assert document.error is not None and document.error.line == 4
