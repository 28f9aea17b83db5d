"""The `careerpath` command line, as an administrator uses it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from careerpath.cli.main import main
from careerpath.data import repository
from careerpath.data.database import engine_for
from tests.integration.conftest import CURATED_BUNDLE, FIXTURE_BUNDLE


def test_help_lists_the_sub_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "careerpath.cli.main", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for command in ("run", "db", "import", "export", "recommend"):
        assert command in result.stdout


def test_db_init_loads_the_curated_referential_once(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "init", "--database-url", sqlite_url]) == 0
    assert "référentiel careerpath chargé" in capsys.readouterr().out
    engine = engine_for(sqlite_url)
    before = repository.dump(engine)
    assert before["role"], "the curated roles are stored"
    assert main(["db", "init", "--database-url", sqlite_url]) == 0
    assert "déjà présent" in capsys.readouterr().out
    assert repository.dump(engine) == before


def test_import_then_export_a_bundle(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "bundle", str(FIXTURE_BUNDLE), "--database-url", sqlite_url]) == 0
    out = capsys.readouterr()
    assert "Import terminé" in out.out
    assert "métiers :" in out.out and "ajout(s)" in out.out
    assert "█" in out.err  # the progress bar
    target = tmp_path / "export"
    assert main(["export", "bundle", str(target), "--database-url", sqlite_url]) == 0
    for name in ("competencies.csv", "roles.csv", "requirements.csv"):
        assert (target / name).read_bytes() == (FIXTURE_BUNDLE / name).read_bytes()


def test_a_bad_bundle_is_refused_with_a_french_report_naming_file_line_and_column(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(FIXTURE_BUNDLE, broken)
    lines = (broken / "trainings.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("hours")] = "-20"
    lines[1] = ",".join(row)
    (broken / "trainings.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["import", "bundle", str(broken), "--database-url", sqlite_url]) == 1
    err = capsys.readouterr().err
    assert "trainings.csv, ligne 2, colonne « hours »" in err
    assert "rien n'a été écrit" in err


def test_the_english_report_is_available(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["--lang", "en", "import", "bundle", str(tmp_path), "--database-url", sqlite_url]) == 1
    )
    err = capsys.readouterr().err
    assert "missing file" in err
    assert "nothing was written" in err


def test_the_curated_referential_exports_byte_identically(sqlite_url: str, tmp_path: Path) -> None:
    assert main(["import", "bundle", str(CURATED_BUNDLE), "--database-url", sqlite_url]) == 0
    first, second = tmp_path / "a", tmp_path / "b"
    assert main(["export", "bundle", str(first), "--database-url", sqlite_url]) == 0
    assert main(["import", "bundle", str(first), "--database-url", sqlite_url]) == 0
    assert main(["export", "bundle", str(second), "--database-url", sqlite_url]) == 0
    for path in sorted(first.iterdir()):
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


def test_rome_is_imported_with_its_job_titles_and_mobilities(
    sqlite_url: str, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["import", "rome", str(shared_data / "rome-v460"), "--database-url", sqlite_url]) == 0
    )
    assert "Import terminé" in capsys.readouterr().out
    stored = repository.load_referential(engine_for(sqlite_url))
    assert stored is not None
    direction = stored.role_by_code["M1604"]
    assert any("direction" in t.lower() for t in direction.alt_titles)
    assert any(t.to_role == "M1604" for t in stored.transitions)
    assert stored.provenance.version == "v460"
