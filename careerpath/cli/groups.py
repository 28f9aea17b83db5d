"""`careerpath groups create|list|show|compare`: the collective diagnosis from the command line.

The platform's operator acts as an organiser's account (`--as EMAIL`); the same rules as in
the app apply: only the organiser or a manager of the group's structure sees a group, and
every figure goes through the anonymity rule (a suppressed figure prints as `–`).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from careerpath.data.collective_tables import GROUP_KINDS
from careerpath.i18n import Locale, as_locale, gettext
from careerpath.services.collective import CollectiveError, Groups, GroupView
from careerpath.services.collective.groups import Levels
from careerpath.services.context import current_context
from careerpath.services.referential import initialise_database
from careerpath.services.workspace import Store

HIDDEN = "–"


def _locale(args: argparse.Namespace) -> Locale:
    return as_locale(getattr(args, "lang", "fr"))


def _groups(args: argparse.Namespace) -> Groups:
    initialise_database(args.database_url)
    return Groups(Store.of(args.database_url))


def _refused(error: CollectiveError, locale: Locale) -> int:
    print(error.message(locale), file=sys.stderr)
    return 1


def _mean(levels: Levels | None) -> str:
    return HIDDEN if levels is None else f"{levels.mean_text} (n={levels.n})"


def _print_view(view: GroupView, locale: Locale) -> None:
    def count(n: int | None) -> str:
        return HIDDEN if n is None else str(n)

    print(
        gettext(
            "{date} — assistant·es : {a} ; personnes pour qui elles et ils travaillent : {m}",
            locale,
            date=view.date,
            a=count(view.assistants),
            m=count(view.managers),
        )
    )
    if view.note:
        print(view.note)
    for c in view.categories:
        print(f"{c.category}\t{_mean(c.today)}\t{_mean(c.tomorrow)}\t{c.gap_text or HIDDEN}")
        for r in view.competencies:
            if r.category == c.category:
                print(f"  {r.label}\t{_mean(r.today)}\t{_mean(r.tomorrow)}\t{r.gap_text or HIDDEN}")
    if view.strengths:
        print(view.strengths_title + " : " + ", ".join(s.label for s in view.strengths))
    if view.rising:
        print(
            gettext("Besoins en hausse", locale)
            + " : "
            + ", ".join(f"{n.label} ({n.words})" for n in view.rising)
        )
    if view.bridges:
        print(gettext("Passerelles (membres prêt·es maintenant)", locale) + " :")
        for b in view.bridges:
            print(f"  {b.title}\t{b.ready}")


def cmd_create(args: argparse.Namespace) -> int:
    locale = _locale(args)
    groups = _groups(args)
    try:
        actor = groups.operator_as(args.as_email)
        card = groups.create(actor, args.name, args.kind, subgroups=args.subgroup or (), k=args.k)
    except CollectiveError as error:
        return _refused(error, locale)
    print(
        gettext(
            "Groupe créé : {name} — code {code} (seuil d'anonymat : {k} personnes).",
            locale,
            name=card.name,
            code=card.shown_code,
            k=card.k,
        )
    )
    print(card.url)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    locale = _locale(args)
    groups = _groups(args)
    try:
        actor = groups.operator_as(args.as_email)
    except CollectiveError as error:
        return _refused(error, locale)
    cards = groups.mine(actor, locale)
    if not cards:
        print(gettext("Aucun groupe.", locale))
    for card in cards:
        print("\t".join([card.shown_code, card.kind_name, card.name, card.url]))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    locale = _locale(args)
    groups = _groups(args)
    ctx = current_context(locale, args.database_url)
    try:
        actor = groups.operator_as(args.as_email)
        card = groups.find(actor, args.code)
        if args.csv:
            sys.stdout.write(groups.export_csv(actor, card.id, ctx=ctx, locale=locale))
            return 0
        _print_view(groups.view(actor, card.id, scope=args.scope or "", ctx=ctx), locale)
    except CollectiveError as error:
        return _refused(error, locale)
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    locale = _locale(args)
    groups = _groups(args)
    ctx = current_context(locale, args.database_url)
    try:
        earlier, later = date.fromisoformat(args.earlier), date.fromisoformat(args.later)
    except ValueError:
        return _refused(CollectiveError("dates"), locale)
    try:
        actor = groups.operator_as(args.as_email)
        card = groups.find(actor, args.code)
        comparison = groups.compare(actor, card.id, earlier, later, args.scope or "", ctx=ctx)
    except CollectiveError as error:
        return _refused(error, locale)
    _print_view(comparison.earlier, locale)
    print()
    _print_view(comparison.later, locale)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    groups = subparsers.add_parser("groups", help="collective diagnosis: groups and their figures")
    sub = groups.add_subparsers(dest="groups_command", required=True)

    create = sub.add_parser("create", help="create a group (prints its code and link)")
    create.add_argument("name")
    create.add_argument("--kind", required=True, choices=list(GROUP_KINDS))
    create.add_argument("--subgroup", action="append", help="a part of the group (repeatable)")
    create.add_argument("--k", type=int, default=None, help="anonymity threshold (at least 5)")
    create.set_defaults(func=cmd_create)

    listing = sub.add_parser("list", help="the groups this account organises or manages")
    listing.set_defaults(func=cmd_list)

    show = sub.add_parser("show", help="today's figures of a group (or --csv)")
    show.add_argument("code")
    show.add_argument("--scope", default="", help="a sub-group")
    show.add_argument("--csv", action="store_true", help="the figures and the plan as CSV")
    show.set_defaults(func=cmd_show)

    compare = sub.add_parser("compare", help="a group's figures at two dates (YYYY-MM-DD)")
    compare.add_argument("code")
    compare.add_argument("earlier")
    compare.add_argument("later")
    compare.add_argument("--scope", default="", help="a sub-group")
    compare.set_defaults(func=cmd_compare)

    for parser in (create, listing, show, compare):
        parser.add_argument(
            "--as", dest="as_email", required=True, metavar="EMAIL", help="the account acting"
        )
        parser.add_argument("--database-url", default=None, help="target another database")
