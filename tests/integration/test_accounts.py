"""Accounts, sessions, lockout, links and authorisation, with a clock the test moves.

Runs on SQLite and PostgreSQL (real databases, never mocked).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy

from careerpath.config import load_settings
from careerpath.data.database import engine_for, upgrade
from careerpath.services.accounts import (
    AccessDenied,
    AccountError,
    Accounts,
    Actor,
    ManualClock,
    Need,
    Role,
    Target,
)
from careerpath.services.accounts.throttle import ACCOUNT_LIMIT

PASSWORD = "une phrase de passe assez longue"
OTHER = "encore une autre phrase secrète"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def accounts(database_url: str, clock: ManualClock) -> Iterator[Accounts]:
    upgrade(engine_for(database_url))
    settings = load_settings({"CAREERPATH_PUBLIC_URL": "https://careerpath.example.org"})
    yield Accounts(database_url, clock=clock, settings=settings)


def _counsellor(accounts: Accounts, email: str = "a@cio.fr", structure: str = "CIO A") -> None:
    accounts.create(email, Role.COUNSELLOR, structure=structure, password=PASSWORD)


def test_password_hashes_are_argon2id_with_owasp_parameters(
    accounts: Accounts, database_url: str
) -> None:
    _counsellor(accounts)
    with engine_for(database_url).connect() as connection:
        stored = connection.execute(sqlalchemy.text("SELECT password_hash FROM account")).scalar()
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PASSWORD not in stored


def test_a_hash_made_with_other_parameters_is_redone_at_sign_in(
    accounts: Accounts, database_url: str
) -> None:
    from argon2 import PasswordHasher

    _counsellor(accounts)
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    with engine_for(database_url).begin() as connection:
        connection.execute(sqlalchemy.text("UPDATE account SET password_hash = :h"), {"h": weak})
    accounts.sign_in("a@cio.fr", PASSWORD)
    with engine_for(database_url).connect() as connection:
        stored = connection.execute(sqlalchemy.text("SELECT password_hash FROM account")).scalar()
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("court", "too_short"),
        ("x" * 129, "too_long"),
        ("passwordpassword", "common"),
        ("azertyuiop123456", "common"),
        ("1234567890123", "common"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(
    accounts: Accounts, password: str, code: str
) -> None:
    with pytest.raises(AccountError) as refused:
        accounts.create("a@cio.fr", Role.COUNSELLOR, structure="CIO A", password=password)
    assert refused.value.problem is not None and refused.value.problem.code == code
    assert refused.value.message("fr") and refused.value.message("en")
    assert accounts.list_accounts() == []


def test_sign_in_gives_a_new_random_token_each_time_stored_only_hashed(
    accounts: Accounts, database_url: str
) -> None:
    _counsellor(accounts)
    first = accounts.sign_in("A@CIO.fr ", PASSWORD)
    second = accounts.sign_in("a@cio.fr", PASSWORD)
    assert first.token != second.token and len(first.token) >= 43  # 256 bits, url-safe
    with engine_for(database_url).connect() as connection:
        hashes = connection.execute(sqlalchemy.text("SELECT token_hash FROM auth_session")).all()
    assert {h for (h,) in hashes}.isdisjoint({first.token, second.token})
    assert accounts.resolve(first.token).account == first.account


def test_same_message_whether_the_email_exists_or_not(accounts: Accounts) -> None:
    _counsellor(accounts)
    with pytest.raises(AccountError) as wrong_password:
        accounts.sign_in("a@cio.fr", OTHER)
    with pytest.raises(AccountError) as unknown:
        accounts.sign_in("personne@cio.fr", OTHER)
    assert wrong_password.value.message("fr") == unknown.value.message("fr")
    assert wrong_password.value.code == unknown.value.code == "invalid_credentials"


def test_a_session_ends_after_30_minutes_idle(accounts: Accounts, clock: ManualClock) -> None:
    _counsellor(accounts)
    token = accounts.sign_in("a@cio.fr", PASSWORD).token
    clock.advance(minutes=29)
    assert accounts.resolve(token).signed_in  # activity: the idle clock restarts
    clock.advance(minutes=29)
    assert accounts.resolve(token).signed_in
    clock.advance(minutes=30)
    assert not accounts.resolve(token).signed_in
    clock.advance(seconds=1)
    assert not accounts.resolve(token).signed_in  # gone for good


def test_a_session_ends_after_12_hours_even_when_active(
    accounts: Accounts, clock: ManualClock
) -> None:
    _counsellor(accounts)
    token = accounts.sign_in("a@cio.fr", PASSWORD).token
    for _ in range(24):  # 11 h 36 min of steady activity
        clock.advance(minutes=29)
        assert accounts.resolve(token).signed_in
    clock.advance(minutes=25)  # 12 h 1 min after sign-in
    assert not accounts.resolve(token).signed_in


def test_ten_failures_lock_the_account_with_a_growing_delay(
    accounts: Accounts, clock: ManualClock
) -> None:
    _counsellor(accounts)
    for _ in range(ACCOUNT_LIMIT):
        with pytest.raises(AccountError):
            accounts.sign_in("a@cio.fr", OTHER)
    with pytest.raises(AccountError) as locked:
        accounts.sign_in("a@cio.fr", PASSWORD)  # even the right password waits
    assert locked.value.code == "throttled" and locked.value.retry_after == 30
    clock.advance(seconds=31)
    with pytest.raises(AccountError):
        accounts.sign_in("a@cio.fr", OTHER)  # the 11th failure: one minute now
    clock.advance(seconds=31)
    with pytest.raises(AccountError) as again:
        accounts.sign_in("a@cio.fr", PASSWORD)
    assert again.value.code == "throttled"
    clock.advance(seconds=30)
    assert accounts.sign_in("a@cio.fr", PASSWORD).account.email == "a@cio.fr"
    # A success clears the count: the next failure costs nothing.
    with pytest.raises(AccountError) as fresh:
        accounts.sign_in("a@cio.fr", OTHER)
    assert fresh.value.code == "invalid_credentials"


def test_an_unknown_email_is_locked_exactly_like_a_real_one(accounts: Accounts) -> None:
    for _ in range(ACCOUNT_LIMIT):
        with pytest.raises(AccountError):
            accounts.sign_in("personne@cio.fr", OTHER)
    with pytest.raises(AccountError) as locked:
        accounts.sign_in("personne@cio.fr", OTHER)
    assert locked.value.code == "throttled"


def test_one_address_trying_many_emails_is_limited(accounts: Accounts) -> None:
    from careerpath.services.accounts.throttle import ADDRESS_LIMIT

    for n in range(ADDRESS_LIMIT):
        with pytest.raises(AccountError):
            accounts.sign_in(f"p{n}@cio.fr", OTHER, client_address="203.0.113.7")
    _counsellor(accounts)
    with pytest.raises(AccountError) as locked:
        accounts.sign_in("a@cio.fr", PASSWORD, client_address="203.0.113.7")
    assert locked.value.code == "throttled"
    assert accounts.sign_in("a@cio.fr", PASSWORD, client_address="198.51.100.1")


def test_the_failure_window_is_15_minutes(accounts: Accounts, clock: ManualClock) -> None:
    _counsellor(accounts)
    for _ in range(ACCOUNT_LIMIT - 1):
        with pytest.raises(AccountError):
            accounts.sign_in("a@cio.fr", OTHER)
    clock.advance(minutes=16)
    for _ in range(ACCOUNT_LIMIT - 1):
        with pytest.raises(AccountError) as refused:
            accounts.sign_in("a@cio.fr", OTHER)
        assert refused.value.code == "invalid_credentials"


def test_an_activation_link_is_single_use_and_lasts_72_hours(
    accounts: Accounts, clock: ManualClock
) -> None:
    _, link = accounts.create("b@cio.fr", Role.COUNSELLOR, structure="CIO A")
    assert link is not None and not link.mailed
    assert link.url.startswith("https://careerpath.example.org/mot-de-passe/")
    token = link.url.rsplit("/", 1)[1]
    with pytest.raises(AccountError):
        accounts.sign_in("b@cio.fr", PASSWORD)  # pending: no password yet
    assert accounts.link_purpose(token) == "activation"
    clock.advance(hours=71)
    accounts.use_link(token, PASSWORD)
    with pytest.raises(AccountError) as used:
        accounts.use_link(token, OTHER)
    assert used.value.code == "bad_link"
    assert accounts.sign_in("b@cio.fr", PASSWORD)

    _, late = accounts.create("c@cio.fr", Role.COUNSELLOR, structure="CIO A")
    assert late is not None
    clock.advance(hours=72)
    assert accounts.link_purpose(late.url.rsplit("/", 1)[1]) is None


def test_a_new_link_cancels_the_previous_one(accounts: Accounts) -> None:
    _, first = accounts.create("b@cio.fr", Role.COUNSELLOR, structure="CIO A")
    second = accounts.reset_link("b@cio.fr")
    assert first is not None and second.purpose == "activation"
    assert accounts.link_purpose(first.url.rsplit("/", 1)[1]) is None
    assert accounts.link_purpose(second.url.rsplit("/", 1)[1]) == "activation"


def test_a_password_change_ends_every_other_session(accounts: Accounts) -> None:
    _counsellor(accounts)
    phone = accounts.sign_in("a@cio.fr", PASSWORD)
    desk = accounts.sign_in("a@cio.fr", PASSWORD)
    actor = accounts.resolve(desk.token)
    accounts.change_password(actor, PASSWORD, OTHER)
    assert not accounts.resolve(phone.token).signed_in
    assert accounts.resolve(desk.token).signed_in
    with pytest.raises(AccountError):
        accounts.sign_in("a@cio.fr", PASSWORD)
    assert accounts.sign_in("a@cio.fr", OTHER)


def test_sign_out_the_other_devices(accounts: Accounts) -> None:
    _counsellor(accounts)
    tokens = [accounts.sign_in("a@cio.fr", PASSWORD, user_agent=f"ua{n}").token for n in range(3)]
    actor = accounts.resolve(tokens[0])
    listed = accounts.sessions(actor)
    assert len(listed) == 3 and listed[0].current and not any(s.current for s in listed[1:])
    assert accounts.end_other_sessions(actor) == 2
    assert [accounts.resolve(t).signed_in for t in tokens] == [True, False, False]


def test_disabling_an_account_ends_its_sessions(accounts: Accounts) -> None:
    _counsellor(accounts)
    token = accounts.sign_in("a@cio.fr", PASSWORD).token
    accounts.disable("a@cio.fr")
    assert not accounts.resolve(token).signed_in
    with pytest.raises(AccountError) as refused:
        accounts.sign_in("a@cio.fr", PASSWORD)
    assert refused.value.code == "invalid_credentials"


def test_a_manager_manages_their_structure_only(accounts: Accounts) -> None:
    accounts.create("chef@cio.fr", Role.STRUCTURE_ADMIN, structure="CIO A", password=PASSWORD)
    _counsellor(accounts, "b@ml.fr", "Mission locale B")
    manager = accounts.resolve(accounts.sign_in("chef@cio.fr", PASSWORD).token)
    accounts.create("a@cio.fr", Role.COUNSELLOR, structure="CIO A", by=manager)
    with pytest.raises(AccessDenied):
        accounts.create("x@ml.fr", Role.COUNSELLOR, structure="Mission locale B", by=manager)
    with pytest.raises(AccessDenied):
        accounts.create("root@cio.fr", Role.ADMIN, by=manager)
    with pytest.raises(AccessDenied):
        accounts.disable("b@ml.fr", by=manager)
    assert {a.email for a in accounts.list_accounts(by=manager)} == {"chef@cio.fr", "a@cio.fr"}
    counsellor = accounts.resolve(accounts.sign_in("b@ml.fr", PASSWORD).token)
    with pytest.raises(AccessDenied):
        accounts.list_accounts(by=counsellor)


def test_the_audit_log_records_sign_ins_and_failures_for_the_structure_manager(
    accounts: Accounts, clock: ManualClock
) -> None:
    accounts.create("chef@cio.fr", Role.STRUCTURE_ADMIN, structure="CIO A", password=PASSWORD)
    _counsellor(accounts)
    _counsellor(accounts, "b@ml.fr", "Mission locale B")
    accounts.sign_in("a@cio.fr", PASSWORD, client_address="192.0.2.1")
    with pytest.raises(AccountError):
        accounts.sign_in("a@cio.fr", OTHER, client_address="192.0.2.1")
    accounts.sign_in("b@ml.fr", PASSWORD)
    manager = accounts.resolve(accounts.sign_in("chef@cio.fr", PASSWORD).token)
    seen = accounts.audit_events(manager)
    mine = [(e.action, e.actor_email) for e in seen]
    assert ("signin", "a@cio.fr") in mine and ("signin_failed", "a@cio.fr") in mine
    assert all(email != "b@ml.fr" for _, email in mine)  # another structure's events
    counsellor = accounts.resolve(accounts.sign_in("a@cio.fr", PASSWORD).token)
    with pytest.raises(AccessDenied):
        accounts.audit_events(counsellor)
    clock.advance(days=366)
    assert accounts.purge_audit() >= len(seen)


def test_viewing_a_followed_persons_data_is_allowed_and_audited(
    accounts: Accounts, database_url: str
) -> None:
    from careerpath.services.assessments import AssessmentStore, new_device_id

    store = AssessmentStore(database_url)
    device = new_device_id()
    store.start(device, "en_poste", None)
    subject = store.subject_of_device(device)
    assert subject is not None
    _counsellor(accounts)
    _counsellor(accounts, "b@ml.fr", "Mission locale B")
    a = accounts.resolve(accounts.sign_in("a@cio.fr", PASSWORD).token)
    b = accounts.resolve(accounts.sign_in("b@ml.fr", PASSWORD).token)
    assert a.account is not None
    with engine_for(database_url).begin() as connection:
        connection.execute(
            sqlalchemy.text(
                "INSERT INTO follow_up (subject_id, counsellor_id, structure_id, started_at) "
                "VALUES (:s, :c, :st, CURRENT_TIMESTAMP)"
            ),
            {"s": subject, "c": a.account.id, "st": a.account.structure_id},
        )
    facts = accounts.subject_facts(subject)
    target = Target(subject=facts)
    accounts.authorise(Actor(device_id=device), Need.VIEW_SUBJECT, target)  # the owner
    accounts.authorise(a, Need.VIEW_SUBJECT, target, what="bilan")
    with pytest.raises(AccessDenied):
        accounts.authorise(b, Need.VIEW_SUBJECT, target)
    with pytest.raises(AccessDenied):
        accounts.authorise(Actor(device_id=new_device_id()), Need.VIEW_SUBJECT, target)
    with engine_for(database_url).connect() as connection:
        views = connection.execute(
            sqlalchemy.text("SELECT actor_email, subject_id FROM audit_event WHERE action='view'")
        ).all()
    assert [tuple(v) for v in views] == [("a@cio.fr", subject)]


def test_a_reassessment_adds_a_dated_snapshot_and_keeps_the_first(database_url: str) -> None:
    from careerpath.services.assessments import AssessmentStore, new_device_id

    upgrade(engine_for(database_url))
    store = AssessmentStore(database_url)
    device = new_device_id()
    first = store.start(device, "en_poste", "secretaire")
    store.rate_many(first.id, {"org-prioriser": 2, "rh-paie": 1})
    second = store.reassess(first.id)
    store.rate(second.id, "org-prioriser", 4)
    assert store.get(first.id).ratings == {"org-prioriser": 2, "rh-paie": 1}
    assert store.current(device).id == second.id
    assert store.current(device).ratings == {"org-prioriser": 4, "rh-paie": 1}
    subject = store.subject_of_device(device)
    assert [s.id for s in store.snapshots(subject)] == [first.id, second.id]
    assert store.delete_device(device) == 2
    assert store.subject_of_device(device) is None


def test_audit_events_older_than_12_months_go_at_a_sign_in(
    accounts: Accounts, clock: ManualClock, database_url: str
) -> None:
    _counsellor(accounts)
    accounts.sign_in("a@cio.fr", PASSWORD)
    clock.advance(days=400)
    accounts.sign_in("a@cio.fr", PASSWORD)
    with engine_for(database_url).connect() as connection:
        times = connection.execute(sqlalchemy.text("SELECT at FROM audit_event")).all()
    assert len(times) == 1  # only the recent sign-in is left


def test_an_unknown_email_costs_the_same_argon2_work(
    accounts: Accounts, monkeypatch: pytest.MonkeyPatch
) -> None:
    from careerpath.services.accounts import passwords

    _counsellor(accounts)
    accounts.create("pending@cio.fr", Role.COUNSELLOR, structure="CIO A")
    checked: list[str] = []
    real = passwords.HASHER

    class CountingHasher:
        def verify(self, stored: str, password: str) -> bool:
            checked.append(stored.split("$")[3])  # the parameters, e.g. m=19456,t=2,p=1
            return real.verify(stored, password)

        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

    monkeypatch.setattr(passwords, "HASHER", CountingHasher())
    for email in ("a@cio.fr", "personne@cio.fr", "pending@cio.fr"):
        with pytest.raises(AccountError):
            accounts.sign_in(email, OTHER)
    assert checked == ["m=19456,t=2,p=1"] * 3


def test_expired_sessions_and_links_leave_the_database(
    accounts: Accounts, clock: ManualClock, database_url: str
) -> None:
    _counsellor(accounts)
    accounts.sign_in("a@cio.fr", PASSWORD)  # never used again: expires on its own
    accounts.create("b@cio.fr", Role.COUNSELLOR, structure="CIO A")  # a link nobody opens
    clock.advance(days=4)
    accounts.sign_in("a@cio.fr", PASSWORD)
    with engine_for(database_url).connect() as connection:
        sessions = connection.execute(sqlalchemy.text("SELECT COUNT(*) FROM auth_session")).scalar()
        links = connection.execute(sqlalchemy.text("SELECT COUNT(*) FROM account_token")).scalar()
    assert (sessions, links) == (1, 0)
