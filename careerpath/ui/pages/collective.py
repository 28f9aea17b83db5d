"""/groupes (the organiser: groups, anonymous figures, the shared plan, the CSV export) and
/g/[code] (a member joins on a phone, answers, leaves)."""

from __future__ import annotations

from typing import Any

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
    ChartBlock,
    CompareRow,
    FigureRow,
    GroupItem,
    JoinState,
    NeedItem,
    OrganiserState,
    TrainingItem,
)

TODAY_COLOUR = "#0d7377"
TOMORROW_COLOUR = "#c47814"


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


def _chart(block: rx.Var[ChartBlock]) -> rx.Component:
    """One category: the share of answers at each level, today (assistants) and tomorrow
    (the people they work for)."""
    return rx.vstack(
        rx.text(block.category, weight="bold"),
        rx.recharts.bar_chart(
            rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
            rx.recharts.x_axis(data_key="level", font_size=11),
            rx.recharts.y_axis(unit="%", width=44, font_size=11),
            rx.recharts.bar(data_key="today", name=t("Niveau aujourd'hui"), fill=TODAY_COLOUR),
            rx.recharts.bar(
                data_key="tomorrow", name=t("Niveau attendu demain"), fill=TOMORROW_COLOUR
            ),
            rx.recharts.legend(),
            data=block.points.to(list[dict[str, Any]]),
            width="100%",
            height=220,
        ),
        width="100%",
        align="stretch",
        spacing="1",
        class_name="cp-chart",
    )


def _compare_row(row: rx.Var[CompareRow]) -> rx.Component:
    weight = rx.cond(row.category, "normal", "bold")
    return rx.table.row(
        rx.table.cell(rx.text(row.label, weight=weight)),
        rx.table.cell(row.earlier),
        rx.table.cell(row.later),
    )


def _compare() -> rx.Component:
    return rx.vstack(
        section_heading(t("Comparer deux dates")),
        rx.text(
            t(
                "Les chiffres d'une date sont ceux publiés ce jour-là ou avant : deux dates "
                "ne montrent jamais ce qu'un petit nombre de personnes a changé."
            ),
            size="2",
        ),
        rx.cond(
            OrganiserState.dates.length() > 0,
            rx.text(
                t("Publications : "),
                rx.foreach(OrganiserState.dates, lambda d: rx.text.span(d, " ")),
                size="2",
                data_testid="published-dates",
            ),
        ),
        rx.form(
            rx.hstack(
                rx.vstack(
                    rx.el.label(t("Première date"), html_for="earlier", class_name="cp-label"),
                    rx.el.input(id="earlier", name="earlier", type="date", class_name="cp-input"),
                    spacing="1",
                ),
                rx.vstack(
                    rx.el.label(t("Seconde date"), html_for="later", class_name="cp-label"),
                    rx.el.input(id="later", name="later", type="date", class_name="cp-input"),
                    spacing="1",
                ),
                secondary_button(t("Comparer"), type="submit"),
                wrap="wrap",
                align="end",
                spacing="3",
            ),
            on_submit=OrganiserState.compare,
            width="100%",
        ),
        rx.cond(
            OrganiserState.compare_rows.length() > 0,
            rx.vstack(
                rx.text(OrganiserState.compare_title, weight="bold"),
                rx.table.root(
                    rx.table.body(rx.foreach(OrganiserState.compare_rows, _compare_row)),
                    width="100%",
                    data_testid="comparison",
                ),
                width="100%",
                align="stretch",
            ),
        ),
        width="100%",
        align="stretch",
        spacing="2",
    )


def _training_row(item: rx.Var[TrainingItem]) -> rx.Component:
    return rx.hstack(
        rx.text(item.title, " — ", item.members),
        rx.button(
            t("Ajouter au plan"),
            size="1",
            variant="soft",
            on_click=OrganiserState.add_training(item.title),
        ),
        width="100%",
        justify="between",
        wrap="wrap",
    )


