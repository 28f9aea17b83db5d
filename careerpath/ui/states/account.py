"""States of the account pages: /compte (sessions, password), /deconnexion, the links.

Passwords typed in these pages reach the handlers as the submitted form's values and are
never kept in a state var (states are pickled into Redis). Signing in itself is not here:
the page posts to /api/v1/session (components/auth_script.py), the only place that can set
the HttpOnly cookie.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import reflex as rx

from careerpath.i18n import Locale, by_locale, gettext, ngettext
from careerpath.services.accounts import (
    AccessDenied,
    AccountError,
    Accounts,
    IssuedLink,
    Need,
    Role,
    SessionInfo,
)
from careerpath.services.accounts.api_tokens import (
    TOKEN_ROLES,
    VALIDITY_DAYS,
    ApiTokens,
    TokenError,
    TokenInfo,
)
from careerpath.ui.states.access import AccessMixin, current_actor
from careerpath.ui.states.device import device_of, technical_error
from careerpath.ui.states.route import page_params

log = logging.getLogger(__name__)
DISPLAY_ZONE = ZoneInfo("Europe/Paris")

ROLE_NAMES = {
    "counsellor": by_locale("Conseiller·ère"),
    "structure-admin": by_locale("Responsable de structure"),
    "admin": by_locale("Administrateur·rice"),
}


@dataclasses.dataclass
class SessionView:
    """One active session as /compte lists it."""

    id: str = ""
    device: str = ""
    started: str = ""
    last_seen: str = ""
    current: bool = False


def _when(moment: datetime, locale: Locale) -> str:
    local = moment.astimezone(DISPLAY_ZONE)
    return local.strftime(gettext("%d/%m/%Y %H:%M", locale))


def _device(user_agent: str, locale: Locale) -> str:
    """A short, human name for a browser (« Chrome sur Android »)."""
    ua = user_agent or ""
    browser = next(
        (
            name
            for key, name in (
                ("Edg/", "Edge"),
                ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"),
                ("Safari/", "Safari"),
            )
            if key in ua
        ),
        "",
    )
    system = next(
        (
            name
            for key, name in (
                ("Android", "Android"),
                ("iPhone", "iPhone"),
                ("iPad", "iPad"),
                ("Windows", "Windows"),
                ("Mac OS", "macOS"),
                ("Linux", "Linux"),
            )
            if key in ua
        ),
        "",
    )
    if browser and system:
        return f"{browser} {gettext('sur', locale)} {system}"
    return browser or system or (gettext("Appareil inconnu", locale))


def _view(info: SessionInfo, locale: Locale) -> SessionView:
    return SessionView(
        id=info.id,
        device=_device(info.user_agent, locale),
        started=_when(info.created_at, locale),
        last_seen=_when(info.last_seen_at, locale),
        current=info.current,
    )


@dataclasses.dataclass
class TokenView:
    """One personal API token as /compte lists it (never the token itself)."""

    id: str = ""
    name: str = ""
    prefix: str = ""
    detail: str = ""
    live: bool = False


def _token_view(info: TokenInfo, now: datetime, locale: Locale) -> TokenView:
    if info.revoked_at is not None:
        state = gettext("révoqué le {when}", locale, when=_when(info.revoked_at, locale))
    elif info.expires_at <= now:
        state = gettext("expiré le {when}", locale, when=_when(info.expires_at, locale))
    else:
        state = gettext("valable jusqu'au {when}", locale, when=_when(info.expires_at, locale))
    used = (
        gettext("dernier usage le {when}", locale, when=_when(info.last_used_at, locale))
        if info.last_used_at
        else gettext("jamais utilisé", locale)
    )
    return TokenView(
        id=info.id,
        name=info.name,
        prefix=info.prefix + "…",
        detail=f"{state} · {used}",
        live=info.live(now),
    )


NEW_TOKEN_ID = "cp-new-token"
"""The element /compte shows a just-created token in (filled by `show_new_token`)."""


def show_new_token(token: str) -> Any:
    """Write `token` into the page's token element (empty: hide it), without a state var."""
    return rx.call_script(
        f"(() => {{ const c = document.getElementById({json.dumps(NEW_TOKEN_ID)});"
        f" if (!c) return; c.textContent = {json.dumps(token)};"
        f" c.parentElement.hidden = {json.dumps(not token)}; }})()"
    )


