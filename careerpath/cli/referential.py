"""`careerpath db …`, `careerpath import …` and `careerpath export …`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from careerpath.cli.progress import ProgressBar
from careerpath.data.errors import ImportRejected, Locale
from careerpath.services import referential as service


def _locale(args: argparse.Namespace) -> Locale:
    return "en" if getattr(args, "lang", "fr") == "en" else "fr"


def cmd_db_init(args: argparse.Namespace) -> int:
    loaded = service.initialise_database(args.database_url)
    url = service.database_url(args.database_url)
    if _locale(args) == "en":
        print(
            f"Database ready ({url}); curated referential {'loaded' if loaded else 'already present'}."
        )
    else:
        print(f"Base prête ({url}) ; référentiel curé {'chargé' if loaded else 'déjà présent'}.")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    locale = _locale(args)
    progress = ProgressBar()
    try:
        outcome = service.import_referential(
            args.source,
            Path(args.path),
            args.database_url,
            mode="merge" if args.merge else "replace",
            dry_run=args.dry_run,
            progress=progress,
        )
    except ImportRejected as rejected:
        print(rejected.report(locale), file=sys.stderr)
        n = len(rejected.errors)
        print(
            f"Import rejected: {n} error(s); nothing was written."
            if locale == "en"
            else f"Import refusé : {n} erreur(s) ; rien n'a été écrit.",
            file=sys.stderr,
        )
        return 1
    for warning in outcome.warnings:
        print(warning.describe(locale), file=sys.stderr)
    ref = outcome.referential
    if locale == "en":
        head = "Dry run, nothing written" if args.dry_run else "Imported"
        print(
            f"{head} in {progress.elapsed():.1f} s: {len(ref.roles)} roles, "
            f"{len(ref.competencies)} competencies, {len(ref.requirements)} requirements, "
            f"{len(ref.transitions)} transitions, {len(ref.trainings)} trainings."
        )
    else:
        head = "Simulation, rien n'a été écrit" if args.dry_run else "Import terminé"
        print(
            f"{head} en {progress.elapsed():.1f} s : {len(ref.roles)} métiers, "
            f"{len(ref.competencies)} compétences, {len(ref.requirements)} exigences, "
            f"{len(ref.transitions)} passerelles, {len(ref.trainings)} formations."
        )
    for line in outcome.changes.summary(locale):
        print(f"  {line}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    ref = service.export_referential(Path(args.directory), args.database_url)
    if _locale(args) == "en":
        print(
            f"Exported {len(ref.roles)} roles and {len(ref.competencies)} competencies to {args.directory}."
        )
    else:
        print(
            f"Export de {len(ref.roles)} métiers et {len(ref.competencies)} compétences dans {args.directory}."
        )
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    db = subparsers.add_parser("db", help="initialise or migrate the database")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    init = db_sub.add_parser(
        "init", help="apply migrations and load the curated referential if none (idempotent)"
    )
    init.set_defaults(func=cmd_db_init)

    imp = subparsers.add_parser("import", help="import a referential (bundle, ROME 4.0, ESCO)")
    imp.add_argument("source", choices=["bundle", "rome", "esco"])
    imp.add_argument("path", help="bundle directory, ROME directory, ESCO zip or directory")
    imp.add_argument(
        "--merge", action="store_true", help="update the stored referential instead of replacing it"
    )
    imp.add_argument(
        "--dry-run", action="store_true", help="validate and report changes, write nothing"
    )
    imp.set_defaults(func=cmd_import)

    exp = subparsers.add_parser("export", help="export the stored referential")
    exp.add_argument("format", choices=["bundle"])
    exp.add_argument("directory")
    exp.set_defaults(func=cmd_export)

    for parser in (init, imp, exp):
        parser.add_argument("--database-url", default=None, help="target another database")
