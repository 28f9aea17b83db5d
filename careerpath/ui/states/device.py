"""The device: an anonymous id and the language, both kept in the browser's local storage.

The id is what the server files a person's assessments under (no account needed); the
language is a preference. Both reach the server with the hydrate event, before any page's
on_load handler runs.
"""

from __future__ import annotations

import reflex as rx

from careerpath.services.assessments import AssessmentStore, is_device_id, new_device_id
from careerpath.services.labels import Locale

DEVICE_KEY = "careerpath_device"
LANG_KEY = "careerpath_lang"


class DeviceState(rx.State):
    """What the browser remembers between visits."""

    device_id: str = rx.LocalStorage("", name=DEVICE_KEY, sync=True)
    lang: str = rx.LocalStorage("fr", name=LANG_KEY, sync=True)
    _tab_noted: str = ""
    """The device id this tab was last recorded for (see `note_tab`)."""

    @rx.var
    def is_english(self) -> bool:
        return self.lang == "en"

    def _locale(self) -> Locale:
        return "en" if self.lang == "en" else "fr"

    def _ensure_device_id(self) -> str:
        """The device id, created on first visit (or when the stored one is not ours)."""
        if not is_device_id(self.device_id):
            self.device_id = new_device_id()
        return self.device_id

    def _forget_device(self) -> None:
        self.device_id = ""

    def _note_tab(self) -> None:
        """Record once that this tab works for the device, so that deleting the device's data
        also wipes this tab's state (careerpath/ui/states/forget.py)."""
        if self.device_id and self._tab_noted != self.device_id:
            AssessmentStore().remember_tab(self.device_id, self.router.session.client_token)
            self._tab_noted = self.device_id


def technical_error(locale: str) -> str:
    """What a page says when a service failed: the details go to the log, not the screen."""
    return (
        "Un problème technique nous empêche d'afficher cette page. Réessayez dans un instant."
        if locale == "fr"
        else "A technical problem prevents this page from showing. Please try again shortly."
    )


async def device_of(state: rx.State, create: bool = True) -> tuple[str, Locale]:
    """(device id, locale) for a page's handler; the id is "" when none exists and not created."""
    device = await state.get_state(DeviceState)
    device_id = device._ensure_device_id() if create else device.device_id
    if is_device_id(device_id):
        device._note_tab()
    return device_id, device._locale()
