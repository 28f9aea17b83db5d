"""The collective diagnosis's pages: /groupes (the organiser) and /g/[code] (a member's phone).

Every rule is in services/collective (who sees a group, the anonymity of every figure); the
handlers only call it, off the event loop.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from datetime import UTC, date, datetime
from typing import Any

import reflex as rx

from careerpath.domain.collective import Panel
from careerpath.i18n import Locale, format_date, gettext, ngettext
from careerpath.services.accounts import Need
from careerpath.services.collective import CollectiveError, Comparison, Groups, GroupView
from careerpath.services.collective.groups import Levels, need_categories
from careerpath.services.context import Context, current_context
from careerpath.services.transfer import qr_svg_data_uri
from careerpath.services.workspace import Store, WorkspaceError
from careerpath.ui.states.access import AccessMixin, current_actor
from careerpath.ui.states.device import DeviceState, device_of, technical_error
from careerpath.ui.states.route import page_params

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
class ChartPoint:
    """One level of a category's chart: the share of answers at it, today and tomorrow (%)."""

    level: str = ""
    today: int = 0
    tomorrow: int = 0


@dataclasses.dataclass
class ChartBlock:
    category: str = ""
    points: list[ChartPoint] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class TrainingItem:
    """A training at least k members' own plans share."""

    title: str = ""
    members: str = ""


@dataclasses.dataclass
class CompareRow:
    label: str = ""
    earlier: str = ""
    later: str = ""
    category: bool = False


@dataclasses.dataclass
class NeedItem:
    """One competency of the step on screen, and the level already answered ("": none)."""

    code: str = ""
    label: str = ""
    category: str = ""
    level: str = ""


def _groups() -> Groups:
    return Groups(Store.of())


def _mean(levels: Levels | None) -> str:
    return HIDDEN if levels is None else f"{levels.mean_text} · {levels.level_name} (n={levels.n})"


LEVEL_WORDS = ("0 · Pas encore", "1 · Notions", "2 · Application", "3 · Maîtrise", "4 · Expertise")


def _shares(levels: Levels | None) -> list[int]:
    if levels is None or levels.n == 0:
        return [0] * len(LEVEL_WORDS)
    return [round(100 * c / levels.n) for c in levels.counts]


def _charts(view: GroupView, locale: Locale) -> list[ChartBlock]:
    """A chart per category where at least one panel's figures are shown."""
    words = [gettext(w, locale) for w in LEVEL_WORDS]
    blocks = []
    for c in view.categories:
        if c.today is None and c.tomorrow is None:
            continue
        today, tomorrow = _shares(c.today), _shares(c.tomorrow)
        points = [ChartPoint(words[i], today[i], tomorrow[i]) for i in range(len(words))]
        blocks.append(ChartBlock(c.category, points))
    return blocks


def _compare_rows(earlier: GroupView, later: GroupView, locale: Locale) -> list[CompareRow]:
    rows = [
        CompareRow(
            gettext("Assistant·es", locale),
            HIDDEN if earlier.assistants is None else str(earlier.assistants),
            HIDDEN if later.assistants is None else str(later.assistants),
        )
    ]
    before = {c.category: c for c in earlier.categories}
    for c in later.categories:
        old = before.get(c.category)
        rows.append(CompareRow(c.category, _mean(old.today if old else None), _mean(c.today), True))
    return rows


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
    subgroups: list[str]
    published: str
    charts: list[ChartBlock]
    onboarding: list[str]
    shared: list[str]
    dates: list[str]
    trainings: list[TrainingItem]


def _fetch(
    groups: Groups, actor: Any, group_id: str, locale: Locale, scope: str, device_id: str
) -> _Filled:
    """(In a worker thread.) One group's figures and plan, as the page shows them; the
    device it is opened on is the organiser's (it counts in no figure)."""
    ctx = current_context(locale)
    groups.note_staff_device(actor, group_id, device_id)
    card = groups.card(actor, group_id, locale)
    scope = scope if scope in card.subgroups else ""
    view = groups.view(actor, group_id, scope, ctx=ctx)
    plan = groups.plan(actor, group_id)
    # the whole group's words: the view's own (a sub-group's view carries none)
    shared = list(view.texts) if not scope else groups.shared_texts(actor, group_id, ctx=ctx)
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
        subgroups=list(card.subgroups),
        published=view.published,
        charts=_charts(view, locale),
        onboarding=[f"{n.label} ({n.words})" for n in view.onboarding],
        shared=shared,
        dates=[d.isoformat() for d in groups.published_dates(actor, group_id)],
        trainings=[
            TrainingItem(
                b.title,
                ngettext("{n} membre", "{n} membres", b.ready, locale),
            )
            for b in view.trainings
        ],
    )


