"""/bilan and /bilan/etape/[etape]: situation and role, then competencies one category at a time."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import Var

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
from careerpath.ui.i18n import tr
from careerpath.ui.states.bilan import NO_ROLE, StartState, StepState
from careerpath.ui.states.keep import KeepState

SITUATION_CHOICES = (
    ("en_poste", ("En poste", "In a job"), ("Je travaille en ce moment.", "I am working now.")),
    (
        "en_recherche",
        ("En recherche d'emploi", "Looking for a job"),
        ("Je cherche un poste ou une nouvelle voie.", "I am looking for a job or a new path."),
    ),
    (
        "en_formation",
        ("En formation", "In training"),
        (
            "Étudiant·e, alternant·e ou en reconversion.",
            "Student, work-study or changing careers.",
        ),
    ),
)


def situation_fieldset() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(section_heading(tr("1. Votre situation", "1. Your situation"))),
        *[
            choice_card(
                tr(*name),
                tr(*hint),
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
            tr("Aussi appelé : ", "Also called: ") + also_text,
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
        tr(
            "Le métier visé, ou le diplôme que vous préparez",
            "The role you aim for, or the diploma you are preparing",
        ),
        rx.cond(
            StartState.situation == "en_recherche",
            tr(
                "Votre dernier métier (ou celui que vous cherchez)",
                "Your last role (or the one you are looking for)",
            ),
            tr("Votre métier actuel (ou le dernier exercé)", "Your current (or last) role"),
        ),
    )


def role_section() -> rx.Component:
    return rx.vstack(
        section_heading(tr("2. Votre métier", "2. Your role")),
        rx.el.label(role_label(), html_for="recherche-metier", class_name="cp-label"),
        rx.text(
            rx.cond(
                StartState.situation == "en_formation",
                tr(
                    "Tapez quelques lettres, par exemple « BTS SAM », « assistante RH » ou "
                    "« comptable ».",
                    "Type a few letters, for example “BTS SAM”, “assistante RH” or “comptable”.",
                ),
                tr(
                    "Tapez quelques lettres, par exemple « assistante », « secrétaire » ou "
                    "« office manager ».",
                    "Type a few letters, for example “assistante”, “secrétaire” or "
                    "“office manager”.",
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
                        tr("Je suis en formation", "I am in training"),
                        tr("Je cherche un emploi", "I am looking for a job"),
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
                rx.el.legend(
                    rx.text(
                        tr("Choisissez votre métier", "Pick your role"), weight="bold", size="3"
                    )
                ),
                rx.foreach(StartState.results, role_result),
                rx.cond(
                    StartState.allows_no_role,
                    choice_card(
                        tr("Je ne sais pas / aucun", "I don't know / none"),
                        tr(
                            "Vous évaluerez toutes les compétences, sans métier de départ.",
                            "You will rate every competency, with no starting role.",
                        ),
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
            tr(
                "Deux questions pour commencer, puis 25 questions au plus avant vos premiers "
                "résultats ; vous pourrez affiner ensuite, catégorie par catégorie. Vos "
                "réponses sont enregistrées au fur et à mesure : arrêtez-vous et reprenez "
                "quand vous voulez.",
                "Two questions to start, then at most 25 questions before your first "
                "results; you can refine later, category by category. Answers are saved as "
                "you go: stop and come back any time.",
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
        primary_button(tr("Commencer mon bilan", "Start my review"), on_click=StartState.start),
        spacing="5",
        width="100%",
        align="stretch",
    )


def resume_block() -> rx.Component:
    return rx.card(
        rx.vstack(
            section_heading(tr("Vous avez un bilan en cours", "You have a review in progress")),
            rx.text(StartState.resume_text, size="3"),
            primary_button(
                tr("Reprendre mon bilan", "Resume my review"), on_click=StartState.resume
            ),
            rx.link(
                tr("Voir mon profil", "See my profile"),
                href="/profil",
                size="3",
                weight="medium",
            ),
            secondary_button(
                tr("Commencer un nouveau bilan", "Start a new review"),
                on_click=StartState.start_over,
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


@rx.page(
    route="/bilan",
    title="Faire le point — careerpath",
    description="Choisissez votre situation et votre métier, puis évaluez vos compétences.",
    on_load=StartState.load,
)
def bilan_start() -> rx.Component:
    return page_frame(
        page_heading(tr("Faire le point sur mes compétences", "Rate my competencies")),
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
            tr("Ce que veut dire chaque niveau", "What each level means"),
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
                tr("Demandé dans votre métier actuel", "Required in your current role"),
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
            tr(
                "Hors ligne : continuez à répondre sur cette page, vos réponses sont gardées "
                "sur cet appareil. L'étape suivante s'affichera au retour de la connexion.",
                "Offline: keep answering on this page, your answers are kept on this device. "
                "The next step will show when the connection is back.",
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
                    tr("Passer ces questions ?", "Skip these questions?"),
                    tr("Passer cette catégorie ?", "Skip this category?"),
                ),
                weight="bold",
                size="4",
            ),
            rx.text(
                tr(
                    "Vous n'avez répondu à aucune question de cette page. Sans réponse, une "
                    "compétence compte pour « Pas encore » dans vos résultats.",
                    "You have answered no question on this page. Without an answer, a "
                    "competency counts as “Not yet” in your results.",
                ),
                size="3",
            ),
            rx.flex(
                rx.box(
                    secondary_button(tr("Répondre", "Answer"), on_click=StepState.cancel_skip),
                    flex="1",
                ),
                rx.box(
                    rx.button(
                        tr("Oui, passer", "Yes, skip"),
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
        aria_label=tr("Passer cette catégorie ?", "Skip this category?"),
        width="100%",
    )


def step_navigation() -> rx.Component:
    return rx.vstack(
        offline_step_note(),
        rx.cond(StepState.confirm_skip, skip_confirmation()),
        rx.flex(
            rx.box(
                secondary_button(tr("Précédent", "Previous"), on_click=StepState.previous_step),
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
                tr("Voir mon profil", "See my profile"),
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
        tr("Cette étape n'existe pas", "This step does not exist"),
        tr(
            "Le bilan ne compte pas d'étape à ce numéro. Reprenez là où vous en étiez.",
            "The review has no step with this number. Pick up where you left off.",
        ),
        rx.link(tr("Revenir au bilan", "Back to the review"), href="/bilan", size="3"),
    )


@rx.page(
    route="/bilan/etape/[etape]",
    title="Mon bilan — careerpath",
    on_load=[KeepState.clear, StepState.load],
)
def bilan_step() -> rx.Component:
    return page_frame(
        rx.cond(
            StepState.missing,
            rx.vstack(
                page_heading(tr("Mon bilan", "My review")),
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
