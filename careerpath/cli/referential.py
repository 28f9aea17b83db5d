"""`careerpath db …`, `careerpath import …` and `careerpath export …`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from careerpath.cli.progress import ProgressBar
from careerpath.data.errors import ImportRejected, StaleReferential
from careerpath.i18n import Locale, as_locale, format_decimal, gettext, ngettext
from careerpath.services import referential as service
from careerpath.services.referential_admin import AdminRefused, ReferentialAdmin


def _locale(args: argparse.Namespace) -> Locale:
    return as_locale(getattr(args, "lang", "fr"))


def cmd_db_init(args: argparse.Namespace) -> int:
    loaded = service.initialise_database(args.database_url)
    url = service.database_url(args.database_url)
    locale = _locale(args)
    print(
        gettext("Base prête ({url}) ; référentiel careerpath chargé.", locale, url=url)
        if loaded
        else gettext("Base prête ({url}) ; référentiel careerpath déjà présent.", locale, url=url)
    )
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
            ngettext(
                "Import refusé : {n} erreur ; rien n'a été écrit.",
                "Import refusé : {n} erreurs ; rien n'a été écrit.",
                n,
                locale,
            ),
            file=sys.stderr,
        )
        return 1
    except StaleReferential:
        print(
            gettext(
                "Le référentiel a été modifié pendant l'import (depuis la page "
                "d'administration ?) : relancez l'import. Rien n'a été écrit.",
                locale,
            ),
            file=sys.stderr,
        )
        return 1
    for warning in outcome.warnings:
        print(warning.describe(locale), file=sys.stderr)
    ref = outcome.referential
    head = (
        gettext("Simulation, rien n'a été écrit", locale)
        if args.dry_run
        else gettext("Import terminé", locale)
    )
    print(
        gettext(
            "{head} en {seconds} s : {roles} métiers, {competencies} compétences, "
            "{requirements} exigences, {transitions} passerelles, {trainings} formations.",
            locale,
            head=head,
            seconds=format_decimal(progress.elapsed(), locale),
            roles=len(ref.roles),
            competencies=len(ref.competencies),
            requirements=len(ref.requirements),
            transitions=len(ref.transitions),
            trainings=len(ref.trainings),
        )
    )
    for line in outcome.changes.summary(locale):
        print(f"  {line}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    ref = service.export_referential(Path(args.directory), args.database_url)
    print(
        gettext(
            "Export de {roles} métiers et {competencies} compétences dans {directory}.",
            _locale(args),
            roles=len(ref.roles),
            competencies=len(ref.competencies),
            directory=args.directory,
        )
    )
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    """The kept versions, the newest first (the same list as /admin/referentiel)."""
    locale = _locale(args)
    versions = ReferentialAdmin(args.database_url).versions(None)
    if not versions:
        print(gettext("Aucune version enregistrée.", locale))
    for version in versions:
        who = version.applied_by or gettext("ligne de commande", locale)
        current = gettext(" (en service)", locale) if version.current else ""
        when = version.applied_at.strftime("%Y-%m-%d %H:%M")
        print(f"{version.id}\t{when}\t{version.kind}\t{version.file_name or '-'}\t{who}{current}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Put a kept version back in service, in one transaction (« Revenir à cette version »)."""
    locale = _locale(args)
    try:
        restored = ReferentialAdmin(args.database_url).restore(None, args.version)
    except AdminRefused as refused:
        print(refused.message(locale), file=sys.stderr)
        return 1
    print(
        gettext(
            "Version {old} remise en service (enregistrée comme version {n}).",
            locale,
            old=args.version,
            n=restored.id,
        )
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

    versions = subparsers.add_parser("versions", help="list the kept referential versions")
    versions.set_defaults(func=cmd_versions)
    restore = subparsers.add_parser("restore", help="put a kept referential version back")
    restore.add_argument("version", type=int, help="the version number (see `versions`)")
    restore.set_defaults(func=cmd_restore)

    exp = subparsers.add_parser("export", help="export the stored referential")
    exp.add_argument("format", choices=["bundle"])
    exp.add_argument("directory")
    exp.set_defaults(func=cmd_export)

    for parser in (init, imp, exp, versions, restore):
        parser.add_argument("--database-url", default=None, help="target another database")
