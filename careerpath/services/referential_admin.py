"""Administering the referential from the browser: upload, preview, apply, roll back.

The steps an administrator takes on /admin/referentiel, each one audited:

1. `stage` keeps the uploaded zip (at most `MAX_UPLOAD_BYTES`) in a staging folder of the
   data directory, unpacks it safely, reads it with the importer of its kind (the CLI's own
   code: same validation, same file/line/column report) and returns a `Preview`: the
   change report against the referential in service and what it does to existing data.
   Nothing is written to the referential; a bad file raises `AdminRefused` with the
   importer's report.
2. `apply` (run in a worker thread by the page's background event) reads the staged files
   again, checks that the referential in service is still the one the preview compared
   with, then writes the new referential and its version row in one transaction. Until the
   commit, every request keeps reading the old referential; after it, each worker's
   `load_referential` sees the new content version and rebuilds its engine.
3. `versions` lists every applied version; `restore` writes one of them back (one
   transaction), itself recorded as a new version.

`cancel` forgets a staged upload. Every method checks `Need.ADMINISTER` first.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import get_args

from sqlmodel import Session

from careerpath.config import Settings, load_settings
from careerpath.data import referential_versions as versions_store
from careerpath.data import repository
from careerpath.data.database import engine_for
from careerpath.data.errors import ImportIssue, ImportRejected, StaleReferential
from careerpath.data.importers.archive import unpack
from careerpath.data.importers.limits import MAX_ARCHIVE_BYTES, human_size
from careerpath.data.referential_versions import Impact, StoredVersion
from careerpath.domain.access import Account, Actor, Need, decide
from careerpath.domain.changes import COLLECTIONS, ChangeReport, CollectionChange, compare
from careerpath.domain.referential import Referential
from careerpath.i18n import Locale, by_locale, gettext
from careerpath.services.accounts import audit
from careerpath.services.accounts.clock import Clock, aware, utc_now
from careerpath.services.accounts.service import AccessDenied
from careerpath.services.referential import SourceKind, read_source
from careerpath.services.referential import load_referential as load_in_service

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
"""Largest zip the page accepts (the ESCO archives, the largest official files, are ~80 MB)."""
KINDS: tuple[SourceKind, ...] = get_args(SourceKind)
STAGING_LIFETIME = timedelta(days=1)
"""How long an upload waits for « Appliquer » or « Annuler » before it is forgotten."""
MAX_STAGING_BYTES = 3 * 1024 * 1024 * 1024
"""Most the staging folder may hold: a new upload is refused unless the largest one (its
zip and what it unpacks to) still fits. Each administrator has one staged upload at a time
(a new one replaces it), so this only bites with several administrators at once."""
_STAGING_ID = re.compile(r"^[0-9a-f]{32}$")

Progress = Callable[[str, float], None]
"""(step, fraction done from 0 to 1): what the page's progress bar shows."""

STEPS = {
    "read": by_locale("Lecture et validation des fichiers"),
    "compare": by_locale("Comparaison avec le référentiel en service"),
    "write": by_locale("Écriture du nouveau référentiel"),
    "done": by_locale("Terminé"),
}

MESSAGES = {
    "too_large": by_locale("Fichier trop gros ({size}) : {limit} au plus."),
    "empty": by_locale("Choisissez un fichier zip à envoyer."),
    "kind": by_locale("Type de référentiel inconnu."),
    "gone": by_locale(
        "Cet envoi n'existe plus (déjà appliqué ou annulé) : envoyez le fichier à nouveau."
    ),
    "stale": by_locale(
        "Le référentiel en service a changé depuis l'aperçu : envoyez le fichier à nouveau "
        "pour voir les différences à jour. Rien n'a été modifié."
    ),
    "no_version": by_locale("Cette version n'existe pas."),
    "already": by_locale("Cette version est déjà en service."),
    "rejected": by_locale("Fichier refusé ; le référentiel en service n'a pas changé."),
    "staging_full": by_locale(
        "Trop d'envois en attente sur le serveur ({size}, {limit} au plus) : appliquez ou "
        "annulez ceux des autres administrateurs, ou réessayez demain."
    ),
}


class AdminRefused(Exception):
    """A refusal with its message and, for a bad file, the importer's report lines."""

    def __init__(self, code: str, *, issues: list[ImportIssue] | None = None, **params: object):
        super().__init__(code)
        self.code = code
        self.issues = issues or []
        self.params = params

    def message(self, locale: Locale = "fr") -> str:
        return MESSAGES[self.code][locale].format(**self.params)

    def report(self, locale: Locale = "fr") -> list[str]:
        """One line per problem: file, line, column and reason (as the CLI prints them)."""
        return [issue.describe(locale) for issue in self.issues]


