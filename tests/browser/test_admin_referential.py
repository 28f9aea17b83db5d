"""/admin/referentiel in the browser (desktop): a bad zip gives its report and changes nothing,
a good one shows its diff, is applied, then rolled back."""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from careerpath.config import load_settings
from careerpath.data import repository
from careerpath.data.database import engine_for
from careerpath.data.importers.bundle import write_bundle
from careerpath.services import referential as service
from careerpath.services.accounts import Accounts, Role
from tests.browser.conftest import RunningApp
from tests.browser.test_hardening import holding
from tests.browser.test_journey import visit

pytestmark = pytest.mark.browser
PASSWORD = "une phrase de passe pour l'administration"
SLOW_MS = 120_000


def _zip(folder: Path, target: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"referentiel/{path.name}")
    target.write_bytes(buffer.getvalue())
    return target


def _zip_of_current(app: RunningApp, tmp_path: Path) -> Path:
    """The referential in service with its first role renamed, zipped."""
    current = service.load_referential(app.database_url)
    first = current.roles[0]
    edited = replace(
        current, roles=(replace(first, title=first.title + " (autre)"), *current.roles[1:])
    )
    write_bundle(edited, tmp_path / "bundle")
    return _zip(tmp_path / "bundle", tmp_path / "autre.zip")


def _upload(page: Page, path: Path) -> None:
    page.locator("#referentiel input[type=file]").set_input_files(str(path))
    expect(page.get_by_test_id("selected-file")).to_have_text(path.name)
    page.get_by_role("button", name="Envoyer et comparer").click()


@pytest.mark.parametrize("viewport_name", ["desktop"])
def test_upload_diff_apply_and_roll_back(
    page: Page, app: RunningApp, tmp_path: Path, screenshots_dir: Path
) -> None:
    email = f"admin-{uuid.uuid4().hex[:8]}@example.org"
    Accounts(app.database_url, settings=load_settings()).create(
        email, Role.ADMIN, name="Alex", password=PASSWORD
    )
    current = service.load_referential(app.database_url)
    first = current.roles[0]
    edited = replace(
        current, roles=(replace(first, title=first.title + " (révisé)"), *current.roles[1:])
    )
    good_dir, bad_dir = tmp_path / "good", tmp_path / "bad"
    write_bundle(edited, good_dir)
    write_bundle(current, bad_dir)
    lines = (bad_dir / "requirements.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].strip().split(",")
    fields = lines[1].rstrip("\n").split(",")
    fields[header.index("level")] = "9"
    lines[1] = ",".join(fields) + "\n"
    (bad_dir / "requirements.csv").write_text("".join(lines), encoding="utf-8")
    good = _zip(good_dir, tmp_path / "bon.zip")
    bad = _zip(bad_dir, tmp_path / "abime.zip")
    engine = engine_for(app.database_url)

    page.goto("/connexion?suivant=/admin/referentiel")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"^[^?]*/admin/referentiel$"), timeout=SLOW_MS)
    expect(page.get_by_role("heading", name="Administration du référentiel")).to_be_visible()

    before = repository.dump(engine)
    _upload(page, bad)
    report = page.get_by_test_id("report")
    expect(report).to_contain_text("requirements.csv, ligne 2, colonne « level »", timeout=SLOW_MS)
    expect(page.get_by_test_id("admin-error")).to_contain_text("n'a pas changé")
    expect(page.get_by_test_id("preview")).to_have_count(0)
    assert repository.dump(engine) == before

    _upload(page, good)
    expect(page.get_by_test_id("preview")).to_be_visible(timeout=SLOW_MS)
    roles_row = page.get_by_test_id("diff-row").filter(has_text="métiers")
    expect(roles_row.get_by_test_id("diff-changed")).to_have_text("1")
    expect(roles_row.get_by_test_id("diff-added")).to_have_text("0")
    expect(page.get_by_text(first.code).first).to_be_visible()
    assert repository.dump(engine) == before  # nothing written before « Appliquer »
    page.screenshot(path=screenshots_dir / "admin-referentiel-desktop.png", full_page=True)

    page.get_by_role("button", name="Appliquer").click()
    expect(page.get_by_test_id("admin-message")).to_contain_text(
        "Référentiel appliqué", timeout=SLOW_MS
    )
    assert service.load_referential(app.database_url).role_by_code[first.code].title == (
        first.title + " (révisé)"
    )
    versions = page.get_by_test_id("version")
    expect(versions).to_have_count(2)
    expect(versions.first).to_contain_text("en service")

    versions.nth(1).get_by_role("button", name="Revenir à cette version").click()
    expect(page.get_by_test_id("admin-message")).to_contain_text(
        "remise en service", timeout=SLOW_MS
    )
    restored = service.load_referential(app.database_url)
    assert restored.role_by_code[first.code].title == first.title
    assert restored.version == current.version
    expect(versions).to_have_count(3)

    # The administrator's pages link to each other: referential ↔ structures and accounts.
    nav = page.get_by_test_id("admin-nav")
    expect(nav.get_by_role("link", name="Référentiel")).to_have_attribute("aria-current", "page")
    nav.get_by_role("link", name="Structures et comptes").click()
    page.wait_for_url(re.compile(r"^[^?]*/compte/equipe$"), timeout=SLOW_MS)
    expect(page.get_by_role("button", name="Créer le compte")).to_be_visible()
    page.get_by_test_id("admin-nav").get_by_role("link", name="Référentiel").click()
    page.wait_for_url(re.compile(r"^[^?]*/admin/referentiel$"), timeout=SLOW_MS)
    expect(page.get_by_test_id("version")).to_have_count(3)

    # Tokens are for counsellors' integrations: an administrator reads why, with no form.
    page.goto("/compte")
    expect(page.get_by_test_id("token-roles-note")).to_contain_text("réservés aux conseillers")
    expect(page.get_by_test_id("create-token")).to_have_count(0)


