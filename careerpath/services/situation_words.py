"""Words that fit the person's situation: whom they talk to, where their value text goes.

A person in a job talks to their manager; a job seeker to their conseiller·ère (France
Travail, APEC, mission locale…); a person in training to their formateur·rice or tuteur·rice.
"""

from __future__ import annotations

from careerpath.i18n import N_, Locale, by_locale_table

_TALK_TO = by_locale_table(
    {
        "en_poste": N_(
            "parlez-en à votre manager ou à un·e conseiller·ère en évolution professionnelle"
        ),
        "en_recherche": N_(
            "parlez-en à votre conseiller·ère (France Travail, APEC, mission locale…)"
        ),
        "en_formation": N_("parlez-en à votre formateur·rice ou à votre tuteur·rice en entreprise"),
    }
)
_VALUE_USES = by_locale_table(
    {
        "en_poste": N_("un CV, un entretien annuel ou une discussion de salaire"),
        "en_recherche": N_("un CV, une lettre de motivation ou un entretien d'embauche"),
        "en_formation": N_("un CV, une candidature de stage ou d'alternance"),
    }
)


def talk_to(situation: str, locale: Locale = "fr") -> str:
    return _TALK_TO[locale].get(situation, _TALK_TO[locale]["en_poste"])


def value_uses(situation: str, locale: Locale = "fr") -> str:
    return _VALUE_USES[locale].get(situation, _VALUE_USES[locale]["en_poste"])
