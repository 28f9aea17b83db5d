"""« Continuer sur un autre appareil »: the code and QR on the first device, /continuer on the
second. The rules (format, expiry, single use, what moves) live in services/transfer.py."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

import reflex as rx
from reflex.event import EventSpec

from careerpath.i18n import DEFAULT_LOCALE, Locale, gettext
from careerpath.services.transfer import (
    CODE_LIFETIME,
    TransferError,
    TransferStore,
    qr_svg_data_uri,
    transfer_url,
)
from careerpath.ui.states.device import CLEAR_DEVICE_SCRIPT, DeviceState, device_of
from careerpath.ui.states.route import page_params

log = logging.getLogger(__name__)
WATCH_EVERY_SECONDS = 2.0


class TransferState(rx.State):
    """The first device shows a code until the other device uses it; the second types it."""

    code: str = ""
    qr: str = ""
    link: str = ""
    minutes: int = 0
    message: str = ""
    moved: bool = False
    typed: str = ""
    error: str = ""
    _watching: bool = False

    # -- the device that holds the assessment ------------------------------------------

    @rx.event
    async def start(self) -> EventSpec | None:
        device_id, locale = await device_of(self, create=False)
        self.message = ""
        self.moved = False
        try:
            made = await asyncio.to_thread(TransferStore().create, device_id)
        except TransferError as refused:
            self.message = refused.reason(locale)
            return None
        except Exception:
            log.exception("making a transfer code failed")
            self.message = gettext(
                "Le code n'a pas pu être créé. Réessayez dans un instant.", locale
            )
            return None
        self.code = made.display
        self.link = transfer_url(made.code)
        self.qr = qr_svg_data_uri(self.link)
        self.minutes = int(CODE_LIFETIME.total_seconds() // 60)
        if self._watching:
            return None
        self._watching = True
        return TransferState.watch

    @rx.event
    def cancel(self) -> None:
        """Hide the code (it expires by itself; a new one would cancel it anyway)."""
        self.code = ""
        self.qr = ""
        self.link = ""

    @rx.event(background=True)
    async def watch(self) -> Any:
        """Until the code is used or expires: then forget this device's copy."""
        deadline = datetime.now(UTC) + CODE_LIFETIME
        locale: Locale = DEFAULT_LOCALE
        try:
            while datetime.now(UTC) < deadline:
                await asyncio.sleep(WATCH_EVERY_SECONDS)
                async with self:
                    if not self.code:
                        return
                    device = await self.get_state(DeviceState)
                    device_id, locale = device.device_id, device._locale()
                if await asyncio.to_thread(TransferStore().moved_away, device_id):
                    async with self:
                        device = await self.get_state(DeviceState)
                        device._forget_device()
                        self.code = self.qr = self.link = ""
                        self.moved = True
                        self.message = gettext(
                            "Votre bilan est maintenant sur l'autre appareil : celui-ci n'en "
                            "garde plus rien.",
                            locale,
                        )
                    yield rx.call_script(CLEAR_DEVICE_SCRIPT)
                    return
            async with self:
                if self.code:
                    self.code = self.qr = self.link = ""
                    self.message = gettext(
                        "Le code a expiré. Demandez-en un nouveau si besoin.", locale
                    )
        finally:
            async with self:
                self._watching = False

    # -- the other device: /continuer ----------------------------------------------------

    @rx.event
    def load_code_page(self) -> None:
        typed = str(page_params(self).get("code", "") or "")
        self.typed = typed[:40]
        self.error = ""

    @rx.event
    def set_typed(self, value: str) -> None:
        self.typed = str(value)[:40]

    @rx.event
    async def redeem(self, form: dict[str, Any]) -> list[EventSpec] | None:
        device_id, locale = await device_of(self)
        typed = str(form.get("code", "") or "")[:40]
        self.typed = typed
        try:
            await asyncio.to_thread(TransferStore().redeem, typed, device_id)
        except TransferError as refused:
            self.error = refused.reason(locale)
            return None
        except Exception:
            log.exception("redeeming a transfer code failed")
            self.error = gettext(
                "Le bilan n'a pas pu être transféré. Réessayez dans un instant.", locale
            )
            return None
        self.error = ""
        self.typed = ""
        # The answers kept on this device belong to another assessment now.
        return [rx.call_script(CLEAR_ANSWERS_SCRIPT), rx.redirect("/profil")]


CLEAR_ANSWERS_SCRIPT = (
    "window.careerpathDevice && window.careerpathDevice.forgetAnswers "
    "&& window.careerpathDevice.forgetAnswers()"
)
