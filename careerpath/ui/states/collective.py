"""The collective diagnosis's pages: /groupes (the organiser) and /g/[code] (a member's phone).

Every rule is in services/collective (who sees a group, the anonymity of every figure); the
handlers only call it, off the event loop.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from datetime import UTC, datetime
from typing import Any

import reflex as rx

from careerpath.domain.collective import Panel
from careerpath.i18n import Locale, gettext
from careerpath.services.accounts import Need
from careerpath.services.collective import CollectiveError, Groups, GroupView
from careerpath.services.collective.groups import Levels
from careerpath.services.context import current_context
from careerpath.services.transfer import qr_svg_data_uri
from careerpath.services.workspace import Store, WorkspaceError
from careerpath.ui.states.access import AccessMixin
from careerpath.ui.states.device import device_of, technical_error

log = logging.getLogger(__name__)
HIDDEN = "–"


@dataclasses.dataclass
class GroupItem:
    id: str = ""
    name: str = ""
    kind_name: str = ""
    code: str = ""


@dataclasses.dataclass
class FigureRow:
    """One line of the figures: a category (bold) or a competency; `–` when suppressed."""

    label: str = ""
    today: str = ""
    tomorrow: str = ""
    gap: str = ""
    category: bool = False


@dataclasses.dataclass
class ActionItem:
    id: int = 0
    title: str = ""
    kind: str = ""
    due: str = ""
    status: str = ""
    done: bool = False


@dataclasses.dataclass
class NeedItem:
    code: str = ""
    label: str = ""
    category: str = ""


def _groups() -> Groups:
    return Groups(Store.of())


def _mean(levels: Levels | None) -> str:
    return HIDDEN if levels is None else f"{levels.mean_text} · {levels.level_name} (n={levels.n})"


def _rows(view: GroupView) -> list[FigureRow]:
    rows = []
    for c in view.categories:
        rows.append(
            FigureRow(c.category, _mean(c.today), _mean(c.tomorrow), c.gap_text or HIDDEN, True)
        )
        rows.extend(
            FigureRow(r.label, _mean(r.today), _mean(r.tomorrow), r.gap_text or HIDDEN, False)
            for r in view.competencies
            if r.category == c.category
        )
    return rows


@dataclasses.dataclass
class _Filled:
    name: str
    shown_code: str
    link: str
    qr: str
    assistants: str
    managers: str
    note: str
    rows: list[FigureRow]
    strengths_title: str
    strengths: list[str]
    rising: list[str]
    bridges: list[str]
    actions: list[ActionItem]


def _fetch(groups: Groups, actor: Any, group_id: str, locale: Locale) -> _Filled:
    """(In a worker thread.) One group's figures and plan, as the page shows them."""
    ctx = current_context(locale)
    card = groups.card(actor, group_id, locale)
    view = groups.view(actor, group_id, ctx=ctx)
    plan = groups.plan(actor, group_id)
    return _Filled(
        name=card.name,
        shown_code=card.shown_code,
        link=card.url,
        qr=qr_svg_data_uri(card.url),
        assistants=HIDDEN if view.assistants is None else str(view.assistants),
        managers=HIDDEN if view.managers is None else str(view.managers),
        note=view.note,
        rows=_rows(view),
        strengths_title=view.strengths_title,
        strengths=[f"{s.label} ({s.words})" for s in view.strengths],
        rising=[f"{n.label} : {n.words}" for n in view.rising],
        bridges=[f"{b.title} : {b.ready}" for b in (view.bridges or ())],
        actions=[
            ActionItem(
                a.id,
                a.title,
                a.kind.value,
                a.due.isoformat() if a.due else "",
                a.status.value,
                a.status.value == "done",
            )
            for a in plan.actions
        ],
    )


