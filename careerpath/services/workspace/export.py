"""The caseload as CSV: one line per beneficiary, every status, in the reader's language.

Written with `careerpath.data.csv_cells.csv_writer`, so a name typed as `=HYPERLINK(…)` is
text in a spreadsheet, never a formula. French uses « ; » (what French spreadsheets expect)
and English « , »; a byte-order mark lets spreadsheets read the accents as UTF-8.
"""

from __future__ import annotations

import io

from babel.numbers import get_decimal_symbol

from careerpath.data.csv_cells import csv_writer
from careerpath.domain.access import Actor
from careerpath.i18n import N_, Locale, babel_locale, gettext
from careerpath.services.workspace.follow import MAX_PAGE_SIZE, Follow

CSV_HEADERS = (
    N_("Nom"),
    N_("Statut"),
    N_("Objectif"),
    N_("Proximité à l'objectif (%)"),
    N_("Évolution (points)"),
    N_("Dernière activité"),
    N_("Sans nouvelles depuis 2 mois"),
    N_("Actions en retard"),
    N_("Conseiller·ère"),
    N_("Partage"),
)
STATUS_WORDS = {"open": N_("en cours"), "closed": N_("clos")}


def delimiter(locale: Locale) -> str:
    """« ; » where the decimal mark is a comma (French), « , » elsewhere: what spreadsheets
    of that language split on."""
    return ";" if get_decimal_symbol(babel_locale(locale)) == "," else ","


def caseload_csv(follow: Follow, actor: Actor, locale: Locale) -> str:
    """The whole caseload (every status) as CSV text, headers in the reader's language."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, delimiter=delimiter(locale))
    writer.writerow([gettext(h, locale) for h in CSV_HEADERS])
    page, pages = 1, 1
    yes, no = gettext("oui", locale), gettext("non", locale)
    while page <= pages:
        found = follow.caseload(actor, "", "label", page, MAX_PAGE_SIZE, status="all")
        for r in found.rows:
            writer.writerow(
                [
                    r.label,
                    gettext(STATUS_WORDS.get(r.status, r.status), locale),
                    r.goal_title,
                    "" if r.readiness is None else f"{r.readiness:.0f}",
                    "" if r.change is None else f"{r.change:+.0f}",
                    r.last_activity.date().isoformat(),
                    yes if r.stale else no,
                    r.overdue,
                    r.counsellor,
                    yes if r.sharing else no,
                ]
            )
        pages = found.pages
        page += 1
    return "\ufeff" + buffer.getvalue()  # the BOM: spreadsheets read UTF-8 accents right