def _scope_select() -> rx.Component:
    return rx.cond(
        OrganiserState.subgroups.length() > 0,
        rx.vstack(
            rx.el.label(t("Voir"), html_for="scope", class_name="cp-label"),
            rx.el.select(
                rx.el.option(t("Tout le groupe"), value=""),
                rx.foreach(OrganiserState.subgroups, lambda s: rx.el.option(s, value=s)),
                id="scope",
                value=OrganiserState.scope,
                on_change=OrganiserState.choose_scope,
                class_name="cp-input",
            ),
            width="100%",
            align="stretch",
            spacing="1",
        ),
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
        rx.text(
            t(
                "Ne répondez pas à la place des membres : les appareils sur lesquels vous "
                "ouvrez ce groupe ne comptent dans aucun chiffre, et l'anonymat suppose que "
                "chaque réponse vient d'une personne différente."
            ),
            size="2",
        ),
        _scope_select(),
        rx.cond(OrganiserState.published != "", rx.text(OrganiserState.published, size="2")),
        rx.cond(OrganiserState.note != "", notice(OrganiserState.note)),
        rx.cond(
            OrganiserState.charts.length() > 0,
            rx.vstack(
                rx.foreach(OrganiserState.charts, _chart),
                spacing="4",
                width="100%",
                align="stretch",
                data_testid="group-charts",
            ),
        ),
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
        rx.cond(
            OrganiserState.onboarding.length() > 0,
            rx.vstack(
                section_heading(
                    t(
                        "Parcours d'accueil : ce qu'une nouvelle ou un nouveau doit atteindre d'abord"
                    )
                ),
                rx.foreach(OrganiserState.onboarding, rx.text),
                secondary_button(
                    t("Ajouter au plan comme parcours d'accueil"),
                    on_click=OrganiserState.add_onboarding,
                ),
                align="stretch",
            ),
        ),
        rx.cond(
            OrganiserState.trainings.length() > 0,
            rx.vstack(
                section_heading(t("Les formations que partagent les plans des membres")),
                rx.foreach(OrganiserState.trainings, _training_row),
                align="stretch",
            ),
        ),
        rx.cond(
            OrganiserState.shared.length() > 0,
            rx.vstack(
                section_heading(t("Ce que des membres ont accepté de partager")),
                rx.foreach(OrganiserState.shared, lambda x: rx.el.blockquote(x)),
                align="stretch",
            ),
        ),
        _compare(),
        rx.hstack(
            secondary_button(t("Exporter en CSV"), on_click=OrganiserState.download_csv),
            secondary_button(t("Exporter la synthèse (PDF)"), on_click=OrganiserState.download_pdf),
            wrap="wrap",
            spacing="3",
        ),
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
                        "(5 au moins par défaut), et les chiffres ne changent que lorsqu'au moins "
                        "autant de réponses ont changé."
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
    """One competency of the step: its level tomorrow, saved as soon as it is chosen."""
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
            default_value=item.level,
            on_change=lambda value: JoinState.rate_need(item.code, value),
            class_name="cp-input",
            key=item.code + "-" + JoinState.version.to(str),
        ),
        width="100%",
        align="stretch",
        spacing="1",
    )