class OrganiserState(AccessMixin, rx.State):
    """/groupes: the organiser's groups, one group's figures, its shared plan, the export."""

    groups: list[GroupItem] = []
    selected: str = ""
    name: str = ""
    shown_code: str = ""
    link: str = ""
    qr: str = ""
    assistants: str = ""
    managers: str = ""
    note: str = ""
    rows: list[FigureRow] = []
    strengths_title: str = ""
    strengths: list[str] = []
    rising: list[str] = []
    bridges: list[str] = []
    actions: list[ActionItem] = []
    message: str = ""
    error: str = ""

    async def _load_all(self, locale: Locale) -> bool:
        actor = await self._actor_for(Need.SIGNED_IN)
        if actor is None:
            return False
        groups = _groups()
        cards = await asyncio.to_thread(groups.mine, actor, locale)
        self.groups = [GroupItem(c.id, c.name, c.kind_name, c.shown_code) for c in cards]
        if self.selected and self.selected not in {c.id for c in cards}:
            self.selected = ""
        if self.selected:
            self._fill(await asyncio.to_thread(_fetch, groups, actor, self.selected, locale))
        return True

    def _fill(self, filled: _Filled) -> None:
        for field in dataclasses.fields(filled):
            setattr(self, field.name, getattr(filled, field.name))

    @rx.event
    async def load(self) -> Any:
        _, locale = await device_of(self, create=False)
        self.message = self.error = ""
        try:
            if not await self._load_all(locale):
                return self._refusal()
        except Exception:
            log.exception("loading /groupes failed")
            self.error = technical_error(locale)
        return None

    @rx.event
    async def create(self, form: dict[str, Any]) -> Any:
        _, locale = await device_of(self, create=False)
        actor = await self._actor_for(Need.SIGNED_IN)
        if actor is None:
            return self._refusal()
        subgroups = [s for s in str(form.get("subgroups", "") or "").split(",") if s.strip()]
        try:
            card = await asyncio.to_thread(
                _groups().create,
                actor,
                str(form.get("name", "") or ""),
                str(form.get("kind", "") or ""),
                subgroups=subgroups,
            )
            self.selected = card.id
            await self._load_all(locale)
            self.error = ""
            self.message = gettext("Groupe créé : partagez son code ou son QR code.", locale)
        except CollectiveError as refused:
            self.error = refused.message(locale)
        except Exception:
            log.exception("creating a group failed")
            self.error = technical_error(locale)
        return None

    @rx.event
    async def open(self, group_id: str) -> Any:
        _, locale = await device_of(self, create=False)
        self.selected = str(group_id)[:32]
        self.message = self.error = ""
        try:
            if not await self._load_all(locale):
                return self._refusal()
        except CollectiveError as refused:
            self.error = refused.message(locale)
        except Exception:
            log.exception("opening a group failed")
            self.error = technical_error(locale)
        return None

    @rx.event
    async def add_action(self, form: dict[str, Any]) -> Any:
        _, locale = await device_of(self, create=False)
        actor = await self._actor_for(Need.SIGNED_IN)
        if actor is None:
            return self._refusal()
        try:
            await asyncio.to_thread(
                _groups().add_action,
                actor,
                self.selected,
                str(form.get("kind", "") or "free"),
                str(form.get("title", "") or ""),
                "",
                str(form.get("due", "") or ""),
            )
            await self._load_all(locale)
            self.error = ""
        except WorkspaceError as refused:  # CollectiveError is one
            self.error = refused.message(locale)
        except Exception:
            log.exception("adding a group action failed")
            self.error = technical_error(locale)
        return None

    @rx.event
    async def mark_done(self, action_id: int) -> Any:
        _, locale = await device_of(self, create=False)
        actor = await self._actor_for(Need.SIGNED_IN)
        if actor is None:
            return self._refusal()
        try:
            await asyncio.to_thread(
                _groups().set_status, actor, self.selected, int(action_id), "done"
            )
            await self._load_all(locale)
        except Exception:
            log.exception("updating a group action failed")
            self.error = technical_error(locale)
        return None

    @rx.event
    async def download_csv(self) -> Any:
        _, locale = await device_of(self, create=False)
        actor = await self._actor_for(Need.SIGNED_IN)
        if actor is None:
            return self._refusal()
        try:
            text = await asyncio.to_thread(
                lambda: _groups().export_csv(
                    actor, self.selected, ctx=current_context(locale), locale=locale
                )
            )
        except CollectiveError as refused:
            self.error = refused.message(locale)
            return None
        except Exception:
            log.exception("exporting a group failed")
            self.error = technical_error(locale)
            return None
        today = datetime.now(UTC).date().isoformat()
        return rx.download(data=text, filename=f"groupe-{today}.csv", mime_type="text/csv")


