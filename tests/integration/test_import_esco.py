"""The ESCO importer, on the official v1.1.1 archives and on tiny hand-made files."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from careerpath.data.errors import ImportRejected
from careerpath.data.importers.esco import read_esco
from careerpath.domain.referential import Referential, Role, Weight
from tests.conftest import SHARED_DATA

OCCUPATION = "http://data.europa.eu/esco/occupation/"
SKILL = "http://data.europa.eu/esco/skill/"


@pytest.fixture(scope="module")
def esco_dir() -> Path:
    directory = SHARED_DATA / "esco-v1.1.1"
    if not directory.is_dir():
        pytest.skip(f"real ESCO data not found in {directory}")
    return directory


@pytest.fixture(scope="module")
def esco(esco_dir: Path) -> Referential:
    return read_esco(esco_dir)


def role_titled(ref: Referential, title: str) -> Role:
    return next(r for r in ref.roles if r.title == title)


# --- the official archives -----------------------------------------------------------------


def test_real_esco_counts_match_the_publication(esco: Referential) -> None:
    assert len(esco.roles) == 3007
    assert len(esco.competencies) == 13_896
    # 123,855 relations, less the 67 of an occupation absent from occupations_en.csv.
    assert len(esco.requirements) == 123_855 - 67
    assert esco.transitions == ()


def test_real_esco_has_no_dangling_reference_or_duplicate(esco: Referential) -> None:
    assert len(esco.role_by_code) == len(esco.roles)
    assert len(esco.competency_by_code) == len(esco.competencies)
    pairs = Counter((q.role, q.competency) for q in esco.requirements)
    assert max(pairs.values()) == 1
    assert all(q.role in esco.role_by_code for q in esco.requirements)
    assert all(q.competency in esco.competency_by_code for q in esco.requirements)


def test_secretary_is_found_with_its_other_titles(esco: Referential) -> None:
    secretary = role_titled(esco, "secretary")
    assert secretary.code.startswith(OCCUPATION)
    assert secretary.family == "Secretaries (general)"
    assert "administrative assistant" in secretary.alt_titles
    assert "secretary" not in secretary.alt_titles
    assert secretary.description.startswith("Secretaries perform")


def test_executive_assistant_has_essential_and_useful_requirements(esco: Referential) -> None:
    assistant = role_titled(esco, "executive assistant")
    assert assistant.family == "Administrative and executive secretaries"
    weights = {(q.weight, q.level) for q in esco.requirements_by_role[assistant.code]}
    assert weights == {(Weight.ESSENTIAL, 3), (Weight.USEFUL, 2)}


def test_skills_are_grouped_in_a_bounded_set_of_categories(esco: Referential) -> None:
    assert 10 <= len(esco.categories) <= 40
    assert "Skills: management skills" in esco.categories
    assert "Knowledge: business, administration and law" in esco.categories


def test_skills_carry_level_descriptors(esco: Referential) -> None:
    skill = next(c for c in esco.competencies if c.label == "manage musical staff")
    assert skill.description.startswith("Assign and manage staff tasks")
    assert all("manage musical staff" in level for level in skill.levels)


def test_provenance_credits_the_commission(esco: Referential) -> None:
    assert esco.provenance.source == "ESCO v1.1.1 (European Commission)"
    assert esco.provenance.licence == "Commission Decision 2011/833/EU"


# --- tiny hand-made files ------------------------------------------------------------------

TINY: dict[str, list[list[str]]] = {
    "occupations_en.csv": [
        ["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "description"],
        [
            "Occupation",
            OCCUPATION + "sec",
            "4120",
            "secretary",
            "typist\nsecretary\noffice worker",
            "Keeps things running.",
        ],
        [
            "Occupation",
            OCCUPATION + "exa",
            "3343",
            "executive assistant",
            "",
            "Assists executives.",
        ],
    ],
    "ISCOGroups_en.csv": [
        ["conceptType", "conceptUri", "code", "preferredLabel"],
        ["ISCOGroup", "http://data.europa.eu/esco/isco/C4120", "4120", "Secretaries (general)"],
    ],
    "skills_en.csv": [
        ["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "description"],
        [
            "KnowledgeSkillCompetence",
            SKILL + "a",
            "skill/competence",
            "cross-sector",
            "manage diaries",
            "Keep diaries.",
        ],
        [
            "KnowledgeSkillCompetence",
            SKILL + "b",
            "knowledge",
            "cross-sector",
            "office software",
            "Word, sheets.",
        ],
    ],
    "occupationSkillRelations.csv": [
        ["occupationUri", "relationType", "skillType", "skillUri"],
        [OCCUPATION + "sec", "optional", "skill/competence", SKILL + "a"],
        [OCCUPATION + "sec", "essential", "skill/competence", SKILL + "a"],
        [OCCUPATION + "sec", "optional", "knowledge", SKILL + "b"],
        [OCCUPATION + "exa", "essential", "knowledge", SKILL + "b"],
    ],
}


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def write_folder(directory: Path, files: dict[str, list[list[str]]]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        (directory / name).write_text(csv_text(rows), encoding="utf-8")
    return directory


def write_zip(path: Path, files: dict[str, list[list[str]]]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, rows in files.items():
            archive.writestr(name, csv_text(rows))
    return path


def test_extracted_folder_is_read(tmp_path: Path) -> None:
    ref = read_esco(write_folder(tmp_path, TINY))
    secretary = ref.role_by_code[OCCUPATION + "sec"]
    assert secretary.alt_titles == ("typist", "office worker")
    assert secretary.family == "Secretaries (general)"
    assert ref.role_by_code[OCCUPATION + "exa"].family == ""
    got = {(q.role, q.competency): (q.weight, q.level) for q in ref.requirements}
    assert got == {
        (OCCUPATION + "sec", SKILL + "a"): (Weight.ESSENTIAL, 3),
        (OCCUPATION + "sec", SKILL + "b"): (Weight.USEFUL, 2),
        (OCCUPATION + "exa", SKILL + "b"): (Weight.ESSENTIAL, 3),
    }
    # Without the skills hierarchy, skills fall back to their type.
    assert ref.competency_by_code[SKILL + "b"].category == "Knowledge"
    assert ref.provenance.source == "ESCO (European Commission)"


def test_single_zip_and_folder_of_zips_are_read(tmp_path: Path) -> None:
    single = write_zip(tmp_path / "esco-v9.9-all.zip", TINY)
    folder = tmp_path / "split"
    folder.mkdir()
    write_zip(
        folder / "esco-v9.9-classification.zip",
        {k: v for k, v in TINY.items() if "Relations" not in k},
    )
    write_zip(
        folder / "esco-v9.9-relations.zip",
        {"occupationSkillRelations.csv": TINY["occupationSkillRelations.csv"]},
    )
    extracted = read_esco(write_folder(tmp_path / "extracted", TINY))
    from_single, from_folder = read_esco(single), read_esco(folder)
    assert from_single.version == from_folder.version == extracted.version
    assert len(from_folder.requirements) == 3
    assert from_single.provenance.version == from_folder.provenance.version == "v9.9"


def test_missing_file_is_rejected_with_its_name(tmp_path: Path) -> None:
    files = {k: v for k, v in TINY.items() if k != "ISCOGroups_en.csv"}
    with pytest.raises(ImportRejected) as caught:
        read_esco(write_folder(tmp_path, files))
    assert [(i.code, i.file) for i in caught.value.errors] == [
        ("missing_file", "ISCOGroups_en.csv")
    ]


def test_missing_column_is_rejected_with_file_and_column(tmp_path: Path) -> None:
    skills = [[row[1], row[2], row[4]] for row in TINY["skills_en.csv"]]
    archive = write_zip(tmp_path / "esco.zip", {**TINY, "skills_en.csv": skills})
    with pytest.raises(ImportRejected) as caught:
        read_esco(archive)
    (issue,) = caught.value.errors
    assert issue.code == "missing_column"
    assert issue.file == "esco.zip/skills_en.csv"
    assert issue.column == "description"


def test_file_that_is_not_a_zip_is_refused_as_such(tmp_path: Path) -> None:
    fake = tmp_path / "esco.zip"
    fake.write_text("this is not an archive", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        read_esco(fake)
    assert [(i.code, i.file) for i in caught.value.errors] == [("bad_zip", "esco.zip")]
    assert "n'est pas une archive zip valide" in caught.value.report("fr")


def test_corrupt_zip_member_is_refused_as_damaged(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "esco.zip", TINY)
    data = bytearray(archive.read_bytes())
    start = data.index(b"occupationSkillRelations.csv") + len("occupationSkillRelations.csv")
    for offset in range(start + 20, start + 60):
        data[offset] ^= 0xFF
    archive.write_bytes(bytes(data))
    with pytest.raises(ImportRejected) as caught:
        read_esco(archive)
    issues = [(i.code, i.file) for i in caught.value.errors]
    assert issues == [("corrupt_member", "esco.zip/occupationSkillRelations.csv")]


def test_unknown_relation_type_is_rejected_with_its_line(tmp_path: Path) -> None:
    relations = [
        *TINY["occupationSkillRelations.csv"],
        [OCCUPATION + "sec", "mandatory", "", SKILL + "a"],
    ]
    with pytest.raises(ImportRejected) as caught:
        read_esco(write_folder(tmp_path, {**TINY, "occupationSkillRelations.csv": relations}))
    (issue,) = caught.value.errors
    assert (issue.code, issue.line, issue.column) == ("bad_choice", 6, "relationType")
    assert "mandatory" in issue.describe("en")


def test_path_that_does_not_exist_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as caught:
        read_esco(tmp_path / "absent")
    assert caught.value.errors[0].code == "missing_file"


def test_blank_title_is_reported_on_the_line_where_its_row_starts(tmp_path: Path) -> None:
    # The secretary's alternative titles span lines 2 to 4, so the untitled row is on line 6.
    untitled = ["Occupation", OCCUPATION + "nil", "4120", "", "", ""]
    occupations = [*TINY["occupations_en.csv"], untitled]
    with pytest.raises(ImportRejected) as caught:
        read_esco(write_folder(tmp_path, {**TINY, "occupations_en.csv": occupations}))
    (issue,) = caught.value.errors
    assert (issue.code, issue.line, issue.column) == ("required", 6, "preferredLabel")
