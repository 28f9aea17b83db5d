"""The "Garder et partager" block: PDF, share link, delete everything."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from careerpath.services.profile import CategoryLevel, StrengthItem
from careerpath.ui.components.transfer import transfer_block
from careerpath.ui.components.widgets import notice, secondary_button, section_heading
from careerpath.ui.i18n import t
from careerpath.ui.states.keep import KeepState


def keep_section() -> rx.Component:
    return rx.el.section(
        rx.vstack(
            section_heading(t("Garder et partager"), id="garder"),
            rx.text(
                t(
                    "Emportez votre bilan chez un·e manager, en entretien ou chez un·e "
                    "conseiller·ère."
                ),
                size="3",
            ),
            secondary_button(
                t("Télécharger mon bilan (PDF)"),
                on_click=KeepState.download_pdf,
            ),
            secondary_button(
                t("Créer un lien de partage"),
                on_click=KeepState.create_share_link,
            ),
            rx.cond(
                KeepState.share_url != "",
                rx.vstack(
                    rx.el.label(
                        t("Lien de partage (lecture seule)"),
                        html_for="lien-partage",
                        class_name="cp-label",
                    ),
                    rx.el.input(
                        id="lien-partage",
                        value=KeepState.share_url,
                        read_only=True,
                        class_name="cp-input",
                    ),
                    rx.hstack(
                        rx.button(
                            rx.cond(KeepState.copied, t("Lien copié ✓"), t("Copier le lien")),
                            variant="soft",
                            size="3",
                            min_height="2.75rem",
                            on_click=KeepState.copy_link,
                        ),
                        rx.link(
                            t("Ouvrir le lien"),
                            href=KeepState.share_url,
                            is_external=True,
                            size="3",
                        ),
                        spacing="4",
                        align="center",
                        wrap="wrap",
                    ),
                    spacing="2",
                    width="100%",
                    align="stretch",
                ),
            ),
            rx.el.div(
                rx.cond(KeepState.message != "", notice(KeepState.message)),
                role="status",
                width="100%",
            ),
            rx.divider(),
            transfer_block(),
            rx.divider(),
            delete_block(),
            spacing="3",
            width="100%",
            align="stretch",
        ),
        aria_labelledby="garder",
        width="100%",
    )


def delete_block() -> rx.Component:
    """« Supprimer mes données », then a second, explicit tap before anything is erased."""
    return rx.cond(
        KeepState.confirm_delete,
        rx.vstack(
            rx.text(
                t(
                    "Tout supprimer ? Vos réponses, votre objectif et vos liens de partage seront "
                    "effacés de cet appareil et du serveur. On ne pourra pas les retrouver."
                ),
                id="suppression-confirmation",
                weight="medium",
                size="3",
            ),
            rx.button(
                t("Oui, tout supprimer"),
                color_scheme="red",
                size="3",
                min_height="2.75rem",
                width="100%",
                aria_describedby="suppression-confirmation",
                on_click=KeepState.delete_data,
            ),
            secondary_button(t("Annuler"), on_click=KeepState.cancel_delete),
            role="alertdialog",
            aria_labelledby="suppression-confirmation",
            spacing="2",
            width="100%",
            align="stretch",
        ),
        rx.vstack(
            rx.button(
                t("Supprimer mes données"),
                color_scheme="red",
                variant="outline",
                size="3",
                min_height="2.75rem",
                width="100%",
                aria_describedby="suppression-aide",
                on_click=KeepState.ask_delete,
            ),
            rx.text(
                t("Efface vos réponses de cet appareil et du serveur, liens de partage compris."),
                id="suppression-aide",
                size="2",
                color_scheme="gray",
                high_contrast=True,
            ),
            spacing="2",
            width="100%",
            align="stretch",
        ),
    )


def levels_table(categories: Var[list[CategoryLevel]]) -> rx.Component:
    """Levels by category as bars, in a table whose figures are the text alternative."""

    def row(category: Var[CategoryLevel]) -> rx.Component:
        answered = category["answered"].to(int)
        return rx.el.tr(
            rx.el.th(category["category"].to(str), scope="row"),
            rx.el.td(
                rx.hstack(
                    rx.el.div(
                        rx.el.span(style={"width": category["percent"].to(str) + "%"}),
                        class_name="cp-bar",
                        aria_hidden="true",
                    ),
                    rx.el.span(
                        rx.cond(
                            answered > 0,
                            category["average_text"].to(str) + " / 4",
                            t("non évaluée"),
                        ),
                        class_name="cp-figure",
                    ),
                    align="center",
                    spacing="2",
                    width="100%",
                ),
                width="60%",
            ),
        )

    return rx.el.table(
        rx.el.caption(t("Niveau moyen déclaré par catégorie, de 0 (pas encore) à 4 (expertise)")),
        rx.el.thead(
            rx.el.tr(
                rx.el.th(t("Catégorie"), scope="col"),
                rx.el.th(t("Niveau sur 4"), scope="col"),
            )
        ),
        rx.el.tbody(rx.foreach(categories, row)),
        class_name="cp-table",
    )


def strengths_list(
    strengths: Var[list[StrengthItem]], more: Var[list[StrengthItem]]
) -> rx.Component:
    """The strongest competencies, the rest behind a native disclosure."""

    def item(strength: Var[StrengthItem]) -> rx.Component:
        return rx.el.li(
            rx.card(
                rx.vstack(
                    rx.hstack(
                        rx.text(strength["label"].to(str), weight="bold", size="3"),
                        rx.badge(
                            strength["level_name"].to(str),
                            color_scheme="teal",
                            high_contrast=True,
                            size="2",
                        ),
                        justify="between",
                        align="start",
                        width="100%",
                        spacing="2",
                    ),
                    rx.text(
                        strength["descriptor"].to(str),
                        size="2",
                        color_scheme="gray",
                        high_contrast=True,
                    ),
                    spacing="1",
                    width="100%",
                ),
                width="100%",
            )
        )

    return rx.vstack(
        rx.el.ul(rx.foreach(strengths, item), class_name="cp-plain-list"),
        rx.cond(
            more.length() > 0,
            rx.el.details(
                rx.el.summary(
                    t("Voir les autres points forts (") + more.length().to(str) + ")",
                    class_name="cp-summary",
                ),
                rx.el.ul(rx.foreach(more, item), class_name="cp-plain-list", margin_top="0.75rem"),
            ),
        ),
        spacing="3",
        width="100%",
        align="stretch",
    )
