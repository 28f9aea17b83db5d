"""/profil, /metiers and /metier/[code]: what the person masters and where it can lead."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import Var

from careerpath.ui.components.goal import goal_picker
from careerpath.ui.components.keep import keep_section, levels_table, strengths_list
from careerpath.ui.components.layout import page_frame
from careerpath.ui.components.widgets import (
    link_button,
    loading,
    missing_assessment,
    not_found,
    notice,
    page_heading,
    primary_button,
    role_summary,
    score_bar,
    secondary_button,
    section_heading,
    self_declared_note,
)
from careerpath.ui.i18n import page_title, t
from careerpath.ui.states.keep import KeepState
from careerpath.ui.states.results import ProfileState, RolesState, RoleState

# -- /profil ------------------------------------------------------------------------------


def growth_item(item: Var[Any]) -> rx.Component:
    return rx.el.li(
        rx.vstack(
            rx.text(item.label.to(str), weight="bold", size="3"),
            rx.text(
                t("Vous : ") + item.has_name.to(str) + t(" · attendu : ") + item.needs_name.to(str),
                size="2",
            ),
            rx.text(
                t("Utile pour : ") + item.roles.to(list[str]).join(", "),
                size="2",
                color_scheme="gray",
                high_contrast=True,
            ),
            spacing="1",
        )
    )


def value_theme(theme: Var[Any]) -> rx.Component:
    return rx.el.li(
        rx.text(theme.title.to(str), weight="bold", size="3"),
        rx.foreach(theme.sentences.to(list[str]), lambda s: rx.text(s, size="3")),
    )


def value_section() -> rx.Component:
    """« Ma valeur en mots »: sentences to reuse in a CV, a review or a salary talk."""
    return rx.el.section(
        rx.vstack(
            section_heading(t("Ma valeur en mots")),
            rx.cond(
                ProfileState.value_themes.length() > 0,
                rx.vstack(
                    rx.text(ProfileState.value_intro, size="3"),
                    rx.el.ul(
                        rx.foreach(ProfileState.value_themes, value_theme),
                        class_name="cp-plain-list",
                    ),
                    rx.text(
                        ProfileState.value_note, size="2", color_scheme="gray", high_contrast=True
                    ),
                    rx.button(
                        t("Copier le texte"),
                        variant="outline",
                        size="3",
                        min_height="2.75rem",
                        width="100%",
                        on_click=ProfileState.copy_value,
                    ),
                    rx.el.div(
                        rx.cond(
                            ProfileState.copied,
                            rx.text(
                                t("Texte copié : collez-le où vous voulez."),
                                size="2",
                                weight="medium",
                            ),
                        ),
                        role="status",
                    ),
                    spacing="3",
                    width="100%",
                    align="stretch",
                ),
                rx.text(
                    t("Notez au moins une compétence « Application » pour obtenir ce texte."),
                    size="3",
                ),
            ),
            spacing="3",
            width="100%",
            align="stretch",
        ),
        width="100%",
    )


def refine_link(category: Var[Any]) -> rx.Component:
    return rx.el.li(
        rx.link(
            category.category.to(str) + " (" + category.unanswered.to(str) + t(" sans réponse)"),
            href="/bilan/etape/" + category.step.to(str),
            size="3",
            class_name="cp-tap",
        )
    )


def refine_section() -> rx.Component:
    """How much is unanswered, what answering more would change, and where to do it."""
    return rx.cond(
        ProfileState.unanswered > 0,
        rx.el.section(
            rx.vstack(
                section_heading(t("Affiner mon bilan")),
                rx.text(ProfileState.unanswered_sentence, size="3"),
                rx.cond(
                    ProfileState.best_step > 0,
                    link_button(
                        t("Affiner mon bilan"),
                        "/bilan/etape/" + ProfileState.best_step.to(str),
                        primary=False,
                    ),
                ),
                rx.el.details(
                    rx.el.summary(
                        t("Toutes les catégories à affiner"),
                        class_name="cp-summary",
                    ),
                    rx.el.ul(rx.foreach(ProfileState.refine, refine_link), class_name="cp-list"),
                ),
                spacing="3",
                width="100%",
                align="stretch",
            ),
            width="100%",
        ),
    )


def profile_content() -> rx.Component:
    return rx.vstack(
        rx.text(ProfileState.answered_text, size="3"),
        self_declared_note(),
        section_heading(ProfileState.strengths_title),
        rx.cond(
            ProfileState.strengths.length() > 0,
            strengths_list(ProfileState.strengths, ProfileState.more_strengths),
            rx.text(
                t("Notez vos compétences : celles que vous pratiquez seul·e apparaîtront ici.")
            ),
        ),
        value_section(),
        refine_section(),
        section_heading(t("Vos niveaux par catégorie")),
        levels_table(ProfileState.categories),
        section_heading(t("Ce qui peut grandir")),
        rx.cond(
            ProfileState.growth.length() > 0,
            rx.vstack(
                rx.text(ProfileState.growth_intro, size="3"),
                rx.el.ul(rx.foreach(ProfileState.growth, growth_item), class_name="cp-plain-list"),
                spacing="3",
                width="100%",
            ),
            rx.text(t("Vos réponses couvrent déjà ce que demandent les métiers proches.")),
        ),
        link_button(t("Voir les métiers possibles"), "/metiers"),
        keep_section(),
        spacing="4",
        width="100%",
        align="stretch",
    )


@rx.page(
    route="/profil",
    title=page_title("Mon profil — careerpath"),
    on_load=[KeepState.clear, ProfileState.load],
)
def profile_page() -> rx.Component:
    return page_frame(
        page_heading(t("Votre profil")),
        rx.cond(ProfileState.error != "", notice(ProfileState.error, tone="alert")),
        rx.cond(
            ~ProfileState.loaded,
            loading(),
            rx.cond(ProfileState.missing, missing_assessment(), profile_content()),
        ),
    )


# -- /metiers -----------------------------------------------------------------------------


def role_card(card: Var[Any]) -> rx.Component:
    title = card.title.to(str)
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.cond(
                    card.is_target.to(bool),
                    rx.badge(
                        t("Votre objectif"),
                        high_contrast=True,
                        size="2",
                        width="fit-content",
                    ),
                ),
                *role_summary(card, t("Préparation : ")),
                rx.cond(
                    card.gaps.to(list[str]).length() > 0,
                    rx.vstack(
                        rx.text(t("À développer :"), size="2", weight="bold"),
                        rx.el.ul(
                            rx.foreach(
                                card.gaps.to(list[str]),
                                lambda gap: rx.el.li(rx.text(gap, size="2")),
                            ),
                            class_name="cp-list",
                        ),
                        spacing="1",
                        width="100%",
                    ),
                ),
                rx.el.div(
                    rx.link(
                        t("Voir ce métier"),
                        href="/metier/" + card.code.to(str),
                        class_name="cp-link-button",
                        underline="none",
                        aria_label=t("Voir ce métier : ") + title,
                    ),
                    rx.button(
                        t("Pas pour moi"),
                        variant="outline",
                        color_scheme="gray",
                        size="3",
                        min_height="2.75rem",
                        aria_label=t("Pas pour moi : ") + title,
                        on_click=RolesState.hide(card.code.to(str)),
                    ),
                    class_name="cp-actions",
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
        )
    )


def role_group(group: Var[Any]) -> rx.Component:
    cards = group.cards
    return rx.el.section(
        rx.vstack(
            section_heading(group.title.to(str)),
            rx.text(group.hint.to(str), size="2", color_scheme="gray", high_contrast=True),
            rx.cond(
                cards.length() > 0,
                rx.el.ul(rx.foreach(cards, role_card), class_name="cp-plain-list"),
                rx.text(
                    rx.cond(
                        group.group.to(str) == "one_training",
                        t(
                            "Aucun métier n'est à une seule formation de vous pour l'instant : "
                            "ceux du groupe suivant demandent d'en combiner plusieurs."
                        ),
                        t("Aucun métier dans ce groupe pour l'instant."),
                    ),
                    size="2",
                ),
            ),
            rx.cond(
                group.more.to(int) > 0,
                secondary_button(
                    t("Voir plus (") + group.more.to(str) + ")",
                    aria_label=t("Voir plus : ") + group.title.to(str),
                    on_click=RolesState.show_more(group.group.to(str)),
                ),
            ),
            spacing="3",
            width="100%",
            align="stretch",
        ),
        width="100%",
    )


@rx.page(
    route="/metiers", title=page_title("Métiers possibles — careerpath"), on_load=RolesState.load
)
def roles_page() -> rx.Component:
    return page_frame(
        page_heading(t("Les métiers qui s'offrent à vous")),
        rx.cond(RolesState.error != "", notice(RolesState.error, tone="alert")),
        rx.cond(
            ~RolesState.loaded,
            loading(),
            rx.cond(
                RolesState.missing,
                missing_assessment(),
                rx.vstack(
                    rx.text(
                        t(
                            "Classés d'après vos réponses et les passerelles entre métiers. "
                            "Le pourcentage compte vos niveaux face à ceux que demande le "
                            "métier, les compétences clés comptant double."
                        ),
                        size="3",
                    ),
                    rx.cond(
                        RolesState.unanswered_sentence != "",
                        rx.vstack(
                            notice(RolesState.unanswered_sentence),
                            rx.cond(
                                RolesState.best_step > 0,
                                link_button(
                                    t("Affiner mon bilan"),
                                    "/bilan/etape/" + RolesState.best_step.to(str),
                                    primary=False,
                                ),
                            ),
                            spacing="2",
                            width="100%",
                        ),
                    ),
                    rx.foreach(RolesState.groups, role_group),
                    rx.cond(
                        RolesState.hidden_count > 0,
                        rx.button(
                            t("Réafficher les métiers masqués"),
                            variant="ghost",
                            size="3",
                            min_height="2.75rem",
                            on_click=RolesState.show_hidden,
                        ),
                    ),
                    goal_picker(),
                    spacing="5",
                    width="100%",
                    align="stretch",
                ),
            ),
        ),
    )


# -- /metier/[code] -----------------------------------------------------------------------


def requirement_line(line: Var[Any]) -> rx.Component:
    acquired = line.acquired.to(bool)
    return rx.el.li(
        rx.hstack(
            rx.vstack(
                rx.text(line.label.to(str), weight="bold", size="3"),
                rx.text(
                    t("Attendu : ")
                    + line.needs_name.to(str)
                    + t(" · vous : ")
                    + line.has_name.to(str)
                    + rx.cond(
                        line.essential.to(bool),
                        t(" · essentielle"),
                        "",
                    ),
                    size="2",
                ),
                spacing="1",
            ),
            rx.cond(
                acquired,
                rx.badge(t("Acquis"), color_scheme="teal", high_contrast=True, size="2"),
                rx.badge(
                    t("À développer"),
                    color_scheme="amber",
                    high_contrast=True,
                    size="2",
                ),
            ),
            justify="between",
            align="start",
            width="100%",
            spacing="3",
        )
    )


def path_item(path: Var[Any]) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.text(path.steps.to(list[str]).join(" → "), weight="bold", size="3"),
                rx.text(path.hours_text.to(str), size="2"),
                spacing="1",
            ),
            width="100%",
        )
    )


def role_found() -> rx.Component:
    return rx.vstack(
        page_heading(RoleState.title),
        rx.cond(
            RoleState.is_current,
            rx.badge(
                t("Votre métier actuel"),
                high_contrast=True,
                size="2",
                width="fit-content",
            ),
        ),
        rx.cond(
            RoleState.facts.length() > 0,
            rx.text(RoleState.facts.join(" · "), size="2", color_scheme="gray", high_contrast=True),
        ),
        rx.cond(RoleState.description != "", rx.text(RoleState.description, size="3")),
        rx.cond(
            RoleState.codes != "",
            rx.el.details(
                rx.el.summary(t("Codes officiels"), class_name="cp-summary"),
                rx.text(RoleState.codes, size="2", color_scheme="gray", high_contrast=True),
            ),
        ),
        rx.cond(
            RoleState.has_assessment,
            rx.vstack(
                rx.text(t("Votre préparation"), weight="bold", size="3"),
                score_bar(RoleState.score, RoleState.score_text, t("Préparation : ")),
                spacing="1",
                width="100%",
            ),
        ),
        section_heading(t("Ce que demande ce métier")),
        rx.el.ul(rx.foreach(RoleState.requirements, requirement_line), class_name="cp-plain-list"),
        section_heading(t("Comment y arriver")),
        rx.cond(
            RoleState.paths.length() > 0,
            rx.vstack(
                rx.el.ol(rx.foreach(RoleState.paths, path_item), class_name="cp-plain-list"),
                rx.cond(
                    RoleState.route_sentence != "",
                    rx.text(RoleState.route_sentence, id="role-route", size="2", weight="bold"),
                ),
                rx.cond(
                    RoleState.one_training_sentence != "",
                    rx.text(
                        t("À une formation près : ") + RoleState.one_training_sentence,
                        id="role-one-training",
                        size="2",
                    ),
                ),
                rx.cond(
                    RoleState.effort_note != "",
                    rx.text(RoleState.effort_note, id="role-effort", size="2"),
                ),
                width="100%",
            ),
            rx.text(t("Aucun chemin connu vers ce métier.")),
        ),
        rx.cond(
            RoleState.has_assessment,
            rx.cond(
                RoleState.is_target,
                link_button(t("Voir mon plan de formation"), "/objectif"),
                primary_button(t("Choisir comme objectif"), on_click=RoleState.choose),
            ),
            link_button(
                t("Faire le point pour voir votre écart"),
                "/bilan",
            ),
        ),
        rx.link(t("Retour aux métiers possibles"), href="/metiers", size="3"),
        self_declared_note(),
        spacing="4",
        width="100%",
        align="stretch",
    )


def role_not_found() -> rx.Component:
    return not_found(
        t("Métier introuvable"),
        t("Nous ne connaissons aucun métier « ")
        + RoleState.code
        + t(" ». Il a peut-être été renommé ou retiré du référentiel."),
        link_button(t("Voir les métiers possibles"), "/metiers"),
        rx.link(
            t("Faire le point sur mes compétences"),
            href="/bilan",
            size="3",
        ),
    )


@rx.page(route="/metier/[code]", title=page_title("Un métier — careerpath"), on_load=RoleState.load)
def role_page() -> rx.Component:
    return page_frame(
        rx.cond(RoleState.error != "", notice(RoleState.error, tone="alert")),
        rx.cond(
            ~RoleState.loaded,
            loading(),
            rx.cond(RoleState.found, role_found(), role_not_found()),
        ),
    )
