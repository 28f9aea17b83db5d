"""Schools: from a diploma to the roles it opens, then the step after — no account.

On the phone: the diplomas (/ecoles), one diploma's map (/ecoles/X, or /c/CODE through a class
poll's short link, with « ça m'intéresse » on each role), a role seen from the diploma
(/ecoles/X/metier/R) and the map read backwards (/ecoles/devenir/R, « Pour devenir … »).
The classroom display is in `careerpath.ui.pages.classroom`.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from careerpath.services.schools import NEXT_PROXIMITY_SENTENCE, PROXIMITY_SENTENCE
from careerpath.ui.components.layout import page_frame
from careerpath.ui.components.widgets import (
    link_button,
    loading,
    not_found,
    notice,
    page_heading,
    score_bar,
    section_heading,
)
from careerpath.ui.i18n import page_title, t
from careerpath.ui.states.schools import (
    DiplomaRoleState,
    DiplomaRow,
    FirstRoleRow,
    ProgressionState,
    RequirementRow,
    SchoolsState,
    StepRow,
    WayRow,
    WaysInState,
)

LIST_TITLE = page_title("Parcours écoles : du diplôme au métier — careerpath")
LIST_DESCRIPTION = (  # i18n: ok (search engines read the French)
    "Pour les enseignant·e·s et leurs élèves : les métiers auxquels mène un diplôme du "
    "secrétariat et de l'assistanat (Bac pro, BTS, titres professionnels), puis les étapes "
    "suivantes."
)

SCHOOLS_CSS = """
a.cp-tap { display: flex; align-items: center; min-height: 44px; box-sizing: border-box;
  padding: 0.25rem 0; color: #0a5c5f; font-weight: 600; text-decoration: underline;
  text-underline-offset: 0.15em; }
a.cp-tap:focus-visible, .cp-move a:focus-visible { outline: 3px solid #0d7377;
  outline-offset: 2px; }
.cp-moves { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column;
  gap: 0.25rem; }
.cp-move { display: grid; grid-template-columns: minmax(0, 1fr) auto; align-items: center;
  gap: 0.25rem 0.75rem; border-top: 1px solid var(--gray-a5); padding-top: 0.25rem; }
