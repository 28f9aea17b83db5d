"""Import problems, reported with file, line, column and a reason in French or English.

An importer collects every `ImportIssue` it finds; errors make the whole import rejected
(`ImportRejected`), warnings are reported but do not stop it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Locale = Literal["fr", "en"]
Severity = Literal["error", "warning"]

# Every message exists in both languages; `{name}` fields are filled from `ImportIssue.params`.
MESSAGES: dict[str, dict[Locale, str]] = {
    "missing_file": {
        "fr": "fichier manquant",
        "en": "missing file",
    },
    "missing_column": {
        "fr": "colonne obligatoire « {column} » absente",
        "en": "required column '{column}' is missing",
    },
    "extra_column": {
        "fr": "colonne inconnue « {column} » ignorée",
        "en": "unknown column '{column}' ignored",
    },
    "empty_file": {
        "fr": "fichier vide (aucune ligne d'en-tête)",
        "en": "empty file (no header row)",
    },
    "wrong_delimiter": {
        "fr": "séparateur incorrect : « {found} » trouvé, la virgule est attendue",
        "en": "wrong delimiter: '{found}' found, a comma is expected",
    },
    "bad_encoding": {
        "fr": "encodage invalide : le fichier n'est pas en UTF-8 (octet {byte} ; enregistrez-le en UTF-8)",
        "en": "invalid encoding: the file is not UTF-8 (byte {byte}; save it as UTF-8)",
    },
    "wrong_field_count": {
        "fr": "{found} champs au lieu de {expected}",
        "en": "{found} fields instead of {expected}",
    },
    "required": {
        "fr": "valeur obligatoire manquante",
        "en": "required value is missing",
    },
    "duplicate_code": {
        "fr": "code « {value} » en double (déjà vu ligne {first_line})",
        "en": "duplicate code '{value}' (already seen on line {first_line})",
    },
    "unknown_reference": {
        "fr": "« {value} » ne correspond à aucun code de {target}",
        "en": "'{value}' matches no code in {target}",
    },
    "level_out_of_range": {
        "fr": "niveau « {value} » hors de l'intervalle 1 à 4",
        "en": "level '{value}' outside the range 1 to 4",
    },
    "not_integer": {
        "fr": "« {value} » n'est pas un nombre entier",
        "en": "'{value}' is not a whole number",
    },
    "not_number": {
        "fr": "« {value} » n'est pas un nombre",
        "en": "'{value}' is not a number",
    },
    "negative": {
        "fr": "« {value} » est négatif",
        "en": "'{value}' is negative",
    },
    "bad_choice": {
        "fr": "« {value} » n'est pas une valeur permise ({allowed})",
        "en": "'{value}' is not an allowed value ({allowed})",
    },
    "bad_boolean": {
        "fr": "« {value} » n'est pas une valeur oui/non (true, false, oui, non, 1, 0)",
        "en": "'{value}' is not a yes/no value (true, false, oui, non, 1, 0)",
    },
    "self_transition": {
        "fr": "une transition ne peut pas relier un métier à lui-même",
        "en": "a transition cannot link a role to itself",
    },
    "duplicate_row": {
        "fr": "ligne en double (déjà vue ligne {first_line})",
        "en": "duplicate row (already seen on line {first_line})",
    },
    "unreadable": {
        "fr": "fichier illisible : {detail}",
        "en": "unreadable file: {detail}",
    },
    # CSV bundle (careerpath/data/importers/bundle.py, csvread.py)
    "wrong_delimiter_tab": {
        "fr": "séparateur incorrect : tabulation trouvée, la virgule est attendue",
        "en": "wrong delimiter: tab found, a comma is expected",
    },
    "duplicate_column": {
        "fr": "colonne « {column} » présente deux fois dans l'en-tête",
        "en": "column '{column}' appears twice in the header",
    },
    "unnamed_column": {
        "fr": "colonne sans nom (position {position}) ignorée",
        "en": "unnamed column (position {position}) ignored",
    },
    "unclosed_quote": {
        "fr": "guillemet ouvert et jamais refermé",
        "en": "a quote is opened and never closed",
    },
    "bad_quote": {
        "fr": "texte après un guillemet fermant (un champ entre guillemets doit être suivi d'une virgule)",
        "en": "text after a closing quote (a quoted field must be followed by a comma)",
    },
    "out_of_range": {
        "fr": "« {value} » hors de l'intervalle {minimum} à {maximum}",
        "en": "'{value}' outside the range {minimum} to {maximum}",
    },
    "no_rows": {
        "fr": "aucune ligne de données après l'en-tête",
        "en": "no data row after the header",
    },
    "too_many_rows": {
        "fr": "{found} lignes de données au lieu d'une seule",
        "en": "{found} data rows instead of one",
    },
    "duplicate_requirement": {
        "fr": "le métier « {role} » a déjà une exigence sur la compétence « {competency} » (ligne {first_line})",
        "en": "role '{role}' already has a requirement on competency '{competency}' (line {first_line})",
    },
    "duplicate_transition": {
        "fr": "transition « {from_role} » → « {to_role} » en double (déjà vue ligne {first_line})",
        "en": "duplicate transition '{from_role}' → '{to_role}' (already seen on line {first_line})",
    },
    # Files an import refuses before reading them (careerpath/data/importers/limits.py)
    "not_regular_file": {
        "fr": "ce n'est pas un fichier ordinaire ({kind}) : indiquez un fichier CSV",
        "en": "not a regular file ({kind}): give a CSV file",
    },
    "permission_denied": {
        "fr": "lecture refusée par le système (droits insuffisants)",
        "en": "reading refused by the system (permission denied)",
    },
    "unreadable_link": {
        "fr": "lien symbolique en boucle",
        "en": "symbolic link loop",
    },
    "unreadable_os": {
        "fr": "fichier illisible (erreur système {errno})",
        "en": "unreadable file (system error {errno})",
    },
    "file_too_large": {
        "fr": "fichier trop gros ({size}, au plus {limit}) : ce n'est pas un fichier officiel",
        "en": "file too large ({size}, at most {limit}): this is not an official file",
    },
    "archive_too_large": {
        "fr": "l'archive se décompresse en plus de {limit} : refusée",
        "en": "the archive decompresses to more than {limit}: refused",
    },
    "zip_ratio": {
        "fr": "se décompresse en {size}, {ratio} fois sa taille compressée (au plus {limit}) : archive piégée refusée",
        "en": "decompresses to {size}, {ratio} times its compressed size (at most {limit}): booby-trapped archive refused",
    },
    "bad_zip": {
        "fr": "ce n'est pas une archive zip valide (fichier abîmé ou d'un autre format)",
        "en": "not a valid zip archive (damaged file or another format)",
    },
    "corrupt_member": {
        "fr": "contenu abîmé dans l'archive (données compressées invalides)",
        "en": "damaged content in the archive (invalid compressed data)",
    },
    "field_too_long": {
        "fr": "champ de {length} caractères (au plus {limit}) : guillemet jamais refermé ou valeur anormale",
        "en": "field of {length} characters (at most {limit}): a quote never closed or an abnormal value",
    },
    "field_over_limit": {
        "fr": "champ de plus de {limit} caractères : guillemet jamais refermé ou valeur anormale",
        "en": "field of more than {limit} characters: a quote never closed or an abnormal value",
    },
    "control_character": {
        "fr": "caractère de contrôle interdit ({char})",
        "en": "forbidden control character ({char})",
    },
    "value_too_long": {
        "fr": "« {value} » : {length} caractères, au plus {limit} pour {what}",
        "en": "'{value}': {length} characters, at most {limit} for {what}",
    },
    "more_errors": {
        "fr": "… et {count} autres erreurs dans ce fichier (seules les {shown} premières sont listées)",
        "en": "… and {count} more errors in this file (only the first {shown} are listed)",
    },
    # Structural invariants of the official files (ROME 4.0, ESCO)
    "roles_without_links": {
        "fr": "{count} fiches métier n'ont aucune ligne dans ce fichier (fichier tronqué ?), par exemple « {example} »",
        "en": "{count} occupations have no row in this file (truncated file?), for example '{example}'",
    },
    "not_a_directory": {
        "fr": "ce n'est pas un dossier : indiquez le dossier des fichiers unix_*.csv",
        "en": "not a directory: give the folder of the unix_*.csv files",
    },
    "dangling_links": {
        "fr": "{count} lignes nomment un code absent de {target}, par exemple « {example} » ligne {first_line}",
        "en": "{count} rows name a code missing from {target}, for example '{example}' on line {first_line}",
    },
    "dangling_links_ignored": {
        "fr": "{count} lignes nomment un code absent de {target} et sont ignorées, par exemple « {example} » ligne {first_line}",
        "en": "{count} rows name a code missing from {target} and are ignored, for example '{example}' on line {first_line}",
    },
    "count_mismatch": {
        "fr": "{found} fiches métier alors que la note de version (version.txt) en annonce {expected}",
        "en": "{found} occupation sheets while the release note (version.txt) announces {expected}",
    },
    "duplicate_outcome": {
        "fr": "la formation « {training} » a déjà un acquis sur la compétence « {competency} » (ligne {first_line})",
        "en": "training '{training}' already has an outcome on competency '{competency}' (line {first_line})",
    },
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
        if locale == "fr":
            where = [self.file]
            if self.line is not None:
                where.append(f"ligne {self.line}")
            if self.column:
                where.append(f"colonne « {self.column} »")
            label = "erreur" if self.severity == "error" else "avertissement"
        else:
            where = [self.file]
            if self.line is not None:
                where.append(f"line {self.line}")
            if self.column:
                where.append(f"column '{self.column}'")
            label = self.severity
        return (
            f"{', '.join(where)} : {label} : {self.reason(locale)}"
            if locale == "fr"
            else (f"{', '.join(where)}: {label}: {self.reason(locale)}")
        )


KIND_NAMES: dict[str, dict[Locale, str]] = {
    "directory": {"fr": "un dossier", "en": "a directory"},
    "fifo": {"fr": "un tube nommé", "en": "a named pipe"},
    "device": {"fr": "un périphérique", "en": "a device"},
    "socket": {"fr": "une socket", "en": "a socket"},
    "other": {"fr": "un fichier spécial", "en": "a special file"},
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
