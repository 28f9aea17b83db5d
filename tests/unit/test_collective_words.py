"""The members' shared words in the collective diagnosis (domain/collective.py:
`texts_shown`, `next_texts`), as examples and as properties.

The oracle reads the raw history only — who is a counted respondent sharing which words at
each moment — never the marks or the states' lists: no display ever shows words that are not
shared at that moment, a non-empty display has at least k texts, and a state whose list
changed shows, at its publication, either no words that no display had shown before or at
least k of them. On the published lists themselves: a later list adds nobody's words to an
earlier one, or at least k texts.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from careerpath.domain.collective import (
    TEXT,
    Item,
    Panel,
    PanelState,
    Response,
    SharedText,
    effective_k,
    next_texts,
    publish_state,
    shared_now,
    texts_shown,
)

ITEMS = (Item("a1", "A"), Item("a2", "A"), Item("b1", "B"))
PERSONS = [f"p{i}" for i in range(14)]


def member(person: str, text: str = "", level: int = 2, panel: Panel = Panel.ASSISTANT) -> Response:
    """A respondent as the service gives it: each contribution marked by its content, the
    words marked by (member, words) with a purpose of their own (here in clear)."""
    ratings = {"a1": level, "b1": 3}
    marks = {code: f"L{value}" for code, value in ratings.items()}
    if text:
        marks[TEXT] = text
    return Response(
        person,
        panel,
        ratings,
        version="v",
        marks=marks,
        text=text,
        text_mark=f"w:{person}:{text}" if text else "",
    )


def publish(previous: list[PanelState], responses: list[Response], k: int = 5) -> PanelState | None:
    return publish_state(previous, responses, Panel.ASSISTANT, ITEMS, k)


def shown(state: PanelState, responses: list[Response], k: int = 5) -> tuple[str, ...]:
    return texts_shown(state.texts, shared_now(responses, Panel.ASSISTANT), k)


def test_a_withdrawal_or_a_departure_takes_the_words_away_at_once() -> None:
    six = [member(p, f"mot de {p}") for p in PERSONS[:6]]
    state = publish([], six)
    assert state is not None
    assert shown(state, six) == tuple(sorted(f"mot de {p}" for p in PERSONS[:6]))
    # p0 withdraws: no new state (one change), yet their words are gone at once
    withdrawn = [replace(six[0], text="", text_mark=""), *six[1:]]
    assert publish([state], withdrawn) is None
    assert shown(state, withdrawn) == tuple(f"mot de {p}" for p in PERSONS[1:6])
    # p1 leaves too: four texts left, fewer than k — none at all
    assert shown(state, [withdrawn[0], *six[2:]]) == ()
    # replaced words are withdrawn words: the new ones wait for a state of their own
    seven = [*six, member(PERSONS[6], "mot de p6")]
    state = publish([], seven)
    assert state is not None and len(shown(state, seven)) == 7
    changed = [replace(seven[0], text="autre chose", text_mark="w:p0:autre chose"), *seven[1:]]
    assert "mot de p0" not in shown(state, changed) and "autre chose" not in shown(state, changed)
    assert len(shown(state, changed)) == 6
    # a member no longer counted (an empty assessment) shows no words either
    empty = [replace(seven[1], ratings={}), *seven[2:]]
    assert "mot de p1" not in shown(state, empty)


def test_the_same_words_of_another_member_are_other_words() -> None:
    five = [member(p, "Un club") for p in PERSONS[:5]]
    state = publish([], five)
    assert state is not None and shown(state, five) == ("Un club",) * 5
    assert shown(state, five[1:] + [member(PERSONS[9], "Un club")]) == ()  # p0's are gone


def test_one_new_members_words_never_show_among_old_ones() -> None:
    five = [member(p, f"mot de {p}") for p in PERSONS[:5]]
    first = publish([], five)
    assert first is not None
    # five join, one of them with words: a new state, but its list would differ from the
    # one shown by one text — it keeps the previous list
    sixth = [*five, member(PERSONS[5], "mot de p5")] + [member(p) for p in PERSONS[6:10]]
    second = publish([first], sixth)
    assert second is not None and second.texts == first.texts
    assert "mot de p5" not in shown(second, sixth) and len(shown(second, sixth)) == 5
    # five new texts at once (four first words, one replaced): they show together
    many = [member(PERSONS[0], "autre mot de p0"), *sixth[1:6]]
    many += [member(p, f"mot de {p}") for p in PERSONS[6:10]]
    third = publish([first, second], many)
    assert third is not None and len(shown(third, many)) == 10
    assert "mot de p5" in shown(third, many) and "mot de p0" not in shown(third, many)


def test_departures_do_not_mask_one_new_text() -> None:
    """Five leave, five join and one of them shares words: a new state, whose list would
    differ from the last one by six texts (five removed, one added) — yet from what the
    organiser sees by then (the five are gone at once) by one: it is refused."""
    ten = [member(p, f"mot de {p}") for p in PERSONS[:10]]
    first = publish([], ten)
    assert first is not None and len(shown(first, ten)) == 10
    after = ten[:5] + [member(PERSONS[10], "mot de p10")]
    after += [member(p) for p in PERSONS[11:14]] + [member("p14")]
    assert shown(first, after) == tuple(sorted(f"mot de {p}" for p in PERSONS[:5]))
    second = publish([first], after)
    assert second is not None and second.texts == first.texts
    assert shown(second, after) == shown(first, after)  # p10's words are not shown


def test_authors_counted_again_do_not_carry_one_new_text_in() -> None:
    """Against every earlier list and against all of them together: five authors back after
    a pause do not let one new text through among theirs and the others'."""
    a = [member(p, f"mot de {p}") for p in PERSONS[:5]]
    b = [member(p, f"mot de {p}") for p in PERSONS[5:10]]
    first = publish([], a)
    paused = [replace(r, ratings={}) for r in a]
    second = publish([first] if first else [], paused + b)
    assert first is not None and second is not None
    assert {t.text for t in second.texts} == {f"mot de {p}" for p in PERSONS[5:10]}
    back = a + b + [member(PERSONS[10], "mot de p10")] + [member(p) for p in PERSONS[11:14]]
    back.append(member("p14"))
    third = publish([first, second], back)
    assert third is not None and third.texts == second.texts
    assert "mot de p10" not in shown(third, back)


