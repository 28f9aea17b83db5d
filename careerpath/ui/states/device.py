"""The device: an anonymous id and the language, both kept in the browser's local storage.

The id is what the server files a person's assessments under (no account needed); the
language is a preference. Both reach the server with the hydrate event, before any page's
on_load handler runs.
"""

from __future__ import annotations

import asyncio

import reflex as rx
from reflex.event import EventSpec

from careerpath.i18n import ENGLISH, Locale, as_locale, gettext
from careerpath.services.assessments import AssessmentStore, is_device_id, new_device_id
from careerpath.services.transfer import TransferStore

CLEAR_DEVICE_SCRIPT = "window.careerpathDevice && window.careerpathDevice.clear()"
"""Browser code forgetting everything the device keeps (answers, results, device id)."""
DEVICE_KEY = "careerpath_device"
LANG_KEY = "careerpath_lang"


class DeviceState(rx.State):
    """What the browser remembers between visits."""

    device_id: str = rx.LocalStorage("", name=DEVICE_KEY, sync=True)
    lang: str = rx.LocalStorage("fr", name=LANG_KEY, sync=True)
    moved_away: bool = False
    _tab_noted: str = ""
    """The device id this tab was last recorded for (see `note_tab`)."""

    @rx.var
    def is_english(self) -> bool:
        return as_locale(self.lang) == ENGLISH

    def _locale(self) -> Locale:
        return as_locale(self.lang)

    def _ensure_device_id(self) -> str:
        """The device id, created on first visit (or when the stored one is not ours)."""
        if not is_device_id(self.device_id):
            self.device_id = new_device_id()
        return self.device_id

    def _forget_device(self) -> None:
        self.device_id = ""

    @rx.event
    async def check_moved(self) -> EventSpec | None:
        """When another device took this one's assessment with a code, forget our copy."""
        if not self.device_id or not await asyncio.to_thread(
            TransferStore().moved_away, self.device_id
        ):
            return None
        self._forget_device()
        self.moved_away = True
        return rx.call_script(CLEAR_DEVICE_SCRIPT)

    async def _note_tab(self) -> None:
        """Record once that this tab works for the device, so that deleting the device's data
        also wipes this tab's state (careerpath/ui/states/forget.py); the write runs in a
        thread, as every handler's database work does."""
        if self.device_id and self._tab_noted != self.device_id:
            device_id, token = self.device_id, self.router.session.client_token
            await asyncio.to_thread(AssessmentStore().remember_tab, device_id, token)
            self._tab_noted = device_id


def technical_error(locale: Locale) -> str:
    """What a page says when a service failed: the details go to the log, not the screen."""
    return gettext(
        "Un problème technique nous empêche d'afficher cette page. Réessayez dans un instant.",
        locale,
    )


async def device_of(state: rx.State, create: bool = True) -> tuple[str, Locale]:
    """(device id, locale) for a page's handler; the id is "" when none exists and not created."""
    device = await state.get_state(DeviceState)
    device_id = device._ensure_device_id() if create else device.device_id
    if is_device_id(device_id):
        await device._note_tab()
    return device_id, device._locale()
