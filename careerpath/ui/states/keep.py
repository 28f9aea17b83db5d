"""Keeping and sharing results: the PDF bilan, a read-only share link, deleting everything."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import asdict
from datetime import date
from typing import Any

import reflex as rx
from reflex.event import EventSpec

from careerpath.services.assessments import AssessmentStore, StoredAssessment, share_url
from careerpath.services.bilan_pdf import bilan_report, render_bilan
from careerpath.services.context import current_context
from careerpath.services.labels import Locale
from careerpath.ui.states.device import DeviceState, device_of
from careerpath.ui.states.forget import forget_tabs
from careerpath.ui.states.offload import current_assessment
from careerpath.ui.states.results import STRENGTHS_SHOWN, plan_items

log = logging.getLogger(__name__)


def make_pdf(locale: Locale, stored: StoredAssessment, today: date) -> bytes:
    """The bilan's PDF (engine and rendering: call it in a thread)."""
    return render_bilan(bilan_report(current_context(locale), stored, today=today))


def _pdf_name(day: date) -> str:
    return f"bilan-careerpath-{day.isoformat()}.pdf"


class KeepState(rx.State):
    """The "Garder et partager" block of the profile and plan screens."""

    share_url: str = ""
    message: str = ""
    deleted: bool = False

    @rx.event
    async def download_pdf(self) -> EventSpec | None:
        device_id, locale = await device_of(self)
        try:
            stored = await asyncio.to_thread(current_assessment, device_id)
            if stored is None:
                self.message = (
                    "Aucun bilan à télécharger : commencez par faire le point."
                    if locale == "fr"
                    else "No review to download yet: start with the self-assessment."
                )
                return None
            today = date.today()
            pdf = await asyncio.to_thread(make_pdf, locale, stored, today)
        except Exception:
            log.exception("making the PDF failed")
            self.message = (
                "Le PDF n'a pas pu être préparé. Réessayez dans un instant."
                if locale == "fr"
                else "The PDF could not be made. Please try again shortly."
            )
            return None
        self.message = ""
        return rx.download(data=pdf, filename=_pdf_name(today), mime_type="application/pdf")

    @rx.event
    async def create_share_link(self) -> None:
        device_id, locale = await device_of(self)
        try:
            stored = await asyncio.to_thread(current_assessment, device_id)
            if stored is None:
                self.message = (
                    "Aucun bilan à partager pour l'instant."
                    if locale == "fr"
                    else "Nothing to share yet."
                )
                return
            token = await asyncio.to_thread(AssessmentStore().share, stored.id)
        except Exception:
            log.exception("creating a share link failed")
            self.message = (
                "Le lien n'a pas pu être créé. Réessayez dans un instant."
                if locale == "fr"
                else "The link could not be created. Please try again shortly."
            )
            return
        # Never from the request's Origin or Host header: a forged one would hand out links
        # to another site. The configured public URL (CAREERPATH_PUBLIC_URL) says where we are.
        self.share_url = share_url(token)
        self.message = (
            "Toute personne qui a ce lien peut voir ce bilan (sans pouvoir le modifier)."
            if locale == "fr"
            else "Anyone with this link can see this review (but not change it)."
        )

    @rx.event
    async def delete_data(self) -> list[EventSpec]:
        device = await self.get_state(DeviceState)
        locale = device._locale()
        try:
            tabs: list[str] = []
            if device.device_id:
                device_id = device.device_id

                def delete() -> list[str]:
                    store = AssessmentStore()
                    tabs = store.tabs_of(device_id)
                    store.delete_device(device_id)
                    return tabs

                tabs = await asyncio.to_thread(delete)
            # Every tab of the device forgets what it showed, in the page and in Reflex's
            # state store (disk or Redis), this one included.
            await forget_tabs(self, tabs)
        except Exception:
            log.exception("deleting a device's data failed")
            self.message = (
                "La suppression a échoué. Réessayez dans un instant."
                if locale == "fr"
                else "Deleting failed. Please try again shortly."
            )
            return []
        self.deleted = True
        self.message = (
            "Vos données ont été supprimées de cet appareil et du serveur."
            if locale == "fr"
            else "Your data was deleted from this device and from the server."
        )
        return [
            rx.call_script("window.careerpathDevice && window.careerpathDevice.clear()"),
            rx.redirect("/bilan"),
        ]

    @rx.event
    def clear(self) -> None:
        """Forget the last message and link when a page opens."""
        self.share_url = ""
        self.message = ""
        self.deleted = False


class ShareState(rx.State):
    """/partage/[token]: a read-only view of a shared result."""

    loaded: bool = False
    found: bool = False
    error: str = ""
    made_on: str = ""
    situation: str = ""
    current_role: str = ""
    strengths: list[dict[str, Any]] = []
    more_strengths: list[dict[str, Any]] = []
    categories: list[dict[str, Any]] = []
    target_title: str = ""
    score_text: str = ""
    items: list[dict[str, Any]] = []
    route_sentence: str = ""
    blocked_sentence: str = ""
    estimate_note: str = ""
    summary: str = ""
    uncovered_sentence: str = ""

    def _token(self) -> str:
        return str(self.router.page.params.get("token", "") or "")[:100]

    @rx.event
    async def load(self) -> None:
        _, locale = await device_of(self, create=False)
        self.error = ""
        try:
            stored = await asyncio.to_thread(AssessmentStore().by_share_token, self._token())
            self.found = stored is not None
            if stored is None:
                self.loaded = True
                return
            report = await asyncio.to_thread(
                lambda: bilan_report(
                    current_context(locale), stored, today=stored.updated_at.date()
                )
            )
        except Exception:
            log.exception("loading a shared result failed")
            self.error = (
                "Un problème technique nous empêche d'afficher ce bilan. Réessayez dans un instant."
                if locale == "fr"
                else "A technical problem prevents this review from showing."
            )
            self.loaded = True
            return
        self.made_on = (
            f"Bilan mis à jour le {report.made_on.strftime('%d/%m/%Y')}."
            if locale == "fr"
            else f"Review last updated on {report.made_on.isoformat()}."
        )
        self.situation = report.situation
        self.current_role = report.current_role
        strengths = [asdict(s) for s in report.strengths]
        self.strengths = strengths[:STRENGTHS_SHOWN]
        self.more_strengths = strengths[STRENGTHS_SHOWN:]
        self.categories = [asdict(c) for c in report.categories]
        plan = report.plan
        self.target_title = report.target_title
        self.score_text = plan.score_text if plan else ""
        self.items = plan_items(plan.items) if plan else []
        self.summary = (
            f"{plan.hours_text} · {plan.out_of_pocket_text} · {plan.weeks_text}"
            if plan and plan.items
            else ""
        )
        self.route_sentence = plan.route_sentence if plan else ""
        self.blocked_sentence = plan.blocked_sentence if plan else ""
        self.estimate_note = plan.estimate_note if plan else ""
        self.uncovered_sentence = plan.uncovered_sentence if plan else ""
        self.loaded = True

    @rx.event
    async def download_pdf(self) -> EventSpec | None:
        _, locale = await device_of(self, create=False)
        try:
            stored = await asyncio.to_thread(AssessmentStore().by_share_token, self._token())
            if stored is None:
                return None
            today = date.today()
            pdf = await asyncio.to_thread(make_pdf, locale, stored, today)
        except Exception:
            log.exception("making a shared PDF failed")
            return None
        return rx.download(data=pdf, filename=_pdf_name(today), mime_type="application/pdf")
