"""`careerpath recommend FILE`: one JSON answer per assessment (JSON object or JSON Lines).

Valid assessments are answered on stdout in input order; every invalid one is reported on
stderr with its line and field, and the exit status is then 2.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from careerpath.i18n import as_locale, gettext
from careerpath.services.recommendation import DEFAULT_TOP, recommend_text

EXIT_INVALID = 2


def register(subparsers: Any) -> None:
    """Add the `recommend` sub-command to the `careerpath` parser."""
    parser = subparsers.add_parser(
        "recommend",
        help="recommandations pour une ou plusieurs évaluations (JSON / JSON Lines)",
        description=(
            "Lit une évaluation (objet JSON) ou plusieurs (JSON Lines, une par ligne ; "
            "FILE peut être « - » pour l'entrée standard) et écrit un objet JSON par "
            "évaluation valide, dans l'ordre."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="fichier JSON / JSON Lines, ou - (stdin)")
    parser.add_argument("--target", metavar="CODE", help="métier visé (remplace celui du fichier)")
    parser.add_argument(
        "--top",
        type=int,
        default=DEFAULT_TOP,
        metavar="N",
        help=f"nombre de métiers dans « readiness » (défaut {DEFAULT_TOP})",
    )
    parser.add_argument(
        "--all-scores", action="store_true", help="ajouter le score de tous les métiers"
    )
    parser.add_argument("--database-url", metavar="URL", help="base de données du référentiel")
    parser.set_defaults(func=run)


def run(
    args: argparse.Namespace,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Answer the assessments of `args.file`; 0 when all were valid, 2 otherwise."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    locale = as_locale(getattr(args, "lang", "fr"))
    try:
        text = stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    except FileNotFoundError:
        message = gettext("fichier introuvable", locale)
        print(f"{args.file} : {message}", file=stderr)
        return EXIT_INVALID
    except (OSError, UnicodeDecodeError) as problem:
        message = gettext("fichier illisible", locale)
        print(f"{args.file} : {message} ({problem})", file=stderr)
        return EXIT_INVALID
    if args.top is not None and args.top < 0:
        print(
            gettext("--top : un nombre positif est attendu", locale),
            file=stderr,
        )
        return EXIT_INVALID

    services = importlib.import_module("careerpath.services.referential")
    referential = services.load_referential(args.database_url)
    if args.target is not None and args.target not in referential.role_by_code:
        message = gettext("métier inconnu", locale)
        print(f"--target : {message} « {args.target} »", file=stderr)
        return EXIT_INVALID

    result = recommend_text(
        text,
        referential,
        target=args.target,
        top=args.top,
        all_scores=args.all_scores,
        locale=locale,
    )
    for answer in result.answers:
        stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
    for error in result.errors:
        print(error.describe(locale), file=stderr)
    stdout.flush()
    return EXIT_INVALID if result.errors else 0


def main(
    argv: list[str] | None = None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run `recommend` alone (as `careerpath recommend …` would), for tests and scripts."""
    parser = argparse.ArgumentParser(prog="careerpath")
    parser.add_argument("--lang", choices=["fr", "en"], default="fr")
    subparsers = parser.add_subparsers(dest="command", required=True)
    register(subparsers)
    args = parser.parse_args(["recommend", *(argv or [])])
    return run(args, stdin=stdin, stdout=stdout, stderr=stderr)
