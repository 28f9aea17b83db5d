"""The counsellor workspace: /espace (the caseload, « Inviter »), /espace/beneficiaire/[id],
and on the person's phone /invitation/[code] (consent) and /mon-suivi (« Arrêter le partage »).
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from careerpath.i18n import N_
from careerpath.ui.components.access import access_gate
from careerpath.ui.components.layout import page_frame
from careerpath.ui.components.timeline import comparison_panel, exports_panel, update_panel
from careerpath.ui.components.widgets import (
    link_button,
    loading,
    notice,
    page_heading,
    primary_button,
    secondary_button,
    section_heading,
)
from careerpath.ui.i18n import page_title, t
from careerpath.ui.states.workspace import (
    BeneficiaryState,
    InvitationState,
    MySharingState,
    PlatformOverviewState,
    WorkspaceState,
)
from careerpath.ui.states.workspace_time import TimelineState

SHARED_WHAT = N_(
    "Ce qui sera partagé : votre bilan de compétences de cet appareil et ses mises à jour, "
    "votre objectif et votre plan de formation, le plan d'action construit ensemble."
)
SHARED_HOW_LONG = N_(
    "Pour combien de temps : jusqu'à ce que vous arrêtiez le partage (à tout moment, depuis "
    "« Mon suivi » sur cet appareil) ou que l'accompagnement soit clos ; sans activité "
    "pendant 24 mois, les données du suivi sont effacées."
)


def small(*text: Any, **props: Any) -> rx.Component:
    return rx.text(*text, size="2", color_scheme="gray", high_contrast=True, **props)


def text_field(label: Any, name: str, ident: str, **props: Any) -> rx.Component:
    return rx.box(
        rx.el.label(label, html_for=ident, class_name="cp-label"),
        rx.el.input(id=ident, name=name, class_name="cp-input", **props),
        width="100%",
    )


# -- /espace ----------------------------------------------------------------------------


def caseload_row(row: Any) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.link(
                        row.label,
                        href=row.href,
                        weight="bold",
                        size="4",
                        data_testid="beneficiary-link",
                    ),
                    rx.badge(row.status, color_scheme="gray", high_contrast=True),
                    justify="between",
                    align="center",
                    width="100%",
                    wrap="wrap",
                ),
                rx.text(t("Objectif : ") + row.goal, size="3"),
                rx.text(
                    t("Proximité à l'objectif : ") + row.readiness,
                    rx.cond(row.change != "", " (" + row.change + ")", ""),
                    size="3",
                ),
                small(t("Dernière activité : ") + row.last_activity),
                rx.cond(
                    WorkspaceState.manager & (row.counsellor != ""),
                    small(row.counsellor, data_testid="followed-by"),
                ),
                rx.cond(
                    row.stale,
                    rx.badge(
                        t("Sans nouvelles depuis 2 mois"),
                        color_scheme="amber",
                        high_contrast=True,
                        data_testid="stale",
                    ),
                ),
                rx.cond(
                    row.overdue != "",
                    rx.badge(row.overdue, color_scheme="red", high_contrast=True),
                ),
                rx.cond(
                    row.update_requested != "",
                    small(row.update_requested, data_testid="update-requested"),
                ),
                rx.cond(
                    ~row.sharing,
                    small(t("Ne partage pas (ou plus) ses données.")),
                ),
                spacing="1",
                width="100%",
            ),
            width="100%",
        ),
        data_testid="caseload-row",
        style={"width": "100%"},
    )


def invite_panel() -> rx.Component:
    S = WorkspaceState
    return rx.box(
        rx.cond(
            S.invitation.code != "",
            rx.vstack(
                notice(t("Invitation créée."), tone="success"),
                rx.text(
                    t(
                        "Sur son téléphone, la personne scanne ce QR code ou ouvre le lien ; "
                        "elle peut aussi saisir ce code :"
                    ),
                    size="3",
                ),
                rx.text(S.invitation.code, class_name="cp-code", data_testid="invitation-code"),
                rx.image(
                    src=S.invitation.qr,
                    alt=t("QR code de l'invitation"),
                    width="12rem",
                    height="12rem",
                ),
                rx.el.a(
                    S.invitation.link,
                    href=S.invitation.link,
                    data_testid="invitation-link",
                    style={"wordBreak": "break-all"},
                ),
                small(t("Valable jusqu'au ") + S.invitation.expires),
                secondary_button(t("Inviter une autre personne"), on_click=S.open_invite),
                spacing="3",
                width="100%",
            ),
            rx.el.form(
                rx.vstack(
                    text_field(
                        t("Nom ou surnom de la personne (vous seul·e le voyez)"),
                        "label",
                        "champ-label",
                        type="text",
                        max_length=120,
                        required=True,
                        auto_complete="off",
                    ),
                    rx.cond(S.invite_error != "", notice(S.invite_error, tone="alert")),
                    primary_button(t("Créer l'invitation"), type="submit"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=S.invite,
                reset_on_submit=True,
                width="100%",
            ),
        ),
        width="100%",
    )


def workspace_content() -> rx.Component:
    S = WorkspaceState
    return rx.vstack(
        rx.cond(S.error != "", notice(S.error, tone="alert")),
        rx.cond(
            S.invite_open,
            invite_panel(),
            primary_button(t("Inviter une personne"), on_click=S.open_invite),
        ),
        section_heading(t("Mes bénéficiaires")),
        rx.el.form(
            rx.hstack(
                rx.el.input(
                    name="q",
                    type="search",
                    placeholder=t("Rechercher un nom"),
                    aria_label=t("Rechercher un nom"),
                    class_name="cp-input",
                    max_length=100,
                ),
                rx.button(t("Rechercher"), type="submit", size="3", min_height="48px"),
                width="100%",
                spacing="2",
            ),
            on_submit=S.search,
            width="100%",
        ),
        rx.hstack(
            rx.box(
                rx.el.label(t("Trier par"), html_for="tri", class_name="cp-label"),
                rx.el.select(
                    rx.el.option(t("Dernière activité"), value="activity"),
                    rx.el.option(t("Nom"), value="label"),
                    rx.el.option(t("Proximité à l'objectif"), value="readiness"),
                    rx.el.option(t("Statut"), value="status"),
                    id="tri",
                    value=S.sort,
                    on_change=S.set_sort_key,
                    class_name="cp-input",
                ),
                flex="1",
            ),
            rx.box(
                rx.el.label(t("Afficher"), html_for="statut", class_name="cp-label"),
                rx.el.select(
                    rx.el.option(t("En cours"), value="open"),
                    rx.el.option(t("Clos"), value="closed"),
                    rx.el.option(t("Tous"), value="all"),
                    id="statut",
                    value=S.status,
                    on_change=S.set_status_filter,
                    class_name="cp-input",
                ),
                flex="1",
            ),
            spacing="2",
            width="100%",
        ),
        rx.hstack(
            small(t("Bénéficiaires : {n}", n=S.total), data_testid="caseload-total"),
            rx.button(
                t("Télécharger la liste (CSV)"),
                on_click=S.download_csv,
                variant="soft",
                min_height="44px",
                data_testid="caseload-csv",
            ),
            justify="between",
            align="center",
            width="100%",
            wrap="wrap",
        ),
        rx.cond(
            S.rows.length() > 0,
            rx.el.ul(
                rx.foreach(S.rows, caseload_row),
                class_name="cp-plain-list",
                style={"width": "100%"},
            ),
            rx.text(
                t("Personne pour l'instant : « Inviter une personne » pour commencer."),
                size="3",
            ),
        ),
        rx.cond(
            S.pages > 1,
            rx.hstack(
                rx.button(
                    t("Précédent"),
                    on_click=S.previous_page,
                    disabled=S.page <= 1,
                    variant="outline",
                    min_height="44px",
                ),
                rx.text(t("Page {page} sur {pages}", page=S.page, pages=S.pages), size="2"),
                rx.button(
                    t("Suivant"),
                    on_click=S.next_page,
                    disabled=S.page >= S.pages,
                    variant="outline",
                    min_height="44px",
                ),
                justify="between",
                align="center",
                width="100%",
            ),
        ),
        spacing="4",
        width="100%",
    )


def structure_counts_row(c: Any) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.text(c.name, weight="bold", size="4"),
                small(c.people),
                rx.text(c.follow_ups, size="3"),
                rx.cond(c.stale != "", small(c.stale)),
                rx.cond(
                    c.no_manager,
                    rx.badge(
                        t("Sans responsable : personne ne peut réaffecter ses suivis"),
                        color_scheme="amber",
                        high_contrast=True,
                    ),
                ),
                spacing="1",
                width="100%",
            ),
            width="100%",
        ),
        data_testid="structure-counts",
        style={"width": "100%"},
    )


def platform_overview() -> rx.Component:
    """What an administrator sees on /espace: the structures in numbers, read-only."""
    S = PlatformOverviewState
    return rx.vstack(
        notice(
            t(
                "Vous êtes administrateur·rice de la plateforme : l'espace conseiller·ère "
                "appartient aux structures. Vous n'y voyez aucune personne suivie (ni nom, ni "
                "bilan, ni plan) : seulement ces chiffres, en lecture seule."
            ),
            data_testid="admin-overview",
        ),
        rx.hstack(
            link_button(t("Comptes des structures"), "/compte/equipe", primary=False),
            link_button(t("Journal des accès"), "/compte/journal", primary=False),
            spacing="2",
            width="100%",
            wrap="wrap",
        ),
        small(
            t(
                "Pour qu'une structure réaffecte ses suivis, donnez-lui un·e responsable "
                "depuis « Comptes des structures »."
            )
        ),
        rx.cond(S.error != "", notice(S.error, tone="alert")),
        section_heading(t("Les structures")),
        rx.cond(
            S.structures.length() > 0,
            rx.el.ul(
                rx.foreach(S.structures, structure_counts_row),
                class_name="cp-plain-list",
                style={"width": "100%"},
            ),
            small(t("Aucune structure pour l'instant.")),
        ),
        spacing="4",
        width="100%",
    )


@rx.page(
    route="/espace",
    title=page_title("Espace conseiller·ère — careerpath"),
    on_load=[WorkspaceState.load, PlatformOverviewState.load],
)
def workspace_page() -> rx.Component:
    return page_frame(
        page_heading(t("Espace conseiller·ère")),
        rx.cond(
            PlatformOverviewState.access == "allowed",
            platform_overview(),
            access_gate(WorkspaceState, workspace_content()),
        ),
    )


# -- /espace/beneficiaire/[id] ----------------------------------------------------------


def snapshot_row(s: Any) -> rx.Component:
    return rx.el.li(
        rx.text(s.date, weight="medium"),
        small(
            s.answered + " · " + t("proximité ") + s.readiness,
            rx.cond(s.hours != "", " · " + s.hours, ""),
        ),
        data_testid="snapshot",
    )


def comment_row(c: Any) -> rx.Component:
    return rx.el.li(small(c.author + " · " + c.date), rx.text(c.text, size="2"))


STATUS_CHOICES = (
    ("todo", N_("À faire")),
    ("doing", N_("En cours")),
    ("done", N_("Fait")),
    ("waiting", N_("En attente")),
    ("abandoned", N_("Abandonné")),
)


def objective_options(objectives: Any) -> list[rx.Component]:
    """The options of an « Objectif » select: none, then each objective of the plan."""
    return [
        rx.el.option(t("Sans objectif"), value=""),
        rx.foreach(objectives, lambda o: rx.el.option(o[1], value=o[0])),
    ]


def action_editor(a: Any) -> rx.Component:
    """The counsellor's edit of one action: status, dates, title, objective (one save)."""
    S = BeneficiaryState
    ident = a.id.to(str)
    return rx.el.details(
        rx.el.summary(t("Modifier"), style={"minHeight": "44px", "cursor": "pointer"}),
        rx.el.form(
            rx.el.input(type="hidden", name="action", value=ident),
            rx.vstack(
                rx.box(
                    rx.el.label(t("Statut"), html_for="etat-" + ident, class_name="cp-label"),
                    rx.el.select(
                        *[rx.el.option(t(label), value=code) for code, label in STATUS_CHOICES],
                        id="etat-" + ident,
                        name="status",
                        default_value=a.status_code,
                        class_name="cp-input",
                        data_testid="edit-status",
                    ),
                    width="100%",
                ),
                rx.hstack(
                    text_field(
                        t("Début"),
                        "start",
                        "debut-" + ident,
                        type="date",
                        default_value=a.start_iso,
                        data_testid="edit-start",
                    ),
                    text_field(
                        t("Échéance"),
                        "due",
                        "echeance-" + ident,
                        type="date",
                        default_value=a.due_iso,
                        data_testid="edit-due",
                    ),
                    spacing="2",
                    width="100%",
                ),
                text_field(
                    t("Intitulé"),
                    "title",
                    "intitule-" + ident,
                    type="text",
                    max_length=200,
                    required=True,
                    default_value=a.title,
                ),
                rx.box(
                    rx.el.label(t("Objectif"), html_for="objectif-" + ident, class_name="cp-label"),
                    rx.el.select(
                        *objective_options(S.objectives),
                        id="objectif-" + ident,
                        name="objective",
                        default_value=a.objective_id,
                        class_name="cp-input",
                    ),
                    width="100%",
                ),
                secondary_button(t("Enregistrer"), type="submit", data_testid="save-action"),
                spacing="2",
                width="100%",
            ),
            on_submit=S.update_action,
            width="100%",
        ),
        style={"width": "100%"},
    )


