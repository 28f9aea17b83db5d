"""Compare and merge referentials: what an import adds, changes and removes.

Pure functions on domain objects, so that the report an administrator reads is computed
before anything is written, and can be tested without a database.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field, replace
from typing import TypeVar

from careerpath.domain.referential import Referential
from careerpath.i18n import N_, as_locale, gettext

T = TypeVar("T")

# How each collection of a referential is keyed: what makes two rows "the same thing".
_KEYS: dict[str, Callable[[object], Hashable]] = {
    "competencies": lambda c: c.code,  # type: ignore[attr-defined]
    "roles": lambda r: r.code,  # type: ignore[attr-defined]
    "requirements": lambda q: (q.role, q.competency),  # type: ignore[attr-defined]
    "transitions": lambda t: (t.from_role, t.to_role),  # type: ignore[attr-defined]
    "trainings": lambda t: t.code,  # type: ignore[attr-defined]
    "outcomes": lambda o: (o.training, o.competency),  # type: ignore[attr-defined]
    "blocs": lambda b: (b.certification, b.code),  # type: ignore[attr-defined]
}

COLLECTIONS: tuple[str, ...] = tuple(_KEYS)


@dataclass(frozen=True)
class CollectionChange:
    """Counts and keys of what changed in one collection (roles, trainings…)."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


@dataclass(frozen=True)
class ChangeReport:
    """What an import does to the stored referential, collection by collection."""

    collections: dict[str, CollectionChange] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return all(c.is_empty for c in self.collections.values())

    def summary(self, locale: str = "fr") -> list[str]:
        """One line per collection, e.g. « métiers : 3 ajoutés, 1 modifié, 0 supprimé »."""
        names = {
            "competencies": N_("compétences"),
            "roles": N_("métiers"),
            "requirements": N_("exigences"),
            "transitions": N_("passerelles"),
            "trainings": N_("formations"),
            "outcomes": N_("acquis de formation"),
            "blocs": N_("blocs de compétences"),
        }
        lines = []
        for name, change in self.collections.items():
            lines.append(
                gettext(
                    "{name} : {added} ajout(s), {changed} modification(s), {removed} "
                    "suppression(s)",
                    as_locale(locale),
                    name=gettext(names[name], as_locale(locale)) if name in names else name,
                    added=len(change.added),
                    changed=len(change.changed),
                    removed=len(change.removed),
                )
            )
        return lines


def _key_text(key: Hashable) -> str:
    return " → ".join(key) if isinstance(key, tuple) else str(key)


def _diff(
    old: Iterable[T], new: Iterable[T], key: Callable[[object], Hashable]
) -> CollectionChange:
    before = {key(item): item for item in old}
    after = {key(item): item for item in new}
    return CollectionChange(
        added=tuple(sorted(_key_text(k) for k in after.keys() - before.keys())),
        changed=tuple(
            sorted(_key_text(k) for k in after.keys() & before.keys() if after[k] != before[k])
        ),
        removed=tuple(sorted(_key_text(k) for k in before.keys() - after.keys())),
    )


def compare(old: Referential, new: Referential) -> ChangeReport:
    """Describe what replacing `old` by `new` adds, changes and removes."""
    return ChangeReport(
        {name: _diff(getattr(old, name), getattr(new, name), _KEYS[name]) for name in COLLECTIONS}
    )


def _merge_items(
    base: Iterable[T], update: Iterable[T], key: Callable[[object], Hashable]
) -> tuple[T, ...]:
    incoming = {key(item): item for item in update}
    merged = [incoming.pop(key(item), item) for item in base]
    merged.extend(incoming.values())
    return tuple(merged)


def merge(base: Referential, update: Referential) -> Referential:
    """Overlay `update` on `base`: rows with the same key are replaced, new rows appended,
    nothing removed. Provenance becomes the update's."""
    return replace(
        base,
        **{
            name: _merge_items(getattr(base, name), getattr(update, name), _KEYS[name])
            for name in COLLECTIONS
        },
        provenance=update.provenance,
    )
