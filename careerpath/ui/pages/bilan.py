"""/bilan and /bilan/etape/[etape]: situation and role, then competencies one category at a time."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import Var

from careerpath.i18n import N_
from careerpath.ui.components.connection import is_disconnected
from careerpath.ui.components.layout import page_frame
from careerpath.ui.components.widgets import (
    choice_card,
    loading,
    missing_assessment,
    not_found,
    notice,
    page_heading,
    primary_button,
    privacy_note,
    secondary_button,
    section_heading,
    self_declared_note,
)
from careerpath.ui.i18n import page_title, t
from careerpath.ui.states.bilan import NO_ROLE, StartState, StepState
from careerpath.ui.states.keep import KeepState

SITUATION_CHOICES = (
    ("en_poste", N_("En poste"), N_("Je travaille en ce moment.")),
    (
        "en_recherche",
        N_("En recherche d'emploi"),
        N_("Je cherche un poste ou une nouvelle voie."),
    ),
    ("en_formation", N_("En formation"), N_("Étudiant·e, alternant·e ou en reconversion.")),
)


def situation_fieldset() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(section_heading(t("1. Votre situation"))),
        *[
            choice_card(
                t(name),
                t(hint),
                name="situation",
                value=code,
                default_checked=StartState.situation == code,
                on_change=StartState.set_situation(code),
            )
            for code, name, hint in SITUATION_CHOICES
        ],
        class_name="cp-fieldset",
        key="situation-" + StartState.situation_key.to(str),
    )


def role_result(result: Var[Any]) -> rx.Component:
    code, title, also_text = result.code.to(str), result.title.to(str), result.also.to(str)
    also = rx.cond(
        also_text == "",
        "",
        rx.cond(
            also_text.contains(" "),
            also_text,
            t("Aussi appelé : ") + also_text,
        ),
    )
    return choice_card(
        title,
        also,
        name="role",
        value=code,
        default_checked=StartState.role_code == code,
        key=code,
        on_change=StartState.pick_role(code, title),
    )


def role_label() -> rx.Component:
    """The search field's name says what this person is asked for."""
    return rx.cond(
        StartState.situation == "en_formation",
        t("Le métier visé, ou le diplôme que vous préparez"),
        rx.cond(
            StartState.situation == "en_recherche",
            t("Votre dernier métier (ou celui que vous cherchez)"),
            t("Votre métier actuel (ou le dernier exercé)"),
        ),
    )


def role_section() -> rx.Component:
    return rx.vstack(
        section_heading(t("2. Votre métier")),
        rx.el.label(role_label(), html_for="recherche-metier", class_name="cp-label"),
        rx.text(
            rx.cond(
                StartState.situation == "en_formation",
                t(
                    "Tapez quelques lettres, par exemple « BTS SAM », « assistante RH » ou "
                    "« comptable »."
                ),
                t(
                    "Tapez quelques lettres, par exemple « assistante », « secrétaire » ou "
                    "« office manager »."
                ),
            ),
            id="recherche-aide",
            size="2",
            color_scheme="gray",
            high_contrast=True,
        ),
        rx.el.input(
            id="recherche-metier",
            type="search",
            auto_complete="off",
            spell_check=False,
            enter_key_hint="search",
            aria_describedby="recherche-aide",
            on_change=StartState.set_query,
            class_name="cp-input",
        ),
        rx.el.div(
            rx.cond(
                StartState.search_message != "",
                rx.text(StartState.search_message, size="3"),
            ),
            rx.cond(
                StartState.suggested_situation != "",
                secondary_button(
                    rx.cond(
                        StartState.suggested_situation == "en_formation",
                        t("Je suis en formation"),
                        t("Je cherche un emploi"),
                    ),
                    on_click=StartState.set_situation(StartState.suggested_situation),
                    margin_top="0.5rem",
                ),
            ),
            role="status",
            width="100%",
        ),
        rx.cond(
            (StartState.results.length() > 0) | StartState.allows_no_role,
            rx.el.fieldset(
                rx.el.legend(rx.text(t("Choisissez votre métier"), weight="bold", size="3")),
                rx.foreach(StartState.results, role_result),
                rx.cond(
                    StartState.allows_no_role,
                    choice_card(
                        t("Je ne sais pas / aucun"),
                        t("Vous évaluerez toutes les compétences, sans métier de départ."),
                        name="role",
                        value=NO_ROLE,
                        default_checked=StartState.role_code == NO_ROLE,
                        on_change=StartState.pick_no_role,
                    ),
                ),
                class_name="cp-fieldset",
            ),
        ),
        spacing="2",
        width="100%",
        align="stretch",
    )


