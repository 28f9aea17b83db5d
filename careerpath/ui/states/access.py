"""Who is signed in, for every Reflex event: the helper every protected page calls.

The session cookie is HttpOnly: the page's JavaScript never sees it, but the browser sends
it with the websocket's opening request, and Reflex keeps that request's headers for the
connection (`self.router.headers.cookie`, server side only: Reflex never sends the cookie
header back to the page). Signing in or out reloads the page, so a new websocket carries
the new cookie.

How a page uses it (authorisation is decided by the services, on every event):

    class BeneficiaryState(AccessMixin, rx.State):
        @rx.event
        async def load(self):
            actor = await self._actor_for(Need.COUNSELLOR_WORKSPACE)
            if actor is None:
                return self._refusal()      # redirect to /connexion, or shows the denial
            ...                             # then services(actor, …) check the object

    @rx.page(route="/x", on_load=BeneficiaryState.load)
    def page():
        return page_frame(access_gate(BeneficiaryState, content()))

Every later event handler of the page starts with the same `_actor_for` call: a session
that expired or was ended elsewhere stops working at the next click, not at the next page.
"""

from __future__ import annotations

import asyncio
import logging

import reflex as rx
from reflex.event import EventSpec

from careerpath.services.accounts import AccessDenied, Accounts, Actor, Need, Target, safe_next
from careerpath.services.accounts.service import session_token
from careerpath.services.assessments import is_device_id
from careerpath.ui.states.device import DeviceState

log = logging.getLogger(__name__)

SIGN_IN_ROUTE = "/connexion"


async def current_actor(state: rx.State) -> Actor:
    """The actor of this event: its account (from the session cookie) and device id."""
    token = session_token(state.router.headers.cookie)
    device = await state.get_state(DeviceState)
    device_id = device.device_id if is_device_id(device.device_id) else ""
    return await asyncio.to_thread(Accounts().resolve, token, device_id)


class AccessMixin(rx.State, mixin=True):
    """`access` says what the page may show: pending, allowed, denied or sign_in."""

    access: str = "pending"
    account_name: str = ""
    account_email: str = ""
    account_role: str = ""

    async def _actor_for(self, need: Need, target: Target | None = None) -> Actor | None:
        """The actor when the rules allow `need` (on `target`), else None (see `_refusal`)."""
        actor = await current_actor(self)
        try:
            await asyncio.to_thread(Accounts().authorise, actor, need, target)
        except AccessDenied as denied:
            self.access = "sign_in" if denied.code == "sign_in" else "denied"
            return None
        self.access = "allowed"
        account = actor.account
        self.account_name = account.display_name if account else ""
        self.account_email = account.email if account else ""
        self.account_role = account.role.value if account else ""
        return actor

    def _refusal(self) -> EventSpec | None:
        """What to do after a refusal: send to the sign-in page, or stay on the denial."""
        if self.access != "sign_in":
            return None
        here = safe_next(self.router.url.path or "/")
        query = f"?suivant={here}" if here and here != SIGN_IN_ROUTE else ""
        return rx.redirect(f"{SIGN_IN_ROUTE}{query}")
