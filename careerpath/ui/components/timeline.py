"""The beneficiary page over time: two dates chosen side by side with a chart (recharts),
« Demander une mise à jour » and the exports. One responsive tree, usable from 360 px."""

from __future__ import annotations

from typing import Any

import reflex as rx

from careerpath.ui.components.widgets import notice, section_heading
from careerpath.ui.i18n import t
from careerpath.ui.states.workspace_time import TimelineState

BEFORE_COLOUR = "#8a8f98"
AFTER_COLOUR = "#0d7377"
"""The PDF's teal for the newer date, a grey for the older (readable in greyscale too)."""


def _small(*text: Any, **props: Any) -> rx.Component:
    return rx.text(*text, size="2", color_scheme="gray", high_contrast=True, **props)


def _date_select(label: Any, ident: str, value: Any, on_change: Any) -> rx.Component:
    return rx.box(
        rx.el.label(label, html_for=ident, class_name="cp-label"),
        rx.el.select(
            rx.foreach(TimelineState.options, lambda o: rx.el.option(o.label, value=o.id)),
            id=ident,
            value=value,
            on_change=on_change,
            class_name="cp-input",
        ),
        flex="1 1 14rem",
        min_width="0",
    )


def _change_row(c: Any) -> rx.Component:
    return rx.el.tr(
        rx.el.td(c.label),
        rx.el.td(c.before),
        rx.el.td(rx.cond(c.moved, rx.el.strong(c.after), c.after)),
        data_testid=rx.cond(c.moved, "change-moved", "change"),
    )


def _figure(label: Any, before: Any, after: Any, testid: str) -> rx.Component:
    return rx.el.tr(
        rx.el.th(label, scope="row"),
        rx.el.td(before),
        rx.el.td(rx.el.strong(after)),
        data_testid=testid,
    )


def _chart() -> rx.Component:
    S = TimelineState
    return rx.el.figure(
        rx.box(
            rx.recharts.bar_chart(
                rx.recharts.cartesian_grid(stroke_dasharray="3 3", horizontal=False),
                rx.recharts.x_axis(type_="number", domain=[0, 4], tick_count=5),
                rx.recharts.y_axis(data_key="category", type_="category", width=110, interval=0),
                rx.recharts.tooltip(),
                rx.recharts.legend(),
                rx.recharts.bar(data_key="before", name=S.before_date, fill=BEFORE_COLOUR),
                rx.recharts.bar(data_key="after", name=S.after_date, fill=AFTER_COLOUR),
                data=S.bars.to(list[dict[str, Any]]),  # recharts reads plain objects
                layout="vertical",
                height=rx.cond(S.bars.length() > 6, 420, 300),
                # Not a keyboard stop: the tables beside it carry every figure.
                custom_attrs={"accessibilityLayer": False},
            ),
            width="100%",
            aria_hidden="true",
        ),
        rx.el.figcaption(
            _small(
                t(
                    "Niveau moyen par catégorie (0 à 4) aux deux dates, d'après les "
                    "compétences notées ; le tableau ci-dessous donne chaque compétence."
                )
            )
        ),
        style={"width": "100%", "margin": "0"},
        data_testid="comparison-chart",
    )


def _readiness_line() -> rx.Component:
    S = TimelineState
    return rx.cond(
        S.line.length() > 1,
        rx.el.figure(
            rx.box(
                rx.recharts.line_chart(
                    rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
                    rx.recharts.x_axis(data_key="date"),
                    rx.recharts.y_axis(domain=[0, 100], width=40),
                    rx.recharts.tooltip(),
                    rx.recharts.line(
                        data_key="readiness",
                        name=t("Proximité à l'objectif (%)"),
                        stroke=AFTER_COLOUR,
                        stroke_width=2,
                    ),
                    data=S.line.to(list[dict[str, Any]]),
                    height=220,
                    custom_attrs={"accessibilityLayer": False},
                ),
                width="100%",
                aria_hidden="true",
            ),
            rx.el.figcaption(_small(t("La proximité à l'objectif à chaque bilan daté."))),
            style={"width": "100%", "margin": "0"},
        ),
    )


