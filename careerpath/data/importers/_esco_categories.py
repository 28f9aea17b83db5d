"""Group ESCO skills into a few dozen categories: the top groups of the ESCO skills pillar.

Each skill climbs its `broaderRelationsSkillPillar` links until it reaches a first-level group
of `skillsHierarchy` (e.g. "management skills" under "skills", "business, administration and
law" under "knowledge"): 28 categories in v1.1.1, in the hierarchy's own order. Without those
two files, skills fall back to their skill type (knowledge / skill or competence).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from careerpath.data.importers._rome_esco_tables import Table

HIERARCHY_COLUMNS = (
    "Level 0 URI",
    "Level 0 preferred term",
    "Level 1 URI",
    "Level 1 preferred term",
)
BROADER_COLUMNS = ("conceptUri", "broaderUri")

_PILLAR_NAMES = {
    "skills": "Skills",
    "knowledge": "Knowledge",
    "transversal skills and competences": "Transversal",
    "language skills and knowledge": "Languages",
}
_BY_TYPE = {"knowledge": "Knowledge", "skill/competence": "Skills"}
_UNGROUPED = "Other skills"
_FALLBACKS = (*_BY_TYPE.values(), _UNGROUPED)


@dataclass
class SkillGroups:
    """Finds the category of a skill from the ESCO skills hierarchy."""

    top_groups: dict[str, tuple[int, str]] = field(default_factory=dict)
    pillars: dict[str, tuple[int, str]] = field(default_factory=dict)
    parents: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_tables(cls, hierarchy: Table | None, broader: Table | None) -> SkillGroups:
        groups = cls()
        if hierarchy is None or broader is None:
            return groups
        for pillar_uri, pillar_label, group_uri, group_label in hierarchy.rows:
            pillar = _PILLAR_NAMES.get(pillar_label.strip(), pillar_label.strip().capitalize())
            if pillar_uri and pillar_uri not in groups.pillars:
                groups.pillars[pillar_uri] = (len(groups.pillars), pillar)
            if group_uri and group_uri not in groups.top_groups:
                label = group_label.strip()
                name = pillar if label.casefold() == pillar.casefold() else f"{pillar}: {label}"
                groups.top_groups[group_uri] = (len(groups.top_groups), name)
        for concept, parent in broader.rows:
            groups.parents.setdefault(concept, []).append(parent)
        return groups

    def category(self, skill: str, skill_type: str) -> tuple[int, str]:
        """(rank, label): the nearest top group, ties going to the earlier one in the hierarchy."""
        frontier, seen = [skill], {skill}
        pillar: tuple[int, str] | None = None
        while frontier:
            hits = [self.top_groups[c] for c in frontier if c in self.top_groups]
            if hits:
                return min(hits)
            pillar_hits = [self.pillars[c] for c in frontier if c in self.pillars]
            if pillar_hits and pillar is None:
                pillar = min(pillar_hits)
            upper = []
            for concept in frontier:
                for parent in self.parents.get(concept, ()):
                    if parent not in seen:
                        seen.add(parent)
                        upper.append(parent)
            frontier = upper
        offset = len(self.top_groups)
        if pillar is not None:
            return offset + pillar[0], pillar[1]
        label = _BY_TYPE.get(skill_type.strip(), _UNGROUPED)
        return offset + len(self.pillars) + _FALLBACKS.index(label), label
