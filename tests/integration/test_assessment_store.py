"""The assessment store on a migrated database (SQLite and PostgreSQL): answers survive,
share links open one result read-only, deleting a device erases everything it owns."""

from __future__ import annotations

import pytest
import sqlalchemy

from careerpath.data.database import engine_for, upgrade
from careerpath.services.assessments import (
    AssessmentGone,
    AssessmentStore,
    is_device_id,
    new_device_id,
)


@pytest.fixture
def store(database_url: str) -> AssessmentStore:
    upgrade(engine_for(database_url))
    return AssessmentStore(database_url)


def test_the_migrations_create_the_assessment_tables(database_url: str) -> None:
    engine = engine_for(database_url)
    upgrade(engine)
    tables = set(sqlalchemy.inspect(engine).get_table_names())
    assert {"assessment", "assessment_rating"} <= tables


def test_answers_round_trip_and_the_latest_assessment_is_the_current_one(
    store: AssessmentStore,
) -> None:
    device = new_device_id()
    assert store.current(device) is None
    first = store.start(device, "en_poste", "SECRETAIRE")
    store.rate(first.id, "ORG_AGENDA", 3)
    store.rate_many(first.id, {"COM_ECRIT": 0, "NUM_TABLEUR": 2})
    store.rate(first.id, "NUM_TABLEUR", 1)  # a changed answer replaces the earlier one
    store.set_step(first.id, 2)

    again = store.current(device)
    assert again is not None
    assert again.id == first.id
    assert dict(again.ratings) == {"ORG_AGENDA": 3, "COM_ECRIT": 0, "NUM_TABLEUR": 1}
    assert (again.situation, again.current_role, again.step) == ("en_poste", "SECRETAIRE", 2)

    second = store.start(device, "en_recherche", None)
    current = store.current(device)
    assert current is not None and current.id == second.id
    assert current.current_role is None and dict(current.ratings) == {}


def test_target_constraints_and_hidden_roles_are_kept(store: AssessmentStore) -> None:
    device = new_device_id()
    stored = store.start(device, "en_formation", None)
    store.set_target(stored.id, "OFFICE_MANAGER")
    store.set_constraints(stored.id, 6.0, 800.0, ["distance", "hybride", "nope"])
    store.hide_role(stored.id, "secretaire-comptable")  # a role of the (curated) referential
    store.hide_role(stored.id, "secretaire-comptable")
    again = store.get(stored.id)
    assert again is not None
    assert again.target == "OFFICE_MANAGER"
    assert (again.hours_per_week, again.budget_eur) == (6.0, 800.0)
    assert again.modalities == ("distance", "hybride")
    assert again.hidden_roles == ("secretaire-comptable",)
    constraints = again.to_assessment().constraints
    assert constraints.max_cost_eur == 800.0
    assert constraints.modalities == frozenset({"distance", "hybride"})

    store.set_constraints(
        stored.id, None, None, ["presentiel", "distance", "hybride", "alternance"]
    )
    store.unhide_roles(stored.id)
    relaxed = store.get(stored.id)
    assert relaxed is not None
    assert relaxed.to_assessment().constraints.modalities is None  # all accepted
    assert relaxed.hidden_roles == ()


def test_the_diploma_a_student_prepares_is_kept_and_reaches_the_plan(
    store: AssessmentStore,
) -> None:
    stored = store.start(new_device_id(), "en_formation", None)
    assert stored.preparing is None and stored.profile.preparing is None
    store.set_preparing(stored.id, "bts-sam")
    again = store.get(stored.id)
    assert again is not None and again.preparing == "bts-sam"
    assert again.to_assessment().profile.preparing == "bts-sam"
    store.set_preparing(stored.id, None)
    cleared = store.get(stored.id)
    assert cleared is not None and cleared.preparing is None


