"""The "Installer l'application" button, shown only where the browser offers installation.

The button is static markup: `assets/pwa.js` keeps the browser's `beforeinstallprompt`
event, marks `<html data-pwa-installable>` (which makes the button visible) and shows the
browser's installation dialog when the button is pressed. No Reflex state, no websocket
round trip: it works before the page is hydrated and while the server is unreachable.
"""

import reflex as rx

INSTALL_LABEL = "Installer l'application"
INSTALLABLE_SELECTOR = "html[data-pwa-installable] &"


def install_button() -> rx.Component:
    """A button hidden until the app can be installed on this device."""
    return rx.button(
        INSTALL_LABEL,
        type="button",
        size="2",
        variant="soft",
        custom_attrs={"data-pwa-install": ""},
        # Hidden but laid out: the header keeps its height when the button shows up, so
        # nothing below it moves (no layout shift).
        visibility="hidden",
        style={INSTALLABLE_SELECTOR: {"visibility": "visible"}},
    )
