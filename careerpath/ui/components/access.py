"""What a protected page shows before and after the services decided (see states/access.py).

`access_gate(State, content)`: a still line while the decision is pending, the content when
allowed, a denial (`data-testid="access-denied"`) when refused, a sign-in invitation
(`data-testid="access-sign-in"`) while the redirect to /connexion happens.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from careerpath.ui.components.widgets import link_button, loading, notice
from careerpath.ui.i18n import t


def access_denied() -> rx.Component:
    return rx.box(
        notice(
            t("Vous n'avez pas accès à cette page ou à ces données."),
            tone="warning",
        ),
        link_button(t("Retour à l'accueil"), "/", primary=False),
        data_testid="access-denied",
        width="100%",
    )


def access_sign_in() -> rx.Component:
    return rx.box(
        notice(t("Connectez-vous pour continuer.")),
        link_button(t("Se connecter"), "/connexion"),
        data_testid="access-sign-in",
        width="100%",
    )


def access_gate(state: Any, content: rx.Component) -> rx.Component:
    return rx.match(
        state.access,
        ("allowed", content),
        ("denied", access_denied()),
        ("sign_in", access_sign_in()),
        rx.box(loading(), data_testid="access-pending", width="100%"),
    )
