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
        (
            line(ratings={}, situation="retraite"),
            "ligne 1, champ « situation » : valeur inconnue « retraite » (permises : employed, "
            "job_seeker, student)",
        ),
        (
            line(ratings={}, qualification_level=9),
            "ligne 1, champ « qualification_level » : un niveau de qualification entier de 1 à 8 "
            "est attendu, pas 9",
        ),
        (
            line(ratings={}, qualification_level="bac"),
            "ligne 1, champ « qualification_level » : un niveau de qualification entier de 1 à 8 "
            'est attendu, pas "bac"',
        ),
        (
            line(ratings={}, age_band="40"),
            "ligne 1, champ « age_band » : valeur inconnue « 40 » (permises : under_26, 26_29, "
            "30_plus)",
        ),
        (
            line(ratings={}, age_exception="oui"),
            'ligne 1, champ « age_exception » : true, false ou null est attendu, pas "oui"',
        ),
        (
            line(ratings={}, preparing="tp-inconnu"),
            "ligne 1, champ « preparing » : diplôme ou titre professionnel inconnu « tp-inconnu »",
        ),
        (
            line(ratings={}, preparing="fc-notes-frais"),
            "ligne 1, champ « preparing » : diplôme ou titre professionnel inconnu "
            "« fc-notes-frais »",
        ),
        (
            line(ratings={}, constraints={"hours_per_week": 0}),
            "ligne 1, champ « constraints.hours_per_week » : un nombre strictement positif (au "
            "plus 80) ou null est attendu, pas 0",
        ),
        (
            line(ratings={}, constraints={"horizon_months": 500}),
            "ligne 1, champ « constraints.horizon_months » : un nombre strictement positif (au "
            "plus 120) ou null est attendu, pas 500",
        ),
        (
            line(ratings={}, constraints={"cpf_balance_eur": "beaucoup"}),
            "ligne 1, champ « constraints.cpf_balance_eur » : un nombre positif ou null est "
            'attendu, pas "beaucoup"',
        ),
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


def _curated_answers(payload: object, locale: str = "fr"):  # type: ignore[no-untyped-def]
    from careerpath.data.importers.bundle import read_bundle
    from careerpath.services.recommendation import recommend_text

    curated = read_bundle(Path(__file__).resolve().parents[2] / "careerpath/data/curated")
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return recommend_text(text, curated.referential, locale=locale)  # type: ignore[arg-type]


def test_the_plan_json_carries_route_funding_and_blocking_constraints() -> None:
    person = {
        "current_role": "secretaire",
        "ratings": {"org-prioriser": 3, "com-rediger-courriers": 3},
        "target": "assistant-administratif",
        "situation": "job_seeker",
        "qualification_level": 4,
        "age_band": "30_plus",
        "constraints": {"cpf_balance_eur": 500, "hours_per_week": 10, "horizon_months": 12},
    }
    result = _curated_answers(person)
    assert result.errors == []
    plan = result.answers[0]["plan"]
    assert plan["route"]["kind"] in {"vae", "training", "short"} and plan["route"]["why"]
    assert plan["items"] and plan["blocked_by"] == [] and plan["relaxed"] is None
    for item in plan["items"]:
        assert {"level", "rncp", "weeks", "funding", "out_of_pocket_eur", "step"} <= set(item)
        counted = sum(f["amount_eur"] or 0 for f in item["funding"])
        assert abs(item["cost_eur"] - counted - item["out_of_pocket_eur"]) < 0.01
        assert all(f["route"] != "employer_plan" for f in item["funding"])
    total = sum(i["out_of_pocket_eur"] for i in plan["items"])
    assert abs(total - plan["out_of_pocket_eur"]) < 0.01
    assert "à confirmer avec votre conseiller·ère ou votre OPCO" in plan["estimate"]
    tight = {**person, "constraints": {"max_cost_eur": 0, "hours_per_week": 1, "horizon_months": 1}}
    blocked = _curated_answers(tight).answers[0]["plan"]
    assert blocked["items"] == [] and blocked["blocked_by"]
    assert blocked["relaxed"]["items"]
    assert blocked["blocked"].startswith("Aucune formation ne tient")


def test_a_diploma_in_progress_is_never_planned_and_its_gains_are_in_progress() -> None:
    person = {
        "ratings": {"org-prioriser": 3, "com-rediger-courriers": 3},
        "target": "assistant-direction",
        "situation": "student",
        "qualification_level": 4,
        "age_band": "under_26",
        "preparing": "bts-sam",
    }
    result = _curated_answers(person)
    assert result.errors == []
    plan = result.answers[0]["plan"]
    assert plan["in_progress"]
    assert not {i["training"] for i in plan["items"]} & {"bts-sam", "vae-bts-sam"}
    assert not set(plan["in_progress"]) & set(plan["uncovered"])
    without = _curated_answers({**person, "preparing": None}).answers[0]["plan"]
    assert without["in_progress"] == []
    assert "bts-sam" in {i["training"] for i in without["items"]}


def test_new_field_errors_speak_english_with_lang_en() -> None:
    result = _curated_answers(line(ratings={}, age_band="40"), "en")
    assert result.answers == []
    assert (
        result.errors[0].describe("en").startswith("line 1, field 'age_band': unknown value '40'")
    )


def test_with_lang_en_the_curated_titles_and_labels_are_english() -> None:
    person = {
        "current_role": "secretaire",
        "ratings": {"org-prioriser": 3, "com-rediger-courriers": 3},
        "target": "assistant-direction",
    }
    french = _curated_answers(person).answers[0]
    english = _curated_answers(person, "en").answers[0]
    titles = {r["role"]: r["title"] for r in english["readiness"]}
    assert titles["assistant-direction"] == "Executive assistant"
    assert {n["role"]: n["title"] for n in english["next_roles"]}["office-manager"] == (
        "Office manager"
    )
    assert english["next_roles"][0]["title"] != french["next_roles"][0]["title"] or (
        english["next_roles"][0]["title"] in {"Office manager", "Travel manager"}
    )
    fr_items, en_items = french["plan"]["items"], english["plan"]["items"]
    assert [i["training"] for i in en_items] == [i["training"] for i in fr_items]
    assert all(e["title"] != f["title"] for e, f in zip(en_items, fr_items, strict=True))
    assert "Accord de votre responsable" not in json.dumps(english, ensure_ascii=False)
