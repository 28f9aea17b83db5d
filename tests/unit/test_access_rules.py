"""The authorisation rules (domain/access.py) as properties over every kind of actor."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from careerpath.domain.access import (
    Account,
    Actor,
    Need,
    Outcome,
    Role,
    SubjectFacts,
    Target,
    decide,
)
from careerpath.services.accounts.service import SESSION_COOKIE, session_token
from careerpath.services.accounts.throttle import MAX_DELAY, delay_after

ids = st.text(alphabet="abcdef0123456789", min_size=4, max_size=8)
structures = st.integers(min_value=1, max_value=4)
accounts = st.builds(
    Account,
    id=ids,
    email=st.just("x@example.org"),
    role=st.sampled_from(list(Role)),
    structure_id=st.one_of(st.none(), structures),
)
actors = st.builds(
    Actor, account=st.one_of(st.none(), accounts), device_id=st.one_of(st.just(""), ids)
)
subjects = st.builds(
    SubjectFacts,
    subject_id=ids,
    device_id=st.one_of(st.none(), ids),
    account_id=st.one_of(st.none(), ids),
    follow_ups=st.frozensets(st.tuples(ids, structures), max_size=3),
)
targets = st.builds(
    Target,
    structure_id=st.one_of(st.none(), structures),
    subject=st.one_of(st.none(), subjects),
    account_role=st.one_of(st.none(), st.sampled_from(list(Role))),
)


@given(actors, st.sampled_from(list(Need)), targets)
def test_without_an_account_only_ones_own_data_opens(
    actor: Actor, need: Need, target: Target
) -> None:
    decision = decide(Actor(device_id=actor.device_id), need, target)
    if need is Need.VIEW_SUBJECT:
        own = (
            target.subject is not None
            and bool(actor.device_id)
            and target.subject.device_id == actor.device_id
        )
        assert decision.allowed == own and not decision.audited
    else:
        assert decision.outcome is Outcome.SIGN_IN


@given(accounts, subjects)
def test_a_persons_data_opens_to_an_account_only_through_a_follow_up_of_its_structure(
    account: Account, subject: SubjectFacts
) -> None:
    decision = decide(Actor(account=account), Need.VIEW_SUBJECT, Target(subject=subject))
    own = subject.account_id == account.id
    followed = (
        account.role is Role.COUNSELLOR and (account.id, account.structure_id) in subject.follow_ups
    ) or (account.role is Role.STRUCTURE_ADMIN and account.structure_id in subject.structures)
    assert decision.allowed == (own or followed)
    assert decision.audited == (followed and not own)
    if account.role is Role.ADMIN:
        assert decision.allowed == own  # the platform's administrator reads nobody's answers


@given(accounts, targets)
def test_a_manager_never_reaches_another_structure_nor_makes_an_admin(
    account: Account, target: Target
) -> None:
    decision = decide(Actor(account=account), Need.MANAGE_STRUCTURE, target)
    if account.role is Role.ADMIN:
        assert decision.allowed
    elif account.role is Role.COUNSELLOR:
        assert not decision.allowed
    else:
        other = target.structure_id is not None and target.structure_id != account.structure_id
        if other or target.account_role is Role.ADMIN or account.structure_id is None:
            assert not decision.allowed


@given(st.text(max_size=300))
def test_any_cookie_header_parses_without_error(header: str) -> None:
    token = session_token(header)
    assert token is None or isinstance(token, str)
    assert session_token(f"a=b; {SESSION_COOKIE}=tok123; c=d") == "tok123"


@given(st.integers(min_value=0, max_value=200), st.integers(min_value=1, max_value=50))
def test_the_lockout_delay_grows_and_stays_bounded(failures: int, limit: int) -> None:
    now, then = delay_after(failures, limit), delay_after(failures + 1, limit)
    if failures + 1 < limit:
        assert now is None and then is None
    else:
        assert then is not None and then <= MAX_DELAY
        assert now is None or now <= then
        assert then >= timedelta(seconds=30)
