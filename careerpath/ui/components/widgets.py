"""Small pieces every journey screen uses: choice cards, buttons, bars, notices."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import Var

from careerpath.i18n import N_
from careerpath.ui.components.connection import is_disconnected, offline_notice
from careerpath.ui.i18n import t

TextLike = str | Var[str] | Var[Any]


def choice_card(
    title: TextLike,
    hint: TextLike | None = None,
    /,
    *,
    input_type: str = "radio",
    key: Any = None,
    **input_props: Any,
) -> rx.Component:
    """A whole-card radio (or checkbox) with a visible name and an optional hint: ≥ 44 px.

    Inputs are uncontrolled (`default_checked`): a choice shows at once, even before the
    server answers; pass a `key` that changes when the server's answer must be shown anew.
    """
    text = [rx.el.span(title, class_name="cp-choice-name")]
    if hint is not None:
        text.append(rx.el.span(hint, class_name="cp-choice-hint"))
    extra = {"key": key} if key is not None else {}
    return rx.el.label(
        rx.el.input(type=input_type, **input_props),
        rx.el.span(*text, class_name="cp-choice-text"),
        class_name="cp-choice",
        **extra,
    )


def primary_button(text: TextLike, **props: Any) -> rx.Component:
    return rx.button(text, size="4", width="100%", min_height="3rem", **props)


def secondary_button(text: TextLike, **props: Any) -> rx.Component:
    return rx.button(text, size="3", variant="outline", min_height="2.75rem", width="100%", **props)


def link_button(text: TextLike, href: TextLike, *, primary: bool = True) -> rx.Component:
    """A link that looks like a button (navigation stays a link for assistive technologies)."""
    return rx.link(
        text,
        href=href,
        class_name="cp-link-button" if primary else "cp-link-button cp-link-button-outline",
        underline="none",
    )


def score_bar(percent: Var[Any], text: TextLike, label: TextLike) -> rx.Component:
    """A readiness bar with its figure written beside it (the figure is the text alternative)."""
    return rx.hstack(
        rx.el.div(
            rx.el.span(style={"width": percent.to(str) + "%"}),
            class_name="cp-bar",
            aria_hidden="true",
        ),
        rx.el.span(label, text, class_name="cp-figure"),
        align="center",
        spacing="3",
        width="100%",
    )


def role_summary(card: Var[dict[str, Any]], score_label: TextLike) -> tuple[rx.Component, ...]:
    """The head of a role card: its title (h3), the score bar and the sentence saying why.

    `card` holds `title`, `score`, `score_text` and `why`; `score_label` names the score.
    """
    return (
        rx.heading(card["title"].to(str), as_="h3", size="4"),
        score_bar(card["score"], card["score_text"].to(str), score_label),
        rx.text(card["why"].to(str), size="3"),
    )


def notice(text: TextLike, *, tone: str = "info", **props: Any) -> rx.Component:
    """A callout; `alert` tone is announced by screen readers."""
    colors = {"info": "gray", "success": "teal", "warning": "amber", "alert": "red"}
    return rx.callout(
        text,
        color_scheme=colors[tone],
        high_contrast=True,
        role="alert" if tone == "alert" else "status",
        width="100%",
        **props,
    )


def self_declared_note(shared: bool = False) -> rx.Component:
    text = (
        t(
            "Ces réponses sont auto-déclarées : elles décrivent le ressenti de la personne, "
            "pas une certification."
        )
        if shared
        else t(
            "Vos réponses sont auto-déclarées : elles décrivent votre ressenti, "
            "pas une certification."
        )
    )
    return rx.text(
        text,
        size="2",
        color_scheme="gray",
        high_contrast=True,
    )


PRIVACY_FR = N_(
    "Sans compte. Vos réponses sont gardées sur cet appareil et sur notre serveur, sous un "
    "identifiant anonyme ; un lien de partage, si vous en créez un, est enregistré sur le "
    "serveur ; « Supprimer mes données » efface tout, ici et sur le serveur."
)


def privacy_note() -> rx.Component:
    """The one privacy sentence, the same everywhere it is said."""
    return rx.text(t(PRIVACY_FR), size="2", color_scheme="gray", high_contrast=True)


def missing_assessment() -> rx.Component:
    """What a results screen says when this device has no assessment yet."""
    return rx.vstack(
        rx.text(
            t("Vous n'avez pas encore fait le point sur vos compétences sur cet appareil."),
            size="3",
        ),
        link_button(t("Faire le point sur mes compétences"), "/bilan"),
        spacing="3",
        width="100%",
    )


def loading() -> rx.Component:
    """A page's data on its way; while the connection is down, says so instead.

    Deliberately still: a CSS animation running while the page loads (Radix's spinner, or
    even one pulsing dot) costs Chromium a main-thread task of 50-110 ms when it starts,
    which alone put /bilan and /metiers over the phone budget for total blocking time.
    """
    return rx.cond(
        is_disconnected,
        offline_notice(),
        rx.el.p(t("Chargement…"), role="status", class_name="cp-loading"),
    )


def page_heading(text: TextLike) -> rx.Component:
    return rx.heading(text, as_="h1", size="7")


def not_found(heading: TextLike, explanation: TextLike, *ways_on: rx.Component) -> rx.Component:
    """What a page says when its URL names nothing we know: what happened, then where to go."""
    return rx.vstack(
        page_heading(heading),
        rx.text(explanation, size="3"),
        *ways_on,
        spacing="4",
        width="100%",
        align="stretch",
    )


def section_heading(text: TextLike, **props: Any) -> rx.Component:
    return rx.heading(text, as_="h2", size="5", **props)