def _compare(
    actor: Any, group_id: str, earlier_text: str, later_text: str, scope: str, locale: Locale
) -> tuple[Comparison, date, date]:
    """(In a worker thread.) Two dates typed in the form, compared (or CollectiveError)."""
    try:
        earlier, later = date.fromisoformat(earlier_text), date.fromisoformat(later_text)
    except ValueError as error:
        raise CollectiveError("dates", field="dates") from error
    found = _groups().compare(actor, group_id, earlier, later, scope, ctx=current_context(locale))
    return found, earlier, later


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
    subgroups: list[str] = []
    scope: str = ""
    published: str = ""
    charts: list[ChartBlock] = []
    onboarding: list[str] = []
    shared: list[str] = []
    dates: list[str] = []
    trainings: list[TrainingItem] = []
    compare_title: str = ""
    compare_rows: list[CompareRow] = []
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
            device = await self.get_state(DeviceState)
            self._fill(
                await asyncio.to_thread(
                    _fetch, groups, actor, self.selected, locale, self.scope, device.device_id
                )
            )
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
        self.scope = ""
        self.compare_rows = []
        self.compare_title = ""
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
    async def choose_scope(self, scope: str) -> Any:
        """The whole group ("") or one of its sub-groups."""
        _, locale = await device_of(self, create=False)
        self.scope = str(scope)[:60] if scope in self.subgroups else ""
        self.compare_rows = []
        try:
            if not await self._load_all(locale):
                return self._refusal()
        except Exception:
            log.exception("choosing a sub-group failed")
            self.error = technical_error(locale)
        return None

    @rx.event
    async def compare(self, form: dict[str, Any]) -> Any:
        _, locale = await device_of(self, create=False)
        actor = await self._actor_for(Need.SIGNED_IN)
        if actor is None:
            return self._refusal()
        earlier_text = str(form.get("earlier", "") or "")[:20]
        later_text = str(form.get("later", "") or "")[:20]
        try:
            found, earlier, later = await asyncio.to_thread(
                _compare, actor, self.selected, earlier_text, later_text, self.scope, locale
            )
        except CollectiveError as refused:
            self.error = refused.message(locale)
            return None
        except Exception:
            log.exception("comparing two dates failed")
            self.error = technical_error(locale)
            return None
        self.error = ""
        self.compare_title = gettext(
            "Niveau aujourd'hui des assistant·es : le {earlier} et le {later}",
            locale,
            earlier=format_date(earlier, locale),
            later=format_date(later, locale),
        )
        self.compare_rows = _compare_rows(found.earlier, found.later, locale)
        return None

    @rx.event
    async def add_training(self, title: str) -> Any:
        """A training members' plans share, as a professionalisation action of the group."""
        _, locale = await device_of(self, create=False)
        actor = await self._actor_for(Need.SIGNED_IN)
        if actor is None:
            return self._refusal()
        try:
            await asyncio.to_thread(
                _groups().add_action, actor, self.selected, "training", str(title)[:200]
            )
            await self._load_all(locale)
            self.error = ""
        except WorkspaceError as refused:
            self.error = refused.message(locale)
        except Exception:
            log.exception("adding a shared training failed")
            self.error = technical_error(locale)
        return None

    @rx.event
    async def add_onboarding(self) -> Any:
        _, locale = await device_of(self, create=False)
        actor = await self._actor_for(Need.SIGNED_IN)
        if actor is None:
            return self._refusal()
        try:
            added = await asyncio.to_thread(
                lambda: _groups().add_onboarding(actor, self.selected, ctx=current_context(locale))
            )
            await self._load_all(locale)
            self.error = ""
            self.message = ngettext(
                "{n} étape ajoutée au parcours d'accueil.",
                "{n} étapes ajoutées au parcours d'accueil.",
                added,
                locale,
                n=added,
            )
        except WorkspaceError as refused:
            self.error = refused.message(locale)
        except Exception:
            log.exception("adding the onboarding path failed")
            self.error = technical_error(locale)
        return None

    @rx.event
    async def download_pdf(self) -> Any:
        _, locale = await device_of(self, create=False)
        actor = await self._actor_for(Need.SIGNED_IN)
        if actor is None:
            return self._refusal()
        try:
            data = await asyncio.to_thread(
                lambda: _groups().export_pdf(
                    actor, self.selected, ctx=current_context(locale), locale=locale
                )
            )
        except CollectiveError as refused:
            self.error = refused.message(locale)
            return None
        except Exception:
            log.exception("exporting a group's summary failed")
            self.error = technical_error(locale)
            return None
        today = datetime.now(UTC).date().isoformat()
        return rx.download(data=data, filename=f"groupe-{today}.pdf", mime_type="application/pdf")

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


