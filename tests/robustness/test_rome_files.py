"""ROME 4.0 folders broken the ways real ones break: each is refused with its true reason.

The tiny folder comes from tests/integration/test_import_rome.py; the real release is copied
from /work/shared/data into a temporary folder (read-only source) before being damaged.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from careerpath.data.errors import ImportIssue, ImportRejected
from careerpath.data.importers.limits import MAX_ERRORS_PER_FILE, MAX_FILE_BYTES
from careerpath.data.importers.rome import read_rome
from tests.conftest import SHARED_DATA
from tests.integration.test_import_rome import TINY, write_rome

REAL = SHARED_DATA / "rome-v460"
LINKS = "unix_liens_rome_referentiels_v999_utf8.csv"
FICHES = "unix_referentiel_code_rome_v999_utf8.csv"


def rejected(directory: Path) -> list[ImportIssue]:
    with pytest.raises(ImportRejected) as caught:
        read_rome(directory)
    return caught.value.errors


def codes(issues: list[ImportIssue]) -> set[tuple[str, str]]:
    return {(i.file, i.code) for i in issues}


def tiny(tmp_path: Path, **changes: list[list[str]]) -> Path:
    return write_rome(tmp_path / "rome", {**TINY, **changes})


@pytest.fixture
def real_copy(tmp_path: Path) -> Path:
    if not REAL.is_dir():
        pytest.skip(f"real ROME data not found in {REAL}")
    target = tmp_path / "rome-v460"
    shutil.copytree(REAL, target)
    for path in target.iterdir():
        path.chmod(0o644)
    return target


def test_truncated_real_links_file_is_refused(real_copy: Path) -> None:
    links = real_copy / "unix_liens_rome_referentiels_v460_utf8.csv"
    lines = links.read_bytes().splitlines(keepends=True)
    links.write_bytes(b"".join(lines[: len(lines) // 2]))  # cut at a line break: valid CSV
    (issue,) = rejected(real_copy)
    assert issue.code == "roles_without_links"
    assert issue.file == links.name
    assert int(str(issue.params["count"])) > 500
    assert "fichier tronqué" in issue.describe("fr")


def test_real_links_file_cut_inside_a_quote_is_refused_at_its_line(real_copy: Path) -> None:
    links = real_copy / "unix_liens_rome_referentiels_v460_utf8.csv"
    data = links.read_bytes()
    links.write_bytes(data[: len(data) // 2 + 3])
    issues = rejected(real_copy)
    assert any(i.code == "unclosed_quote" and i.line for i in issues), issues


def test_fiche_count_must_match_the_release_note(real_copy: Path) -> None:
    fiches = real_copy / "unix_referentiel_code_rome_v460_utf8.csv"
    lines = fiches.read_bytes().splitlines(keepends=True)
    fiches.write_bytes(b"".join(lines[:-1]))
    issues = rejected(real_copy)
    assert any(i.code == "count_mismatch" and i.params["expected"] == 1584 for i in issues)


def test_duplicate_code_rome_is_refused_with_both_lines(tmp_path: Path) -> None:
    fiches = [*TINY["referentiel_code_rome"], ["M1607", "Secrétaire bis"]]
    (issue,) = rejected(tiny(tmp_path, referentiel_code_rome=fiches))
    assert (issue.file, issue.code, issue.line) == (FICHES, "duplicate_code", 4)
    assert issue.params == {"value": "M1607", "first_line": 2}


def test_duplicate_competency_code_is_refused(tmp_path: Path) -> None:
    items = [*TINY["referentiel_competence"], ["300", "Autre", "", "", "Savoir-faire", ""]]
    issues = rejected(tiny(tmp_path, referentiel_competence=items))
    assert [i.code for i in issues] == ["duplicate_code"]


@pytest.mark.parametrize(
    ("table", "row"),
    [
        ("liens_rome_referentiels", ["M1604", "5", "1", "555"]),
        ("liens_rome_referentiels", ["X9999", "5", "1", "300"]),
        ("rubrique_mobilite", ["M1607", "Z9999", "3"]),
        ("referentiel_appellation", ["Q0000", "Fantôme"]),
    ],
)
def test_unknown_references_are_refused_not_dropped(
    tmp_path: Path, table: str, row: list[str]
) -> None:
    (issue,) = rejected(tiny(tmp_path, **{table: [*TINY[table], row]}))
    assert issue.code == "unknown_reference"
    assert issue.line == len(TINY[table]) + 1
    assert issue.params["value"] in row


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f"])
def test_control_characters_are_refused_with_line_and_column(
    tmp_path: Path, character: str
) -> None:
    fiches = [TINY["referentiel_code_rome"][0], ["M1607", f"Secr{character}étaire"]]
    fiches += TINY["referentiel_code_rome"][2:]
    (issue,) = rejected(tiny(tmp_path, referentiel_code_rome=fiches))
    assert (issue.code, issue.line, issue.column) == ("control_character", 2, "libelle_rome")
    assert f"U+{ord(character):04X}" in issue.describe("fr")


def test_a_long_field_is_reported_as_long_not_as_an_unclosed_quote(tmp_path: Path) -> None:
    for size, code in ((30_000, "field_too_long"), (200_000, "field_over_limit")):
        fiches = [*TINY["referentiel_code_rome"], ["M1699", "x" * size]]
        issues = rejected(tiny(tmp_path / str(size), referentiel_code_rome=fiches))
        assert [(i.code, i.line) for i in issues][:1] == [(code, 4)]
        assert "field larger" not in issues[0].describe("fr")


def test_errors_are_listed_twenty_per_file_then_counted(tmp_path: Path) -> None:
    bad = [[f"X{n:04d}", "5", "1", "300"] for n in range(5000)]
    issues = rejected(
        tiny(tmp_path, liens_rome_referentiels=[*TINY["liens_rome_referentiels"], *bad])
    )
    in_links = [i for i in issues if i.file == LINKS]
    assert len(in_links) == MAX_ERRORS_PER_FILE + 1
    assert in_links[-1].code == "more_errors"
    assert in_links[-1].params["count"] == 5000 - MAX_ERRORS_PER_FILE
    assert "4980 autres erreurs" in in_links[-1].describe("fr")


@pytest.mark.timeout(20)
def test_a_fifo_in_place_of_a_file_is_refused_without_hanging(tmp_path: Path) -> None:
    folder = tiny(tmp_path)
    (folder / LINKS).unlink()
    os.mkfifo(folder / LINKS)
    (issue,) = rejected(folder)
    assert (issue.file, issue.code) == (LINKS, "not_regular_file")
    assert "tube nommé" in issue.describe("fr")


@pytest.mark.timeout(20)
def test_dev_zero_in_place_of_a_file_is_refused(tmp_path: Path) -> None:
    folder = tiny(tmp_path)
    (folder / LINKS).unlink()
    (folder / LINKS).symlink_to("/dev/zero")
    (issue,) = rejected(folder)
    assert issue.code == "not_regular_file"
    assert "périphérique" in issue.describe("fr")


def test_a_directory_in_place_of_a_file_is_refused_in_french(tmp_path: Path) -> None:
    folder = tiny(tmp_path)
    (folder / LINKS).unlink()
    (folder / LINKS).mkdir()
    (issue,) = rejected(folder)
    assert issue.code == "not_regular_file"
    text = issue.describe("fr")
    assert "un dossier" in text and "Is a directory" not in text


@pytest.mark.timeout(30)
def test_a_200_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    folder = tiny(tmp_path)
    path = folder / LINKS
    with path.open("r+b") as handle:  # sparse: costs no disk
        handle.truncate(200 * 1024 * 1024)
    (issue,) = rejected(folder)
    assert issue.code == "file_too_large"
    assert issue.params["limit"] == "64 Mo"
    assert path.stat().st_size > MAX_FILE_BYTES


def test_a_file_given_instead_of_the_folder_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "rome.csv"
    path.write_text("code_rome\n", encoding="utf-8")
    (issue,) = rejected(path)
    assert issue.code == "not_a_directory"
