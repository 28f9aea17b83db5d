"""/groupes (the organiser: groups, anonymous figures, the shared plan, the CSV export) and
/g/[code] (a member joins on a phone, answers, leaves)."""

from __future__ import annotations

import reflex as rx

from careerpath.ui.components.access import access_gate
from careerpath.ui.components.layout import page_frame
from careerpath.ui.components.widgets import (
    link_button,
    notice,
    page_heading,
    primary_button,
    secondary_button,
    section_heading,
)
from careerpath.ui.i18n import page_title, t
from careerpath.ui.states.collective import (
    ActionItem,
    FigureRow,
    GroupItem,
    JoinState,
    NeedItem,
    OrganiserState,
)


def _messages(state: type[OrganiserState] | type[JoinState]) -> rx.Component:
    return rx.fragment(
        rx.cond(state.message != "", notice(state.message, tone="success")),
        rx.cond(state.error != "", notice(state.error, tone="alert")),
    )


def _kind_select() -> rx.Component:
    return rx.el.select(
        rx.el.option(t("Service"), value="service"),
        rx.el.option(t("Équipe"), value="equipe"),
        rx.el.option(t("Promotion"), value="promotion"),
        rx.el.option(t("Club ou réseau"), value="club"),
        id="kind",
        name="kind",
        class_name="cp-input",
    )


def _create_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            section_heading(t("Créer un groupe")),
            rx.el.label(t("Nom du groupe"), html_for="name", class_name="cp-label"),
            rx.el.input(id="name", name="name", max_length=120, class_name="cp-input"),
            rx.el.label(t("Type"), html_for="kind", class_name="cp-label"),
            _kind_select(),
            rx.el.label(
                t("Sous-groupes (facultatif, séparés par des virgules)"),
                html_for="subgroups",
                class_name="cp-label",
            ),
            rx.el.input(id="subgroups", name="subgroups", class_name="cp-input"),
            primary_button(t("Créer le groupe"), type="submit"),
            spacing="2",
            width="100%",
            align="stretch",
        ),
        on_submit=OrganiserState.create,
        reset_on_submit=True,
        width="100%",
    )


def _group_button(item: rx.Var[GroupItem]) -> rx.Component:
    return rx.button(
        rx.text(item.name, " · ", item.kind_name, " · ", item.code),
        variant="outline",
        on_click=OrganiserState.open(item.id),
        width="100%",
    )


def _figure_row(row: rx.Var[FigureRow]) -> rx.Component:
    weight = rx.cond(row.category, "bold", "normal")
    return rx.table.row(
        rx.table.cell(rx.text(row.label, weight=weight)),
        rx.table.cell(row.today),
        rx.table.cell(row.tomorrow),
        rx.table.cell(row.gap),
    )


def _action_row(action: rx.Var[ActionItem]) -> rx.Component:
    return rx.hstack(
        rx.text(action.title, " (", action.kind, ") ", action.due, " — ", action.status),
        rx.cond(
            action.done,
            rx.fragment(),
            rx.button(
                t("Fait"), size="1", variant="soft", on_click=OrganiserState.mark_done(action.id)
            ),
        ),
        width="100%",
        justify="between",
    )


def _plan() -> rx.Component:
    return rx.vstack(
        section_heading(t("Plan d'action du groupe")),
        rx.foreach(OrganiserState.actions, _action_row),
        rx.form(
            rx.vstack(
                rx.el.label(t("Nouvelle action"), html_for="title", class_name="cp-label"),
                rx.el.input(id="title", name="title", max_length=200, class_name="cp-input"),
                rx.el.select(
                    rx.el.option(t("Professionnalisation"), value="training"),
                    rx.el.option(
                        t("Parcours d'accueil des nouvelles et nouveaux"), value="onboarding"
                    ),
                    rx.el.option(t("Rencontre du club ou du réseau"), value="meeting"),
                    rx.el.option(t("Autre"), value="free"),
                    name="kind",
                    aria_label=t("Type d'action"),
                    class_name="cp-input",
                ),
                rx.el.label(t("Échéance"), html_for="due", class_name="cp-label"),
                rx.el.input(id="due", name="due", type="date", class_name="cp-input"),
                secondary_button(t("Ajouter l'action"), type="submit"),
                spacing="2",
                width="100%",
                align="stretch",
            ),
            on_submit=OrganiserState.add_action,
            reset_on_submit=True,
            width="100%",
        ),
        width="100%",
        align="stretch",
    )


def _group_detail() -> rx.Component:
    return rx.vstack(
        section_heading(OrganiserState.name),
        rx.text(t("Code à partager : "), rx.el.strong(OrganiserState.shown_code)),
        rx.link(OrganiserState.link, href=OrganiserState.link),
        rx.image(src=OrganiserState.qr, alt=t("QR code du groupe"), width="12rem"),
        rx.text(
            t("Assistant·es : "),
            OrganiserState.assistants,
            t(" · Personnes pour qui elles et ils travaillent : "),
            OrganiserState.managers,
            data_testid="group-counts",
        ),
        rx.cond(OrganiserState.note != "", notice(OrganiserState.note)),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(t("Compétence")),
                    rx.table.column_header_cell(t("Niveau aujourd'hui")),
                    rx.table.column_header_cell(t("Niveau attendu demain")),
                    rx.table.column_header_cell(t("Écart collectif")),
                )
            ),
            rx.table.body(rx.foreach(OrganiserState.rows, _figure_row)),
            width="100%",
        ),
        rx.cond(
            OrganiserState.strengths.length() > 0,
            rx.vstack(
                section_heading(OrganiserState.strengths_title),
                rx.foreach(OrganiserState.strengths, rx.text),
            ),
        ),
        rx.cond(
            OrganiserState.rising.length() > 0,
            rx.vstack(
                section_heading(t("Besoins en hausse")),
                rx.foreach(OrganiserState.rising, rx.text),
            ),
        ),
        rx.cond(
            OrganiserState.bridges.length() > 0,
            rx.vstack(
                section_heading(t("Passerelles (membres prêt·es maintenant)")),
                rx.foreach(OrganiserState.bridges, rx.text),
            ),
        ),
        secondary_button(t("Exporter en CSV"), on_click=OrganiserState.download_csv),
        _plan(),
        width="100%",
        align="stretch",
        spacing="3",
    )