class AccountState(AccessMixin, rx.State):
    """/compte: who is signed in, their active sessions, changing the password, API tokens."""

    tokens: list[TokenView] = []
    may_create_tokens: bool = False
    """Counsellors and structure managers create tokens; others read why not."""
    token_roles_note: str = ""
    token_message: str = ""
    token_error: str = ""
    role_name: str = ""
    structure: str = ""
    sessions: list[SessionView] = []
    message: str = ""
    error: str = ""
    password_message: str = ""
    password_error: str = ""

    async def _refresh(self, locale: Locale) -> bool:
        actor = await self._actor_for(Need.SIGNED_IN)
        if actor is None or actor.account is None:
            return False
        self.role_name = ROLE_NAMES[actor.account.role.value][locale]
        self.structure = actor.account.structure_name
        infos = await asyncio.to_thread(Accounts().sessions, actor)
        self.sessions = [_view(i, locale) for i in infos]
        tokens = await asyncio.to_thread(ApiTokens().tokens, actor)
        now = datetime.now(UTC)
        self.tokens = [_token_view(i, now, locale) for i in tokens]
        self.may_create_tokens = actor.account.role in TOKEN_ROLES
        self.token_roles_note = "" if self.may_create_tokens else TokenError("role").message(locale)
        return True

    @rx.event
    async def load(self) -> Any:
        _, locale = await device_of(self, create=False)
        self.message = self.error = self.password_message = self.password_error = ""
        self.token_message = self.token_error = ""
        try:
            if not await self._refresh(locale):
                return self._refusal()
        except Exception:
            log.exception("loading /compte failed")
            self.error = technical_error(locale)
        return None

    @rx.event
    async def end_other_sessions(self) -> Any:
        _, locale = await device_of(self, create=False)
        actor = await self._actor_for(Need.SIGNED_IN)
        if actor is None:
            return self._refusal()
        try:
            ended = await asyncio.to_thread(Accounts().end_other_sessions, actor)
            await self._refresh(locale)
        except Exception:
            log.exception("ending sessions failed")
            self.error = technical_error(locale)
            return None
        self.message = ngettext(
            "{n} autre appareil déconnecté.", "{n} autres appareils déconnectés.", ended, locale
        )
        return None

    @rx.event
    async def change_password(self, form: dict[str, Any]) -> Any:
        _, locale = await device_of(self, create=False)
        self.password_message = self.password_error = ""
        actor = await self._actor_for(Need.SIGNED_IN)
        if actor is None:
            return self._refusal()
        current = str(form.get("current_password", ""))[:1024]
        new = str(form.get("new_password", ""))[:1024]
        again = str(form.get("new_password_again", ""))[:1024]
        if new != again:
            self.password_error = gettext(
                "Les deux nouveaux mots de passe ne sont pas identiques.", locale
            )
            return None
        try:
            await asyncio.to_thread(Accounts().change_password, actor, current, new)
            await self._refresh(locale)
        except AccountError as refused:
            self.password_error = refused.message(locale)
            return None
        except Exception:
            log.exception("changing a password failed")
            self.password_error = technical_error(locale)
            return None
        self.password_message = gettext(
            "Mot de passe changé. Vos autres appareils sont déconnectés.", locale
        )
        return None

    @rx.event
    async def create_token(self, form: dict[str, Any]) -> Any:
        _, locale = await device_of(self, create=False)
        self.token_message = self.token_error = ""
        actor = await self._actor_for(Need.SIGNED_IN)
        if actor is None:
            return self._refusal()
        try:
            days = int(str(form.get("days", VALIDITY_DAYS[0]))[:4])
        except ValueError:
            days = 0
        name = str(form.get("token_name", ""))[:200]
        try:
            created = await asyncio.to_thread(ApiTokens().create, actor, name, days)
            await self._refresh(locale)
        except TokenError as refused:
            self.token_error = refused.message(locale)
            return None
        except Exception:
            log.exception("creating an API token failed")
            self.token_error = technical_error(locale)
            return None
        self.token_message = gettext(
            "Jeton « {name} » créé. Copiez-le maintenant : il ne sera plus affiché.",
            locale,
            name=created.info.name,
        )
        # Straight into the page, never into the state (which the state store keeps on
        # disk or in Redis): only this event's answer carries the token.
        return show_new_token(created.token)

    @rx.event
    async def revoke_token(self, token_id: str) -> Any:
        _, locale = await device_of(self, create=False)
        self.token_message = self.token_error = ""
        actor = await self._actor_for(Need.SIGNED_IN)
        if actor is None:
            return self._refusal()
        hide = show_new_token("")
        try:
            revoked = await asyncio.to_thread(ApiTokens().revoke, actor, str(token_id)[:32])
            await self._refresh(locale)
        except TokenError as refused:
            self.token_error = refused.message(locale)
            return hide
        except Exception:
            log.exception("revoking an API token failed")
            self.token_error = technical_error(locale)
            return hide
        self.token_message = gettext(
            "Jeton « {name} » révoqué : il ne permet plus rien.", locale, name=revoked.name
        )
        return hide


