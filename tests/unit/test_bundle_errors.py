"""Every way a bundle can be wrong is reported with its file, line, column and reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from careerpath.data.errors import MESSAGES, ImportIssue, ImportRejected
from careerpath.data.importers.bundle import read_bundle

FIXTURE = Path(__file__).parent.parent / "fixtures" / "bundle_min"


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A writable copy of the minimal valid bundle (line numbers below refer to its files)."""
    target = tmp_path / "bundle"
    shutil.copytree(FIXTURE, target)
    return target


def errors_of(bundle: Path) -> list[ImportIssue]:
    with pytest.raises(ImportRejected) as caught:
        read_bundle(bundle)
    errors = caught.value.errors
    for issue in errors:  # every reported problem has a message in both languages
        assert set(MESSAGES[issue.code]) == {"fr", "en"}
        assert issue.describe("fr").startswith(issue.file)
    return errors


def only_error(bundle: Path) -> ImportIssue:
    [error] = errors_of(bundle)
    return error


def append(bundle: Path, name: str, line: str) -> None:
    with (bundle / name).open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def replace_in(bundle: Path, name: str, old: str, new: str) -> None:
    path = bundle / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def where(issue: ImportIssue) -> tuple[str, str, int | None, str | None]:
    return issue.file, issue.code, issue.line, issue.column


# -- files and structure ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["competencies.csv", "roles.csv", "requirements.csv"])
def test_missing_required_file(bundle: Path, name: str) -> None:
    (bundle / name).unlink()
    assert where(only_error(bundle)) == (name, "missing_file", None, None)


def test_missing_file_message_in_both_languages(bundle: Path) -> None:
    (bundle / "requirements.csv").unlink()
    error = only_error(bundle)
    assert error.describe("fr") == "requirements.csv : erreur : fichier manquant"
    assert error.describe("en") == "requirements.csv: error: missing file"


def test_missing_required_column(bundle: Path) -> None:
    replace_in(bundle, "competencies.csv", ",category,", ",categorie,")
    assert where(only_error(bundle)) == (
        "competencies.csv",
        "missing_column",
        1,
        "category",
    ), "references to competencies are not checked against a file that could not be read"


def test_column_given_twice(bundle: Path) -> None:
    replace_in(bundle, "transitions.csv", "from_role,to_role,kind", "from_role,to_role,kind,kind")
    for row in ("curated", "derived"):
        replace_in(bundle, "transitions.csv", f",{row}\n", f",{row},{row}\n")
    error = only_error(bundle)
    assert where(error) == ("transitions.csv", "duplicate_column", 1, "kind")
    assert error.reason("fr") == "colonne « kind » présente deux fois dans l'en-tête"


@pytest.mark.parametrize("content", [b"", b"  \n\r\n\t\n"], ids=["zero-bytes", "whitespace"])
def test_empty_file(bundle: Path, content: bytes) -> None:
    (bundle / "roles.csv").write_bytes(content)
    assert where(only_error(bundle)) == ("roles.csv", "empty_file", None, None)


def test_header_without_rows_for_roles(bundle: Path) -> None:
    (bundle / "roles.csv").write_text(
        "code,title,family,rome_code,qualification_level,description\n"
    )
    errors = errors_of(bundle)
    assert where(errors[0]) == ("roles.csv", "no_rows", None, None)
    assert {e.code for e in errors[1:]} == {"unknown_reference"}


