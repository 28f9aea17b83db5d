"""The class poll's storage and rules, on SQLite and on PostgreSQL (what several backend
workers share: nothing of a poll lives in one process)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careerpath.data import class_polls as store
from careerpath.data.database import current_revision, engine_for, head_revision, upgrade
from careerpath.services import class_poll, schools
from careerpath.services.referential import initialise_database, load_referential


@pytest.fixture
def url(database_url: str) -> str:
    initialise_database(database_url)
    return database_url


def roles_of(url: str, diploma: str = "bts-sam") -> list[str]:
    map_ = schools.progression(load_referential(url), diploma)
    return sorted(schools.map_roles(map_))


def test_the_migration_creates_the_poll_tables_and_goes_back(database_url: str) -> None:
    engine = engine_for(database_url)
    upgrade(engine)
    assert {"class_poll", "class_poll_answer"} <= set(sqlalchemy.inspect(engine).get_table_names())
    assert current_revision(engine) == head_revision()


def test_counts_show_from_five_students_and_never_who(url: str) -> None:
    opened = class_poll.open_poll("bts-sam", url)
    assert class_poll.is_code(opened.code)
    assert class_poll.poll_diploma(opened.code, url) == "bts-sam"
    first, second = roles_of(url)[:2]
    students = [class_poll.new_voter_token() for _ in range(6)]
    for number, token in enumerate(students[:4]):
        class_poll.answer(opened.code, token, first, True, url)
        if number % 2:
            class_poll.answer(opened.code, token, second, True, url)
    early = class_poll.results(opened.code, opened.key, url=url)
    assert (early.voters, early.shown, early.counts) == (4, False, ())
    for token in students[4:]:
        class_poll.answer(opened.code, token, first, True, url)
    found = class_poll.results(opened.code, opened.key, url=url)
    assert found.voters == 6 and found.shown
    assert [(c.role, c.count) for c in found.counts] == [(first, 6), (second, 2)]
    # Stored voters are salted hashes: no token (let alone a device id) is kept.
    with engine_for(url).connect() as connection:
        voters = set(
            connection.execute(sqlalchemy.text("SELECT voter FROM class_poll_answer")).scalars()
        )
    assert len(voters) == 6 and not voters & set(students)


def test_a_student_marks_a_role_once_and_can_take_it_back(url: str) -> None:
    opened = class_poll.open_poll("bts-sam", url)
    token = class_poll.new_voter_token()
    role = roles_of(url)[0]
    assert class_poll.answer(opened.code, token, role, True, url) == {role}
    assert class_poll.answer(opened.code, token, role, True, url) == {role}
    assert class_poll.my_answers(opened.code, token, url) == {role}
    assert class_poll.answer(opened.code, token, role, False, url) == frozenset()
    assert class_poll.results(opened.code, opened.key, url=url).voters == 0


def test_bad_answers_are_refused_and_change_nothing(url: str) -> None:
    opened = class_poll.open_poll("bts-sam", url)
    token = class_poll.new_voter_token()
    off_map = next(r for r in sorted(load_referential(url).role_by_code) if r not in roles_of(url))
    with pytest.raises(class_poll.PollRefused):
        class_poll.answer(opened.code, token, off_map, True, url)
    with pytest.raises(class_poll.PollRefused):
        class_poll.answer(opened.code, "pas-un-jeton", roles_of(url)[0], True, url)
    with pytest.raises(class_poll.PollClosed):
        class_poll.answer("ZZZZZZ", token, roles_of(url)[0], True, url)
    with pytest.raises(class_poll.PollClosed):
        class_poll.answer("x" * 10_000, token, roles_of(url)[0], True, url)
    assert class_poll.results(opened.code, opened.key, url=url).voters == 0


def test_only_the_display_that_opened_a_poll_reads_or_ends_it(url: str) -> None:
    opened = class_poll.open_poll("bts-sam", url)
    other = class_poll.open_poll("bts-sam", url)
    for key in (other.key, "", "a" * 32):
        with pytest.raises(class_poll.PollClosed):
            class_poll.results(opened.code, key, url=url)
        with pytest.raises(class_poll.PollClosed):
            class_poll.end(opened.code, key, url)
    token = class_poll.new_voter_token()
    class_poll.answer(opened.code, token, roles_of(url)[0], True, url)
    class_poll.end(opened.code, opened.key, url)
    with pytest.raises(class_poll.PollClosed):
        class_poll.poll_diploma(opened.code, url)
    assert class_poll.my_answers(opened.code, token, url) == frozenset()
    with pytest.raises(schools.UnknownDiploma):
        class_poll.open_poll("pas-un-diplome", url)


def test_a_poll_ends_by_itself_and_its_answers_go_with_it(url: str) -> None:
    opened = class_poll.open_poll("bts-sam", url)
    class_poll.answer(opened.code, class_poll.new_voter_token(), roles_of(url)[0], True, url)
    later = datetime.now(UTC) + timedelta(hours=class_poll.POLL_HOURS, minutes=1)
    engine = engine_for(url)
    assert store.find_poll(engine, opened.code, later) is None
    assert store.delete_expired(engine, later) >= 1
    assert store.counts(engine, opened.code) == (0, {})


def test_a_poll_takes_a_bounded_number_of_students(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(class_poll, "MAX_VOTERS", 2)
    opened = class_poll.open_poll("bts-sam", url)
    role, other = roles_of(url)[:2]
    tokens = [class_poll.new_voter_token() for _ in range(3)]
    class_poll.answer(opened.code, tokens[0], role, True, url)
    class_poll.answer(opened.code, tokens[1], role, True, url)
    with pytest.raises(class_poll.PollRefused):
        class_poll.answer(opened.code, tokens[2], role, True, url)
    class_poll.answer(opened.code, tokens[0], other, True, url)  # one already in may go on
    assert class_poll.results(opened.code, opened.key, url=url).voters == 2
    running = store.poll_count(engine_for(url))
    monkeypatch.setattr(class_poll, "MAX_RUNNING_POLLS", running)
    with pytest.raises(class_poll.PollRefused):
        class_poll.open_poll("bts-sam", url)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    code=st.one_of(st.just("poll"), st.text(max_size=40)),
    token=st.one_of(st.just("valid"), st.text(max_size=40)),
    role=st.one_of(st.sampled_from(["on-map", "assistant-direction"]), st.text(max_size=600)),
)
def test_whatever_a_phone_sends_only_a_valid_answer_is_stored(
    sqlite_url: str, code: str, token: str, role: str
) -> None:
    initialise_database(sqlite_url)
    allowed = roles_of(sqlite_url)
    opened = class_poll.open_poll("bts-sam", sqlite_url)
    code = opened.code if code == "poll" else class_poll.normalise_code(code)
    token = class_poll.new_voter_token() if token == "valid" else token
    role = allowed[0] if role == "on-map" else role
    valid = code == opened.code and class_poll.is_voter_token(token) and role in allowed
    try:
        class_poll.answer(code, token, role, True, sqlite_url)
    except (class_poll.PollClosed, class_poll.PollRefused):
        assert not valid
    else:
        assert valid
    stored = class_poll.results(opened.code, opened.key, url=sqlite_url).voters
    assert stored == (1 if valid else 0)
