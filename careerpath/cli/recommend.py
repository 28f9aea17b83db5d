"""`careerpath recommend FILE`: one JSON answer per assessment (JSON object or JSON Lines).

Valid assessments are answered on stdout in input order, each as soon as it is read (JSON
Lines are streamed: memory stays constant whatever the number of assessments); every
invalid one is reported on stderr with its line and field, and the exit status is then 2.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Iterable
from typing import Any, TextIO

from careerpath.i18n import as_locale, gettext
from careerpath.services.recommendation import (
    DEFAULT_TOP,
    AssessmentError,
    Locale,
    recommend_stream,
)

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
        help=(f"nombre de métiers dans « readiness » et « next_roles » (défaut {DEFAULT_TOP})"),
    )
    parser.add_argument(
        "--offset",
        type=int,
        default=0,
        metavar="M",
        help="« next_roles » à partir du M-ième métier (pages de --top métiers)",
    )
    parser.add_argument(
        "--all-roles",
        action="store_true",
        help="tous les métiers dans « next_roles » (ancien comportement, réponses lourdes)",
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
    locale: Locale = as_locale(getattr(args, "lang", "fr"))
    for name, value in (("--top", args.top), ("--offset", args.offset)):
        if value is not None and value < 0:
            print(gettext("{name} : un nombre positif est attendu", locale, name=name), file=stderr)
            return EXIT_INVALID
    try:
        handle = stdin if args.file == "-" else open(args.file, encoding="utf-8")  # noqa: SIM115
    except FileNotFoundError:
        message = gettext("fichier introuvable", locale)
        print(f"{args.file} : {message}", file=stderr)
        return EXIT_INVALID
    except OSError as problem:
        return _unreadable(args.file, problem, locale, stderr)
    try:
        return _answer(args, handle, locale, stdout, stderr)
    except (OSError, UnicodeDecodeError) as problem:
        return _unreadable(args.file, problem, locale, stderr)
    finally:
        if handle is not stdin:
            handle.close()


def _unreadable(name: str, problem: Exception, locale: Locale, stderr: TextIO) -> int:
    message = gettext("fichier illisible", locale)
    print(f"{name} : {message} ({problem})", file=stderr)
    return EXIT_INVALID


def _answer(
    args: argparse.Namespace, lines: Iterable[str], locale: Locale, stdout: TextIO, stderr: TextIO
) -> int:
    services = importlib.import_module("careerpath.services.referential")
    referential = services.load_referential(args.database_url)
    if args.target is not None and args.target not in referential.role_by_code:
        message = gettext("métier inconnu", locale)
        print(f"--target : {message} « {args.target} »", file=stderr)
        return EXIT_INVALID
    invalid = False
    for item in recommend_stream(
        lines,
        referential,
        target=args.target,
        top=args.top,
        all_scores=args.all_scores,
        locale=locale,
        offset=args.offset,
        all_roles=args.all_roles,
    ):
        if isinstance(item, AssessmentError):
            invalid = True
            print(item.describe(locale), file=stderr)
        else:
            stdout.write(json.dumps(item, ensure_ascii=False) + "\n")
    stdout.flush()
    return EXIT_INVALID if invalid else 0


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