def action_comment_form(a: Any) -> rx.Component:
    S = BeneficiaryState
    ident = a.id.to(str)
    return rx.el.form(
        rx.el.input(type="hidden", name="action", value=ident),
        rx.el.label(
            t("Un commentaire (la personne le voit)"),
            html_for="commentaire-conseil-" + ident,
            class_name="cp-label",
        ),
        rx.el.textarea(
            id="commentaire-conseil-" + ident,
            name="text",
            max_length=2000,
            required=True,
            rows=2,
            class_name="cp-input",
        ),
        rx.button(
            t("Commenter"),
            type="submit",
            variant="outline",
            min_height="44px",
            margin_top="0.5rem",
        ),
        on_submit=S.comment_action,
        reset_on_submit=True,
        width="100%",
    )


def action_row(a: Any) -> rx.Component:
    S = BeneficiaryState
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.text(a.title, weight="bold"),
                    rx.badge(a.status, data_testid="action-status"),
                    justify="between",
                    width="100%",
                    wrap="wrap",
                ),
                small(a.kind + " · " + a.author, data_testid="action-author"),
                rx.cond(
                    (a.start != "") | (a.due != ""),
                    small(
                        a.start,
                        rx.cond((a.start != "") & (a.due != ""), " · ", ""),
                        a.due,
                        data_testid="action-dates",
                    ),
                ),
                rx.cond(
                    a.overdue,
                    rx.badge(
                        t("En retard"),
                        color_scheme="red",
                        high_contrast=True,
                        data_testid="overdue",
                    ),
                ),
                rx.el.ul(
                    rx.foreach(a.comments, comment_row),
                    class_name="cp-plain-list",
                    style={"width": "100%"},
                ),
                rx.cond(
                    S.edit_error_id == a.id,
                    rx.cond(
                        S.edit_error != "",
                        notice(S.edit_error, tone="alert", data_testid="edit-error"),
                    ),
                ),
                rx.cond(
                    a.editable,
                    rx.vstack(action_editor(a), action_comment_form(a), width="100%"),
                ),
                spacing="1",
                width="100%",
            ),
            width="100%",
        ),
        key=a.form_key,
        data_testid="action",
        style={"width": "100%"},
    )


