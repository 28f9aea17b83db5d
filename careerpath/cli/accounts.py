"""`careerpath accounts create|list|disable|reset-link`: the platform operator's commands.

Links (activation, reset) are e-mailed when CAREERPATH_SMTP_URL is set and the server
accepted the mail; otherwise they are printed here, for the administrator to pass on.
The command never says a mail was sent when none was.
"""

from __future__ import annotations

import argparse
import sys

from careerpath.i18n import Locale, as_locale, gettext
from careerpath.services.accounts import AccountError, Accounts, IssuedLink, Role

ROLE_CHOICES = [r.value for r in Role]


def _locale(args: argparse.Namespace) -> Locale:
    return as_locale(getattr(args, "lang", "fr"))


def _service(args: argparse.Namespace) -> Accounts:
    accounts = Accounts(args.database_url)
    accounts.migrate()
    return accounts


def _print_link(link: IssuedLink, email: str, locale: Locale) -> None:
    hours = 72
    if link.mailed:
        print(
            gettext(
                "Lien envoyé par e-mail à {email} (valable {hours} h, une seule fois).",
                locale,
                email=email,
                hours=hours,
            )
        )
        return
    print(
        gettext(
            "Aucun e-mail envoyé (CAREERPATH_SMTP_URL absent ou envoi en échec). Transmettez "
            "à {email} ce lien à usage unique, valable {hours} h :",
            locale,
            email=email,
            hours=hours,
        )
    )
    print(link.url)


def _refused(error: AccountError, locale: Locale) -> int:
    print(error.message(locale), file=sys.stderr)
    return 1


def cmd_create(args: argparse.Namespace) -> int:
    locale = _locale(args)
    password = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        summary, link = _service(args).create(
            args.email,
            Role(args.role),
            structure=args.structure,
            name=args.name or "",
            password=password,
            locale=locale,
        )
    except AccountError as error:
        return _refused(error, locale)
    print(
        gettext(
            "Compte créé : {email} ({role}{structure}).",
            locale,
            email=summary.email,
            role=summary.role.value,
            structure=", " + summary.structure if summary.structure else "",
        )
    )
    if link is not None:
        _print_link(link, summary.email, locale)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    locale = _locale(args)
    rows = _service(args).list_accounts()
    if not rows:
        print(gettext("Aucun compte.", locale))
        return 0
    for row in rows:
        print(
            "\t".join(
                [row.email, row.role.value, row.structure or "-", row.status, row.display_name]
            )
        )
    return 0


def cmd_disable(args: argparse.Namespace) -> int:
    locale = _locale(args)
    try:
        summary = _service(args).disable(args.email)
    except AccountError as error:
        return _refused(error, locale)
    print(gettext("Compte désactivé, ses sessions fermées : {email}.", locale, email=summary.email))
    return 0


def cmd_reset_link(args: argparse.Namespace) -> int:
    locale = _locale(args)
    try:
        link = _service(args).reset_link(args.email, locale=locale)
    except AccountError as error:
        return _refused(error, locale)
    _print_link(link, args.email.strip().lower(), locale)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    accounts = subparsers.add_parser("accounts", help="counsellor, manager and admin accounts")
    sub = accounts.add_subparsers(dest="accounts_command", required=True)

    create = sub.add_parser("create", help="create an account (prints its activation link)")
    create.add_argument("email")
    create.add_argument("--role", required=True, choices=ROLE_CHOICES)
    create.add_argument("--structure", default=None, help="the structure's name (created if new)")
    create.add_argument("--name", default=None, help="the person's name")
    create.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (the account is then active, no link)",
    )
    create.set_defaults(func=cmd_create)

    listing = sub.add_parser("list", help="list every account")
    listing.set_defaults(func=cmd_list)

    disable = sub.add_parser("disable", help="disable an account and end its sessions")
    disable.add_argument("email")
    disable.set_defaults(func=cmd_disable)

    reset = sub.add_parser("reset-link", help="a new single-use activation or reset link")
    reset.add_argument("email")
    reset.set_defaults(func=cmd_reset_link)

    for parser in (create, listing, disable, reset):
        parser.add_argument("--database-url", default=None, help="target another database")
