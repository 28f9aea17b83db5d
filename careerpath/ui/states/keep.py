"""Keeping and sharing results: the PDF bilan, a read-only share link, deleting everything
(after a confirming second tap)."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import date

import reflex as rx
from reflex.event import EventSpec

from careerpath.i18n import Locale, format_date, gettext
from careerpath.services.assessments import AssessmentStore, StoredAssessment, share_url
from careerpath.services.bilan_pdf import bilan_report, render_bilan
from careerpath.services.context import current_context
from careerpath.services.erasure import erase_device
from careerpath.services.profile import CategoryLevel, StrengthItem
from careerpath.ui.states.device import CLEAR_DEVICE_SCRIPT, DeviceState, device_of
from careerpath.ui.states.forget import forget_tabs
from careerpath.ui.states.offload import current_assessment
from careerpath.ui.states.results import STRENGTHS_SHOWN, PlanItemRow, plan_items
from careerpath.ui.states.route import page_params

log = logging.getLogger(__name__)


def copy_script(input_id: str, text: str) -> str:
    """Browser code that copies `text` and answers true/false (a Promise, awaited by Reflex).

    The Clipboard API needs a secure context; elsewhere the field's text is selected and
    copied the old way, and when that fails too the selection stays for a manual copy.
    """
    value = json.dumps(text)
    field = json.dumps(input_id)
    return (
        "(function () {"
        f"var text = {value}; var field = document.getElementById({field});"
        "function manual() { if (!field) { return false; } field.focus(); field.select();"
        " try { return document.execCommand('copy'); } catch (e) { return false; } }"
        "if (navigator.clipboard && window.isSecureContext) {"
        " return navigator.clipboard.writeText(text).then(function () { return true; },"
        " function () { return manual(); }); }"
        "return Promise.resolve(manual()); })()"
    )


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
    confirm_delete: bool = False
    copied: bool = False

    @rx.event
    async def download_pdf(self) -> EventSpec | None:
        device_id, locale = await device_of(self)
        try:
            stored = await asyncio.to_thread(current_assessment, device_id)
            if stored is None:
                self.message = gettext(
                    "Aucun bilan à télécharger : commencez par faire le point.", locale
                )
                return None
            today = date.today()
            pdf = await asyncio.to_thread(make_pdf, locale, stored, today)
        except Exception:
            log.exception("making the PDF failed")
            self.message = gettext(
                "Le PDF n'a pas pu être préparé. Réessayez dans un instant.", locale
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
                self.message = gettext("Aucun bilan à partager pour l'instant.", locale)
                return
            token = await asyncio.to_thread(AssessmentStore().share, stored.id)
        except Exception:
            log.exception("creating a share link failed")
            self.message = gettext(
                "Le lien n'a pas pu être créé. Réessayez dans un instant.", locale
            )
            return
        # Never from the request's Origin or Host header: a forged one would hand out links
        # to another site. The configured public URL (CAREERPATH_PUBLIC_URL) says where we are.
        self.share_url = share_url(token)
        self.message = gettext(
            "Toute personne qui a ce lien peut voir ce bilan (sans pouvoir le modifier).", locale
        )

    @rx.event
    def ask_delete(self) -> None:
        """First tap on « Supprimer mes données »: say what goes, ask to confirm."""
        self.confirm_delete = True

    @rx.event
    def cancel_delete(self) -> None:
        self.confirm_delete = False

    @rx.event
    def copy_link(self) -> EventSpec:
        """Copy the share link; `link_copied` says whether the browser allowed it."""
        return rx.call_script(
            copy_script("lien-partage", self.share_url), callback=KeepState.link_copied
        )

    @rx.event
    async def link_copied(self, ok: bool) -> None:
        _, locale = await device_of(self, create=False)
        self.copied = bool(ok)
        self.message = (
            gettext("Lien copié : vous pouvez le coller dans un message.", locale)
            if ok
            else gettext(
                "La copie n'a pas marché : le lien est sélectionné, copiez-le à la main.", locale
            )
        )

    @rx.event
    async def delete_data(self) -> list[EventSpec]:
        device = await self.get_state(DeviceState)
        locale = device._locale()
        if not self.confirm_delete:  # the second, confirming tap only
            self.confirm_delete = True
            return []
        try:
            tabs: list[str] = []
            if device.device_id:
                device_id = device.device_id

                tabs = await asyncio.to_thread(erase_device, device_id)
            # Every tab of the device forgets what it showed, in the page and in Reflex's
            # state store (disk or Redis), this one included.
            await forget_tabs(self, tabs)
        except Exception:
            log.exception("deleting a device's data failed")
            self.message = gettext("La suppression a échoué. Réessayez dans un instant.", locale)
            return []
        self.deleted = True
        self.message = gettext(
            "Vos données ont été supprimées de cet appareil et du serveur.", locale
        )
        return [
            rx.call_script(CLEAR_DEVICE_SCRIPT),
            rx.redirect("/bilan"),
        ]

    @rx.event
    def clear(self) -> None:
        """Forget the last message and link when a page opens."""
        self.share_url = ""
        self.message = ""
        self.deleted = False
        self.confirm_delete = False
        self.copied = False


class ShareState(rx.State):
    """/partage/[token]: a read-only view of a shared result."""

    loaded: bool = False
    found: bool = False
    error: str = ""
    made_on: str = ""
    situation: str = ""
    current_role: str = ""
    strengths: list[StrengthItem] = []
    more_strengths: list[StrengthItem] = []
    categories: list[CategoryLevel] = []
    target_title: str = ""
    score_text: str = ""
    items: list[PlanItemRow] = []
    route_sentence: str = ""
    blocked_sentence: str = ""
    estimate_note: str = ""
    summary: str = ""
    uncovered_sentence: str = ""
    in_progress_sentence: str = ""

    def _token(self) -> str:
        return str(page_params(self).get("token", "") or "")[:100]

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
            self.error = gettext(
                "Un problème technique nous empêche d'afficher ce bilan. Réessayez dans un instant.",
                locale,
            )
            self.loaded = True
            return
        self.made_on = gettext(
            "Bilan mis à jour le {date}.", locale, date=format_date(report.made_on, locale)
        )
        self.situation = report.situation
        self.current_role = report.current_role
        self.strengths = list(report.strengths[:STRENGTHS_SHOWN])
        self.more_strengths = list(report.strengths[STRENGTHS_SHOWN:])
        self.categories = list(report.categories)
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
        self.in_progress_sentence = plan.in_progress_sentence if plan else ""
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
