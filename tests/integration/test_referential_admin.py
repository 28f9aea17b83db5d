"""/admin/referentiel's service: upload → diff → apply → restore, on SQLite and PostgreSQL.

A bad upload gives the importer's file/line/column report and leaves the referential (every
row of it) exactly as it was; every step lands in the audit log.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from careerpath.config import load_settings
from careerpath.data import repository
from careerpath.data.database import engine_for
from careerpath.services import referential as service
from careerpath.services import referential_admin as admin_module
from careerpath.services.accounts import AccessDenied, Account, Accounts, Actor, ManualClock, Role
from careerpath.services.referential_admin import AdminRefused, ReferentialAdmin
from tests.integration.conftest import FIXTURE_BUNDLE

PASSWORD = "une phrase de passe assez longue"


def zip_folder(folder: Path, top: str = "bundle") -> bytes:
    """The folder zipped as a whole (what « Compresser » gives on a desktop)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"{top}/{path.name}")
    return buffer.getvalue()


def edited_bundle(tmp_path: Path) -> Path:
    """The fixture with one role renamed, one role added and one training removed."""
    edited = tmp_path / "edited"
    shutil.copytree(FIXTURE_BUNDLE, edited)
    roles = edited / "roles.csv"
    roles.write_text(
        roles.read_text(encoding="utf-8").replace(
            "SECRETAIRE,Secrétaire,", "SECRETAIRE,Secrétaire polyvalent·e,"
        )
        + "COMPTABLE,Comptable,comptabilité,M1203,4,\n",
        encoding="utf-8",
    )
    for name in ("trainings.csv", "training_outcomes.csv"):
        path = edited / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text(
            "".join(line for line in lines if not line.startswith("TABLEUR_AVANCE,")),
            encoding="utf-8",
        )
    return edited


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def world(
    database_url: str, tmp_path: Path, clock: ManualClock
) -> Iterator[tuple[ReferentialAdmin, Actor, Accounts]]:
    service.import_referential("bundle", FIXTURE_BUNDLE, database_url)
    settings = load_settings({"CAREERPATH_DATA_DIR": str(tmp_path / "data")})
    accounts = Accounts(database_url, clock=clock, settings=settings)
    summary, _ = accounts.create("admin@careerpath.fr", Role.ADMIN, password=PASSWORD)
    actor = Actor(account=Account(summary.id, summary.email, Role.ADMIN))
    yield ReferentialAdmin(database_url, clock=clock, settings=settings), actor, accounts


def _actions(accounts: Accounts, actor: Actor) -> list[str]:
    return [e.action for e in accounts.audit_events(actor)]


def test_the_preview_lists_what_changes_and_writes_nothing(
    world: tuple[ReferentialAdmin, Actor, Accounts], database_url: str, tmp_path: Path
) -> None:
    admin, actor, accounts = world
    before = repository.dump(engine_for(database_url))
    preview = admin.stage(actor, "bundle", "nouveau.zip", zip_folder(edited_bundle(tmp_path)))
    roles = preview.changes.collections["roles"]
    assert roles.added == ("COMPTABLE",)
    assert roles.changed == ("SECRETAIRE",)
    assert preview.changes.collections["trainings"].removed == ("TABLEUR_AVANCE",)
    assert preview.counts["roles"] == 4
    assert repository.dump(engine_for(database_url)) == before
    assert "referential_previewed" in _actions(accounts, actor)


