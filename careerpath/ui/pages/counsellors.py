"""Counsellors: how to use careerpath with a beneficiary, and the workspace (/espace)."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from careerpath.ui.components.layout import page_frame
from careerpath.ui.components.widgets import link_button, page_heading, section_heading
from careerpath.ui.i18n import page_title, t

TITLE = page_title("Conseiller·ères : accompagner avec careerpath")
DESCRIPTION = (  # i18n: ok (search engines read the French)
    "Comment utiliser careerpath avec les personnes que vous accompagnez : bilan de "
    "compétences auto-déclaré, métiers accessibles, plan de formation, et un espace "
    "conseiller·ère : bénéficiaires avec leur accord, bilans dans le temps, plan d'action."
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
        page_heading(t("Accompagner avec careerpath")),
        rx.text(
            t(
                "careerpath aide la personne que vous accompagnez à nommer ce qu'elle "
                "maîtrise déjà, à voir les métiers accessibles et les formations — ou la "
                "VAE — qui comblent l'écart. Voici comment vous en servir en entretien."
            ),
            size="3",
        ),
        section(
            t("1. Faire le point ensemble"),
            t(
                "Sur le téléphone de la personne ou sur votre poste : 25 questions au plus "
                "avant de premiers résultats, puis « Affiner mon bilan » par catégorie. Les "
                "réponses sont gardées sur l'appareil utilisé et sur le serveur sous un "
                "identifiant anonyme ; elles sont auto-déclarées et se discutent."
            ),
        ),
        section(
            t("2. Explorer les métiers et fixer un objectif"),
            t(
                "Les métiers sont classés en « prêt·e maintenant », « à une formation près » "
                "et « projet à plus long terme », chacun avec son explication. Un objectif "
                "donne un plan de formation chiffré (heures, coût, CPF, modalité) que vous "
                "pouvez ajuster au budget et au rythme de la personne."
            ),
        ),
        section(
            t("3. Suivre la personne dans votre espace"),
            t(
                "Avec un compte de votre structure, connectez-vous et ouvrez votre espace "
                "conseiller·ère : « Inviter une personne » donne un code, un lien et un QR "
                "code valables 14 jours. Sur son téléphone, sans compte, la personne voit qui "
                "demande, ce qui sera partagé et pour combien de temps, puis accepte ou "
                "refuse. Vous retrouvez ensuite la liste de vos bénéficiaires (objectif, "
                "proximité à l'objectif et son évolution, dernière activité, « sans nouvelles "
                "depuis 2 mois »), leurs bilans datés comparés au précédent et le plan "
                "d'action."
            ),
        ),
        section(
            t("4. La personne garde la main"),
            t(
                "Depuis « Mon suivi », sur son appareil, elle voit avec qui elle partage et "
                "son plan d'action, et peut « Arrêter le partage » à tout moment : c'est "
                "immédiat, vous ne gardez que le nom saisi et le motif de clôture. Elle peut "
                "aussi télécharger son bilan en PDF, envoyer un lien de partage en lecture "
                "seule ou effacer ses données."
            ),
        ),
        section(
            t("Au fil du temps, et les exports"),
            t(
                "Chaque fois que la personne met à jour son bilan sur son appareil, vous en "
                "recevez une version datée (une par jour au plus ; les précédentes restent "
                "telles qu'elles étaient). Sur la page d'un·e bénéficiaire, choisissez deux "
                "dates : chaque compétence avant → après, la proximité à l'objectif, les heures "
                "de formation restantes et un graphique par catégorie. « Demander une mise à "
                "jour » vous donne un message et un lien à lui envoyer ; la liste le note. "
                "Exportez le bilan et le plan d'action en PDF, à imprimer, et les actions en "
                "CSV (vos notes privées ne figurent dans aucun export)."
            ),
        ),
        section(
            t("Pour un groupe"),
            t(
                "Une structure qui dispose d'un appui technique peut traiter une série de "
                "bilans avec la commande « careerpath recommend » (un fichier JSON Lines en "
                "entrée, les résultats en sortie) : voir le README du projet."
            ),
        ),
        rx.callout(
            t(
                "Pas de compte ? Votre structure vous en ouvre un (responsable de structure "
                "ou administrateur·rice de careerpath) ; sans compte, la personne peut "
                "toujours faire son bilan et vous en montrer le PDF."
            ),
            color_scheme="gray",
            high_contrast=True,
            width="100%",
        ),
        link_button(t("Se connecter à l'espace conseiller·ère"), "/connexion?suivant=/espace"),
        link_button(t("Commencer un bilan"), "/bilan", primary=False),
        rx.link(
            t("Déjà connecté·e : ouvrir mon espace"),
            href="/espace",
            size="3",
        ),
        rx.link(
            t("Parcours écoles : du diplôme au métier"),
            href="/ecoles",
            size="3",
        ),
    )