def test_an_exception_to_the_apprenticeship_age_limit_is_kept(store: AssessmentStore) -> None:
    stored = store.start(new_device_id(), "en_formation", None)
    assert stored.age_exception is None
    store.set_age_exception(stored.id, True)
    again = store.get(stored.id)
    assert again is not None and again.to_assessment().profile.age_exception is True
    store.set_age_exception(stored.id, False)
    refused = store.get(stored.id)
    assert refused is not None and refused.age_exception is False


def test_bad_answers_are_refused(store: AssessmentStore) -> None:
    stored = store.start(new_device_id(), "en_poste", "SECRETAIRE")
    with pytest.raises(ValueError):
        store.rate(stored.id, "ORG_AGENDA", 5)
    with pytest.raises(ValueError):
        store.start("not-a-device", "en_poste", None)
    with pytest.raises(ValueError):
        store.start(new_device_id(), "retraité", None)


def test_a_share_link_opens_one_result_and_a_tampered_one_opens_nothing(
    store: AssessmentStore,
) -> None:
    stored = store.start(new_device_id(), "en_poste", "SECRETAIRE")
    store.rate(stored.id, "ORG_AGENDA", 4)
    token = store.share(stored.id)
    assert store.share(stored.id) == token  # stable once created
    assert len(token) >= 32
    shared = store.by_share_token(token)
    assert shared is not None and dict(shared.ratings) == {"ORG_AGENDA": 4}
    assert store.by_share_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert store.by_share_token("") is None
    assert store.by_share_token("../../etc/passwd") is None


def test_deleting_a_device_erases_its_assessments_and_nobody_elses(
    store: AssessmentStore,
) -> None:
    mine, theirs = new_device_id(), new_device_id()
    first = store.start(mine, "en_poste", "SECRETAIRE")
    store.rate(first.id, "ORG_AGENDA", 3)
    token = store.share(first.id)
    store.start(mine, "en_recherche", None)
    other = store.start(theirs, "en_poste", None)
    store.rate(other.id, "ORG_AGENDA", 1)

    assert store.delete_device(mine) == 2
    assert store.current(mine) is None
    assert store.get(first.id) is None
    assert store.by_share_token(token) is None
    with store.engine.connect() as connection:
        left = connection.execute(
            sqlalchemy.text("SELECT assessment FROM assessment_rating")
        ).scalars()
        assert set(left) == {other.id}
    kept = store.current(theirs)
    assert kept is not None and dict(kept.ratings) == {"ORG_AGENDA": 1}


def test_device_ids_are_random_hex() -> None:
    a, b = new_device_id(), new_device_id()
    assert a != b and is_device_id(a) and is_device_id(b)
    assert not is_device_id("") and not is_device_id("x" * 32)


def test_a_hidden_role_must_be_a_role_of_the_referential(store: AssessmentStore) -> None:
    """A forged « pas pour moi » event with a 200 KB code grew a stored field to 4 MB."""
    stored = store.start(new_device_id(), "en_poste", None)
    for forged in ("x" * 200_000, "NOT-A-ROLE", ""):
        store.hide_role(stored.id, forged)
    again = store.get(stored.id)
    assert again is not None and again.hidden_roles == ()


def test_an_answer_to_a_deleted_assessment_is_refused_not_stored(store: AssessmentStore) -> None:
    device = new_device_id()
    stored = store.start(device, "en_poste", None)
    store.remember_tab(device, "7f1c2a8e-0000-4000-8000-000000000001")
    assert store.tabs_of(device) == ["7f1c2a8e-0000-4000-8000-000000000001"]
    assert store.delete_device(device) == 1
    assert store.tabs_of(device) == []
    with pytest.raises(AssessmentGone):
        store.rate(stored.id, "ORG_AGENDA", 3)
    assert store.get(stored.id) is None


