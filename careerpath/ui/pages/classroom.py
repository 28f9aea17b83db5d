"""The classroom display: a diploma's map on a projector, one step per slide.

Designed for 1920×1080 and 1280×720: every size is a share of the screen's height, nothing
scrolls. Slides: the diploma with a large QR code (students open the same map on their
phones) → its first jobs → for each first job, the moves after it (and the diplomas that lead
to it) → the class poll's counts when a poll runs. The QR code stays in the side column on
every slide. Arrow keys, space and a clicker's Page Up/Down move between slides.
No personal data: the display knows only counts, and only from `MIN_VOTERS` answers.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from careerpath.services.schools import NEXT_PROXIMITY_SENTENCE
from careerpath.ui.components.connection import connection_banner
from careerpath.ui.components.slides import NEXT_ID, PREVIOUS_ID, slide_keys
from careerpath.ui.components.widgets import link_button, loading, not_found, notice
from careerpath.ui.i18n import lang_attr, page_title, t
from careerpath.ui.states.classroom import ClassroomState, PollCount, SlideRole
from careerpath.ui.states.schools import StepRow

S = ClassroomState

DISPLAY_CSS = """
html:has(.cp-display), body:has(.cp-display) { overflow: hidden; height: 100%; }
.cp-display { box-sizing: border-box; width: 100vw; height: 100vh; overflow: hidden;
  display: grid; grid-template-columns: minmax(0, 1fr) 34vh; gap: 3vh; padding: 4vh 4vh 3vh 5vh;
  background: #fff; color: #000; font-size: 2.7vh; line-height: 1.3; }
.cp-display :focus-visible { outline: 0.5vh solid #0d7377; outline-offset: 0.4vh; }
.cp-slide { min-width: 0; min-height: 0; display: flex; flex-direction: column; gap: 2.2vh;
  overflow: hidden; }
.cp-kicker { margin: 0; font-size: 2.4vh; font-weight: 700; letter-spacing: 0.04em;
  text-transform: uppercase; color: #0a5c5f; }
.cp-display h1 { margin: 0; font-size: 5.6vh; line-height: 1.1; font-weight: 800; }
.cp-display h1.cp-kicker { font-size: 2.4vh; line-height: 1.3; }
.cp-display h2 { margin: 0; font-size: 4.6vh; line-height: 1.15; font-weight: 800; }
.cp-display-facts { margin: 0; font-size: 3vh; color: #333; }
.cp-display-note { margin: 0; font-size: 2.2vh; color: #333; max-width: 60em; }
.cp-rows { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column;
  gap: 2vh; }
.cp-row { display: grid; grid-template-columns: minmax(0, 1fr) 34% 12vh; align-items: center;
  gap: 2vh; }
.cp-row-title { font-size: 3.6vh; font-weight: 700; line-height: 1.15; }
.cp-row-bar { height: 2.4vh; background: #d9e3e3; border-radius: 99vh; overflow: hidden; }
.cp-row-bar > span { display: block; height: 100%; background: #0d7377; }
.cp-row-figure { font-size: 3.6vh; font-weight: 800; text-align: right;
  font-variant-numeric: tabular-nums; white-space: nowrap; }
.cp-ways { margin: 0; font-size: 2.6vh; border-top: 0.3vh solid #0d7377; padding-top: 1.5vh; }
.cp-title-slide { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 4vh;
  align-items: center; flex: 1; }
.cp-qr-large { height: 56vh; width: 56vh; display: block; }
.cp-qr-side { height: 28vh; width: 28vh; display: block; }
.cp-link { margin: 0; font-size: 3.2vh; font-weight: 700; color: #0a5c5f; overflow-wrap: anywhere; }
.cp-link-small { margin: 0; font-size: 2.1vh; font-weight: 700; color: #0a5c5f;
  overflow-wrap: anywhere; }
.cp-side { display: flex; flex-direction: column; gap: 1.6vh; min-height: 0; }
.cp-side-spacer { flex: 1; }
.cp-nav { display: grid; grid-template-columns: 1fr 1fr; gap: 1vh; }
.cp-display button { min-height: max(44px, 6vh); font-size: 2.3vh; font-weight: 700;
  border-radius: 1vh; border: 0.3vh solid #0d7377; background: #fff; color: #06393b;
  cursor: pointer; padding: 0 1.5vh; }
.cp-display button.cp-primary { background: #0d7377; color: #fff; }
.cp-display button:disabled { opacity: 0.45; cursor: default; }
.cp-counter { margin: 0; font-size: 2.2vh; text-align: center; color: #333; }
.cp-poll-code { margin: 0; font-size: 2.4vh; }
.cp-poll-code strong { font-size: 3.6vh; letter-spacing: 0.12em; }
"""


def bar(percent: Var[int]) -> rx.Component:
    return rx.el.div(
        rx.el.span(style={"width": percent.to(str) + "%"}),
        class_name="cp-row-bar",
        aria_hidden="true",
    )


def figure_row(title: Var[str], percent: Var[int], figure: Var[str]) -> rx.Component:
    return rx.el.li(
        rx.el.span(title, class_name="cp-row-title"),
        bar(percent),
        rx.el.span(figure, class_name="cp-row-figure"),
        class_name="cp-row",
    )


def title_slide() -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.p(t("Du diplôme au métier"), class_name="cp-kicker"),
            rx.el.h1(S.title),
            rx.el.p(S.facts, class_name="cp-display-facts"),
            rx.el.p(
                t("Scannez le code pour suivre la carte sur votre téléphone, ou tapez :"),
                class_name="cp-display-facts",
            ),
            rx.el.p(S.link_text, class_name="cp-link", id="cp-student-link"),
            rx.cond(
                S.poll_code != "",
                rx.el.p(
                    t("Sondage de la classe ouvert : code "),
                    rx.el.strong(S.poll_code),
                    class_name="cp-poll-code",
                ),
            ),
            style={"display": "flex", "flexDirection": "column", "gap": "2.2vh"},
        ),
        rx.image(
            src=S.qr,
            alt=t("Code QR vers ") + S.link_text,
            class_name="cp-qr-large",
            id="cp-qr",
        ),
        class_name="cp-title-slide",
    )


def first_jobs_slide() -> rx.Component:
    return rx.fragment(
        rx.el.h1(S.title, class_name="cp-kicker"),
        rx.el.h2(t("Premiers métiers")),
        rx.el.p(S.proximity, class_name="cp-display-note"),
        rx.el.ol(
            rx.foreach(
                S.roles,
                lambda role: figure_row(role.title, role.score, role.score_text),
            ),
            class_name="cp-rows",
        ),
    )


def move_row(move: Var[StepRow]) -> rx.Component:
    return figure_row(move.title, move.score, move.score_text)


def role_slide(role: Var[SlideRole]) -> rx.Component:
    return rx.fragment(
        rx.el.h1(S.title, class_name="cp-kicker"),
        rx.el.h2(t("Après : ") + role.title),
        rx.el.p(
            t(NEXT_PROXIMITY_SENTENCE["fr"]),
            class_name="cp-display-note",
        ),
        rx.cond(
            role.next.length() > 0,
            rx.el.ol(rx.foreach(role.next, move_row), class_name="cp-rows"),
            rx.el.p(
                t("Pas d'évolution au même niveau ou au-dessus dans le référentiel."),
                class_name="cp-display-facts",
            ),
        ),
        rx.cond(
            role.ways_in != "",
            rx.el.p(
                t("Pour devenir ") + role.title + t(" : ") + role.ways_in,
                class_name="cp-ways",
            ),
        ),
    )


def count_row(count: Var[PollCount]) -> rx.Component:
    return figure_row(count.title, count.share, count.count.to(str))


def poll_slide() -> rx.Component:
    return rx.fragment(
        rx.el.h1(S.title, class_name="cp-kicker"),
        rx.el.h2(t("Ce qui intéresse la classe")),
        rx.el.p(
            S.poll_voters.to(str),
            t(" élève(s) ont répondu."),
            class_name="cp-display-facts",
            role="status",
        ),
        rx.cond(
            S.poll_shown,
            rx.cond(
                S.poll_counts.length() > 0,
                rx.el.ol(rx.foreach(S.poll_counts, count_row), class_name="cp-rows"),
                rx.el.p(t("Aucun métier choisi."), class_name="cp-display-facts"),
            ),
            rx.el.p(
                t("Les résultats s'affichent à partir de ")
                + S.poll_min.to(str)
                + t(" réponses : personne n'est reconnaissable."),
                class_name="cp-display-facts",
            ),
        ),
    )


def current_slide() -> rx.Component:
    moves_end = 2 + S.roles.length()
    return rx.el.section(
        rx.cond(
            S.step == 0,
            title_slide(),
            rx.cond(
                S.step == 1,
                first_jobs_slide(),
                rx.cond(
                    S.step < moves_end,
                    rx.foreach(
                        S.roles,
                        lambda role, index: rx.cond(index == S.step - 2, role_slide(role)),
                    ),
                    poll_slide(),
                ),
            ),
        ),
        class_name="cp-slide",
        aria_live="polite",
        aria_label=t("Diapositive ") + S.slide_label,
    )


def side_column() -> rx.Component:
    return rx.el.aside(
        rx.cond(
            S.step != 0,
            rx.fragment(
                rx.image(
                    src=S.qr,
                    alt=t("Code QR vers ") + S.link_text,
                    class_name="cp-qr-side",
                    id="cp-qr",
                ),
                rx.el.p(S.link_text, class_name="cp-link-small"),
            ),
        ),
        rx.cond(
            S.poll_code != "",
            rx.fragment(
                rx.el.p(
                    t("Code du sondage : "),
                    rx.el.strong(S.poll_code),
                    class_name="cp-poll-code",
                ),
                rx.el.p(
                    S.poll_voters.to(str) + t(" élève(s) ont répondu"),
                    class_name="cp-counter",
                ),
                rx.el.button(t("Terminer le sondage"), on_click=S.end_poll),
            ),
            rx.el.button(
                t("Lancer un sondage de la classe"),
                on_click=S.start_poll,
            ),
        ),
        rx.cond(S.poll_error != "", rx.el.p(S.poll_error, role="alert", class_name="cp-counter")),
        rx.el.div(class_name="cp-side-spacer"),
        rx.el.p(S.slide_label, class_name="cp-counter", aria_hidden="true"),
        rx.el.div(
            rx.el.button(
                t("Précédent"),
                id=PREVIOUS_ID,
                disabled=S.step == 0,
                on_click=S.previous_slide,
            ),
            rx.el.button(
                t("Suivant"),
                id=NEXT_ID,
                class_name="cp-primary",
                disabled=S.step >= S.slide_count - 1,
                on_click=S.next_slide,
            ),
            class_name="cp-nav",
        ),
        class_name="cp-side",
        aria_label=t("Commandes"),
    )


@rx.page(
    route="/ecoles/[diplome]/classe",
    title=page_title("En classe : du diplôme au métier — careerpath"),
    # i18n: ok (search engines read the French)
    description="Affichage pour vidéoprojecteur : la carte d'un diplôme, étape par étape.",
    on_load=ClassroomState.load,
)
def classroom_page() -> rx.Component:
    return rx.fragment(
        rx.el.style(DISPLAY_CSS),
        connection_banner(),
        rx.cond(
            S.loaded & S.found & (S.error == ""),
            rx.el.main(
                slide_keys(),
                current_slide(),
                side_column(),
                class_name="cp-display",
                id="contenu",
                lang=lang_attr(),
                on_unmount=S.stop_watching,
            ),
            rx.el.main(
                rx.cond(
                    S.error != "",
                    notice(S.error, tone="alert"),
                    rx.cond(
                        S.loaded,
                        not_found(
                            t("Diplôme introuvable"),
                            t("Nous ne connaissons aucun diplôme « ") + S.code + t(" »."),
                            link_button(t("Voir tous les diplômes"), "/ecoles"),
                        ),
                        loading(),
                    ),
                ),
                id="contenu",
                lang=lang_attr(),
                style={"maxWidth": "42rem", "margin": "0 auto", "padding": "1.5rem 1rem"},
            ),
        ),
    )
