"""Counsellors: how to use careerpath with a beneficiary today, and what is not built yet."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from careerpath.ui.components.layout import page_frame
from careerpath.ui.components.widgets import link_button, page_heading, section_heading
from careerpath.ui.i18n import tr

TITLE = "Conseiller·ères : accompagner avec careerpath"
DESCRIPTION = (
    "Comment utiliser careerpath avec les personnes que vous accompagnez : bilan de "
    "compétences auto-déclaré, métiers accessibles, plan de formation, PDF et lien de partage."
)


def section(heading: Var[str], text: Var[str]) -> rx.Component:
    return rx.vstack(
        section_heading(heading),
        rx.text(text, size="3"),
        spacing="2",
        width="100%",
    )


@rx.page(route="/conseillers", title=TITLE, description=DESCRIPTION)
def counsellors_page() -> rx.Component:
    return page_frame(
        page_heading(tr("Accompagner avec careerpath", "Guiding people with careerpath")),
        rx.text(
            tr(
                "careerpath aide la personne que vous accompagnez à nommer ce qu'elle "
                "maîtrise déjà, à voir les métiers accessibles et les formations — ou la "
                "VAE — qui comblent l'écart. Voici comment vous en servir en entretien.",
                "careerpath helps the person you guide name what they already master and "
                "see the roles within reach, with the trainings — or the VAE — that close "
                "the gap. Here is how to use it in a meeting.",
            ),
            size="3",
        ),
        section(
            tr("1. Faire le point ensemble", "1. Rate the competencies together"),
            tr(
                "Sur le téléphone de la personne ou sur votre poste : 25 questions au plus "
                "avant de premiers résultats, puis « Affiner mon bilan » par catégorie. Les "
                "réponses sont gardées sur l'appareil utilisé et sur le serveur sous un "
                "identifiant anonyme ; elles sont auto-déclarées et se discutent.",
                "On the person's phone or on your computer: at most 25 questions before "
                "first results, then “Refine my review” by category. Answers are kept on "
                "the device used and on the server under an anonymous id; they are "
                "self-declared and open to discussion.",
            ),
        ),
        section(
            tr("2. Explorer les métiers et fixer un objectif", "2. Explore roles, set a goal"),
            tr(
                "Les métiers sont classés en « prêt·e maintenant », « à une formation près » "
                "et « projet à plus long terme », chacun avec son explication. Un objectif "
                "donne un plan de formation chiffré (heures, coût, CPF, modalité) que vous "
                "pouvez ajuster au budget et au rythme de la personne.",
                "Roles are grouped as “ready now”, “one training away” and “longer-term "
                "project”, each with its explanation. A goal gives a costed training plan "
                "(hours, cost, CPF, modality) you can fit to the person's budget and pace.",
            ),
        ),
        section(
            tr("3. Garder une trace", "3. Keep a record"),
            tr(
                "La personne télécharge son bilan en PDF ou vous envoie un lien de partage "
                "en lecture seule. Elle peut effacer ses données à tout moment.",
                "The person downloads a PDF summary or sends you a read-only share link. "
                "They can erase their data at any time.",
            ),
        ),
        section(
            tr("Pour un groupe", "For a group"),
            tr(
                "Une structure qui dispose d'un appui technique peut traiter une série de "
                "bilans avec la commande « careerpath recommend » (un fichier JSON Lines en "
                "entrée, les résultats en sortie) : voir le README du projet.",
                "An organisation with technical support can process a batch of assessments "
                "with the “careerpath recommend” command (JSON Lines in, results out): see "
                "the project's README.",
            ),
        ),
        rx.callout(
            tr(
                "Pas encore disponible : un espace conseiller·ère avec la liste de vos "
                "bénéficiaires, leurs bilans dans le temps et des plans d'action partagés. "
                "Votre structure peut déjà vous ouvrir un compte (responsable de structure "
                "ou administrateur·rice de careerpath).",
                "Not available yet: a counsellor workspace with your beneficiaries, their "
                "assessments over time and shared action plans. Your organisation can "
                "already open an account for you (its manager or the careerpath "
                "administrator).",
            ),
            color_scheme="gray",
            high_contrast=True,
            width="100%",
        ),
        link_button(tr("Commencer un bilan", "Start an assessment"), "/bilan"),
        rx.link(
            tr("Espace professionnel : se connecter", "Professional space: sign in"),
            href="/connexion",
            size="3",
        ),
        rx.link(
            tr("Parcours écoles : du diplôme au métier", "Schools: from diploma to job"),
            href="/ecoles",
            size="3",
        ),
    )