def test_a_bad_file_gives_file_line_and_column_in_both_languages_and_changes_nothing(
    world: tuple[ReferentialAdmin, Actor, Accounts], database_url: str, tmp_path: Path
) -> None:
    admin, actor, accounts = world
    broken = tmp_path / "broken"
    shutil.copytree(FIXTURE_BUNDLE, broken)
    path = broken / "requirements.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].strip().split(",")
    fields = lines[2].rstrip("\n").split(",")
    fields[header.index("level")] = "7"
    lines[2] = ",".join(fields) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    before = repository.dump(engine_for(database_url))
    with pytest.raises(AdminRefused) as refused:
        admin.stage(actor, "bundle", "abime.zip", zip_folder(broken))
    french = " ".join(refused.value.report("fr"))
    english = " ".join(refused.value.report("en"))
    assert "requirements.csv" in french and "ligne 3" in french and "« level »" in french
    assert "line 3" in english and "level" in english and "ligne" not in english
    assert repository.dump(engine_for(database_url)) == before
    assert "referential_rejected" in _actions(accounts, actor)
    assert not any((tmp_path / "data" / "staging").iterdir())


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"ceci n'est pas un zip", "bad_zip"),
        ("evil", "unsafe_member"),
    ],
)
def test_a_file_that_is_not_a_safe_zip_is_refused(
    world: tuple[ReferentialAdmin, Actor, Accounts], database_url: str, data: object, code: str
) -> None:
    admin, actor, _ = world
    if data == "evil":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("../../roles.csv", "code,title\n")
        data = buffer.getvalue()
    before = repository.dump(engine_for(database_url))
    with pytest.raises(AdminRefused) as refused:
        admin.stage(actor, "bundle", "x.zip", data)  # type: ignore[arg-type]
    assert [i.code for i in refused.value.issues] == [code]
    assert repository.dump(engine_for(database_url)) == before


