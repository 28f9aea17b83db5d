"""/admin/referentiel: upload a referential, read its diff, apply it, roll back (admins only).

The upload streams into a file of the data directory (`rx.upload_files_chunk`, a background
event: never more than `MAX_UPLOAD_BYTES` is kept), then the service reads it in a worker
thread. « Appliquer » and « Revenir à cette version » are background events too: the
service runs in a thread while the event polls its progress into the bar, so neither this
tab nor any other waits on the event loop; the referential in service changes only at the
service's commit.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import reflex as rx

from careerpath.i18n import Locale, by_locale, gettext
from careerpath.services.accounts import Actor, Need
from careerpath.services.referential_admin import (
    KINDS,
    MAX_UPLOAD_BYTES,
    AdminRefused,
    Preview,
    ReferentialAdmin,
    VersionView,
    collection_name,
    step_label,
    upload_limit,
)
from careerpath.ui.states.access import AccessMixin
from careerpath.ui.states.account import DISPLAY_ZONE
from careerpath.ui.states.device import device_of, technical_error

log = logging.getLogger(__name__)

UPLOAD_ID = "referentiel"
HEARTBEAT_SECONDS = 5.0
"""How often a running upload, preview, apply or restore says it is still alive."""
STALE_BUSY_SECONDS = 60.0
"""A page busy with no sign of life for this long lost its worker (a restart, a crash):
`load` makes it usable again."""
KIND_NAMES = {
    "bundle": by_locale("Lot CSV careerpath"),
    "rome": by_locale("ROME 4.0"),
    "esco": by_locale("ESCO"),
    "rollback": by_locale("Retour à une version"),
    "initial": by_locale("Référentiel d'origine"),
}


@dataclasses.dataclass
class DiffRow:
    """One collection of the diff: how many added, changed, removed, and which."""

    name: str = ""
    added: int = 0
    changed: int = 0
    removed: int = 0
    added_codes: str = ""
    changed_codes: str = ""
    removed_codes: str = ""


@dataclasses.dataclass
class VersionRow:
    """One kept version as the page lists it."""

    id: int = 0
    title: str = ""
    detail: str = ""
    current: bool = False


def _codes(codes: tuple[str, ...], locale: Locale, shown: int = 8) -> str:
    if len(codes) <= shown:
        return ", ".join(codes)
    return gettext(
        "{codes}… et {n} autres", locale, codes=", ".join(codes[:shown]), n=len(codes) - shown
    )


def _diff_rows(preview: Preview, locale: Locale) -> list[DiffRow]:
    return [
        DiffRow(
            name=collection_name(name, locale),
            added=len(change.added),
            changed=len(change.changed),
            removed=len(change.removed),
            added_codes=_codes(change.added, locale),
            changed_codes=_codes(change.changed, locale),
            removed_codes=_codes(change.removed, locale),
        )
        for name, change in preview.changes.collections.items()
    ]


def _impact_lines(preview: Preview, locale: Locale) -> list[str]:
    impact = preview.impact
    return [
        gettext(
            "Bilans qui notent une compétence supprimée : {n}",
            locale,
            n=impact.assessments_rating_removed,
        ),
        gettext(
            "Bilans dont le métier actuel ou visé est supprimé : {n}",
            locale,
            n=impact.assessments_aiming_removed,
        ),
        gettext(
            "Actions de plans d'action qui citent une formation supprimée : {n}",
            locale,
            n=impact.actions_citing_removed,
        ),
    ]


def _version_row(version: VersionView, locale: Locale) -> VersionRow:
    when = version.applied_at.astimezone(DISPLAY_ZONE).strftime(gettext("%d/%m/%Y %H:%M", locale))
    parts = [when]
    if version.applied_by:
        parts.append(version.applied_by)
    if version.file_name:
        parts.append(version.file_name)
    if version.restored_from is not None:
        parts.append(gettext("copie de la version {n}", locale, n=version.restored_from))
    changes = [
        gettext(
            "{name} +{added} ~{changed} −{removed}",
            locale,
            name=collection_name(name, locale),
            added=a,
            changed=c,
            removed=r,
        )
        for name, (a, c, r) in version.counts.items()
        if a or c or r
    ]
    if changes:
        parts.append(", ".join(changes))
    return VersionRow(
        id=version.id,
        title=gettext(
            "Version {n} — {kind}", locale, n=version.id, kind=KIND_NAMES[version.kind][locale]
        )
        if version.kind in KIND_NAMES
        else gettext("Version {n}", locale, n=version.id),
        detail=" · ".join(parts),
        current=version.current,
    )


class _Progress:
    """What the service's thread reports, read by the polling event."""

    def __init__(self) -> None:
        self.step = "read"
        self.fraction = 0.0

    def __call__(self, step: str, fraction: float) -> None:
        self.step, self.fraction = step, max(self.fraction, fraction)


