"""The workspace's exports, in the reader's language:

- the caseload as CSV (one line per beneficiary, every status);
- one beneficiary's action plan as CSV (one line per action, its comments in one cell);
- one beneficiary as a printable PDF: the dated snapshots, the bilan of the latest one (the
  same pages as the person's own PDF, `services/bilan_pdf.py`) and the action plan. The
  counsellor's private notes are never in it (it may be handed to the person).

CSVs are written with `careerpath.data.csv_cells.csv_writer`, so a name or a comment typed as
`=HYPERLINK(…)` is text in a spreadsheet, never a formula. French uses « ; » (what French
spreadsheets expect) and English « , »; a byte-order mark lets spreadsheets read the accents
as UTF-8.
"""

from __future__ import annotations

import io
from datetime import date, datetime

from babel.numbers import get_decimal_symbol

from careerpath.data.csv_cells import csv_writer
from careerpath.domain.access import Actor
from careerpath.i18n import N_, Locale, babel_locale, by_locale_table, format_date, gettext
from careerpath.services.assessments import SNAPSHOT_ZONE
from careerpath.services.bilan_pdf import GREY, TEAL, bilan_report, new_document, write_bilan
from careerpath.services.context import Context, current_context
from careerpath.services.labels import decimal, percent
from careerpath.services.workspace.counsellor_plan import CounsellorPlan
from careerpath.services.workspace.follow import MAX_PAGE_SIZE, Follow
from careerpath.services.workspace.plans import Action, ActionPlan
from careerpath.services.workspace.words import ACTION_KIND_NAMES, ACTION_STATUS_NAMES

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


ACTION_HEADERS = (
    N_("Objectif"),
    N_("Action"),
    N_("Type"),
    N_("Statut"),
    N_("Début"),
    N_("Échéance"),
    N_("En retard"),
    N_("Ajoutée par"),
    N_("Commentaires"),
)
AUTHOR_WORDS = {
    "counsellor": N_("le ou la conseiller·ère"),
    "beneficiary": N_("la personne"),
    "organiser": N_("l'organisateur·rice"),
}
PDF_TEXT = by_locale_table(
    {
        "title": N_("Bilan et plan d'action"),
        "who": N_("Personne accompagnée : {label}"),
        "by": N_("Accompagnement suivi par {counsellor}. Document établi le {date}."),
        "dates": N_("Bilans datés"),
        "date_line": N_("{date} : proximité à l'objectif {readiness}, {hours}"),
        "hours": N_("{h} h de formation restantes"),
        "no_hours": N_("pas de plan de formation"),
        "no_snapshot": N_("Aucun bilan partagé pour l'instant."),
        "plan": N_("Plan d'action"),
        "no_action": N_("Aucune action pour l'instant."),
        "objective": N_("Objectif : {title}"),
        "start": N_("début : {d}"),
        "due": N_("échéance : {d}"),
        "overdue": N_("en retard"),
        "added_by": N_("ajoutée par {who}"),
        "private": N_(
            "Les notes privées du ou de la conseiller·ère ne figurent pas dans ce document."
        ),
    }
)


def _day(moment: date | None, locale: Locale) -> str:
    return format_date(moment, locale) if moment is not None else ""


def _local_day(moment: datetime) -> date:
    return moment.astimezone(SNAPSHOT_ZONE).date()


def _author(action_author: str, name: str, locale: Locale) -> str:
    return name or gettext(AUTHOR_WORDS.get(action_author, action_author), locale)


def _objectives(plan: ActionPlan) -> dict[int, str]:
    return {o.id: o.title for o in plan.objectives}


def _comments_cell(action: Action, locale: Locale) -> str:
    return " | ".join(
        f"{_day(_local_day(c.created_at), locale)} "
        f"{_author(c.author.value, c.author_name, locale)}{gettext(' :', locale)} {c.text}"
        for c in action.comments
    )