def objective_heading(g: Any) -> rx.Component:
    """An objective's title; for the counsellor, rename or remove it (its actions stay)."""
    S = BeneficiaryState
    return rx.vstack(
        rx.hstack(
            rx.heading(g.title, as_="h3", size="4", data_testid="objective-title"),
            rx.cond(g.goal, rx.badge(t("Métier visé"), color_scheme="teal", high_contrast=True)),
            align="center",
            wrap="wrap",
            spacing="2",
        ),
        rx.cond(
            ~S.closed,
            rx.el.details(
                rx.el.summary(
                    t("Renommer ou retirer l'objectif"),
                    style={"minHeight": "44px", "cursor": "pointer"},
                ),
                rx.el.form(
                    rx.el.input(type="hidden", name="objective", value=g.id),
                    rx.vstack(
                        text_field(
                            t("Intitulé de l'objectif"),
                            "objective_title",
                            "objectif-titre-" + g.id,
                            type="text",
                            max_length=200,
                            required=True,
                            default_value=g.title,
                        ),
                        rx.hstack(
                            rx.button(
                                t("Renommer"), type="submit", variant="outline", min_height="44px"
                            ),
                            rx.button(
                                t("Retirer l'objectif (ses actions restent)"),
                                type="button",
                                on_click=S.delete_objective(g.id),
                                variant="ghost",
                                color_scheme="red",
                                min_height="44px",
                            ),
                            wrap="wrap",
                            spacing="2",
                        ),
                        spacing="2",
                        width="100%",
                    ),
                    on_submit=S.rename_objective,
                    width="100%",
                ),
                style={"width": "100%"},
            ),
        ),
        spacing="1",
        width="100%",
    )