def _needs_steps() -> rx.Component:
    """The people assistants work for: one category per step, answers saved as they go,
    « Précédent » / « Suivant » within thumb's reach at the bottom of the screen."""
    last = JoinState.step + 1 >= JoinState.steps
    return rx.form(
        rx.vstack(
            rx.text(
                t(
                    "Catégorie {n} sur {total}",
                    n=JoinState.step + 1,
                    total=JoinState.steps,
                ),
                size="2",
                weight="medium",
                data_testid="needs-progress",
            ),
            rx.el.progress(
                value=JoinState.step + 1,
                max=JoinState.steps,
                aria_label=t("Progression"),
                width="100%",
            ),
            rx.heading(JoinState.category, as_="h2", size="5"),
            rx.text(
                t(
                    "Pour chaque compétence : le niveau dont vous aurez besoin demain. Chaque "
                    "réponse est enregistrée dès que vous la choisissez ; vous pouvez vous "
                    "arrêter et reprendre plus tard."
                ),
                size="2",
            ),
            rx.text(
                t(
                    "Réponses dans cette catégorie : {n} sur {total}",
                    n=JoinState.step_answered,
                    total=JoinState.needs.length(),
                ),
                size="2",
                color_scheme="gray",
                high_contrast=True,
            ),
            rx.foreach(JoinState.needs, _need_field),
            rx.flex(
                rx.box(
                    secondary_button(
                        t("Précédent"),
                        type="button",
                        on_click=JoinState.previous_needs,
                        disabled=JoinState.step == 0,
                    ),
                    flex="1",
                ),
                rx.box(
                    rx.button(
                        rx.cond(last, t("Terminer"), t("Suivant")),
                        type="submit",
                        size="3",
                        min_height="2.75rem",
                        width="100%",
                    ),
                    flex="1",
                ),
                gap="3",
                width="100%",
                position="sticky",
                bottom="0",
                padding_y="0.5rem",
                background_color="var(--color-background)",
            ),
            spacing="3",
            width="100%",
            align="stretch",
        ),
        on_submit=JoinState.next_needs,
        width="100%",
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


def _share_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.el.label(
                t("Un mot pour le groupe (facultatif) : une idée, un besoin"),
                html_for="shared",
                class_name="cp-label",
            ),
            rx.el.textarea(
                id="shared",
                name="shared",
                max_length=1000,
                default_value=JoinState.shared,
                rows=3,
                class_name="cp-input",
            ),
            rx.el.label(
                rx.el.input(
                    type="checkbox", name="consent", default_checked=JoinState.shared != ""
                ),
                t(
                    " J'accepte que ce texte soit montré tel quel, sans mon nom, à qui organise "
                    "le groupe ; je peux le retirer en vidant le texte."
                ),
            ),
            secondary_button(t("Partager ce texte"), type="submit"),
            spacing="2",
            width="100%",
            align="stretch",
        ),
        on_submit=JoinState.share,
        width="100%",
    )


def _member_view() -> rx.Component:
    return rx.vstack(
        rx.cond(
            JoinState.panel == "manager",
            _needs_steps(),
            rx.vstack(
                rx.text(t("Vos réponses comptent dans les chiffres anonymes du groupe.")),
                link_button(t("Compléter mon bilan"), "/bilan"),
                width="100%",
                align="stretch",
            ),
        ),
        _share_form(),
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
                        "Ce que voit le groupe : la personne qui l'organise et les responsables "
                        "de sa structure voient des chiffres calculés sur au moins {k} "
                        "personnes de votre panel, par exemple « 3 personnes au niveau 2 » — "
                        "jamais vos réponses une à une ni votre nom. Si tout le panel donne la "
                        "même réponse, cela se voit. Ces chiffres ne changent que lorsqu'au "
                        "moins {k} réponses ont changé, ou disparaissent si le panel passe sous "
                        "{k} personnes.",
                        k=JoinState.k,
                    )
                ),
                rx.text(
                    t(
                        "Vos réponses sont enregistrées sur le serveur de careerpath. Un "
                        "appareil ne compte qu'une fois, et ceux sur lesquels la personne qui "
                        "organise a ouvert le groupe ne comptent pas. Vous pouvez quitter le groupe à tout "
                        "moment : vous ne comptez plus dans les chiffres publiés ensuite ; "
                        "ceux déjà publiés restent."
                    ),
                    size="2",
                ),
                rx.cond(JoinState.member, _member_view(), _join_form()),
                width="100%",
                align="stretch",
                spacing="3",
            ),
        ),
    )