def levels_of(form: dict[str, Any]) -> dict[str, int | None]:
    """The levels a needs form sent (competency → level; None: « Sans réponse », the answer
    taken back); what is neither empty nor one ASCII digit is left out ("²", 5,000 digits),
    and the service says which competency or level is wrong."""
    needs: dict[str, int | None] = {}
    for code, value in form.items():
        text = str(value or "")
        if not text:
            needs[str(code)[:200]] = None
        elif len(text) == 1 and text.isascii() and text.isdigit():
            needs[str(code)[:200]] = int(text)
    return needs


def _level_text(level: int | None) -> str:
    """A level as the select's value ("": « Sans réponse »)."""
    return "" if level is None else str(level)


class JoinState(rx.State):
    """/g/[code]: join a group from a phone, answer as the people assistants work for, leave.

    The people assistants work for answer one category per step (« Catégorie 2 sur 11 »),
    each answer saved as it is chosen (the service checks it); they come back where they left
    off."""

    code: str = ""
    name: str = ""
    organiser: str = ""
    structure: str = ""
    subgroups: list[str] = []
    member: bool = False
    panel: str = ""
    answered: int = 0
    needs: list[NeedItem] = []
    """The competencies of the step on screen."""
    step: int = 0
    steps: int = 0
    category: str = ""
    step_answered: int = 0
    version: int = 0
    """Changes whenever the step's answers are shown anew (the selects' keys)."""
    _levels: dict[str, int] = {}
    k: int = 5
    shared: str = ""
    message: str = ""
    error: str = ""

    def _code(self) -> str:
        return str(page_params(self).get("code", "") or "")[:40]

    async def _refresh(self, locale: Locale, resume: bool = False) -> None:
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
        self.k = preview.k
        membership = (
            await asyncio.to_thread(groups.membership, code, device_id) if device_id else None
        )
        self.member = membership is not None
        self.panel = membership.panel.value if membership else ""
        self.answered = membership.answered if membership else 0
        self.shared = membership.shared if membership else ""
        if membership is not None and membership.panel is Panel.MANAGER:
            ctx = await asyncio.to_thread(current_context, locale)
            answers = await asyncio.to_thread(groups.needs_of, code, device_id)
            self._levels = dict(answers.levels)
            if resume:
                self.step = answers.resume_step(ctx.referential)
            self._show_step(ctx)
        else:
            self.needs = []
            self.steps = 0
            self._levels = {}

    def _show_step(self, ctx: Context) -> None:
        categories = need_categories(ctx.referential)
        self.steps = len(categories)
        self.step = max(0, min(self.step, self.steps - 1))
        self.category = categories[self.step] if categories else ""
        self.needs = [
            NeedItem(
                c.code,
                c.label,
                c.category,
                str(self._levels[c.code]) if c.code in self._levels else "",
            )
            for c in ctx.referential.competencies
            if c.category == self.category
        ]
        self.step_answered = sum(1 for n in self.needs if n.level != "")
        self.answered = len(self._levels)
        self.version += 1

    @rx.event
    async def load(self) -> None:
        _, locale = await device_of(self, create=False)
        self.message = self.error = ""
        try:
            await self._refresh(locale, resume=True)
        except CollectiveError as refused:
            self.name = ""
            self.error = refused.message(locale)
        except Exception:
            log.exception("loading /g/[code] failed")
            self.error = technical_error(locale)

    async def _join(self, panel: str, new_assessment: bool, subgroup: str) -> None:
        device_id, locale = await device_of(self)
        try:
            actor = await current_actor(self)
            await asyncio.to_thread(
                lambda: _groups().join(
                    self._code(),
                    device_id,
                    panel,
                    subgroup=subgroup,
                    new_assessment=new_assessment,
                    actor=actor,
                )
            )
            await self._refresh(locale, resume=True)
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

    async def _save(self, needs: dict[str, int | None], locale: Locale) -> bool:
        """Save answers of the step on screen (the service checks them); False: refused."""
        shown = {n.code for n in self.needs}
        needs = {c: v for c, v in needs.items() if c in shown and self._levels.get(c) != v}
        if not needs:
            return True
        device_id, _ = await device_of(self, create=False)
        try:
            await asyncio.to_thread(
                lambda: _groups().answer_needs(
                    self._code(), device_id, needs, ctx=current_context(locale)
                )
            )
        except CollectiveError as refused:
            self.error = refused.message(locale)
            return False
        except Exception:
            log.exception("saving needs failed")
            self.error = technical_error(locale)
            return False
        merged = {**self._levels, **needs}
        self._levels = {c: v for c, v in merged.items() if v is not None}
        self.needs = [
            dataclasses.replace(n, level=_level_text(needs[n.code])) if n.code in needs else n
            for n in self.needs
        ]
        self.step_answered = sum(1 for n in self.needs if n.level != "")
        self.answered = len(self._levels)
        self.error = ""
        return True

    @rx.event
    async def rate_need(self, code: str, value: str) -> None:
        """One answer, saved as it is chosen."""
        _, locale = await device_of(self, create=False)
        self.message = ""
        await self._save(levels_of({str(code)[:200]: value}), locale)

    async def _move(self, form: dict[str, Any], by: int) -> None:
        _, locale = await device_of(self, create=False)
        # the step's selects as they stand (an answer whose save was lost is saved now)
        if not await self._save(levels_of(form), locale):
            return
        last = self.step + 1 >= self.steps
        if by > 0 and last:
            self.message = gettext("Merci : vos réponses sont enregistrées.", locale)
            return
        self.message = ""
        self.step = max(0, self.step + by)
        try:
            self._show_step(await asyncio.to_thread(current_context, locale))
        except Exception:
            log.exception("showing a step of needs failed")
            self.error = technical_error(locale)

    @rx.event
    async def next_needs(self, form: dict[str, Any]) -> None:
        """« Suivant » (« Terminer » on the last category)."""
        await self._move(form, 1)

    @rx.event
    async def previous_needs(self) -> None:
        await self._move({}, -1)

    @rx.event
    async def share(self, form: dict[str, Any]) -> None:
        """The member's own words, kept only when the consent box is ticked."""
        device_id, locale = await device_of(self, create=False)
        text = str(form.get("shared", "") or "")[:5000]
        consent = str(form.get("consent", "") or "") in {"on", "true", "yes"}
        try:
            await asyncio.to_thread(_groups().share_text, self._code(), device_id, text, consent)
            await self._refresh(locale)
            self.error = ""
            self.message = (
                gettext("Merci : votre texte est partagé avec qui organise le groupe.", locale)
                if self.shared
                else gettext("Votre texte n'est plus partagé.", locale)
            )
        except CollectiveError as refused:
            self.error = refused.message(locale)
        except Exception:
            log.exception("sharing a member's words failed")
            self.error = technical_error(locale)

    @rx.event
    async def leave(self) -> None:
        device_id, locale = await device_of(self, create=False)
        try:
            await asyncio.to_thread(_groups().leave, self._code(), device_id)
            await self._refresh(locale)
            self.message = gettext(
                "Vous avez quitté le groupe : vos réponses ne comptent plus dans les chiffres "
                "publiés ensuite.",
                locale,
            )
            self.error = ""
        except CollectiveError as refused:
            self.error = refused.message(locale)
        except Exception:
            log.exception("leaving a group failed")
            self.error = technical_error(locale)