def objective_group(g: Any) -> rx.Component:
    return rx.el.li(
        rx.vstack(
            rx.cond(
                g.id != "",
                objective_heading(g),
                rx.heading(t("Sans objectif"), as_="h3", size="4"),
            ),
            rx.cond(
                g.actions.length() > 0,
                rx.el.ul(
                    rx.foreach(g.actions, action_row),
                    class_name="cp-plain-list",
                    style={"width": "100%"},
                ),
                small(t("Pas encore d'action pour cet objectif.")),
            ),
            spacing="2",
            width="100%",
        ),
        data_testid="objective",
        style={"width": "100%"},
    )


def action_plan_groups() -> rx.Component:
    """Objectives → actions, each action editable by the counsellor while the follow-up is
    open; overdue actions flagged."""
    S = BeneficiaryState
    return rx.cond(
        S.groups.length() > 0,
        rx.el.ul(
            rx.foreach(S.groups, objective_group),
            class_name="cp-plain-list",
            style={"width": "100%"},
        ),
        small(t("Aucune action pour l'instant.")),
    )


def objective_form() -> rx.Component:
    """A new objective: the person's goal role in one click, or a title of one's own."""
    S = BeneficiaryState
    return rx.vstack(
        rx.cond(
            S.goal_objective_missing,
            secondary_button(
                t("Ajouter l'objectif : {goal}", goal=S.goal),
                on_click=S.add_goal_objective,
                data_testid="add-goal-objective",
            ),
        ),
        rx.el.form(
            rx.vstack(
                text_field(
                    t("Nouvel objectif"),
                    "objective_title",
                    "champ-objectif",
                    type="text",
                    max_length=200,
                    required=True,
                ),
                secondary_button(t("Ajouter l'objectif"), type="submit"),
                spacing="2",
                width="100%",
            ),
            on_submit=S.add_objective,
            reset_on_submit=True,
            width="100%",
        ),
        rx.cond(S.objective_error != "", notice(S.objective_error, tone="alert")),
        spacing="3",
        width="100%",
    )


