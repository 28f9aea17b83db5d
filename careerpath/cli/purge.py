"""`careerpath purge`: delete what careerpath must no longer keep.

- follow-ups of the counsellor workspace without activity for 24 months (CNIL guidance for
  the social sector), with their action plans, comments and notes;
- audit events older than 12 months, expired sessions and links.

The server does the same by itself at most once a day; the command is for a scheduler
(cron, a systemd timer) or a one-off clean-up.
"""

from __future__ import annotations

import argparse

from careerpath.i18n import as_locale, gettext
from careerpath.services.accounts import Accounts
from careerpath.services.workspace import Follow, Store


def cmd_purge(args: argparse.Namespace) -> int:
    accounts = Accounts(args.database_url)
    accounts.migrate()
    follow_ups = Follow(Store.of(args.database_url)).purge()
    audit = accounts.purge_audit()
    print(
        gettext(
            "Purgé : {follow_ups} accompagnement(s) sans activité depuis 24 mois, "
            "{audit} événement(s) du journal.",
            as_locale(getattr(args, "lang", "fr")),
            follow_ups=follow_ups,
            audit=audit,
        )
    )
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "purge", help="delete follow-ups idle for 24 months and audit events over 12 months"
    )
    parser.add_argument("--database-url", default=None)
    parser.set_defaults(func=cmd_purge)
