"""Import the ROME 4.0 open data (France Travail) as a referential.

Fiches métier become roles (their appellations are the alternative titles people search for),
the savoir-faire, savoir-être and savoirs linked to fiches become competencies, each link a
requirement (essential when France Travail marks the item "Principale" for the fiche, useful
otherwise), and the official mobilités become curated transitions. ROME has no proficiency
levels: the levels below are the project's convention, documented in docs/importers.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from careerpath.data.errors import ImportIssue
from careerpath.data.importers._rome_esco_tables import (
    IssueLog,
    Progress,
    StepCounter,
    Table,
    read_table,
)
from careerpath.data.importers._rome_files import (
    RomeFiles,
    announced_fiche_count,
    find_rome_files,
    publication_date,
)
from careerpath.domain.referential import (
    Competency,
    Provenance,
    Referential,
    Requirement,
    Role,
    Transition,
    TransitionKind,
    Weight,
)

SOURCE = "ROME 4.0 (France Travail)"
LICENCE = "Licence Ouverte / Open Licence 2.0"

COMPETENCY_BLOCK = "5"
SAVOIR_FAIRE, SAVOIR_ETRE, SAVOIRS = "1", "2", "3"
CORE_ITEM = "Principale"

ESSENTIAL_LEVEL = 3
USEFUL_LEVEL = 2
SAVOIR_ETRE_LEVEL = 2

# table -> (columns read, columns that must not be blank)
_TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "referentiel_code_rome": (("code_rome", "libelle_rome"), ("code_rome", "libelle_rome")),
    "referentiel_appellation": (
        ("code_rome", "libelle_appellation_long"),
        ("code_rome", "libelle_appellation_long"),
    ),
    "domaine_professionnel": (
        ("code_domaine_professionnel", "libelle_domaine_professionnel"),
        ("code_domaine_professionnel",),
    ),
    "grand_domaine": (("code_grand_domaine", "libelle_grand_domaine"), ("code_grand_domaine",)),
    "texte": (
        ("code_rome", "libelle_type_texte", "position_phrase", "libelle_texte"),
        ("code_rome",),
    ),
    "referentiel_competence": (
        (
            "code_ogr",
            "libelle_competence",
            "definition",
            "code_ogr_macro_comp",
            "cat_comp",
            "sous_cat_comp",
        ),
        ("code_ogr", "libelle_competence"),
    ),
    "referentiel_savoir": (
        ("code_ogr_savoir", "libelle_savoir", "categorie_savoir"),
        ("code_ogr_savoir", "libelle_savoir"),
    ),
    "liens_rome_referentiels": (
        ("code_rome", "code_compo_bloc", "code_rubrique", "code_ogr"),
        ("code_rome", "code_compo_bloc", "code_ogr"),
    ),
    "coherence_item": (("code_rome", "code_ogr", "coeur_metier"), ("code_rome", "code_ogr")),
    "rubrique_mobilite": (
        ("code_rome", "code_rome_cible", "numero_ordre"),
        ("code_rome", "code_rome_cible"),
    ),
}
_MOBILITY_TABLE = "rubrique_mobilite"

_ACTION_LEVELS = (
    "Notions : connaît le principe de « {x} » et le met en œuvre avec de l'aide.",
    "Application : met en œuvre « {x} » en autonomie dans les situations courantes.",
    "Maîtrise : met en œuvre « {x} » dans des situations variées ou inhabituelles "
    "et sait s'adapter.",
    "Expertise : fait référence pour « {x} », conseille et forme les autres, "
    "fait évoluer les pratiques.",
)
_KNOWLEDGE_LEVELS = (
    "Notions : connaît les bases de « {x} ».",
    "Application : mobilise ses connaissances en « {x} » dans les situations courantes.",
    "Maîtrise : possède une connaissance approfondie de « {x} » et l'applique à des cas "
    "variés ou complexes.",
    "Expertise : fait référence sur « {x} » et transmet ces connaissances.",
)


@dataclass(frozen=True)
class _Item:
    """A savoir-faire, savoir-être or savoir as the referential files describe it."""

    code: str
    label: str
    category: str
    rank: int
    description: str
    knowledge: bool


def read_rome(
    directory: Path,
    *,
    include_mobility: bool = True,
    progress: Progress | None = None,
    warnings: list[ImportIssue] | None = None,
) -> Referential:
    """Read a ROME 4.0 open-data folder into a referential, or raise `ImportRejected`.

    `include_mobility=False` leaves out the official mobilités (to measure how well the engine
    rediscovers them). `progress(label, done, total)` is called before each file is read.
    """
    directory = Path(directory)
    log = IssueLog()
    if not directory.is_dir():
        code = "not_a_directory" if directory.exists() else "missing_file"
        log.add(ImportIssue(file=str(directory), code=code))
        log.raise_if_errors()
    files = find_rome_files(directory)
    wanted = [t for t in _TABLES if include_mobility or t != _MOBILITY_TABLE]
    steps = StepCounter(progress, len(wanted) + 1)
    tables: dict[str, Table] = {}
    for name in wanted:
        steps.step(files.expected_name(name))
        table = _read(files, name, log)
        if table is not None:
            tables[name] = table
    log.raise_if_errors()
    _check_structure(tables, files, announced_fiche_count(directory), log)
    log.raise_if_errors()

    steps.step("assemblage du référentiel")
    referential = _assemble(tables, files.release, publication_date(directory))
    if warnings is not None:
        warnings.extend(log.warnings)
    steps.finish("terminé")
    return referential


def _check_structure(
    tables: dict[str, Table], files: RomeFiles, announced: int | None, log: IssueLog
) -> None:
    """The invariants of the official files: unique codes, known references, complete links.

    A truncated links file leaves fiches without competencies; a fiches file cut short leaves
    links to unknown fiches, and fewer fiches than the release note announces.
    """
    fiches = tables["referentiel_code_rome"]
    fiche_codes = _unique_codes(fiches, 0, "code_rome", log)
    item_codes = _unique_codes(tables["referentiel_competence"], 0, "code_ogr", log)
    savoirs = _unique_codes(tables["referentiel_savoir"], 0, "code_ogr_savoir", log)
    for code, line in savoirs.items():
        first = item_codes.setdefault(code, line)
        if first != line:
            _error(log, tables["referentiel_savoir"], line, "code_ogr_savoir", code, first)
    if announced is not None and len(fiche_codes) != announced:
        log.add(
            ImportIssue(
                fiches.name,
                "count_mismatch",
                params={"found": len(fiche_codes), "expected": announced},
            )
        )
    fiches_file = files.expected_name("referentiel_code_rome")
    for name in ("referentiel_appellation", "texte", "coherence_item"):
        _known(tables[name], 0, "code_rome", fiche_codes, fiches_file, log)
    if _MOBILITY_TABLE in tables:
        mobility = tables[_MOBILITY_TABLE]
        _known(mobility, 0, "code_rome", fiche_codes, fiches_file, log)
        _known(mobility, 1, "code_rome_cible", fiche_codes, fiches_file, log)

    links = tables["liens_rome_referentiels"]
    items_file = (
        f"{files.expected_name('referentiel_competence')} / "
        f"{files.expected_name('referentiel_savoir')}"
    )
    linked: set[str] = set()
    for (role, block, _section, item), line in zip(links.rows, links.lines, strict=True):
        role, item = role.strip(), item.strip()
        if role not in fiche_codes:
            _unknown(log, links.name, line, "code_rome", role, fiches_file)
        elif block.strip() == COMPETENCY_BLOCK:
            if item not in item_codes:
                _unknown(log, links.name, line, "code_ogr", item, items_file)
            else:
                linked.add(role)
    appellations = tables["referentiel_appellation"]
    named = {row[0].strip() for row in appellations.rows}
    for file, covered in ((links.name, linked), (appellations.name, named)):
        orphans = sorted(set(fiche_codes) - covered)
        if orphans:
            log.add(
                ImportIssue(
                    file,
                    "roles_without_links",
                    params={"count": len(orphans), "example": orphans[0]},
                )
            )


def _unique_codes(table: Table, index: int, column: str, log: IssueLog) -> dict[str, int]:
    """code -> first line; a code seen twice is an error on its second line."""
    seen: dict[str, int] = {}
    for row, line in zip(table.rows, table.lines, strict=True):
        code = row[index].strip()
        first = seen.setdefault(code, line)
        if first != line:
            _error(log, table, line, column, code, first)
    return seen


def _error(log: IssueLog, table: Table, line: int, column: str, code: str, first: int) -> None:
    log.add(
        ImportIssue(
            table.name,
            "duplicate_code",
            line=line,
            column=column,
            params={"value": code, "first_line": first},
        )
    )


def _known(
    table: Table, index: int, column: str, codes: dict[str, int], target: str, log: IssueLog
) -> None:
    for row, line in zip(table.rows, table.lines, strict=True):
        value = row[index].strip()
        if value not in codes:
            _unknown(log, table.name, line, column, value, target)


def _unknown(log: IssueLog, file: str, line: int, column: str, value: str, target: str) -> None:
    log.add(
        ImportIssue(
            file,
            "unknown_reference",
            line=line,
            column=column,
            params={"value": value, "target": target},
        )
    )


def _read(files: RomeFiles, name: str, log: IssueLog) -> Table | None:
    columns, required = _TABLES[name]
    return read_table(
        files.source(name), files.expected_name(name), columns, log, required=required
    )


def _assemble(tables: dict[str, Table], release: str, date: str) -> Referential:
    roles = _roles(tables)
    role_codes = {r.code for r in roles}
    items = _items(tables)
    requirements = _requirements(tables, role_codes, items)
    used = {q.competency for q in requirements}
    competencies = [_competency(item) for item in items.values() if item.code in used]
    competencies.sort(key=lambda c: (items[c.code].rank, c.category, c.label.casefold(), c.code))
    transitions = (
        _transitions(tables[_MOBILITY_TABLE], role_codes) if _MOBILITY_TABLE in tables else ()
    )
    return Referential(
        competencies=tuple(competencies),
        roles=tuple(roles),
        requirements=tuple(requirements),
        transitions=tuple(transitions),
        provenance=Provenance(
            source=SOURCE, version=f"v{release}" if release else "", date=date, licence=LICENCE
        ),
    )


def _roles(tables: dict[str, Table]) -> list[Role]:
    domains = {code.strip(): label.strip() for code, label in tables["domaine_professionnel"].rows}
    great_domains = {code.strip(): label.strip() for code, label in tables["grand_domaine"].rows}
    definitions = _definitions(tables["texte"])
    titles: dict[str, str] = {}
    for code, title in tables["referentiel_code_rome"].rows:
        titles.setdefault(code.strip(), title.strip())
    appellations: dict[str, set[str]] = {}
    for code, label in tables["referentiel_appellation"].rows:
        appellations.setdefault(code.strip(), set()).add(label.strip())

    roles = []
    for code in sorted(titles):
        title = titles[code]
        alt_titles = sorted(
            appellations.get(code, set()) - {title}, key=lambda t: (t.casefold(), t)
        )
        roles.append(
            Role(
                code=code,
                title=title,
                family=domains.get(code[:3]) or great_domains.get(code[:1], ""),
                rome_code=code,
                description=definitions.get(code, ""),
                alt_titles=tuple(alt_titles),
            )
        )
    return roles


def _definitions(texts: Table) -> dict[str, str]:
    """Each fiche's definition, its sentences in publication order, one per line."""
    sentences: dict[str, list[tuple[int, int, str]]] = {}
    for order, (code, kind, position, text) in enumerate(texts.rows):
        if kind.strip() != "definition" or not text.strip():
            continue
        rank = int(position) if position.strip().isdigit() else 0
        # The publisher's export doubles apostrophes (SQL escaping): d''optimiser.
        sentence = text.strip().replace("''", "'")
        sentences.setdefault(code.strip(), []).append((rank, order, sentence))
    return {code: "\n".join(s for _, _, s in sorted(parts)) for code, parts in sentences.items()}


