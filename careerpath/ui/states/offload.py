"""Service calls run off the event loop: one worker's event loop serves all its users, so a
database query, the engine or a PDF inside a handler would stall everyone else meanwhile.

Handlers `await asyncio.to_thread(...)` on these (or on a service function directly).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from careerpath.services.assessments import AssessmentStore, StoredAssessment
from careerpath.services.context import current_context
from careerpath.services.labels import Locale

T = TypeVar("T")


def current_assessment(device_id: str) -> StoredAssessment | None:
    """The device's current assessment (a database read: call it in a thread)."""
    return AssessmentStore().current(device_id)


def with_context(view: Callable[..., T], locale: Locale, *args: object) -> T:
    """`view(current_context(locale), *args)`: the referential's version check included."""
    return view(current_context(locale), *args)