def test_bad_encoding_names_the_line_and_column_of_the_first_bad_byte(bundle: Path) -> None:
    text = (
        "code,label,category,description,level_1,level_2,level_3,level_4\n"
        "ORG_AGENDA,Gerer des agendas,organisation,,,,,\n"
        "ORG_CLASSEMENT,Classer,organisation,,,,,\n"
        "NUM_TABLEUR,Utiliser un tableur,numerique,,,,,\n"
        "COM_ECRIT,Rédiger,communication écrite,Coût 10 €,,,,\n"
    )
    (bundle / "competencies.csv").write_bytes(text.encode("iso-8859-15"))
    error = only_error(bundle)
    assert where(error) == ("competencies.csv", "bad_encoding", 5, "label")
    assert error.describe("fr") == (
        "competencies.csv, ligne 5, colonne « label » : erreur : encodage invalide : le fichier "
        "n'est pas en UTF-8 (octet 0xE9 ; enregistrez-le en UTF-8)"
    )
    assert error.describe("en") == (
        "competencies.csv, line 5, column 'label': error: invalid encoding: the file is not "
        "UTF-8 (byte 0xE9; save it as UTF-8)"
    )


def test_bad_encoding_in_the_header(bundle: Path) -> None:
    (bundle / "role_titles.csv").write_bytes("rôle,title\n".encode("latin-1"))
    assert where(only_error(bundle)) == ("role_titles.csv", "bad_encoding", 1, None)


def test_semicolon_delimiter(bundle: Path) -> None:
    path = bundle / "roles.csv"
    path.write_text(
        "code;title;family;rome_code;qualification_level;description\nA;Assistant;;;;\n"
    )
    error = only_error(bundle)
    assert where(error) == ("roles.csv", "wrong_delimiter", 1, None)
    assert error.reason("fr") == "séparateur incorrect : « ; » trouvé, la virgule est attendue"


def test_tab_delimiter(bundle: Path) -> None:
    path = bundle / "requirements.csv"
    path.write_text(path.read_text().replace(",", "\t"))
    error = only_error(bundle)
    assert where(error) == ("requirements.csv", "wrong_delimiter_tab", 1, None)
    assert error.reason("en") == "wrong delimiter: tab found, a comma is expected"


def test_semicolons_among_commas_in_the_header(bundle: Path) -> None:
    replace_in(bundle, "roles.csv", "code,title,family,", "code;title;family,")
    assert where(only_error(bundle)) == ("roles.csv", "wrong_delimiter", 1, None)


@pytest.mark.parametrize(
    ("row", "found"),
    [("DAF,Directeur·rice,finance,M1205,7", 5), ("DAF,Directeur·rice,finance,M1205,7,,x", 7)],
    ids=["too-few", "too-many"],
)
def test_wrong_field_count(bundle: Path, row: str, found: int) -> None:
    append(bundle, "roles.csv", row)
    error = only_error(bundle)
    assert where(error) == ("roles.csv", "wrong_field_count", 5, None)
    assert error.params == {"found": found, "expected": 6}


def test_unclosed_quote_is_located_where_the_quote_opens(bundle: Path) -> None:
    append(bundle, "role_titles.csv", 'OFFICE_MANAGER,"Responsable des services généraux')
    append(bundle, "role_titles.csv", "OFFICE_MANAGER,Chargé·e des services généraux")
    assert where(only_error(bundle)) == ("role_titles.csv", "unclosed_quote", 5, None)


def test_text_after_a_closing_quote(bundle: Path) -> None:
    append(bundle, "role_titles.csv", 'OFFICE_MANAGER,"Office" manager')
    assert where(only_error(bundle)) == ("role_titles.csv", "bad_quote", 5, None)


def test_line_numbers_count_physical_lines(bundle: Path) -> None:
    """A multi-line description (lines 4–5) and blank lines shift lines as in an editor."""
    append(bundle, "competencies.csv", "")
    append(bundle, "competencies.csv", "ORG_AGENDA,Doublon,organisation,,,,,")
    error = only_error(bundle)
    assert where(error) == ("competencies.csv", "duplicate_code", 8, "code")
    assert error.params == {"value": "ORG_AGENDA", "first_line": 2}


