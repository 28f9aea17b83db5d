"""Home page: what careerpath does, and the three ways in."""

import reflex as rx

from careerpath.ui.components.layout import page_frame
from careerpath.ui.components.widgets import privacy_note
from careerpath.ui.i18n import page_title, t

TITLE = page_title("careerpath — faites le point sur vos compétences d'assistant·e")
DESCRIPTION = (  # i18n: ok (search engines read the French)
    "careerpath aide les assistant·e·s, secrétaires et office managers à nommer ce "
    "qu'ils et elles maîtrisent, à voir les métiers accessibles ensuite et les "
    "formations (ou la VAE) qui y mènent."
)


def audience_link(title: rx.Var[str], text: rx.Var[str], href: str) -> rx.Component:
    return rx.link(
        rx.card(
            rx.vstack(
                rx.heading(title, as_="h2", size="4"),
                rx.text(text, size="2", color_scheme="gray", high_contrast=True),
                spacing="1",
            ),
            width="100%",
        ),
        href=href,
        underline="none",
        color="inherit",
        width="100%",
    )


@rx.page(route="/", title=TITLE, description=DESCRIPTION)
def home() -> rx.Component:
    return page_frame(
        rx.heading(
            t("Vos compétences ont de la valeur. Voyons où elles peuvent vous mener."),
            as_="h1",
            size="7",
        ),
        rx.text(
            t(
                "En une dizaine de minutes et 25 questions au plus, nommez ce que vous savez "
                "faire, voyez les métiers qui s'offrent à vous et les formations — ou la "
                "VAE — qui comblent l'écart. Vous pourrez affiner ensuite, catégorie par "
                "catégorie."
            ),
            size="4",
        ),
        rx.link(
            rx.button(
                t("Faire le point sur mes compétences"),
                size="4",
                width="100%",
                min_height="3rem",
            ),
            href="/bilan",
            width="100%",
            underline="none",
        ),
        privacy_note(),
        rx.vstack(
            audience_link(
                t("Vous accompagnez des personnes ?"),
                t(
                    "Espace conseiller·ère : vos bénéficiaires, leurs bilans dans le temps, "
                    "un plan d'action partagé, avec leur accord."
                ),
                "/conseillers",
            ),
            audience_link(
                t("Vous enseignez ?"),
                t("Parcours écoles : du diplôme aux métiers, étape par étape, sans compte."),
                "/ecoles",
            ),
            spacing="3",
            width="100%",
        ),
    )
