"""A French connection banner replacing Reflex's hard-coded English toast.

Reflex's own `connection_banner` reads the event-loop context unguarded, which is null while
pages are pre-rendered at build time; this one reads it defensively.
"""

import reflex as rx
from reflex.vars import Var, VarData
from reflex_base.utils.imports import ImportVar

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


def connection_banner() -> rx.Component:
    """Shown only while the websocket to the server is down."""
    return rx.cond(
        is_disconnected,
        rx.box(
            rx.text(
                "Connexion interrompue — vos réponses restent sur cet appareil. "
                "Reconnexion en cours…",
                size="2",
                weight="medium",
            ),
            role="status",
            position="fixed",
            top="0",
            left="0",
            width="100%",
            padding="0.5rem 1rem",
            background_color="var(--amber-3)",
            color="var(--gray-12)",
            border_bottom="1px solid var(--amber-7)",
            z_index="1000",
            text_align="center",
        ),
    )