# -- references -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "row", "line", "column", "target"),
    [
        ("requirements.csv", "INCONNU,ORG_AGENDA,2,essential", 10, "role", "roles.csv"),
        (
            "requirements.csv",
            "SECRETAIRE,INCONNUE,2,essential",
            10,
            "competency",
            "competencies.csv",
        ),
        ("training_outcomes.csv", "INCONNUE,ORG_AGENDA,2", 6, "training", "trainings.csv"),
        ("transitions.csv", "SECRETAIRE,INCONNU,curated", 4, "to_role", "roles.csv"),
        ("role_titles.csv", "INCONNU,Assistant·e", 5, "role", "roles.csv"),
    ],
    ids=[
        "requirement-role",
        "requirement-competency",
        "outcome-training",
        "transition-target",
        "alt-title-role",
    ],
)
def test_unknown_reference(
    bundle: Path, name: str, row: str, line: int, column: str, target: str
) -> None:
    append(bundle, name, row)
    error = only_error(bundle)
    assert where(error) == (name, "unknown_reference", line, column)
    assert error.params["target"] == target


def test_unknown_reference_message_in_both_languages(bundle: Path) -> None:
    append(bundle, "requirements.csv", "INCONNU,ORG_AGENDA,2,essential")
    error = only_error(bundle)
    assert error.describe("fr") == (
        "requirements.csv, ligne 10, colonne « role » : erreur : "
        "« INCONNU » ne correspond à aucun code de roles.csv"
    )
    assert error.describe("en") == (
        "requirements.csv, line 10, column 'role': error: 'INCONNU' matches no code in roles.csv"
    )


def test_outcome_on_a_training_when_trainings_file_is_absent(bundle: Path) -> None:
    (bundle / "trainings.csv").unlink()
    errors = errors_of(bundle)
    assert [where(e) for e in errors] == [
        ("training_outcomes.csv", "unknown_reference", line, "training") for line in (2, 3, 4, 5)
    ]


def test_self_transition(bundle: Path) -> None:
    append(bundle, "transitions.csv", "SECRETAIRE,SECRETAIRE,curated")
    error = only_error(bundle)
    assert where(error) == ("transitions.csv", "self_transition", 4, "to_role")
    assert error.reason("fr") == "une transition ne peut pas relier un métier à lui-même"


def test_duplicate_transition(bundle: Path) -> None:
    append(bundle, "transitions.csv", "SECRETAIRE,ASSISTANT_DIRECTION,derived")
    error = only_error(bundle)
    assert where(error) == ("transitions.csv", "duplicate_transition", 4, "to_role")
    assert error.params["first_line"] == 2


# -- duplicates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "row", "line"),
    [
        ("competencies.csv", "COM_ECRIT,Écrire,communication écrite,,,,,", 7),
        ("roles.csv", "SECRETAIRE,Secrétaire bis,,,,", 5),
        ("trainings.csv", "TP_AD,Autre,diplome,,,10,0,distance,false,,,", 5),
    ],
    ids=["competency", "role", "training"],
)
def test_duplicate_code(bundle: Path, name: str, row: str, line: int) -> None:
    append(bundle, name, row)
    error = only_error(bundle)
    assert where(error) == (name, "duplicate_code", line, "code")
    first = 6 if name == "competencies.csv" else 2
    assert error.params == {"value": row.split(",")[0], "first_line": first}


def test_duplicate_requirement(bundle: Path) -> None:
    append(bundle, "requirements.csv", "SECRETAIRE,ORG_AGENDA,3,useful")
    error = only_error(bundle)
    assert where(error) == ("requirements.csv", "duplicate_requirement", 10, "competency")
    assert error.describe("fr") == (
        "requirements.csv, ligne 10, colonne « competency » : erreur : le métier « SECRETAIRE » "
        "a déjà une exigence sur la compétence « ORG_AGENDA » (ligne 2)"
    )