def team_panel() -> rx.Component:
    """Who followed the person when; a manager gives the follow-up to another counsellor
    of the structure (the only ones offered, and the only ones the service accepts)."""
    S = BeneficiaryState
    return rx.vstack(
        section_heading(t("Suivi par")),
        rx.el.ul(
            rx.foreach(
                S.history,
                lambda h: rx.el.li(
                    rx.text(
                        rx.el.strong(h.counsellor),
                        " — ",
                        h.period,
                        size="3",
                    ),
                    data_testid="history",
                ),
            ),
            class_name="cp-plain-list",
            style={"width": "100%"},
        ),
        rx.cond(
            S.may_reassign,
            rx.el.form(
                rx.vstack(
                    rx.box(
                        rx.el.label(
                            t("Confier le suivi à"),
                            html_for="champ-conseil",
                            class_name="cp-label",
                        ),
                        rx.el.select(
                            rx.foreach(
                                S.counsellor_choices, lambda c: rx.el.option(c[1], value=c[0])
                            ),
                            id="champ-conseil",
                            name="counsellor",
                            class_name="cp-input",
                        ),
                        width="100%",
                    ),
                    small(
                        t(
                            "Seul·es les conseiller·ères de votre structure sont proposé·es ; "
                            "la personne garde son plan et l'historique le dit."
                        )
                    ),
                    rx.cond(S.reassign_error != "", notice(S.reassign_error, tone="alert")),
                    rx.cond(
                        S.reassign_message != "",
                        notice(S.reassign_message, tone="success", data_testid="reassigned"),
                    ),
                    secondary_button(t("Réaffecter"), type="submit"),
                    spacing="2",
                    width="100%",
                ),
                on_submit=S.reassign,
                width="100%",
                data_testid="reassign-form",
            ),
        ),
        spacing="2",
        width="100%",
    )


def plan_item_row(item: Any) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            rx.text(item.title, " · ", item.hours, size="2"),
            rx.button(
                t("Ajouter au plan d'action"),
                on_click=BeneficiaryState.add_training(item.training),
                variant="outline",
                size="2",
                min_height="44px",
                data_testid="add-training",
            ),
            justify="between",
            align="center",
            width="100%",
            wrap="wrap",
        ),
        style={"width": "100%"},
        data_testid="plan-item",
    )


def action_form() -> rx.Component:
    S = BeneficiaryState
    return rx.el.form(
        rx.vstack(
            rx.box(
                rx.el.label(t("Type d'action"), html_for="champ-kind", class_name="cp-label"),
                rx.el.select(
                    rx.foreach(S.kinds, lambda k: rx.el.option(k[1], value=k[0])),
                    id="champ-kind",
                    name="kind",
                    class_name="cp-input",
                ),
                width="100%",
            ),
            text_field(
                t("Intitulé"), "title", "champ-title", type="text", max_length=200, required=True
            ),
            rx.hstack(
                text_field(t("Début (facultatif)"), "start", "champ-start", type="date"),
                text_field(t("Échéance (facultative)"), "due", "champ-due", type="date"),
                spacing="2",
                width="100%",
            ),
            rx.box(
                rx.el.label(t("Objectif"), html_for="champ-objective", class_name="cp-label"),
                rx.el.select(
                    *objective_options(S.objectives),
                    id="champ-objective",
                    name="objective",
                    class_name="cp-input",
                ),
                width="100%",
            ),
            rx.cond(S.action_error != "", notice(S.action_error, tone="alert")),
            secondary_button(t("Ajouter l'action"), type="submit"),
            spacing="3",
            width="100%",
        ),
        on_submit=S.add_action,
        reset_on_submit=True,
        width="100%",
    )


