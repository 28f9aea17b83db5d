"""What every journey screen is computed against: the referential, its engine, a language.

The view-model services (`questionnaire`, `profile`, `next_roles_view`, `role_page`,
`plan_view`) take a `Context` argument instead of reaching for the stored referential
themselves; the UI states build one per request with `current_context`, tests and batch
jobs with `context_of` on a referential they loaded.
"""

from __future__ import annotations

from dataclasses import dataclass

from careerpath.domain.engine import Engine, engine_for
from careerpath.domain.referential import Referential
from careerpath.i18n import Locale
from careerpath.services.referential import load_referential
from careerpath.services.referential_text import localized


@dataclass(frozen=True)
class Context:
    referential: Referential
    engine: Engine
    locale: Locale = "fr"


def context_of(referential: Referential, locale: Locale = "fr") -> Context:
    """A context on this referential (its engine is cached per referential version), its
    texts in `locale` (see `referential_text`)."""
    return Context(localized(referential, locale), engine_for(referential), locale)


def current_context(locale: Locale = "fr", database_url: str | None = None) -> Context:
    """A context on the referential in service (the stored one, cached per version)."""
    return context_of(load_referential(database_url), locale)