def test_duplicate_outcome(bundle: Path) -> None:
    append(bundle, "training_outcomes.csv", "TP_AD,ORG_AGENDA,4")
    assert where(only_error(bundle)) == (
        "training_outcomes.csv",
        "duplicate_outcome",
        6,
        "competency",
    )


def test_duplicate_alternative_title(bundle: Path) -> None:
    append(bundle, "role_titles.csv", "SECRETAIRE,Secrétaire polyvalent·e")
    error = only_error(bundle)
    assert where(error) == ("role_titles.csv", "duplicate_row", 5, "title")
    assert error.params == {"first_line": 3}


def test_two_provenance_rows(bundle: Path) -> None:
    append(bundle, "provenance.csv", "autre,2,2025-02-01,")
    assert where(only_error(bundle)) == ("provenance.csv", "too_many_rows", 3, None)


# -- values -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("5", "level_out_of_range"),
        ("0", "level_out_of_range"),
        ("deux", "not_integer"),
        ("2.5", "not_integer"),
    ],
)
def test_requirement_level(bundle: Path, value: str, code: str) -> None:
    replace_in(
        bundle, "requirements.csv", "SECRETAIRE,COM_ECRIT,2,", f"SECRETAIRE,COM_ECRIT,{value},"
    )
    error = only_error(bundle)
    assert where(error) == ("requirements.csv", code, 4, "level")
    assert error.params["value"] == value


def test_level_message_in_both_languages(bundle: Path) -> None:
    replace_in(bundle, "requirements.csv", "SECRETAIRE,COM_ECRIT,2,", "SECRETAIRE,COM_ECRIT,5,")
    error = only_error(bundle)
    assert error.describe("fr") == (
        "requirements.csv, ligne 4, colonne « level » : erreur : "
        "niveau « 5 » hors de l'intervalle 1 à 4"
    )
    assert error.describe("en") == (
        "requirements.csv, line 4, column 'level': error: level '5' outside the range 1 to 4"
    )


@pytest.mark.parametrize(("value", "code"), [("5", "level_out_of_range"), ("deux", "not_integer")])
def test_outcome_level(bundle: Path, value: str, code: str) -> None:
    replace_in(
        bundle,
        "training_outcomes.csv",
        "TABLEUR_AVANCE,NUM_TABLEUR,3",
        f"TABLEUR_AVANCE,NUM_TABLEUR,{value}",
    )
    assert where(only_error(bundle)) == ("training_outcomes.csv", code, 4, "level")


def test_qualification_level_outside_1_to_8(bundle: Path) -> None:
    replace_in(bundle, "roles.csv", "M1607,4,", "M1607,9,")
    error = only_error(bundle)
    assert where(error) == ("roles.csv", "out_of_range", 2, "qualification_level")
    assert error.reason("fr") == "« 9 » hors de l'intervalle 1 à 8"


def test_negative_hours(bundle: Path) -> None:
    replace_in(bundle, "trainings.csv", ",12.5,390,", ",-12.5,390,")
    error = only_error(bundle)
    assert where(error) == ("trainings.csv", "negative", 3, "hours")
    assert error.reason("fr") == "« -12.5 » est négatif"


def test_non_numeric_cost(bundle: Path) -> None:
    replace_in(bundle, "trainings.csv", ",12.5,390,", ",12.5,gratuit,")
    error = only_error(bundle)
    assert where(error) == ("trainings.csv", "not_number", 3, "cost_eur")
    assert error.describe("en") == (
        "trainings.csv, line 3, column 'cost_eur': error: 'gratuit' is not a number"
    )