def start_intro() -> rx.Component:
    """Shown before the server answers: the page reads at once (and paints its largest text)."""
    return rx.vstack(
        rx.text(
            t(
                "Deux questions pour commencer, puis 25 questions au plus avant vos premiers "
                "résultats ; vous pourrez affiner ensuite, catégorie par catégorie. Vos "
                "réponses sont enregistrées au fur et à mesure : arrêtez-vous et reprenez "
                "quand vous voulez."
            ),
            size="3",
        ),
        privacy_note(),
        spacing="2",
        width="100%",
    )


def start_form() -> rx.Component:
    return rx.vstack(
        situation_fieldset(),
        role_section(),
        rx.cond(StartState.error != "", notice(StartState.error, tone="alert")),
        primary_button(t("Commencer mon bilan"), on_click=StartState.start),
        spacing="5",
        width="100%",
        align="stretch",
    )


def resume_block() -> rx.Component:
    return rx.card(
        rx.vstack(
            section_heading(t("Vous avez un bilan en cours")),
            rx.text(StartState.resume_text, size="3"),
            primary_button(t("Reprendre mon bilan"), on_click=StartState.resume),
            rx.link(
                t("Voir mon profil"),
                href="/profil",
                size="3",
                weight="medium",
            ),
            secondary_button(
                t("Commencer un nouveau bilan"),
                on_click=StartState.start_over,
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


@rx.page(
    route="/bilan",
    title=page_title("Faire le point — careerpath"),
    # i18n: ok (search engines read the French)
    description="Choisissez votre situation et votre métier, puis évaluez vos compétences.",
    on_load=StartState.load,
)
def bilan_start() -> rx.Component:
    return page_frame(
        page_heading(t("Faire le point sur mes compétences")),
        start_intro(),
        rx.cond(KeepState.deleted, notice(KeepState.message, tone="success")),
        rx.cond(
            StartState.loaded,
            rx.cond(StartState.has_current & ~StartState.show_form, resume_block(), start_form()),
            loading(),
        ),
    )


# -- one category per screen --------------------------------------------------------------


def level_option(question: Var[Any], option: Var[Any]) -> rx.Component:
    """One level of the compact rating control: its name; its descriptor once chosen."""
    code = question.code.to(str)
    level = option.level.to(int)
    return choice_card(
        option.name.to(str),
        option.descriptor.to(str),
        name=code,
        value=level,
        default_checked=question.rating.to(int) == level,
        on_change=StepState.rate(code, level),
        data_competency=code,
        data_assessment=StepState.assessment_id,
    )


def level_descriptors(question: Var[Any]) -> rx.Component:
    """The description and the five descriptors, one tap away."""
    return rx.el.details(
        rx.el.summary(
            t("Ce que veut dire chaque niveau"),
            class_name="cp-summary",
        ),
        rx.cond(
            question.description.to(str) != "",
            rx.text(question.description.to(str), size="2"),
        ),
        rx.el.dl(
            rx.foreach(
                question.options,
                lambda option: rx.fragment(
                    rx.el.dt(option.name.to(str)), rx.el.dd(option.descriptor.to(str))
                ),
            ),
            class_name="cp-levels-list",
        ),
    )


def question_block(question: Var[Any]) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(rx.heading(question.label.to(str), as_="h2", size="5")),
        rx.cond(
            StepState.first,
            rx.text(question.category.to(str), size="2", color_scheme="gray", high_contrast=True),
        ),
        rx.cond(
            question.for_current_role.to(bool),
            rx.text(
                t("Demandé dans votre métier actuel"),
                size="2",
                weight="medium",
                color_scheme="teal",
                high_contrast=True,
            ),
        ),
        rx.el.div(
            rx.foreach(
                question.options,
                lambda option: level_option(question, option),
            ),
            class_name="cp-rating",
        ),
        level_descriptors(question),
        class_name="cp-fieldset",
        margin_bottom="1.5rem",
        key=question.code.to(str) + "-" + StepState.version.to(str),
    )


def offline_step_note() -> rx.Component:
    """While the connection is down: answering goes on, changing step waits for it."""
    return rx.cond(
        is_disconnected,
        rx.text(
            t(
                "Hors ligne : continuez à répondre sur cette page, vos réponses sont gardées "
                "sur cet appareil. L'étape suivante s'affichera au retour de la connexion."
            ),
            role="status",
            size="2",
            weight="medium",
        ),
    )


def skip_confirmation() -> rx.Component:
    """« Suivant » with nothing answered on the screen: say so rather than move on silently."""
    return rx.card(
        rx.vstack(
            rx.text(
                rx.cond(
                    StepState.first,
                    t("Passer ces questions ?"),
                    t("Passer cette catégorie ?"),
                ),
                weight="bold",
                size="4",
            ),
            rx.text(
                t(
                    "Vous n'avez répondu à aucune question de cette page. Sans réponse, une "
                    "compétence compte pour « Pas encore » dans vos résultats."
                ),
                size="3",
            ),
            rx.flex(
                rx.box(
                    secondary_button(t("Répondre"), on_click=StepState.cancel_skip),
                    flex="1",
                ),
                rx.box(
                    rx.button(
                        t("Oui, passer"),
                        size="3",
                        min_height="2.75rem",
                        width="100%",
                        on_click=StepState.skip,
                    ),
                    flex="1",
                ),
                gap="3",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        role="alertdialog",
        aria_label=t("Passer cette catégorie ?"),
        width="100%",
    )


def step_navigation() -> rx.Component:
    return rx.vstack(
        offline_step_note(),
        rx.cond(StepState.confirm_skip, skip_confirmation()),
        rx.flex(
            rx.box(
                secondary_button(t("Précédent"), on_click=StepState.previous_step),
                flex="1",
            ),
            rx.box(
                rx.button(
                    StepState.next_label,
                    size="3",
                    min_height="2.75rem",
                    width="100%",
                    on_click=StepState.next_step,
                ),
                flex="1",
            ),
            gap="3",
            width="100%",
        ),
        rx.cond(
            ~StepState.first,
            rx.link(
                t("Voir mon profil"),
                href="/profil",
                size="3",
                weight="medium",
                align_self="center",
                class_name="cp-tap",
            ),
        ),
        spacing="3",
        width="100%",
    )


def step_content() -> rx.Component:
    return rx.vstack(
        rx.vstack(
            rx.text(StepState.progress_text, id="progression", size="2", weight="medium"),
            rx.progress(
                value=StepState.percent,
                max=100,
                aria_labelledby="progression",
                size="3",
                width="100%",
            ),
            rx.text(StepState.time_text, size="2", color_scheme="gray", high_contrast=True),
            spacing="2",
            width="100%",
        ),
        page_heading(StepState.category),
        self_declared_note(),
        rx.cond(StepState.error != "", notice(StepState.error, tone="warning")),
        rx.box(rx.foreach(StepState.questions, question_block), width="100%"),
        step_navigation(),
        spacing="4",
        width="100%",
        align="stretch",
    )


def out_of_range() -> rx.Component:
    return not_found(
        t("Cette étape n'existe pas"),
        t("Le bilan ne compte pas d'étape à ce numéro. Reprenez là où vous en étiez."),
        rx.link(t("Revenir au bilan"), href="/bilan", size="3"),
    )


@rx.page(
    route="/bilan/etape/[etape]",
    title=page_title("Mon bilan — careerpath"),
    on_load=[KeepState.clear, StepState.load],
)
def bilan_step() -> rx.Component:
    return page_frame(
        rx.cond(
            StepState.missing,
            rx.vstack(
                page_heading(t("Mon bilan")),
                missing_assessment(),
                spacing="4",
                width="100%",
            ),
            rx.cond(
                StepState.out_of_range,
                out_of_range(),
                rx.cond(StepState.loaded, step_content(), loading()),
            ),
        ),
    )
