"""Our CSV bundle and the database: what cannot be stored is refused before the transaction."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from careerpath.cli.main import main
from careerpath.data import repository
from careerpath.data.database import engine_for
from careerpath.data.errors import ImportRejected
from careerpath.data.importers.bundle import read_bundle
from careerpath.services.referential import import_referential, initialise_database
from tests.integration.conftest import FIXTURE_BUNDLE


def broken_bundle(tmp_path: Path, roles_row: str) -> Path:
    bundle = tmp_path / "bundle"
    shutil.copytree(FIXTURE_BUNDLE, bundle)
    with (bundle / "roles.csv").open("a", encoding="utf-8") as handle:
        handle.write(roles_row + "\n")
    return bundle


def test_a_code_longer_than_its_column_is_refused_before_writing_on_both_databases(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    initialise_database(database_url)
    engine = engine_for(database_url)
    before = repository.dump(engine)
    bundle = broken_bundle(tmp_path, "R" * 600 + ",Rôle au code trop long,,,,")
    with pytest.raises(ImportRejected) as caught:
        import_referential("bundle", bundle, database_url)
    (issue,) = caught.value.errors
    assert (issue.code, issue.column) == ("value_too_long", "code")
    assert issue.params["limit"] == 512
    assert repository.dump(engine) == before

    assert main(["import", "bundle", str(bundle), "--database-url", database_url]) == 1
    err = capsys.readouterr().err
    assert "au plus 512" in err and "rien n'a été écrit" in err
    assert "Traceback" not in err and "sqlalchemy" not in err.lower()
    assert repository.dump(engine) == before


def test_a_rome_code_longer_than_its_column_is_refused_on_dry_run_too(
    sqlite_url: str, tmp_path: Path
) -> None:
    bundle = broken_bundle(tmp_path, "LONG,Rôle,,M16071234567,,")
    with pytest.raises(ImportRejected) as caught:
        import_referential("bundle", bundle, sqlite_url, dry_run=True)
    assert [(i.code, i.column) for i in caught.value.errors] == [("value_too_long", "rome_code")]


def test_a_nul_character_in_a_bundle_is_refused_with_its_line(tmp_path: Path) -> None:
    bundle = broken_bundle(tmp_path, "NUL,Rôle\x00nul,,,,")
    with pytest.raises(ImportRejected) as caught:
        read_bundle(bundle)
    (issue,) = caught.value.errors
    assert (issue.file, issue.code, issue.column) == ("roles.csv", "control_character", "title")
    assert issue.line is not None


@pytest.mark.timeout(20)
def test_a_fifo_in_a_bundle_is_refused_without_hanging(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(FIXTURE_BUNDLE, bundle)
    (bundle / "transitions.csv").unlink()
    os.mkfifo(bundle / "transitions.csv")
    with pytest.raises(ImportRejected) as caught:
        read_bundle(bundle)
    assert [(i.file, i.code) for i in caught.value.errors] == [
        ("transitions.csv", "not_regular_file")
    ]


def test_a_bundle_of_a_million_bad_rows_lists_twenty_errors_then_a_count(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(FIXTURE_BUNDLE, bundle)
    with (bundle / "requirements.csv").open("a", encoding="utf-8") as handle:
        handle.write("SECRETAIRE,UNKNOWN,2,essentielle\n" * 200_000)
    with pytest.raises(ImportRejected) as caught:
        read_bundle(bundle)
    errors = caught.value.errors
    assert len(errors) == 21
    assert errors[-1].code == "more_errors"
    # per row: unknown competency, bad weight, and (from the second on) duplicate requirement
    assert errors[-1].params["count"] == 3 * 200_000 - 1 - 20


def test_the_cli_reports_a_directory_given_as_an_esco_file_in_french(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "occupations_en.csv").mkdir()
    assert main(["import", "esco", str(tmp_path), "--database-url", sqlite_url]) == 1
    err = capsys.readouterr().err
    assert "un dossier" in err
    assert "Is a directory" not in err
