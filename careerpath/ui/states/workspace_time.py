"""/espace/beneficiaire/[id] over time: two chosen dates side by side (each competency before
→ after, readiness to the goal, the plan's remaining hours, a chart), « Demander une mise à
jour », and the exports (PDF of the bilan and the action plan, CSV of the actions).

Like every workspace state, the handlers ask the services in a thread; the services decide
who may see what (a beneficiary of someone else looks like one that does not exist).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import reflex as rx

from careerpath.i18n import Locale, format_decimal, gettext
from careerpath.services.accounts import Actor, Need
from careerpath.services.workspace import CounsellorPlan, Follow, Store, WorkspaceError
from careerpath.services.workspace.base import is_denial
from careerpath.services.workspace.export import actions_csv, beneficiary_pdf
from careerpath.services.workspace.follow import Comparison
from careerpath.ui.states.access import AccessMixin
from careerpath.ui.states.device import device_of, technical_error
from careerpath.ui.states.route import page_params
from careerpath.ui.states.workspace import ChangeView, _percent, _when, _when_time

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclasses.dataclass
class DateOption:
    id: str = ""
    label: str = ""


@dataclasses.dataclass
class CategoryBar:
    """One category of the chart: mean level (0–4) at each date."""

    category: str = ""
    before: float = 0.0
    after: float = 0.0


@dataclasses.dataclass
class ReadinessPoint:
    date: str = ""
    readiness: float = 0.0


def _hours(value: float | None, locale: Locale) -> str:
    if value is None:
        return "—"
    return gettext("{h} h", locale, h=format_decimal(value, locale))


class TimelineState(AccessMixin, rx.State):
    """Two dates compared, the update request and the exports of one beneficiary."""

    shown: bool = False
    """The person shares and at least one dated snapshot exists."""
    options: list[DateOption] = []
    before_id: str = ""
    after_id: str = ""
    before_date: str = ""
    after_date: str = ""
    before_readiness: str = ""
    after_readiness: str = ""
    before_hours: str = ""
    after_hours: str = ""
    goal: str = ""
    changes: list[ChangeView] = []
    moved: int = 0
    bars: list[CategoryBar] = []
    line: list[ReadinessPoint] = []
    can_write: bool = False
    update_link: str = ""
    update_message: str = ""
    update_requested: str = ""
    error: str = ""

    def _id(self) -> str:
        return str(page_params(self).get("id", "") or "")[:64]

    async def _call(self, work: Callable[[Actor], T]) -> tuple[T | None, Locale]:
        """`work(actor)` in a thread; a refusal becomes the page's denial or its message."""
        _, locale = await device_of(self, create=False)
        actor = await self._actor_for(Need.COUNSELLOR_WORKSPACE)
        if actor is None:
            return None, locale
        self.error = ""
        try:
            return await asyncio.to_thread(work, actor), locale
        except WorkspaceError as error:
            if is_denial(error):
                self.access = "denied"
                self.shown = False
            else:
                self.error = error.message(locale)
        except Exception:
            log.exception("the beneficiary's timeline failed")
            self.error = technical_error(locale)
        return None, locale

    def _show(self, found: Comparison, locale: Locale) -> None:
        self.before_id, self.after_id = found.before.id, found.after.id
        self.before_date = _when_time(found.before.created_at, locale)
        self.after_date = _when_time(found.after.created_at, locale)
        self.before_readiness = _percent(found.before.readiness, locale)
        self.after_readiness = _percent(found.after.readiness, locale)
        self.before_hours = _hours(found.before.plan_hours, locale)
        self.after_hours = _hours(found.after.plan_hours, locale)
        self.goal = found.goal_title
        self.changes = [
            ChangeView(
                label=c.label,
                before="—" if c.before is None else str(c.before),
                after="—" if c.after is None else str(c.after),
                moved=c.before != c.after,
            )
            for c in found.changes
        ]
        self.moved = sum(1 for c in self.changes if c.moved)
        self.bars = [
            CategoryBar(
                category=c.category,
                before=round(c.before or 0.0, 2),
                after=round(c.after or 0.0, 2),
            )
            for c in found.categories
        ]

    async def _compare(self, before: str, after: str) -> None:
        ident = self._id()
        found, locale = await self._call(
            lambda actor: Follow(Store.of()).compare_dates(actor, ident, before, after)
        )
        if found is not None:
            self._show(found, locale)

    @rx.event
    async def load(self) -> None:
        self.shown, self.update_link, self.update_message = False, "", ""
        ident = self._id()
        detail, locale = await self._call(lambda actor: Follow(Store.of()).detail(actor, ident))
        if detail is None:
            return
        self.can_write = detail.sharing and detail.status == "open"
        self.update_requested = (
            gettext(
                "Mise à jour demandée le {date}",
                locale,
                date=_when(detail.update_requested, locale),
            )
            if detail.update_requested is not None
            else ""
        )
        if not detail.sharing or not detail.snapshots:
            return
        self.options = [
            DateOption(id=s.id, label=_when_time(s.created_at, locale))
            for s in reversed(detail.snapshots)
        ]
        self.line = [
            ReadinessPoint(date=_when(s.created_at, locale), readiness=round(s.readiness or 0.0, 1))
            for s in detail.snapshots
            if s.readiness is not None
        ]
        self.shown = True
        await self._compare("", "")

    @rx.event
    async def choose_before(self, snapshot_id: str) -> None:
        await self._compare(str(snapshot_id)[:64], self.after_id)

    @rx.event
    async def choose_after(self, snapshot_id: str) -> None:
        await self._compare(self.before_id, str(snapshot_id)[:64])

    @rx.event
    async def request_update(self) -> None:
        """« Demander une mise à jour »: noted, and a message with the link to send."""
        ident = self._id()
        asked, locale = await self._call(
            lambda actor: Follow(Store.of()).request_update(actor, ident)
        )
        if asked is None:
            return
        self.update_link = asked.link
        self.update_message = gettext(
            "Bonjour, pouvez-vous mettre à jour votre bilan careerpath ? Ouvrez ce lien sur "
            "le téléphone ou l'ordinateur où vous l'avez fait, puis « Mettre à jour mon "
            "bilan » : {link}",
            locale,
            link=asked.link,
        )
        self.update_requested = gettext(
            "Mise à jour demandée le {date}", locale, date=_when(asked.requested_at, locale)
        )

    @rx.event
    async def download_pdf(self) -> Any:
        ident = self._id()
        _, locale = await device_of(self, create=False)
        data, _ = await self._call(
            lambda actor: beneficiary_pdf(
                Follow(Store.of()), CounsellorPlan(Store.of()), actor, ident, locale
            )
        )
        if data is None:
            return None
        return rx.download(data=data, filename="bilan-et-plan.pdf", mime_type="application/pdf")

    @rx.event
    async def download_actions(self) -> Any:
        ident = self._id()
        _, locale = await device_of(self, create=False)
        text, _ = await self._call(
            lambda actor: actions_csv(
                Follow(Store.of()), CounsellorPlan(Store.of()), actor, ident, locale
            )
        )
        if text is None:
            return None
        return rx.download(
            data=text.encode("utf-8"), filename="plan-d-action.csv", mime_type="text/csv"
        )