class ReferentialAdminState(AccessMixin, rx.State):
    """The page's state: the staged upload's diff or report, progress, the versions."""

    kind: str = "bundle"
    busy: bool = False
    progress: int = 0
    step: str = ""
    error: str = ""
    report: list[str] = []
    warnings: list[str] = []
    message: str = ""
    staging_id: str = ""
    file_name: str = ""
    diff: list[DiffRow] = []
    impact: list[str] = []
    unchanged: bool = False
    versions: list[VersionRow] = []
    _alive_at: float = 0.0
    """When the running work last said it was alive (`time.time()`, any worker's clock)."""

    def _start(self) -> None:
        self.busy, self.progress = True, 0
        self._beat()

    def _beat(self) -> None:
        self._alive_at = time.time()

    def _clear(self) -> None:
        self.error = self.message = ""
        self.report = []
        self.warnings = []

    def _forget_preview(self) -> None:
        self.staging_id = self.file_name = ""
        self.diff = []
        self.impact = []
        self.unchanged = False

    async def _load_versions(self, actor: Actor, locale: Locale) -> None:
        versions = await asyncio.to_thread(ReferentialAdmin().versions, actor)
        self.versions = [_version_row(v, locale) for v in versions]

    @rx.event
    async def load(self) -> Any:
        _, locale = await device_of(self, create=False)
        self._clear()
        actor = await self._actor_for(Need.ADMINISTER)
        if actor is None:
            return self._refusal()
        if self.busy and time.time() - self._alive_at > STALE_BUSY_SECONDS:
            self.busy, self.step = False, ""  # its work died with its worker
        if not self.busy:
            self.progress = 0
        try:
            await self._load_versions(actor, locale)
        except Exception:
            log.exception("loading /admin/referentiel failed")
            self.error = technical_error(locale)
        return None

    @rx.event
    def set_kind(self, value: str) -> None:
        self.kind = value if value in KINDS else "bundle"

    @rx.event
    async def drop_rejected(self, rejections: list[dict[str, Any]]) -> None:
        """The browser refused the file before sending it (not a zip, or over the limit)."""
        _, locale = await device_of(self, create=False)
        self._clear()
        codes = {
            str(error.get("code", ""))
            for rejection in rejections[:5]
            if isinstance(rejection, dict)
            for error in (rejection.get("errors") or [])
            if isinstance(error, dict)
        }
        if "file-too-large" in codes:
            self.error = AdminRefused(
                "too_large",
                size=gettext("plus de {limit}", locale, limit=upload_limit()),
                limit=upload_limit(),
            ).message(locale)
        else:
            self.error = gettext("Choisissez un seul fichier zip.", locale)

    @rx.event(background=True)
    async def receive(self, chunks: rx.UploadChunkIterator) -> Any:
        """The upload, written to a file as it comes (never past the limit), then read."""
        async with self:
            _, locale = await device_of(self, create=False)
            actor = await self._actor_for(Need.ADMINISTER)
            if actor is None:
                return self._refusal()
            if self.busy:
                return None
            self._clear()
            self._forget_preview()
            self._start()
            self.step = gettext("Réception du fichier", locale)
            kind = self.kind
        target: Path | None = None
        try:
            admin = await asyncio.to_thread(ReferentialAdmin)
            try:
                # Forgets this administrator's previous upload; refuses when full.
                target = await asyncio.to_thread(admin.incoming_file, actor)
            except AdminRefused as refused:
                async with self:
                    self.error = refused.message(locale)
                return None
            name, size, too_large = "", 0, False
            beat = time.monotonic()
            handle = await asyncio.to_thread(target.open, "wb")
            try:
                async for chunk in chunks:
                    name = name or chunk.filename
                    size += len(chunk.data)
                    if size > MAX_UPLOAD_BYTES:
                        too_large = True
                        break
                    await asyncio.to_thread(handle.write, chunk.data)
                    if time.monotonic() - beat > HEARTBEAT_SECONDS:
                        beat = time.monotonic()
                        async with self:
                            self._beat()
            finally:
                await asyncio.to_thread(handle.close)
            if too_large:
                async with self:
                    self.error = AdminRefused(
                        "too_large",
                        size=gettext("plus de {limit}", locale, limit=upload_limit()),
                        limit=upload_limit(),
                    ).message(locale)
                return None
            holder = _Progress()
            outcome = await self._run(
                lambda: admin.stage(actor, kind, name, target, holder), holder, locale
            )
            async with self:
                if isinstance(outcome, Preview):
                    self.staging_id = outcome.staging_id
                    self.file_name = outcome.file_name
                    self.diff = _diff_rows(outcome, locale)
                    self.impact = _impact_lines(outcome, locale)
                    self.warnings = outcome.warning_lines(locale)[:50]
                    self.unchanged = outcome.changes.is_empty
            return None
        finally:
            # Whatever happened (the browser gone mid-upload, an error before `_run`), the
            # page is not left busy and the received bytes do not stay behind (`stage`
            # moves them away when it takes them).
            if target is not None:
                with contextlib.suppress(OSError):
                    await asyncio.to_thread(target.unlink, True)
            async with self:
                self.busy = False

    async def _run(
        self, work: Callable[[], object], holder: _Progress, locale: Locale
    ) -> object | None:
        """Run `work` in a thread, showing its progress; errors become the page's message."""
        task = asyncio.ensure_future(asyncio.to_thread(work))
        while not task.done():
            await asyncio.wait({task}, timeout=0.3)
            async with self:
                self.progress = int(holder.fraction * 100)
                self.step = step_label(holder.step, locale)
                self._beat()
        async with self:
            self.busy = False
            try:
                result = task.result()
            except AdminRefused as refused:
                self.error = refused.message(locale)
                self.report = refused.report(locale)
                return None
            except Exception:
                log.exception("administering the referential failed")
                self.error = technical_error(locale)
                return None
            self.progress = 100
            return result

    @rx.event(background=True)
    async def apply(self) -> Any:
        async with self:
            _, locale = await device_of(self, create=False)
            actor = await self._actor_for(Need.ADMINISTER)
            if actor is None:
                return self._refusal()
            if self.busy or not self.staging_id:
                return None
            self._clear()
            staging_id = self.staging_id
            self._start()
        try:
            holder = _Progress()
            admin = await asyncio.to_thread(ReferentialAdmin)
            outcome = await self._run(
                lambda: admin.apply(actor, staging_id, holder), holder, locale
            )
            async with self:
                self._forget_preview()
                if isinstance(outcome, VersionView):
                    self.message = gettext(
                        "Référentiel appliqué : version {n}, en service.", locale, n=outcome.id
                    )
                with contextlib.suppress(Exception):
                    await self._load_versions(actor, locale)
        finally:
            async with self:
                self.busy = False
        return None

    @rx.event(background=True)
    async def restore(self, version_id: int) -> Any:
        async with self:
            _, locale = await device_of(self, create=False)
            actor = await self._actor_for(Need.ADMINISTER)
            if actor is None:
                return self._refusal()
            if self.busy:
                return None
            self._clear()
            self._start()
        try:
            holder = _Progress()
            admin = await asyncio.to_thread(ReferentialAdmin)
            try:
                wanted = int(version_id)
            except (TypeError, ValueError):
                wanted = -1
            outcome = await self._run(lambda: admin.restore(actor, wanted, holder), holder, locale)
            async with self:
                if isinstance(outcome, VersionView):
                    self.message = gettext(
                        "Version {old} remise en service (enregistrée comme version {n}).",
                        locale,
                        old=wanted,
                        n=outcome.id,
                    )
                with contextlib.suppress(Exception):
                    await self._load_versions(actor, locale)
        finally:
            async with self:
                self.busy = False
        return None

    @rx.event
    async def cancel(self) -> Any:
        _, locale = await device_of(self, create=False)
        actor = await self._actor_for(Need.ADMINISTER)
        if actor is None:
            return self._refusal()
        staging_id = self.staging_id
        self._clear()
        self._forget_preview()
        try:
            await asyncio.to_thread(ReferentialAdmin().cancel, actor, staging_id)
        except Exception:
            log.exception("cancelling an upload failed")
            self.error = technical_error(locale)
            return None
        self.message = gettext("Envoi annulé : rien n'a changé.", locale)
        return None