def test_a_new_snapshot_keeps_the_whole_profile(store: AssessmentStore) -> None:
    """`reassess` starts from every answer the person gave: ratings, goal, constraints and the
    profile (the diploma in progress, level, age and its exception, horizon, CPF)."""
    stored = store.start(new_device_id(), "en_formation", None)
    store.rate_many(stored.id, {"org-prioriser": 3})
    store.set_profile(stored.id, 4, "30_plus", 12.0, 500.0)
    store.set_preparing(stored.id, "bts-sam")
    store.set_age_exception(stored.id, True)
    fresh = store.reassess(stored.id)
    assert fresh.id != stored.id
    assert (fresh.preparing, fresh.age_exception) == ("bts-sam", True)
    assert (fresh.qualification_level, fresh.age_band) == (4, "30_plus")
    assert (fresh.horizon_months, fresh.cpf_balance_eur) == (12.0, 500.0)


def test_leaving_the_age_band_of_30_and_over_forgets_the_exception(store: AssessmentStore) -> None:
    stored = store.start(new_device_id(), "en_formation", None)
    store.set_profile(stored.id, 4, "30_plus", None, None)
    store.set_age_exception(stored.id, True)
    store.set_profile(stored.id, 4, "26_29", None, None)
    again = store.get(stored.id)
    assert again is not None and again.age_exception is None


@pytest.mark.parametrize("race", ["seal", "delete"])
def test_an_answer_racing_a_seal_or_a_deletion_never_changes_what_was_sealed_or_deleted(
    database_url: str, monkeypatch: pytest.MonkeyPatch, race: str
) -> None:
    """A counsellor seals the assessment (consent, « Demander une mise à jour ») — or the
    person erases their data from another tab — right between the answer's check and its
    write. The sealed snapshot keeps what it held and the answer starts a new one; after a
    deletion the person is told the assessment is gone (not an integrity error)."""
    import uuid
    from datetime import UTC, datetime

    from sqlmodel import Session, select

    from careerpath.data.account_tables import StructureRow
    from careerpath.data.assessment_tables import AssessmentRatingRow, AssessmentRow
    from careerpath.data.workspace_tables import BeneficiaryRow
    from careerpath.services.accounts import ManualClock

    upgrade(engine_for(database_url))
    clock = ManualClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    store = AssessmentStore(database_url, clock=clock)
    other = AssessmentStore(database_url, clock=clock)
    device = new_device_id()
    assessment = store.start(device, "en_poste", "secretaire")
    store.rate_many(assessment.id, {"x": 1})
    with Session(engine_for(database_url)) as session:
        row = session.get(AssessmentRow, assessment.id)
        assert row is not None
        subject = row.subject_id
        structure = StructureRow(name=uuid.uuid4().hex)
        session.add(structure)
        session.flush()
        assert structure.id is not None
        session.add(
            BeneficiaryRow(
                id=uuid.uuid4().hex,
                structure_id=structure.id,
                label="x",
                subject_id=subject,
                status="open",
            )
        )
        session.commit()
    clock.advance(minutes=1)
    checked = AssessmentStore._frozen_state
    fired: list[int] = []

    def meanwhile(self: AssessmentStore, found: object) -> bool:
        result = checked(self, found)
        if not fired:
            fired.append(1)
            if race == "seal":
                other.seal(subject)
            else:
                other.delete_device(device)
        return result

    monkeypatch.setattr(AssessmentStore, "_frozen_state", meanwhile)
    if race == "delete":
        with pytest.raises(AssessmentGone):
            store.rate_many(assessment.id, {"x": 4})
        return
    store.rate_many(assessment.id, {"x": 4})
    with Session(engine_for(database_url)) as session:
        rows = session.exec(select(AssessmentRow).where(AssessmentRow.subject_id == subject)).all()
        answers = {
            (r.id == assessment.id, r.sealed_at is not None): {
                a.competency: a.level
                for a in session.exec(
                    select(AssessmentRatingRow).where(AssessmentRatingRow.assessment == r.id)
                )
            }
            for r in rows
        }
    assert answers == {(True, True): {"x": 1}, (False, False): {"x": 4}}
