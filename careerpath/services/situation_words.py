"""Words that fit the person's situation: whom they talk to, where their value text goes.

A person in a job talks to their manager; a job seeker to their conseiller·ère (France
Travail, APEC, mission locale…); a person in training to their formateur·rice or tuteur·rice.
"""

from __future__ import annotations

from careerpath.services.labels import Locale

_TALK_TO = {
    "fr": {
        "en_poste": "parlez-en à votre manager ou à un·e conseiller·ère en évolution professionnelle",
        "en_recherche": "parlez-en à votre conseiller·ère (France Travail, APEC, mission locale…)",
        "en_formation": "parlez-en à votre formateur·rice ou à votre tuteur·rice en entreprise",
    },
    "en": {
        "en_poste": "talk to your manager or a career counsellor",
        "en_recherche": "talk to your job-search counsellor (France Travail, APEC…)",
        "en_formation": "talk to your trainer or your workplace tutor",
    },
}
_VALUE_USES = {
    "fr": {
        "en_poste": "un CV, un entretien annuel ou une discussion de salaire",
        "en_recherche": "un CV, une lettre de motivation ou un entretien d'embauche",
        "en_formation": "un CV, une candidature de stage ou d'alternance",
    },
    "en": {
        "en_poste": "a CV, an annual review or a salary talk",
        "en_recherche": "a CV, a cover letter or a job interview",
        "en_formation": "a CV, an internship or work-study application",
    },
}


def talk_to(situation: str, locale: Locale = "fr") -> str:
    return _TALK_TO[locale].get(situation, _TALK_TO[locale]["en_poste"])


def value_uses(situation: str, locale: Locale = "fr") -> str:
    return _VALUE_USES[locale].get(situation, _VALUE_USES[locale]["en_poste"])