.cp-move > a.cp-tap, .cp-move > p { grid-column: 1 / -1; }
.cp-move .cp-figure { min-width: 0; text-align: left; }
.cp-interest[aria-pressed="true"] { background: #0d7377; color: #fff; font-weight: 700; }
"""


def proximity_note(next_too: bool = False) -> rx.Component:
    """« Proximité » in one sentence, where the figure is shown."""
    sentence = t(PROXIMITY_SENTENCE["fr"])
    if next_too:
        sentence = sentence + " " + t(NEXT_PROXIMITY_SENTENCE["fr"])
    return rx.text(sentence, size="2", color_scheme="gray", high_contrast=True)


def proximity_label() -> Var[str]:
    return t("Proximité : ")


def diploma_link(diploma: Var[DiplomaRow]) -> rx.Component:
    return rx.el.li(
        rx.link(
            rx.card(
                rx.vstack(
                    rx.text(diploma.title, weight="bold", size="3"),
                    rx.text(diploma.facts, size="2", color_scheme="gray", high_contrast=True),
                    spacing="1",
                ),
                width="100%",
            ),
            href=diploma.href,
            underline="none",
            color="inherit",
            width="100%",
        ),
    )


@rx.page(route="/ecoles", title=LIST_TITLE, description=LIST_DESCRIPTION, on_load=SchoolsState.load)
def schools_page() -> rx.Component:
    return page_frame(
        page_heading(t("Du diplôme au métier")),
        rx.text(
            t(
                "Choisissez un diplôme ou un titre professionnel : careerpath montre les "
                "métiers auxquels il prépare le mieux, puis les évolutions possibles après "
                "quelques années. Sans compte, rien n'est enregistré."
            ),
            size="3",
        ),
        rx.cond(
            SchoolsState.error != "",
            notice(SchoolsState.error, tone="alert"),
            rx.cond(
                SchoolsState.loaded,
                rx.el.ul(
                    rx.foreach(SchoolsState.diplomas, diploma_link), class_name="cp-plain-list"
                ),
                loading(),
            ),
        ),
    )


def interest_button(step: Var[StepRow]) -> rx.Component:
    """« Ça m'intéresse » on a role (a toggle), shown only through a class poll's code."""
    pressed = ProgressionState.chosen.contains(step.role)
    return rx.cond(
        ProgressionState.poll_code != "",
        rx.button(
            # Pressed shows as a filled button (aria-pressed), the name stays the same.
            t("Ça m'intéresse"),
            aria_pressed=rx.cond(pressed, "true", "false"),
            aria_label=t("Ça m'intéresse : ") + step.title,
            class_name="cp-interest",
            variant="outline",
            size="3",
            min_height="44px",
            on_click=ProgressionState.toggle_interest(step.role),
        ),
    )


def step_line(step: Var[StepRow]) -> rx.Component:
    return rx.el.li(
        rx.link(step.title, href=step.href, class_name="cp-tap"),
        rx.el.span(proximity_label(), step.score_text, class_name="cp-figure"),
        interest_button(step),
        class_name="cp-move",
    )


def first_role_card(role: Var[FirstRoleRow]) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.heading(role.title, as_="h3", size="4"),
                score_bar(role.score, role.score_text, proximity_label()),
                rx.text(role.why, size="3"),
                interest_button(role),
                rx.cond(
                    role.next.length() > 0,
                    rx.vstack(
                        rx.text(
                            t("Et ensuite, avec l'expérience :"),
                            size="2",
                            weight="bold",
                        ),
                        rx.el.ul(rx.foreach(role.next, step_line), class_name="cp-moves"),
                        spacing="1",
                        width="100%",
                    ),
                ),
                rx.el.div(
                    rx.link(
                        t("Voir ce métier"),
                        href=role.href,
                        class_name="cp-link-button cp-link-button-outline",
                        underline="none",
                        aria_label=t("Voir ce métier : ") + role.title,
                    ),
                    rx.link(
                        t("Quels diplômes y mènent ?"),
                        href=role.ways_href,
                        class_name="cp-link-button cp-link-button-outline",
                        underline="none",
                        aria_label=t("Quels diplômes y mènent ? ") + role.title,
                    ),
                    class_name="cp-actions",
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
        ),
    )


def poster_buttons() -> rx.Component:
    return rx.el.div(
        rx.button(
            t("Affiche A4 (PDF)"),
            variant="outline",
            size="3",
            min_height="44px",
            on_click=ProgressionState.download_poster("A4"),
        ),
        rx.button(
            t("Affiche A3 (PDF)"),
            variant="outline",
            size="3",
            min_height="44px",
            on_click=ProgressionState.download_poster("A3"),
        ),
        class_name="cp-actions",
    )


def progression_found() -> rx.Component:
    return rx.vstack(
        page_heading(ProgressionState.title),
        rx.text(ProgressionState.facts, size="2", color_scheme="gray", high_contrast=True),
        rx.cond(
            ProgressionState.poll_code != "",
            notice(
                t(
                    "Sondage de la classe : touchez « Ça m'intéresse » sur les métiers qui vous "
                    "attirent. Le tableau ne montre que le nombre de réponses par métier, "
                    "jamais qui a répondu."
                )
            ),
        ),
        rx.cond(ProgressionState.poll_message != "", notice(ProgressionState.poll_message)),
        rx.text(
            t(
                "Les métiers les plus proches de ce que le diplôme fait acquérir, puis, pour "
                "chacun, les évolutions qui suivent une fois le métier exercé."
            ),
            size="3",
        ),
        proximity_note(next_too=True),
        section_heading(t("Premiers métiers")),
        rx.el.ol(
            rx.foreach(ProgressionState.first_roles, first_role_card), class_name="cp-plain-list"
        ),
        rx.text(
            t(
                "Repères établis à partir des objectifs du diplôme dans le référentiel de "
                "careerpath : chaque parcours reste personnel."
            ),
            size="2",
            color_scheme="gray",
            high_contrast=True,
        ),
        rx.cond(
            ProgressionState.poll_code == "",
            rx.vstack(
                section_heading(t("En classe")),
                link_button(
                    t("Afficher en classe (vidéoprojecteur)"),
                    "/ecoles/" + ProgressionState.code + "/classe",
                ),
                poster_buttons(),
                spacing="3",
                width="100%",
            ),
        ),
        rx.link(t("Tous les diplômes"), href="/ecoles", class_name="cp-tap"),
        spacing="4",
        width="100%",
        align="stretch",
    )


def progression_not_found() -> rx.Component:
    return rx.cond(
        ProgressionState.poll_message != "",
        not_found(
            t("Sondage terminé"),
            ProgressionState.poll_message,
            link_button(t("Voir tous les diplômes"), "/ecoles"),
        ),
        not_found(
            t("Diplôme introuvable"),
            t("Nous ne connaissons aucun diplôme « ") + ProgressionState.code + t(" »."),
            link_button(t("Voir tous les diplômes"), "/ecoles"),
        ),
    )


def progression_body() -> rx.Component:
    return page_frame(
        rx.el.style(SCHOOLS_CSS),
        rx.cond(
            ProgressionState.error != "",
            notice(ProgressionState.error, tone="alert"),
            rx.cond(
                ~ProgressionState.loaded,
                loading(),
                rx.cond(ProgressionState.found, progression_found(), progression_not_found()),
            ),
        ),
    )


@rx.page(
    route="/ecoles/[diplome]",
    title=page_title("Parcours depuis un diplôme — careerpath"),
    description=LIST_DESCRIPTION,
    on_load=ProgressionState.load,
)
def progression_page() -> rx.Component:
    return progression_body()


@rx.page(
    route="/c/[code]",
    title=page_title("Sondage de la classe — careerpath"),
    description=LIST_DESCRIPTION,
    on_load=ProgressionState.load_poll,
)
def class_poll_page() -> rx.Component:
    return progression_body()


def way_item(way: Var[WayRow]) -> rx.Component:
    return rx.el.li(
        rx.link(way.title, href=way.href, class_name="cp-tap"),
        rx.cond(
            way.via != "",
            rx.text(t("puis ") + way.via, size="2"),
        ),
        rx.text(way.facts, size="2", color_scheme="gray", high_contrast=True),
        rx.el.span(proximity_label(), way.score_text, class_name="cp-figure"),
        class_name="cp-move",
    )


def ways_list(ways: Var[list[WayRow]], empty: Var[str]) -> rx.Component:
    return rx.cond(
        ways.length() > 0,
        rx.el.ul(rx.foreach(ways, way_item), class_name="cp-moves"),
        rx.text(empty, size="3"),
    )


def requirement_item(requirement: Var[RequirementRow]) -> rx.Component:
    return rx.el.li(
        requirement.label,
        rx.cond(requirement.essential, t(" (clé)"), ""),
    )


def diploma_role_found() -> rx.Component:
    s = DiplomaRoleState
    return rx.vstack(
        rx.text(t("Depuis le ") + s.diploma_title, size="2", weight="bold"),
        page_heading(s.title),
        rx.cond(s.description != "", rx.text(s.description, size="3")),
        score_bar(s.score, s.score_text, proximity_label()),
        rx.text(s.why, size="3"),
        proximity_note(),
        section_heading(t("Ce que le diplôme apporte")),
        rx.cond(
            s.covered.length() > 0,
            rx.el.ul(rx.foreach(s.covered, requirement_item), class_name="cp-list"),
            rx.text(
                t("Le diplôme ne couvre encore aucune compétence demandée."),
                size="3",
            ),
        ),
        section_heading(t("Ce qui reste à acquérir")),
        rx.cond(
            s.to_learn.length() > 0,
            rx.el.ul(rx.foreach(s.to_learn, requirement_item), class_name="cp-list"),
            rx.text(
                t("Rien : le diplôme couvre tout."),
                size="3",
            ),
        ),
        rx.cond(
            s.next_steps.length() > 0,
            rx.vstack(
                section_heading(t("Et ensuite, avec l'expérience")),
                proximity_note(next_too=True),
                rx.el.ul(
                    rx.foreach(
                        s.next_steps,
                        lambda step: rx.el.li(
                            rx.link(step.title, href=step.href, class_name="cp-tap"),
                            rx.el.span(proximity_label(), step.score_text, class_name="cp-figure"),
                            class_name="cp-move",
                        ),
                    ),
                    class_name="cp-moves",
                ),
                spacing="2",
                width="100%",
            ),
        ),
        section_heading(t("Pour devenir ") + s.title + t(" :")),
        ways_list(
            s.direct,
            t("Aucun diplôme du référentiel n'y mène directement."),
        ),
        link_button(
            t("Tous les chemins vers ce métier"),
            "/ecoles/devenir/" + s.role,
            primary=False,
        ),
        rx.link(
            t("Retour à la carte du diplôme"),
            href="/ecoles/" + s.diploma,
            class_name="cp-tap",
        ),
        spacing="4",
        width="100%",
        align="stretch",
    )


@rx.page(
    route="/ecoles/[diplome]/metier/[role]",
    title=page_title("Un métier vu depuis un diplôme — careerpath"),
    description=LIST_DESCRIPTION,
    on_load=DiplomaRoleState.load,
)
def diploma_role_page() -> rx.Component:
    s = DiplomaRoleState
    return page_frame(
        rx.el.style(SCHOOLS_CSS),
        rx.cond(
            s.error != "",
            notice(s.error, tone="alert"),
            rx.cond(
                ~s.loaded,
                loading(),
                rx.cond(
                    s.found,
                    diploma_role_found(),
                    not_found(
                        t("Page introuvable"),
                        t("Ce diplôme ou ce métier n'existe pas dans le référentiel."),
                        link_button(t("Voir tous les diplômes"), "/ecoles"),
                    ),
                ),
            ),
        ),
    )


def ways_in_found() -> rx.Component:
    s = WaysInState
    return rx.vstack(
        page_heading(t("Pour devenir ") + s.title),
        rx.text(
            t(
                "Les diplômes et titres professionnels dont la carte mène à ce métier, "
                "directement ou après un premier métier."
            ),
            size="3",
        ),
        proximity_note(next_too=True),
        section_heading(t("Dès la sortie du diplôme")),
        ways_list(
            s.direct,
            t("Aucun diplôme du référentiel n'y mène directement."),
        ),
        section_heading(t("Après un premier métier")),
        ways_list(
            s.after,
            t("Aucune carte de diplôme ne le propose comme évolution."),
        ),
        rx.link(t("Tous les diplômes"), href="/ecoles", class_name="cp-tap"),
        spacing="4",
        width="100%",
        align="stretch",
    )


@rx.page(
    route="/ecoles/devenir/[role]",
    title=page_title("Pour devenir… : les diplômes qui y mènent — careerpath"),
    description=LIST_DESCRIPTION,
    on_load=WaysInState.load,
)
def ways_in_page() -> rx.Component:
    s = WaysInState
    return page_frame(
        rx.el.style(SCHOOLS_CSS),
        rx.cond(
            s.error != "",
            notice(s.error, tone="alert"),
            rx.cond(
                ~s.loaded,
                loading(),
                rx.cond(
                    s.found,
                    ways_in_found(),
                    not_found(
                        t("Métier introuvable"),
                        t("Nous ne connaissons aucun métier « ") + s.role + t(" »."),
                        link_button(t("Voir tous les diplômes"), "/ecoles"),
                    ),
                ),
            ),
        ),
    )
