"""/continuer: open, on this device, an assessment started on another one (code or QR)."""

from __future__ import annotations

import reflex as rx

from careerpath.ui.components.layout import page_frame
from careerpath.ui.components.widgets import notice, page_heading, primary_button
from careerpath.ui.i18n import page_title, t
from careerpath.ui.states.transfer import TransferState


@rx.page(
    route="/continuer",
    title=page_title("Continuer un bilan — careerpath"),
    on_load=TransferState.load_code_page,
)
def transfer_page() -> rx.Component:
    return page_frame(
        page_heading(t("Continuer un bilan commencé sur un autre appareil")),
        rx.text(
            t(
                "Sur l'autre appareil, ouvrez « Garder et partager » puis « Continuer sur un "
                "autre appareil » : un code s'affiche. Saisissez-le ici."
            ),
            size="3",
        ),
        rx.form(
            rx.vstack(
                rx.el.label(
                    t("Code affiché sur l'autre appareil"),
                    html_for="code",
                    class_name="cp-label",
                ),
                rx.el.input(
                    id="code",
                    name="code",
                    value=TransferState.typed,
                    on_change=TransferState.set_typed,
                    placeholder="K7PX-M3QD",
                    auto_complete="off",
                    auto_capitalize="characters",
                    spell_check=False,
                    max_length=40,
                    class_name="cp-input cp-code-input",
                    aria_describedby="code-erreur",
                ),
                rx.el.div(
                    rx.cond(
                        TransferState.error != "",
                        notice(TransferState.error, tone="alert"),
                    ),
                    id="code-erreur",
                    width="100%",
                ),
                primary_button(t("Continuer ici"), type="submit"),
                spacing="3",
                width="100%",
                align="stretch",
            ),
            on_submit=TransferState.redeem,
            width="100%",
        ),
    )