def close_form() -> rx.Component:
    S = BeneficiaryState
    return rx.el.details(
        rx.el.summary(
            t("Clore l'accompagnement"), style={"minHeight": "44px", "cursor": "pointer"}
        ),
        rx.el.form(
            rx.vstack(
                small(t("Un accompagnement clos ne se modifie plus ; le motif est gardé.")),
                rx.box(
                    rx.el.label(
                        t("Motif de clôture"), html_for="champ-reason", class_name="cp-label"
                    ),
                    rx.el.input(
                        id="champ-reason",
                        name="reason",
                        type="text",
                        max_length=300,
                        required=True,
                        class_name="cp-input",
                    ),
                    width="100%",
                ),
                rx.cond(S.close_error != "", notice(S.close_error, tone="alert")),
                secondary_button(t("Clore"), type="submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=S.close,
            reset_on_submit=True,
            width="100%",
        ),
        style={"width": "100%"},
    )


def beneficiary_content() -> rx.Component:
    S = BeneficiaryState
    return rx.cond(
        S.found,
        rx.vstack(
            rx.heading(S.label, as_="h2", size="6", data_testid="beneficiary-label"),
            rx.text(
                S.status,
                rx.cond(S.closed_reason != "", " — " + S.closed_reason, ""),
                size="3",
            ),
            rx.cond(S.error != "", notice(S.error, tone="alert")),
            rx.cond(
                S.sharing,
                rx.vstack(
                    rx.text(
                        t("Objectif : "),
                        rx.cond(S.goal != "", S.goal, t("pas encore choisi")),
                        size="3",
                    ),
                    section_heading(t("Bilans datés")),
                    rx.el.ul(
                        rx.foreach(S.snapshots, snapshot_row),
                        class_name="cp-plain-list",
                        style={"width": "100%"},
                    ),
                    update_panel(),
                    comparison_panel(),
                    exports_panel(),
                    section_heading(t("Plan d'action")),
                    action_plan_groups(),
                    rx.cond(
                        (S.plan_items.length() > 0) & ~S.closed,
                        rx.vstack(
                            rx.heading(t("Plan de formation vers l'objectif"), as_="h3", size="4"),
                            rx.el.ul(
                                rx.foreach(S.plan_items, plan_item_row),
                                class_name="cp-plain-list",
                                style={"width": "100%"},
                            ),
                            spacing="2",
                            width="100%",
                        ),
                    ),
                    rx.cond(
                        ~S.closed,
                        rx.vstack(
                            rx.heading(t("Compléter le plan d'action"), as_="h3", size="4"),
                            objective_form(),
                            action_form(),
                            width="100%",
                        ),
                    ),
                    section_heading(t("Notes privées")),
                    small(
                        t(
                            "Vos notes ne sont jamais montrées à la personne ; elles sont "
                            "effacées si elle arrête le partage."
                        )
                    ),
                    rx.el.ul(
                        rx.foreach(S.notes, comment_row),
                        class_name="cp-plain-list",
                        style={"width": "100%"},
                        data_testid="notes",
                    ),
                    rx.cond(
                        ~S.closed,
                        rx.el.form(
                            rx.vstack(
                                rx.box(
                                    rx.el.label(
                                        t("Nouvelle note (privée)"),
                                        html_for="champ-note",
                                        class_name="cp-label",
                                    ),
                                    rx.el.textarea(
                                        id="champ-note",
                                        name="note",
                                        max_length=2000,
                                        required=True,
                                        rows=3,
                                        class_name="cp-input",
                                    ),
                                    width="100%",
                                ),
                                rx.cond(S.note_error != "", notice(S.note_error, tone="alert")),
                                secondary_button(t("Enregistrer la note"), type="submit"),
                                spacing="3",
                                width="100%",
                            ),
                            on_submit=S.add_note,
                            reset_on_submit=True,
                            width="100%",
                        ),
                    ),
                    spacing="3",
                    width="100%",
                ),
                rx.vstack(
                    notice(
                        rx.cond(
                            S.closed,
                            t(
                                "La personne ne partage plus ses données : seuls le nom et le "
                                "motif de clôture sont gardés."
                            ),
                            t("La personne n'a pas encore accepté l'invitation."),
                        ),
                        data_testid="not-shared",
                    ),
                    rx.cond(
                        S.pending_code != "",
                        rx.vstack(
                            rx.text(t("Code de l'invitation : ") + S.pending_code, size="3"),
                            rx.image(
                                src=S.pending_qr,
                                alt=t("QR code de l'invitation"),
                                width="12rem",
                                height="12rem",
                            ),
                            spacing="2",
                        ),
                    ),
                    spacing="3",
                    width="100%",
                ),
            ),
            team_panel(),
            rx.cond(~S.closed, close_form()),
            link_button(t("Retour à mes bénéficiaires"), "/espace", primary=False),
            spacing="4",
            width="100%",
        ),
        rx.cond(S.error != "", notice(S.error, tone="alert"), loading()),
    )


@rx.page(
    route="/espace/beneficiaire/[id]",
    title=page_title("Bénéficiaire — careerpath"),
    on_load=[BeneficiaryState.load, TimelineState.load],
)
def beneficiary_page() -> rx.Component:
    return page_frame(
        page_heading(t("Suivi d'un·e bénéficiaire")),
        access_gate(BeneficiaryState, beneficiary_content()),
    )


# -- /invitation/[code] (the person's phone) ----------------------------------------------


@rx.page(
    route="/invitation/[code]",
    title=page_title("Invitation à partager votre bilan — careerpath"),
    on_load=InvitationState.load,
)
def invitation_page() -> rx.Component:
    S = InvitationState
    return page_frame(
        page_heading(t("Partager votre bilan")),
        rx.cond(
            S.loaded,
            rx.vstack(
                rx.cond(S.error != "", notice(S.error, tone="alert", data_testid="invite-error")),
                rx.cond(
                    S.valid,
                    rx.vstack(
                        rx.text(
                            t(
                                "{who}, de {where}, vous propose de suivre votre parcours "
                                "avec careerpath.",
                                who=S.counsellor,
                                where=S.structure,
                            ),
                            size="4",
                            data_testid="invite-who",
                        ),
                        rx.text(t(SHARED_WHAT), size="3"),
                        rx.text(t(SHARED_HOW_LONG), size="3"),
                        small(
                            t(
                                "Les notes privées du ou de la conseiller·ère ne vous sont pas "
                                "montrées. Invitation valable jusqu'au {date}.",
                                date=S.expires,
                            )
                        ),
                        rx.cond(
                            S.has_assessment,
                            rx.vstack(
                                primary_button(
                                    t("Accepter et partager"),
                                    on_click=S.accept,
                                    data_testid="accept",
                                ),
                                secondary_button(
                                    t("Refuser"), on_click=S.refuse, data_testid="refuse"
                                ),
                                spacing="3",
                                width="100%",
                            ),
                            rx.vstack(
                                notice(
                                    t(
                                        "Faites d'abord votre bilan sur cet appareil : c'est "
                                        "lui que vous partagerez. Revenez ensuite à ce lien."
                                    )
                                ),
                                link_button(t("Faire mon bilan"), "/bilan"),
                                secondary_button(t("Refuser"), on_click=S.refuse),
                                spacing="3",
                                width="100%",
                            ),
                        ),
                        spacing="4",
                        width="100%",
                    ),
                ),
                rx.cond(
                    S.answer == "accepted",
                    rx.vstack(
                        notice(
                            t(
                                "C'est partagé. Vous pouvez arrêter le partage à tout moment "
                                "depuis « Mon suivi »."
                            ),
                            tone="success",
                            data_testid="accepted",
                        ),
                        link_button(t("Mon suivi"), "/mon-suivi"),
                        spacing="3",
                        width="100%",
                    ),
                ),
                rx.cond(
                    S.answer == "refused",
                    notice(
                        t("Vous avez refusé : rien n'est partagé."),
                        tone="success",
                        data_testid="refused",
                    ),
                ),
                spacing="4",
                width="100%",
            ),
            loading(),
        ),
    )


# -- /mon-suivi (the person's phone) ------------------------------------------------------


def my_action_row(a: Any, share_id: Any) -> rx.Component:
    S = MySharingState
    ident = "statut-" + a.id.to(str)
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.text(a.title, weight="medium"),
                small(a.kind, " · ", a.author, data_testid="my-action-author"),
                rx.cond(
                    (a.start != "") | (a.due != ""),
                    small(
                        a.start,
                        rx.cond((a.start != "") & (a.due != ""), " · ", ""),
                        a.due,
                        data_testid="my-action-dates",
                    ),
                ),
                rx.cond(a.objective != "", small(t("Objectif : ") + a.objective)),
                rx.cond(
                    a.overdue,
                    rx.badge(
                        t("En retard"),
                        color_scheme="red",
                        high_contrast=True,
                        data_testid="my-overdue",
                    ),
                ),
                rx.cond(~a.editable, rx.badge(a.status, color_scheme="gray", high_contrast=True)),
                rx.box(
                    rx.el.label(t("Où en êtes-vous ?"), html_for=ident, class_name="cp-label"),
                    rx.el.select(
                        *[rx.el.option(t(label), value=code) for code, label in STATUS_CHOICES],
                        id=ident,
                        value=a.status_code,
                        on_change=lambda value: S.set_action_status(share_id, a.id, value),
                        class_name="cp-input",
                        data_testid="my-action-status",
                    ),
                    width="100%",
                    display=rx.cond(a.editable, "block", "none"),
                ),
                rx.el.ul(
                    rx.foreach(a.comments, comment_row),
                    class_name="cp-plain-list",
                    style={"width": "100%"},
                ),
                rx.el.form(
                    rx.el.input(type="hidden", name="share", value=share_id),
                    rx.el.input(type="hidden", name="action", value=a.id.to(str)),
                    rx.el.label(
                        t("Un commentaire pour votre conseiller·ère"),
                        html_for="commentaire-" + a.id.to(str),
                        class_name="cp-label",
                    ),
                    rx.el.textarea(
                        id="commentaire-" + a.id.to(str),
                        name="text",
                        max_length=2000,
                        required=True,
                        rows=2,
                        class_name="cp-input",
                    ),
                    rx.button(
                        t("Envoyer le commentaire"),
                        type="submit",
                        variant="outline",
                        min_height="44px",
                        margin_top="0.5rem",
                    ),
                    on_submit=S.comment,
                    reset_on_submit=True,
                    width="100%",
                    display=rx.cond(a.editable, "block", "none"),
                ),
                spacing="2",
                width="100%",
            ),
            width="100%",
        ),
        data_testid="my-action",
    )


