"""ESCO archives and folders broken on purpose: zip bombs, non-zips, duplicates, dangling links."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from careerpath.data.errors import ImportIssue, ImportRejected
from careerpath.data.importers.esco import read_esco
from tests.conftest import SHARED_DATA
from tests.integration.test_import_esco import (
    OCCUPATION,
    SKILL,
    TINY,
    csv_text,
    write_folder,
    write_zip,
)


def rejected(path: Path) -> list[ImportIssue]:
    with pytest.raises(ImportRejected) as caught:
        read_esco(path)
    return caught.value.errors


def _bomb(path: Path, member: str, size: int) -> Path:
    """A zip whose member is `size` bytes of zeros (it compresses about 1000:1)."""
    files = {k: v for k, v in TINY.items() if k != member}
    write_zip(path, files)
    chunk = b"0" * (1024 * 1024)
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open(member, "w", force_zip64=True) as out,
    ):
        out.write(csv_text(TINY[member][:1]).encode())
        for _ in range(size // len(chunk)):
            out.write(chunk)
    return path


@pytest.mark.timeout(60)
def test_a_zip_bomb_is_refused_before_it_is_decompressed(tmp_path: Path) -> None:
    archive = _bomb(tmp_path / "esco.zip", "occupationSkillRelations.csv", 40 * 1024 * 1024)
    assert archive.stat().st_size < 1024 * 1024
    (issue,) = rejected(archive)
    assert issue.code == "zip_ratio"
    assert issue.file == "esco.zip/occupationSkillRelations.csv"
    assert "archive piégée" in issue.describe("fr")


@pytest.mark.timeout(60)
def test_a_member_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    archive = _bomb(tmp_path / "esco.zip", "skills_en.csv", 70 * 1024 * 1024)
    (issue,) = rejected(archive)
    assert issue.code == "file_too_large"


def test_a_file_that_is_not_a_zip_says_so_in_french(tmp_path: Path) -> None:
    fake = tmp_path / "esco-v1.1.1-classification-en-csv.zip"
    fake.write_bytes(b"PK\x03\x04 not really")
    folder_issues = rejected(tmp_path)
    assert ("bad_zip", fake.name) in {(i.code, i.file) for i in folder_issues}
    text = "\n".join(i.describe("fr") for i in folder_issues)
    assert "File is not a zip file" not in text


def test_a_directory_named_like_a_csv_is_refused(tmp_path: Path) -> None:
    folder = write_folder(
        tmp_path / "esco", {k: v for k, v in TINY.items() if k != "skills_en.csv"}
    )
    (folder / "skills_en.csv").mkdir()
    (issue,) = rejected(folder)
    assert (issue.file, issue.code) == ("skills_en.csv", "not_regular_file")


def test_duplicate_occupation_uris_are_refused(tmp_path: Path) -> None:
    occupations = [*TINY["occupations_en.csv"], TINY["occupations_en.csv"][1]]
    (issue,) = rejected(write_folder(tmp_path, {**TINY, "occupations_en.csv": occupations}))
    assert (issue.code, issue.line, issue.params["first_line"]) == ("duplicate_code", 6, 2)


def test_duplicate_skill_uris_are_refused(tmp_path: Path) -> None:
    skills = [*TINY["skills_en.csv"], TINY["skills_en.csv"][1]]
    (issue,) = rejected(write_folder(tmp_path, {**TINY, "skills_en.csv": skills}))
    assert issue.code == "duplicate_code"


def test_relations_to_unknown_concepts_are_refused_when_they_are_not_a_stray_few(
    tmp_path: Path,
) -> None:
    relations = [
        *TINY["occupationSkillRelations.csv"],
        [OCCUPATION + "gone", "essential", "knowledge", SKILL + "b"],
        [OCCUPATION + "sec", "essential", "knowledge", SKILL + "gone"],
    ]
    issues = rejected(write_folder(tmp_path, {**TINY, "occupationSkillRelations.csv": relations}))
    assert [(i.code, i.column) for i in issues] == [
        ("unknown_reference", "occupationUri"),
        ("unknown_reference", "skillUri"),
    ]


def test_an_occupation_without_any_skill_is_refused(tmp_path: Path) -> None:
    relations = [r for r in TINY["occupationSkillRelations.csv"] if "exa" not in r[0]]
    (issue,) = rejected(write_folder(tmp_path, {**TINY, "occupationSkillRelations.csv": relations}))
    assert issue.code == "roles_without_links"


@pytest.mark.parametrize("character", ["\x00", "\x0b"])
def test_control_characters_in_a_label_are_refused(tmp_path: Path, character: str) -> None:
    skills = [list(row) for row in TINY["skills_en.csv"]]
    skills[1][4] = f"manage{character}diaries"
    (issue,) = rejected(write_folder(tmp_path, {**TINY, "skills_en.csv": skills}))
    assert (issue.code, issue.line, issue.column) == ("control_character", 2, "preferredLabel")


def test_the_real_release_imports_and_names_its_stray_relations() -> None:
    directory = SHARED_DATA / "esco-v1.1.1"
    if not directory.is_dir():
        pytest.skip("real ESCO data not found")
    warnings: list[ImportIssue] = []
    referential = read_esco(directory, warnings=warnings)
    assert len(referential.roles) == 3007
    (warning,) = warnings
    assert warning.code == "dangling_links_ignored"
    assert warning.params["count"] == 67
