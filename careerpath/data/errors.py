"""Import problems, reported with file, line, column and a reason in French or English.

An importer collects every `ImportIssue` it finds; errors make the whole import rejected
(`ImportRejected`), warnings are reported but do not stop it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# `Locale` is defined once, in careerpath.i18n; re-exported here for older imports.
from careerpath.i18n import Locale as Locale
from careerpath.i18n import by_locale, gettext

Severity = Literal["error", "warning"]

# Every message exists in both languages; `{name}` fields are filled from `ImportIssue.params`.
MESSAGES: dict[str, dict[Locale, str]] = {
    "missing_file": by_locale("fichier manquant"),
    "missing_column": by_locale("colonne obligatoire « {column} » absente"),
    "extra_column": by_locale("colonne inconnue « {column} » ignorée"),
    "empty_file": by_locale("fichier vide (aucune ligne d'en-tête)"),
    "wrong_delimiter": by_locale(
        "séparateur incorrect : « {found} » trouvé, la virgule est attendue"
    ),
    "bad_encoding": by_locale(
        "encodage invalide : le fichier n'est pas en UTF-8 (octet {byte} ; enregistrez-le en UTF-8)"
    ),
    "wrong_field_count": by_locale("{found} champs au lieu de {expected}"),
    "required": by_locale("valeur obligatoire manquante"),
    "duplicate_code": by_locale("code « {value} » en double (déjà vu ligne {first_line})"),
    "unknown_reference": by_locale("« {value} » ne correspond à aucun code de {target}"),
    "level_out_of_range": by_locale("niveau « {value} » hors de l'intervalle 1 à 4"),
    "not_integer": by_locale("« {value} » n'est pas un nombre entier"),
    "not_number": by_locale("« {value} » n'est pas un nombre"),
    "negative": by_locale("« {value} » est négatif"),
    "bad_choice": by_locale("« {value} » n'est pas une valeur permise ({allowed})"),
    "bad_boolean": by_locale(
        "« {value} » n'est pas une valeur oui/non (true, false, oui, non, 1, 0)"
    ),
    "self_transition": by_locale("une transition ne peut pas relier un métier à lui-même"),
    "duplicate_row": by_locale("ligne en double (déjà vue ligne {first_line})"),
    "unreadable": by_locale("fichier illisible : {detail}"),
    # CSV bundle (careerpath/data/importers/bundle.py, csvread.py)
    "wrong_delimiter_tab": by_locale(
        "séparateur incorrect : tabulation trouvée, la virgule est attendue"
    ),
    "duplicate_column": by_locale("colonne « {column} » présente deux fois dans l'en-tête"),
    "unnamed_column": by_locale("colonne sans nom (position {position}) ignorée"),
    "unclosed_quote": by_locale("guillemet ouvert et jamais refermé"),
    "bad_quote": by_locale(
        "texte après un guillemet fermant (un champ entre guillemets doit être suivi d'une virgule)"
    ),
    "out_of_range": by_locale("« {value} » hors de l'intervalle {minimum} à {maximum}"),
    "no_rows": by_locale("aucune ligne de données après l'en-tête"),
    "too_many_rows": by_locale("{found} lignes de données au lieu d'une seule"),
    "duplicate_requirement": by_locale(
        "le métier « {role} » a déjà une exigence sur la compétence « {competency} » (ligne {first_line})"
    ),
    "duplicate_transition": by_locale(
        "transition « {from_role} » → « {to_role} » en double (déjà vue ligne {first_line})"
    ),
    # Files an import refuses before reading them (careerpath/data/importers/limits.py)
    "not_regular_file": by_locale(
        "ce n'est pas un fichier ordinaire ({kind}) : indiquez un fichier CSV"
    ),
    "permission_denied": by_locale("lecture refusée par le système (droits insuffisants)"),
    "unreadable_link": by_locale("lien symbolique en boucle"),
    "unreadable_os": by_locale("fichier illisible (erreur système {errno})"),
    "file_too_large": by_locale(
        "fichier trop gros ({size}, au plus {limit}) : ce n'est pas un fichier officiel"
    ),
    "archive_too_large": by_locale("l'archive se décompresse en plus de {limit} : refusée"),
    "zip_ratio": by_locale(
        "se décompresse en {size}, {ratio} fois sa taille compressée (au plus {limit}) : archive piégée refusée"
    ),
    "bad_zip": by_locale(
        "ce n'est pas une archive zip valide (fichier abîmé ou d'un autre format)"
    ),
    "unsafe_member": by_locale(
        "« {value} » : chemin refusé dans l'archive (absolu, ou qui sort du dossier)"
    ),
    "empty_archive": by_locale("l'archive ne contient aucun fichier"),
    "too_many_members": by_locale(
        "l'archive contient {found} éléments (au plus {limit}) : refusée"
    ),
    "corrupt_member": by_locale("contenu abîmé dans l'archive (données compressées invalides)"),
    "field_too_long": by_locale(
        "champ de {length} caractères (au plus {limit}) : guillemet jamais refermé ou valeur anormale"
    ),
    "field_over_limit": by_locale(
        "champ de plus de {limit} caractères : guillemet jamais refermé ou valeur anormale"
    ),
    "control_character": by_locale("caractère de contrôle interdit ({char})"),
    "value_too_long": by_locale("« {value} » : {length} caractères, au plus {limit} pour {what}"),
    "more_errors": by_locale(
        "… et {count} autres erreurs dans ce fichier (seules les {shown} premières sont listées)"
    ),
    # Structural invariants of the official files (ROME 4.0, ESCO)
    "roles_without_links": by_locale(
        "{count} fiches métier n'ont aucune ligne dans ce fichier (fichier tronqué ?), par exemple « {example} »"
    ),
    "not_a_directory": by_locale(
        "ce n'est pas un dossier : indiquez le dossier des fichiers unix_*.csv"
    ),
    "dangling_links": by_locale(
        "{count} lignes nomment un code absent de {target}, par exemple « {example} » ligne {first_line}"
    ),
    "dangling_links_ignored": by_locale(
        "{count} lignes nomment un code absent de {target} et sont ignorées, par exemple « {example} » ligne {first_line}"
    ),
    "count_mismatch": by_locale(
        "{found} fiches métier alors que la note de version (version.txt) en annonce {expected}"
    ),
    "duplicate_outcome": by_locale(
        "la formation « {training} » a déjà un acquis sur la compétence « {competency} » (ligne {first_line})"
    ),
    "bloc_of_a_vae": by_locale(
        "« {value} » est une VAE : les blocs se décrivent sur la certification elle-même"
    ),
    "bloc_not_a_certification": by_locale(
        "« {value} » n'est pas une certification (diplôme, titre professionnel, certification) : "
        "elle n'a pas de blocs"
    ),
    "bloc_title_differs": by_locale(
        "le bloc « {bloc} » a déjà un autre titre ligne {first_line} : un bloc, un titre"
    ),
    "bloc_competency_not_an_outcome": by_locale(
        "la compétence « {competency} » n'est pas un acquis de « {certification} » "
        "(training_outcomes.csv) : un bloc ne certifie que des acquis de sa certification"
    ),
    "bloc_competency_twice": by_locale(
        "la compétence « {competency} » est déjà dans le bloc « {bloc} » (ligne {first_line})"
    ),
}


@dataclass(frozen=True)
class ImportIssue:
    """One problem found in one place of one file."""

    file: str
    code: str
    line: int | None = None
    column: str | None = None
    severity: Severity = "error"
    params: dict[str, object] = field(default_factory=dict)

    def reason(self, locale: Locale = "fr") -> str:
        template = MESSAGES.get(self.code, {}).get(locale) or self.code
        params = dict(self.params)
        if self.code == "not_regular_file":
            kind = str(params.get("kind", "other"))
            params["kind"] = KIND_NAMES.get(kind, KIND_NAMES["other"])[locale]
        return template.format(**params)

    def describe(self, locale: Locale = "fr") -> str:
        """One line naming file, line, column and reason, e.g. for a terminal or a form."""
        where = [self.file]
        if self.line is not None:
            where.append(gettext("ligne {line}", locale, line=self.line))
        if self.column:
            where.append(gettext("colonne « {column} »", locale, column=self.column))
        label = (
            gettext("erreur", locale)
            if self.severity == "error"
            else gettext("avertissement", locale)
        )
        return gettext(
            "{where} : {label} : {reason}",
            locale,
            where=", ".join(where),
            label=label,
            reason=self.reason(locale),
        )


KIND_NAMES: dict[str, dict[Locale, str]] = {
    "directory": by_locale("un dossier"),
    "fifo": by_locale("un tube nommé"),
    "device": by_locale("un périphérique"),
    "socket": by_locale("une socket"),
    "other": by_locale("un fichier spécial"),
}


def capped(issues: list[ImportIssue], per_file: int) -> list[ImportIssue]:
    """The first `per_file` errors of each file, then one line counting that file's others."""
    shown: dict[str, int] = {}
    hidden: dict[str, int] = {}
    kept: list[ImportIssue] = []
    for issue in issues:
        if issue.severity == "error" and issue.code != "more_errors":
            count = shown.get(issue.file, 0)
            if count >= per_file:
                hidden[issue.file] = hidden.get(issue.file, 0) + 1
                continue
            shown[issue.file] = count + 1
        kept.append(issue)
    for file, count in hidden.items():
        kept.append(more_errors(file, count, per_file))
    return kept


def more_errors(file: str, count: int, shown: int) -> ImportIssue:
    return ImportIssue(file, "more_errors", params={"count": count, "shown": shown})


class ImportRejected(Exception):
    """Raised when a file set has errors: nothing has been or will be written.

    At most `MAX_LISTED` errors per file are kept (then one line counts the others), so a
    file of a million bad rows gives a readable report in bounded memory.
    """

    MAX_LISTED = 20

    def __init__(self, issues: list[ImportIssue]) -> None:
        self.issues = capped(issues, self.MAX_LISTED)
        super().__init__(f"{len(self.errors)} error(s) in import")

    @property
    def errors(self) -> list[ImportIssue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[ImportIssue]:
        return [i for i in self.issues if i.severity == "warning"]

    def report(self, locale: Locale = "fr") -> str:
        return "\n".join(i.describe(locale) for i in self.issues)


class StaleReferential(Exception):
    """The stored referential is no longer the one a change was computed against (another
    change was written meanwhile); nothing was written."""