def my_new_action_form(share: Any) -> rx.Component:
    """The person adds an action of their own (the counsellor sees « ajoutée par la
    personne »)."""
    S = MySharingState
    ident = share.id
    return rx.el.details(
        rx.el.summary(
            t("Ajouter une action de mon côté"),
            style={"minHeight": "44px", "cursor": "pointer"},
            data_testid="my-add-action",
        ),
        rx.el.form(
            rx.el.input(type="hidden", name="share", value=share.id),
            rx.vstack(
                rx.box(
                    rx.el.label(
                        t("Type d'action"), html_for="type-" + ident, class_name="cp-label"
                    ),
                    rx.el.select(
                        rx.foreach(S.kinds, lambda k: rx.el.option(k[1], value=k[0])),
                        id="type-" + ident,
                        name="kind",
                        class_name="cp-input",
                    ),
                    width="100%",
                ),
                text_field(
                    t("Intitulé"),
                    "title",
                    "intitule-" + ident,
                    type="text",
                    max_length=200,
                    required=True,
                ),
                text_field(t("Début (facultatif)"), "start", "debut-" + ident, type="date"),
                text_field(t("Échéance (facultative)"), "due", "echeance-" + ident, type="date"),
                rx.cond(
                    share.objectives.length() > 0,
                    rx.box(
                        rx.el.label(
                            t("Objectif"), html_for="objectif-" + ident, class_name="cp-label"
                        ),
                        rx.el.select(
                            *objective_options(share.objectives),
                            id="objectif-" + ident,
                            name="objective",
                            class_name="cp-input",
                        ),
                        width="100%",
                    ),
                ),
                rx.cond(S.add_error != "", notice(S.add_error, tone="alert")),
                secondary_button(t("Ajouter l'action"), type="submit"),
                spacing="2",
                width="100%",
            ),
            on_submit=S.add_action,
            # A new key after each added action empties the form; a refusal keeps what the
            # person typed (reset_on_submit would erase it).
            key=ident + "-" + S.add_form_key.to_string(),
            width="100%",
        ),
        style={"width": "100%"},
    )


