"""One model of effort: paths never go through a role the person is already ready for, and
the role page says why its hours differ from the plan's."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_support import assessment, ratings_for, referentials

from careerpath.domain.engine import READY_MIN_SCORE, Engine


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_a_path_never_goes_through_a_role_the_person_is_ready_for(data: st.DataObject) -> None:
    referential = data.draw(referentials())
    ratings = data.draw(ratings_for(referential))
    codes = [r.code for r in referential.roles]
    current = data.draw(st.sampled_from([None, *codes]))
    target = data.draw(st.sampled_from(codes))
    engine = Engine(referential, derived_per_role=2)
    person = assessment(ratings, current)
    ready = {
        r.role
        for r in engine.readiness(person, top=None)
        if r.score >= READY_MIN_SCORE and not any(g.weight == "essential" for g in r.gaps)
    }
    for path in engine.paths(person, target):
        middle = path.steps[1:-1] if current else path.steps[:-1]
        assert not set(middle) & ready, (path.steps, ready)