@pytest.mark.parametrize(
    ("name", "old", "new", "line", "column", "allowed"),
    [
        (
            "requirements.csv",
            "COM_ECRIT,2,useful",
            "COM_ECRIT,2,indispensable",
            4,
            "weight",
            "essential, useful",
        ),
        ("transitions.csv", ",curated", ",officielle", 2, "kind", "curated, derived"),
        (
            "trainings.csv",
            ",formation_courte,",
            ",licence,",
            3,
            "kind",
            "diplome, titre_pro, certification, formation_courte, vae, action",
        ),
        (
            "trainings.csv",
            ",distance,",
            ",en ligne,",
            3,
            "modality",
            "presentiel, distance, hybride, alternance",
        ),
    ],
    ids=["weight", "transition-kind", "training-kind", "modality"],
)
def test_value_outside_the_allowed_list(
    bundle: Path, name: str, old: str, new: str, line: int, column: str, allowed: str
) -> None:
    replace_in(bundle, name, old, new)
    error = only_error(bundle)
    assert where(error) == (name, "bad_choice", line, column)
    assert error.params["allowed"] == allowed


def test_cpf_not_a_yes_no_value(bundle: Path) -> None:
    replace_in(bundle, "trainings.csv", ",distance,false,", ",distance,peut-être,")
    error = only_error(bundle)
    assert where(error) == ("trainings.csv", "bad_boolean", 3, "cpf")
    assert error.reason("fr") == (
        "« peut-être » n'est pas une valeur oui/non (true, false, oui, non, 1, 0)"
    )


@pytest.mark.parametrize(
    ("name", "old", "new", "line", "column"),
    [
        ("roles.csv", "OFFICE_MANAGER,Office manager,", "OFFICE_MANAGER,,", 4, "title"),
        (
            "competencies.csv",
            "ORG_CLASSEMENT,Classer et archiver,organisation,",
            "ORG_CLASSEMENT,Classer et archiver,,",
            3,
            "category",
        ),
        ("trainings.csv", ",12.5,390,", ",,390,", 3, "hours"),
        ("requirements.csv", "COM_ECRIT,2,useful", "COM_ECRIT,2,", 4, "weight"),
    ],
    ids=["title", "category", "hours", "weight"],
)
def test_required_value_left_empty(
    bundle: Path, name: str, old: str, new: str, line: int, column: str
) -> None:
    replace_in(bundle, name, old, new)
    assert where(only_error(bundle)) == (name, "required", line, column)


# -- the report as a whole --------------------------------------------------------------------


def test_every_error_of_every_file_is_reported_in_file_and_line_order(bundle: Path) -> None:
    append(bundle, "roles.csv", "SECRETAIRE,Doublon,,,,")
    append(bundle, "requirements.csv", "SECRETAIRE,INCONNUE,5,essential")
    append(bundle, "requirements.csv", "OFFICE_MANAGER,COM_ECRIT,2,souhaitable")
    replace_in(bundle, "trainings.csv", ",12.5,390,", ",-1,gratuit,")
    (bundle / "training_outcomes.csv").write_bytes(b"")
    with pytest.raises(ImportRejected) as caught:
        read_bundle(bundle)
    assert [where(e) for e in caught.value.issues] == [
        ("roles.csv", "duplicate_code", 5, "code"),
        ("requirements.csv", "unknown_reference", 10, "competency"),
        ("requirements.csv", "level_out_of_range", 10, "level"),
        ("requirements.csv", "bad_choice", 11, "weight"),
        ("trainings.csv", "negative", 3, "hours"),
        ("trainings.csv", "not_number", 3, "cost_eur"),
        ("training_outcomes.csv", "empty_file", None, None),
    ]
    assert str(caught.value) == "7 error(s) in import"
    assert caught.value.report("en").splitlines()[0] == (
        "roles.csv, line 5, column 'code': error: duplicate code 'SECRETAIRE' "
        "(already seen on line 2)"
    )


