"""The counsellor workspace's services, end to end on SQLite and PostgreSQL (never mocked):
invitation → consent → the counsellor sees the assessment → a re-assessment → two dates
compared → an action from the plan → the person marks it done and comments → the person
stops sharing → the counsellor keeps only the name and the reason."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from careerpath.config import load_settings
from careerpath.data.workspace_tables import ActionCommentRow, CounsellorNoteRow, PlanActionRow
from careerpath.domain.access import Actor
from careerpath.domain.actions import ActionStatus, Author
from careerpath.services.accounts import Accounts, ManualClock, Role
from careerpath.services.assessments import AssessmentStore, new_device_id
from careerpath.services.context import Context, context_of
from careerpath.services.erasure import erase_device
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
from careerpath.services.workspace.follow import STALE_AFTER
from careerpath.services.workspace.person import STOPPED_REASON

PASSWORD = "une phrase de passe assez longue"


@dataclass
class World:
    url: str
    clock: ManualClock
    store: Store
    ctx: Context
    a: Actor
    b: Actor
    manager: Actor
    a2: Actor
    device: Actor


def _actor(accounts: Accounts, email: str) -> Actor:
    signed = accounts.sign_in(email, PASSWORD)
    return accounts.resolve(signed.token)


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    initialise_database(database_url)
    clock = ManualClock()
    accounts = Accounts(database_url, clock=clock, settings=load_settings({}))
    accounts.create("a@ml.fr", Role.COUNSELLOR, structure="Mission locale A", password=PASSWORD)
    accounts.create("a2@ml.fr", Role.COUNSELLOR, structure="Mission locale A", password=PASSWORD)
    accounts.create("b@cio.fr", Role.COUNSELLOR, structure="CIO B", password=PASSWORD)
    accounts.create(
        "chef@ml.fr", Role.STRUCTURE_ADMIN, structure="Mission locale A", password=PASSWORD
    )
    device_id = new_device_id()
    assessments = AssessmentStore(database_url)
    stored = assessments.start(device_id, "en_recherche", "secretaire")
    assessments.rate_many(stored.id, {"org-prioriser": 2, "com-ecrire": 3})
    assessments.set_target(stored.id, "office-manager")
    yield World(
        database_url,
        clock,
        Store.of(database_url, clock),
        context_of(load_referential(database_url)),
        _actor(accounts, "a@ml.fr"),
        _actor(accounts, "b@cio.fr"),
        _actor(accounts, "chef@ml.fr"),
        _actor(accounts, "a2@ml.fr"),
        Actor(device_id=device_id),
    )


def test_the_whole_follow_up_loop(world: World) -> None:
    invitations, follow = Invitations(world.store), Follow(world.store)
    plan, person = CounsellorPlan(world.store), Person(world.store)

    invitation = invitations.create(world.a, "  Camille   D. ")
    assert len(invitation.code) == 8 and invitation.url.endswith(f"/invitation/{invitation.code}")
    assert invitation.qr_svg.startswith("<svg")
    preview = invitations.preview(invitation.shown_code.lower())  # typed loosely
    assert (preview.structure, preview.status) == ("Mission locale A", "pending")
    assert preview.expires_at == world.clock.now + timedelta(days=14)

    beneficiary = invitations.accept(invitation.code, world.device.device_id)
    with pytest.raises(WorkspaceError) as again:
        invitations.accept(invitation.code, world.device.device_id)
    assert again.value.code == "answered"

    page = follow.caseload(world.a, ctx=world.ctx)
    assert [(r.label, r.goal, r.sharing) for r in page.rows] == [
        ("Camille D.", "office-manager", True)
    ]
    first_readiness = page.rows[0].readiness
    assert first_readiness is not None and page.rows[0].change is None
    # Another structure's counsellor never reaches it, by the list or by its id.
    assert follow.caseload(world.b, ctx=world.ctx).total == 0
    for call in (
        lambda: follow.detail(world.b, beneficiary, world.ctx),
        lambda: follow.latest_assessment(world.b, beneficiary),
        lambda: plan.read(world.b, beneficiary),
        lambda: follow.add_note(world.b, beneficiary, "x"),
        lambda: follow.detail(world.a2, beneficiary, world.ctx),  # same structure, not theirs
    ):
        with pytest.raises(NotFound):
            call()
    # The manager sees the structure's caseload.
    assert follow.caseload(world.manager, ctx=world.ctx).total == 1

    latest = follow.latest_assessment(world.a, beneficiary)
    assert latest is not None and latest.ratings["com-ecrire"] == 3

    # A re-assessment two weeks later adds a dated snapshot.
    world.clock.advance(days=14)
    fresh = person.reassess(world.device)
    assert fresh is not None
    AssessmentStore(world.url).rate_many(fresh.id, {"org-prioriser": 4, "rh-paie": 2})
    detail = follow.detail(world.a, beneficiary, world.ctx)
    assert len(detail.snapshots) == 2
    comparison = follow.compare(
        world.a, beneficiary, detail.snapshots[1].id, detail.snapshots[0].id, world.ctx
    )
    changed = {c.code: (c.before, c.after) for c in comparison.changes}
    assert changed["org-prioriser"] == (2, 4) and changed["rh-paie"] == (None, 2)
    assert comparison.after.readiness is not None and comparison.before.readiness is not None
    assert comparison.after.readiness >= comparison.before.readiness
    row = follow.caseload(world.a, ctx=world.ctx).rows[0]
    assert row.change == pytest.approx(comparison.after.readiness - comparison.before.readiness)

    # An action from the plan, seen and updated by the person.
    item = follow.plan_items(world.a, beneficiary, world.ctx)[0]
    training = next(t for t in world.ctx.referential.trainings if t.code == item.training)
    action_id = plan.add_training(world.a, beneficiary, training.code, world.ctx)
    mine = person.follow_ups(world.device)
    assert [a.title for a in mine[0].plan.actions] == [training.title[:200]]
    person.set_status(world.device, beneficiary, action_id, "done")
    person.comment(world.device, beneficiary, action_id, "Inscription faite, début en mars.")
    seen = plan.read(world.a, beneficiary).actions[0]
    assert seen.status is ActionStatus.DONE
    assert [(c.author, c.text) for c in seen.comments] == [
        (Author.BENEFICIARY, "Inscription faite, début en mars.")
    ]
    # Another device cannot touch it.
    with pytest.raises(NotFound):
        person.set_status(Actor(device_id=new_device_id()), beneficiary, action_id, "todo")

    follow.add_note(world.a, beneficiary, "Très motivée, à relancer sur la VAE.")
    assert [n.text for n in follow.notes(world.a, beneficiary)] == [
        "Très motivée, à relancer sur la VAE."
    ]

    # Stop sharing: effective at once; only the name and the reason are kept.
    person.stop_sharing(world.device, beneficiary)
    assert person.follow_ups(world.device) == []
    for call in (
        lambda: follow.latest_assessment(world.a, beneficiary),
        lambda: plan.read(world.a, beneficiary),
        lambda: follow.notes(world.a, beneficiary),
    ):
        with pytest.raises(WorkspaceError) as refused:
            call()
        assert refused.value.code == "not_shared"
    kept = follow.detail(world.a, beneficiary, world.ctx)
    assert (kept.label, kept.status, kept.closed_reason, kept.snapshots) == (
        "Camille D.",
        "closed",
        STOPPED_REASON,
        (),
    )
    closed = follow.caseload(world.a, status="closed", ctx=world.ctx).rows
    assert [(r.label, r.readiness, r.sharing) for r in closed] == [("Camille D.", None, False)]


def test_bad_input_is_refused_and_nothing_is_written(world: World) -> None:
    invitations, follow = Invitations(world.store), Follow(world.store)
    for label in ("", "   ", "x" * 121, "a\x00b"):
        with pytest.raises(WorkspaceError) as refused:
            invitations.create(world.a, label)
        assert refused.value.field == "label"
    assert follow.caseload(world.a, ctx=world.ctx).total == 0
    for code in ("", "ABC", "0000OOOO", "ACDEFGH!"):
        with pytest.raises(WorkspaceError):
            invitations.preview(code)
    invitation = invitations.create(world.a, "Sam")
    beneficiary = invitations.accept(invitation.code, world.device.device_id)
    plan = CounsellorPlan(world.store)
    for kwargs, field in (
        ({"kind": "free", "title": ""}, "title"),
        ({"kind": "free", "title": "x" * 201}, "title"),
        ({"kind": "rocket", "title": "x"}, "kind"),
        ({"kind": "free", "title": "x", "start": "2027-02-01", "due": "2027-01-01"}, "due"),
        ({"kind": "free", "title": "x", "due": "31/01/2027"}, "due"),
    ):
        with pytest.raises(WorkspaceError) as refused:
            plan.add_action(world.a, beneficiary, **kwargs)
        assert refused.value.field == field
        assert refused.value.message("fr") and refused.value.message("en")
    assert plan.read(world.a, beneficiary).actions == ()


def test_an_invitation_expires_after_14_days(world: World) -> None:
    invitations = Invitations(world.store)
    invitation = invitations.create(world.a, "Alex")
    world.clock.advance(days=14, seconds=1)
    assert invitations.preview(invitation.code).status == "expired"
    with pytest.raises(WorkspaceError) as refused:
        invitations.accept(invitation.code, world.device.device_id)
    assert refused.value.code == "expired"


def test_no_news_for_two_months_is_flagged_and_overdue_actions_counted(world: World) -> None:
    invitations, follow = Invitations(world.store), Follow(world.store)
    beneficiary = invitations.accept(
        invitations.create(world.a, "Lou").code, world.device.device_id
    )
    CounsellorPlan(world.store).add_action(
        world.a, beneficiary, "application", "Candidater chez X", due="2026-12-15"
    )
    row = follow.caseload(world.a, ctx=world.ctx).rows[0]
    assert (row.stale, row.overdue) == (False, 0)
    world.clock.advance(days=STALE_AFTER.days + 1)
    row = follow.caseload(world.a, ctx=world.ctx).rows[0]
    assert (row.stale, row.overdue) == (True, 1)


def test_a_manager_reassigns_and_the_history_says_who_followed_when(world: World) -> None:
    invitations, follow = Invitations(world.store), Follow(world.store)
    beneficiary = invitations.accept(
        invitations.create(world.a, "Noa").code, world.device.device_id
    )
    with pytest.raises(WorkspaceError) as refused:
        follow.reassign(world.a, beneficiary, "a2@ml.fr")  # a counsellor cannot
    assert (refused.value.code, refused.value.status) == ("manager_only", 403)
    with pytest.raises(NotFound):
        follow.reassign(world.b, beneficiary, "b@cio.fr")  # nor another structure's
    assert not follow.may_reassign(world.a, beneficiary)
    assert follow.may_reassign(world.manager, beneficiary)
    choices = follow.counsellors(world.manager, beneficiary)
    assert [(c.email, c.current) for c in choices][0] == ("a@ml.fr", True)
    assert {c.email for c in choices} == {"a@ml.fr", "a2@ml.fr", "chef@ml.fr"}
    with pytest.raises(WorkspaceError) as other:
        follow.reassign(world.manager, beneficiary, "b@cio.fr")  # another structure
    assert other.value.field == "counsellor"
    follow.reassign(world.manager, beneficiary, "a@ml.fr")  # already theirs: no change
    assert len(follow.detail(world.a, beneficiary, world.ctx).history) == 1
    world.clock.advance(days=3)
    follow.reassign(world.manager, beneficiary, "a2@ml.fr")
    # A person not yet answered reads, on the invitation, who follows them now.
    waiting = invitations.create(world.a, "Pas encore")
    follow.reassign(world.manager, waiting.beneficiary_id, "a2@ml.fr")
    assert invitations.preview(waiting.code).counsellor == "a2@ml.fr"
    with pytest.raises(NotFound):
        follow.latest_assessment(world.a, beneficiary)
    assert follow.latest_assessment(world.a2, beneficiary) is not None
    history = follow.detail(world.a2, beneficiary, world.ctx).history
    assert [(h.counsellor, h.ended_at is None) for h in history] == [
        ("a@ml.fr", False),
        ("a2@ml.fr", True),
    ]


def test_closing_needs_a_reason_and_makes_it_read_only(world: World) -> None:
    invitations, follow = Invitations(world.store), Follow(world.store)
    beneficiary = invitations.accept(
        invitations.create(world.a, "Eli").code, world.device.device_id
    )
    with pytest.raises(WorkspaceError) as refused:
        follow.close(world.a, beneficiary, "  ")
    assert refused.value.field == "reason"
    follow.close(world.a, beneficiary, "Emploi trouvé")
    with pytest.raises(WorkspaceError) as closed:
        CounsellorPlan(world.store).add_action(world.a, beneficiary, "free", "x")
    assert closed.value.code == "closed"
    assert follow.latest_assessment(world.a, beneficiary) is not None  # still readable


def test_a_follow_up_without_activity_for_24_months_is_purged(world: World) -> None:
    invitations, follow = Invitations(world.store), Follow(world.store)
    invitations.accept(invitations.create(world.a, "Old").code, world.device.device_id)
    invitations.create(world.a, "Recent")
    assert follow.purge() == 0
    world.clock.advance(days=731)
    assert follow.purge() == 2
    assert follow.caseload(world.a, status="all", ctx=world.ctx).total == 0


def test_careerpath_purge_command(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    from careerpath.cli.main import main

    assert main(["purge", "--database-url", world.url]) == 0
    assert "Purgé : 0 accompagnement(s)" in capsys.readouterr().out


def test_the_plan_items_of_the_latest_assessment_become_actions(world: World) -> None:
    invitations, follow = Invitations(world.store), Follow(world.store)
    invitation = invitations.create(world.a, "Camille D.")
    beneficiary = invitations.accept(invitation.code, world.device.device_id)
    items = follow.plan_items(world.a, beneficiary, world.ctx)
    assert items, "office-manager from secretaire needs training"
    assert all(i.hours >= 0 and i.title for i in items)
    action = CounsellorPlan(world.store).add_training(
        world.a, beneficiary, items[0].training, world.ctx
    )
    seen = CounsellorPlan(world.store).read(world.a, beneficiary).actions
    assert [(a.id, a.training) for a in seen] == [(action, items[0].training)]
    with pytest.raises(NotFound):
        follow.plan_items(world.b, beneficiary, world.ctx)


def test_deleting_my_data_stops_every_share_and_leaves_no_plan_comment_or_note(
    world: World,
) -> None:
    """« Supprimer mes données » is at least « Arrêter le partage » for every follow-up."""
    invitations, follow = Invitations(world.store), Follow(world.store)
    plan, person = CounsellorPlan(world.store), Person(world.store)
    beneficiary = invitations.accept(
        invitations.create(world.a, "Sam").code, world.device.device_id
    )
    item = follow.plan_items(world.a, beneficiary, world.ctx)[0]
    training = next(t for t in world.ctx.referential.trainings if t.code == item.training)
    action_id = plan.add_training(world.a, beneficiary, training.code, world.ctx)
    person.comment(world.device, beneficiary, action_id, "Mon commentaire à moi.")
    follow.add_note(world.a, beneficiary, "Note du conseiller.")

    erase_device(world.device.device_id, world.url)

    assert AssessmentStore(world.url).current(world.device.device_id) is None
    kept = follow.detail(world.a, beneficiary, world.ctx)
    assert (kept.label, kept.status, kept.closed_reason, kept.snapshots) == (
        "Sam",
        "closed",
        STOPPED_REASON,
        (),
    )
    with pytest.raises(WorkspaceError) as refused:
        plan.read(world.a, beneficiary)
    assert refused.value.code == "not_shared"
    with Session(world.store.engine) as session:
        for table in (CounsellorNoteRow, PlanActionRow, ActionCommentRow):
            assert session.exec(select(table)).all() == [], table.__name__


def test_an_action_is_edited_at_once_or_not_at_all_and_both_sides_see_overdue(
    world: World,
) -> None:
    from careerpath.services.workspace.plans import ActionEdit

    invitations, plan, person = (
        Invitations(world.store),
        CounsellorPlan(world.store),
        Person(world.store),
    )
    beneficiary = invitations.accept(
        invitations.create(world.a, "Lina").code, world.device.device_id
    )
    goal = plan.add_objective(world.a, beneficiary, "", "office-manager", world.ctx)
    action_id = plan.add_action(
        world.a, beneficiary, "application", "Candidater chez X", objective_id=goal
    )
    today = world.clock.now.date()
    plan.update_action(
        world.a,
        beneficiary,
        action_id,
        ActionEdit(status="doing", start=today.isoformat(), due=(today + timedelta(days=7))),
    )
    for edit, field in (
        (ActionEdit(status="done", due=(today - timedelta(days=1)).isoformat()), "due"),
        (ActionEdit(status="done", start="demain"), "start"),
        (ActionEdit(status="done", due="2027-13-01"), "due"),
        (ActionEdit(status="finished"), "status"),
        (ActionEdit(status="done", title=""), "title"),
    ):
        with pytest.raises(WorkspaceError) as refused:
            plan.update_action(world.a, beneficiary, action_id, edit)
        assert refused.value.field == field
        assert refused.value.message("fr") != refused.value.message("en")
    seen = plan.read(world.a, beneficiary)
    (action,) = seen.actions
    assert (action.status, action.start, action.due, action.objective_id) == (
        ActionStatus.DOING,
        today,
        today + timedelta(days=7),
        goal,
    )
    assert [o.role for o in seen.objectives] == ["office-manager"]

    # The person adds an action of their own, under the same objective.
    own = person.add_action(world.device, beneficiary, "network", "Rejoindre le club", "", "", goal)
    mine = person.follow_ups(world.device)[0].plan
    assert {a.id: a.created_by for a in mine.actions} == {
        action_id: Author.COUNSELLOR,
        own: Author.BENEFICIARY,
    }
    with pytest.raises(WorkspaceError) as group_kind:
        person.add_action(world.device, beneficiary, "meeting", "Réunion")
    assert group_kind.value.field == "kind"

    # Eight days later the action is overdue, on both sides.
    world.clock.advance(days=8)
    assert [a.overdue for a in plan.read(world.a, beneficiary).actions if a.id == action_id] == [
        True
    ]
    assert [
        a.overdue for a in person.follow_ups(world.device)[0].plan.actions if a.id == action_id
    ] == [True]
    person.set_status(world.device, beneficiary, action_id, "done")
    assert not plan.read(world.a, beneficiary).overdue


def test_a_closed_follow_up_is_read_only_on_both_sides(world: World) -> None:
    from careerpath.services.workspace.plans import ActionEdit

    invitations, plan, person = (
        Invitations(world.store),
        CounsellorPlan(world.store),
        Person(world.store),
    )
    beneficiary = invitations.accept(
        invitations.create(world.a, "Ana").code, world.device.device_id
    )
    goal = plan.add_objective(world.a, beneficiary, "Devenir office manager")
    action_id = plan.add_action(world.a, beneficiary, "free", "Mettre à jour le CV")
    Follow(world.store).close(world.a, beneficiary, "Emploi trouvé")
    for call in (
        lambda: plan.update_action(world.a, beneficiary, action_id, ActionEdit(status="done")),
        lambda: plan.comment(world.a, beneficiary, action_id, "x"),
        lambda: plan.rename_objective(world.a, beneficiary, goal, "x"),
        lambda: plan.delete_objective(world.a, beneficiary, goal),
        lambda: plan.add_objective(world.a, beneficiary, "x"),
        lambda: person.set_status(world.device, beneficiary, action_id, "done"),
        lambda: person.comment(world.device, beneficiary, action_id, "x"),
        lambda: person.add_action(world.device, beneficiary, "free", "x"),
        lambda: Follow(world.store).reassign(world.manager, beneficiary, "a2@ml.fr"),
    ):
        with pytest.raises(WorkspaceError) as refused:
            call()
        assert (refused.value.code, refused.value.status) == ("closed", 409)
    (kept,) = plan.read(world.a, beneficiary).actions
    assert (kept.status, kept.comments) == (ActionStatus.TODO, ())
    assert person.follow_ups(world.device)[0].open is False


def test_an_administrator_sees_each_structure_in_numbers_and_no_person(world: World) -> None:
    from careerpath.services.accounts import AccessDenied
    from careerpath.services.workspace.overview import structures_overview

    accounts = Accounts(world.url, clock=world.clock, settings=load_settings({}))
    accounts.create("root@careerpath.fr", Role.ADMIN, password=PASSWORD)
    admin = _actor(accounts, "root@careerpath.fr")
    invitations = Invitations(world.store)
    shared = invitations.accept(invitations.create(world.a, "Lou").code, world.device.device_id)
    Follow(world.store).close(world.a, invitations.create(world.a, "Sam").beneficiary_id, "Parti")
    counts = {s.name: s for s in structures_overview(world.store, admin)}
    a, b = counts["Mission locale A"], counts["CIO B"]
    assert (a.counsellors, a.managers, a.open, a.closed, a.sharing) == (2, 1, 1, 1, 1)
    assert (b.counsellors, b.managers, b.open, b.closed) == (1, 0, 0, 0)
    world.clock.advance(days=STALE_AFTER.days + 1)
    assert {s.name: s.stale for s in structures_overview(world.store, admin)}[
        "Mission locale A"
    ] == 1
    for someone in (world.a, world.manager, world.device):
        with pytest.raises(AccessDenied):
            structures_overview(world.store, someone)
    # The administrator still reaches no beneficiary.
    with pytest.raises(AccessDenied):
        Follow(world.store).detail(admin, shared, world.ctx)


_DATES = st.one_of(
    st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)).map(date.isoformat),
    st.sampled_from(["", "31/12/2027", "2027-02-30", "demain", "2027-1-5", " 2027-03-01 "]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(["todo", "doing", "done", "abandoned", "waiting", "finished"]),
            _DATES,
            _DATES,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_an_edit_is_kept_whole_or_not_at_all(
    sqlite_url: str, edits: list[tuple[str, str, str]]
) -> None:
    """Whatever the person types, the stored action is either the edit, whole, or what it was
    (never a status saved with dates refused), and start ≤ due always holds."""
    from careerpath.services.workspace.plans import ActionEdit, parse_date

    initialise_database(sqlite_url)
    accounts = Accounts(sqlite_url, settings=load_settings({}))
    email = f"c-{new_device_id()[:8]}@ml.fr"
    accounts.create(email, Role.COUNSELLOR, structure="Mission locale P", password=PASSWORD)
    counsellor = _actor(accounts, email)
    device = new_device_id()
    AssessmentStore(sqlite_url).start(device, "en_recherche", "secretaire")
    store = Store.of(sqlite_url)
    invitations, plan = Invitations(store), CounsellorPlan(store)
    beneficiary = invitations.accept(invitations.create(counsellor, "P").code, device)
    action_id = plan.add_action(counsellor, beneficiary, "free", "Une action")
    expected = (ActionStatus.TODO, None, None)
    for status, start, due in edits:
        try:
            plan.update_action(
                counsellor, beneficiary, action_id, ActionEdit(status=status, start=start, due=due)
            )
        except WorkspaceError as refused:
            assert refused.field in ("status", "start", "due")
            assert refused.message("fr") and refused.message("en")
        else:
            expected = (ActionStatus(status), parse_date(start, "start"), parse_date(due, "due"))
        (stored,) = plan.read(counsellor, beneficiary).actions
        assert (stored.status, stored.start, stored.due) == expected
        if stored.start and stored.due:
            assert stored.start <= stored.due
