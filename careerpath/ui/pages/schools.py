"""Schools: from a diploma to the roles it opens, then the step after — no account."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import Var

from careerpath.ui.components.layout import page_frame
from careerpath.ui.components.widgets import (
    link_button,
    loading,
    not_found,
    notice,
    page_heading,
    role_summary,
    section_heading,
)
from careerpath.ui.i18n import tr
from careerpath.ui.states.schools import ProgressionState, SchoolsState

LIST_TITLE = "Parcours écoles : du diplôme au métier — careerpath"
LIST_DESCRIPTION = (
    "Pour les enseignant·e·s et leurs élèves : les métiers auxquels mène un diplôme du "
    "secrétariat et de l'assistanat (Bac pro, BTS, titres professionnels), puis les étapes "
    "suivantes."
)


def diploma_link(diploma: Var[dict[str, Any]]) -> rx.Component:
    return rx.el.li(
        rx.link(
            rx.card(
                rx.vstack(
                    rx.text(diploma["title"].to(str), weight="bold", size="3"),
                    rx.text(
                        diploma["facts"].to(str), size="2", color_scheme="gray", high_contrast=True
                    ),
                    spacing="1",
                ),
                width="100%",
            ),
            href=diploma["href"].to(str),
            underline="none",
            color="inherit",
            width="100%",
        ),
    )


@rx.page(route="/ecoles", title=LIST_TITLE, description=LIST_DESCRIPTION, on_load=SchoolsState.load)
def schools_page() -> rx.Component:
    return page_frame(
        page_heading(tr("Du diplôme au métier", "From diploma to job")),
        rx.text(
            tr(
                "Choisissez un diplôme ou un titre professionnel : careerpath montre les "
                "métiers auxquels il prépare le mieux, puis les évolutions possibles après "
                "quelques années. Sans compte, rien n'est enregistré.",
                "Pick a diploma or professional title: careerpath shows the roles it "
                "prepares for best, then where they can lead after a few years. "
                "No account, nothing is stored.",
            ),
            size="3",
        ),
        rx.cond(
            SchoolsState.error != "",
            notice(SchoolsState.error, tone="alert"),
            rx.cond(
                SchoolsState.loaded,
                rx.el.ul(
                    rx.foreach(SchoolsState.diplomas, diploma_link), class_name="cp-plain-list"
                ),
                loading(),
            ),
        ),
    )


def step_line(step: Var[dict[str, Any]]) -> rx.Component:
    return rx.el.li(
        rx.link(step["title"].to(str), href=step["href"].to(str), size="3"),
        rx.text(
            tr("Proximité : ", "Closeness: ") + step["score_text"].to(str),
            size="2",
            color_scheme="gray",
            high_contrast=True,
        ),
    )


def first_role_card(role: Var[dict[str, Any]]) -> rx.Component:
    title = role["title"].to(str)
    return rx.el.li(
        rx.card(
            rx.vstack(
                *role_summary(role, tr("Couvert par le diplôme : ", "Covered by the diploma: ")),
                rx.cond(
                    role["next"].to(list[dict[str, Any]]).length() > 0,
                    rx.vstack(
                        rx.text(
                            tr("Et ensuite, avec l'expérience :", "Then, with experience:"),
                            size="2",
                            weight="bold",
                        ),
                        rx.el.ul(
                            rx.foreach(role["next"].to(list[dict[str, Any]]), step_line),
                            class_name="cp-list",
                        ),
                        spacing="1",
                        width="100%",
                    ),
                ),
                rx.link(
                    tr("Voir ce métier", "See this role"),
                    href=role["href"].to(str),
                    class_name="cp-link-button cp-link-button-outline",
                    underline="none",
                    aria_label=tr("Voir ce métier : ", "See this role: ") + title,
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
        ),
    )


def progression_found() -> rx.Component:
    return rx.vstack(
        page_heading(ProgressionState.title),
        rx.text(ProgressionState.facts, size="2", color_scheme="gray", high_contrast=True),
        rx.text(
            tr(
                "Les métiers les plus proches de ce que le diplôme fait acquérir, puis, pour "
                "chacun, les évolutions qui suivent une fois le métier exercé.",
                "The roles closest to what the diploma teaches, then, for each, the moves "
                "that follow once the role is held.",
            ),
            size="3",
        ),
        section_heading(tr("Premiers métiers", "First jobs")),
        rx.el.ol(
            rx.foreach(ProgressionState.first_roles, first_role_card), class_name="cp-plain-list"
        ),
        rx.text(
            tr(
                "Repères établis à partir des objectifs du diplôme dans le référentiel de "
                "careerpath : chaque parcours reste personnel.",
                "Landmarks drawn from the diploma's objectives in careerpath's referential: "
                "every path stays personal.",
            ),
            size="2",
            color_scheme="gray",
            high_contrast=True,
        ),
        rx.link(tr("Tous les diplômes", "All diplomas"), href="/ecoles", size="3"),
        spacing="4",
        width="100%",
        align="stretch",
    )


def progression_not_found() -> rx.Component:
    return not_found(
        tr("Diplôme introuvable", "Diploma not found"),
        tr("Nous ne connaissons aucun diplôme « ", "We know no diploma “")
        + ProgressionState.code
        + tr(" ».", "”."),
        link_button(tr("Voir tous les diplômes", "See all diplomas"), "/ecoles"),
    )


@rx.page(
    route="/ecoles/[diplome]",
    title="Parcours depuis un diplôme — careerpath",
    description=LIST_DESCRIPTION,
    on_load=ProgressionState.load,
)
def progression_page() -> rx.Component:
    return page_frame(
        rx.cond(
            ProgressionState.error != "",
            notice(ProgressionState.error, tone="alert"),
            rx.cond(
                ~ProgressionState.loaded,
                loading(),
                rx.cond(ProgressionState.found, progression_found(), progression_not_found()),
            ),
        ),
    )
