"""The 404 page: what happened and where to go, in French or English like every page."""

from __future__ import annotations

import reflex as rx

from careerpath.ui.components.layout import page_frame
from careerpath.ui.components.widgets import link_button, not_found
from careerpath.ui.i18n import page_title, t


@rx.page(route="404", title=page_title("Page introuvable — careerpath"))
def not_found_page() -> rx.Component:
    return page_frame(
        not_found(
            t("Cette page n'existe pas"),
            t(
                "L'adresse est peut-être incomplète, ou la page a changé de nom. Vos réponses, "
                "elles, sont toujours là."
            ),
            link_button(t("Retour à l'accueil"), "/"),
            link_button(t("Faire le point sur mes compétences"), "/bilan", primary=False),
        )
    )
