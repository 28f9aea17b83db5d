"""Which group a next role is shown in: the one rule of « À une formation près ».

The engine groups roles cheaply and for everyone (`ready`; `one_training` at 60 % or more,
or when one training of the catalogue reaches every gap, constraints aside; `long_term`).
What a person is shown — the next-roles cards, the recommendation JSON of the CLI and the
API — keeps `ready` and `long_term`, but says `one_training` only when the plan to that
role, the very plan its plan page shows under the person's constraints, is one item that
closes every gap (`TrainingPlan.closing_item`), and names that item.
"""

from __future__ import annotations

from dataclasses import replace

from careerpath.domain.assessment import Assessment
from careerpath.domain.engine import Engine, RoleGroup
from careerpath.domain.planning import PlanItem
from careerpath.domain.readiness import ReadinessVector


def shown_group(
    engine: Engine,
    assessment: Assessment,
    role: str,
    group: RoleGroup,
    *,
    reaches: bool,
    vector: ReadinessVector | None = None,
) -> tuple[RoleGroup, PlanItem | None]:
    """The group `role` is shown in, and the one plan item when it is `one_training`.

    `group`: the engine's; `reaches`: `Engine.one_training_reaches` for this role (when it
    is False no plan can be one item, and none is computed).
    """
    if group != RoleGroup.ONE_TRAINING:
        return group, None
    if not reaches:
        return RoleGroup.LONG_TERM, None
    plan = engine.plan(replace(assessment, target=role), role, vector=vector)
    item = plan.closing_item
    return (RoleGroup.ONE_TRAINING, item) if item is not None else (RoleGroup.LONG_TERM, None)
