"""The classroom display (/ecoles/[diplome]/classe): one step of a diploma's map per slide,
a QR code to the same map on students' phones, and the optional class poll."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

import reflex as rx
from reflex.event import EventSpec

from careerpath.i18n import Locale, as_locale, gettext
from careerpath.services import class_poll, labels, qr, schools
from careerpath.ui.states.device import device_of, technical_error
from careerpath.ui.states.route import page_params
from careerpath.ui.states.schools import StepRow, diploma_facts, step_row

log = logging.getLogger(__name__)

POLL_REFRESH_S = 3.0
POLL_WATCH_S = 4 * 3600
"""The display asks the database for the class's answers every few seconds while it shows a
poll (every worker sees the same answers), for at most a school day's session."""


@dataclass
class SlideRole:
    """A first job on the display, with the moves after it and the diplomas leading to it."""

    role: str = ""
    title: str = ""
    score: int = 0
    score_text: str = ""
    next: list[StepRow] = field(default_factory=list)
    ways_in: str = ""


@dataclass
class PollCount:
    title: str = ""
    count: int = 0
    share: int = 0


class ClassroomState(rx.State):
    loaded: bool = False
    found: bool = False
    error: str = ""
    code: str = ""
    title: str = ""
    facts: str = ""
    roles: list[SlideRole] = []
    step: int = 0
    link: str = ""
    link_text: str = ""
    qr: str = ""
    proximity: str = ""
    poll_code: str = ""
    poll_error: str = ""
    poll_voters: int = 0
    poll_shown: bool = False
    poll_counts: list[PollCount] = []
    _poll_key: str = ""
    _locale: Locale = "fr"
    _watch: int = 0

    @rx.var
    def slide_count(self) -> int:
        """Title, first jobs, one slide per first job's moves, then the poll's results."""
        return 2 + len(self.roles) + (1 if self.poll_code else 0)

    @rx.var
    def slide_label(self) -> str:
        return f"{self.step + 1} / {2 + len(self.roles) + (1 if self.poll_code else 0)}"

    @rx.var
    def poll_min(self) -> int:
        return class_poll.MIN_VOTERS

    def _set_link(self) -> None:
        path = f"/c/{self.poll_code}" if self.poll_code else f"/ecoles/{self.code}"
        self.link = qr.public_link(path)
        self.link_text = qr.short_text(self.link)
        self.qr = qr.qr_svg_data_uri(self.link)

    @rx.event
    async def load(self) -> None:
        _, locale = await device_of(self, create=False)
        self._locale = locale
        self.error = ""
        self.step = 0
        self.code = str(page_params(self).get("diplome", "") or "")[:200]
        self._watch += 1  # a loop left from an earlier visit stops
        self.poll_code, self._poll_key, self.poll_counts = "", "", []
        self.poll_voters, self.poll_shown = 0, False
        try:
            found = await asyncio.to_thread(schools.progression, None, self.code, locale=locale)
        except schools.UnknownDiploma:
            self.found = False
            self.loaded = True
            return
        except Exception:
            log.exception("loading the classroom display of %s failed", self.code)
            self.error = technical_error(locale)
            self.found = False
            self.loaded = True
            return
        self.title, self.facts = found.diploma.title, diploma_facts(found.diploma, locale)
        self.proximity = schools.PROXIMITY_SENTENCE[locale]
        roles = []
        for first in found.first_roles:
            ways = await asyncio.to_thread(schools.ways_into, None, first.role, locale, after=False)
            roles.append(
                SlideRole(
                    role=first.role,
                    title=first.title,
                    score=round(first.score),
                    score_text=labels.percent(first.score, locale),
                    next=[step_row(n, self.code, locale) for n in found.next_steps[first.role]],
                    ways_in=" · ".join(w.diploma.title for w in ways.direct),
                )
            )
        self.roles = roles
        self._set_link()
        self.found = True
        self.loaded = True

    @rx.event
    def next_slide(self) -> None:
        self.step = min(self.step + 1, self.slide_count - 1)

    @rx.event
    def previous_slide(self) -> None:
        self.step = max(self.step - 1, 0)

    @rx.event
    def first_slide(self) -> None:
        self.step = 0

    @rx.event
    def last_slide(self) -> None:
        self.step = self.slide_count - 1

    @rx.event
    async def start_poll(self) -> EventSpec | None:
        if not self.found or self.poll_code:
            return None
        self.poll_error = ""
        try:
            opened = await asyncio.to_thread(class_poll.open_poll, self.code)
        except class_poll.PollRefused:
            self.poll_error = gettext(
                "Trop de sondages sont en cours : réessayez dans un moment.", self._locale
            )
            return None
        except Exception:
            log.exception("opening a class poll for %s failed", self.code)
            self.error = technical_error(self._locale)
            return None
        self.poll_code, self._poll_key = opened.code, opened.key
        self.poll_voters, self.poll_shown, self.poll_counts = 0, False, []
        self._set_link()
        self.step = 0  # the QR code now carries the poll: show it large
        self._watch += 1
        return ClassroomState.watch_poll(self._watch)  # type: ignore[misc,no-any-return]

    @rx.event
    async def end_poll(self) -> None:
        code, key = self.poll_code, self._poll_key
        self._watch += 1
        self.poll_code, self._poll_key, self.poll_counts = "", "", []
        self.poll_voters, self.poll_shown = 0, False
        self.step = min(self.step, self.slide_count - 1)
        self._set_link()
        if code:
            try:
                await asyncio.to_thread(class_poll.end, code, key)
            except class_poll.PollClosed:
                pass
            except Exception:
                log.exception("ending a class poll failed")

    @rx.event
    def stop_watching(self) -> None:
        """The display left the page: its poll loop stops (the poll itself runs on)."""
        self._watch += 1

    def _apply(self, found: class_poll.PollResults) -> None:
        self.poll_voters, self.poll_shown = found.voters, found.shown
        top = max((c.count for c in found.counts), default=0)
        self.poll_counts = [
            PollCount(c.title, c.count, round(100 * c.count / top) if top else 0)
            for c in found.counts
        ]

    @rx.event(background=True)
    async def watch_poll(self, watch: int) -> None:
        """Refresh the class's answers from the database while this poll is shown."""
        rounds = int(POLL_WATCH_S / POLL_REFRESH_S)
        for _ in range(rounds):
            async with self:
                if self._watch != watch or not self.poll_code:
                    return
                code, key, locale = self.poll_code, self._poll_key, self._locale
            try:
                found = await asyncio.to_thread(class_poll.results, code, key, _locale(locale))
            except class_poll.PollClosed:
                async with self:
                    if self._watch == watch:
                        self.poll_code, self._poll_key, self.poll_counts = "", "", []
                        self.poll_voters, self.poll_shown = 0, False
                        self.step = min(self.step, self.slide_count - 1)
                        self._set_link()
                return
            except Exception:
                log.exception("reading a class poll failed")
            else:
                async with self:
                    if self._watch != watch:
                        return
                    self._apply(found)
            await asyncio.sleep(POLL_REFRESH_S)


def _locale(value: str) -> Locale:
    return as_locale(value)
