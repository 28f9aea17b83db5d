"""The ROME 4.0 importer, on the real open data and on tiny hand-made folders."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from careerpath.data.errors import ImportRejected
from careerpath.data.importers.rome import read_rome
from careerpath.domain.referential import MAX_LEVEL, MIN_LEVEL, Referential, Weight
from tests.conftest import SHARED_DATA


@pytest.fixture(scope="module")
def rome_dir() -> Path:
    directory = SHARED_DATA / "rome-v460"
    if not directory.is_dir():
        pytest.skip(f"real ROME data not found in {directory}")
    return directory


@pytest.fixture(scope="module")
def rome(rome_dir: Path) -> Referential:
    return read_rome(rome_dir)


@pytest.fixture(scope="module")
def rome_without_mobility(rome_dir: Path) -> Referential:
    return read_rome(rome_dir, include_mobility=False)


def assert_consistent(ref: Referential) -> None:
    """No duplicates and no reference to something the referential does not hold."""
    assert len(ref.role_by_code) == len(ref.roles)
    assert len(ref.competency_by_code) == len(ref.competencies)
    pairs = Counter((q.role, q.competency) for q in ref.requirements)
    assert max(pairs.values()) == 1
    assert all(q.role in ref.role_by_code for q in ref.requirements)
    assert all(q.competency in ref.competency_by_code for q in ref.requirements)
    assert all(MIN_LEVEL <= q.level <= MAX_LEVEL for q in ref.requirements)
    moves = Counter((t.from_role, t.to_role) for t in ref.transitions)
    assert not moves or max(moves.values()) == 1
    assert all(t.from_role != t.to_role for t in ref.transitions)
    assert all(
        t.from_role in ref.role_by_code and t.to_role in ref.role_by_code for t in ref.transitions
    )


# --- the real data -----------------------------------------------------------------------


def test_real_rome_counts_match_the_publication(rome: Referential) -> None:
    assert len(rome.roles) == 1584
    assert 20_000 < len(rome.competencies) < 40_000
    assert 80_000 < len(rome.requirements) < 120_000
    # The shared folder holds a subset of the official mobilités (7,298 rows).
    assert 7_000 < len(rome.transitions) <= 7_298


def test_real_rome_has_no_dangling_reference_or_duplicate(rome: Referential) -> None:
    assert_consistent(rome)


def test_assistant_de_direction_is_recognisable(rome: Referential) -> None:
    role = rome.role_by_code["M1604"]
    assert role.title == "Assistant / Assistante de direction"
    assert role.rome_code == "M1604"
    assert role.family == "Secrétariat et assistance"
    assert {"Secrétaire de direction", "Office manager"} <= set(role.alt_titles)
    assert role.title not in role.alt_titles
    assert role.description.startswith("Assiste un ou plusieurs responsable")
    assert "''" not in role.description


def test_assistant_de_direction_has_essential_requirements(rome: Referential) -> None:
    requirements = rome.requirements_by_role["M1604"]
    essential = [q for q in requirements if q.weight is Weight.ESSENTIAL]
    assert essential and all(q.level == 3 for q in essential)
    labels = {rome.competency_by_code[q.competency].label for q in essential}
    assert "Gérer un planning" in labels


def test_savoir_etre_are_competencies_with_their_definition(rome: Referential) -> None:
    rigour = next(
        c for c in rome.competencies if c.label == "Faire preuve de rigueur et de précision"
    )
    assert rigour.category == "Savoir-être professionnel"
    assert rigour.description.startswith("Capacité à")
    assert rigour.levels[0].startswith("Notions : ")
    assert all(rigour.levels)


def test_categories_stay_few(rome: Referential) -> None:
    assert 3 <= len(rome.categories) <= 12


def test_secretaire_can_move_to_assistant_de_direction(rome: Referential) -> None:
    moves = {(t.from_role, t.to_role) for t in rome.transitions}
    assert ("M1607", "M1604") in moves
    assert any(to_role == "M1604" for _, to_role in moves)


def test_without_mobility_there_is_no_transition(
    rome: Referential, rome_without_mobility: Referential
) -> None:
    assert rome_without_mobility.transitions == ()
    assert rome_without_mobility.roles == rome.roles
    assert rome_without_mobility.requirements == rome.requirements


def test_provenance_credits_france_travail(rome: Referential) -> None:
    assert rome.provenance.source == "ROME 4.0 (France Travail)"
    assert rome.provenance.version == "v460"
    assert rome.provenance.date == "2025-09-18"
    assert rome.provenance.licence == "Licence Ouverte / Open Licence 2.0"


# --- tiny hand-made folders ----------------------------------------------------------------

TINY: dict[str, list[list[str]]] = {
    "referentiel_code_rome": [
        ["code_rome", "libelle_rome"],
        ["M1607", "Secrétaire"],
        ["M1604", "Assistant / Assistante de direction"],
    ],
    "referentiel_appellation": [
        ["code_rome", "libelle_appellation_long"],
        ["M1604", "Office manager"],
        ["M1604", "Assistant / Assistante de direction"],
        ["M1604", "Attaché / Attachée de direction"],
        ["M1607", "Secrétaire"],
    ],
    "domaine_professionnel": [
        ["code_domaine_professionnel", "libelle_domaine_professionnel"],
        ["M16", "Secrétariat et assistance"],
    ],
    "grand_domaine": [
        ["code_grand_domaine", "libelle_grand_domaine"],
        ["M", "Support à l'entreprise"],
    ],
    "texte": [
        ["code_rome", "code_compo_bloc", "libelle_type_texte", "position_phrase", "libelle_texte"],
        ["M1604", "3", "definition", "2", "Peut coordonner une équipe."],
        ["M1604", "3", "definition", "1", "Assiste la direction afin d''optimiser son temps."],
        ["M1604", "4", "acces_metier", "1", "Accessible avec un Bac+2."],
    ],
    "referentiel_competence": [
        [
            "code_ogr",
            "libelle_competence",
            "definition",
            "code_ogr_macro_comp",
            "cat_comp",
            "sous_cat_comp",
        ],
        ["300", "Gérer un planning", "", "", "Savoir-faire", "Technique"],
        ["301", "Organiser des déplacements", "", "300", "Savoir-faire", "Technique"],
        [
            "302",
            "Faire preuve de rigueur",
            "Capacité à…",
            "",
            "Savoir-être professionnel",
            "Transverse",
        ],
        ["303", "Jamais cité", "", "", "Savoir-faire", "Transverse"],
    ],
    "referentiel_savoir": [
        ["code_ogr_savoir", "libelle_savoir", "categorie_savoir"],
        ["400", "Techniques de prise de notes", "Techniques professionnelles"],
    ],
    "liens_rome_referentiels": [
        ["code_rome", "code_compo_bloc", "code_rubrique", "code_ogr"],
        ["M1604", "1", "", "999"],
        ["M1604", "5", "1", "300"],
        ["M1604", "5", "1", "300"],
        ["M1604", "5", "1", "301"],
        ["M1604", "5", "2", "302"],
        ["M1604", "5", "3", "400"],
        ["M1607", "5", "1", "300"],
    ],
    "coherence_item": [
        ["code_rome", "code_ogr", "coeur_metier"],
        ["M1604", "300", "Principale"],
        ["M1604", "301", "Émergente"],
        ["M1607", "300", ""],
    ],
    "rubrique_mobilite": [
        ["code_rome", "code_rome_cible", "numero_ordre"],
        ["M1607", "M1604", "1"],
        ["M1607", "M1607", "2"],
        ["M1604", "M1607", "1"],
    ],
}


def write_rome(directory: Path, tables: dict[str, list[list[str]]], release: str = "999") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for table, rows in tables.items():
        path = directory / f"unix_{table}_v{release}_utf8.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, quoting=csv.QUOTE_ALL).writerows(rows)
    return directory


def test_tiny_folder_reads_roles_with_ordered_definition(tmp_path: Path) -> None:
    ref = read_rome(write_rome(tmp_path, TINY))
    role = ref.role_by_code["M1604"]
    assert role.alt_titles == ("Attaché / Attachée de direction", "Office manager")
    assert role.description == (
        "Assiste la direction afin d'optimiser son temps.\nPeut coordonner une équipe."
    )
    assert role.family == "Secrétariat et assistance"
    assert ref.provenance.version == "v999"


def test_tiny_folder_links_become_deduplicated_weighted_requirements(tmp_path: Path) -> None:
    ref = read_rome(write_rome(tmp_path, TINY))
    got = {(q.role, q.competency): (q.weight, q.level) for q in ref.requirements}
    assert got == {
        ("M1604", "300"): (Weight.ESSENTIAL, 3),
        ("M1604", "301"): (Weight.USEFUL, 2),
        ("M1604", "302"): (Weight.USEFUL, 2),
        ("M1604", "400"): (Weight.USEFUL, 2),
        ("M1607", "300"): (Weight.USEFUL, 2),
    }
    # Only linked items become competencies (unknown ones are refused: tests/robustness).
    assert {c.code for c in ref.competencies} == {"300", "301", "302", "400"}
    assert ref.competency_by_code["400"].category == "Savoirs : techniques professionnelles"
    assert "Gérer un planning" in ref.competency_by_code["301"].description
    assert_consistent(ref)


def test_tiny_folder_skips_self_mobilities(tmp_path: Path) -> None:
    ref = read_rome(write_rome(tmp_path, TINY))
    assert {(t.from_role, t.to_role) for t in ref.transitions} == {
        ("M1607", "M1604"),
        ("M1604", "M1607"),
    }


def test_newest_release_is_read_when_two_are_present(tmp_path: Path) -> None:
    write_rome(tmp_path, TINY, release="998")
    newer = {
        **TINY,
        "referentiel_code_rome": [
            *TINY["referentiel_code_rome"],
            ["M1608", "Secrétaire comptable"],
        ],
        "referentiel_appellation": [
            *TINY["referentiel_appellation"],
            ["M1608", "Secrétaire comptable"],
        ],
        "liens_rome_referentiels": [
            *TINY["liens_rome_referentiels"],
            ["M1608", "5", "1", "300"],
        ],
    }
    ref = read_rome(write_rome(tmp_path, newer, release="1001"))
    assert ref.provenance.version == "v1001"
    assert "M1608" in ref.role_by_code


def test_progress_reports_every_step_up_to_the_total(tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    read_rome(
        write_rome(tmp_path, TINY),
        progress=lambda label, done, total: calls.append((label, done, total)),
    )
    assert [done for _, done, _ in calls] == list(range(len(calls)))
    assert calls[-1][1] == calls[-1][2]
    assert any("texte" in label for label, _, _ in calls)


def test_missing_file_is_rejected_with_its_name(tmp_path: Path) -> None:
    tables = {k: v for k, v in TINY.items() if k != "texte"}
    with pytest.raises(ImportRejected) as caught:
        read_rome(write_rome(tmp_path, tables))
    assert [(i.code, i.file) for i in caught.value.errors] == [
        ("missing_file", "unix_texte_v999_utf8.csv")
    ]


def test_missing_mobility_file_is_fine_without_mobility(tmp_path: Path) -> None:
    tables = {k: v for k, v in TINY.items() if k != "rubrique_mobilite"}
    with pytest.raises(ImportRejected):
        read_rome(write_rome(tmp_path / "with", tables))
    ref = read_rome(write_rome(tmp_path / "without", tables), include_mobility=False)
    assert ref.transitions == ()


def test_missing_column_is_rejected_with_file_and_column(tmp_path: Path) -> None:
    links = [[row[0], row[1], row[3]] for row in TINY["liens_rome_referentiels"]]
    with pytest.raises(ImportRejected) as caught:
        read_rome(write_rome(tmp_path, {**TINY, "liens_rome_referentiels": links}))
    (issue,) = caught.value.errors
    assert issue.code == "missing_column"
    assert issue.file == "unix_liens_rome_referentiels_v999_utf8.csv"
    assert issue.column == "code_rubrique"
    assert "code_rubrique" in issue.describe("fr")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    tables = {k: v for k, v in TINY.items() if k != "texte"}
    tables["coherence_item"] = [["code_rome", "code_ogr"], ["M1604", "300"]]
    with pytest.raises(ImportRejected) as caught:
        read_rome(write_rome(tmp_path, tables))
    assert {i.code for i in caught.value.errors} == {"missing_file", "missing_column"}


def test_blank_code_is_rejected_with_its_line(tmp_path: Path) -> None:
    fiches = [*TINY["referentiel_code_rome"], ["", "Sans code"]]
    with pytest.raises(ImportRejected) as caught:
        read_rome(write_rome(tmp_path, {**TINY, "referentiel_code_rome": fiches}))
    (issue,) = caught.value.errors
    assert (issue.code, issue.line, issue.column) == ("required", 4, "code_rome")


def test_folder_that_does_not_exist_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as caught:
        read_rome(tmp_path / "absent")
    assert caught.value.errors[0].code == "missing_file"


def test_folder_without_rome_files_names_what_is_expected(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as caught:
        read_rome(tmp_path)
    files = {i.file for i in caught.value.errors}
    assert "unix_referentiel_code_rome_v*_utf8.csv" in files


def test_file_not_saved_as_utf8_is_rejected(tmp_path: Path) -> None:
    write_rome(tmp_path, TINY)
    texts = tmp_path / "unix_texte_v999_utf8.csv"
    texts.write_bytes(texts.read_text(encoding="utf-8").encode("cp1252"))
    with pytest.raises(ImportRejected) as caught:
        read_rome(tmp_path)
    (issue,) = caught.value.errors
    assert (issue.code, issue.file) == ("bad_encoding", "unix_texte_v999_utf8.csv")


def test_semicolon_separated_file_is_rejected(tmp_path: Path) -> None:
    write_rome(tmp_path, TINY)
    fiches = tmp_path / "unix_referentiel_code_rome_v999_utf8.csv"
    fiches.write_text("code_rome;libelle_rome\nM1607;Secrétaire\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        read_rome(tmp_path)
    (issue,) = caught.value.errors
    assert (issue.code, issue.params) == ("wrong_delimiter", {"found": ";"})