def comparison_panel() -> rx.Component:
    """« Comparer deux dates »: two selects (default: the previous and the latest)."""
    S = TimelineState
    return rx.cond(
        S.shown,
        rx.vstack(
            section_heading(t("Comparer deux dates")),
            rx.cond(
                S.options.length() > 1,
                rx.flex(
                    _date_select(t("Avant"), "date-avant", S.before_id, S.choose_before),
                    _date_select(t("Après"), "date-apres", S.after_id, S.choose_after),
                    gap="2",
                    wrap="wrap",
                    width="100%",
                ),
                _small(t("Un seul bilan pour l'instant : la comparaison viendra avec le suivant.")),
            ),
            rx.cond(S.error != "", notice(S.error, tone="alert")),
            rx.text(
                t(
                    "Proximité à l'objectif : {before} le {d1} → {after} le {d2}",
                    before=S.before_readiness,
                    d1=S.before_date,
                    after=S.after_readiness,
                    d2=S.after_date,
                ),
                size="3",
                data_testid="comparison",
            ),
            rx.box(
                rx.el.table(
                    rx.el.thead(
                        rx.el.tr(
                            rx.el.th(rx.el.span(t("Date"))),
                            rx.el.th(S.before_date),
                            rx.el.th(S.after_date),
                        )
                    ),
                    rx.el.tbody(
                        _figure(
                            t("Proximité à l'objectif"),
                            S.before_readiness,
                            S.after_readiness,
                            "compare-readiness",
                        ),
                        _figure(
                            t("Heures de formation restantes"),
                            S.before_hours,
                            S.after_hours,
                            "compare-hours",
                        ),
                    ),
                    class_name="cp-table",
                ),
                overflow_x="auto",
                width="100%",
            ),
            rx.cond(S.bars.length() > 0, _chart()),
            rx.text(
                t("Compétences qui ont changé : {n}", n=S.moved),
                size="3",
                weight="medium",
                data_testid="moved-count",
            ),
            rx.box(
                rx.el.table(
                    rx.el.thead(
                        rx.el.tr(
                            rx.el.th(t("Compétence")),
                            rx.el.th(S.before_date),
                            rx.el.th(S.after_date),
                        )
                    ),
                    rx.el.tbody(rx.foreach(S.changes, _change_row)),
                    class_name="cp-table",
                ),
                overflow_x="auto",
                width="100%",
            ),
            _readiness_line(),
            spacing="3",
            width="100%",
            data_testid="compare-panel",
        ),
    )


def update_panel() -> rx.Component:
    """« Demander une mise à jour »: a link and a message to send to the person."""
    S = TimelineState
    return rx.vstack(
        rx.cond(
            S.update_requested != "",
            rx.badge(
                S.update_requested,
                color_scheme="gray",
                high_contrast=True,
                data_testid="update-requested",
            ),
        ),
        rx.cond(
            S.can_write,
            rx.button(
                t("Demander une mise à jour"),
                on_click=S.request_update,
                variant="outline",
                size="3",
                min_height="44px",
                data_testid="request-update",
            ),
        ),
        rx.cond(
            S.update_link != "",
            rx.vstack(
                _small(
                    t(
                        "Envoyez ce message à la personne (SMS, e-mail) ; ce qu'elle modifie "
                        "ensuite devient un nouveau bilan daté :"
                    )
                ),
                rx.el.textarea(
                    S.update_message,
                    read_only=True,
                    rows=4,
                    class_name="cp-input",
                    aria_label=t("Message à envoyer"),
                    data_testid="update-message",
                ),
                rx.el.a(
                    S.update_link,
                    href=S.update_link,
                    data_testid="update-link",
                    style={"wordBreak": "break-all"},
                ),
                spacing="2",
                width="100%",
            ),
        ),
        spacing="2",
        width="100%",
    )


def exports_panel() -> rx.Component:
    S = TimelineState
    return rx.vstack(
        section_heading(t("Exporter")),
        rx.flex(
            rx.button(
                t("Bilan et plan d'action (PDF)"),
                on_click=S.download_pdf,
                variant="soft",
                size="3",
                min_height="44px",
                data_testid="export-pdf",
            ),
            rx.button(
                t("Actions (CSV)"),
                on_click=S.download_actions,
                variant="soft",
                size="3",
                min_height="44px",
                data_testid="export-csv",
            ),
            gap="2",
            wrap="wrap",
            width="100%",
        ),
        _small(t("Les notes privées ne figurent dans aucun export.")),
        spacing="2",
        width="100%",
    )
