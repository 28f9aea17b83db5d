"""The workspace over time, on SQLite and PostgreSQL: a shared assessment the person changes
becomes a new dated snapshot (never when nothing changes), two chosen dates compared,
« Demander une mise à jour » noted, and the caseload sorted by readiness page after page."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from careerpath.config import load_settings
from careerpath.data.assessment_tables import SnapshotFigureRow
from careerpath.domain.access import Actor
from careerpath.services.accounts import Accounts, ManualClock, Role
from careerpath.services.assessments import AssessmentStore, new_device_id, snapshot_day
from careerpath.services.context import Context, context_of
from careerpath.services.referential import initialise_database, load_referential
from careerpath.services.workspace import (
    Follow,
    Invitations,
    NotFound,
    Person,
    Store,
    WorkspaceError,
    figures,
)

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
    """The id of the assessment the device had before sharing."""


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


def _dates(world: World, beneficiary: str) -> list[dict[str, int]]:
    """The ratings of each dated snapshot the counsellor sees, oldest first."""
    detail = Follow(world.store).detail(world.a, beneficiary, world.ctx)
    return [dict(world.assessments.get(s.id).ratings) for s in detail.snapshots]  # type: ignore[union-attr]


def test_a_change_after_consent_is_a_new_dated_snapshot_and_no_change_makes_none(
    world: World,
) -> None:
    store, first = world.assessments, world.first
    # Before sharing, answers change in place: one assessment.
    store.rate(first, "org-prioriser", 1)
    store.rate(first, "org-prioriser", 2)
    beneficiary = _share(world)
    world.clock.advance(hours=1)
    consented = {"org-prioriser": 2, "com-ecrire": 3}
    assert _dates(world, beneficiary) == [consented]

    # Looking again, answering the same, re-saving the same goal and moving between steps
    # change nothing the counsellor holds: no snapshot.
    store.rate(first, "org-prioriser", 2)
    store.set_target(first, "office-manager")
    store.set_step(first, 3)
    assert _dates(world, beneficiary) == [consented]

    # A real change: a new dated snapshot; what the counsellor had is kept as it was.
    store.rate(first, "org-prioriser", 3)
    assert _dates(world, beneficiary) == [consented, {"org-prioriser": 3, "com-ecrire": 3}]
    current = store.current(world.device.device_id)
    assert current is not None and current.id != first
    # More changes the same day (even sent with the old id by a tab left open) go into it.
    store.rate(first, "rh-paie", 1)
    store.rate(current.id, "com-ecrire", 4)
    today = {"org-prioriser": 3, "com-ecrire": 4, "rh-paie": 1}
    assert _dates(world, beneficiary) == [consented, today]

    # The next day, a change starts the next snapshot.
    world.clock.advance(days=1)
    store.rate(current.id, "rh-paie", 2)
    assert _dates(world, beneficiary) == [consented, today, {**today, "rh-paie": 2}]
    # A goal changed is a change too.
    world.clock.advance(days=1)
    newest = store.current(world.device.device_id)
    assert newest is not None
    store.set_target(newest.id, "gestionnaire-paie")
    detail = Follow(world.store).detail(world.a, beneficiary, world.ctx)
    assert len(detail.snapshots) == 4 and detail.goal == "gestionnaire-paie"


def test_an_update_asked_for_seals_todays_snapshot(world: World) -> None:
    beneficiary = _share(world)
    follow = Follow(world.store)
    store = world.assessments
    world.clock.advance(minutes=5)
    store.rate(world.first, "org-prioriser", 3)  # the same day as consent: snapshot 2
    assert len(_dates(world, beneficiary)) == 2
    world.clock.advance(minutes=30)
    asked = follow.request_update(world.a, beneficiary)
    assert asked.link.endswith("/mon-suivi") and asked.requested_at == world.clock.now
    row = follow.caseload(world.a, ctx=world.ctx).rows[0]
    assert row.update_requested == world.clock.now
    assert follow.detail(world.a, beneficiary, world.ctx).update_requested == world.clock.now
    # What the person changes after the request is a snapshot of its own, even the same day.
    current = store.current(world.device.device_id)
    assert current is not None
    store.rate(current.id, "org-prioriser", 4)
    assert [d["org-prioriser"] for d in _dates(world, beneficiary)] == [2, 3, 4]
    # The person's explicit « Mettre à jour » does not copy a snapshot still open.
    assert (
        Person(world.store).reassess(world.device).id
        == store.current(  # type: ignore[union-attr]
            world.device.device_id
        ).id
    )  # type: ignore[union-attr]
    assert len(_dates(world, beneficiary)) == 3

    # Nobody else may ask, and nothing is written by a refusal.
    with pytest.raises(NotFound):
        follow.request_update(world.b, beneficiary)
    Person(world.store).stop_sharing(world.device, beneficiary)
    with pytest.raises(WorkspaceError) as refused:
        follow.request_update(world.a, beneficiary)
    assert refused.value.code == "not_shared"
    # Not shared any more: the person's changes are theirs again, in place.
    before = store.count_for_device(world.device.device_id)
    world.clock.advance(days=3)
    newest = store.current(world.device.device_id)
    assert newest is not None
    store.rate(newest.id, "org-prioriser", 1)
    assert store.count_for_device(world.device.device_id) == before


def test_two_chosen_dates_compare_per_competency_category_and_readiness(world: World) -> None:
    beneficiary = _share(world)
    store = world.assessments
    for day, ratings in enumerate(
        ({"org-prioriser": 3}, {"org-prioriser": 4, "com-ecrire": 4, "rh-paie": 2}), start=1
    ):
        world.clock.advance(days=day)
        current = store.current(world.device.device_id)
        assert current is not None
        store.rate_many(current.id, ratings)
    follow = Follow(world.store)
    snapshots = follow.detail(world.a, beneficiary, world.ctx).snapshots
    assert len(snapshots) == 3
    # The oldest against the newest, given in either order.
    compared = follow.compare(world.a, beneficiary, snapshots[2].id, snapshots[0].id, world.ctx)
    assert (compared.before.id, compared.after.id) == (snapshots[0].id, snapshots[2].id)
    changes = {c.code: (c.before, c.after) for c in compared.changes}
    assert changes["org-prioriser"] == (2, 4) and changes["rh-paie"] == (None, 2)
    category = world.ctx.referential.competency_by_code["org-prioriser"].category
    mine = [c for c in compared.categories if c.category == category]
    expected_before = [
        level
        for code, (level, _) in changes.items()
        if world.ctx.referential.competency_by_code[code].category == category and level is not None
    ]
    assert mine and mine[0].before == pytest.approx(sum(expected_before) / len(expected_before))
    assert compared.after.readiness is not None and compared.before.readiness is not None
    assert compared.after.readiness > compared.before.readiness
    assert compared.after.plan_hours is not None and compared.before.plan_hours is not None
    assert compared.after.plan_hours <= compared.before.plan_hours
    # A snapshot of someone else is refused.
    other = new_device_id()
    foreign = store.start(other, "en_poste", "secretaire")
    with pytest.raises(WorkspaceError) as refused:
        follow.compare(world.a, beneficiary, snapshots[0].id, foreign.id, world.ctx)
    assert refused.value.code == "snapshot"
    with pytest.raises(NotFound):
        follow.compare(world.b, beneficiary, snapshots[0].id, snapshots[1].id, world.ctx)


def test_the_caseload_sorted_by_readiness_is_the_order_of_the_readiness(world: World) -> None:
    invitations, follow = Invitations(world.store), Follow(world.store)
    store = world.assessments
    expected = []
    for n in range(7):
        device = new_device_id()
        stored = store.start(device, "en_poste", "secretaire")
        store.rate_many(stored.id, {"org-prioriser": n % 5, "com-ecrire": (n * 3) % 5})
        if n != 3:  # one without a goal: last
            store.set_target(stored.id, "office-manager")
        invitations.accept(invitations.create(world.a, f"Personne {n}").code, device)
        kept = store.current(device)
        assert kept is not None
        readiness = (
            None
            if n == 3
            else world.ctx.engine.role_readiness(
                kept.to_assessment("office-manager"), "office-manager"
            ).score
        )
        expected.append((readiness is None, -(readiness or 0), f"personne {n}"))
    seen = []
    for page in (1, 2, 3, 4):
        found = follow.caseload(world.a, sort="readiness", page=page, page_size=2, ctx=world.ctx)
        assert found.total == 7 and found.pages == 4
        seen.extend((r.readiness is None, -(r.readiness or 0), r.label.lower()) for r in found.rows)
    assert [s[2] for s in seen] == [e[2] for e in sorted(expected)]
    assert [s[1] for s in seen] == pytest.approx([e[1] for e in sorted(expected)])


_WRITE = st.tuples(
    st.integers(min_value=0, max_value=3),  # hours to wait first (a day every 24)
    st.booleans(),  # a later day
    st.sampled_from(["org-prioriser", "com-ecrire", "rh-paie"]),
    st.integers(min_value=0, max_value=4),
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(writes=st.lists(_WRITE, max_size=8), stale_id=st.booleans())
def test_whatever_the_person_changes_the_dates_the_counsellor_holds_stay_as_they_were(
    sqlite_url: str, writes: list[tuple[int, bool, str, int]], stale_id: bool
) -> None:
    """Invariants over any sequence of answers after consent: every dated snapshot keeps
    what it held when the next one began; the newest holds every answer given; there is at
    most one snapshot per day with a real change, and none for a change that changes
    nothing."""
    url = f"{sqlite_url[:-3]}-{uuid.uuid4().hex[:8]}.db"
    initialise_database(url)
    clock = ManualClock()
    accounts = Accounts(url, clock=clock, settings=load_settings({}))
    accounts.create("a@ml.fr", Role.COUNSELLOR, structure="ML", password=PASSWORD)
    counsellor = accounts.resolve(accounts.sign_in("a@ml.fr", PASSWORD).token)
    store = AssessmentStore(url, clock)
    device = new_device_id()
    first = store.start(device, "en_poste", "secretaire")
    store.rate_many(first.id, {"org-prioriser": 2})
    store.set_target(first.id, "office-manager")
    world_store = Store.of(url, clock)
    invitations = Invitations(world_store)
    beneficiary = invitations.accept(invitations.create(counsellor, "P").code, device)
    follow = Follow(world_store)
    ctx = context_of(load_referential(url))

    def held() -> list[dict[str, int]]:
        snaps = follow.detail(counsellor, beneficiary, ctx).snapshots
        return [dict(store.get(s.id).ratings) for s in snaps]  # type: ignore[union-attr]

    expected = {"org-prioriser": 2}
    history = held()
    changed_days: set[object] = set()
    for hours, next_day, code, level in writes:
        clock.advance(hours=hours, days=1 if next_day else 0, seconds=1)
        target = first.id if stale_id else store.current(device).id  # type: ignore[union-attr]
        real = expected.get(code) != level
        store.rate(target, code, level)
        expected[code] = level
        now = held()
        # What was held before is unchanged, except the open snapshot of today.
        assert now[: len(history) - 1] == history[:-1]
        assert now[-1] == expected
        if not real:
            assert now == history
        else:
            changed_days.add(snapshot_day(clock.now))  # the day of Paris, as snapshots
            assert len(now) in (len(history), len(history) + 1)
        history = now
    assert history[0] == {"org-prioriser": 2}  # what the counsellor got at consent
    assert len(history) <= 1 + len(changed_days)


def test_each_snapshots_readiness_is_stored_once_and_scored_again_when_it_changes(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    beneficiary = _share(world)
    follow = Follow(world.store)
    first = follow.caseload(world.a, sort="readiness", ctx=world.ctx).rows[0]
    with Session(world.store.engine) as session:
        stored = session.exec(select(SnapshotFigureRow)).all()
    assert [(r.assessment, r.kind, r.goal) for r in stored] == [
        (world.first, "readiness", "office-manager")
    ]
    assert stored[0].value == pytest.approx(first.readiness)
    # Another worker, or after a restart: nothing in memory, the engine is not asked again.
    figures.forget()
    engine_class = type(world.ctx.engine)
    original = engine_class.role_readiness

    def refused(*args: object, **kwargs: object) -> object:
        raise AssertionError("the engine ran for a snapshot already scored")

    monkeypatch.setattr(engine_class, "role_readiness", refused)
    again = follow.caseload(world.a, sort="readiness", ctx=world.ctx).rows[0]
    assert again.readiness == pytest.approx(first.readiness)
    # A change is a new snapshot (after consent), scored by the engine, and stored too.
    monkeypatch.setattr(engine_class, "role_readiness", original)
    world.clock.advance(hours=2)
    world.assessments.rate(world.first, "org-prioriser", 4)
    changed = follow.caseload(world.a, sort="readiness", ctx=world.ctx).rows[0]
    assert changed.readiness is not None and changed.readiness > (first.readiness or 0)
    assert changed.change == pytest.approx(changed.readiness - (first.readiness or 0))
    follow.detail(world.a, beneficiary, world.ctx)  # the page stores the plan's hours too
    with Session(world.store.engine) as session:
        kinds = sorted(
            (r.kind, r.assessment == world.first)
            for r in session.exec(select(SnapshotFigureRow)).all()
        )
    assert kinds == [("hours", False), ("hours", True), ("readiness", False), ("readiness", True)]
