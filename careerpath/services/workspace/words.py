"""The names of action kinds and statuses, in the reader's language: one table for the pages,
the PDF and the CSV exports."""

from __future__ import annotations

from careerpath.domain.actions import ActionKind, ActionStatus
from careerpath.i18n import N_, by_locale_table

ACTION_KIND_NAMES = by_locale_table(
    {
        ActionKind.TRAINING.value: N_("Formation"),
        ActionKind.VAE.value: N_("Étape de VAE"),
        ActionKind.IMMERSION.value: N_("Immersion (PMSMP)"),
        ActionKind.APPLICATION.value: N_("Candidature"),
        ActionKind.INTERVIEW.value: N_("Entretien"),
        ActionKind.NETWORK.value: N_("Rejoindre un réseau"),
        ActionKind.ONBOARDING.value: N_("Intégration"),
        ActionKind.MEETING.value: N_("Réunion"),
        ActionKind.FREE.value: N_("Autre action"),
    }
)
ACTION_STATUS_NAMES = by_locale_table(
    {
        ActionStatus.TODO.value: N_("À faire"),
        ActionStatus.DOING.value: N_("En cours"),
        ActionStatus.DONE.value: N_("Fait"),
        ActionStatus.ABANDONED.value: N_("Abandonné"),
        ActionStatus.WAITING.value: N_("En attente"),
    }
)
