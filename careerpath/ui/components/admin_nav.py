"""The administrator's navigation between their pages: the referential (/admin/referentiel)
and the structures and accounts (/compte/equipe: create, disable, send a reset link)."""

from __future__ import annotations

import reflex as rx

from careerpath.i18n import N_
from careerpath.ui.i18n import t

ADMIN_PAGES = (
    ("/admin/referentiel", N_("Référentiel")),
    ("/compte/equipe", N_("Structures et comptes")),
)


def admin_nav(current: str) -> rx.Component:
    """One link per administration page; `current` (a route) is marked as the page shown."""
    return rx.el.nav(
        rx.hstack(
            *(
                rx.link(
                    t(label),
                    href=route,
                    size="3",
                    weight="bold" if route == current else "regular",
                    aria_current="page" if route == current else None,
                    min_height="44px",
                    display="inline-flex",
                    align_items="center",
                )
                for route, label in ADMIN_PAGES
            ),
            spacing="5",
            wrap="wrap",
        ),
        aria_label=t("Administration"),
        data_testid="admin-nav",
        width="100%",
    )
