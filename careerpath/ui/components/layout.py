"""The page frame shared by every screen: a header, one main region, a footer.

Mobile first: one column, 16 px side padding on a 360 px screen, widening to a readable
measure on desktops.
"""

import reflex as rx

from careerpath.ui.components.connection import connection_banner
from careerpath.ui.components.install import install_button
from careerpath.ui.components.widgets import notice
from careerpath.ui.i18n import lang_attr, t
from careerpath.ui.states.device import DeviceState

MAX_WIDTH = "42rem"


def language_toggle() -> rx.Component:
    """FR/EN switch, remembered on the device (the page reloads in the other language)."""
    return rx.button(
        rx.cond(DeviceState.is_english, "FR", "EN"),
        rx.el.span(
            # Each language's name in its own language (the span's lang says which).
            rx.cond(
                DeviceState.is_english,
                " — passer en français",  # i18n: ok (autonym)
                " — switch to English",
            ),
            class_name="cp-sr-only",
        ),
        variant="soft",
        color_scheme="gray",
        high_contrast=True,
        size="2",
        min_width="44px",
        min_height="44px",
        lang=rx.cond(DeviceState.is_english, "fr", "en"),
        on_click=rx.call_script(
            rx.cond(
                DeviceState.is_english,
                "window.careerpathDevice.setLang('fr')",
                "window.careerpathDevice.setLang('en')",
            )
        ),
    )


def site_header() -> rx.Component:
    return rx.el.header(
        rx.hstack(
            rx.link(
                rx.hstack(
                    rx.image(src="/icon.svg", alt="", width="28px", height="28px"),
                    rx.text("careerpath", weight="bold", size="4"),
                    align="center",
                    spacing="2",
                ),
                href="/",
                underline="none",
                color_scheme="gray",
                high_contrast=True,
                aria_label=t("careerpath — accueil"),
            ),
            install_button(),
            justify="between",
            align="center",
            width="100%",
            max_width=MAX_WIDTH,
            margin_x="auto",
            padding_x="1rem",
            padding_y="0.75rem",
        ),
        border_bottom="1px solid var(--gray-a5)",
        width="100%",
    )


def site_footer() -> rx.Component:
    return rx.el.footer(
        rx.hstack(
            rx.text(
                t(
                    "careerpath — vos compétences, vos prochaines étapes. "
                    "Les niveaux sont auto-déclarés : ils ne valent pas certification."
                ),
                size="1",
                color_scheme="gray",
            ),
            language_toggle(),
            justify="between",
            align="center",
            spacing="3",
            width="100%",
        ),
        rx.link(
            t("Continuer un bilan commencé sur un autre appareil"),
            href="/continuer",
            size="2",
            display="inline-flex",
            align_items="center",
            min_height="44px",
        ),
        width="100%",
        max_width=MAX_WIDTH,
        margin_x="auto",
        padding="1rem",
    )


def page_frame(*children: rx.Component) -> rx.Component:
    """Wrap a page's content in the shared header, main landmark and footer."""
    return rx.box(
        connection_banner(),
        site_header(),
        rx.cond(
            DeviceState.moved_away,
            rx.box(
                notice(
                    t(
                        "Ce bilan a été transféré sur un autre appareil : celui-ci n'en garde "
                        "plus rien."
                    )
                ),
                width="100%",
                max_width=MAX_WIDTH,
                margin_x="auto",
                padding_x="1rem",
                padding_top="1rem",
            ),
        ),
        rx.el.main(
            rx.vstack(*children, spacing="5", width="100%", align="stretch"),
            id="contenu",
            lang=lang_attr(),
            width="100%",
            max_width=MAX_WIDTH,
            margin_x="auto",
            padding_x="1rem",
            padding_y="1.5rem",
            # The footer starts below the fold, so content arriving after the first paint
            # (a page's data, a notice) never shifts what is on screen.
            min_height="100vh",
        ),
        site_footer(),
        min_height="100vh",
        # A device whose assessment another device took with a code forgets its copy.
        on_mount=DeviceState.check_moved,
    )
