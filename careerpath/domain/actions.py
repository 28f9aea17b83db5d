"""Action plans built together: objectives, actions, statuses, and what counts as overdue.

One model for the counsellor workspace (a beneficiary's plan) and the collective diagnosis
(a group's plan): a *plan* is identified by its kind and id, it holds objectives (usually a
goal role), and actions that may belong to an objective. Who created an action (the
counsellor, the beneficiary, a group's organiser) is kept, and comments are visible to both
sides of the plan.

Rules kept here, once:
- an action has a kind, a title of 1 to `MAX_TITLE` characters, optional start and due
  dates with start ≤ due, and a status;
- an action is **overdue** when it has a due date before today and is neither done nor
  abandoned (« en attente » stays overdue: it waits, but the date has passed);
- a closed plan is read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

MAX_TITLE = 200
MAX_TEXT = 2000
"""Comments and notes: at most this many characters."""


class PlanKind(StrEnum):
    BENEFICIARY = "beneficiary"
    GROUP = "group"


class ActionKind(StrEnum):
    TRAINING = "training"
    VAE = "vae"
    IMMERSION = "immersion"
    """A PMSMP (période de mise en situation en milieu professionnel), for a job seeker."""
    APPLICATION = "application"
    INTERVIEW = "interview"
    NETWORK = "network"
    ONBOARDING = "onboarding"
    """A step of a group's onboarding path for newcomers."""
    MEETING = "meeting"
    """A meeting of a club or a network of assistants."""
    FREE = "free"


class ActionStatus(StrEnum):
    TODO = "todo"
    DOING = "doing"
    DONE = "done"
    ABANDONED = "abandoned"
    WAITING = "waiting"


BENEFICIARY_KINDS = (
    ActionKind.TRAINING,
    ActionKind.VAE,
    ActionKind.IMMERSION,
    ActionKind.APPLICATION,
    ActionKind.INTERVIEW,
    ActionKind.NETWORK,
    ActionKind.FREE,
)
"""The kinds of a beneficiary's plan, in the order the forms offer them (onboarding and
meetings belong to a group's plan)."""


FINISHED = frozenset({ActionStatus.DONE, ActionStatus.ABANDONED})


class Author(StrEnum):
    COUNSELLOR = "counsellor"
    BENEFICIARY = "beneficiary"
    ORGANISER = "organiser"


@dataclass(frozen=True)
class ActionFacts:
    """What the rules need to know of an action."""

    kind: ActionKind
    title: str
    status: ActionStatus = ActionStatus.TODO
    start: date | None = None
    due: date | None = None


def is_overdue(action: ActionFacts, today: date) -> bool:
    """Past its due date and neither done nor abandoned."""
    return action.due is not None and action.due < today and action.status not in FINISHED


def problems(action: ActionFacts) -> list[tuple[str, str]]:
    """(field, problem code) for each rule the action breaks; empty when it is valid."""
    found: list[tuple[str, str]] = []
    title = action.title.strip()
    if not title:
        found.append(("title", "empty"))
    elif len(title) > MAX_TITLE:
        found.append(("title", "too_long"))
    if action.start is not None and action.due is not None and action.start > action.due:
        found.append(("due", "before_start"))
    return found


def text_problem(text: str) -> str | None:
    """The problem code of a comment or note, or None when it can be kept."""
    stripped = text.strip()
    if not stripped:
        return "empty"
    if len(stripped) > MAX_TEXT:
        return "too_long"
    return None