def test_warnings_travel_with_the_errors_of_a_rejected_import(bundle: Path) -> None:
    replace_in(bundle, "transitions.csv", "from_role,to_role,kind", "from_role,to_role,kind,")
    for row in ("curated", "derived"):
        replace_in(bundle, "transitions.csv", f",{row}\n", f",{row},\n")
    append(bundle, "transitions.csv", "OFFICE_MANAGER,OFFICE_MANAGER,curated,")
    with pytest.raises(ImportRejected) as caught:
        read_bundle(bundle)
    [warning] = caught.value.warnings
    assert (warning.code, warning.params) == ("unnamed_column", {"position": 4})
    assert warning.describe("fr") == (
        "transitions.csv, ligne 1 : avertissement : colonne sans nom (position 4) ignorée"
    )
    assert [e.code for e in caught.value.errors] == ["self_transition"]


# -- blocs de compétences -----------------------------------------------------------------------

BLOCS = (
    "certification,bloc,title,competency\n"
    "TP_AD,CCP1,Assister un dirigeant au quotidien,ORG_AGENDA\n"
    "TP_AD,CCP2,Gérer l'information,COM_ECRIT\n"
)


@pytest.fixture
def with_blocs(bundle: Path) -> Path:
    (bundle / "certification_blocs.csv").write_text(BLOCS, encoding="utf-8")
    return bundle


def test_blocs_are_read_in_file_order(with_blocs: Path) -> None:
    ref = read_bundle(with_blocs).referential
    assert [(b.certification, b.code, b.title, b.competencies) for b in ref.blocs] == [
        ("TP_AD", "CCP1", "Assister un dirigeant au quotidien", ("ORG_AGENDA",)),
        ("TP_AD", "CCP2", "Gérer l'information", ("COM_ECRIT",)),
    ]


def test_a_bloc_certifies_only_outcomes_of_its_certification(with_blocs: Path) -> None:
    bundle = with_blocs
    append(bundle, "certification_blocs.csv", "TP_AD,CCP2,Gérer l'information,NUM_TABLEUR")
    assert where(only_error(bundle)) == (
        "certification_blocs.csv",
        "bloc_competency_not_an_outcome",
        4,
        "competency",
    )


def test_a_bloc_keeps_one_title(with_blocs: Path) -> None:
    bundle = with_blocs
    replace_in(bundle, "certification_blocs.csv", "CCP2,Gérer l'information", "CCP1,Autre titre")
    assert where(only_error(bundle)) == (
        "certification_blocs.csv",
        "bloc_title_differs",
        3,
        "title",
    )


def test_a_competency_is_in_one_bloc_of_a_certification(with_blocs: Path) -> None:
    bundle = with_blocs
    append(bundle, "certification_blocs.csv", "TP_AD,CCP2,Gérer l'information,ORG_AGENDA")
    error = only_error(bundle)
    assert where(error) == ("certification_blocs.csv", "bloc_competency_twice", 4, "competency")
    assert "(ligne 2)" in error.describe("fr")


def test_blocs_belong_to_the_certification_not_to_its_vae(with_blocs: Path) -> None:
    bundle = with_blocs
    append(bundle, "certification_blocs.csv", "VAE_AD,CCP1,Assister un dirigeant,ORG_AGENDA")
    errors = errors_of(bundle)
    assert ("certification_blocs.csv", "bloc_of_a_vae", 4, "certification") in {
        where(e) for e in errors
    }
    assert errors[0].describe("en").startswith("certification_blocs.csv")


def test_a_bloc_of_an_unknown_certification(with_blocs: Path) -> None:
    bundle = with_blocs
    append(bundle, "certification_blocs.csv", "NOPE,CCP1,Un bloc,ORG_AGENDA")
    assert where(only_error(bundle)) == (
        "certification_blocs.csv",
        "unknown_reference",
        4,
        "certification",
    )


def test_a_short_course_has_no_blocs(with_blocs: Path) -> None:
    bundle = with_blocs
    append(bundle, "certification_blocs.csv", "TABLEUR_AVANCE,B1,Tableur,NUM_TABLEUR")
    assert where(only_error(bundle)) == (
        "certification_blocs.csv",
        "bloc_not_a_certification",
        4,
        "certification",
    )
