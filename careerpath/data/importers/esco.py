"""Import ESCO (European Commission) occupations, skills and their links as a referential.

Occupations become roles (family: their ISCO unit group), skills and knowledge become
competencies grouped by the top of the ESCO skills hierarchy, and each occupation–skill
relation a requirement: essential at level 3, optional as useful at level 2 (ESCO has no
proficiency levels; see docs/importers.md). ESCO has no curated mobility: the engine derives
transitions itself. Reading the whole classification takes a couple of seconds.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from careerpath.data.errors import ImportIssue
from careerpath.data.importers._esco_categories import (
    BROADER_COLUMNS,
    HIERARCHY_COLUMNS,
    SkillGroups,
)
from careerpath.data.importers._esco_files import EscoFiles, find_esco_files
from careerpath.data.importers._rome_esco_tables import (
    IssueLog,
    Progress,
    StepCounter,
    Table,
    read_table,
)
from careerpath.domain.referential import (
    Competency,
    Provenance,
    Referential,
    Requirement,
    Role,
    Weight,
)

LICENCE = "Commission Decision 2011/833/EU"
ACKNOWLEDGEMENT = "This service uses the ESCO classification of the European Commission."

ESSENTIAL_LEVEL = 3
USEFUL_LEVEL = 2
_RELATION_WEIGHTS = {"essential": Weight.ESSENTIAL, "optional": Weight.USEFUL}

# key -> (file stem, columns read, columns that must not be blank, required file)
_TABLES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], bool]] = {
    "occupations": (
        "occupations",
        ("conceptUri", "preferredLabel", "altLabels", "description", "iscoGroup"),
        ("conceptUri", "preferredLabel"),
        True,
    ),
    "isco": ("ISCOGroups", ("code", "preferredLabel"), ("code",), True),
    "skills": (
        "skills",
        ("conceptUri", "preferredLabel", "skillType", "description"),
        ("conceptUri", "preferredLabel"),
        True,
    ),
    "relations": (
        "occupationSkillRelations",
        ("occupationUri", "relationType", "skillUri"),
        ("occupationUri", "relationType", "skillUri"),
        True,
    ),
    "hierarchy": ("skillsHierarchy", HIERARCHY_COLUMNS, (), False),
    "broader": (
        "broaderRelationsSkillPillar",
        BROADER_COLUMNS,
        ("conceptUri", "broaderUri"),
        False,
    ),
}

_SKILL_LEVELS = (
    "Basic: understands what “{x}” involves and does it with guidance.",
    "Applied: does “{x}” independently in routine situations.",
    "Proficient: does “{x}” in varied or unusual situations and adapts as needed.",
    "Expert: is a reference for “{x}”, coaches others and improves how it is done.",
)
_KNOWLEDGE_LEVELS = (
    "Basic: has a general awareness of “{x}”.",
    "Applied: uses knowledge of “{x}” in routine situations.",
    "Proficient: has in-depth knowledge of “{x}” and applies it to varied or complex cases.",
    "Expert: is a reference on “{x}” and passes this knowledge on.",
)


def read_esco(
    path: Path,
    *,
    progress: Progress | None = None,
    warnings: list[ImportIssue] | None = None,
) -> Referential:
    """Read ESCO from the folder of its two zips, one zip, or a folder of extracted CSVs.

    Raises `ImportRejected` naming every missing file or column, unreadable archive or bad
    value; nothing is returned partially. `progress(label, done, total)` reports each file.
    """
    log = IssueLog()
    steps = StepCounter(progress, len(_TABLES) + 1)
    with ExitStack() as stack:
        files = find_esco_files(Path(path), log, stack)
        log.raise_if_errors()
        tables: dict[str, Table] = {}
        for key in _TABLES:
            steps.step(_TABLES[key][0])
            table = _read(files, key, log)
            if table is not None:
                tables[key] = table
    log.raise_if_errors()

    _check_structure(tables, log)
    log.raise_if_errors()

    steps.step("assembling the referential")
    roles = _roles(tables["occupations"], tables["isco"])
    competencies = _competencies(
        tables["skills"], SkillGroups.from_tables(tables.get("hierarchy"), tables.get("broader"))
    )
    requirements = _requirements(
        tables["relations"], {r.code for r in roles}, {c.code for c in competencies}, log
    )
    log.raise_if_errors()
    if warnings is not None:
        warnings.extend(log.warnings)
    steps.finish("done")
    source = (
        f"ESCO {files.version} (European Commission)"
        if files.version
        else "ESCO (European Commission)"
    )
    return Referential(
        competencies=tuple(competencies),
        roles=tuple(roles),
        requirements=tuple(requirements),
        provenance=Provenance(source=source, version=files.version, licence=LICENCE),
    )


DANGLING_TOLERANCE = 0.001
"""Share of relations that may name an unknown occupation or skill and be ignored with a
warning (v1.1.1 links 67 of its 123,855 relations to one occupation it does not list); more
means the files do not belong together, or one is cut short, and the import is refused."""


def _check_structure(tables: dict[str, Table], log: IssueLog) -> None:
    """Unique URIs, relations between known concepts, no occupation without a skill."""
    occupations = _unique(tables["occupations"], "conceptUri", log)
    skills = _unique(tables["skills"], "conceptUri", log)
    table = tables["occupations"]
    relations = tables["relations"]
    dangling: list[ImportIssue] = []
    linked: set[str] = set()
    for (occupation, _kind, skill), line in zip(relations.rows, relations.lines, strict=True):
        occupation, skill = occupation.strip(), skill.strip()
        for value, column, known, target in (
            (occupation, "occupationUri", occupations, table.name),
            (skill, "skillUri", skills, tables["skills"].name),
        ):
            if value not in known:
                dangling.append(
                    ImportIssue(
                        relations.name,
                        "unknown_reference",
                        line=line,
                        column=column,
                        params={"value": value, "target": target},
                    )
                )
                break
        else:
            linked.add(occupation)
    if dangling and len(dangling) <= DANGLING_TOLERANCE * len(relations.rows):
        first = dangling[0]
        log.add(
            ImportIssue(
                relations.name,
                "dangling_links_ignored",
                line=first.line,
                column=first.column,
                severity="warning",
                params={
                    "count": len(dangling),
                    "target": first.params["target"],
                    "example": first.params["value"],
                    "first_line": first.line,
                },
            )
        )
    else:
        for issue in dangling:
            log.add(issue)
    orphans = sorted(set(occupations) - linked)
    if orphans:
        log.add(
            ImportIssue(
                relations.name,
                "roles_without_links",
                params={"count": len(orphans), "example": orphans[0]},
            )
        )


def _unique(table: Table, column: str, log: IssueLog) -> dict[str, int]:
    seen: dict[str, int] = {}
    for row, line in zip(table.rows, table.lines, strict=True):
        code = row[0].strip()
        first = seen.setdefault(code, line)
        if first != line:
            log.add(
                ImportIssue(
                    table.name,
                    "duplicate_code",
                    line=line,
                    column=column,
                    params={"value": code, "first_line": first},
                )
            )
    return seen


def _read(files: EscoFiles, key: str, log: IssueLog) -> Table | None:
    stem, columns, required, mandatory = _TABLES[key]
    source = files.find(stem)
    if source is None and not mandatory:
        return None
    expected = f"{stem}.csv" if key == "relations" else f"{stem}_en.csv"
    return read_table(source, expected, columns, log, required=required)


def _roles(occupations: Table, isco: Table) -> list[Role]:
    families = {code.strip(): label.strip() for code, label in isco.rows}
    roles: dict[str, Role] = {}
    for uri, title, alt_labels, description, group in occupations.rows:
        uri, title = uri.strip(), title.strip()
        if uri in roles:
            continue
        alternatives = dict.fromkeys(a.strip() for a in alt_labels.splitlines())
        alternatives.pop("", None)
        alternatives.pop(title, None)
        roles[uri] = Role(
            code=uri,
            title=title,
            family=families.get(group.strip(), ""),
            description=description.strip(),
            alt_titles=tuple(alternatives),
        )
    return sorted(roles.values(), key=lambda r: (r.title.casefold(), r.code))


def _competencies(skills: Table, groups: SkillGroups) -> list[Competency]:
    ranked: dict[str, tuple[int, Competency]] = {}
    for uri, label, skill_type, description in skills.rows:
        uri, label = uri.strip(), label.strip()
        if uri in ranked:
            continue
        rank, category = groups.category(uri, skill_type)
        templates = _KNOWLEDGE_LEVELS if skill_type.strip() == "knowledge" else _SKILL_LEVELS
        one, two, three, four = (t.format(x=label) for t in templates)
        competency = Competency(
            code=uri,
            label=label,
            category=category,
            description=description.strip(),
            levels=(one, two, three, four),
        )
        ranked[uri] = (rank, competency)
    ordered = sorted(ranked.values(), key=lambda rc: (rc[0], rc[1].label.casefold(), rc[1].code))
    return [c for _, c in ordered]


def _requirements(
    relations: Table, roles: set[str], competencies: set[str], log: IssueLog
) -> list[Requirement]:
    """One requirement per occupation and skill, the essential one winning over a duplicate.

    Relations naming an occupation or a skill the classification does not list (v1.1.1 links
    67 skills to one such occupation) are left out rather than left dangling.
    """
    weights: dict[tuple[str, str], Weight] = {}
    for (occupation, relation, skill), line in zip(relations.rows, relations.lines, strict=True):
        weight = _RELATION_WEIGHTS.get(relation.strip().casefold())
        if weight is None:
            log.add(_bad_relation(relations.name, line, relation))
            continue
        key = (occupation.strip(), skill.strip())
        if key[0] not in roles or key[1] not in competencies:
            continue
        if weights.get(key) is not Weight.ESSENTIAL:
            weights[key] = weight
    return [
        Requirement(
            role=role,
            competency=skill,
            level=ESSENTIAL_LEVEL if weight is Weight.ESSENTIAL else USEFUL_LEVEL,
            weight=weight,
        )
        for (role, skill), weight in weights.items()
    ]


def _bad_relation(file: str, line: int, value: str) -> ImportIssue:
    return ImportIssue(
        file=file,
        code="bad_choice",
        line=line,
        column="relationType",
        params={"value": value, "allowed": ", ".join(_RELATION_WEIGHTS)},
    )