def test_fewer_than_k_texts_are_not_kept() -> None:
    few = [member(p, f"mot de {p}" if p in PERSONS[:4] else "") for p in PERSONS[:6]]
    state = publish([], few)
    assert state is not None and state.texts == ()
    assert next_texts([], [SharedText("x", "m")] * 2, 3) == ()


def test_the_lists_of_retired_states_still_count_by_their_words() -> None:
    """A new deployment key retires every state: the words they showed were seen, so one
    newcomer's words do not show among them — the new list is empty until k new ones."""
    old = [member(p, f"mot de {p}") for p in PERSONS[:5]]
    first = publish([], old)
    assert first is not None
    seen = [tuple(SharedText(t.text, "") for t in first.texts)]
    assert len(seen[0]) == 5
    now = [*old, member(PERSONS[5], "mot de p5")]
    state = publish_state([], now, Panel.ASSISTANT, ITEMS, 5, retired_texts=seen)
    assert state is not None and state.texts == ()
    # without the retired lists, the six would show, the newcomer's among them
    unchecked = publish_state([], now, Panel.ASSISTANT, ITEMS, 5)
    assert unchecked is not None and "mot de p5" in shown(unchecked, now)
    # five new texts at once show together (never a retired list's words without marks)
    more = now + [member(p, f"mot de {p}") for p in PERSONS[6:10]]
    state = publish_state([], more, Panel.ASSISTANT, ITEMS, 5, retired_texts=seen)
    assert state is not None and len(shown(state, more)) == 10
    assert all(t.mark for t in state.texts)


def test_a_text_stored_before_texts_were_marked_is_never_shown() -> None:
    old = (SharedText("vieux mot", ""),) * 5
    assert texts_shown(old, {""}, 5) == ()
    # …and it still counts as already listed: the same words are not « new » against it
    fresh = [SharedText("vieux mot", f"m{i}") for i in range(5)]
    assert next_texts([old], fresh, 5) == tuple(fresh)
    assert next_texts([old], [*fresh, SharedText("nouveau", "n")], 5) == old


# -- the property ----------------------------------------------------------------------


@st.composite
def histories(draw: st.DrawFn) -> list[list[Response]]:
    """A group over several moments: members join (with or without words), leave, withdraw
    or replace their words, share some, change an answer, pause (an empty assessment) and
    come back. Words are unique to their author and moment: withdrawn words never return."""
    moments: list[list[Response]] = []
    current: dict[str, Response] = {}
    for moment in range(draw(st.integers(min_value=1, max_value=6))):
        for person in draw(st.lists(st.sampled_from(PERSONS), unique=True, max_size=9)):
            was = current.get(person)
            words = f"{person} au moment {moment}"
            step = draw(st.sampled_from(("join", "leave", "withdraw", "share", "answer", "pause")))
            if was is None or step == "join":
                panel = was.panel if was else draw(st.sampled_from(list(Panel)))
                text = words if draw(st.booleans()) else ""
                current[person] = member(person, text, draw(st.integers(0, 4)), panel)
            elif step == "leave":
                del current[person]
            elif step == "withdraw":
                current[person] = replace(was, text="", text_mark="")
            elif step == "share":
                current[person] = replace(was, text=words, text_mark=f"w:{person}:{words}")
            elif step == "answer":
                level = draw(st.integers(0, 4))
                current[person] = replace(was, ratings={**was.ratings, "a1": level})
            elif was.ratings:
                current[person] = replace(was, ratings={})  # a new, empty assessment
            else:
                current[person] = replace(was, ratings={"a1": 1, "b1": 2})
            if person in current:  # marks follow the content, as the service's do
                r = current[person]
                marks = {code: f"L{value}" for code, value in r.ratings.items()}
                if r.text:
                    marks[TEXT] = r.text
                current[person] = replace(r, marks=marks)
        moments.append(list(current.values()))
    return moments


