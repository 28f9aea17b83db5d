"""The collective diagnosis's services, end to end on SQLite and PostgreSQL (never mocked):
an organiser creates a group, assistants and the people they work for join from their
devices, the figures appear only from the k-th respondent of a panel and change only by
published states (k changes at least), a member leaves, two dates are compared, the group builds a shared
action plan and exports it; nobody else sees anything."""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from careerpath.config import load_settings
from careerpath.data.collective_tables import (
    CollectiveGroupRow,
    CollectiveMemberRow,
    CollectiveNeedRow,
    CollectiveStateRow,
)
from careerpath.domain.access import Actor
from careerpath.domain.actions import ActionStatus, Author
from careerpath.domain.collective import Panel
from careerpath.services.accounts import Accounts, ManualClock, Role
from careerpath.services.assessments import AssessmentStore, new_device_id
from careerpath.services.collective import CollectiveError, GroupNotFound, Groups
from careerpath.services.collective.groups import _items, need_categories
from careerpath.services.collective.states import lock_group, publish_due
from careerpath.services.context import Context, context_of
from careerpath.services.erasure import erase_device
from careerpath.services.referential import initialise_database, load_referential
from careerpath.services.workspace import Store

PASSWORD = "une phrase de passe assez longue"
ASSISTANT_RATINGS = {"org-prioriser": 3, "com-rediger-courriers": 3, "num-tableur-avance": 1}
NEEDS = {"org-prioriser": 3, "com-rediger-courriers": 3, "num-tableur-avance": 3}


@dataclass
class World:
    url: str
    clock: ManualClock
    groups: Groups
    ctx: Context
    organiser: Actor
    colleague: Actor
    manager: Actor
    other: Actor


def _actor(accounts: Accounts, email: str) -> Actor:
    return accounts.resolve(accounts.sign_in(email, PASSWORD).token)