SIGN_IN_BAD_BODY = by_locale("Indiquez votre e-mail et votre mot de passe.")


def sign_in_refusal(code: str, wait: str, locale: Locale) -> str:
    """Why a sign-in posted as a plain form came back (`/connexion?erreur=…`), or ""."""
    if code == "bad_body":
        return SIGN_IN_BAD_BODY[locale]
    if code in ("invalid_credentials", "throttled"):
        seconds = int(wait) if wait.isdigit() and len(wait) < 7 else 60
        return AccountError(code, retry_after=seconds).message(locale)
    return ""


class SignInState(rx.State):
    """/connexion: already signed in? Say who; a refused form sign-in says why."""

    signed_in_as: str = ""
    refusal: str = ""

    @rx.event
    async def load(self) -> None:
        params = page_params(self)
        _, locale = await device_of(self, create=False)
        self.refusal = sign_in_refusal(
            str(params.get("erreur", "") or "")[:40], str(params.get("attente", "") or ""), locale
        )
        try:
            actor = await current_actor(self)
        except Exception:
            log.exception("resolving the session failed")
            return
        self.signed_in_as = actor.account.email if actor.account else ""


class SignOutState(rx.State):
    """/deconnexion: the sign-out button, then « Vous êtes déconnecté·e »."""

    loaded: bool = False
    signed_in: bool = False

    @rx.event
    async def load(self) -> None:
        try:
            actor = await current_actor(self)
            self.signed_in = actor.signed_in
        except Exception:
            log.exception("resolving the session failed")
            self.signed_in = False
        self.loaded = True


class ForgottenState(rx.State):
    """/mot-de-passe-oublie: a reset link by e-mail, or where to ask for one."""

    sent: bool = False
    mail_available: bool = True
    error: str = ""

    @rx.event
    async def request(self, form: dict[str, Any]) -> None:
        _, locale = await device_of(self, create=False)
        self.error = ""
        email = str(form.get("email", ""))[:254]
        address = self.router.session.client_ip
        try:
            self.mail_available = await asyncio.to_thread(
                Accounts().request_reset, email, address, locale
            )
        except Exception:
            log.exception("a reset request failed")
            self.error = technical_error(locale)
            return
        self.sent = True