def _items(tables: dict[str, Table]) -> dict[str, _Item]:
    items: dict[str, _Item] = {}
    competences = tables["referentiel_competence"].rows
    macro_labels = {code.strip(): label.strip() for code, label, *_ in competences}
    for code, label, definition, macro, kind, subkind in competences:
        code, kind = code.strip(), kind.strip()
        is_savoir_etre = kind.casefold().startswith("savoir-être")
        if is_savoir_etre or not subkind.strip():
            category = kind or "Savoir-faire"
        else:
            category = f"{kind} : {subkind.strip().lower()}"
        description = definition.strip()
        macro_label = macro_labels.get(macro.strip(), "")
        if not description and macro_label and macro_label != label.strip():
            description = f"Relève de la macro-compétence « {macro_label} »."
        items.setdefault(
            code,
            _Item(code, label.strip(), category, 1 if is_savoir_etre else 0, description, False),
        )
    for code, label, kind in tables["referentiel_savoir"].rows:
        kind = kind.strip()
        category = f"Savoirs : {kind[:1].lower()}{kind[1:]}" if kind else "Savoirs"
        items.setdefault(code.strip(), _Item(code.strip(), label.strip(), category, 2, "", True))
    return items


def _competency(item: _Item) -> Competency:
    templates = _KNOWLEDGE_LEVELS if item.knowledge else _ACTION_LEVELS
    one, two, three, four = (t.format(x=item.label) for t in templates)
    return Competency(
        code=item.code,
        label=item.label,
        category=item.category,
        description=item.description,
        levels=(one, two, three, four),
    )


