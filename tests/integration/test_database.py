"""The stored referential: migrations, round trips, atomic imports, change reports.

Each test runs on SQLite and on the local PostgreSQL server.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy

from careerpath.data import repository
from careerpath.data.database import current_revision, engine_for, head_revision, upgrade
from careerpath.data.errors import ImportRejected
from careerpath.data.importers.bundle import read_bundle
from careerpath.services import referential as service
from careerpath.services.referential import CURATED_BUNDLE
from tests.integration.conftest import FIXTURE_BUNDLE


def test_migrations_create_every_table_on_an_empty_database(database_url: str) -> None:
    engine = engine_for(database_url)
    upgrade(engine)
    tables = set(sqlalchemy.inspect(engine).get_table_names())
    assert {
        "competency",
        "role",
        "role_title",
        "requirement",
        "transition",
        "training",
        "training_outcome",
        "referential_info",
    } <= tables
    assert current_revision(engine) == head_revision()
    upgrade(engine)  # a second run changes nothing
    assert current_revision(engine) == head_revision()


def test_a_stored_referential_reads_back_identical(database_url: str) -> None:
    original = read_bundle(FIXTURE_BUNDLE).referential
    service.import_referential("bundle", FIXTURE_BUNDLE, database_url)
    loaded = repository.load_referential(engine_for(database_url))
    assert loaded == original
    assert loaded is not None and loaded.version == original.version


def test_export_import_export_is_byte_identical(database_url: str, tmp_path: Path) -> None:
    service.import_referential("bundle", FIXTURE_BUNDLE, database_url)
    first, second = tmp_path / "first", tmp_path / "second"
    service.export_referential(first, database_url)
    service.import_referential("bundle", first, database_url)
    service.export_referential(second, database_url)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_schema_refuses_a_level_outside_1_to_4(database_url: str) -> None:
    service.import_referential("bundle", FIXTURE_BUNDLE, database_url)
    engine = engine_for(database_url)
    with pytest.raises(sqlalchemy.exc.IntegrityError), engine.begin() as connection:
        connection.execute(sqlalchemy.text("UPDATE requirement SET level = 5"))


def test_schema_refuses_a_requirement_on_an_unknown_role(database_url: str) -> None:
    service.import_referential("bundle", FIXTURE_BUNDLE, database_url)
    engine = engine_for(database_url)
    competency = read_bundle(FIXTURE_BUNDLE).referential.competencies[0].code
    with pytest.raises(sqlalchemy.exc.IntegrityError), engine.begin() as connection:
        connection.execute(
            sqlalchemy.text(
                "INSERT INTO requirement (role, competency, position, level, weight) "
                "VALUES ('NO_SUCH_ROLE', :c, 999, 2, 'essential')"
            ),
            {"c": competency},
        )


def _append(name: str, text: str) -> Callable[[Path], None]:
    def damage(bundle: Path) -> None:
        with (bundle / name).open("a", encoding="utf-8") as f:
            f.write(text)

    return damage


def _replace(name: str, content: bytes) -> Callable[[Path], None]:
    def damage(bundle: Path) -> None:
        (bundle / name).write_bytes(content)

    return damage


def _latin1(bundle: Path) -> None:
    path = bundle / "roles.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("iso-8859-15", errors="replace"))


def _semicolons(bundle: Path) -> None:
    path = bundle / "requirements.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")


DAMAGES: dict[str, tuple[Callable[[Path], None], str]] = {
    "unknown role": (
        _append("requirements.csv", "NO_SUCH_ROLE,X,2,essential\n"),
        "unknown_reference",
    ),
    "missing file": (lambda b: (b / "roles.csv").unlink(), "missing_file"),
    "empty file": (_replace("competencies.csv", b""), "empty_file"),
    "wrong encoding": (_latin1, "bad_encoding"),
    "wrong delimiter": (_semicolons, "wrong_delimiter"),
    "level out of range": (_append("training_outcomes.csv", "X,Y,7\n"), "level_out_of_range"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_rejected_import_leaves_the_database_exactly_as_before(
    database_url: str, tmp_path: Path, damage: str
) -> None:
    service.import_referential("bundle", FIXTURE_BUNDLE, database_url)
    engine = engine_for(database_url)
    before = repository.dump(engine)
    broken = tmp_path / "broken"
    shutil.copytree(FIXTURE_BUNDLE, broken)
    apply, expected_code = DAMAGES[damage]
    apply(broken)
    with pytest.raises(ImportRejected) as rejected:
        service.import_referential("bundle", broken, database_url)
    assert expected_code in {i.code for i in rejected.value.errors}
    assert repository.dump(engine) == before


def test_a_failure_while_writing_rolls_everything_back(database_url: str) -> None:
    service.import_referential("bundle", FIXTURE_BUNDLE, database_url)
    engine = engine_for(database_url)
    before = repository.dump(engine)
    valid = read_bundle(FIXTURE_BUNDLE).referential
    # A training with negative hours passes Python but not the schema's check constraint:
    # the replacement must fail as a whole, after the old rows were already deleted.
    from dataclasses import replace

    bad = replace(valid, trainings=(replace(valid.trainings[0], hours=-1.0), *valid.trainings[1:]))
    with pytest.raises(sqlalchemy.exc.IntegrityError):
        repository.replace_referential(engine, bad)
    assert repository.dump(engine) == before


def test_the_import_reports_what_was_added_changed_and_removed(
    database_url: str, tmp_path: Path
) -> None:
    service.import_referential("bundle", FIXTURE_BUNDLE, database_url)
    edited = tmp_path / "edited"
    shutil.copytree(FIXTURE_BUNDLE, edited)
    roles = (edited / "roles.csv").read_text(encoding="utf-8").splitlines()
    header, first, *rest = roles
    code = first.split(",")[0]
    changed_first = first.replace(first.split(",")[1], first.split(",")[1] + " (modifié)", 1)
    (edited / "roles.csv").write_text(
        "\n".join([header, changed_first, *rest, "NOUVEAU,Nouveau métier,,,,"]) + "\n",
        encoding="utf-8",
    )
    outcome = service.import_referential("bundle", edited, database_url)
    assert outcome.changes.collections["roles"].added == ("NOUVEAU",)
    assert outcome.changes.collections["roles"].changed == (code,)
    assert outcome.changes.collections["roles"].removed == ()


def test_merge_keeps_what_the_update_does_not_mention(database_url: str, tmp_path: Path) -> None:
    service.import_referential("bundle", FIXTURE_BUNDLE, database_url)
    original = read_bundle(FIXTURE_BUNDLE).referential
    update = tmp_path / "update"
    update.mkdir()
    (update / "competencies.csv").write_text(
        "code,label,category,description,level_1,level_2,level_3,level_4\n"
        "NEW_SKILL,Nouvelle compétence,Organisation,,,,,\n",
        encoding="utf-8",
    )
    (update / "roles.csv").write_text(
        "code,title,family,rome_code,qualification_level,description\n"
        "NEW_ROLE,Nouveau métier,,,,\n",
        encoding="utf-8",
    )
    (update / "requirements.csv").write_text(
        "role,competency,level,weight\nNEW_ROLE,NEW_SKILL,2,essential\n", encoding="utf-8"
    )
    outcome = service.import_referential("bundle", update, database_url, mode="merge")
    stored = repository.load_referential(engine_for(database_url))
    assert stored is not None
    assert len(stored.roles) == len(original.roles) + 1
    assert outcome.changes.collections["roles"].removed == ()
    assert outcome.changes.collections["roles"].added == ("NEW_ROLE",)


def test_a_dry_run_writes_nothing(database_url: str) -> None:
    engine = engine_for(database_url)
    upgrade(engine)
    outcome = service.import_referential("bundle", FIXTURE_BUNDLE, database_url, dry_run=True)
    assert outcome.changes.collections["roles"].added
    assert repository.stored_version(engine) is None


def test_the_blocs_of_a_certification_are_stored_and_read_back(database_url: str) -> None:
    original = read_bundle(CURATED_BUNDLE).referential
    assert original.blocs, "the curated referential describes the BTS SAM's blocs"
    service.import_referential("bundle", CURATED_BUNDLE, database_url)
    loaded = repository.load_referential(engine_for(database_url))
    assert loaded is not None and loaded.blocs == original.blocs
    assert loaded.version == original.version