class LinkState(rx.State):
    """/mot-de-passe/[jeton]: choose a password through an activation or reset link."""

    loaded: bool = False
    purpose: str = ""
    done: bool = False
    error: str = ""

    def _token(self) -> str:
        return str(page_params(self).get("jeton", "") or "")[:100]

    @rx.event
    async def load(self) -> None:
        _, locale = await device_of(self, create=False)
        self.done, self.error = False, ""
        try:
            purpose = await asyncio.to_thread(Accounts().link_purpose, self._token())
            self.purpose = purpose or ""
        except Exception:
            log.exception("reading a link failed")
            self.error = technical_error(locale)
        self.loaded = True

    @rx.event
    async def choose(self, form: dict[str, Any]) -> None:
        _, locale = await device_of(self, create=False)
        self.error = ""
        password = str(form.get("password", ""))[:1024]
        if password != str(form.get("password_again", ""))[:1024]:
            self.error = gettext("Les deux mots de passe ne sont pas identiques.", locale)
            return
        try:
            await asyncio.to_thread(Accounts().use_link, self._token(), password)
        except AccountError as refused:
            self.error = refused.message(locale)
            if refused.code == "bad_link":
                self.purpose = ""
            return
        except Exception:
            log.exception("using a link failed")
            self.error = technical_error(locale)
            return
        self.done = True


ACTION_NAMES = {
    "signin": by_locale("Connexion"),
    "signin_failed": by_locale("Échec de connexion"),
    "signin_throttled": by_locale("Connexion bloquée (trop d'essais)"),
    "signout": by_locale("Déconnexion"),
    "sessions_ended": by_locale("Autres appareils déconnectés"),
    "password_changed": by_locale("Mot de passe changé"),
    "password_reset_requested": by_locale("Lien de réinitialisation demandé"),
    "account_created": by_locale("Compte créé"),
    "account_disabled": by_locale("Compte désactivé"),
    "link_issued": by_locale("Lien émis"),
    "account_activated": by_locale("Compte activé"),
    "view": by_locale("Consultation des données d'une personne"),
    "export": by_locale("Export des données d'une personne"),
    "referential_previewed": by_locale("Référentiel envoyé et comparé"),
    "referential_rejected": by_locale("Référentiel refusé (fichier invalide)"),
    "referential_cancelled": by_locale("Envoi de référentiel annulé"),
    "referential_applied": by_locale("Référentiel appliqué"),
    "referential_failed": by_locale("Application du référentiel échouée"),
    "referential_restored": by_locale("Version du référentiel restaurée"),
    "api_token_created": by_locale("Jeton d'API créé"),
    "api_token_revoked": by_locale("Jeton d'API révoqué"),
    "api_tokens_revoked": by_locale("Jetons d'API révoqués"),
}


@dataclasses.dataclass
class AuditRow:
    """One line of the audit log as /compte/journal shows it."""

    at: str = ""
    action: str = ""
    who: str = ""
    detail: str = ""
    address: str = ""


class AuditState(AccessMixin, rx.State):
    """/compte/journal: the audit log of the manager's structure (every one for an admin)."""

    rows: list[AuditRow] = []
    error: str = ""

    @rx.event
    async def load(self) -> Any:
        _, locale = await device_of(self, create=False)
        self.error = ""
        actor = await self._actor_for(Need.READ_AUDIT)
        if actor is None:
            return self._refusal()
        try:
            events = await asyncio.to_thread(Accounts().audit_events, actor)
        except Exception:
            log.exception("reading the audit log failed")
            self.error = technical_error(locale)
            return None
        self.rows = [
            AuditRow(
                at=_when(e.at, locale),
                action=ACTION_NAMES.get(e.action, {}).get(locale, e.action),
                who=e.actor_email,
                detail=" ".join(x for x in (e.detail, e.subject_id or "") if x),
                address=e.client_address,
            )
            for e in events
        ]
        return None


@dataclasses.dataclass
class AccountRowView:
    """One account as /compte/equipe lists it."""

    email: str = ""
    name: str = ""
    role: str = ""
    structure: str = ""
    status: str = ""
    active: bool = False
    disabled: bool = False


STATUS_NAMES = {
    "pending": by_locale("en attente d'activation"),
    "active": by_locale("actif"),
    "disabled": by_locale("désactivé"),
}


