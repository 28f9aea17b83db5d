"""The accounts migration: a device's assessments (device_id) become a subject's, on SQLite
and PostgreSQL, and the device flow finds them afterwards."""

from __future__ import annotations

import sqlalchemy

from careerpath.data.database import current_revision, engine_for, head_revision, upgrade
from careerpath.services.assessments import AssessmentStore, new_device_id

BEFORE_ACCOUNTS = "45c4960d328f"


def test_existing_device_assessments_move_to_subjects(database_url: str) -> None:
    engine = engine_for(database_url)
    upgrade(engine, BEFORE_ACCOUNTS)
    devices = [new_device_id(), new_device_id()]
    with engine.begin() as connection:
        for n, (device, assessment) in enumerate(
            [(devices[0], "a1"), (devices[0], "a2"), (devices[1], "b1")]
        ):
            connection.execute(
                sqlalchemy.text(
                    "INSERT INTO assessment (id, device_id, situation, step, modalities, "
                    "hidden_roles, created_at, updated_at) VALUES (:id, :device, 'en_poste', "
                    ":step, '', '[]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ),
                {"id": assessment, "device": device, "step": n},
            )
        connection.execute(
            sqlalchemy.text(
                "INSERT INTO assessment_rating (assessment, competency, level, rated_at) "
                "VALUES ('b1', 'org-prioriser', 3, CURRENT_TIMESTAMP)"
            )
        )
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    columns = {c["name"] for c in sqlalchemy.inspect(engine).get_columns("assessment")}
    assert "subject_id" in columns and "device_id" not in columns
    with engine.connect() as connection:
        subjects = connection.execute(
            sqlalchemy.text("SELECT kind, device_id FROM subject ORDER BY device_id")
        ).all()
    assert sorted(tuple(s) for s in subjects) == sorted(("device", d) for d in devices)
    store = AssessmentStore(database_url)
    assert store.count_for_device(devices[0]) == 2
    second = store.current(devices[1])
    assert second is not None and second.id == "b1" and second.ratings == {"org-prioriser": 3}
    assert second.device_id == devices[1]
    # The device flow goes on: a new assessment lands on the same subject.
    store.start(devices[1], "en_recherche", None)
    assert store.count_for_device(devices[1]) == 2
    with engine.connect() as connection:
        count = connection.execute(sqlalchemy.text("SELECT COUNT(*) FROM subject")).scalar()
    assert count == 2


def test_the_accounts_migration_goes_back_down(database_url: str) -> None:
    from alembic.config import Config
    from alembic.runtime.environment import EnvironmentContext
    from alembic.script import ScriptDirectory

    from careerpath.data.database import ALEMBIC_DIR

    engine = engine_for(database_url)
    upgrade(engine)
    store = AssessmentStore(database_url)
    device = new_device_id()
    store.start(device, "en_poste", None)
    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    script = ScriptDirectory.from_config(config)

    def run(rev: object, _context: object) -> object:
        return script._downgrade_revs(BEFORE_ACCOUNTS, rev)  # noqa: SLF001

    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        with connection.begin(), EnvironmentContext(config, script, fn=run) as env:
            env.configure(connection=connection, render_as_batch=True)
            env.run_migrations()
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
    assert "subject" not in sqlalchemy.inspect(engine).get_table_names()
    with engine.connect() as connection:
        assert (
            connection.execute(sqlalchemy.text("SELECT device_id FROM assessment")).scalar()
            == device
        )