def test_an_upload_over_the_limit_is_refused_before_reading(
    world: tuple[ReferentialAdmin, Actor, Accounts], monkeypatch: pytest.MonkeyPatch
) -> None:
    admin, actor, _ = world
    monkeypatch.setattr(admin_module, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(AdminRefused) as refused:
        admin.stage(actor, "bundle", "gros.zip", b"x" * 11)
    assert refused.value.code == "too_large"
    assert "au plus" in refused.value.message("fr")


def test_apply_switches_the_referential_and_restore_brings_the_previous_one_back(
    world: tuple[ReferentialAdmin, Actor, Accounts], database_url: str, tmp_path: Path
) -> None:
    admin, actor, accounts = world
    original = service.load_referential(database_url)
    preview = admin.stage(actor, "bundle", "nouveau.zip", zip_folder(edited_bundle(tmp_path)))
    steps: list[tuple[str, float]] = []
    applied = admin.apply(actor, preview.staging_id, lambda s, f: steps.append((s, f)))
    now = service.load_referential(database_url)
    assert now.role_by_code["SECRETAIRE"].title == "Secrétaire polyvalent·e"
    assert "TABLEUR_AVANCE" not in now.training_by_code
    assert [s for s, _ in steps][-1] == "done" and "write" in [s for s, _ in steps]
    versions = admin.versions(actor)
    # The first import (the fixture's, from the command line) is a version too.
    assert [(v.kind, v.current) for v in versions] == [("bundle", True), ("bundle", False)]
    assert versions[1].file_name == "bundle_min" and versions[1].applied_by == ""
    assert versions[0].file_name == "nouveau.zip" and versions[0].applied_by == actor.account.email  # type: ignore[union-attr]
    assert versions[0].counts["roles"] == (1, 1, 0)
    assert applied.id == versions[0].id

    restored = admin.restore(actor, versions[1].id)
    back = service.load_referential(database_url)
    assert back.version == original.version
    assert back.role_by_code["SECRETAIRE"].title == "Secrétaire"
    assert restored.restored_from == versions[1].id
    listed = admin.versions(actor)
    assert [(v.kind, v.current) for v in listed] == [
        ("rollback", True),
        ("bundle", False),
        ("bundle", False),
    ]
    with pytest.raises(AdminRefused) as refused:
        admin.restore(actor, listed[0].id)
    assert refused.value.code == "already"
    actions = _actions(accounts, actor)
    assert {"referential_previewed", "referential_applied", "referential_restored"} <= set(actions)


def test_a_preview_made_before_another_change_cannot_be_applied(
    world: tuple[ReferentialAdmin, Actor, Accounts], database_url: str, tmp_path: Path
) -> None:
    admin, actor, accounts = world
    other, _ = accounts.create("autre-admin@careerpath.fr", Role.ADMIN, password=PASSWORD)
    colleague = Actor(account=Account(other.id, other.email, Role.ADMIN))
    first = admin.stage(actor, "bundle", "a.zip", zip_folder(edited_bundle(tmp_path)))
    second = admin.stage(colleague, "bundle", "b.zip", zip_folder(FIXTURE_BUNDLE))
    admin.apply(actor, first.staging_id)
    after_first = repository.dump(engine_for(database_url))
    with pytest.raises(AdminRefused) as refused:
        admin.apply(colleague, second.staging_id)
    assert refused.value.code == "stale"
    assert repository.dump(engine_for(database_url)) == after_first


def test_cancel_forgets_the_upload(
    world: tuple[ReferentialAdmin, Actor, Accounts], tmp_path: Path
) -> None:
    admin, actor, accounts = world
    preview = admin.stage(actor, "bundle", "a.zip", zip_folder(edited_bundle(tmp_path)))
    admin.cancel(actor, preview.staging_id)
    with pytest.raises(AdminRefused) as refused:
        admin.apply(actor, preview.staging_id)
    assert refused.value.code == "gone"
    assert "referential_cancelled" in _actions(accounts, actor)


@pytest.mark.parametrize("role", [Role.COUNSELLOR, Role.STRUCTURE_ADMIN])
def test_only_administrators_administer_the_referential(
    world: tuple[ReferentialAdmin, Actor, Accounts], role: Role, tmp_path: Path
) -> None:
    admin, _, _ = world
    someone = Actor(account=Account("x" * 32, "c@cio.fr", role, structure_id=1))
    with pytest.raises(AccessDenied):
        admin.stage(someone, "bundle", "a.zip", zip_folder(edited_bundle(tmp_path)))
    with pytest.raises(AccessDenied):
        admin.versions(someone)
    with pytest.raises(AccessDenied):
        admin.versions(Actor())


def test_a_cli_import_is_a_version_too_and_the_cli_restores(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from careerpath.cli.main import main

    service.import_referential("bundle", FIXTURE_BUNDLE, database_url)
    original = service.load_referential(database_url)
    edited = edited_bundle(tmp_path)
    assert main(["import", "bundle", str(edited), "--database-url", database_url]) == 0
    assert main(["versions", "--database-url", database_url]) == 0
    listed = capsys.readouterr().out.strip().splitlines()[-2:]
    assert "bundle" in listed[0] and "(en service)" in listed[0] and "edited" in listed[0]
    assert "bundle_min" in listed[1] and "ligne de commande" in listed[1]
    initial_id = listed[1].split("\t")[0]
    assert main(["restore", initial_id, "--database-url", database_url]) == 0
    assert service.load_referential(database_url).version == original.version
    assert main(["restore", initial_id, "--database-url", database_url]) == 1
    assert "déjà en service" in capsys.readouterr().err


def test_the_referential_in_service_before_any_version_is_kept_at_the_first_change(
    sqlite_url: str, tmp_path: Path
) -> None:
    service.initialise_database(sqlite_url)  # the curated referential, no version yet
    settings = load_settings({"CAREERPATH_DATA_DIR": str(tmp_path / "data")})
    admin = ReferentialAdmin(sqlite_url, settings=settings)
    operator = None
    assert admin.versions(operator) == []
    curated = service.load_referential(sqlite_url)
    preview = admin.stage(
        Actor(account=Account("a" * 32, "admin@careerpath.fr", Role.ADMIN)),
        "bundle",
        "min.zip",
        zip_folder(FIXTURE_BUNDLE),
    )
    assert preview.changes.collections["roles"].removed  # the curated roles would go
    admin.apply(
        Actor(account=Account("a" * 32, "admin@careerpath.fr", Role.ADMIN)), preview.staging_id
    )
    kinds = [v.kind for v in admin.versions(operator)]
    assert kinds == ["bundle", "initial"]
    admin.restore(operator, admin.versions(operator)[1].id)
    assert service.load_referential(sqlite_url).version == curated.version


def test_the_preview_counts_the_assessments_and_actions_that_cite_what_goes(
    world: tuple[ReferentialAdmin, Actor, Accounts], database_url: str, tmp_path: Path
) -> None:
    import sqlalchemy

    admin, actor, _ = world
    now = ManualClock()()
    with engine_for(database_url).begin() as connection:
        run = connection.execute
        run(
            sqlalchemy.text(
                "INSERT INTO subject (id, kind, device_id, created_at) VALUES "
                "('s1', 'device', 'd1', :now)"
            ),
            {"now": now},
        )
        for ident, target in (("a1", "COMPTABLE"), ("a2", "OFFICE_MANAGER")):
            run(
                sqlalchemy.text(
                    "INSERT INTO assessment (id, subject_id, situation, target, step, modalities,"
                    " hidden_roles, age_band, created_at, updated_at) VALUES "
                    "(:id, 's1', '', :target, 0, '', '[]', '', :now, :now)"
                ),
                {"id": ident, "target": target, "now": now},
            )
        for ident in ("a1", "a2"):
            run(
                sqlalchemy.text(
                    "INSERT INTO assessment_rating (assessment, competency, level, rated_at)"
                    " VALUES (:id, 'ORG_AGENDA', 3, :now)"
                ),
                {"id": ident, "now": now},
            )
        run(
            sqlalchemy.text(
                "INSERT INTO plan_action (plan_kind, plan_id, kind, title, training, status,"
                " created_by, created_at, updated_at) VALUES ('beneficiary', 'b1', 'training',"
                " 'Tableur', 'TABLEUR_AVANCE', 'todo', 'counsellor', :now, :now)"
            ),
            {"now": now},
        )
    # The edited bundle removes the training TABLEUR_AVANCE; the office manager role stays.
    preview = admin.stage(actor, "bundle", "a.zip", zip_folder(edited_bundle(tmp_path)))
    assert preview.impact.actions_citing_removed == 1
    assert preview.impact.assessments_aiming_removed == 0
    from careerpath.data.referential_versions import impact

    counted = impact(engine_for(database_url), (), ("OFFICE_MANAGER", "COMPTABLE"), ())
    assert counted.assessments_aiming_removed == 2
    assert impact(engine_for(database_url), ("ORG_AGENDA",), (), ()).assessments_rating_removed == 2


def test_an_upload_left_waiting_for_a_day_is_forgotten(
    world: tuple[ReferentialAdmin, Actor, Accounts], tmp_path: Path
) -> None:
    import os
    import time

    admin, actor, _ = world
    old = admin.stage(actor, "bundle", "a.zip", zip_folder(FIXTURE_BUNDLE))
    folder = admin.staging_root / old.staging_id
    day_ago = time.time() - 2 * 24 * 3600
    os.utime(folder, (day_ago, day_ago))
    admin.stage(None, "bundle", "b.zip", zip_folder(FIXTURE_BUNDLE))  # someone else's upload
    assert not folder.exists()
    with pytest.raises(AdminRefused):
        admin.apply(actor, old.staging_id)


def _retitled_bundle(tmp_path: Path, title: str) -> Path:
    """The fixture with the secretary role under another title."""
    folder = tmp_path / f"retitled-{len(title)}"
    shutil.copytree(FIXTURE_BUNDLE, folder)
    roles = folder / "roles.csv"
    roles.write_text(
        roles.read_text(encoding="utf-8").replace("SECRETAIRE,Secrétaire,", f"SECRETAIRE,{title},"),
        encoding="utf-8",
    )
    return folder


def test_a_change_written_while_apply_reads_the_files_makes_apply_refuse(
    world: tuple[ReferentialAdmin, Actor, Accounts], database_url: str, tmp_path: Path
) -> None:
    """The stale check is made in the writing transaction: a command-line import landing
    after « Appliquer » started (its own check passed) is not silently overwritten."""
    admin, actor, accounts = world
    preview = admin.stage(actor, "bundle", "a.zip", zip_folder(edited_bundle(tmp_path)))
    intruder = _retitled_bundle(tmp_path, "Secrétaire de la ligne de commande")

    def meanwhile(step: str, _fraction: float) -> None:
        if step == "write":
            service.import_referential("bundle", intruder, database_url)

    with pytest.raises(AdminRefused) as refused:
        admin.apply(actor, preview.staging_id, meanwhile)
    assert refused.value.code == "stale"
    now = service.load_referential(database_url)
    assert now.role_by_code["SECRETAIRE"].title == "Secrétaire de la ligne de commande"
    assert "COMPTABLE" not in now.role_by_code
    assert [v.file_name for v in admin.versions(actor)][0] == intruder.name
    assert "referential_failed" in _actions(accounts, actor)
    with pytest.raises(AdminRefused):  # the staged upload is gone with the refusal
        admin.apply(actor, preview.staging_id)


def test_a_restore_racing_another_change_is_refused(
    world: tuple[ReferentialAdmin, Actor, Accounts], database_url: str, tmp_path: Path
) -> None:
    admin, actor, _ = world
    preview = admin.stage(actor, "bundle", "a.zip", zip_folder(edited_bundle(tmp_path)))
    admin.apply(actor, preview.staging_id)
    intruder = _retitled_bundle(tmp_path, "Secrétaire concurrent·e")

    def meanwhile(step: str, _fraction: float) -> None:
        if step == "write":
            service.import_referential("bundle", intruder, database_url)

    with pytest.raises(AdminRefused) as refused:
        admin.restore(actor, admin.versions(actor)[-1].id, meanwhile)
    assert refused.value.code == "stale"
    now = service.load_referential(database_url)
    assert now.role_by_code["SECRETAIRE"].title == "Secrétaire concurrent·e"


def test_a_writer_waits_for_the_referential_write_lock(database_url: str) -> None:
    """While one change holds the write lock, another cannot write (it waits, then runs
    against what the first committed)."""
    import threading

    from careerpath.data.importers.bundle import read_bundle

    service.import_referential("bundle", FIXTURE_BUNDLE, database_url)
    engine = engine_for(database_url)
    fixture = read_bundle(FIXTURE_BUNDLE).referential
    before = repository.stored_version(engine)
    done = threading.Event()
    failure: list[BaseException] = []

    def other_writer() -> None:
        try:
            repository.replace_referential(engine, fixture, expect=before)
        except BaseException as error:  # noqa: BLE001 — reported to the test below
            failure.append(error)
        finally:
            done.set()

    with repository.writing(engine):
        thread = threading.Thread(target=other_writer)
        thread.start()
        assert not done.wait(1.0), "a second writer got in while the lock was held"
    thread.join(10)
    assert done.is_set() and not failure


def test_two_first_changes_record_one_initial_version(database_url: str) -> None:
    """Whether a change is the first ever is decided inside its writing transaction."""
    from datetime import UTC, datetime

    from careerpath.data import referential_versions as versions_store
    from careerpath.data.importers.bundle import read_bundle
    from careerpath.domain.changes import compare

    service.initialise_database(database_url)  # the curated referential, no version yet
    engine = engine_for(database_url)
    curated = service.load_referential(database_url)
    fixture = read_bundle(FIXTURE_BUNDLE).referential
    records = [
        versions_store.recorder(
            curated,
            fixture,
            compare(curated, fixture),
            kind="bundle",
            file_name=name,
            applied_by="",
            applied_at=datetime.now(UTC),
        )
        for name in ("a", "b")
    ]
    for record in records:  # both prepared before either is written
        repository.replace_referential(engine, fixture, also=record)
    kinds = [v.kind for v in versions_store.list_versions(engine)]
    assert kinds.count("initial") == 1
    assert len(kinds) == 3


def test_previews_and_the_version_list_run_no_migration(
    world: tuple[ReferentialAdmin, Actor, Accounts],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Migrations run at start-up (`careerpath run`), never inside a request."""
    from alembic.runtime.environment import EnvironmentContext

    admin, actor, _ = world

    def no_migration(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a migration ran inside a request")

    monkeypatch.setattr(EnvironmentContext, "run_migrations", no_migration)
    preview = admin.stage(actor, "bundle", "a.zip", zip_folder(edited_bundle(tmp_path)))
    assert admin.versions(actor)
    admin.apply(actor, preview.staging_id)


def test_a_new_upload_replaces_the_administrators_previous_one(
    world: tuple[ReferentialAdmin, Actor, Accounts], tmp_path: Path
) -> None:
    admin, actor, accounts = world
    first = admin.stage(actor, "bundle", "a.zip", zip_folder(edited_bundle(tmp_path)))
    other, _ = accounts.create("autre-admin@careerpath.fr", Role.ADMIN, password=PASSWORD)
    colleague = Actor(account=Account(other.id, other.email, Role.ADMIN))
    theirs = admin.stage(colleague, "bundle", "c.zip", zip_folder(FIXTURE_BUNDLE))
    received = admin.incoming_file(actor)  # the page starts receiving a new file
    assert not (admin.staging_root / first.staging_id).exists()
    received.write_bytes(zip_folder(FIXTURE_BUNDLE))
    second = admin.stage(actor, "bundle", "b.zip", received)
    with pytest.raises(AdminRefused) as refused:
        admin.apply(actor, first.staging_id)
    assert refused.value.code == "gone"
    staged = sorted(p.name for p in admin.staging_root.iterdir())
    assert staged == sorted([second.staging_id, theirs.staging_id])  # a colleague's stays


def test_a_zip_with_too_many_entries_is_refused_before_unpacking(
    world: tuple[ReferentialAdmin, Actor, Accounts], database_url: str
) -> None:
    from careerpath.data.importers.limits import MAX_ZIP_ENTRIES

    admin, actor, _ = world
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(MAX_ZIP_ENTRIES + 1):
            archive.writestr(f"bundle/f{n}.txt", "")
    before = repository.dump(engine_for(database_url))
    with pytest.raises(AdminRefused) as refused:
        admin.stage(actor, "bundle", "milliers.zip", buffer.getvalue())
    assert [i.code for i in refused.value.issues] == ["too_many_members"]
    assert "10001 éléments (au plus 10000)" in refused.value.report("fr")[0]
    assert "10001 entries (at most 10000)" in refused.value.report("en")[0]
    assert repository.dump(engine_for(database_url)) == before
    assert not any(admin.staging_root.iterdir())


def test_an_upload_is_refused_when_the_staging_folder_is_full(
    world: tuple[ReferentialAdmin, Actor, Accounts],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    admin, actor, accounts = world
    other, _ = accounts.create("autre-admin@careerpath.fr", Role.ADMIN, password=PASSWORD)
    colleague = Actor(account=Account(other.id, other.email, Role.ADMIN))
    theirs = admin.stage(colleague, "bundle", "c.zip", zip_folder(FIXTURE_BUNDLE))
    used = admin.staging_bytes()
    assert used > 0
    room = admin_module.MAX_UPLOAD_BYTES + admin_module.MAX_ARCHIVE_BYTES
    monkeypatch.setattr(admin_module, "MAX_STAGING_BYTES", used + room - 1)
    upload = zip_folder(edited_bundle(tmp_path))
    for attempt in (
        lambda: admin.incoming_file(actor),
        lambda: admin.stage(actor, "bundle", "a.zip", upload),
    ):
        with pytest.raises(AdminRefused) as refused:
            attempt()
        assert refused.value.code == "staging_full"
        assert "Trop d'envois en attente" in refused.value.message("fr")
        assert "Too many uploads waiting" in refused.value.message("en")
    admin.cancel(colleague, theirs.staging_id)
    assert admin.stage(actor, "bundle", "a.zip", upload)


def test_every_page_still_answers_after_an_apply_removes_what_it_cites(
    database_url: str, tmp_path: Path
) -> None:
    """An assessment rates a competency, aims at a role and has a plan citing a training; a
    follow-up's action plan cites the training too. An applied referential removes all
    three: the services behind /bilan, /profil, /metiers, /objectif and the workspace's
    action plan still answer (no exception) for that person and that follow-up."""
    from dataclasses import replace

    from careerpath.data.importers.bundle import write_bundle
    from careerpath.services.assessments import AssessmentStore, new_device_id
    from careerpath.services.context import current_context
    from careerpath.services.next_roles_view import next_roles_view
    from careerpath.services.plan_view import plan_view
    from careerpath.services.profile import growth_items, profile_view, unanswered_view
    from careerpath.services.questionnaire import answered_count, resume_step, step_view
    from careerpath.services.role_page import role_view
    from careerpath.services.role_titles import role_title
    from careerpath.services.workspace import CounsellorPlan, Follow, Invitations, Person, Store

    service.initialise_database(database_url)
    clock = ManualClock()
    settings = load_settings({"CAREERPATH_DATA_DIR": str(tmp_path / "data")})
    accounts = Accounts(database_url, clock=clock, settings=settings)
    accounts.create("conseil@ml.fr", Role.COUNSELLOR, structure="Mission locale", password=PASSWORD)
    accounts.create("admin@careerpath.fr", Role.ADMIN, password=PASSWORD)
    counsellor = accounts.resolve(accounts.sign_in("conseil@ml.fr", PASSWORD).token)
    admin_actor = accounts.resolve(accounts.sign_in("admin@careerpath.fr", PASSWORD).token)

    device_id = new_device_id()
    device = Actor(device_id=device_id)
    assessments = AssessmentStore(database_url)
    stored = assessments.start(device_id, "en_recherche", "secretaire")
    assessments.rate_many(stored.id, {"org-prioriser": 2, "com-ecrire": 3})
    assessments.set_target(stored.id, "office-manager")
    store = Store.of(database_url, clock)
    invitation = Invitations(store).create(counsellor, "Camille D.")
    beneficiary = Invitations(store).accept(invitation.code, device_id)
    before = current_context("fr", database_url)
    cited = Follow(store).plan_items(counsellor, beneficiary, before)[0].training
    CounsellorPlan(store).add_training(counsellor, beneficiary, cited, before)
    assert plan_view(before, assessments.current(device_id)) is not None  # type: ignore[arg-type]

    # The new referential: without the rated competency, the goal and the cited training.
    curated = before.referential
    gone_competency, gone_role = "org-prioriser", "office-manager"
    edited = replace(
        curated,
        competencies=tuple(c for c in curated.competencies if c.code != gone_competency),
        roles=tuple(r for r in curated.roles if r.code != gone_role),
        requirements=tuple(
            q
            for q in curated.requirements
            if q.competency != gone_competency and q.role != gone_role
        ),
        transitions=tuple(
            t for t in curated.transitions if gone_role not in (t.from_role, t.to_role)
        ),
        trainings=tuple(t for t in curated.trainings if t.code != cited),
        outcomes=tuple(
            o for o in curated.outcomes if o.training != cited and o.competency != gone_competency
        ),
        blocs=tuple(
            replace(b, competencies=tuple(c for c in b.competencies if c != gone_competency))
            for b in curated.blocs
        ),
    )
    write_bundle(edited, tmp_path / "edited")
    admin = ReferentialAdmin(database_url, clock=clock, settings=settings)
    preview = admin.stage(admin_actor, "bundle", "moins.zip", zip_folder(tmp_path / "edited"))
    assert preview.impact.assessments_rating_removed >= 1
    assert preview.impact.assessments_aiming_removed >= 1
    assert preview.impact.actions_citing_removed >= 1
    admin.apply(admin_actor, preview.staging_id)

    ctx = current_context("fr", database_url)
    assert gone_role not in ctx.referential.role_by_code
    assert cited not in ctx.referential.training_by_code
    person = assessments.current(device_id)
    assert person is not None and person.target == gone_role
    # /bilan
    answered_count(ctx.referential, person)
    resume_step(ctx, person)
    role_title(ctx.referential, person.current_role or person.target)
    step_view(ctx, person, 1)
    # /profil
    profile_view(ctx, person)
    unanswered_view(ctx, person)
    growth_items(ctx, person)
    # /metiers and the removed role's own page
    next_roles_view(ctx, person)
    assert role_view(ctx, gone_role, person) is None
    # /objectif: the goal is gone, the page has no plan to show but answers
    plan_view(ctx, person)
    # The workspace: caseload, the follow-up, its action plan (the action keeps its title)
    follow = Follow(store)
    assert follow.caseload(counsellor, ctx=ctx).total == 1
    follow.detail(counsellor, beneficiary, ctx)
    follow.plan_items(counsellor, beneficiary, ctx)
    action_plan = CounsellorPlan(store).read(counsellor, beneficiary)
    assert [a.training for a in action_plan.actions] == [cited]
    assert Person(store).follow_ups(device)
