"""What the screen says while the server is out of reach (no network, server restarting).

- `connection_banner()`: a French banner replacing Reflex's hard-coded English toast. Reflex's
  own `connection_banner` reads the event-loop context unguarded, which is null while pages
  are pre-rendered at build time; this one reads it defensively.
- `offline_notice()`: shown instead of "Chargement…" by a page whose data never arrived
  because the connection is down, so that no screen spins forever.
- `is_disconnected`: true while the websocket is down, for pages that adapt themselves.

Answers keep being recorded on the device meanwhile (head script `careerpathDevice`), and
Reflex sends the queued events when the websocket comes back.
"""

import reflex as rx
from reflex.vars import Var, VarData
from reflex_base.utils.imports import ImportVar

from careerpath.ui.i18n import t

OFFLINE_PAGE = "/hors-ligne"
"""The static page (assets/hors-ligne.html) that shows the results kept on the device."""

_CONNECT_ERRORS = VarData(
    imports={
        "react": [ImportVar(tag="useContext")],
        "$/utils/context": [ImportVar(tag="EventLoopContext")],
    },
    hooks={"const careerpathConnectErrors = useContext(EventLoopContext)?.[1] ?? [];": None},
)

is_disconnected = Var(
    _js_expr="(careerpathConnectErrors.length > 0)", _var_data=_CONNECT_ERRORS
).to(bool)


def offline_link(text: Var[str] | str) -> rx.Component:
    """A plain link (a full navigation: the offline page is not a route of the app)."""
    return rx.el.a(text, href=OFFLINE_PAGE, class_name="cp-offline-link")


def connection_banner() -> rx.Component:
    """Shown only while the websocket to the server is down."""
    return rx.cond(
        is_disconnected,
        rx.box(
            rx.text(
                t("Hors ligne — vos réponses sont gardées sur cet appareil."),
                " ",
                offline_link(t("Ce qui marche hors ligne")),
                size="2",
                weight="medium",
            ),
            role="status",
            data_offline_banner="",
            position="sticky",
            top="0",
            width="100%",
            padding="0.5rem 1rem",
            background_color="var(--amber-3)",
            color="var(--gray-12)",
            border_bottom="1px solid var(--amber-7)",
            z_index="1000",
            text_align="center",
        ),
    )


def offline_notice() -> rx.Component:
    """In place of a page's content that needs the server, while it is out of reach."""
    return rx.vstack(
        rx.text(
            t(
                "Vous êtes hors ligne : cette page a besoin de la connexion pour se mettre à "
                "jour. Elle s'affichera dès le retour du réseau."
            ),
            size="3",
        ),
        offline_link(t("Lire mes derniers résultats enregistrés sur cet appareil")),
        role="status",
        data_offline_notice="",
        spacing="2",
        width="100%",
    )