@dataclass(frozen=True)
class Preview:
    """What applying a staged upload would do."""

    staging_id: str
    kind: SourceKind
    file_name: str
    changes: ChangeReport
    impact: Impact
    counts: dict[str, int]
    """Rows of each collection in the uploaded referential."""
    warnings: tuple[ImportIssue, ...] = ()

    def warning_lines(self, locale: Locale = "fr") -> list[str]:
        return [w.describe(locale) for w in self.warnings]


@dataclass(frozen=True)
class VersionView:
    """A version as the page lists it."""

    id: int
    kind: str
    file_name: str
    applied_by: str
    applied_at: datetime
    counts: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    """Collection → (added, changed, removed) against the version before it."""
    restored_from: int | None = None
    current: bool = False


def _counts(referential: Referential) -> dict[str, int]:
    return {name: len(getattr(referential, name)) for name in COLLECTIONS}


def _parse_summary(text: str) -> dict[str, tuple[int, int, int]]:
    try:
        data = json.loads(text or "{}")
        return {str(k): (int(v[0]), int(v[1]), int(v[2])) for k, v in data.items()}
    except (ValueError, TypeError, IndexError, AttributeError):
        return {}


class ReferentialAdmin:
    """The administration of the referential over one database."""

    def __init__(
        self, url: str | None = None, clock: Clock = utc_now, settings: Settings | None = None
    ) -> None:
        self.settings = settings or load_settings()
        self.url = url or self.settings.database_url
        self.engine = engine_for(self.url)
        self.clock = clock
        self.staging_root = self.settings.data_dir / "staging"

    # -- authorisation and audit --------------------------------------------------------

    def _require(self, actor: Actor | None) -> Account | None:
        """The administrator acting, or None for the platform's operator at the command
        line (`actor` None: who runs the CLI on the server administers it already)."""
        if actor is None:
            return None
        decision = decide(actor, Need.ADMINISTER)
        if not decision.allowed or actor.account is None:
            raise AccessDenied(decision)
        return actor.account

    def _audit(self, account: Account | None, action: str, detail: str) -> None:
        with Session(self.engine) as session:
            audit.record(session, action, self.clock(), actor=account, detail=detail)
            session.commit()

    # -- staging ------------------------------------------------------------------------

    def _folder(self, staging_id: str) -> Path:
        if not _STAGING_ID.match(staging_id or ""):
            raise AdminRefused("gone")
        folder = self.staging_root / staging_id
        if not (folder / "meta.json").is_file():
            raise AdminRefused("gone")
        return folder

    def stage(
        self,
        actor: Actor | None,
        kind: str,
        file_name: str,
        data: bytes | Path,
        progress: Progress | None = None,
    ) -> Preview:
        """Keep and read an upload (its bytes, or the file it was received in, which is
        moved away); its diff against the referential in service."""
        account = self._require(actor)
        file_name = Path(file_name or "").name[:255] or "envoi.zip"
        size = data.stat().st_size if isinstance(data, Path) else len(data)
        if isinstance(data, Path) and (kind not in KINDS or not size or size > MAX_UPLOAD_BYTES):
            data.unlink(missing_ok=True)
        if kind not in KINDS:
            raise AdminRefused("kind")
        if not size:
            raise AdminRefused("empty")
        if size > MAX_UPLOAD_BYTES:
            self._audit(account, "referential_rejected", f"{file_name}: {human_size(size)}")
            raise AdminRefused(
                "too_large", size=human_size(size), limit=human_size(MAX_UPLOAD_BYTES)
            )
        self._forget_stale_uploads()
        self._forget_uploads_of(account)
        if not isinstance(data, Path):
            self._check_room()
        current = load_in_service(self.url)
        staging_id = secrets.token_hex(16)
        folder = self.staging_root / staging_id
        folder.mkdir(parents=True)
        try:
            if isinstance(data, Path):
                shutil.move(data, folder / "upload.zip")
            else:
                (folder / "upload.zip").write_bytes(data)
            incoming, warnings = self._read(folder, kind, file_name, progress)
        except ImportRejected as rejected:
            shutil.rmtree(folder, ignore_errors=True)
            self._audit(
                account,
                "referential_rejected",
                f"{file_name} ({kind}): {len(rejected.errors)} erreur(s)",
            )
            raise AdminRefused("rejected", issues=rejected.issues) from rejected
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        if progress:
            progress("compare", 0.9)
        changes = compare(current, incoming)
        removed = {
            name: tuple(changes.collections.get(name, CollectionChange()).removed)
            for name in ("competencies", "roles", "trainings")
        }
        impact = versions_store.impact(
            self.engine, removed["competencies"], removed["roles"], removed["trainings"]
        )
        (folder / "meta.json").write_text(
            json.dumps(
                {
                    "kind": kind,
                    "file_name": file_name,
                    "base_version": current.version,
                    "account": account.id if account else "",
                }
            ),
            encoding="utf-8",
        )
        self._audit(account, "referential_previewed", f"{file_name} ({kind})")
        if progress:
            progress("done", 1.0)
        return Preview(
            staging_id,
            kind,
            file_name,
            changes,
            impact,
            _counts(incoming),
            tuple(warnings),
        )

    def _read(
        self, folder: Path, kind: SourceKind, file_name: str, progress: Progress | None
    ) -> tuple[Referential, list[ImportIssue]]:
        if progress:
            progress("read", 0.0)
        root = unpack(folder / "upload.zip", file_name, folder / "files")

        def step(_label: str, done: int, total: int) -> None:
            if progress:
                progress("read", 0.8 * done / max(total, 1))

        incoming, warnings = read_source(kind, root, step)
        refused = repository.storage_issues(incoming)
        if refused:
            raise ImportRejected(refused)
        return incoming, warnings

    def _forget_stale_uploads(self) -> None:
        """Uploads neither applied nor cancelled go after `STAGING_LIFETIME`."""
        if not self.staging_root.is_dir():
            return
        limit = time.time() - STAGING_LIFETIME.total_seconds()
        for entry in self.staging_root.iterdir():
            try:
                if entry.stat().st_mtime >= limit:
                    continue
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
            except OSError:
                continue

    def _forget_uploads_of(self, account: Account | None) -> None:
        """A new upload replaces the one its administrator staged before (its preview is
        no longer on their page): one staged upload per administrator."""
        if not self.staging_root.is_dir():
            return
        who = account.id if account else ""
        for meta in self.staging_root.glob("*/meta.json"):
            try:
                owner = json.loads(meta.read_text(encoding="utf-8")).get("account", "")
            except (OSError, ValueError, AttributeError):
                continue
            if owner == who:
                shutil.rmtree(meta.parent, ignore_errors=True)

    def staging_bytes(self) -> int:
        """What the staging folder holds, in bytes (zips received and their files)."""
        total = 0
        for directory, _, files in os.walk(self.staging_root):
            for name in files:
                try:
                    total += os.lstat(os.path.join(directory, name)).st_size
                except OSError:
                    continue
        return total

    def _check_room(self) -> None:
        """Refuse an upload unless the largest one still fits under `MAX_STAGING_BYTES`."""
        used = self.staging_bytes()
        if used + MAX_UPLOAD_BYTES + MAX_ARCHIVE_BYTES > MAX_STAGING_BYTES:
            raise AdminRefused(
                "staging_full", size=human_size(used), limit=human_size(MAX_STAGING_BYTES)
            )

    def incoming_file(self, actor: Actor | None) -> Path:
        """A fresh file to receive an upload into (then given to `stage`): the actor's
        previous upload is forgotten first, and `AdminRefused("staging_full")` raised when
        the staging folder has no room for another."""
        account = self._require(actor)
        self._forget_stale_uploads()
        self._forget_uploads_of(account)
        self._check_room()
        self.staging_root.mkdir(parents=True, exist_ok=True)
        return self.staging_root / f"incoming-{secrets.token_hex(16)}.zip"

    def cancel(self, actor: Actor | None, staging_id: str) -> None:
        """« Annuler »: the staged upload is forgotten; nothing else changes."""
        account = self._require(actor)
        try:
            folder = self._folder(staging_id)
        except AdminRefused:
            return
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        shutil.rmtree(folder, ignore_errors=True)
        self._audit(account, "referential_cancelled", str(meta.get("file_name", "")))

    # -- applying and restoring -----------------------------------------------------------

    def apply(
        self, actor: Actor | None, staging_id: str, progress: Progress | None = None
    ) -> VersionView:
        """« Appliquer »: the staged referential replaces the one in service, atomically."""
        account = self._require(actor)
        folder = self._folder(staging_id)
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        kind, file_name = meta["kind"], meta["file_name"]
        current = load_in_service(self.url)
        if current.version != meta["base_version"]:
            shutil.rmtree(folder, ignore_errors=True)
            self._audit(account, "referential_failed", f"{file_name}: stale")
            raise AdminRefused("stale")
        try:
            shutil.rmtree(folder / "files", ignore_errors=True)
            incoming, _ = self._read(folder, kind, file_name, progress)
        except ImportRejected as rejected:  # the staged files were valid: only if tampered
            shutil.rmtree(folder, ignore_errors=True)
            self._audit(account, "referential_failed", file_name)
            raise AdminRefused("rejected", issues=rejected.issues) from rejected
        changes = compare(current, incoming)
        try:
            self._write(current, incoming, changes, kind, file_name, account, progress)
        except StaleReferential as stale:  # another change landed during the reading
            shutil.rmtree(folder, ignore_errors=True)
            self._audit(account, "referential_failed", f"{file_name}: stale")
            raise AdminRefused("stale") from stale
        shutil.rmtree(folder, ignore_errors=True)
        latest = versions_store.list_versions(self.engine)[0]
        self._audit(
            account,
            "referential_applied",
            f"v{latest.id} {file_name} ({kind}) " + "; ".join(changes.summary("fr")),
        )
        if progress:
            progress("done", 1.0)
        return self._view(latest, current=True)

    def restore(
        self, actor: Actor | None, version_id: int, progress: Progress | None = None
    ) -> VersionView:
        """« Revenir à cette version »: write a kept version back, in one transaction."""
        account = self._require(actor)
        found = versions_store.version_data(self.engine, int(version_id))
        if found is None:
            raise AdminRefused("no_version")
        info, data = found
        current = load_in_service(self.url)
        if current.version == info.content_version:
            raise AdminRefused("already")
        if progress:
            progress("read", 0.1)
        restored = versions_store.referential_of(data)
        changes = compare(current, restored)
        try:
            self._write(
                current,
                restored,
                changes,
                "rollback",
                info.file_name,
                account,
                progress,
                restored_from=info.id,
                data=data,
            )
        except StaleReferential as stale:
            self._audit(account, "referential_failed", f"v{info.id}: stale")
            raise AdminRefused("stale") from stale
        latest = versions_store.list_versions(self.engine)[0]
        self._audit(
            account,
            "referential_restored",
            f"v{info.id} → v{latest.id} " + "; ".join(changes.summary("fr")),
        )
        if progress:
            progress("done", 1.0)
        return self._view(latest, current=True)

    def _write(
        self,
        current: Referential,
        new: Referential,
        changes: ChangeReport,
        kind: str,
        file_name: str,
        account: Account | None,
        progress: Progress | None,
        *,
        restored_from: int | None = None,
        data: bytes | None = None,
    ) -> None:
        if progress:
            progress("write", 0.85)
        record = versions_store.recorder(
            current,
            new,
            changes,
            kind=kind,
            file_name=file_name,
            applied_by=account.email if account else "",
            applied_at=self.clock(),
            restored_from=restored_from,
            data=data,
        )
        # The stored version is compared with `current` under the write lock, in the
        # writing transaction: of two concurrent changes, the second is refused.
        repository.replace_referential(self.engine, new, also=record, expect=current.version)

    # -- reading --------------------------------------------------------------------------

    def versions(self, actor: Actor | None) -> list[VersionView]:
        """Every kept version, the newest first; `current` marks the one in service."""
        self._require(actor)
        in_service = repository.stored_version(self.engine)
        stored = versions_store.list_versions(self.engine)
        current_id = next((v.id for v in stored if v.content_version == in_service), None)
        return [self._view(v, current=v.id == current_id) for v in stored]

    @staticmethod
    def _view(version: StoredVersion, current: bool) -> VersionView:
        return VersionView(
            id=version.id,
            kind=version.kind,
            file_name=version.file_name,
            applied_by=version.applied_by,
            applied_at=aware(version.applied_at),
            counts=_parse_summary(version.summary),
            restored_from=version.restored_from,
            current=current,
        )


def upload_limit() -> str:
    """« 200 Mo »: the largest upload, as the page says it."""
    return human_size(MAX_UPLOAD_BYTES)


def step_label(step: str, locale: Locale) -> str:
    return STEPS.get(step, STEPS["read"])[locale]


def collection_name(name: str, locale: Locale) -> str:
    """« métiers », « compétences »… (the change report's own words)."""
    names = {
        "competencies": "compétences",
        "roles": "métiers",
        "requirements": "exigences",
        "transitions": "passerelles",
        "trainings": "formations",
        "outcomes": "acquis de formation",
    }
    return gettext(names.get(name, name), locale)
