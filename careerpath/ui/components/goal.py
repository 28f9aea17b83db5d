"""« Un autre objectif ? »: any role of the referential as a goal, typed or browsed."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import Var

from careerpath.ui.components.widgets import section_heading
from careerpath.ui.i18n import t
from careerpath.ui.states.results import GoalSearchState


def goal_result(found: Var[Any]) -> rx.Component:
    return rx.el.li(
        rx.link(
            rx.el.span(found.title.to(str), class_name="cp-choice-name"),
            rx.cond(
                found.also.to(str) != "",
                rx.el.span(found.also.to(str), class_name="cp-choice-hint"),
            ),
            href="/metier/" + found.code.to(str),
            class_name="cp-choice cp-choice-text",
            underline="none",
        )
    )


def goal_picker() -> rx.Component:
    """Any role of the referential as a goal: typed (fuzzy search) or browsed."""
    return rx.el.section(
        rx.vstack(
            section_heading(t("Un autre objectif ?")),
            rx.el.label(
                t("Cherchez n'importe quel métier"),
                html_for="recherche-objectif",
                class_name="cp-label",
            ),
            rx.el.input(
                id="recherche-objectif",
                type="search",
                auto_complete="off",
                spell_check=False,
                enter_key_hint="search",
                on_change=GoalSearchState.set_query.debounce(250),
                class_name="cp-input",
            ),
            rx.el.div(
                rx.cond(GoalSearchState.message != "", rx.text(GoalSearchState.message, size="3")),
                role="status",
                width="100%",
            ),
            rx.el.ul(rx.foreach(GoalSearchState.results, goal_result), class_name="cp-plain-list"),
            rx.el.details(
                rx.el.summary(
                    t("Parcourir tous les métiers"),
                    class_name="cp-summary",
                    on_click=GoalSearchState.browse,
                ),
                rx.el.ul(
                    rx.foreach(GoalSearchState.all_roles, goal_result), class_name="cp-plain-list"
                ),
            ),
            spacing="3",
            width="100%",
            align="stretch",
        ),
        width="100%",
    )