def _requirements(
    tables: dict[str, Table], role_codes: set[str], items: dict[str, _Item]
) -> list[Requirement]:
    core = {
        (role.strip(), item.strip())
        for role, item, flag in tables["coherence_item"].rows
        if flag.strip() == CORE_ITEM
    }
    best: dict[tuple[str, str], Requirement] = {}
    for role, block, section, item in tables["liens_rome_referentiels"].rows:
        if block.strip() != COMPETENCY_BLOCK:
            continue
        key = (role.strip(), item.strip())
        if key[0] not in role_codes or key[1] not in items:
            continue
        candidate = _requirement(key, section.strip(), key in core)
        best[key] = _stronger(best.get(key), candidate)
    return [best[key] for key in sorted(best)]


def _requirement(key: tuple[str, str], section: str, is_core: bool) -> Requirement:
    weight = Weight.ESSENTIAL if is_core else Weight.USEFUL
    level = ESSENTIAL_LEVEL if is_core else USEFUL_LEVEL
    if section == SAVOIR_ETRE:
        level = min(level, SAVOIR_ETRE_LEVEL)
    return Requirement(role=key[0], competency=key[1], level=level, weight=weight)


def _stronger(current: Requirement | None, candidate: Requirement) -> Requirement:
    if current is None:
        return candidate
    strength = {Weight.ESSENTIAL: 1, Weight.USEFUL: 0}
    if (strength[candidate.weight], candidate.level) > (strength[current.weight], current.level):
        return candidate
    return current


def _transitions(mobility: Table, role_codes: set[str]) -> Iterable[Transition]:
    ranked: dict[tuple[str, str], int] = {}
    for source, target, order in mobility.rows:
        key = (source.strip(), target.strip())
        if key[0] == key[1] or key[0] not in role_codes or key[1] not in role_codes:
            continue
        rank = int(order) if order.strip().isdigit() else 10**6
        ranked[key] = min(rank, ranked.get(key, rank))
    ordered = sorted(ranked, key=lambda k: (k[0], ranked[k], k[1]))
    return [Transition(from_role=a, to_role=b, kind=TransitionKind.CURATED) for a, b in ordered]