def _sharing(responses: list[Response], panel: Panel) -> set[str]:
    """The oracle: the words the panel's counted respondents share at that moment."""
    return {r.text for r in responses if r.panel is panel and r.ratings and r.text}


@settings(max_examples=300, deadline=None)
@given(histories(), st.sampled_from((3, 4, 5)))
def test_no_withdrawn_text_is_shown_and_new_words_come_k_at_a_time(
    moments: list[list[Response]], k: int
) -> None:
    k = effective_k(k)
    for panel in Panel:
        states: list[tuple[int, PanelState]] = []
        # every display the organiser could look at: each moment, each state published by
        # then (the one in force, and every past date)
        ever_shown: set[str] = set()
        for moment, responses in enumerate(moments):
            fresh = publish_state([s for _, s in states], responses, panel, ITEMS, k)
            before = set(ever_shown)
            if fresh is not None:
                states.append((moment, fresh))
            sharing = _sharing(responses, panel)
            displays = [texts_shown(s.texts, shared_now(responses, panel), k) for _, s in states]
            for display in displays:
                assert set(display) <= sharing, "a text shown that is not shared now"
                assert not display or len(display) >= k
                assert len(set(display)) == len(display)  # each author's words once
            if fresh is not None and len(states) > 1 and fresh.texts != states[-2][1].texts:
                new = set(displays[-1]) - before
                assert not new or len(new) >= k, sorted(new)
            for display in displays:
                ever_shown.update(display)
        # the lists as published: a later one adds no words to an earlier one, or k at least
        lists = [{t.mark for t in s.texts} for _, s in states]
        for earlier, later in itertools.combinations(lists, 2):
            added = later - earlier
            assert not added or len(added) >= k


# -- what a stored state tells ---------------------------------------------------------


def test_a_stored_text_is_tied_to_no_member_without_the_deployment_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The stored state keeps each text with its words' mark: it matches no trace's mark, and
    neither a plain digest nor a guessed key of (member, words) gives it back; with the key,
    the service recognises the words still shared."""
    import hashlib
    import hmac

    from careerpath.services.collective.groups import _marks, _text_mark, _words_mark
    from careerpath.services.collective.states import dump, load

    monkeypatch.setenv("CAREERPATH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CAREERPATH_COLLECTIVE_SECRET", "la clé du déploiement, hors base")
    responses = []
    for i in range(5):
        person, words = f"member-{i}", f"Mon idée numéro {i}"
        ratings = {"a1": i % 5, "b1": 2}
        responses.append(
            Response(
                person,
                Panel.ASSISTANT,
                ratings,
                marks=_marks("grp", person, ratings, frozenset(), frozenset(), True)
                | _text_mark("grp", person, words),
                text=words,
                text_mark=_words_mark("grp", person, words),
            )
        )
    state = publish_state([], responses, Panel.ASSISTANT, ITEMS, 5)
    assert state is not None and len(state.texts) == 5
    body = dump(state)
    assert load(body) == state
    data = json.loads(body)
    trace_marks = {e.rsplit("@", 1)[1] for _, _, items in data["traces"] for e in items}
    text_marks = {m for _, m in data["texts"]}
    assert len(text_marks) == 5 and not text_marks & trace_marks

    def plain(*parts: object) -> str:
        return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:16]

    def keyed(key: bytes, *parts: object) -> str:
        return hmac.new(key, "|".join(map(str, parts)).encode(), hashlib.sha256).hexdigest()[:16]

    guesses = [plain] + [
        lambda *parts, key=key: keyed(key, *parts) for key in (b"", b"careerpath", b"secret")
    ]
    for words, marked in data["texts"]:
        for person, _, _ in data["traces"]:
            for purpose in ("collective-words", "collective-mark"):
                for guess in guesses:
                    assert guess(purpose, "grp", person, words) != marked
                    assert guess(purpose, "grp", person, TEXT, words) != marked
    assert texts_shown(state.texts, shared_now(responses, Panel.ASSISTANT), 5) == tuple(
        sorted(r.text for r in responses)
    )
    monkeypatch.setenv("CAREERPATH_COLLECTIVE_SECRET", "une autre clé")
    assert _words_mark("grp", "member-0", "Mon idée numéro 0") not in text_marks