@rx.page(
    route="/groupes",
    title=page_title("Diagnostic collectif — careerpath"),
    on_load=OrganiserState.load,
)
def organiser_page() -> rx.Component:
    return page_frame(
        page_heading(t("Diagnostic collectif")),
        access_gate(
            OrganiserState,
            rx.vstack(
                rx.text(
                    t(
                        "Les assistant·es disent leur niveau d'aujourd'hui, les personnes pour "
                        "qui elles et ils travaillent le niveau attendu demain, sur les mêmes "
                        "compétences. Aucun chiffre n'est montré s'il vient de trop peu de personnes "
                        "(5 au moins par défaut)."
                    )
                ),
                _messages(OrganiserState),
                rx.foreach(OrganiserState.groups, _group_button),
                rx.cond(OrganiserState.selected != "", _group_detail()),
                _create_form(),
                width="100%",
                align="stretch",
                spacing="3",
            ),
        ),
    )


def _need_field(item: rx.Var[NeedItem]) -> rx.Component:
    return rx.vstack(
        rx.el.label(item.label, html_for=item.code, class_name="cp-label"),
        rx.el.select(
            rx.el.option(t("Sans réponse"), value=""),
            rx.el.option(t("0 · Pas encore"), value="0"),
            rx.el.option(t("1 · Notions"), value="1"),
            rx.el.option(t("2 · Application"), value="2"),
            rx.el.option(t("3 · Maîtrise"), value="3"),
            rx.el.option(t("4 · Expertise"), value="4"),
            id=item.code,
            name=item.code,
            class_name="cp-input",
        ),
        width="100%",
        align="stretch",
        spacing="1",
    )


def _join_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.el.fieldset(
                rx.el.legend(t("Vous êtes")),
                rx.el.label(
                    rx.el.input(
                        type="radio", name="panel", value="assistant", default_checked=True
                    ),
                    t(" assistant·e : je dis mon niveau aujourd'hui"),
                ),
                rx.el.label(
                    rx.el.input(type="radio", name="panel", value="manager"),
                    t(
                        " une personne pour qui les assistant·es travaillent : je dis le niveau attendu demain"
                    ),
                ),
            ),
            rx.el.fieldset(
                rx.el.legend(t("Pour les assistant·es")),
                rx.el.label(
                    rx.el.input(
                        type="radio", name="assessment", value="current", default_checked=True
                    ),
                    t(" mon bilan sur cet appareil"),
                ),
                rx.el.label(
                    rx.el.input(type="radio", name="assessment", value="new"),
                    t(" un nouveau bilan pour ce groupe"),
                ),
            ),
            rx.cond(
                JoinState.subgroups.length() > 0,
                rx.el.select(
                    rx.el.option(t("Sous-groupe (facultatif)"), value=""),
                    rx.foreach(JoinState.subgroups, lambda s: rx.el.option(s, value=s)),
                    name="subgroup",
                    aria_label=t("Sous-groupe"),
                    class_name="cp-input",
                ),
            ),
            primary_button(t("Rejoindre le groupe"), type="submit"),
            spacing="3",
            width="100%",
            align="stretch",
        ),
        on_submit=JoinState.join,
        width="100%",
    )


def _member_view() -> rx.Component:
    return rx.vstack(
        rx.cond(
            JoinState.panel == "manager",
            rx.form(
                rx.vstack(
                    rx.text(t("Pour chaque compétence : le niveau dont vous aurez besoin demain.")),
                    rx.foreach(JoinState.needs, _need_field),
                    primary_button(t("Enregistrer mes réponses"), type="submit"),
                    spacing="3",
                    width="100%",
                    align="stretch",
                ),
                on_submit=JoinState.save_needs,
                width="100%",
            ),
            rx.vstack(
                rx.text(t("Vos réponses comptent dans les chiffres anonymes du groupe.")),
                link_button(t("Compléter mon bilan"), "/bilan"),
                width="100%",
                align="stretch",
            ),
        ),
        secondary_button(t("Quitter le groupe"), on_click=JoinState.leave),
        width="100%",
        align="stretch",
        spacing="3",
    )


@rx.page(
    route="/g/[code]",
    title=page_title("Rejoindre un groupe — careerpath"),
    on_load=JoinState.load,
)
def join_page() -> rx.Component:
    return page_frame(
        page_heading(t("Rejoindre un groupe")),
        _messages(JoinState),
        rx.cond(
            JoinState.name != "",
            rx.vstack(
                rx.text(
                    rx.el.strong(JoinState.name),
                    " — ",
                    JoinState.organiser,
                    rx.cond(JoinState.structure != "", rx.text.span(", ", JoinState.structure)),
                ),
                rx.text(
                    t(
                        "Personne ne voit vos réponses : le groupe ne voit que des chiffres de "
                        "plusieurs personnes (5 au moins par défaut). Vous pouvez quitter le "
                        "groupe à tout moment."
                    )
                ),
                rx.cond(JoinState.member, _member_view(), _join_form()),
                width="100%",
                align="stretch",
                spacing="3",
            ),
        ),
    )
