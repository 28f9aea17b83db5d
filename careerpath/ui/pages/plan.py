"""/objectif and /partage/[token]: the plan to a target, and a shared result (read-only)."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import Var

from careerpath.ui.components.goal import goal_picker
from careerpath.ui.components.keep import keep_section, levels_table, strengths_list
from careerpath.ui.components.layout import page_frame
from careerpath.ui.components.widgets import (
    choice_card,
    link_button,
    loading,
    missing_assessment,
    not_found,
    notice,
    page_heading,
    primary_button,
    secondary_button,
    section_heading,
    self_declared_note,
)
from careerpath.ui.i18n import page_title, t
from careerpath.ui.states.keep import KeepState, ShareState
from careerpath.ui.states.results import ModalityChoice, PlanItemRow, PlanState


def plan_item(item: Var[PlanItemRow]) -> rx.Component:
    is_vae = item["is_vae"].to(bool)
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.heading(item["title"].to(str), as_="h3", size="4"),
                rx.flex(
                    rx.badge(
                        item["kind_label"].to(str),
                        color_scheme=rx.cond(is_vae, "amber", "teal"),
                        high_contrast=True,
                        size="2",
                    ),
                    rx.badge(
                        item["modality"].to(str), color_scheme="gray", high_contrast=True, size="2"
                    ),
                    rx.cond(
                        item["cpf"].to(bool),
                        rx.badge(
                            t("Éligible CPF"),
                            color_scheme="teal",
                            high_contrast=True,
                            size="2",
                        ),
                    ),
                    gap="2",
                    wrap="wrap",
                ),
                rx.text(
                    item["hours_text"].to(str) + " · " + item["cost_text"].to(str),
                    weight="bold",
                    size="3",
                ),
                rx.cond(
                    item["covers"].to(str) != "",
                    rx.text(t("Comble : ") + item["covers"].to(str), size="2"),
                ),
                rx.text(
                    t("Reste à charge estimé : ") + item["out_of_pocket_text"].to(str),
                    size="2",
                    weight="bold",
                ),
                rx.cond(
                    item["funding"].to(str) != "",
                    rx.text(
                        t("Financements possibles : ") + item["funding"].to(str),
                        size="2",
                    ),
                ),
                rx.cond(
                    item["vae_text"].to(str) != "",
                    rx.text(item["vae_text"].to(str), size="2"),
                ),
                rx.cond(
                    item["blocs_text"].to(str) != "",
                    rx.text(item["blocs_text"].to(str), size="2", class_name="cp-blocs"),
                ),
                rx.text(item["why"].to(str), size="2", color_scheme="gray", high_contrast=True),
                spacing="2",
                width="100%",
            ),
            width="100%",
        )
    )


def modality_choice(modality: Var[ModalityChoice]) -> rx.Component:
    return choice_card(
        modality["label"].to(str),
        input_type="checkbox",
        name="modality_" + modality["code"].to(str),
        default_checked=modality["checked"].to(bool),
    )


def _text_field(html_id: str, name: str, label: Any, hint: Any, value: Var[str]) -> rx.Component:
    return rx.box(
        rx.el.label(label, html_for=html_id, class_name="cp-label"),
        rx.text(
            hint,
            id=f"{html_id}-aide",
            size="2",
            color_scheme="gray",
            high_contrast=True,
            margin_bottom="0.375rem",
        ),
        rx.el.input(
            id=html_id,
            name=name,
            type="text",
            input_mode="decimal",
            aria_describedby=f"{html_id}-aide",
            default_value=value,
            class_name="cp-input",
        ),
        width="100%",
    )


def _select_field(
    html_id: str, name: str, label: Any, options: list[tuple[str, Any]], value: Var[str]
) -> rx.Component:
    return rx.box(
        rx.el.label(label, html_for=html_id, class_name="cp-label"),
        rx.el.select(
            *[rx.el.option(text, value=code) for code, text in options],
            id=html_id,
            name=name,
            default_value=value,
            class_name="cp-input",
        ),
        width="100%",
    )


def constraints_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.box(
                rx.el.label(
                    t("Heures de formation par semaine"),
                    html_for="heures-semaine",
                    class_name="cp-label",
                ),
                rx.el.input(
                    id="heures-semaine",
                    name="hours_per_week",
                    type="text",
                    input_mode="decimal",
                    default_value=PlanState.hours_per_week,
                    class_name="cp-input",
                ),
                width="100%",
            ),
            rx.box(
                rx.el.label(
                    t("Budget maximum (€)"),
                    html_for="budget",
                    class_name="cp-label",
                ),
                rx.text(
                    t("Laissez vide pour ne pas fixer de limite."),
                    id="budget-aide",
                    size="2",
                    color_scheme="gray",
                    high_contrast=True,
                    margin_bottom="0.375rem",
                ),
                rx.el.input(
                    id="budget",
                    name="budget",
                    type="text",
                    input_mode="decimal",
                    aria_describedby="budget-aide",
                    default_value=PlanState.budget,
                    class_name="cp-input",
                ),
                width="100%",
            ),
            _text_field(
                "horizon",
                "horizon_months",
                t("Horizon (en mois)"),
                t("Laissez vide pour ne pas fixer de limite."),
                PlanState.horizon_months,
            ),
            rx.cond(
                PlanState.ask_cpf,
                _text_field(
                    "solde-cpf",
                    "cpf_balance",
                    t("Solde de votre CPF (€)"),
                    t(
                        "Sur moncompteformation.gouv.fr ; laissez vide si vous ne le connaissez pas."
                    ),
                    PlanState.cpf_balance,
                ),
            ),
            rx.cond(
                PlanState.ask_level,
                _select_field(
                    "niveau",
                    "qualification_level",
                    t("Votre plus haut diplôme"),
                    [
                        ("", t("Je préfère ne pas le dire")),
                        ("3", t("CAP, BEP (niveau 3)")),
                        ("4", t("Baccalauréat (niveau 4)")),
                        ("5", t("Bac+2 : BTS, DUT (niveau 5)")),
                        ("6", t("Bac+3 ou 4 : licence, BUT (niveau 6)")),
                        ("7", t("Bac+5 : master (niveau 7)")),
                        ("8", t("Doctorat (niveau 8)")),
                    ],
                    PlanState.qualification_level,
                ),
            ),
            rx.cond(
                PlanState.ask_age,
                _select_field(
                    "age",
                    "age_band",
                    t("Votre âge (pour l'alternance)"),
                    [
                        ("", t("Je préfère ne pas le dire")),
                        ("under_26", t("Moins de 26 ans")),
                        ("26_29", t("26 à 29 ans")),
                        ("30_plus", t("30 ans et plus")),
                    ],
                    PlanState.age_band,
                ),
            ),
            rx.cond(
                PlanState.ask_age_exception,
                _select_field(
                    "exception-age",
                    "age_exception",
                    t(
                        "Après 30 ans, l'apprentissage reste possible avec une reconnaissance de "
                        "travailleur handicapé (RQTH), un projet de création ou de reprise "
                        "d'entreprise, ou si vous êtes sportif·ve de haut niveau. Est-ce votre cas ?"
                    ),
                    [("", t("Je ne sais pas")), ("yes", t("Oui")), ("no", t("Non"))],
                    PlanState.age_exception,
                ),
            ),
            rx.el.fieldset(
                rx.el.legend(rx.text(t("Modalités acceptées"), weight="bold", size="3")),
                rx.foreach(PlanState.modalities, modality_choice),
                class_name="cp-fieldset",
            ),
            rx.cond(
                PlanState.form_errors.length() > 0,
                rx.callout.root(
                    rx.el.ul(rx.foreach(PlanState.form_errors, lambda e: rx.el.li(e))),
                    color_scheme="red",
                    high_contrast=True,
                    role="alert",
                    width="100%",
                ),
            ),
            primary_button(t("Mettre à jour le plan"), type="submit"),
            spacing="4",
            width="100%",
            align="stretch",
        ),
        key=PlanState.form_key,
        on_submit=PlanState.apply,
        width="100%",
    )


def plan_content() -> rx.Component:
    return rx.vstack(
        rx.text(t("Préparation actuelle : ") + PlanState.score_text, size="3"),
        rx.el.div(
            rx.cond(PlanState.updated_text != "", notice(PlanState.updated_text, tone="success")),
            role="status",
            width="100%",
        ),
        rx.cond(
            PlanState.summary != "",
            rx.card(rx.text(PlanState.summary, weight="bold", size="3"), width="100%"),
        ),
        rx.cond(
            PlanState.vae.length() > 0,
            rx.callout.root(
                rx.vstack(
                    rx.text(
                        t("Votre expérience peut être reconnue par une VAE :"),
                        weight="bold",
                    ),
                    rx.foreach(
                        PlanState.vae,
                        lambda v: rx.text(
                            v["sentence"].to(str)
                            + rx.cond(
                                v["covers"].to(str) != "",
                                t(" Elle comble : ") + v["covers"].to(str) + ".",
                                "",
                            )
                        ),
                    ),
                    spacing="1",
                ),
                color_scheme="amber",
                high_contrast=True,
                width="100%",
            ),
        ),
        section_heading(t("Votre parcours de formation")),
        rx.cond(
            PlanState.route_sentence != "",
            rx.callout.root(
                rx.callout.text(PlanState.route_sentence, weight="bold"),
                id="plan-route",
                color_scheme="teal",
                high_contrast=True,
                width="100%",
            ),
        ),
        rx.cond(
            PlanState.in_progress_sentence != "",
            rx.callout.root(
                rx.callout.text(PlanState.in_progress_sentence),
                id="plan-in-progress",
                color_scheme="teal",
                high_contrast=True,
                width="100%",
            ),
        ),
        rx.cond(
            PlanState.one_training_sentence != "",
            rx.text(
                t("À une formation près : ") + PlanState.one_training_sentence,
                id="plan-one-training",
                size="3",
            ),
        ),
        rx.cond(
            PlanState.blocked_sentence != "",
            rx.vstack(
                rx.callout.root(
                    rx.callout.text(PlanState.blocked_sentence),
                    id="plan-blocked",
                    color_scheme="amber",
                    high_contrast=True,
                    width="100%",
                ),
                rx.button(
                    rx.cond(
                        PlanState.show_relaxed,
                        t("Masquer le plan sans cette limite"),
                        t("Voir le plan sans cette limite"),
                    ),
                    on_click=PlanState.toggle_relaxed,
                    id="plan-relaxed-toggle",
                    size="3",
                    variant="outline",
                    min_height="44px",
                    width="100%",
                ),
                rx.cond(
                    PlanState.show_relaxed,
                    rx.el.ol(
                        rx.foreach(PlanState.relaxed_items, plan_item),
                        id="plan-relaxed",
                        class_name="cp-timeline",
                    ),
                ),
                width="100%",
                spacing="3",
            ),
        ),
        rx.cond(
            PlanState.items.length() > 0,
            rx.vstack(
                rx.el.ol(rx.foreach(PlanState.items, plan_item), class_name="cp-timeline"),
                rx.text(PlanState.estimate_note, size="2", color_scheme="gray", high_contrast=True),
                width="100%",
            ),
            rx.text(
                rx.cond(
                    PlanState.gaps == 0,
                    t(
                        "Vous avez déjà toutes les compétences demandées : aucune formation "
                        "n'est nécessaire."
                    ),
                    rx.cond(
                        PlanState.in_progress_covers_all,
                        t("Aucune autre formation n'est nécessaire."),
                        t("Aucune formation ne peut être proposée avec ces contraintes."),
                    ),
                ),
                size="3",
            ),
        ),
        rx.cond(
            PlanState.uncovered_sentence != "",
            rx.callout.root(
                rx.vstack(
                    rx.text(PlanState.uncovered_sentence, weight="bold"),
                    rx.text(
                        t("Ces compétences s'acquièrent souvent en situation de travail : ")
                        + PlanState.talk_to
                        + "."
                    ),
                    spacing="1",
                ),
                color_scheme="amber",
                high_contrast=True,
                role="note",
                width="100%",
            ),
        ),
        section_heading(t("Vos contraintes")),
        constraints_form(),
        rx.link(
            t("Changer d'objectif"),
            href="/metiers",
            size="3",
        ),
        goal_picker(),
        keep_section(),
        spacing="4",
        width="100%",
        align="stretch",
    )


@rx.page(
    route="/objectif",
    title=page_title("Mon objectif — careerpath"),
    on_load=[KeepState.clear, PlanState.load],
)
def plan_page() -> rx.Component:
    return page_frame(
        page_heading(
            rx.cond(
                PlanState.target_title != "",
                t("Objectif : ") + PlanState.target_title,
                t("Votre objectif"),
            )
        ),
        rx.cond(PlanState.error != "", notice(PlanState.error, tone="alert")),
        rx.cond(
            ~PlanState.loaded,
            loading(),
            rx.cond(
                PlanState.missing,
                missing_assessment(),
                rx.cond(
                    PlanState.no_target,
                    rx.vstack(
                        rx.text(
                            t("Vous n'avez pas encore choisi de métier à viser."),
                            size="3",
                        ),
                        link_button(t("Voir les métiers possibles"), "/metiers"),
                        goal_picker(),
                        spacing="3",
                        width="100%",
                    ),
                    plan_content(),
                ),
            ),
        ),
    )


# -- /partage/[token] ---------------------------------------------------------------------


def shared_item(item: Var[PlanItemRow]) -> rx.Component:
    return rx.el.li(
        rx.vstack(
            rx.text(item["title"].to(str), weight="bold", size="3"),
            rx.text(
                item["kind_label"].to(str)
                + " · "
                + item["modality"].to(str)
                + " · "
                + item["hours_text"].to(str)
                + " · "
                + item["cost_text"].to(str),
                size="2",
            ),
            rx.cond(
                item["covers"].to(str) != "",
                rx.text(t("Comble : ") + item["covers"].to(str), size="2"),
            ),
            rx.text(
                t("Reste à charge estimé : ") + item["out_of_pocket_text"].to(str),
                size="2",
            ),
            rx.cond(
                item["funding"].to(str) != "",
                rx.text(
                    t("Financements possibles : ") + item["funding"].to(str),
                    size="2",
                ),
            ),
            rx.text(item["why"].to(str), size="2", color_scheme="gray", high_contrast=True),
            spacing="1",
        )
    )


def shared_content() -> rx.Component:
    return rx.vstack(
        page_heading(t("Bilan partagé")),
        rx.text(ShareState.made_on, size="2", color_scheme="gray", high_contrast=True),
        rx.cond(
            ShareState.current_role != "",
            rx.text(t("Métier actuel : ") + ShareState.current_role, size="3"),
        ),
        rx.cond(ShareState.situation != "", rx.text(ShareState.situation, size="3")),
        self_declared_note(shared=True),
        section_heading(t("Ce que la personne maîtrise")),
        rx.cond(
            ShareState.strengths.length() > 0,
            strengths_list(ShareState.strengths, ShareState.more_strengths),
            rx.text(t("Aucune compétence notée « Maîtrise » ou plus.")),
        ),
        section_heading(t("Niveaux par catégorie")),
        levels_table(ShareState.categories),
        section_heading(t("Objectif")),
        rx.cond(
            ShareState.target_title != "",
            rx.vstack(
                rx.text(ShareState.target_title, weight="bold", size="4"),
                rx.text(t("Préparation actuelle : ") + ShareState.score_text),
                rx.cond(ShareState.summary != "", rx.text(ShareState.summary, size="3")),
                rx.cond(
                    ShareState.route_sentence != "",
                    rx.text(ShareState.route_sentence, id="share-route", weight="bold", size="3"),
                ),
                rx.cond(
                    ShareState.blocked_sentence != "",
                    rx.text(ShareState.blocked_sentence, size="2"),
                ),
                rx.cond(
                    ShareState.in_progress_sentence != "",
                    rx.text(ShareState.in_progress_sentence, id="share-in-progress", size="2"),
                ),
                rx.el.ol(rx.foreach(ShareState.items, shared_item), class_name="cp-plain-list"),
                rx.cond(
                    ShareState.estimate_note != "",
                    rx.text(
                        ShareState.estimate_note, size="2", color_scheme="gray", high_contrast=True
                    ),
                ),
                rx.cond(
                    ShareState.uncovered_sentence != "",
                    rx.text(ShareState.uncovered_sentence, size="2"),
                ),
                spacing="2",
                width="100%",
            ),
            rx.text(t("Aucun objectif choisi pour l'instant.")),
        ),
        secondary_button(
            t("Télécharger ce bilan (PDF)"),
            on_click=ShareState.download_pdf,
        ),
        link_button(t("Faire mon propre bilan"), "/bilan"),
        spacing="4",
        width="100%",
        align="stretch",
    )


def share_not_found() -> rx.Component:
    return not_found(
        t("Lien de partage introuvable"),
        t(
            "Ce lien ne correspond à aucun bilan : il a peut-être été mal copié, ou la "
            "personne a supprimé ses données."
        ),
        link_button(t("Faire mon propre bilan"), "/bilan"),
    )


@rx.page(
    route="/partage/[token]",
    title=page_title("Bilan partagé — careerpath"),
    on_load=ShareState.load,
)
def share_page() -> rx.Component:
    return page_frame(
        rx.cond(ShareState.error != "", notice(ShareState.error, tone="alert")),
        rx.cond(
            ~ShareState.loaded,
            loading(),
            rx.cond(ShareState.found, shared_content(), share_not_found()),
        ),
    )