@pytest.fixture
def world(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    # states published and joins counted at once (the service's defaults, 24 h each, are
    # tested in `test_states_are_published_at_most_once_a_day_and_joins_count_after_a_day`)
    monkeypatch.setenv("CAREERPATH_COLLECTIVE_INTERVAL_HOURS", "0")
    monkeypatch.setenv("CAREERPATH_COLLECTIVE_JOIN_DELAY_HOURS", "0")
    initialise_database(database_url)
    # assessments are dated by the real clock: the test's clock starts now
    clock = ManualClock(datetime.now(UTC))
    accounts = Accounts(database_url, clock=clock, settings=load_settings({}))
    accounts.create("orga@cdg.fr", Role.COUNSELLOR, structure="CDG 69", password=PASSWORD)
    accounts.create("autre@cdg.fr", Role.COUNSELLOR, structure="CDG 69", password=PASSWORD)
    accounts.create("chef@cdg.fr", Role.STRUCTURE_ADMIN, structure="CDG 69", password=PASSWORD)
    accounts.create("b@cio.fr", Role.STRUCTURE_ADMIN, structure="CIO B", password=PASSWORD)
    yield World(
        database_url,
        clock,
        Groups(Store.of(database_url, clock)),
        context_of(load_referential(database_url)),
        _actor(accounts, "orga@cdg.fr"),
        _actor(accounts, "autre@cdg.fr"),
        _actor(accounts, "chef@cdg.fr"),
        _actor(accounts, "b@cio.fr"),
    )


def _assistant(url: str, ratings: dict[str, int] = ASSISTANT_RATINGS) -> str:
    device = new_device_id()
    store = AssessmentStore(url)
    stored = store.start(device, "en_poste", "secretaire")
    store.rate_many(stored.id, ratings)
    return device


def test_the_whole_collective_loop(world: World) -> None:
    groups = world.groups
    card = groups.create(
        world.organiser, "  Service   RH ", "service", subgroups=["Site Nord", "Site Sud"], k=2
    )
    assert card.name == "Service RH" and card.k == 5  # never below the deployment's 5
    assert len(card.code) == 8 and card.url.endswith(f"/g/{card.code}")
    assert card.qr_svg.startswith("<svg")
    preview = groups.preview(card.shown_code.lower())
    assert (preview.name, preview.structure, preview.subgroups) == (
        "Service RH",
        "CDG 69",
        ("Site Nord", "Site Sud"),
    )

    assistants = [_assistant(world.url) for _ in range(4)]
    ids = []
    for device in assistants:
        joined = groups.join(card.code, device, "assistant", subgroup="Site Nord")
        assert joined.panel is Panel.ASSISTANT and joined.answered == 3
        ids.append(joined.member_id)
    # joining again is harmless; the other panel is refused
    assert groups.join(card.code, assistants[0], "assistant").member_id == ids[0]
    with pytest.raises(CollectiveError) as twice:
        groups.join(card.code, assistants[0], "manager")
    assert twice.value.code == "already"

    four = groups.view(world.organiser, card.id, ctx=world.ctx)
    assert four.assistants is None and four.note
    assert all(r.today is None for r in four.competencies)
    assert four.bridges is None and four.strengths == ()

    # the fifth starts a new assessment for the group, then answers
    fifth = new_device_id()
    member = groups.join(card.code, fifth, "assistant", new_assessment=True, subgroup="Site Sud")
    assert member.answered == 0
    store = AssessmentStore(world.url)
    current = store.current(fifth)
    assert current is not None
    store.rate_many(current.id, ASSISTANT_RATINGS)
    five = groups.view(world.organiser, card.id, ctx=world.ctx)
    assert five.assistants == 5
    rows = {r.code: r for r in five.competencies}
    today = rows["org-prioriser"].today
    assert today is not None and today.counts == (0, 0, 0, 5, 0) and today.n == 5
    assert {s.code for s in five.strengths} == {"org-prioriser", "com-rediger-courriers"}
    assert five.bridges is not None
    # Site Nord has 4, Site Sud 1: neither sub-group shows a figure (whole − Nord = 1 person)
    nord = groups.view(world.organiser, card.id, scope="Site Nord", ctx=world.ctx)
    assert nord.assistants is None and all(r.today is None for r in nord.competencies)

    # the people they work for: no figure before the fifth, then the collective gap
    managers = [new_device_id() for _ in range(5)]
    for device in managers[:4]:
        groups.join(card.code, device, "manager")
        groups.answer_needs(card.code, device, NEEDS, ctx=world.ctx)
    assert groups.view(world.organiser, card.id, ctx=world.ctx).managers is None
    groups.join(card.code, managers[4], "manager")
    groups.answer_needs(card.code, managers[4], NEEDS, ctx=world.ctx)
    with_needs = groups.view(world.organiser, card.id, ctx=world.ctx)
    assert with_needs.managers == 5
    sheet = {r.code: r for r in with_needs.competencies}
    assert sheet["num-tableur-avance"].gap == pytest.approx(2.0)
    assert sheet["org-prioriser"].gap == pytest.approx(0.0)
    assert [n.code for n in with_needs.rising] == ["num-tableur-avance"]
    with pytest.raises(CollectiveError):
        groups.answer_needs(card.code, assistants[0], NEEDS, ctx=world.ctx)  # not a manager
    with pytest.raises(CollectiveError):
        groups.answer_needs(card.code, managers[0], {"org-prioriser": 7}, ctx=world.ctx)

    # nobody else sees the group; the structure's manager does
    for actor in (world.colleague, world.other, Actor(device_id=assistants[0])):
        with pytest.raises(GroupNotFound):
            groups.view(actor, card.id, ctx=world.ctx)
        with pytest.raises(GroupNotFound):
            groups.plan(actor, card.id)
        with pytest.raises(GroupNotFound):
            groups.export_csv(actor, card.id, ctx=world.ctx)
        assert groups.mine(actor) == []
    assert groups.view(world.manager, card.id, ctx=world.ctx).assistants == 5
    assert [g.id for g in groups.mine(world.manager)] == [card.id]
    assert groups.mine(world.organiser, "en")[0].kind_name == "Department"

    # two weeks later, a sixth assistant joins: nothing new is published (the newcomer alone
    # would be the difference), in the view as in a comparison of the two dates
    before = world.clock.now.date()
    first_view = groups.view(world.organiser, card.id, ctx=world.ctx)
    world.clock.advance(days=14)
    sixth = _assistant(
        world.url, {"org-prioriser": 4, "com-rediger-courriers": 4, "num-tableur-avance": 4}
    )
    groups.join(card.code, sixth, "assistant")
    again = groups.view(world.organiser, card.id, ctx=world.ctx)
    assert again.assistants == 5 and again.competencies == first_view.competencies
    comparison = groups.compare(
        world.organiser, card.id, before, world.clock.now.date(), ctx=world.ctx
    )
    assert comparison.later.assistants == 5 == comparison.earlier.assistants
    assert comparison.later.competencies == comparison.earlier.competencies
    # four more: five changes since the last state, a new one is published
    for _ in range(4):
        groups.join(card.code, _assistant(world.url), "assistant")
    comparison = groups.compare(
        world.organiser, card.id, before, world.clock.now.date(), ctx=world.ctx
    )
    assert comparison.later.assistants == 10 and comparison.earlier.assistants == 5
    assert comparison.earlier.managers == 5 == comparison.later.managers  # no change there
    assert groups.published_dates(world.organiser, card.id) == [world.clock.now.date(), before]
    with pytest.raises(CollectiveError):
        groups.compare(world.organiser, card.id, before, before, ctx=world.ctx)

    # leaving is effective at once for the member's needs; the panel now under k: nothing shown
    groups.leave(card.code, managers[0])
    assert groups.membership(card.code, managers[0]) is None
    assert groups.view(world.organiser, card.id, ctx=world.ctx).managers is None
    with Session(groups.store.engine) as session:
        left = session.exec(
            select(CollectiveMemberRow).where(CollectiveMemberRow.left_at.is_not(None))  # type: ignore[union-attr]
        ).all()
        assert len(left) == 1 and left[0].subject_id is None
        assert not session.exec(
            select(CollectiveNeedRow).where(CollectiveNeedRow.member_id == left[0].id)
        ).all()
    with pytest.raises(CollectiveError):
        groups.leave(card.code, managers[0])

    # « Supprimer mes données » on a member's device removes the membership too; one
    # departure publishes nothing new (the last state stays, 9 are still there)
    AssessmentStore(world.url).delete_device(assistants[1])
    assert groups.membership(card.code, assistants[1]) is None
    assert groups.view(world.organiser, card.id, ctx=world.ctx).assistants == 10
    # four newcomers do not move them on either (the difference would give the leaver's
    # answers away): the organiser reads why, in either language, without being told that
    # anyone left (that would be a figure of one person)
    for _ in range(4):
        groups.join(card.code, _assistant(world.url, {"org-prioriser": 2}), "assistant")
    held = groups.view(world.organiser, card.id, ctx=world.ctx)
    assert held.assistants == 10
    assert "Après un départ, ils attendent qu'au moins 5 des personnes" in held.published
    english = context_of(load_referential(world.url), "en")
    held_en = groups.view(world.organiser, card.id, ctx=english)
    assert held_en.assistants == 10
    assert "After someone leaves, they wait until at least 5 of the people" in held_en.published

    # the shared plan (plan_kind "group"): onboarding path, meetings, comments
    onboarding = groups.add_action(
        world.organiser, card.id, "onboarding", "Prise en main du tableur partagé", due="2027-01-15"
    )
    meeting = groups.add_action(world.manager, card.id, "meeting", "Club des assistantes")
    groups.set_status(world.organiser, card.id, meeting, "doing")
    groups.comment(world.organiser, card.id, onboarding, "Binômes avec les anciennes")
    objective = groups.add_objective(world.organiser, card.id, "Numérique")
    assert objective > 0
    with pytest.raises(GroupNotFound):
        groups.add_action(world.colleague, card.id, "free", "x")
    plan = groups.plan(world.organiser, card.id)
    by_id = {a.id: a for a in plan.actions}
    assert by_id[meeting].status is ActionStatus.DOING
    assert by_id[onboarding].created_by is Author.ORGANISER
    assert [c.text for c in by_id[onboarding].comments] == ["Binômes avec les anciennes"]

    exported = groups.export_csv(world.organiser, card.id, ctx=world.ctx)
    table = list(csv.reader(io.StringIO(exported)))
    assert table[0][0] == "Catégorie"
    titles = {row[0] for row in table if row}
    assert "Prise en main du tableur partagé" in titles
    tableur = next(row for row in table if len(row) > 1 and "tableur" in row[1].lower())
    assert tableur[3] == "10" and tableur[4] == "" and tableur[6] == ""  # 4 managers: hidden


def test_joining_needs_a_valid_code_a_device_and_an_assessment(world: World) -> None:
    groups = world.groups
    card = groups.create(world.organiser, "Club", "club")
    with pytest.raises(CollectiveError) as bad:
        groups.join("OOOO0000", new_device_id(), "assistant")
    assert bad.value.code == "code"
    with pytest.raises(CollectiveError) as device:
        groups.join(card.code, "not-a-device", "assistant")
    assert device.value.code == "device"
    with pytest.raises(CollectiveError) as none:
        groups.join(card.code, new_device_id(), "assistant")
    assert none.value.code == "no_assessment"
    with pytest.raises(CollectiveError) as panel:
        groups.join(card.code, new_device_id(), "boss")
    assert panel.value.code == "panel"
    with pytest.raises(CollectiveError) as sub:
        groups.join(card.code, _assistant(world.url), "assistant", subgroup="Nope")
    assert sub.value.code == "subgroup"
    for kind in ("", "association"):
        with pytest.raises(CollectiveError):
            groups.create(world.organiser, "X", kind)
    with pytest.raises(CollectiveError):
        groups.create(Actor(device_id=new_device_id()), "X", "club")
    # a new group joined a day later: the membership starts then
    world.clock.advance(days=1)
    joined = groups.join(card.code, _assistant(world.url), "assistant")
    assert joined.joined_at == world.clock.now
    assert groups.membership(card.code, "") is None
    assert timedelta(0) <= world.clock.now - joined.joined_at


def test_the_command_line_creates_lists_shows_and_compares(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from careerpath.cli.main import main

    monkeypatch.setenv("CAREERPATH_COLLECTIVE_INTERVAL_HOURS", "0")
    monkeypatch.setenv("CAREERPATH_COLLECTIVE_JOIN_DELAY_HOURS", "0")
    initialise_database(sqlite_url)
    accounts = Accounts(sqlite_url, settings=load_settings({}))
    accounts.create("orga@cdg.fr", Role.COUNSELLOR, structure="CDG 69", password=PASSWORD)
    accounts.create("b@cio.fr", Role.COUNSELLOR, structure="CIO B", password=PASSWORD)
    db = ["--database-url", sqlite_url]
    assert main(["groups", "create", "Club RH", "--kind", "club", "--as", "orga@cdg.fr", *db]) == 0
    created = capsys.readouterr().out
    assert "Club RH" in created and "/g/" in created
    groups = Groups(Store.of(sqlite_url))
    card = groups.mine(groups.operator_as("orga@cdg.fr"))[0]
    for _ in range(5):
        groups.join(card.code, _assistant(sqlite_url), "assistant")
    assert main(["groups", "list", "--as", "orga@cdg.fr", *db]) == 0
    assert card.shown_code in capsys.readouterr().out
    assert main(["groups", "show", card.code, "--as", "orga@cdg.fr", *db]) == 0
    shown = capsys.readouterr().out
    assert "n=5" in shown
    assert main(["groups", "show", card.code, "--csv", "--as", "orga@cdg.fr", *db]) == 0
    assert capsys.readouterr().out.startswith("Catégorie,")
    today = datetime.now(UTC).date()
    earlier = (today - timedelta(days=7)).isoformat()
    assert (
        main(
            ["groups", "compare", card.code, earlier, today.isoformat(), "--as", "orga@cdg.fr", *db]
        )
        == 0
    )
    assert "–" in capsys.readouterr().out  # a week ago nobody had joined
    # another structure's account, or an unknown one, sees nothing
    assert main(["groups", "show", card.code, "--as", "b@cio.fr", *db]) == 1
    assert main(["groups", "show", card.code, "--as", "nobody@x.fr", *db]) == 1
    assert (
        main(["--lang", "en", "groups", "compare", card.code, "x", "y", "--as", "b@cio.fr", *db])
        == 1
    )
    assert "two dates" in capsys.readouterr().err


def test_the_organisers_devices_count_in_no_figure_and_members_share_words_by_consent(
    world: World,
) -> None:
    groups = world.groups
    card = groups.create(world.organiser, "Club des assistantes", "club")
    # the organiser, signed in, may not join; nor a manager of the structure
    for actor in (world.organiser, world.manager):
        with pytest.raises(CollectiveError) as refused:
            groups.join(card.code, _assistant(world.url), "assistant", actor=actor)
        assert refused.value.code == "staff"
    # a device the organiser joined on, then opened the group on: it counts no more, and a
    # device the organiser opened the group on cannot join
    puppet = _assistant(world.url)
    groups.join(card.code, puppet, "assistant")
    groups.note_staff_device(world.organiser, card.id, puppet)
    own = new_device_id()
    groups.note_staff_device(world.organiser, card.id, own)
    with pytest.raises(CollectiveError) as refused:
        groups.join(card.code, own, "manager")
    assert refused.value.code == "staff"
    members = [_assistant(world.url) for _ in range(4)]
    for device in members:
        groups.join(card.code, device, "assistant")
    assert groups.view(world.organiser, card.id, ctx=world.ctx).assistants is None  # 4, not 5
    members.append(_assistant(world.url))
    groups.join(card.code, members[-1], "assistant")
    assert groups.view(world.organiser, card.id, ctx=world.ctx).assistants == 5

    # words, only with consent, and only as published states hold them: from k texts
    with pytest.raises(CollectiveError) as refused:
        groups.share_text(card.code, members[0], "Un club tous les mois", consent=False)
    assert refused.value.code == "consent"
    assert groups.shared_texts(world.organiser, card.id) == []
    groups.share_text(card.code, members[0], "  Un club   tous les mois ", consent=True)
    groups.share_text(card.code, members[1], "Accueillir les nouvelles", consent=True)
    assert groups.membership(card.code, members[0]).shared == "Un club tous les mois"  # type: ignore[union-attr]
    assert groups.shared_texts(world.organiser, card.id) == []  # two texts: fewer than k
    words = ["Des binômes", "Former au tableur", "Un annuaire"]
    for device, text in zip(members[2:], words, strict=True):
        groups.share_text(card.code, device, text, consent=True)
    # five members shared words: five changes, a new state holding five texts
    assert groups.shared_texts(world.organiser, card.id) == sorted(
        ["Un club tous les mois", "Accueillir les nouvelles", *words]
    )
    with pytest.raises(GroupNotFound):
        groups.shared_texts(world.colleague, card.id)
    # a departure: the panel has 4 respondents, its state (and its texts) is no longer shown
    groups.leave(card.code, members[1])
    assert groups.shared_texts(world.organiser, card.id) == []
    with pytest.raises(CollectiveError):
        groups.share_text(card.code, members[1], "x", consent=True)  # no longer a member

    # the onboarding checklist from tomorrow's needs, added to the shared plan once
    for _ in range(5):
        device = new_device_id()
        groups.join(card.code, device, "manager")
        groups.answer_needs(card.code, device, NEEDS, ctx=world.ctx)
    view = groups.view(world.organiser, card.id, ctx=world.ctx)
    assert view.assistants is None  # one left: 4 assistants, their figures are not shown
    assert {n.code for n in view.onboarding} == set(NEEDS)  # each needed at « Maîtrise »
    assert view.onboarding[0].words == "niveau attendu demain : Maîtrise"
    assert groups.add_onboarding(world.organiser, card.id, ctx=world.ctx) == 3
    assert groups.add_onboarding(world.organiser, card.id, ctx=world.ctx) == 0
    kinds = {a.kind.value for a in groups.plan(world.organiser, card.id).actions}
    assert kinds == {"onboarding"}

    pdf = groups.export_pdf(world.organiser, card.id, ctx=world.ctx)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") <= 1
    with pytest.raises(GroupNotFound):
        groups.export_pdf(world.colleague, card.id, ctx=world.ctx)


def test_the_trainings_members_plans_share_are_shown_from_k_members(world: World) -> None:
    groups = world.groups
    card = groups.create(world.organiser, "Cohorte 2027", "promotion")
    store = AssessmentStore(world.url)

    def aiming(target: str | None) -> str:
        device = _assistant(world.url)
        current = store.current(device)
        assert current is not None
        store.set_target(current.id, target)
        groups.join(card.code, device, "assistant")
        return device

    for _ in range(4):
        aiming("assistant-administratif")
    aiming(None)  # five assistants, four plans: no training is shared by five
    view = groups.view(world.organiser, card.id, ctx=world.ctx)
    assert view.assistants == 5 and view.trainings == ()
    for _ in range(5):
        aiming("assistant-administratif")  # five changes: a new state, nine plans alike
    view = groups.view(world.organiser, card.id, ctx=world.ctx)
    assert view.assistants == 10
    shared = {t.role: t for t in view.trainings}
    assert shared["tp-secretaire-assistant"].ready == 9
    assert shared["tp-secretaire-assistant"].title
    assert all(t.ready >= 5 for t in view.trainings)


def test_moving_through_pages_changes_no_figure_and_one_answer_is_never_isolated(
    world: World,
) -> None:
    """The attack on per-person versions: ten assistants; one changes an answer, four only
    move through the pages (their assessment's dates change, not their answers). Nothing is
    a change but that one answer: no new state. When four others change *another* answer,
    five people changed — a new state — yet the figure only one person changed is not
    shown again with a new value."""
    groups = world.groups
    card = groups.create(world.organiser, "Service RH", "service")
    store = AssessmentStore(world.url)
    ratings = {"org-prioriser": 2, "com-rediger-courriers": 2}
    devices = [_assistant(world.url, ratings) for _ in range(10)]
    for device in devices:
        groups.join(card.code, device, "assistant")
    first = groups.view(world.organiser, card.id, ctx=world.ctx)
    rows = {r.code: r for r in first.competencies}
    assert first.assistants == 10
    assert rows["org-prioriser"].today.counts == (0, 0, 10, 0, 0)  # type: ignore[union-attr]
    ids = [store.current(d).id for d in devices]  # type: ignore[union-attr]
    world.clock.advance(days=2)
    store.rate_many(ids[0], {"org-prioriser": 3})
    for assessment in ids[1:5]:
        store.set_step(assessment, 3)  # moving through the pages
    again = groups.view(world.organiser, card.id, ctx=world.ctx)
    assert again.competencies == first.competencies
    assert len(groups.published_dates(world.organiser, card.id)) == 1
    # four others change another answer: five changes, a new state, yet neither figure
    # changed for five people: both are suppressed
    for assessment in ids[5:9]:
        store.rate_many(assessment, {"com-rediger-courriers": 3})
    later = groups.view(world.organiser, card.id, ctx=world.ctx)
    assert len(groups.published_dates(world.organiser, card.id)) == 2
    rows = {r.code: r for r in later.competencies}
    assert later.assistants == 10
    assert rows["org-prioriser"].today is None and rows["com-rediger-courriers"].today is None
    # the six others change it too (six changes): everyone's contribution to it changed
    # since the last state it was shown in, and it is shown again
    world.clock.advance(days=1)
    for assessment in [*ids[:5], ids[9]]:
        store.rate_many(assessment, {"com-rediger-courriers": 3})
    later = groups.view(world.organiser, card.id, ctx=world.ctx)
    rows = {r.code: r for r in later.competencies}
    assert len(groups.published_dates(world.organiser, card.id)) == 3
    assert rows["org-prioriser"].today is None  # still only one person's change
    assert rows["com-rediger-courriers"].today.counts == (0, 0, 0, 10, 0)  # type: ignore[union-attr]


def test_states_are_published_at_most_once_a_day_and_joins_count_after_a_day(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service's defaults: whoever opens the page cannot choose the moment a state is
    made to the minute, nor make a newcomer count at once."""
    monkeypatch.delenv("CAREERPATH_COLLECTIVE_INTERVAL_HOURS")
    monkeypatch.delenv("CAREERPATH_COLLECTIVE_JOIN_DELAY_HOURS")
    groups = world.groups
    card = groups.create(world.organiser, "Service RH", "service")
    for _ in range(5):
        groups.join(card.code, _assistant(world.url), "assistant")
    assert groups.view(world.organiser, card.id, ctx=world.ctx).assistants is None  # too soon
    world.clock.advance(hours=23)
    assert groups.view(world.organiser, card.id, ctx=world.ctx).assistants is None
    world.clock.advance(hours=2)
    assert groups.view(world.organiser, card.id, ctx=world.ctx).assistants == 5
    # a day apart: five newcomers (counted at once here) wait for the day to pass
    monkeypatch.setenv("CAREERPATH_COLLECTIVE_JOIN_DELAY_HOURS", "0")
    world.clock.advance(hours=1)
    for _ in range(5):
        groups.join(card.code, _assistant(world.url), "assistant")
    assert groups.view(world.organiser, card.id, ctx=world.ctx).assistants == 5
    world.clock.advance(hours=22)
    assert groups.view(world.organiser, card.id, ctx=world.ctx).assistants == 5
    world.clock.advance(hours=1)
    assert groups.view(world.organiser, card.id, ctx=world.ctx).assistants == 10


def test_the_organisers_notes_say_the_configured_delays_in_either_language(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """« au plus une fois par jour » and « un jour après avoir rejoint » were fixed words:
    a deployment that publishes every 12 hours and counts a newcomer after 36 read them
    too. The notes now say the delays in force, exactly, and leave out a delay of 0."""
    monkeypatch.setenv("CAREERPATH_COLLECTIVE_INTERVAL_HOURS", "12")
    monkeypatch.setenv("CAREERPATH_COLLECTIVE_JOIN_DELAY_HOURS", "36")
    groups = world.groups
    card = groups.create(world.organiser, "Service RH", "service")
    for _ in range(5):
        groups.join(card.code, _assistant(world.url), "assistant")
    waiting = groups.view(world.organiser, card.id, ctx=world.ctx)
    assert waiting.assistants is None
    assert "une personne compte 36\u00a0heures après avoir rejoint le groupe" in waiting.note
    english = context_of(load_referential(world.url), "en")
    assert "a person counts 36 hours after joining the group" in (
        groups.view(world.organiser, card.id, ctx=english).note
    )
    world.clock.advance(hours=37)
    shown = groups.view(world.organiser, card.id, ctx=world.ctx)
    assert shown.assistants == 5
    assert "Entre deux publications, il s'écoule au moins 12\u00a0heures." in shown.published
    assert "au plus une fois par jour" not in shown.published
    shown_en = groups.view(world.organiser, card.id, ctx=english)
    assert "At least 12 hours pass between two publications." in shown_en.published
    # the service's defaults, in words
    monkeypatch.delenv("CAREERPATH_COLLECTIVE_INTERVAL_HOURS")
    assert (
        "il s'écoule au moins 1\u00a0jour."
        in groups.view(world.organiser, card.id, ctx=world.ctx).published
    )
    # no delay at all: nothing said about one
    monkeypatch.setenv("CAREERPATH_COLLECTIVE_INTERVAL_HOURS", "0")
    published = groups.view(world.organiser, card.id, ctx=world.ctx).published
    assert published.startswith("Chiffres publiés le ") and "il s'écoule" not in published
    assert "Ils changent quand au moins 5 personnes" in published


def test_a_group_follows_a_deployment_threshold_raised_after_its_creation(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    groups = world.groups
    card = groups.create(world.organiser, "Service RH", "service")
    assert card.k == 5
    for _ in range(6):
        groups.join(card.code, _assistant(world.url), "assistant")
    monkeypatch.setenv("CAREERPATH_ANONYMITY_K", "7")
    assert groups.card(world.organiser, card.id).k == 7
    assert groups.preview(card.code).k == 7
    view = groups.view(world.organiser, card.id, ctx=world.ctx)
    assert view.k == 7 and view.assistants is None  # six: fewer than seven
    groups.join(card.code, _assistant(world.url), "assistant")
    assert groups.view(world.organiser, card.id, ctx=world.ctx).assistants == 7


def test_a_group_view_survives_an_infinite_interval_setting(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`CAREERPATH_COLLECTIVE_INTERVAL_HOURS=inf` used to raise OverflowError on every view:
    the default day applies instead."""
    monkeypatch.setenv("CAREERPATH_COLLECTIVE_INTERVAL_HOURS", "inf")
    monkeypatch.setenv("CAREERPATH_COLLECTIVE_JOIN_DELAY_HOURS", "inf")
    groups = world.groups
    card = groups.create(world.organiser, "Service RH", "service")
    for _ in range(5):
        groups.join(card.code, _assistant(world.url), "assistant")
    assert groups.view(world.organiser, card.id, ctx=world.ctx).assistants is None  # a day
    world.clock.advance(hours=25)
    assert groups.view(world.organiser, card.id, ctx=world.ctx).assistants == 5


def _stored(groups: Groups, group_id: str) -> list[CollectiveStateRow]:
    with Session(groups.store.engine) as session:
        return list(
            session.exec(
                select(CollectiveStateRow)
                .where(CollectiveStateRow.group_id == group_id)
                .order_by(col(CollectiveStateRow.seq))
            ).all()
        )


def _rewrite(groups: Groups, row: CollectiveStateRow, body: str) -> None:
    with Session(groups.store.engine) as session:
        stored = session.get(CollectiveStateRow, row.id)
        assert stored is not None
        stored.body = body
        session.add(stored)
        session.commit()


@pytest.mark.parametrize("how", ["old format", "unkeyed marks", "another key"])
def test_a_state_whose_marks_cannot_match_todays_is_retired(
    world: World, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """A state stored before the marks were keyed (traces `item@<assessment version>`, or
    plain digests), or marked with another key, could never match the marks made now: a new
    state checked against it would be published as if it were the first. It is retired — no
    longer shown, no longer offered for comparison — and the panel starts again."""
    groups = world.groups
    card = groups.create(world.organiser, "Service RH", "service")
    for _ in range(10):
        groups.join(card.code, _assistant(world.url), "assistant")
    first_day = world.clock.now.date()
    assert groups.view(world.organiser, card.id, ctx=world.ctx).assistants == 10
    [row] = _stored(groups, card.id)
    body = json.loads(row.body)
    if how == "old format":  # person, sub-group, assessment version, items
        body.pop("key")
        body["traces"] = [
            [p, sub, "ver", sorted(e.rsplit("@", 1)[0] for e in items)]
            for p, sub, items in body["traces"]
        ]
        _rewrite(groups, row, json.dumps(body))
    elif how == "unkeyed marks":
        body.pop("key")
        _rewrite(groups, row, json.dumps(body))
    else:
        monkeypatch.setenv("CAREERPATH_COLLECTIVE_SECRET", "une autre clé de déploiement")
    world.clock.advance(hours=48)
    monkeypatch.setenv("CAREERPATH_COLLECTIVE_INTERVAL_HOURS", "24")  # no new state today
    compared = groups.compare(
        world.organiser, card.id, first_day, world.clock.now.date(), ctx=world.ctx
    )
    assert compared.earlier.assistants is None  # the retired state is not shown any more
    assert groups.published_dates(world.organiser, card.id) == [world.clock.now.date()]
    # the panel started again: a new state, stored after the retired one (seq never reused)
    assert [r.seq for r in _stored(groups, card.id)] == [1, 2]
    assert groups.view(world.organiser, card.id, ctx=world.ctx).assistants == 10


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _members_sharing(world: World, code: str, count: int, words: str) -> list[str]:
    """`count` assistants join the group, each sharing « <words> <their index> »."""
    devices = [_assistant(world.url) for _ in range(count)]
    for index, device in enumerate(devices):
        world.groups.join(code, device, "assistant")
        world.groups.share_text(code, device, f"{words} {index}", consent=True)
    return devices


def test_withdrawn_or_departed_words_disappear_at_once_from_every_view(world: World) -> None:
    """Words are personal: once withdrawn, replaced or their author gone, the group never sees
    them again — not today, not at a past date, not in an export, not in the stored states
    — while the figures of the published states stay (aggregates)."""
    groups = world.groups
    card = groups.create(world.organiser, "Pôle accueil", "service")
    devices = [_assistant(world.url) for _ in range(6)]
    for device in devices:
        groups.join(card.code, device, "assistant")
    assert groups.view(world.organiser, card.id, ctx=world.ctx).assistants == 6
    words = [f"Idée numéro {i} pour le pôle" for i in range(6)]
    for device, text in zip(devices, words, strict=True):
        groups.share_text(card.code, device, text, consent=True)
    first_day = world.clock.now.date()
    assert groups.shared_texts(world.organiser, card.id) == sorted(words)
    assert words[0] in groups.export_csv(world.organiser, card.id, ctx=world.ctx)
    assert words[0] in _pdf_text(groups.export_pdf(world.organiser, card.id, ctx=world.ctx))

    world.clock.advance(days=1)
    # one withdraws (one change: no new state) — their words are gone at once, everywhere
    groups.share_text(card.code, devices[0], "", consent=False)
    view = groups.view(world.organiser, card.id, ctx=world.ctx)
    assert view.assistants == 6  # the figures already published stay
    assert view.texts == tuple(sorted(words[1:]))
    assert groups.shared_texts(world.organiser, card.id) == sorted(words[1:])
    csv_text = groups.export_csv(world.organiser, card.id, ctx=world.ctx)
    pdf_text = _pdf_text(groups.export_pdf(world.organiser, card.id, ctx=world.ctx))
    assert words[0] not in csv_text and words[0] not in pdf_text
    assert words[1] in csv_text and "Idée numéro 1" in pdf_text
    compared = groups.compare(
        world.organiser, card.id, first_day, world.clock.now.date(), ctx=world.ctx
    )
    assert compared.earlier.assistants == 6  # the past date's figures, as published
    assert words[0] not in compared.earlier.texts and words[0] not in compared.later.texts
    assert compared.earlier.texts == tuple(sorted(words[1:]))
    with Session(groups.store.engine) as session:
        bodies = [r.body for r in session.exec(select(CollectiveStateRow)).all()]
    assert bodies and not any(words[0] in body for body in bodies)  # erased from storage
    assert any(words[1] in body for body in bodies)
    # replaced words are withdrawn words: the old ones go, the new ones wait for a state
    groups.share_text(card.code, devices[1], "Autre chose", consent=True)
    texts = groups.shared_texts(world.organiser, card.id)
    assert words[1] not in texts and "Autre chose" not in texts

    # one leaves: four texts left, fewer than five — none at all, today and at past dates
    groups.leave(card.code, devices[2])
    assert groups.shared_texts(world.organiser, card.id) == []
    compared = groups.compare(
        world.organiser, card.id, first_day, world.clock.now.date(), ctx=world.ctx
    )
    assert compared.earlier.texts == () and compared.later.texts == ()
    csv_text = groups.export_csv(world.organiser, card.id, ctx=world.ctx)
    assert "accepté de partager" not in csv_text
    assert not any(w in csv_text for w in words)
    assert not any(w in _pdf_text(groups.export_pdf(world.organiser, card.id)) for w in words)
    with Session(groups.store.engine) as session:
        bodies = [r.body for r in session.exec(select(CollectiveStateRow)).all()]
    assert not any(w in body for body in bodies for w in words[:3])
    # the stored list ties no text to a membership: its marks are none of the traces'
    for body in bodies:
        data = json.loads(body)
        traces = {e.rsplit("@", 1)[1] for _, _, items in data["traces"] for e in items}
        assert not {m for _, m in data["texts"]} & traces


def test_one_new_members_words_wait_for_k_new_texts(world: World) -> None:
    """A new state whose list would add one member's words to the five already shown keeps
    the previous list: the organiser cannot read which words are new."""
    groups = world.groups
    card = groups.create(world.organiser, "Club des assistantes", "club")
    devices = _members_sharing(world, card.code, 5, "Premier mot")
    first = groups.shared_texts(world.organiser, card.id)
    assert len(first) == 5
    newcomers = [_assistant(world.url) for _ in range(5)]
    for device in newcomers:
        groups.join(card.code, device, "assistant")
    groups.share_text(card.code, newcomers[0], "Le mot de la nouvelle", consent=True)
    view = groups.view(world.organiser, card.id, ctx=world.ctx)
    assert view.assistants == 10  # a new state of the figures…
    assert list(view.texts) == first  # …whose words are the previous ones
    for index, device in enumerate(newcomers[1:]):
        groups.share_text(card.code, device, f"Nouveau mot {index}", consent=True)
    groups.share_text(card.code, devices[0], "Premier mot 0, revu", consent=True)
    texts = groups.shared_texts(world.organiser, card.id)  # five changes: six new texts
    assert "Le mot de la nouvelle" in texts and len(texts) == 10
    assert "Premier mot 0" not in texts


def test_a_manager_answers_one_at_a_time_and_comes_back_where_they_left_off(
    world: World,
) -> None:
    """The phone saves each answer as it is chosen: the service checks whatever the device
    sends, records a level once, and gives the answers back with the last one answered."""
    groups = world.groups
    card = groups.create(world.organiser, "Direction", "service")
    device = new_device_id()
    assert groups.needs_of(card.code, device).levels == {}  # not a member: nothing
    groups.join(card.code, device, "manager")
    groups.answer_needs(card.code, device, {"org-prioriser": 2}, ctx=world.ctx)
    groups.answer_needs(card.code, device, {"num-tableur-avance": 3}, ctx=world.ctx)
    groups.answer_needs(card.code, device, {"org-prioriser": 2}, ctx=world.ctx)  # the same
    answers = groups.needs_of(card.code, device)
    assert answers.levels == {"org-prioriser": 2, "num-tableur-avance": 3}
    assert answers.last == "num-tableur-avance"
    with Session(groups.store.engine) as session:
        rows = session.exec(select(CollectiveNeedRow)).all()
    assert len(rows) == 2  # the same level again is not a new answer
    for bad in ({"pas-une-competence": 2}, {"org-prioriser": 5}, {"org-prioriser": True}):
        with pytest.raises(CollectiveError):
            groups.answer_needs(card.code, device, bad, ctx=world.ctx)
    assistant = _assistant(world.url)
    groups.join(card.code, assistant, "assistant")
    with pytest.raises(CollectiveError) as refused:
        groups.answer_needs(card.code, assistant, {"org-prioriser": 2}, ctx=world.ctx)
    assert refused.value.code == "not_member"
    assert groups.needs_of(card.code, assistant).levels == {}


def _bodies(groups: Groups) -> list[str]:
    with Session(groups.store.engine) as session:
        return [r.body for r in session.exec(select(CollectiveStateRow)).all()]


def test_a_manager_comes_back_at_the_category_of_their_last_answer(world: World) -> None:
    """The phone opens the category of the last answer, the next one once it is complete."""
    groups = world.groups
    card = groups.create(world.organiser, "Direction", "service")
    device = new_device_id()
    groups.join(card.code, device, "manager")
    referential = world.ctx.referential
    categories = need_categories(referential)
    assert groups.needs_of(card.code, device).resume_step(referential) == 0  # nothing yet
    groups.answer_needs(card.code, device, {"num-tableur-avance": 3}, ctx=world.ctx)
    answers = groups.needs_of(card.code, device)
    tableur = referential.competency_by_code["num-tableur-avance"].category
    assert answers.resume_step(referential) == categories.index(tableur)
    rest = {c.code: 1 for c in referential.competencies if c.category == tableur}
    groups.answer_needs(card.code, device, rest, ctx=world.ctx)
    resumed = groups.needs_of(card.code, device).resume_step(referential)
    assert resumed == min(categories.index(tableur) + 1, len(categories) - 1)


def test_erasing_my_data_erases_my_words_from_the_stored_states(world: World) -> None:
    """« Supprimer mes données » on a member's phone: their words go from the stored states
    too (and from what the group sees), not only their membership."""
    groups = world.groups
    card = groups.create(world.organiser, "Pôle accueil", "service")
    devices = _members_sharing(world, card.code, 6, "Secret de la personne")
    assert len(groups.shared_texts(world.organiser, card.id)) == 6
    assert any("Secret de la personne 0" in body for body in _bodies(groups))
    erase_device(devices[0], world.url)
    assert not any("Secret de la personne 0" in body for body in _bodies(groups))
    assert any("Secret de la personne 1" in body for body in _bodies(groups))
    with Session(groups.store.engine) as session:
        assert not session.exec(
            select(CollectiveMemberRow).where(
                CollectiveMemberRow.shared_text == "Secret de la personne 0"
            )
        ).all()
    texts = groups.shared_texts(world.organiser, card.id)
    assert "Secret de la personne 0" not in texts and len(texts) == 5


def test_a_view_computed_before_a_withdrawal_stores_no_withdrawn_words(world: World) -> None:
    """A view reads the members' words, the member withdraws them meanwhile (the stored
    states are cleaned), then the view stores its new state: the withdrawn words must not be
    stored in it (nor shown again if the same words are shared again later)."""
    groups = world.groups
    card = groups.create(world.organiser, "Pôle accueil", "service")
    devices = [_assistant(world.url) for _ in range(5)]
    for device in devices:
        groups.join(card.code, device, "assistant")
    groups.view(world.organiser, card.id, ctx=world.ctx)  # a first state, with no words
    for index, device in enumerate(devices):
        groups.share_text(card.code, device, f"Mot {index}", consent=True)
    world.clock.advance(hours=1)
    with Session(groups.store.engine) as session:  # a view reads the responses…
        group = session.get(CollectiveGroupRow, card.id)
        assert group is not None
        responses = groups._responses(session, group, world.clock.now, world.ctx, latest=True)  # noqa: SLF001
    groups.share_text(card.code, devices[0], "", consent=False)  # …the member withdraws…
    with Session(groups.store.engine) as session:  # …then the view stores its state
        group = session.get(CollectiveGroupRow, card.id)
        assert group is not None
        found = publish_due(
            session,
            group.id,
            Panel.ASSISTANT,
            responses,
            _items(world.ctx, [responses]),
            5,
            (),
            world.clock.now,
        )
    assert len(found) == 2  # the new state was stored…
    assert not any("Mot 0" in body for body in _bodies(groups))  # …without the words
    assert any("Mot 1" in body for body in _bodies(groups))
    groups.share_text(card.code, devices[0], "Mot 0", consent=True)  # the same words again
    assert "Mot 0" not in groups.shared_texts(world.organiser, card.id)


def test_a_withdrawal_waits_for_a_state_being_stored_and_erases_it(world: World) -> None:
    """Storing a state and withdrawing words take the group's lock in turn: a withdrawal
    that arrives while a state is being stored waits, then erases the words from it."""
    groups = world.groups
    card = groups.create(world.organiser, "Pôle accueil", "service")
    devices = _members_sharing(world, card.code, 5, "Mot")
    assert len(groups.shared_texts(world.organiser, card.id)) == 5
    [row] = _stored(groups, card.id)
    done = threading.Event()

    def withdraw() -> None:
        groups.share_text(card.code, devices[0], "", consent=False)
        done.set()

    with Session(groups.store.engine) as session:
        lock_group(session, card.id)  # a writer storing a state holds the group
        worker = threading.Thread(target=withdraw)
        worker.start()
        assert not done.wait(0.5)  # the withdrawal waits
        session.add(
            CollectiveStateRow(
                group_id=card.id,
                panel=Panel.ASSISTANT.value,
                seq=2,
                published_at=world.clock.now,
                body=row.body,
            )
        )
        session.commit()
    worker.join(10)
    assert done.is_set()
    assert len(_bodies(groups)) == 2
    assert not any("Mot 0" in body for body in _bodies(groups))


def test_a_new_key_lets_no_newcomers_words_through(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new deployment key retires every stored state; the words they showed still count
    when a new state's list is checked: one newcomer's words do not show among them."""
    groups = world.groups
    card = groups.create(world.organiser, "Pôle accueil", "service")
    for index in range(5):
        device = _assistant(world.url)
        groups.join(card.code, device, "assistant")
        groups.share_text(card.code, device, f"Ancien mot {index}", consent=True)
    before = set(groups.shared_texts(world.organiser, card.id))
    assert len(before) == 5
    newcomer = _assistant(world.url)
    groups.join(card.code, newcomer, "assistant")
    groups.share_text(card.code, newcomer, "Le mot de la nouvelle", consent=True)
    for _ in range(5):
        groups.join(card.code, _assistant(world.url), "assistant")
    world.clock.advance(hours=1)
    assert set(groups.view(world.organiser, card.id, ctx=world.ctx).texts) == before
    monkeypatch.setenv("CAREERPATH_COLLECTIVE_SECRET", "une nouvelle clé de déploiement")
    world.clock.advance(hours=1)
    view = groups.view(world.organiser, card.id, ctx=world.ctx)
    assert view.assistants == 11  # the panel started again…
    assert "Le mot de la nouvelle" not in view.texts  # …without one newcomer's words
    assert not set(view.texts) - before


def test_a_manager_takes_an_answer_back(world: World) -> None:
    """« Sans réponse » after an answer takes it back: it counts no more, and the phone
    shows what is stored."""
    groups = world.groups
    card = groups.create(world.organiser, "Direction", "service")
    device = new_device_id()
    groups.join(card.code, device, "manager")
    groups.answer_needs(card.code, device, {"org-prioriser": 4}, ctx=world.ctx)
    groups.answer_needs(card.code, device, {"num-tableur-avance": 2}, ctx=world.ctx)
    groups.answer_needs(card.code, device, {"num-tableur-avance": None}, ctx=world.ctx)
    answers = groups.needs_of(card.code, device)
    assert answers.levels == {"org-prioriser": 4}
    assert answers.last == "org-prioriser"
    assert groups.membership(card.code, device).answered == 1  # type: ignore[union-attr]
    with pytest.raises(CollectiveError) as refused:
        groups.answer_needs(card.code, device, {"pas-une-competence": None}, ctx=world.ctx)
    assert refused.value.code == "competency"
    groups.answer_needs(card.code, device, {"org-prioriser": None}, ctx=world.ctx)
    assert groups.needs_of(card.code, device).levels == {}
    with Session(groups.store.engine) as session:
        assert not session.exec(select(CollectiveNeedRow)).all()


def test_the_organisers_page_computes_the_figures_once_and_shows_their_words(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening a group on /groupes computes its view once (the words shown are the view's),
    and a sub-group's page still shows the whole group's words."""
    from careerpath.ui.states.collective import _fetch

    monkeypatch.setenv("REFLEX_DB_URL", world.url)
    groups = world.groups
    card = groups.create(world.organiser, "Pôle accueil", "service", subgroups=["Nord"])
    for index in range(5):
        device = _assistant(world.url)
        groups.join(card.code, device, "assistant", subgroup="Nord")
        groups.share_text(card.code, device, f"Mot {index}", consent=True)
    views = 0
    real = Groups.view

    def counted(self: Groups, *args: object, **kwargs: object) -> object:
        nonlocal views
        views += 1
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Groups, "view", counted)
    filled = _fetch(groups, world.organiser, card.id, "fr", "", new_device_id())
    assert filled.shared == [f"Mot {index}" for index in range(5)]
    assert views == 1
    filled = _fetch(groups, world.organiser, card.id, "fr", "Nord", new_device_id())
    assert filled.shared == [f"Mot {index}" for index in range(5)]