def actions_csv(
    follow: Follow, plan: CounsellorPlan, actor: Actor, beneficiary_id: str, locale: Locale
) -> str:
    """One beneficiary's action plan as CSV text (the same rules as `CounsellorPlan.read`)."""
    found = plan.read(actor, beneficiary_id)
    follow.note_export(actor, beneficiary_id, "export CSV")
    objectives = _objectives(found)
    buffer = io.StringIO()
    writer = csv_writer(buffer, delimiter=delimiter(locale))
    writer.writerow([gettext(h, locale) for h in ACTION_HEADERS])
    yes, no = gettext("oui", locale), gettext("non", locale)
    for a in found.actions:
        writer.writerow(
            [
                objectives.get(a.objective_id, "") if a.objective_id is not None else "",
                a.title,
                ACTION_KIND_NAMES[locale].get(a.kind.value, a.kind.value),
                ACTION_STATUS_NAMES[locale].get(a.status.value, a.status.value),
                a.start.isoformat() if a.start else "",
                a.due.isoformat() if a.due else "",
                yes if a.overdue else no,
                _author(a.created_by.value, "", locale),
                _comments_cell(a, locale),
            ]
        )
    return "\ufeff" + buffer.getvalue()


def beneficiary_pdf(
    follow: Follow,
    plan: CounsellorPlan,
    actor: Actor,
    beneficiary_id: str,
    locale: Locale,
    ctx: Context | None = None,
) -> bytes:
    """One beneficiary, printable: dated snapshots, the latest bilan, the action plan."""
    ctx = ctx or current_context(locale, database_url=follow.store.url)
    # One entry in the audit log, an export (not a view of the page as well).
    detail = follow.detail(actor, beneficiary_id, ctx, audited=False)
    actions = plan.read(actor, beneficiary_id)  # refuses what is not shared any more
    stored = follow.latest_assessment(actor, beneficiary_id, audited=False)
    follow.note_export(actor, beneficiary_id, "export PDF")
    words = PDF_TEXT[locale]
    today = _local_day(follow.store.now())
    doc = new_document(words["title"], locale)
    doc.add_page()
    doc.para(words["title"], 20, "B", TEAL)
    doc.para(words["who"].format(label=detail.label), 12, "B")
    doc.para(
        words["by"].format(counsellor=detail.counsellor or "—", date=format_date(today, locale)),
        10,
        "",
        GREY,
    )
    doc.heading(words["dates"])
    if not detail.snapshots:
        doc.para(words["no_snapshot"])
    for s in detail.snapshots:
        hours = (
            words["hours"].format(h=decimal(s.plan_hours, locale))
            if s.plan_hours is not None
            else words["no_hours"]
        )
        readiness = percent(s.readiness, locale) if s.readiness is not None else "—"
        doc.bullet(
            words["date_line"].format(
                date=format_date(_local_day(s.created_at), locale), readiness=readiness, hours=hours
            )
        )
    if stored is not None:
        doc.add_page()
        write_bilan(doc, bilan_report(ctx, stored, today=_local_day(stored.updated_at)))
    doc.add_page()
    doc.para(words["plan"], 18, "B", TEAL)
    objectives = _objectives(actions)
    if not actions.actions:
        doc.para(words["no_action"])
    colon = gettext(" :", locale)
    for a in actions.actions:
        doc.ln(1)
        doc.para(a.title, 11, "B")
        flags = [
            ACTION_KIND_NAMES[locale].get(a.kind.value, a.kind.value),
            ACTION_STATUS_NAMES[locale].get(a.status.value, a.status.value),
        ]
        if a.start:
            flags.append(words["start"].format(d=_day(a.start, locale)))
        if a.due:
            flags.append(words["due"].format(d=_day(a.due, locale)))
        if a.overdue:
            flags.append(words["overdue"])
        flags.append(words["added_by"].format(who=_author(a.created_by.value, "", locale)))
        doc.para(" · ".join(flags), 9.5, "", GREY)
        if a.objective_id is not None and a.objective_id in objectives:
            doc.para(words["objective"].format(title=objectives[a.objective_id]), 9.5)
        for c in a.comments:
            who = _author(c.author.value, c.author_name, locale)
            doc.bullet(f"{_day(_local_day(c.created_at), locale)}, {who}{colon} {c.text}")
    doc.ln(4)
    doc.para(words["private"], 9, "", GREY)
    return bytes(doc.output())