def share_card(share: Any) -> rx.Component:
    S = MySharingState
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.text(
                    t(
                        "Partagé avec {who} ({where}) depuis le {date}.",
                        who=share.counsellor,
                        where=share.structure,
                        date=share.since,
                    ),
                    size="3",
                    data_testid="share-with",
                ),
                small(
                    t(
                        "Ce qui est partagé : votre bilan de compétences de cet appareil et ses "
                        "mises à jour, votre objectif et votre plan de formation, le plan "
                        "d'action construit ensemble."
                    )
                ),
                rx.cond(
                    share.update_requested != "",
                    notice(share.update_requested, data_testid="update-asked"),
                ),
                rx.cond(
                    share.open,
                    rx.vstack(
                        rx.box(
                            link_button(
                                t("Mettre à jour mon bilan"), "/bilan/etape/1", primary=False
                            ),
                            data_testid="update-my-bilan",
                        ),
                        small(
                            t(
                                "Chaque jour où vous modifiez votre bilan, votre conseiller·ère "
                                "en reçoit une version datée ; les versions précédentes restent "
                                "telles qu'elles étaient."
                            )
                        ),
                        spacing="1",
                        width="100%",
                    ),
                ),
                rx.cond(
                    share.actions.length() > 0,
                    rx.vstack(
                        rx.heading(t("Votre plan d'action"), as_="h3", size="4"),
                        rx.el.ul(
                            rx.foreach(share.actions, lambda a: my_action_row(a, share.id)),
                            class_name="cp-plain-list",
                            style={"width": "100%"},
                        ),
                        spacing="2",
                        width="100%",
                    ),
                ),
                rx.cond(share.open, my_new_action_form(share)),
                rx.cond(
                    ~share.open,
                    small(
                        t("Cet accompagnement est clos : son plan se lit, il ne se modifie plus.")
                    ),
                ),
                rx.cond(
                    S.confirming == share.id,
                    rx.vstack(
                        rx.text(
                            t(
                                "Votre conseiller·ère ne verra plus votre bilan ni votre plan ; "
                                "il ou elle ne garde que le nom saisi et le motif de clôture."
                            ),
                            size="3",
                        ),
                        primary_button(
                            t("Oui, arrêter le partage"),
                            on_click=S.stop(share.id),
                            color_scheme="red",
                            data_testid="confirm-stop",
                        ),
                        secondary_button(t("Annuler"), on_click=S.cancel_stop),
                        spacing="2",
                        width="100%",
                    ),
                    secondary_button(
                        t("Arrêter le partage"),
                        on_click=S.ask_stop(share.id),
                        data_testid="stop-sharing",
                    ),
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
        ),
        data_testid="share",
    )


@rx.page(
    route="/mon-suivi",
    title=page_title("Mon suivi — careerpath"),
    on_load=MySharingState.load,
)
def my_follow_up_page() -> rx.Component:
    S = MySharingState
    return page_frame(
        page_heading(t("Mon suivi")),
        rx.cond(
            S.loaded,
            rx.vstack(
                rx.cond(S.error != "", notice(S.error, tone="alert")),
                rx.cond(S.message != "", notice(S.message, tone="success", data_testid="stopped")),
                rx.cond(
                    S.shares.length() > 0,
                    rx.el.ul(
                        rx.foreach(S.shares, share_card),
                        class_name="cp-plain-list",
                        style={"width": "100%"},
                    ),
                    rx.text(
                        t(
                            "Cet appareil ne partage votre bilan avec personne. Si un·e "
                            "conseiller·ère vous a donné un lien ou un QR code, ouvrez-le sur cet "
                            "appareil."
                        ),
                        size="3",
                        data_testid="nothing-shared",
                    ),
                ),
                spacing="4",
                width="100%",
            ),
            loading(),
        ),
    )
