"""« Continuer sur un autre appareil »: a short code moves an assessment, without an account.

The rules:
- a code is 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S,
  8/B, U/V), shown as two groups « K7PX-M3QD »; typed codes are read case-, space- and
  dash-insensitively;
- it works once, for `CODE_LIFETIME` (15 minutes); a device has one code at a time (making
  a new one cancels the previous);
- redeeming moves every assessment of the first device's subject to the second device's
  subject (share links keep working), and leaves a tombstone so the first device knows it must forget what it still
  holds (its device id, its local copy of the answers): `moved_away(device_id)`;
- a device cannot redeem its own code, and a device with nothing stored cannot make one.

`TransferError.reason(locale)` says what went wrong in the person's language.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from careerpath.config import load_settings
from careerpath.data.account_tables import SubjectRow
from careerpath.data.assessment_tables import AssessmentRow
from careerpath.data.database import engine_for
from careerpath.data.transfer_tables import DeviceTransferRow
from careerpath.i18n import N_, Locale, gettext
from careerpath.services.assessments import is_device_id
from careerpath.services.referential import database_url

CODE_ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
"""Letters and digits nobody confuses when reading them aloud or off a screen."""
CODE_LENGTH = 8
CODE_LIFETIME = timedelta(minutes=15)
TOMBSTONE_LIFETIME = timedelta(days=30)
MAX_TYPED_LENGTH = 40

_REASONS = {
    "malformed": N_("Ce code n'a pas le bon format : 8 caractères, par exemple K7PX-M3QD."),
    "unknown": N_("Ce code ne marche pas ou plus : demandez-en un nouveau sur l'autre appareil."),
    "own": N_("Ce code vient de cet appareil : saisissez-le sur l'autre appareil."),
    "nothing": N_("Il n'y a encore rien à transférer : commencez par faire le point."),
}


class TransferError(ValueError):
    """A code that cannot be made or redeemed; `kind` is one of `_REASONS`."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind

    def reason(self, locale: Locale) -> str:
        return gettext(_REASONS[self.kind], locale)


@dataclass(frozen=True)
class TransferCode:
    code: str
    expires_at: datetime

    @property
    def display(self) -> str:
        return format_code(self.code)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """'K7PXM3QD' → 'K7PX-M3QD'."""
    half = CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def normalise_code(typed: str) -> str | None:
    """What a person typed, as a stored code; None when it cannot be one."""
    if len(typed) > MAX_TYPED_LENGTH:
        return None
    code = "".join(ch for ch in typed.upper() if ch not in " -\u00a0\t")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back; every stored moment is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class TransferStore:
    """Makes and redeems codes; every method is one short transaction."""

    def __init__(self, url: str | None = None) -> None:
        self.engine: Engine = engine_for(database_url(url))

    def create(self, device_id: str, now: datetime | None = None) -> TransferCode:
        """A fresh code for the device (its previous unused codes stop working)."""
        now = now or datetime.now(UTC)
        if not is_device_id(device_id) or not self._has_assessment(device_id):
            raise TransferError("nothing")
        with Session(self.engine) as session:
            session.execute(
                delete(DeviceTransferRow).where(
                    (col(DeviceTransferRow.from_device) == device_id)
                    & col(DeviceTransferRow.redeemed_at).is_(None)
                )
            )
            session.execute(  # old tombstones and expired codes: nothing left to tell
                delete(DeviceTransferRow).where(
                    col(DeviceTransferRow.created_at) < now - TOMBSTONE_LIFETIME
                )
            )
            code = new_code()
            while session.get(DeviceTransferRow, code) is not None:
                code = new_code()
            row = DeviceTransferRow(
                code=code, from_device=device_id, created_at=now, expires_at=now + CODE_LIFETIME
            )
            session.add(row)
            session.commit()
            return TransferCode(code, row.expires_at)

    def redeem(self, typed: str, device_id: str, now: datetime | None = None) -> int:
        """Move the code's assessments to `device_id`; returns how many moved."""
        now = now or datetime.now(UTC)
        code = normalise_code(typed)
        if code is None:
            raise TransferError("malformed")
        if not is_device_id(device_id):
            raise TransferError("unknown")
        with Session(self.engine) as session:
            row = session.get(DeviceTransferRow, code)
            if row is None or row.redeemed_at is not None or _aware(row.expires_at) <= now:
                raise TransferError("unknown")
            if row.from_device == device_id:
                raise TransferError("own")
            source = _device_subject(session, row.from_device)
            moved = (
                session.exec(
                    select(AssessmentRow.id).where(AssessmentRow.subject_id == source.id)
                ).all()
                if source is not None
                else []
            )
            if not moved:
                raise TransferError("nothing")
            target = _device_subject(session, device_id) or SubjectRow(
                id=uuid.uuid4().hex, kind="device", device_id=device_id
            )
            session.add(target)
            session.flush()
            session.execute(
                update(AssessmentRow)
                .where(col(AssessmentRow.id).in_(moved))
                .values(subject_id=target.id, updated_at=now)
            )
            row.redeemed_at = now
            row.to_device = device_id
            session.add(row)
            session.commit()
            return len(moved)

    def moved_away(self, device_id: str) -> bool:
        """True when another device took this device's assessments with a code."""
        if not is_device_id(device_id):
            return False
        with Session(self.engine) as session:
            found = session.exec(
                select(DeviceTransferRow.code)
                .where(col(DeviceTransferRow.from_device) == device_id)
                .where(col(DeviceTransferRow.redeemed_at).is_not(None))
                .limit(1)
            ).first()
            return found is not None

    def forget_device(self, device_id: str) -> None:
        """Erase what the device's codes say about it (the device deleted its data).

        A tombstone it received stays, without its id: the device that made the code must
        still learn that it has to forget its own copy.
        """
        with Session(self.engine) as session:
            session.execute(
                delete(DeviceTransferRow).where(col(DeviceTransferRow.from_device) == device_id)
            )
            session.execute(
                update(DeviceTransferRow)
                .where(col(DeviceTransferRow.to_device) == device_id)
                .values(to_device=None)
            )
            session.commit()

    def _has_assessment(self, device_id: str) -> bool:
        with Session(self.engine) as session:
            subject = _device_subject(session, device_id)
            if subject is None:
                return False
            found = session.exec(
                select(AssessmentRow.id).where(AssessmentRow.subject_id == subject.id).limit(1)
            ).first()
            return found is not None


def _device_subject(session: Session, device_id: str) -> SubjectRow | None:
    """The subject an anonymous device's assessments belong to (see account_tables.py)."""
    return session.exec(select(SubjectRow).where(SubjectRow.device_id == device_id)).first()


def transfer_url(code: str, origin: str | None = None) -> str:
    """What the QR code opens on the other device: the code already filled in, on the
    configured public URL (never a request's Host header, like share links)."""
    base = (origin if origin is not None else load_settings().public_url).rstrip("/")
    return f"{base}/continuer?code={format_code(code)}"


def qr_svg_data_uri(url: str) -> str:
    """The QR code of `url` as an SVG data URI, drawn on the server (segno)."""
    import segno

    qr = segno.make(url, error="m")
    return str(qr.svg_data_uri(scale=6, border=2, dark="#06393b"))