def levels_of(form: dict[str, Any]) -> dict[str, int]:
    """The levels a needs form sent (competency → level); what is not one ASCII digit is
    left out ("²", 5,000 digits), and the service says which competency or level is wrong."""
    needs: dict[str, int] = {}
    for code, value in form.items():
        text = str(value or "")
        if len(text) == 1 and text.isascii() and text.isdigit():
            needs[str(code)[:200]] = int(text)
    return needs


class JoinState(rx.State):
    """/g/[code]: join a group from a phone, answer as the people assistants work for, leave."""

    code: str = ""
    name: str = ""
    organiser: str = ""
    structure: str = ""
    subgroups: list[str] = []
    member: bool = False
    panel: str = ""
    answered: int = 0
    needs: list[NeedItem] = []
    message: str = ""
    error: str = ""

    def _code(self) -> str:
        return str(self.router.page.params.get("code", "") or "")[:40]

    async def _refresh(self, locale: Locale) -> None:
        device_id, _ = await device_of(self, create=False)
        groups = _groups()
        code = self._code()
        preview = await asyncio.to_thread(groups.preview, code, locale)
        self.code = preview.code
        self.name, self.organiser, self.structure = (
            preview.name,
            preview.organiser,
            preview.structure,
        )
        self.subgroups = list(preview.subgroups)
        membership = (
            await asyncio.to_thread(groups.membership, code, device_id) if device_id else None
        )
        self.member = membership is not None
        self.panel = membership.panel.value if membership else ""
        self.answered = membership.answered if membership else 0
        if membership is not None and membership.panel is Panel.MANAGER:
            ref = (await asyncio.to_thread(current_context, locale)).referential
            self.needs = [NeedItem(c.code, c.label, c.category) for c in ref.competencies]
        else:
            self.needs = []

    @rx.event
    async def load(self) -> None:
        _, locale = await device_of(self, create=False)
        self.message = self.error = ""
        try:
            await self._refresh(locale)
        except CollectiveError as refused:
            self.name = ""
            self.error = refused.message(locale)
        except Exception:
            log.exception("loading /g/[code] failed")
            self.error = technical_error(locale)

    async def _join(self, panel: str, new_assessment: bool, subgroup: str) -> None:
        device_id, locale = await device_of(self)
        try:
            await asyncio.to_thread(
                lambda: _groups().join(
                    self._code(),
                    device_id,
                    panel,
                    subgroup=subgroup,
                    new_assessment=new_assessment,
                )
            )
            await self._refresh(locale)
            self.error = ""
            self.message = gettext(
                "Vous participez au groupe. Vous pouvez le quitter à tout moment.", locale
            )
        except CollectiveError as refused:
            self.error = refused.message(locale)
        except Exception:
            log.exception("joining a group failed")
            self.error = technical_error(locale)

    @rx.event
    async def join(self, form: dict[str, Any]) -> Any:
        panel = str(form.get("panel", "") or "")
        choice = str(form.get("assessment", "") or "current")
        await self._join(panel, choice == "new", str(form.get("subgroup", "") or ""))
        if self.member and self.panel == Panel.ASSISTANT.value and self.answered == 0:
            return rx.redirect("/bilan")
        return None

    @rx.event
    async def save_needs(self, form: dict[str, Any]) -> None:
        device_id, locale = await device_of(self, create=False)
        needs = levels_of(form)
        try:
            await asyncio.to_thread(
                lambda: _groups().answer_needs(
                    self._code(), device_id, needs, ctx=current_context(locale)
                )
            )
            await self._refresh(locale)
            self.error = ""
            self.message = gettext("Merci : vos réponses sont enregistrées.", locale)
        except CollectiveError as refused:
            self.error = refused.message(locale)
        except Exception:
            log.exception("saving needs failed")
            self.error = technical_error(locale)

    @rx.event
    async def leave(self) -> None:
        device_id, locale = await device_of(self, create=False)
        try:
            await asyncio.to_thread(_groups().leave, self._code(), device_id)
            await self._refresh(locale)
            self.message = gettext(
                "Vous avez quitté le groupe : vos réponses n'y comptent plus.", locale
            )
            self.error = ""
        except CollectiveError as refused:
            self.error = refused.message(locale)
        except Exception:
            log.exception("leaving a group failed")
            self.error = technical_error(locale)
