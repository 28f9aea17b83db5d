"""« Continuer sur un autre appareil »: the code and its QR code, on the device that holds
the assessment (the other device types the code on /continuer)."""

from __future__ import annotations

import reflex as rx

from careerpath.ui.components.widgets import notice, secondary_button
from careerpath.ui.i18n import t
from careerpath.ui.states.transfer import TransferState


def transfer_block() -> rx.Component:
    return rx.vstack(
        rx.heading(t("Continuer sur un autre appareil"), as_="h3", size="4"),
        rx.cond(
            TransferState.code != "",
            rx.vstack(
                rx.text(
                    t(
                        "Sur l'autre téléphone ou ordinateur, scannez ce QR code, ou ouvrez "
                        "careerpath, lien « Continuer un bilan » en bas de page, et saisissez "
                        "ce code :"
                    ),
                    size="3",
                ),
                rx.text(
                    TransferState.code,
                    id="code-transfert",
                    class_name="cp-code",
                    aria_label=t("Code de transfert"),
                ),
                rx.image(
                    src=TransferState.qr,
                    alt=t("QR code qui ouvre ce bilan sur l'autre appareil"),
                    width="12rem",
                    height="12rem",
                ),
                rx.text(
                    t(
                        "Valable {minutes} minutes, une seule fois. Une fois le bilan ouvert "
                        "là-bas, cet appareil n'en garde rien.",
                        minutes=TransferState.minutes,
                    ),
                    size="2",
                    color_scheme="gray",
                    high_contrast=True,
                ),
                secondary_button(t("Masquer le code"), on_click=TransferState.cancel),
                spacing="2",
                width="100%",
                align="stretch",
            ),
            secondary_button(
                t("Continuer sur un autre appareil"),
                on_click=TransferState.start,
                aria_describedby="transfert-aide",
            ),
        ),
        rx.cond(
            TransferState.code == "",
            rx.text(
                t("Un code court et un QR code, sans compte : votre bilan change d'appareil."),
                id="transfert-aide",
                size="2",
                color_scheme="gray",
                high_contrast=True,
            ),
        ),
        rx.el.div(
            rx.cond(TransferState.message != "", notice(TransferState.message)),
            role="status",
            width="100%",
        ),
        spacing="2",
        width="100%",
        align="stretch",
    )
