"""The one rule for an objective's or action's id typed in a form or sent by a websocket
event: digits, 1 to 2**31-1 (the API's bound), else the plan's own refusal."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from careerpath.services.workspace.base import (
    MAX_ID,
    NotFound,
    WorkspaceError,
    id_of,
    is_denial,
    objective_choice,
)


@given(st.one_of(st.text(max_size=30), st.integers(), st.none(), st.booleans(), st.floats()))
def test_an_id_is_in_range_or_refused_with_the_callers_code(value: object) -> None:
    try:
        found = id_of(value, "action")
    except WorkspaceError as error:
        assert error.code == "action" and not is_denial(error)
        assert error.message("fr") == "Cette action n'existe pas dans ce plan."
        return
    assert 1 <= found <= MAX_ID
    assert str(found) == str(value).strip().lstrip("0") or found == value


@pytest.mark.parametrize("value", ["1", " 42 ", 7, str(MAX_ID), MAX_ID])
def test_good_ids_are_read(value: object) -> None:
    assert id_of(value, "action") == int(str(value).strip())


@pytest.mark.parametrize(
    "value", ["", "0", "-1", "abc", "1e3", "٣", str(MAX_ID + 1), "9" * 40, MAX_ID + 1, True]
)
def test_bad_ids_are_refused(value: object) -> None:
    with pytest.raises(WorkspaceError):
        id_of(value, "action")


def test_an_objective_is_none_only_when_none_is_chosen() -> None:
    assert objective_choice("") is None and objective_choice("  ") is None
    assert objective_choice(None) is None
    assert objective_choice("12") == 12
    for bad in ("abc", "0", "99999999999999999999"):
        with pytest.raises(WorkspaceError) as refused:
            objective_choice(bad)
        assert refused.value.code == "objective" and refused.value.field == "objective_id"


def test_only_not_found_is_a_denial() -> None:
    assert is_denial(NotFound())
    assert not is_denial(WorkspaceError("objective", status=404))
    assert not is_denial(WorkspaceError("closed", status=409))