@pytest.mark.parametrize("viewport_name", ["desktop"])
def test_leaving_mid_upload_leaves_the_page_usable(
    page: Page, app: RunningApp, tmp_path: Path
) -> None:
    """The browser gone during an upload (here: a reload) cancels the upload's event: the
    page is not left « busy » (every later action would silently do nothing) and nothing
    received stays in the staging folder."""
    import os

    email = f"admin-{uuid.uuid4().hex[:8]}@example.org"
    Accounts(app.database_url, settings=load_settings()).create(
        email, Role.ADMIN, name="Alex", password=PASSWORD
    )
    big = tmp_path / "gros.zip"
    big.write_bytes(os.urandom(6 * 1024 * 1024))
    good = _zip_of_current(app, tmp_path)
    page.goto("/connexion?suivant=/admin/referentiel")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"^[^?]*/admin/referentiel$"), timeout=SLOW_MS)

    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(  # about a minute for the big file: it is still on its way at the reload
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 100_000},
    )
    _upload(page, big)
    expect(page.get_by_test_id("progress")).to_contain_text("Réception du fichier")
    page.wait_for_timeout(1500)
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    page.reload()
    expect(page.get_by_role("heading", name="Administration du référentiel")).to_be_visible()
    expect(page.get_by_test_id("progress")).to_have_count(0, timeout=15_000)
    _upload(page, good)
    expect(page.get_by_test_id("preview")).to_be_visible(timeout=SLOW_MS)
    staging = app.data_dir / "staging"
    assert [p.name for p in staging.iterdir() if p.name.startswith("incoming-")] == []


@pytest.mark.parametrize("viewport_name", ["desktop"])
def test_an_api_token_is_shown_once_works_and_stops_when_revoked(
    page: Page, app: RunningApp
) -> None:
    import httpx

    email = f"conseil-{uuid.uuid4().hex[:8]}@example.org"
    Accounts(app.database_url, settings=load_settings()).create(
        email, Role.COUNSELLOR, structure="CIO de Lyon", password=PASSWORD
    )
    page.goto("/connexion?suivant=/compte")  # a counsellor lands on /espace otherwise
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"^[^?]*/compte$"), timeout=SLOW_MS)
    visit(page, "/compte")  # once the page's script runs (the token form needs it)

    name = f"Tableur du CIO {uuid.uuid4().hex[:8]}"
    page.get_by_label("Nom du jeton").fill(name)
    page.get_by_label("Valable").select_option("90")
    page.get_by_role("button", name="Créer un jeton").click()
    expect(page.get_by_test_id("token-message")).to_contain_text("il ne sera plus affiché")
    expect(page.get_by_test_id("new-token")).to_contain_text("cpt_")
    token = page.get_by_test_id("new-token").inner_text()
    assert token.startswith("cpt_")
    # The state store has this tab's state after the creation (its message names the
    # token), and the token itself is in no stored state.
    for _ in range(50):
        if holding(app, name):
            break
        page.wait_for_timeout(100)
    assert holding(app, name) == [name]
    assert holding(app, token) == []
    expect(page.get_by_test_id("api-token")).to_have_count(1)
    expect(page.get_by_test_id("api-token")).to_contain_text("jamais utilisé")

    headers = {"Authorization": f"Bearer {token}"}
    me = httpx.get(f"{app.url}/api/v1/me", headers=headers)
    assert me.status_code == 200 and me.json()["email"] == email

    page.reload()
    expect(page.get_by_test_id("api-token")).to_contain_text("dernier usage")
    expect(page.get_by_test_id("new-token")).to_be_empty()  # shown once only
    expect(page.get_by_test_id("new-token")).to_be_hidden()
    assert token not in page.content()

    page.get_by_test_id("revoke-token").click()
    expect(page.get_by_test_id("token-message")).to_contain_text("révoqué")
    expect(page.get_by_test_id("api-token")).to_contain_text("révoqué le")
    refused = httpx.get(f"{app.url}/api/v1/me?lang=en", headers=headers)
    assert refused.status_code == 401
    assert "revoked" in refused.json()["errors"][0]["message"]
