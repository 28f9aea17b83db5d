"""« Continuer sur un autre appareil » (SQLite and PostgreSQL): a short code moves an
assessment to another device once, before it expires, and the first device learns it moved."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from careerpath.data.database import engine_for, upgrade
from careerpath.services.assessments import AssessmentStore, new_device_id
from careerpath.services.transfer import (
    CODE_ALPHABET,
    CODE_LIFETIME,
    TransferError,
    TransferStore,
    format_code,
    new_code,
    normalise_code,
    qr_svg_data_uri,
    transfer_url,
)


@pytest.fixture
def stores(database_url: str) -> tuple[AssessmentStore, TransferStore]:
    upgrade(engine_for(database_url))
    return AssessmentStore(database_url), TransferStore(database_url)


def test_a_code_moves_the_assessment_and_the_old_device_keeps_nothing(
    stores: tuple[AssessmentStore, TransferStore],
) -> None:
    assessments, transfers = stores
    phone, laptop = new_device_id(), new_device_id()
    stored = assessments.start(phone, "en_poste", "SECRETAIRE")
    assessments.rate(stored.id, "ORG_AGENDA", 3)
    token = assessments.share(stored.id)
    code = transfers.create(phone)
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code.display)
    assert not transfers.moved_away(phone)

    assert transfers.redeem(code.display.lower(), laptop) == 1
    moved = assessments.current(laptop)
    assert moved is not None and moved.id == stored.id and dict(moved.ratings) == {"ORG_AGENDA": 3}
    assert assessments.current(phone) is None
    assert transfers.moved_away(phone)
    assert not transfers.moved_away(laptop)
    assert assessments.by_share_token(token) is not None  # shared links keep working

    with pytest.raises(TransferError) as again:
        transfers.redeem(code.code, new_device_id())
    assert again.value.kind == "unknown"


def test_a_code_expires_and_a_new_one_cancels_the_previous(
    stores: tuple[AssessmentStore, TransferStore],
) -> None:
    assessments, transfers = stores
    phone = new_device_id()
    assessments.start(phone, "en_recherche", None)
    start = datetime.now(UTC)
    late = transfers.create(phone, now=start)
    with pytest.raises(TransferError) as expired:
        transfers.redeem(late.code, new_device_id(), now=start + CODE_LIFETIME + timedelta(1))
    assert expired.value.kind == "unknown"

    first = transfers.create(phone)
    second = transfers.create(phone)
    with pytest.raises(TransferError):
        transfers.redeem(first.code, new_device_id())
    assert transfers.redeem(second.code, new_device_id()) == 1


def test_bad_codes_get_a_clear_reason_and_move_nothing(
    stores: tuple[AssessmentStore, TransferStore],
) -> None:
    assessments, transfers = stores
    phone = new_device_id()
    with pytest.raises(TransferError) as nothing:
        transfers.create(phone)  # nothing stored yet
    assert nothing.value.reason("fr").startswith("Il n'y a encore rien à transférer")
    assessments.start(phone, "en_poste", None)
    code = transfers.create(phone)
    with pytest.raises(TransferError) as own:
        transfers.redeem(code.code, phone)
    assert own.value.reason("en") == "This code comes from this device: type it on the other one."
    for typed in ("", "ABC", "O0O0-O0O0", "x" * 10_000, "K7PX-M3QD-EXTRA"):
        with pytest.raises(TransferError) as bad:
            transfers.redeem(typed, new_device_id())
        assert bad.value.kind in ("malformed", "unknown")
    assert assessments.current(phone) is not None


def test_deleting_forgets_the_device_s_codes(stores: tuple[AssessmentStore, TransferStore]) -> None:
    assessments, transfers = stores
    phone = new_device_id()
    assessments.start(phone, "en_poste", None)
    code = transfers.create(phone)
    transfers.forget_device(phone)
    with pytest.raises(TransferError):
        transfers.redeem(code.code, new_device_id())


@given(st.text(max_size=60))
def test_typed_codes_normalise_to_the_alphabet_or_nothing(typed: str) -> None:
    code = normalise_code(typed)
    assert code is None or (len(code) == 8 and set(code) <= set(CODE_ALPHABET))


def test_codes_avoid_look_alike_characters_and_read_back_however_typed() -> None:
    assert not set("0O1IL2Z5S8BUV") & set(CODE_ALPHABET)
    for _ in range(200):
        code = new_code()
        assert normalise_code(format_code(code)) == code
        assert normalise_code(" " + format_code(code).lower().replace("-", " ") + " ") == code


def test_the_qr_code_is_an_svg_drawn_on_the_server() -> None:
    url = transfer_url("K7PXM3QD", "https://careerpath.example/")
    assert url == "https://careerpath.example/continuer?code=K7PX-M3QD"
    uri = qr_svg_data_uri(url)
    assert uri.startswith("data:image/svg+xml")
