"""The referential's own texts in the person's language.

The curated bundle is written in French (the project's referential, French first); its
English lives in a gettext catalog of its own, `careerpath/locale/en/LC_MESSAGES/referential.po`,
whose msgids are the bundle's French texts: role titles and families, competency labels,
categories, descriptions and level descriptors, training titles and prerequisites.
Keyed by the French text rather than by code, it can never put the curated English on an
imported referential that merely reuses a code; a text the catalog lacks (an imported
ROME or ESCO referential — ESCO is imported from its English files already — or a row
added to the bundle since) shows as it is written.

`localized(referential, locale)` is the referential with those texts replaced, same codes,
same order (so questionnaire steps, groups and ratings keep their meaning); `Context`
carries it, while the engine stays the one of the original referential (the engine's own
sentences translate the titles and labels they quote with `referential_gettext`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import replace

from careerpath.domain.referential import Referential
from careerpath.i18n import DEFAULT_LOCALE, Locale, referential_gettext

CACHE_SIZE = 4
_cache: OrderedDict[tuple[str, Locale], Referential] = OrderedDict()
_lock = threading.Lock()


def referential_text(text: str, locale: Locale) -> str:
    """One text of the referential in `locale` (as written when the catalog lacks it)."""
    return referential_gettext(text, locale)


def texts_of(referential: Referential) -> list[str]:
    """Every text `localized` translates, once each, in the bundle's order."""
    found: dict[str, None] = {}
    for c in referential.competencies:
        for text in (c.category, c.label, c.description, *c.levels):
            found.setdefault(text)
    for r in referential.roles:
        for text in (r.family, r.title, r.description):
            found.setdefault(text)
    for t in referential.trainings:
        for text in (t.title, t.prerequisites):
            found.setdefault(text)
    for b in referential.blocs:
        found.setdefault(b.title)
    return [text for text in found if text]


def localized(referential: Referential, locale: Locale) -> Referential:
    """The referential with its texts in `locale` (itself in French), kept per version."""
    if locale == DEFAULT_LOCALE:
        return referential
    key = (referential.version, locale)
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached
    result = _translate(referential, locale)
    with _lock:
        _cache[key] = result
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def _translate(referential: Referential, locale: Locale) -> Referential:
    def own(text: str) -> str:
        return referential_text(text, locale)

    competencies = tuple(
        replace(
            c,
            label=own(c.label),
            category=own(c.category),
            description=own(c.description),
            levels=(own(c.levels[0]), own(c.levels[1]), own(c.levels[2]), own(c.levels[3])),
        )
        for c in referential.competencies
    )
    roles = tuple(
        replace(r, title=own(r.title), family=own(r.family), description=own(r.description))
        for r in referential.roles
    )
    trainings = tuple(
        replace(t, title=own(t.title), prerequisites=own(t.prerequisites))
        for t in referential.trainings
    )
    # Its `version` is its own content hash: caches keyed by version (the search index, the
    # first questions) keep the two languages apart; `context_of` pairs it with the
    # original's engine.
    blocs = tuple(replace(b, title=own(b.title)) for b in referential.blocs)
    return replace(
        referential, competencies=competencies, roles=roles, trainings=trainings, blocs=blocs
    )
