"""Rules of the action plan and of a follow-up's life, on SQLite and PostgreSQL: malformed
ids refused with the plan's message (never a denial, never a change), a training must be of
the person's plan, authorisation before validation, exports audited as exports, « sans
nouvelles » and the purge after the person's own activity, a closed follow-up read-only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlmodel import Session, col, select

from careerpath.config import load_settings
from careerpath.data.account_tables import AuditEventRow
from careerpath.domain.access import Actor
from careerpath.services.accounts import Accounts, ManualClock, Role
from careerpath.services.assessments import AssessmentStore, new_device_id
from careerpath.services.context import Context, context_of
from careerpath.services.referential import initialise_database, load_referential
from careerpath.services.workspace import (
    CounsellorPlan,
    Follow,
    Invitations,
    NotFound,
    Person,
    Store,
    WorkspaceError,
)
from careerpath.services.workspace.base import MAX_ID, is_denial, objective_choice
from careerpath.services.workspace.export import actions_csv, beneficiary_pdf
from careerpath.services.workspace.plans import ActionEdit

PASSWORD = "une phrase de passe assez longue"


@dataclass
class World:
    url: str
    clock: ManualClock
    store: Store
    assessments: AssessmentStore
    ctx: Context
    a: Actor
    b: Actor
    device: Actor
    first: str


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    initialise_database(database_url)
    clock = ManualClock()
    accounts = Accounts(database_url, clock=clock, settings=load_settings({}))
    accounts.create("a@ml.fr", Role.COUNSELLOR, structure="Mission locale A", password=PASSWORD)
    accounts.create("b@cio.fr", Role.COUNSELLOR, structure="CIO B", password=PASSWORD)
    assessments = AssessmentStore(database_url, clock)
    device_id = new_device_id()
    stored = assessments.start(device_id, "en_recherche", "secretaire")
    assessments.rate_many(stored.id, {"org-prioriser": 2, "com-ecrire": 3})
    assessments.set_target(stored.id, "office-manager")
    yield World(
        database_url,
        clock,
        Store.of(database_url, clock),
        assessments,
        context_of(load_referential(database_url)),
        accounts.resolve(accounts.sign_in("a@ml.fr", PASSWORD).token),
        accounts.resolve(accounts.sign_in("b@cio.fr", PASSWORD).token),
        Actor(device_id=device_id),
        stored.id,
    )


def _share(world: World, label: str = "Camille") -> str:
    invitations = Invitations(world.store)
    return invitations.accept(invitations.create(world.a, label).code, world.device.device_id)


# -- 1. an objective or action not in this plan is a message, not a denial -----------------


def test_an_objective_of_another_plan_is_a_message_under_the_form_not_a_denial(
    world: World,
) -> None:
    beneficiary = _share(world)
    plan = CounsellorPlan(world.store)
    action = plan.add_action(world.a, beneficiary, "free", "Appeler la mission locale")
    with pytest.raises(WorkspaceError) as refused:
        plan.update_action(world.a, beneficiary, action, ActionEdit(objective_id=987654))
    assert not is_denial(refused.value)
    assert refused.value.message("fr") == "Cet objectif n'existe pas dans ce plan."
    assert refused.value.message("en") != refused.value.message("fr")
    with pytest.raises(WorkspaceError) as missing:
        plan.set_status(world.a, beneficiary, 987654, "done")
    assert not is_denial(missing.value)
    assert missing.value.message("fr") == "Cette action n'existe pas dans ce plan."
    # Counsellor B is denied (the page shows the denial).
    with pytest.raises(WorkspaceError) as denied:
        plan.set_status(world.b, beneficiary, action, "done")
    assert is_denial(denied.value)


# -- 2. malformed ids: refused, bounded, nothing changed ------------------------------------


@pytest.mark.parametrize("typed", ["abc", "-3", "0", "1.5", "²", "12345678901234567890", "  x "])
def test_a_malformed_objective_is_refused_and_the_stored_one_kept(world: World, typed: str) -> None:
    beneficiary = _share(world)
    plan = CounsellorPlan(world.store)
    objective = plan.add_objective(world.a, beneficiary, "Devenir office manager")
    action = plan.add_action(world.a, beneficiary, "free", "CV", objective_id=objective)

    def edit() -> None:
        # What the page's handler does with the form's « objective » field.
        plan.update_action(
            world.a,
            beneficiary,
            action,
            ActionEdit(title="CV à jour", objective_id=objective_choice(typed)),
        )

    with pytest.raises(WorkspaceError) as refused:
        edit()
    assert refused.value.code == "objective" and not is_denial(refused.value)
    kept = plan.action(world.a, beneficiary, action)
    assert (kept.objective_id, kept.title) == (objective, "CV")
    # "" (the select's « aucun ») still clears it.
    plan.update_action(world.a, beneficiary, action, ActionEdit(objective_id=objective_choice("")))
    assert plan.action(world.a, beneficiary, action).objective_id is None


@pytest.mark.parametrize("huge", [MAX_ID + 1, 10**20, -1, 0])
def test_an_id_beyond_the_database_integers_is_refused_not_a_technical_error(
    world: World, huge: int
) -> None:
    beneficiary = _share(world)
    plan, person = CounsellorPlan(world.store), Person(world.store)
    action = plan.add_action(world.a, beneficiary, "free", "CV")
    calls = [
        lambda: plan.set_status(world.a, beneficiary, huge, "done"),
        lambda: plan.comment(world.a, beneficiary, huge, "bonjour"),
        lambda: plan.update_action(world.a, beneficiary, huge, ActionEdit(status="done")),
        lambda: plan.update_action(world.a, beneficiary, action, ActionEdit(objective_id=huge)),
        lambda: plan.rename_objective(world.a, beneficiary, huge, "x"),
        lambda: plan.add_action(world.a, beneficiary, "free", "Lettre", objective_id=huge),
        lambda: person.set_status(world.device, beneficiary, huge, "done"),
        lambda: person.comment(world.device, beneficiary, huge, "bonjour"),
        lambda: person.add_action(world.device, beneficiary, "free", "Moi", objective_id=huge),
    ]
    for call in calls:
        with pytest.raises(WorkspaceError) as refused:
            call()
        assert refused.value.code in ("action", "objective")
    plan.delete_objective(world.a, beneficiary, huge)  # nothing there: nothing to do
    read = plan.read(world.a, beneficiary)
    assert [(a.id, a.status.value, a.objective_id, a.comments) for a in read.actions] == [
        (action, "todo", None, ())
    ]


# -- 3. a training of the person's plan only; authorise before validating --------------------


def test_only_a_training_of_the_persons_plan_becomes_an_action(world: World) -> None:
    beneficiary = _share(world)
    follow, plan = Follow(world.store), CounsellorPlan(world.store)
    in_plan = {i.training for i in follow.plan_items(world.a, beneficiary, world.ctx)}
    outside = next(t.code for t in world.ctx.referential.trainings if t.code not in in_plan)
    with pytest.raises(WorkspaceError) as refused:
        plan.add_training(world.a, beneficiary, outside, world.ctx)
    assert refused.value.code == "training_plan" and refused.value.field == "training"
    assert "plan de formation" in refused.value.message("fr")
    assert "training plan" in refused.value.message("en")
    assert plan.read(world.a, beneficiary).actions == ()
    made = plan.add_training(world.a, beneficiary, sorted(in_plan)[0], world.ctx)
    assert [a.id for a in plan.read(world.a, beneficiary).actions] == [made]


def test_counsellor_b_gets_the_same_404_whatever_the_input(world: World) -> None:
    beneficiary = _share(world)
    plan = CounsellorPlan(world.store)
    for call in (
        lambda: plan.add_training(world.b, beneficiary, "no-such-training", world.ctx),
        lambda: plan.add_training(world.b, beneficiary, "", world.ctx),
        lambda: plan.add_objective(world.b, beneficiary, "", "no-such-role", world.ctx),
        lambda: plan.add_objective(world.b, beneficiary, "x" * 500, None, world.ctx),
        lambda: plan.add_objective(world.b, "0" * 32, "", "no-such-role", world.ctx),
    ):
        with pytest.raises(NotFound):
            call()


# -- 5. the person reads a sentence written for them ---------------------------------------


def test_a_follow_up_gone_from_the_device_is_said_to_the_person_not_to_a_counsellor(
    world: World,
) -> None:
    beneficiary = _share(world)
    person = Person(world.store)
    person.stop_sharing(world.device, beneficiary)
    with pytest.raises(WorkspaceError) as refused:
        person.add_action(world.device, beneficiary, "free", "Relancer mon réseau")
    french, english = refused.value.message("fr"), refused.value.message("en")
    assert french.startswith("Ce suivi n'est plus partagé depuis cet appareil")
    assert english.startswith("This follow-up is no longer shared from this device")
    assert "vous n'y avez pas accès" not in french and "personne" not in french
    assert person.follow_ups(world.device) == []


# -- 6. exports are audited as exports, a page view once -----------------------------------


def _audit_log(world: World) -> list[tuple[str, str]]:
    with Session(world.store.engine) as session:
        return [
            (r.action, r.detail)
            for r in session.exec(select(AuditEventRow).order_by(col(AuditEventRow.id))).all()
            if r.action in ("view", "export")
        ]


def test_an_export_is_logged_as_an_export_and_a_page_view_once(world: World) -> None:
    beneficiary = _share(world)
    follow, plan = Follow(world.store), CounsellorPlan(world.store)
    before = len(_audit_log(world))
    pdf = beneficiary_pdf(follow, plan, world.a, beneficiary, "fr", world.ctx)
    assert pdf.startswith(b"%PDF")
    assert _audit_log(world)[before:] == [("export", "export PDF")]
    actions_csv(follow, plan, world.a, beneficiary, "fr")
    assert _audit_log(world)[before + 1 :] == [("export", "export CSV")]
    # The beneficiary page: its detail, then the plan's items, one view.
    before = len(_audit_log(world))
    follow.detail(world.a, beneficiary, world.ctx)
    follow.plan_items(world.a, beneficiary, world.ctx)
    assert _audit_log(world)[before:] == [("view", "bilans")]


# -- 7. « sans nouvelles » follows the person, not the counsellor's writes ------------------


def _stale(world: World) -> bool:
    (row,) = Follow(world.store).caseload(world.a, ctx=world.ctx).rows
    return row.stale


def test_no_news_is_the_persons_silence_whatever_the_counsellor_writes(world: World) -> None:
    beneficiary = _share(world)
    follow, plan = Follow(world.store), CounsellorPlan(world.store)
    admin = Accounts(world.url, clock=world.clock, settings=load_settings({}))
    admin.create("root@cp.fr", Role.ADMIN, password=PASSWORD)
    root = admin.resolve(admin.sign_in("root@cp.fr", PASSWORD).token)
    from careerpath.services.workspace.overview import structures_overview

    def overview_stale() -> int:
        counts = {s.name: s.stale for s in structures_overview(world.store, root)}
        return counts["Mission locale A"]

    # A weekly note, an action, an update asked for: none of it is news of the person.
    for week in range(8):
        world.clock.advance(days=7)
        follow.add_note(world.a, beneficiary, f"Semaine {week}: pas de réponse.")
    plan.add_action(world.a, beneficiary, "free", "Relancer par téléphone")
    follow.request_update(world.a, beneficiary)
    world.clock.advance(days=60 - 56, hours=23)
    assert not _stale(world) and overview_stale() == 0  # 60 days and 23 hours
    world.clock.advance(hours=1)
    assert _stale(world) and overview_stale() == 1  # 61 days since consent
    # The person re-assesses (a changed rating): news again, for both lists.
    latest = world.assessments.current(world.device.device_id)
    assert latest is not None
    world.assessments.rate(latest.id, "com-ecrire", 4)
    assert not _stale(world) and overview_stale() == 0


# -- 8. the purge counts the person's re-assessments as activity -----------------------------


def test_a_person_who_keeps_reassessing_is_not_purged(world: World) -> None:
    beneficiary = _share(world)
    follow = Follow(world.store)
    for level in (3, 4, 2, 4, 3):  # every five months, for 25 months
        world.clock.advance(days=150)
        latest = world.assessments.current(world.device.device_id)
        assert latest is not None
        world.assessments.rate(latest.id, "org-prioriser", level)
        assert follow.purge() == 0
    assert follow.detail(world.a, beneficiary, world.ctx).sharing
    # Then 24 months without anyone's activity: purged.
    world.clock.advance(days=729)
    assert follow.purge() == 0
    world.clock.advance(days=2)
    assert follow.purge() == 1
    with pytest.raises(NotFound):
        follow.detail(world.a, beneficiary, world.ctx)


# -- 9. closing makes what the follow-up holds read-only ------------------------------------


def _held(world: World, beneficiary: str) -> list[dict[str, int]]:
    detail = Follow(world.store).detail(world.a, beneficiary, world.ctx)
    return [dict(world.assessments.get(s.id).ratings) for s in detail.snapshots]  # type: ignore[union-attr]


@pytest.mark.parametrize("changed_before_closing", [False, True])
def test_a_closed_follow_ups_snapshots_stay_as_they_were_at_closing(
    world: World, changed_before_closing: bool
) -> None:
    beneficiary = _share(world)
    follow = Follow(world.store)
    world.clock.advance(days=3)
    if changed_before_closing:  # a snapshot of today, not sealed, open at closing
        world.assessments.rate(world.first, "rh-paie", 2)
    held = _held(world, beneficiary)
    bilan = follow.latest_assessment(world.a, beneficiary)
    assert bilan is not None
    items = follow.plan_items(world.a, beneficiary, world.ctx)
    (line,) = follow.caseload(world.a, ctx=world.ctx).rows
    world.clock.advance(minutes=5)
    follow.close(world.a, beneficiary, "Emploi trouvé")
    world.clock.advance(seconds=1)

    # The person goes on with their assessment, the same day and later.
    latest = world.assessments.current(world.device.device_id)
    assert latest is not None
    world.assessments.rate(latest.id, "org-prioriser", 4)
    world.assessments.rate(latest.id, "com-ecrire", 0)
    world.clock.advance(days=2)
    world.assessments.rate(world.first, "com-ecrire", 1)  # even the first, by its id

    assert _held(world, beneficiary) == held
    again = follow.latest_assessment(world.a, beneficiary)
    assert again is not None and (again.id, dict(again.ratings)) == (bilan.id, dict(bilan.ratings))
    assert follow.plan_items(world.a, beneficiary, world.ctx) == items
    (closed,) = follow.caseload(world.a, status="closed", ctx=world.ctx).rows
    assert closed.readiness == line.readiness
    # The person's device holds every change, in snapshots begun after the closing.
    mine = world.assessments.current(world.device.device_id)
    assert mine is not None and mine.ratings["org-prioriser"] == 4
    after = [
        s.id for s in world.assessments.snapshots(world.assessments.get(world.first).subject_id)
    ]  # type: ignore[union-attr]
    newest = after[-1]
    with pytest.raises(WorkspaceError) as refused:
        follow.compare(world.a, beneficiary, world.first, newest, world.ctx)
    assert refused.value.code == "snapshot"
    comparison = follow.compare_dates(world.a, beneficiary)
    assert comparison.after.id == bilan.id