class TeamState(AccessMixin, rx.State):
    """/compte/equipe: a manager's structure accounts (every account for an admin)."""

    rows: list[AccountRowView] = []
    is_admin: bool = False
    own_structure: str = ""
    message: str = ""
    error: str = ""
    link: str = ""
    """A link to hand over when no mail left (shown once, forgotten at the next load)."""

    async def _list(self, locale: Locale) -> Any:
        actor = await self._actor_for(Need.MANAGE_STRUCTURE)
        if actor is None or actor.account is None:
            return None
        self.is_admin = actor.account.role.value == "admin"
        self.own_structure = actor.account.structure_name
        summaries = await asyncio.to_thread(Accounts().list_accounts, actor)
        self.rows = [
            AccountRowView(
                email=a.email,
                name=a.display_name,
                role=ROLE_NAMES[a.role.value][locale],
                structure=a.structure,
                status=STATUS_NAMES[a.status][locale],
                active=a.status == "active",
                disabled=a.status == "disabled",
            )
            for a in summaries
        ]
        return actor

    def _link_issued(self, link: IssuedLink | None, email: str, locale: Locale) -> None:
        if link is None:
            return
        if link.mailed:
            self.link = ""
            self.message += " " + gettext("Lien envoyé par e-mail à {email}.", locale, email=email)
        else:
            self.link = link.url
            self.message += gettext(
                " Aucun e-mail n'est parti : transmettez ce lien à usage unique, valable 72 h.",
                locale,
            )

    @rx.event
    async def load(self) -> Any:
        _, locale = await device_of(self, create=False)
        self.message = self.error = self.link = ""
        try:
            if await self._list(locale) is None:
                return self._refusal()
        except Exception:
            log.exception("loading /compte/equipe failed")
            self.error = technical_error(locale)
        return None

    @rx.event
    async def create(self, form: dict[str, Any]) -> Any:
        _, locale = await device_of(self, create=False)
        self.message = self.error = self.link = ""
        actor = await self._actor_for(Need.MANAGE_STRUCTURE)
        if actor is None or actor.account is None:
            return self._refusal()
        role_value = str(form.get("role", "counsellor"))
        if role_value not in ROLE_NAMES:
            self.error = gettext("Rôle inconnu.", locale)
            return None
        structure = (
            str(form.get("structure", ""))[:200]
            if actor.account.role.value == "admin"
            else actor.account.structure_name
        )
        email = str(form.get("email", ""))[:254]
        try:
            summary, link = await asyncio.to_thread(
                lambda: Accounts().create(
                    email,
                    Role(role_value),
                    structure=structure or None,
                    name=str(form.get("name", ""))[:200],
                    by=actor,
                    locale=locale,
                )
            )
        except AccessDenied:
            self.error = gettext("Vous ne pouvez pas créer ce compte.", locale)
            return None
        except AccountError as refused:
            self.error = refused.message(locale)
            return None
        self.message = gettext("Compte créé : {email}.", locale, email=summary.email)
        self._link_issued(link, summary.email, locale)
        await self._list(locale)
        return None

    @rx.event
    async def disable(self, email: str) -> Any:
        _, locale = await device_of(self, create=False)
        self.message = self.error = self.link = ""
        actor = await self._actor_for(Need.MANAGE_STRUCTURE)
        if actor is None:
            return self._refusal()
        try:
            await asyncio.to_thread(Accounts().disable, str(email)[:254], actor)
        except AccessDenied:
            self.error = AccountError("forbidden").message(locale)
            return None
        except AccountError as refused:
            self.error = refused.message(locale)
            return None
        self.message = gettext(
            "Compte désactivé, ses sessions fermées : {email}.", locale, email=email
        )
        await self._list(locale)
        return None

    @rx.event
    async def new_link(self, email: str) -> Any:
        _, locale = await device_of(self, create=False)
        self.message = self.error = self.link = ""
        actor = await self._actor_for(Need.MANAGE_STRUCTURE)
        if actor is None:
            return self._refusal()
        try:
            link = await asyncio.to_thread(
                lambda: Accounts().reset_link(str(email)[:254], actor, locale)
            )
        except AccessDenied:
            self.error = AccountError("forbidden").message(locale)
            return None
        except AccountError as refused:
            self.error = refused.message(locale)
            return None
        self._link_issued(link, str(email), locale)
        self.message = self.message.strip()
        return None
